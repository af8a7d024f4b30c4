"""One team per team name, however the folders, the manifest and the rows spell it.

A delivery put together by several people spells one team several ways
(``Contact Centre/``, ``contact_centre/``, ``Contact-Centre`` in a team
column). Left apart, they count as two teams, and every "shared by N teams"
figure is inflated. So team names that are equal once case-folded, with runs
of spaces, underscores and hyphens taken as one space, are one team. It is
decided once, after every file is read, because the spellings come from
different places (sub-folders, manifest.csv, a team column) and the most
frequent one can only be known then: the team takes the spelling most
conversations use, ties going to the first in sorted order, so two runs over
one folder give the same name. `unknown`, the team of conversations without
one, is never merged with a team someone named.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from pipeline import schema

from .rows import column_key


def team_key(team: str) -> str:
    """What two spellings of one team have in common: the team name read as a column name is (`rows.column_key`).

    Examples
    --------
    >>> team_key("Contact Centre"), team_key(" contact__centre"), team_key("CONTACT - CENTRE")
    ('contact centre', 'contact centre', 'contact centre')
    """
    return column_key(team)


def team_spellings(teams: Iterable[str]) -> dict[str, str]:
    """Each spelling of `teams` that another spelling of the same team outnumbers, and that spelling.

    `teams` holds one team per conversation, so the spelling most
    conversations use wins; a tie goes to the first in sorted order.

    Examples
    --------
    >>> team_spellings(["Contact Centre", "contact_centre", "contact_centre", "Housing"])
    {'Contact Centre': 'contact_centre'}
    >>> team_spellings(["contact_centre", "Contact Centre"])
    {'contact_centre': 'Contact Centre'}
    """
    counts = Counter(teams)
    groups: dict[str, list[str]] = {}
    for spelling in sorted(counts):
        if spelling != schema.UNKNOWN_TEAM:
            groups.setdefault(team_key(spelling), []).append(spelling)
    renamed: dict[str, str] = {}
    for spellings in groups.values():
        if len(spellings) > 1:
            # max() keeps the first of equals, and the spellings are sorted: a tie goes to the first.
            chosen = max(spellings, key=lambda spelling: counts[spelling])
            renamed.update({spelling: chosen for spelling in spellings if spelling != chosen})
    return renamed

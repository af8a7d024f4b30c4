"""Speakers and teams: which labels name a person, and the pseudonyms that stand for them.

A speaker label may be a person's name ("Priya Shah"), a slot ("P2",
"Speaker 3") or a role made of ordinary words ("Project Manager"); only a
name is registered and checked for leaks. Speakers become "Participant N" or
"Interviewer N", and a team named after a person becomes "Team N". This is
separate from the replacement of names in the text (`core`) because it reads
only the labels, never the text.
"""
from __future__ import annotations

import logging
import re
from collections import Counter

import pandas as pd

from .. import schema
from ..config import AnonymiseConfig
from .lexicon import Lexicon
from .register import norm

logger = logging.getLogger(__name__)


def speaker_pseudonyms(turns: pd.DataFrame) -> dict[str, str]:
    """'Participant N' / 'Interviewer N' in order of first appearance in sorted transcripts."""
    mapping: dict[str, str] = {}
    counts: Counter = Counter()
    ordered = turns.sort_values([schema.TRANSCRIPT_ID, schema.TURN])
    for name, role in zip(ordered[schema.SPEAKER], ordered[schema.ROLE]):
        key = norm(name)
        if key in mapping:
            continue
        label = "Interviewer" if role == schema.ROLE_INTERVIEWER else "Participant"
        counts[label] += 1
        mapping[key] = f"{label} {counts[label]}"
    return mapping


def team_pseudonyms(turns: pd.DataFrame, roster, config: AnonymiseConfig, lexicon: Lexicon) -> dict[str, str]:
    """Team -> "Team N" for each team named after a person (a speaker or roster name); others stay.

    A slot label used as the team ("P2" for participant P2's session) is no
    one's name and stays as it is.
    """
    people = {norm(n) for n in [*turns[schema.SPEAKER].unique(), *roster, *config.roster]
              if is_person_label(n, lexicon)}
    named = sorted({str(t) for t in turns[schema.TEAM].unique()
                    if norm(re.sub(r"[_\-]+", " ", str(t))) in people}, key=norm)
    if named:
        logger.warning("%d team name%s %s a person's name and %s shown as 'Team N'", len(named),
                       "s" if len(named) > 1 else "", "are" if len(named) > 1 else "is",
                       "are" if len(named) > 1 else "is")
    return {team: f"Team {n}" for n, team in enumerate(named, start=1)}


# Surnames up to this census rank make a label a person's ("Baker", "Young"), even though they are words.
COMMON_SURNAME_RANK = 5_000
# A generic speaker label tied to its transcript by ingest ("Speaker_2@cfc7b4", "A@3f9c2a") names no one.
_SCOPED_LABEL = re.compile(r"@[0-9a-f]{6}$")
# A slot label numbers a participant: "P2", "R1", "PT07", "S3b".
_SLOT_LABEL = re.compile(r"^[^\W\d_]{1,3}[ _-]?\d{1,4}[a-z]?$")
# A role numbered or lettered: "Speaker 3", "Participant12", "Respondent A" (when the word is no name). The
# letter stands apart: "MAUD", a name in capitals, is no role "MAU" lettered "D".
_NUMBERED_ROLE = re.compile(r"^([^\W\d_]+)(?:[ _-]?\d{1,4}|[ _-][A-Z])$")


def _is_name(name) -> bool:
    name = str(name).strip() if name is not None else ""
    return sum(c.isalpha() for c in name) >= 2 and not _SCOPED_LABEL.search(name)


def is_person_label(name, lexicon: Lexicon) -> bool:
    """Whether a speaker or roster label could be a person's name.

    Not a slot label ("P2", "Speaker 3", "Respondent A"), and not a role made
    of ordinary words ("Project Manager", "Marketing", "Interviewee"). A word
    that is also a first name or a common surname ("Will", "Baker") keeps it
    a name.

    Examples
    --------
    >>> from pipeline.anonymise.lexicon import load_lexicon
    >>> lexicon = load_lexicon()
    >>> [is_person_label(n, lexicon) for n in ("Priya Shah", "P2", "Speaker 3", "User Interface", "Baker", "Anna B")]
    [True, False, False, False, True, True]
    """
    name = str(name).strip() if name is not None else ""
    if not _is_name(name) or _SLOT_LABEL.match(name):
        return False
    numbered = _NUMBERED_ROLE.match(name)
    words = [numbered.group(1).casefold()] if numbered else [w for w in re.split(r"[\s_\-]+", name.casefold()) if w]
    return not all(lexicon.is_word(w) and not lexicon.is_given_name(w) and not _common_surname(w, lexicon)
                   for w in words)


def _common_surname(word: str, lexicon: Lexicon) -> bool:
    rank = lexicon.surnames.get(word)
    return rank is not None and rank <= COMMON_SURNAME_RANK


"""Fail closed: look for personal data that survived into a staged output folder.

The anonymiser replaces what it finds; this module checks what was written.
Every file in the folder is read the way a person or a program would see
it (HTML and XML entities decoded, Markdown escapes removed, the text of a
`.docx` joined across its runs, every string of a JSON file) and searched
for every original the run knows: each detected name, place and contact
detail, each speaker and roster name. A match ignores letter case and must
stand as whole words: "Sarah" is found in "sarah's" and "SARAH", not in
"Sarahville". File and folder names are searched too.

What is found is masked in every staged file with the placeholder the
anonymiser gave it (`secure_staged_outputs`), and the folder is checked
again: the run publishes, with a warning and the counts in run.json, and
refuses only when the second check still finds something. Either way the
file and the kind of datum are reported, never the datum itself.

Examples
--------
>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "quotes.csv").write_text("quote\\n[PERSON 1] said Priya&#x27;s team agreed\\n")
>>> _ = (folder / "report.html").write_text("<p>Ask Dave&nbsp;Pritchard</p>")
>>> find_leaks(folder, {"Priya Shah": "speaker name", "Priya": "speaker name", "Dave Pritchard": "roster name"})
[('quotes.csv', 'speaker name'), ('report.html', 'roster name')]
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from ..errors import LeakError
from .masking import mask_terms
from .match import DEFAULT_KIND, Matcher
from .readings import readings

logger = logging.getLogger(__name__)

__all__ = ["DEFAULT_KIND", "REFUSAL_HINT", "WITHHELD", "find_leaks", "mask_terms", "require_no_leaks",
           "secure_staged_outputs"]

WITHHELD = "[name withheld]"  # stands for a file or folder name that holds a datum
FILE_NAME_SEPARATORS = re.compile(r"[_.\-+]+")


def find_leaks(folder: str | Path, originals: Iterable[str] | Mapping[str, str]) -> list[tuple[str, str]]:
    """(file name, kind of datum) for every file in `folder` that holds one of `originals`.

    Parameters
    ----------
    folder : the staged output folder, read recursively.
    originals : the strings that must not appear, or a mapping from each to
        the kind of datum it is ("speaker name", "email address", ...). See
        `AnonymisedTurns.leak_terms`. Strings with fewer than two letters or
        digits are ignored: they would match everywhere.

    Returns
    -------
    Sorted (relative file name, kind) pairs, each once; empty when nothing
    survived. A datum in a file's or folder's name is reported with the kind
    followed by " in the file name". The datum itself is never returned.
    """
    hits = _hits(Path(folder), Matcher(originals), every_term=False)
    return sorted({(name, f"{kind} in the file name" if in_name else kind) for name, _, kind, in_name in hits})


REFUSAL_HINT = ("if a person's name was missed, add it to the roster (roster.txt or --roster); if an ordinary "
                "word or a product was taken for a name, add it to 'keep' under [anonymise] in a --config file; "
                "then run again")


def require_no_leaks(folder: str | Path, originals: Iterable[str] | Mapping[str, str]) -> None:
    """Raise `LeakError` naming each file and kind of datum when `find_leaks` finds any.

    Meant as the last step before a staged folder is published (see
    `report.writer.staging_folder`): the caller then publishes nothing.
    """
    leaks = find_leaks(folder, originals)
    if leaks:
        _refuse(leaks, "personal data survived anonymisation")


def secure_staged_outputs(folder: str | Path, originals: Mapping[str, str],
                          placeholders: Mapping[str, str]) -> dict[str, int]:
    """Check a staged folder; mask what survived, check again; raise `LeakError` if anything still does.

    Parameters
    ----------
    folder : the staged output folder, read and rewritten in place.
    originals : each datum that must not appear -> its kind (`AnonymisedTurns.leak_terms`).
    placeholders : each datum -> the placeholder the anonymiser gave it, which
        replaces it in every file (`AnonymisedTurns.leak_placeholders`).

    Returns
    -------
    {kind: occurrences masked}, empty when the first check found nothing.
    Never the data themselves.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "themes.csv").write_text("label\\nPriya's rota\\n")
    >>> secure_staged_outputs(folder, {"Priya": "person name"}, {"Priya": "[PERSON 1]"})
    {'person name': 1}
    >>> (folder / "themes.csv").read_text()
    "label\\n[PERSON 1]'s rota\\n"
    """
    folder = Path(folder)
    found = _leaked_terms(folder, originals)
    if not found:
        return {}
    masked = mask_terms(folder, {term: placeholders.get(term, WITHHELD) for term in sorted(found)})
    by_kind: Counter = Counter()
    for term, n in masked.items():
        by_kind[originals[term]] += n
    leaks = find_leaks(folder, originals)
    if leaks:
        _refuse(leaks, "personal data survived anonymisation and could not be masked")
    logger.warning("the staged outputs still held %d personal data item%s (%s); masked with the anonymiser's "
                   "placeholders and checked again before publishing (run.json: anonymisation.masked_after_check)",
                   sum(by_kind.values()), "" if sum(by_kind.values()) == 1 else "s",
                   ", ".join(f"{n} {kind}" for kind, n in sorted(by_kind.items())))
    return dict(sorted(by_kind.items()))


def _refuse(leaks: list[tuple[str, str]], what: str) -> None:
    where = "; ".join(f"{kind} in {name}" for name, kind in leaks[:10])
    more = f" and {len(leaks) - 10} more" if len(leaks) > 10 else ""
    raise LeakError(f"{what} ({where}{more}); nothing was published", REFUSAL_HINT)

def _leaked_terms(folder: Path, originals: Mapping[str, str]) -> set[str]:
    """The originals that occur anywhere in the folder, in file contents or names."""
    return {original for _, original, _, _ in _hits(folder, Matcher(originals), every_term=True)}


def _hits(folder: Path, matcher: Matcher, every_term: bool) -> Iterator[tuple[str, str, str, bool]]:
    """(file name as shown, original, kind, in the file name) for each datum found in the folder.

    A file or folder name that holds a datum is shown as `WITHHELD`. With
    `every_term` False, one original per kind and text is enough (the caller
    wants the kinds, and stops looking for a kind once found).
    """
    if matcher.empty:
        return
    for path in sorted(folder.rglob("*")):
        parts, shown = path.relative_to(folder).parts, []
        for part in parts:  # a name in a file or folder name is withheld from the report too
            found = matcher.found_in(FILE_NAME_SEPARATORS.sub(" ", part), one_per_kind=not every_term)
            shown.append(WITHHELD if found else part)
            if found and len(shown) == len(parts):  # each folder is reported when it is the path itself
                yield from (("/".join(shown), original, kind, True) for original, kind in found)
        if path.is_file():
            for text in readings(path):
                yield from (("/".join(shown), original, kind, False)
                            for original, kind in matcher.found_in(text, one_per_kind=not every_term))

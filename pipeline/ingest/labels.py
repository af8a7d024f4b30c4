"""Is this the name of a speaker? The rules that tell ``Anna: yes`` from ``Note: yes``.

A transcript line ``X: words`` is a turn only when X looks like a speaker
label: a few capitalised words, no sentence punctuation, not a word that
usually introduces prose ("Note", "Date", "Summary"). A label the caller
already knows (roster, configured interviewers, a label accepted elsewhere
in the same file) is accepted whatever its case, so ``anna:`` works once
``Anna:`` has been seen.
"""
from __future__ import annotations

import math
import re

from .timecode import TIMECODE, parse_timecode

# A label longer than this is a sentence ("So the answer was: yes"), not a
# name; "Head of Housing Services" is four. Fixed by the layout, not tuned.
MAX_LABEL_WORDS = 4

# Interview conventions written in place of names.
INTERVIEWER_LABELS = frozenset({"q", "i", "int", "interviewer", "question", "moderator",
                                "facilitator"})
PARTICIPANT_LABELS = frozenset({"a", "r", "answer", "respondent", "participant",
                                "interviewee"})

# Single capitalised words that introduce prose or metadata, not a speaker.
_NOT_SPEAKERS = frozenset("""
note notes nb ps p.s update summary agenda action actions date time location place
subject re topic topics title attendees present absent example warning tip important
edit source link url email e-mail tel phone mobile transcript transcription duration
recording meeting file tags keywords context background comment comments caveat
disclaimer reminder todo decision decisions outcome outcomes result results
conclusion quote translation observation observations status reference references
definition step steps goal goals objective objectives purpose
monday tuesday wednesday thursday friday saturday sunday yes no ok okay so but and
also however therefore well then because
""".split())
# Month names are not refused alone, since April, May and June are also
# people's names; but "March 12" or "Tuesday 3rd" is a date, not a speaker.
_DATE_WORDS = frozenset("""
january february march april may june july august september october november december
jan feb mar apr jun jul aug sep sept oct nov dec
monday tuesday wednesday thursday friday saturday sunday
""".split())
_DAY_NUMBER = re.compile(r"^\d{1,4}(?:st|nd|rd|th)?,?$", re.IGNORECASE)
# Lower-case words allowed inside a name: "Jean de la Fontaine", "Head of Housing".
_PARTICLES = frozenset({"de", "da", "di", "du", "del", "della", "der", "den", "van", "von",
                        "la", "le", "al", "el", "bin", "ibn", "y", "of", "the", "and", "&"})
_TITLES = frozenset({"dr", "mr", "mrs", "ms", "mx", "prof", "rev", "sr", "jr", "st"})

_LABEL_CHARS = re.compile(r"^[\w .,'’&()-]+$")
_TIMECODE_SUFFIX = re.compile(rf"\s*[\[(]\s*(?P<tc>{TIMECODE})\s*[\])]\s*$")
_PAREN_SUFFIX = re.compile(r"\s*\((?P<inner>[^()]*)\)\s*$")
_COLON = re.compile(r":(?=\s|$)")
_BOLD_INSIDE = re.compile(r"^(\*\*|__)(?P<name>[^*_:]+?)\s*:\s*\1\s*(?P<rest>.*)$", re.DOTALL)
_BOLD_OUTSIDE = re.compile(r"^(\*\*|__)(?P<name>[^*_:]+?)\1\s*:\s*(?P<rest>.*)$", re.DOTALL)


def normalise_name(name: str) -> str:
    """Collapse inner whitespace and trim, so "Anna  Smith " equals "Anna Smith"."""
    return " ".join(name.split())


def is_speaker_label(label: str, known: frozenset[str] = frozenset()) -> bool:
    """Whether `label` (the text before a colon) names a speaker.

    `known` holds case-folded names accepted whatever their form.

    Examples
    --------
    >>> is_speaker_label("Dr. Anna Smith"), is_speaker_label("So the answer was")
    (True, False)
    >>> is_speaker_label("Note"), is_speaker_label("anna", frozenset({"anna"}))
    (False, True)
    """
    label = normalise_name(label)
    if not label or ":" in label or not any(ch.isalpha() for ch in label):
        return False
    if label.casefold() in known:
        return len(label.split()) <= MAX_LABEL_WORDS
    if label.casefold() in INTERVIEWER_LABELS | PARTICIPANT_LABELS:
        return label[0].isupper()
    if label.casefold() in _NOT_SPEAKERS or not _LABEL_CHARS.match(label) or _is_date(label):
        return False
    core, parenthetical = _split_parenthetical(label)
    if parenthetical is not None and not _is_name_words(parenthetical.split(), inner=True):
        return False
    if "(" in core or ")" in core or core.count(",") > 1:
        return False
    words = core.replace(",", " ").split()
    return 0 < len(words) <= MAX_LABEL_WORDS and _is_name_words(words)


def split_speaker_line(line: str, known: frozenset[str] = frozenset()
                       ) -> tuple[str, str, float] | None:
    """Split ``Name: words`` (or ``**Name:** words``, ``Name (00:01:02): words``).

    Returns (speaker, words, start seconds or NaN), or None when the line is
    not a speaker line.

    Examples
    --------
    >>> split_speaker_line("**Anna:** We agreed.")
    ('Anna', 'We agreed.', nan)
    >>> split_speaker_line("So the answer was: yes") is None
    True
    """
    bold = _BOLD_INSIDE.match(line) or _BOLD_OUTSIDE.match(line)
    if bold:
        name, rest = bold.group("name"), bold.group("rest")
    else:
        colon = _COLON.search(line)
        if colon is None:
            return None
        name, rest = line[:colon.start()], line[colon.end():]
    name, start = strip_timecode_suffix(name)
    if not is_speaker_label(name, known):
        return None
    return normalise_name(name), rest.strip(), start


def strip_timecode_suffix(name: str) -> tuple[str, float]:
    """Split Rev's ``Speaker 1 (00:01:02)`` into the name and its start time."""
    match = _TIMECODE_SUFFIX.search(name)
    if not match or match.start() == 0:
        return name, math.nan
    return name[:match.start()], parse_timecode(match.group("tc"))


def _is_date(label: str) -> bool:
    words = label.casefold().split()
    return (len(words) > 1 and words[0].rstrip(",") in _DATE_WORDS
            and all(_DAY_NUMBER.match(word) or word.rstrip(",") in _DATE_WORDS
                    for word in words[1:]))


def _split_parenthetical(label: str) -> tuple[str, str | None]:
    # "Anna Smith (Housing)" names a speaker with their team; keep it whole.
    match = _PAREN_SUFFIX.search(label)
    if not match or match.start() == 0:
        return label, None
    return label[:match.start()], match.group("inner")


def _is_name_words(words: list[str], inner: bool = False) -> bool:
    if not words:
        return False
    for position, word in enumerate(words):
        if not _word_allowed(word, first=position == 0 and not inner):
            return False
    return _capitalised(words[-1]) or inner


def _word_allowed(word: str, first: bool) -> bool:
    stem = word.rstrip(".")
    if word.endswith("."):
        # A full stop only ends an initial ("J.") or a title ("Dr."); elsewhere
        # it ends a sentence, and a sentence is not a name.
        if not (len(stem) == 1 and stem.isalpha()) and stem.casefold() not in _TITLES:
            return False
    if "." in stem or not stem:
        return False
    if first:
        return _capitalised(stem) and not stem[0].isdigit()
    return _capitalised(stem) or stem.casefold() in _PARTICLES


def _capitalised(word: str) -> bool:
    # Scripts without case (Chinese, Arabic, ...) count as capitalised.
    first = word.lstrip("'’(")[:1]
    if not first:
        return False
    caseless = first.isalpha() and first.lower() == first.upper()
    return first.isupper() or first.isdigit() or caseless

"""Is this the name of a speaker? The rules that tell ``Anna: yes`` from ``Note: yes``.

A transcript line ``X: words`` is a turn only when X looks like a speaker
label. Two strengths of evidence are told apart:

- a *strict* label is a few capitalised words with no sentence punctuation
  that is not a word which usually introduces prose ("Note", "Date",
  "Summary"); it is accepted on sight;
- a *loose* label is anything a meeting tool may show as a display name: a
  lower-case name ("sam jones"), a device ("iPhone", "Galaxy S21"), a
  dial-in number. It is accepted only where the same label recurs in the file
  (see `census`), because a one-off "so: ..." is prose.

A label the caller already knows (roster, configured or manifest
interviewers, a label accepted elsewhere in the same file) is accepted
whatever its case. Meeting tools append role and pronoun tags ("Sam Jones
(Host)", "Anna Smith (Guest)", "Kim Lee (she/her)"); `normalise_name` drops
them, so one person keeps one name across transcripts.
"""
from __future__ import annotations

import math
import re

from .timecode import TIMECODE, parse_timecode

# A label longer than this is a sentence ("So the answer was: yes"), not a
# name; "Head of Housing Services" is four. Fixed by the layout, not tuned.
MAX_LABEL_WORDS = 4
# Display names are short; a longer "label" is a sentence that has a colon.
MAX_LOOSE_CHARS = 40

# Interview conventions written in place of names. "R" is the respondent in
# the I:/R: and M:/R: conventions but the researcher in R:/P: (see `roles`).
INTERVIEWER_LABELS = frozenset({"q", "i", "int", "iv", "interviewer", "question", "m", "mod",
                                "moderator", "facilitator", "researcher"})
PARTICIPANT_LABELS = frozenset({"a", "r", "resp", "respondent", "answer", "p", "participant",
                                "interviewee", "ie"})

# Single capitalised words that introduce prose or metadata, not a speaker.
_NOT_SPEAKERS = frozenset("""
note notes nb ps p.s update summary agenda action actions date time location place
subject re topic topics title attendees present absent example warning tip important
edit source link url email e-mail tel phone mobile transcript transcription duration
recording meeting file tags keywords context background comment comments caveat
disclaimer reminder todo decision decisions outcome outcomes result results
conclusion quote translation observation observations status reference references
definition step steps goal goals objective objectives purpose details next
monday tuesday wednesday thursday friday saturday sunday yes no ok okay so but and
also however therefore well then because
""".split())
# Words of running prose. A loose label containing one is a sentence
# ("we met at: ..."), not a display name; name particles are not listed.
_FUNCTION_WORDS = frozenset("""
i me my we us our you your he him his she her they them their it its this that these those
the a an and or but so if then than as at in on to of for with from by about into over after
before is was are were be been being am have has had do does did will would can could should
may might must not no yes there here what which who whom how why where when all some any
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

# Tags Zoom and Teams add after a display name, and the e-mail address some tools put
# there (Zoom's "Anna Smith (anna@example.org)"); they say nothing about who spoke.
_TOOL_TAG = re.compile(
    r"\s*[(\[<](?:host|co-?host|guest|external|organi[sz]er|presenter|attendee|unverified|"
    r"[^\s()\[\]<>@]+@[^\s()\[\]<>@]+\.[^\s()\[\]<>@]+|"
    r"(?:she|he|they|ze|xe|her|him|them)(?:\s*/\s*(?:she|he|they|her|him|them|hers|his|theirs"
    r"|ze|zir|xe|xem))+)[)\]>]\s*$", re.IGNORECASE)

_LABEL_CHARS = re.compile(r"^[\w .,'’&()-]+$")
# Display names may hold emoji and symbols ("Sam 🌻", "Kim ✈"), but not sentence punctuation.
_LOOSE_FORBIDDEN = re.compile(r"[:?!;\"“”<>{}\[\]|\\=]|://|www\.")
_PHONE = re.compile(r"^\+?[\d ()*.-]{6,}$")
_TIMECODE_SUFFIX = re.compile(rf"\s*[\[(]\s*(?P<tc>{TIMECODE})\s*[\])]\s*$")
_PAREN_SUFFIX = re.compile(r"\s*\((?P<inner>[^()]*)\)\s*$")
_COLON = re.compile(r":(?=\s|$)")
# The Q/A convention with a full stop for the colon, "Q. words" / "A1. words". A full stop also ends a
# list's letter ("A. Background"), so `lines` keeps these only where questions and answers both recur.
# In Markdown the label may be bold, the full stop inside or outside: "**Q.** words", "**Q**. words".
_DOTTED_QA = re.compile(r"^(?P<mark>\*\*|__)?(?P<label>(?:Q|A|Question|Answer)(?:\s?\d{1,3})?)"
                        r"(?(mark)(?:\.(?P=mark)|(?P=mark)\.)|\.)\s+(?P<rest>\S.*)$")
# "Q1", "A 2", "Question 3": in the Q/A convention the number counts questions, not people, as the
# number of "Speaker 2" or "P2" does; each question's number would otherwise be a speaker of its own.
# A play script's speaker, in capitals and followed by a full stop: "ANNA. words", "DR ANNA SMITH. words". A full
# stop also ends a sentence in capitals or an acronym ("NHS. They"), so `lines` keeps these only where two
# speakers or more each open two lines or more so; roman numerals ("II. Findings") never count.
_PLAY_LABEL = re.compile(r"^(?P<label>[A-Z][A-Z'’-]+(?: [A-Z][A-Z'’-]*){0,2})\.\s+(?P<rest>\S.*)$")
_ROMAN = re.compile(r"^[IVXLC]+$")
_NUMBERED_QA = re.compile(r"^(?P<word>q|a|question|answer)\s?\d{1,3}$", re.IGNORECASE)
_QUESTION_WORDS = frozenset({"q", "question"})
_BOLD_INSIDE = re.compile(r"^(\*\*|__)(?P<name>[^*_:]+?)\s*:\s*\1\s*(?P<rest>.*)$", re.DOTALL)
_BOLD_OUTSIDE = re.compile(r"^(\*\*|__)(?P<name>[^*_:]+?)\1\s*:\s*(?P<rest>.*)$", re.DOTALL)


def normalise_name(name: str) -> str:
    """Collapse whitespace and drop meeting-tool tags and e-mail addresses: "Anna  Smith (Guest) " -> "Anna Smith".

    Examples
    --------
    >>> normalise_name("Sam Jones (Host)"), normalise_name("Kim Lee (she/her)")
    ('Sam Jones', 'Kim Lee')
    """
    name = " ".join(name.split())
    if not name.endswith((")", "]", ">")):
        return name  # the common case: no tag to drop
    while True:
        stripped = _TOOL_TAG.sub("", name).strip()
        if stripped == name or not stripped:
            return name
        name = stripped


def is_speaker_label(label: str, known: frozenset[str] = frozenset()) -> bool:
    """Whether `label` (the text before a colon) is a strict speaker label, or a known name.

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
    described = _DESCRIPTOR.search(label)
    if described and described.start() > 0 and _is_descriptor(described.group("a") or described.group("b")):
        # "Participant 3 (F, 40s)", "Bea [Finance]", "Cal (Contact centre, team lead)": a focus group's
        # label with who the speaker is in brackets; the name before it decides.
        core = label[:described.start()].strip()
        return is_speaker_label(core, known) and not _DESCRIPTOR.search(core)
    if label.casefold() in _NOT_SPEAKERS or not _LABEL_CHARS.match(label) or _is_date(label):
        return False
    core, parenthetical = _split_parenthetical(label)
    if parenthetical is not None and not _is_name_words(parenthetical.split(), inner=True):
        return False
    if "(" in core or ")" in core or core.count(",") > 1:
        return False
    words = core.replace(",", " ").split()
    return 0 < len(words) <= MAX_LABEL_WORDS and _is_name_words(words)


def is_loose_label(label: str) -> bool:
    """Whether `label` could be a meeting tool's display name, if it recurs.

    Accepts what strict labels refuse for their case or characters ("sam
    jones", "iPhone", "Call-in User_2", "+44 7700 900123", "Sam 🌻"), never
    words that introduce prose, dates, or labels with sentence words or
    sentence punctuation in them.

    Examples
    --------
    >>> is_loose_label("iPhone"), is_loose_label("sam jones"), is_loose_label("we met at")
    (True, True, False)
    """
    label = normalise_name(label)
    if (not label or len(label) > MAX_LOOSE_CHARS or _LOOSE_FORBIDDEN.search(label)
            or any(ord(ch) < 32 for ch in label)):
        return False
    if _PHONE.match(label):
        return sum(ch.isdigit() for ch in label) >= 6
    words = label.casefold().split()
    if not any(ch.isalpha() for ch in label) or len(words) > MAX_LABEL_WORDS:
        return False
    if label.casefold() in _NOT_SPEAKERS or _is_date(label) or label.endswith((".", ",")):
        return False
    return not any(word.strip("'’()") in _FUNCTION_WORDS for word in words)


def split_label(line: str) -> tuple[str, str, float] | None:
    """Split ``Name: words``, ``**Name:** words`` or ``Name (00:01:02): words``, unjudged.

    Returns (label, words, start seconds or NaN), or None when nothing of a
    label's size comes before a colon. Whether the label names a speaker is
    the caller's decision (`is_speaker_label`, `is_loose_label`, `census`).

    Examples
    --------
    >>> split_label("So the answer was: yes")
    ('So the answer was', 'yes', nan)
    >>> split_label("Speaker 1 (00:01:02): Hello")
    ('Speaker 1', 'Hello', 62.0)
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
    name = normalise_name(name)
    if not name or len(name) > 80:
        return None
    return name, rest.strip(), start


def split_speaker_line(line: str, known: frozenset[str] = frozenset()
                       ) -> tuple[str, str, float] | None:
    """`split_label`, kept only when the label is a strict or known speaker label.

    Examples
    --------
    >>> split_speaker_line("**Anna:** We agreed.")
    ('Anna', 'We agreed.', nan)
    >>> split_speaker_line("So the answer was: yes") is None
    True
    """
    split = split_label(line)
    if split is None or not is_speaker_label(split[0], known):
        return None
    return split


def split_dotted_label(line: str) -> tuple[str, str] | None:
    """Split the Q/A convention written with a full stop, ``Q. words`` or ``A1. words``.

    Examples
    --------
    >>> split_dotted_label("Q. How did it go?"), split_dotted_label("**A1.** Cost.")
    (('Q', 'How did it go?'), ('A1', 'Cost.'))
    >>> split_dotted_label("B. Background") is None, split_dotted_label("Q.E.D. it is") is None
    (True, True)
    """
    match = _DOTTED_QA.match(line)
    return (match.group("label"), match.group("rest")) if match else None


def split_play_label(line: str) -> tuple[str, str] | None:
    """Split a play script's ``ANNA. words``: a strict label in capitals, a full stop, the words.

    >>> split_play_label("ANNA. We cut it."), split_play_label("ANNA SMITH. Yes.")
    (('ANNA', 'We cut it.'), ('ANNA SMITH', 'Yes.'))
    >>> split_play_label("II. Findings") is None, split_play_label("OK. So we went.") is None
    (True, True)
    """
    match = _PLAY_LABEL.match(line)
    if match is None or _ROMAN.match(match.group("label")) or not is_speaker_label(match.group("label")):
        return None
    return match.group("label"), match.group("rest")


def question_number(label: str) -> tuple[str, bool] | None:
    """A numbered Q/A label without its number, and whether it is a question's: "Q1" -> ("Q", True).

    None for any other label, numbered or not ("Speaker 2", "P1", "Q").

    Examples
    --------
    >>> question_number("Q1"), question_number("Answer 3"), question_number("P1")
    (('Q', True), ('Answer', False), None)
    """
    match = _NUMBERED_QA.match(normalise_name(label))
    if match is None:
        return None
    word = match.group("word")
    return word, word.casefold() in _QUESTION_WORDS


def strip_timecode_suffix(name: str) -> tuple[str, float]:
    """Split Rev's ``Speaker 1 (00:01:02)`` into the name and its start time."""
    match = _TIMECODE_SUFFIX.search(name)
    if not match or match.start() == 0:
        return name, math.nan
    return name[:match.start()], parse_timecode(match.group("tc"))


def role_tag(name: str) -> str | None:
    """The role a name carries in brackets ("Sam Jones (Interviewer)" -> "interviewer"), if any."""
    _, parenthetical = _split_parenthetical(normalise_name(name))
    if parenthetical is None:
        return None
    tag = parenthetical.strip().casefold()
    return tag if tag in INTERVIEWER_LABELS | PARTICIPANT_LABELS else None


# A description in brackets after a speaker's name: a role, a team, a focus group's demographics.
_DESCRIPTOR = re.compile(r"\s*(?:\((?P<a>[^()\[\]]*)\)|\[(?P<b>[^()\[\]]*)\])\s*$")
_DESCRIPTOR_CHARS = re.compile(r"^[\w .,'’&/+-]+$")
# Words a description may hold besides its own: "Head of Housing", "Finance & Payroll".
_DESCRIPTOR_PARTICLES = frozenset({"of", "and", "for", "the", "in", "at", "&"})
MAX_DESCRIPTOR_WORDS = 6


def without_descriptor(name: str) -> str:
    """`name` without a description of the speaker in brackets after it, or `name` as it is.

    >>> without_descriptor("Participant 3 (F, 40s)"), without_descriptor("Bea [Finance]")
    ('Participant 3', 'Bea')
    """
    described = _DESCRIPTOR.search(name)
    if described and described.start() > 0 and _is_descriptor(described.group("a") or described.group("b")):
        return name[:described.start()].strip()
    return name


def _is_descriptor(inner: str | None) -> bool:
    """Whether bracketed words after a name describe the speaker ("F, 40s", "Housing officer",
    "Contact centre, team lead") rather than open a sentence ("which we run").

    >>> _is_descriptor("F, 40s"), _is_descriptor("Contact centre, team lead"), _is_descriptor("which we run")
    (True, True, False)
    """
    words = (inner or "").replace(",", " ").replace("/", " ").split()
    return (0 < len(words) <= MAX_DESCRIPTOR_WORDS and bool(_DESCRIPTOR_CHARS.match(inner or ""))
            and any(ch.isalpha() for ch in inner or "")
            and not any(word.casefold() in _FUNCTION_WORDS - _DESCRIPTOR_PARTICLES for word in words))


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


# Initials run together, "T.W." or "J.R.R.": a participant named by initials, as anonymised transcripts are.
_INITIALS = re.compile(r"^(?:[^\W\d_]\.){2,4}$")


def _word_allowed(word: str, first: bool) -> bool:
    """Whether `word` may stand in a speaker's name (`first`: as its first word).

    >>> _word_allowed("T.W.", first=True), _word_allowed("J.", first=True), _word_allowed("e.g.", first=True)
    (True, True, False)
    """
    if _INITIALS.match(word):
        return word.isupper()
    stem = word.rstrip(".")
    if word.endswith("."):
        # A full stop only ends an initial ("J.") or a title ("Dr."); elsewhere
        # it ends a sentence, and a sentence is not a name.
        if not (len(stem) == 1 and stem.isalpha()) and stem.casefold() not in _TITLES:
            return False
    if "." in stem or not stem:
        return False
    if any(ch.isdigit() for ch in stem) and any(ch in "-/" for ch in stem):
        return False  # a date ("26-Jun-20", "26/06/2020"), not a name's number ("Speaker 1", "P2")
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

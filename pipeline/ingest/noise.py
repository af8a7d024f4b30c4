"""Remove speech noise from turn text: transcriber markers, non-speech events, timestamps.

Markers such as ``{disfmarker}`` (AMI), ``[inaudible]``, ``(laughs)`` or a
stray ``[00:03:12]`` are not what anyone said; left in, they turn up as
theme keywords. Brackets that hold real words ("[the council]", a
transcriber's clarification) are kept: only brackets that are a timestamp
or name a non-speech event are removed.
"""
from __future__ import annotations

import re

from .timecode import TIMECODE

# Non-speech events transcribers write in brackets, lower case.
_EVENTS = (
    r"inaudible|unintelligible|indistinct|unclear|incomprehensible|crosstalk|cross[- ]talk"
    r"|overlapping(?: speech| talk| voices)?|talking over each other|laugh|laughs|laughter"
    r"|laughing|chuckles?|chuckling|giggles?|giggling|coughs?|coughing|sighs?|sighing"
    r"|clears throat|clearing throat|pause|pauses|long pause|silence|music|noise"
    r"|background noise|applause|beep|static|phone rings|phone ringing|audio cuts out"
    r"|audio drops|gap|vocalsound|disfmarker|interruption|interrupted|foreign language"
    # Focus groups' and agencies' markers: voices over each other, a word the transcriber could not make out,
    # Rev's "[ph]" after a word spelt as it sounded.
    r"|indiscernible|multiple voices|several voices|simultaneous speech|talks? over|talking over|ph"
    # Chat apps' mark after a message changed after it was sent (Slack, Discord): not what was written.
    r"|edited"
)
# The event opens the bracket ("(laughs nervously)", "[inaudible 00:03:12]"),
# or closes it after one word ("(Anna laughs)", "(both laugh)"), so
# "(council's music programme)" is kept.
_EVENT_RE = re.compile(
    rf"^\s*(?:{_EVENTS})(?![\w-])|^\s*[\w'’-]+\s+(?:{_EVENTS})\s*$", re.IGNORECASE)

_BRACED = re.compile(r"\{[^{}]*\}")  # AMI-style markers; never speech
_BRACKETED = re.compile(r"[\[(]([^\[\]()\n]{1,80})[\])]")
_STARRED = re.compile(rf"\*\s*(?:{_EVENTS})\s*\*", re.IGNORECASE)
_TIMESTAMP_ONLY = re.compile(
    rf"^\s*(?:at\s+)?{TIMECODE}(?:\s*(?:-|–|-->)\s*{TIMECODE})?\s*$", re.IGNORECASE)
# Bare hh:mm:ss: a clock time in speech rarely has seconds; an inline
# timestamp always does. "at 10:30" therefore survives.
_BARE_TIMESTAMP = re.compile(r"(?<![\w:])\d{1,2}:\d{2}:\d{2}(?:[.,]\d{1,3})?(?![\w:])")
_F4_TIMESTAMP = re.compile(r"#\d{1,2}:\d{2}:\d{2}(?:[.-]\d+)?#")  # f4/f5 transcription
_ARROW = re.compile(r"\s*-->\s*")
_SPACE = re.compile(r"\s+")
_SPACE_BEFORE_PUNCT = re.compile(r"\s+([,.;:!?])")
# How many words a bracket may hold and still be an event label, e.g.
# "(laughs nervously)", "[inaudible 00:03:12]", "[phone rings loudly]".
_MAX_EVENT_WORDS = 4


def clean_text(text: str) -> str:
    """Remove markers, events and timestamps; collapse whitespace.

    Examples
    --------
    >>> clean_text("Okay {vocalsound} so (laughs) we [inaudible 00:03:12] agreed .")
    'Okay so we agreed.'
    """
    while _BRACED.search(text):  # a loop, for nested "{a {b} c}"
        text = _BRACED.sub(" ", text)
    text = _F4_TIMESTAMP.sub(" ", text)
    text = _STARRED.sub(" ", text)
    text = _BRACKETED.sub(_drop_if_noise, text)
    text = _BARE_TIMESTAMP.sub(" ", text)
    text = _ARROW.sub(" ", text) if "-->" in text else text
    text = _SPACE.sub(" ", text).strip()
    return _SPACE_BEFORE_PUNCT.sub(r"\1", text)


def is_empty(text: str) -> bool:
    """True when nothing was said: no letter or digit is left (".", "-", "")."""
    return not any(ch.isalnum() for ch in text)


def is_event(inside: str) -> bool:
    """Whether bracketed text names a non-speech event ("laughs", "Music", "inaudible 00:03:12").

    Parsers use it so that ``[Music]`` or ``(laughs)`` alone on a line is
    never taken for a speaker's name.

    Examples
    --------
    >>> is_event("Laughter"), is_event("Anna Smith")
    (True, False)
    """
    return bool(len(inside.split()) <= _MAX_EVENT_WORDS and _EVENT_RE.match(inside))


def _drop_if_noise(match: re.Match[str]) -> str:
    inside = match.group(1)
    if _TIMESTAMP_ONLY.match(inside) or is_event(inside):
        return " "
    return match.group(0)

"""Lines that transcription tools add to an export, which nobody said.

Left in, they end up inside the last speaker's turn, and so in a quote:

- Otter's footer ``Transcribed by https://otter.ai``;
- Teams' ``Sam Jones started transcription`` / ``... stopped transcription``;
- Google Meet's ``Transcription ended after 00:30:30`` (``Meeting ended
  after ...`` in older exports) and its disclaimer ``This editable transcript
  was computer generated and might contain errors. People can also change the
  text after it was created.``;
- a transcription agency's confidentiality footer, ``Clearword Transcription
  Ltd - Strictly confidential - do not forward``: a line of short parts
  joined by dashes or bars, one of them a confidentiality notice (on a PDF of
  one page there is no second page to show it is a running footer);
- the notes that "Notes by Gemini" puts before the transcript: when a document
  has Gemini's ``📝 Notes`` and ``📖 Transcript`` headings, only what follows
  the second is read, because the notes' ``Topic: summary`` bullets look like
  speaker lines.

Each pattern must match the whole line, so speech that mentions transcription
is never dropped.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TypeVar

from .labels import is_loose_label

Item = TypeVar("Item")

_BOILERPLATE = [re.compile(pattern, re.IGNORECASE) for pattern in (
    r"^transcribed by\s+(?:https?://)?(?:www\.)?otter\.ai/?\s*$",
    r"^(?:transcription|meeting|recording)\s+ended\s+after\s+\d[\d:.hms ]*\S*$",
    r"^this editable transcript was computer generated\b.*$",
    r"^people can also change the text after it was created\.?$",
    r"^you should review gemini'?s notes\b.*$",
)]
# Teams names the person who started or stopped it; the name must look like one.
_TRANSCRIPTION_EVENT = re.compile(
    r"^(?P<name>.+?)\s+(?:has\s+)?(?:started|stopped)\s+transcription\.?$", re.IGNORECASE)
# A confidentiality notice, the whole of a footer's part: "Strictly confidential", "Do not forward".
_NOTICE = re.compile(r"^(?:(?:strictly|private and|commercial in)\s+)?confidential(?:ity notice)?"
                     r"|^(?:please\s+)?do not (?:forward|distribute|copy|share|circulate)(?: without permission)?"
                     r"|^not for (?:distribution|circulation|publication)$", re.IGNORECASE)
_FOOTER_PARTS = re.compile(r"\s+[-–—|·•]\s+")
_FOOTER_PART_WORDS = 6  # a footer's parts are short: a company, a notice, a page
_DECORATION = re.compile(r"^[\s*_#>•]*|[\s*_]*$")  # Markdown emphasis or a heading around it
_NOTES_HEADING = re.compile(r"^\W*notes\s*$", re.IGNORECASE)
_TRANSCRIPT_HEADING = re.compile(r"^\W*transcript\s*$", re.IGNORECASE)
_GEMINI_NOTES = "📝"
_GEMINI_TRANSCRIPT = "📖"


def is_boilerplate(line: str) -> bool:
    """Whether `line` is an export tool's own line, not speech.

    Examples
    --------
    >>> is_boilerplate("Transcribed by https://otter.ai")
    True
    >>> is_boilerplate("Sam Jones stopped transcription")
    True
    >>> is_boilerplate("We stopped transcription of the minutes in May because nobody read them.")
    False
    """
    text = _DECORATION.sub("", line.strip())
    event = _TRANSCRIPTION_EVENT.match(text)
    if event and is_loose_label(event.group("name")):
        return True
    return any(pattern.match(text) for pattern in _BOILERPLATE) or _is_confidentiality_footer(text)


def _is_confidentiality_footer(text: str) -> bool:
    """Whether `text` is a footer of short parts, one of them a confidentiality notice.

    >>> _is_confidentiality_footer("Clearword Transcription Ltd - Strictly confidential - do not forward")
    True
    >>> _is_confidentiality_footer("Confidential")
    True
    >>> _is_confidentiality_footer("Confidential, she said, and then she told the whole office anyway.")
    False
    >>> _is_confidentiality_footer("It was strictly confidential - nobody was told - not even the board.")
    False
    """
    parts = [part.strip(" .") for part in _FOOTER_PARTS.split(text)]
    return (all(len(part.split()) <= _FOOTER_PART_WORDS for part in parts)
            and any(_NOTICE.match(part) and len(part.split()) <= 5 for part in parts)
            and not any(part.endswith(("?", "!")) for part in parts))


def transcript_part(items: Sequence[Item]) -> list[Item]:
    """`items` from the transcript heading on, when Gemini notes come first; else all of them.

    Only strings are inspected; other items (turns from a table) pass through.
    """
    notes = transcript = None
    for index, item in enumerate(items):
        if not isinstance(item, str):
            continue
        text = item.strip()
        if (notes is None and _GEMINI_NOTES in text
                and _NOTES_HEADING.match(text.replace(_GEMINI_NOTES, ""))):
            notes = index
        elif (notes is not None and _GEMINI_TRANSCRIPT in text
              and _TRANSCRIPT_HEADING.match(text.replace(_GEMINI_TRANSCRIPT, ""))):
            transcript = index
            break
    if transcript is None:
        return list(items)
    return list(items[transcript + 1:])

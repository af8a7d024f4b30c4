"""Recognise a file that is not what its extension says, from its first bytes.

A recording named ``.txt``, a PDF named ``.docx`` or a Word file named
``.vtt`` would otherwise be refused as "binary" or "damaged", which sends the
user looking in the wrong place. Naming the real format says what to do.
"""
from __future__ import annotations

import re

_HTML = re.compile(rb"^(?:\xef\xbb\xbf)?\s*<(?:!doctype\s+html|html)[\s>]", re.IGNORECASE)
_SIGNATURES: list[tuple[bytes, str]] = [
    (b"%PDF-", "a PDF document"),
    (b"{\\rtf", "an RTF document"),
    (b"PK\x03\x04", "a zip package (a Word .docx, an Excel .xlsx or a zip archive)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an Office 97-2003 document"),
    (b"\x89PNG", "an image"), (b"\xff\xd8\xff", "an image"), (b"GIF8", "an image"),
    (b"ID3", "an audio recording"), (b"OggS", "an audio recording"),
    (b"fLaC", "an audio recording"),
    (b"\x1aE\xdf\xa3", "a video recording"),
]


def foreign_format(data: bytes) -> str | None:
    """A description of the file's real format when it is a known non-text one, else None.

    Examples
    --------
    >>> foreign_format(b"%PDF-1.7 ..."), foreign_format(b"WEBVTT")
    ('a PDF document', None)
    """
    for signature, description in _SIGNATURES:
        if data.startswith(signature):
            return description
    if data[4:8] == b"ftyp":
        return "an audio or video recording"
    if data.startswith(b"RIFF") and data[8:12] in (b"WAVE", b"AVI "):
        return "an audio or video recording"
    if _HTML.match(data[:512]):
        return "an HTML web page"
    return None


def hint_for(description: str) -> str:
    """What to do with a file of the format `foreign_format` found."""
    if "recording" in description or "image" in description:
        return "transcribe it first, or move it out of INPUT"
    if description.startswith("a zip package"):
        return "rename it to its real extension (.docx if it is a Word document, .odt if an OpenDocument one)"
    if description == "a PDF document":
        return "rename it to .pdf, which is read"
    return "open it in Word and save it as .docx or .txt"

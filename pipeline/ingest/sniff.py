"""Recognise a file that is not what its extension says, from its first bytes.

A recording named ``.txt``, a PDF named ``.docx`` or a Word file named
``.vtt`` would otherwise be refused as "binary" or "damaged", which sends the
user looking in the wrong place. Naming the real format says what to do, and
where the real format is one that is read (a PDF, an RTF document, a Word
document, an Excel workbook), the hint is to give the file its own extension.

A zip package is told apart by the parts its index lists, read without
unpacking any (a Word document has ``word/document.xml``, an Excel workbook
``xl/workbook.xml``); a zip whose index cannot be read, or that holds neither,
is only "a zip package".
"""
from __future__ import annotations

import io
import re
import zipfile

ZIP_PACKAGE = "a zip package (a Word .docx, an Excel .xlsx or a zip archive)"
WORD_DOCUMENT = "a Word document"
EXCEL_WORKBOOK = "an Excel workbook"
HTML_PAGE = "an HTML web page"
_ZIP_MAGIC = b"PK\x03\x04"
_RTF = re.compile(rb"^(?:\xef\xbb\xbf)?\s*\{\\rtf")  # as `rtf_reader` reads it: after a BOM or blank lines too
_HTML = re.compile(rb"^(?:\xef\xbb\xbf)?\s*<(?:!doctype\s+html|html)[\s>]", re.IGNORECASE)
_SIGNATURES: list[tuple[bytes, str]] = [
    (b"%PDF-", "a PDF document"),
    (_ZIP_MAGIC, ZIP_PACKAGE),
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
            return _package_format(data) if signature == _ZIP_MAGIC else description
    if data[4:8] == b"ftyp":
        return "an audio or video recording"
    if data.startswith(b"RIFF") and data[8:12] in (b"WAVE", b"AVI "):
        return "an audio or video recording"
    if _RTF.match(data[:64]):
        return "an RTF document"
    if _HTML.match(data[:512]):
        return HTML_PAGE
    return None


def is_rtf(data: bytes) -> bool:
    r"""Whether the bytes start as an RTF document does (``{\rtf``, after a BOM or blank lines too).

    Word, WordPad and many tools' "export to Word" save RTF under a ``.doc`` name.

    >>> is_rtf(b"{\\rtf1\\ansi Sam: Why?}"), is_rtf(b"%PDF-1.7")
    (True, False)
    """
    return bool(_RTF.match(data[:64]))


# A web page as tools' "export to Word" save it under ``.doc`` (Word's own "Web Page", Google Docs', many web
# apps'): the page's first tag, after a BOM, an XML declaration or comments.
_HTML_DOC = re.compile(rb"^(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*"
                       rb"<(?:!doctype\s+html|html|head|meta|body)[\s>/]", re.IGNORECASE | re.DOTALL)


def is_html(data: bytes) -> bool:
    """Whether the bytes start as a web page does (``<html``, ``<!DOCTYPE html``, ``<head>``, ``<meta``...).

    Many tools' "export to Word" write HTML under a ``.doc`` name, as Word's "Web Page" does.

    >>> is_html(b'<html xmlns:o="urn:schemas-microsoft-com:office:office"><body>'), is_html(b"{\\rtf1")
    (True, False)
    """
    return bool(_HTML_DOC.match(data[:2048]))


def is_word_package(data: bytes) -> bool:
    """Whether the bytes are a Word .docx package (a zip whose index lists ``word/document.xml``).

    >>> is_word_package(b"PK\\x03\\x04 damaged"), is_word_package(b"%PDF-1.7")
    (False, False)
    """
    return data.startswith(_ZIP_MAGIC) and _package_format(data) == WORD_DOCUMENT


def _package_format(data: bytes) -> str:
    """What a zip package holds, from the part names in its index (nothing is unpacked)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        return ZIP_PACKAGE
    if "word/document.xml" in names:
        return WORD_DOCUMENT
    if "xl/workbook.xml" in names:
        return EXCEL_WORKBOOK
    return ZIP_PACKAGE


# The formats that are read under their own extension: the hint is to rename the file.
_READ_AS = {"a PDF document": ".pdf", "an RTF document": ".rtf", WORD_DOCUMENT: ".docx", EXCEL_WORKBOOK: ".xlsx",
            HTML_PAGE: ".html"}


def hint_for(description: str) -> str:
    """What to do with a file of the format `foreign_format` found.

    Examples
    --------
    >>> hint_for("an RTF document")
    'rename it to .rtf, which is read'
    """
    if "recording" in description or "image" in description:
        return "transcribe it first, or move it out of INPUT"
    if description in _READ_AS:
        return f"rename it to {_READ_AS[description]}, which is read"
    if description == ZIP_PACKAGE:
        return ("rename it to its real extension (.docx if it is a Word document, .xlsx if an Excel workbook, "
                ".odt if an OpenDocument one)")
    return "open it in Word and save it as .docx or .txt"

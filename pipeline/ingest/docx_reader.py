"""Word (.docx) transcripts: paragraphs in the line layouts, and speaker/text tables.

The body is read in document order. Paragraph text goes through the same
line parser as a .txt file (a soft line break inside a paragraph is a line
break); heading and title paragraphs are skipped, as in Markdown. A table
whose header row names a speaker column and a text column (``Speaker | Text``,
optionally ``Time``) gives one turn per row; any other table is read cell by
cell as lines, since some transcripts are typed into a one-column table.

Damaged files are told apart before python-docx sees them, because the fix
differs: a password-protected file is an encrypted OLE container, an old
Word 97-2003 file is an unencrypted one, anything else is not a Word file.
"""
from __future__ import annotations

import io
import math
import zipfile

import docx

from pipeline.errors import InputFileError

from .labels import normalise_name
from .lines import parse_lines
from .records import ParsedTurn, ParseOptions
from .text import NO_TURNS_HINT
from .timecode import parse_start

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")

_SPEAKER_HEADERS = {"speaker", "name", "who", "person", "speaker name"}
_TEXT_HEADERS = {"text", "words", "transcript", "utterance", "content", "speech",
                 "what was said", "said", "response", "statement", "dialogue"}
_TIME_HEADERS = {"time", "timestamp", "start", "start time", "timecode"}
_SKIPPED_STYLES = ("heading", "title", "subtitle")


def parse_docx(data: bytes, options: ParseOptions) -> list[ParsedTurn]:
    """Turns of a .docx transcript; raises `InputFileError` for damaged or empty files."""
    _check_container(data, options.name)
    try:
        document = docx.Document(io.BytesIO(data))
        items = list(_body_items(document))
    except Exception as exc:  # python-docx raises a dozen types on a damaged package
        raise InputFileError(
            f"the .docx file is damaged and cannot be read ({type(exc).__name__})",
            "open it in Word, check it, and save it again as .docx", path=options.name,
        ) from None
    turns = parse_lines(items, options.known_speakers, options.name)
    if not turns:
        raise InputFileError("no speaker turns found", NO_TURNS_HINT
                             + ", or use a table with 'Speaker' and 'Text' columns",
                             path=options.name)
    return turns


def _check_container(data: bytes, name: str) -> None:
    if not data:
        raise InputFileError("the file is empty", "export the transcript again", path=name)
    if data.startswith(_OLE_MAGIC):
        if _ENCRYPTED_STREAM in data:
            raise InputFileError(
                "the .docx file is password-protected",
                "remove the password in Word (File > Info > Protect Document > Encrypt with "
                "Password, clear it) and save again", path=name)
        raise InputFileError("the file is an old Word 97-2003 document with a .docx name",
                             "open it in Word and save it as .docx", path=name)
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise InputFileError("the file is not a Word .docx document (not a zip package)",
                             "open it in Word and save it as .docx", path=name)


def _body_items(document) -> list[str | ParsedTurn]:
    """Lines and table turns of the body, in document order."""
    items: list[str | ParsedTurn] = []
    for block in document.iter_inner_content():
        if hasattr(block, "rows"):
            items.extend(_table_items(block))
            continue
        style = (block.style.name if block.style is not None else "") or ""
        if style.casefold().startswith(_SKIPPED_STYLES):
            continue
        items.extend(block.text.split("\n"))
    return items


def _table_items(table) -> list[str | ParsedTurn]:
    rows = [_unique_cells(row) for row in table.rows]
    if not rows:
        return []
    header = [normalise_name(cell.text).casefold() for cell in rows[0]]
    speaker_col = _find(header, _SPEAKER_HEADERS)
    text_col = _find(header, _TEXT_HEADERS)
    if speaker_col is None or text_col is None:
        # Not a speaker table: its cells are lines like any paragraph.
        return [line for row in rows for cell in row for line in cell.text.split("\n")]
    time_col = _find(header, _TIME_HEADERS)
    turns: list[ParsedTurn] = []
    for row in rows[1:]:
        if max(speaker_col, text_col) >= len(row):
            continue
        speaker = normalise_name(row[speaker_col].text)
        words = " ".join(row[text_col].text.split())
        if not speaker:
            # An empty speaker cell means the previous speaker goes on.
            if turns:
                turns[-1].text = f"{turns[-1].text} {words}"
            continue
        start = math.nan
        if time_col is not None and time_col < len(row):
            start = parse_start(row[time_col].text)
        turns.append(ParsedTurn(speaker, words, start))
    return list(turns)


def _unique_cells(row) -> list:
    # A horizontally merged cell is returned once per grid column it spans.
    cells: list = []
    for cell in row.cells:
        if not cells or cell._tc is not cells[-1]._tc:
            cells.append(cell)
    return cells


def _find(header: list[str], names: set[str]) -> int | None:
    return next((index for index, value in enumerate(header) if value in names), None)

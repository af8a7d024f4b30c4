"""Excel workbooks (.xlsx, .xlsm): each sheet's table read by the .csv reader's row logic.

Ticket queues, Microsoft Forms and survey exports and hand-typed interview
logs arrive as workbooks. Each sheet that holds a table is written out as
the text of a .csv file and handed to `rows.parse_csv`, so a sheet's
columns mean what they mean in a .csv (``text``, ``Description``,
``Response``, ``Submitted By``, ``Department``...), a Forms export with one
column per question is read as one, and ticket rows become one conversation
per requester, exactly as they would from the sheet saved as .csv.

What a workbook adds, and what is done with it:

- Sheets. Every visible worksheet is tried, in the workbook's order (a
  chart sheet holds no cells and is passed over). Hidden sheets (lookup
  lists, a form's settings) are skipped, as is a sheet with no table or
  whose table the .csv reader refuses (no text column and no answer
  columns); each skip is logged with the file and the sheet's position
  ("sheet 2 of 3"), never its name or cells, since either may hold a
  person's name: a warning for a table left unread, a note for a hidden or
  empty sheet. The file fails only when no sheet is read, with each
  sheet's reason.
  One sheet read: its rows are the file's, as a .csv's would be. Several:
  each sheet is a conversation of its own (``<file>#sheet<k>``), unless its
  rows name their conversation; a requester's or respondent's conversation
  becomes ``<file>#sheet<k>#<n>``, so one sheet's people never merge with
  another's.
- The header row need not be row 1: exports put a title, a date or a filter
  line above it. The header is the first row of the first
  `_HEADER_SEARCH_ROWS` that fills at least half the table's width (two
  cells or more) and names a text column; failing that, the first such row
  without figures (a survey's questions). Rows above it are dropped, and a
  row's ``turn`` counts from the row below the header, as in a .csv.
- Merged cells. A merged range keeps its value in its top-left cell, as
  Excel shows it. Where the range runs down a column naming who spoke, the
  team, the conversation, the role or the time (a speaker merged over the
  rows of her answer), every row it covers gets the value, so no row loses
  its speaker. In any other column (the words) it stays in the first row:
  copying would repeat one answer as several quotes.
- Values are read as Excel last saved them (``data_only``): a formula gives
  its cached result, and one never calculated (a file written by a script)
  is empty. Numbers and dates become text as a spreadsheet shows them:
  ``3`` not ``3.0``, ``25%``, ``2024-03-01 10:02``, a time ``00:01:02``,
  which a ``start`` column reads as 62 seconds (a time shown without
  seconds, ``1:02``, as it is shown, so it reads as the same sheet saved
  as .csv does). Error cells (``#N/A``) are empty. Header cells are joined
  onto one line (a question wrapped with Alt+Enter) and lose any ``;`` or
  ``|``, so the header reads as the .csv reader expects it.
- Hidden rows and columns are read: read-only mode does not say which are
  hidden, and a filter hides rows from view, not from the data.

What cannot be read gets a reason naming the file and what to do: a
password-protected workbook (an encrypted OLE file, not a zip), an old
Excel 97-2003 workbook renamed .xlsx, a damaged one, or one whose parts
unpack to more than ``ingest.max_file_mb`` (a zip bomb is refused before
openpyxl unpacks anything). The workbook is read from memory in
openpyxl's read-only mode, which streams each sheet instead of building it.
"""
from __future__ import annotations

import csv
import datetime
import io
import logging
import math
import re
import warnings
import zipfile
from collections.abc import Iterable
from xml.etree import ElementTree

import openpyxl
from openpyxl.utils.cell import range_boundaries

from pipeline import schema
from pipeline.errors import InputFileError

from .records import ParsedTurn, ParseOptions
from .rows import COLUMN_ALIASES, SUBMITTER, canonical_columns, column_key, parse_csv
from .sniff import WORD_DOCUMENT, foreign_format, hint_for

logger = logging.getLogger(__name__)

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# An encrypted Office file is an OLE container holding the real package in this stream.
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
_RESAVE = "open it in Excel, save it again as an Excel Workbook (.xlsx), or export the sheet as .csv"
# How far down a sheet the header row is looked for: a title, a date and a filter line at most, with room to spare.
_HEADER_SEARCH_ROWS = 20
_TEXT_NAMES = frozenset(column_key(name) for name in (schema.TEXT, *COLUMN_ALIASES[schema.TEXT]))
# Columns whose value a merged range gives to every row it covers: they say who, where or when, not what.
_LABEL_COLUMNS = frozenset({schema.SPEAKER, SUBMITTER, schema.TEAM, schema.TRANSCRIPT_ID, schema.ROLE, schema.START})
# Excel writes a carriage return inside a cell as "_x000D_"; openpyxl leaves such escapes as they are.
_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
# Control characters no cell of a transcript holds (the .csv reader refuses a file with them); tab and newline stay.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
# Characters the .csv reader might take for a delimiter, which a header cell must not hold (`_header_cell`).
_HEADER_DELIMITERS = re.compile(r"[;|\t]")
_HIDDEN = "a hidden sheet"
_EMPTY = "it is empty"
_DAMAGED = "it is damaged and cannot be read"


def parse_xlsx(data: bytes, options: ParseOptions) -> list[ParsedTurn]:
    """Turns of a workbook's sheets; raises `InputFileError` when none can be read.

    Examples
    --------
    >>> import io, openpyxl
    >>> book = openpyxl.Workbook()
    >>> for row in (["Ticket export, March"], [], ["Submitted By", "Description"], ["Ana", "The lift is broken."]):
    ...     book.active.append(row)
    >>> buffer = io.BytesIO(); book.save(buffer)
    >>> [(t.transcript_id, t.speaker, t.text) for t in parse_xlsx(buffer.getvalue(), ParseOptions("q.xlsx"))]
    [('q.xlsx#1', 'Ana', 'The lift is broken.')]
    """
    _check_container(data, options)
    read: list[tuple[int, list[ParsedTurn]]] = []
    skipped: list[str] = []
    with warnings.catch_warnings():
        # openpyxl warns about styles and extensions it ignores, and names cells in some warnings.
        warnings.simplefilter("ignore")
        book = _open(data, options.name)
        try:
            sheets = list(book.worksheets)
            total = len(book.sheetnames)
            for sheet in sheets:
                position = book.sheetnames.index(sheet.title) + 1
                where = f"sheet {position} of {total}"
                why_not, turns = _read_sheet(sheet, where, options)
                if turns:
                    read.append((position, turns))
                else:
                    skipped.append(f"{where}: {why_not}")
                    # A hidden or empty sheet (Excel's spare "Sheet2") is no news; a table left unread is.
                    quiet = why_not in (_HIDDEN, _EMPTY)
                    logger.log(logging.INFO if quiet else logging.WARNING, "%s: %s skipped: %s", options.name,
                               where, why_not)
        finally:
            book.close()
    if not read:
        hint = ("put a header row above the rows, with the words in a column named 'text' (or Description, "
                "Response, Comment...), or export the sheet as .csv")
        raise InputFileError("no sheet holds a table of turns (" + "; ".join(skipped or ["the workbook has no "
                             "worksheet"]) + ")", _RESAVE if any(_DAMAGED in why for why in skipped) else hint,
                             path=options.name)
    if len(read) == 1:
        return read[0][1]
    return [turn for position, turns in read for turn in _own_conversations(turns, options.name, position)]


def _own_conversations(turns: list[ParsedTurn], name: str, position: int) -> list[ParsedTurn]:
    """The turns of sheet `position` in conversations of their own, where the rows did not name one.

    The row logic names the conversations it makes ``<name>#<n>`` (one per
    requester or respondent), counting from 1 in each sheet: a sheet's prefix
    keeps sheet 1's first requester apart from sheet 2's.
    """
    own = f"{name}#sheet{position}"
    for turn in turns:
        if turn.transcript_id is None:
            turn.transcript_id = own
        elif turn.transcript_id.startswith(f"{name}#"):
            turn.transcript_id = own + turn.transcript_id[len(name):]
    return turns


def _read_sheet(sheet, where: str, options: ParseOptions) -> tuple[str, list[ParsedTurn]]:
    """(why the sheet is not read, its turns): one of the two is empty. `where` names the sheet in the log."""
    if sheet.sheet_state != "visible":
        return _HIDDEN, []
    sheet.reset_dimensions()  # a saved dimension may be wrong, or claim a million empty rows to pad
    try:
        grid = [[_cell_text(cell) for cell in row] for row in sheet.iter_rows()]
        merged = _merged_ranges(sheet)
    except Exception as error:  # openpyxl's XML parsers raise their own errors on a damaged part
        logger.debug("%s: %s: %s while streaming", options.name, where, type(error).__name__)
        return _DAMAGED, []
    header_at = _header_row(grid)
    if header_at is None:
        empty = not any(any(row) for row in grid)
        return (_EMPTY if empty else f"no header row in its first {_HEADER_SEARCH_ROWS} rows"), []
    _spread_merged(grid, merged, header_at)
    table = [[_header_cell(cell) for cell in grid[header_at]], *grid[header_at + 1:]]
    try:
        turns = parse_csv(_as_csv(table), options)
    except InputFileError as error:
        return error.message.replace("the file", "the sheet"), []  # "the sheet has no rows"
    logger.info("%s: %s read, its header on row %d", options.name, where, header_at + 1)
    return "", turns


def _header_row(grid: list[list[str]]) -> int | None:
    """The index of the header row among the first `_HEADER_SEARCH_ROWS` rows, or None.

    A title ("Ticket export, March") fills one cell of a wider table, so a
    header must fill half the width (two cells at least, unless the table is
    one column). Among those, the first naming a text column wins; else the
    first holding no number or date, since data rows usually hold some.

    Examples
    --------
    >>> _header_row([["Feedback"], [], ["Name", "Comment", "Date"], ["Ana", "Too slow.", "2024-03-01"]])
    2
    >>> _header_row([["Q1", "Q2"], ["Yes, often.", "No."]])
    0
    """
    top = grid[:_HEADER_SEARCH_ROWS]
    width = max((_filled(row) for row in top), default=0)
    if width == 0:
        return None
    needed = 1 if width == 1 else max(2, math.ceil(width / 2))
    candidates = [index for index, row in enumerate(top) if _filled(row) >= needed]
    naming_text = [index for index in candidates if _TEXT_NAMES & {column_key(cell) for cell in top[index]}]
    if naming_text:
        return naming_text[0]
    return next((index for index in candidates if not any(_looks_like_data(cell) for cell in top[index])),
                None)


def _filled(row: list[str]) -> int:
    return sum(bool(cell.strip()) for cell in row)


_DATA_CELL = re.compile(r"^[\d\s.,:%/+\-]+$")


def _looks_like_data(cell: str) -> bool:
    """A cell of numbers, a date or a time: never a column name."""
    return bool(cell.strip()) and bool(_DATA_CELL.match(cell))


def _merged_ranges(sheet) -> list[tuple[int, int, int, int]]:
    """(min column, min row, max column, max row) of each merged range, 1-based.

    openpyxl's read-only sheets do not keep the list, which stands after the
    rows in the sheet's XML, so the part is streamed once more for it.
    """
    ranges = []
    with sheet._get_source() as source:  # the sheet's XML part; read-only sheets have no public accessor
        for _event, element in ElementTree.iterparse(source):
            if element.tag.endswith("}mergeCell") and element.get("ref"):
                try:
                    ranges.append(range_boundaries(element.get("ref")))
                except (ValueError, TypeError):
                    pass  # a malformed range merges nothing
            element.clear()
    return ranges


def _spread_merged(grid: list[list[str]], merged: Iterable[tuple[int, int, int, int]], header_at: int) -> None:
    """Give a merged range's value to every row it covers, in the label columns below the header."""
    header = canonical_columns([_header_cell(cell).casefold() for cell in grid[header_at]], COLUMN_ALIASES)
    for min_col, min_row, _max_col, max_row in merged:
        column, first = min_col - 1, min_row - 1
        if first <= header_at or max_row == min_row or column >= len(header) or header[column] not in _LABEL_COLUMNS:
            continue
        if first >= len(grid) or column >= len(grid[first]):
            continue
        value = grid[first][column]
        for index in range(first + 1, min(max_row, len(grid))):
            row = grid[index]
            row.extend([""] * (column + 1 - len(row)))
            row[column] = row[column] or value


def _header_cell(cell: str) -> str:
    """A header cell on one line and without a character the .csv reader may take for a delimiter.

    Column names are matched only by `rows.column_key`, which folds spaces;
    a semicolon in a survey's question would make the .csv reader split the
    header at it.
    """
    return " ".join(_HEADER_DELIMITERS.sub(" ", cell).split())


def _as_csv(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _cell_text(cell) -> str:
    """A cell's value as a spreadsheet shows it; "" for an empty or error cell."""
    value = cell.value
    if value is None or getattr(cell, "data_type", None) == "e":
        return ""
    if isinstance(value, str):
        text = _ESCAPE.sub(lambda match: chr(int(match.group(1), 16)), value)
        return _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        return _number_text(value, _number_format(cell))
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="seconds" if value.second else "minutes")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, datetime.time):
        if "s" not in _number_format(cell).casefold():
            # Typed "1:02", Excel stores one hour two minutes and shows "1:02" (h:mm); a .csv export says
            # "1:02", which the start column reads as 62 seconds. Shown as typed, it reads the same here.
            return f"{value.hour}:{value.minute:02d}"
        return value.isoformat(timespec="seconds")
    if isinstance(value, datetime.timedelta):
        seconds = int(value.total_seconds())
        return f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"
    return str(value)


def _number_format(cell) -> str:
    """The cell's number format ("General", "0%", "h:mm"); "General" when it has none."""
    return getattr(cell, "number_format", None) or "General"


def _number_text(value: int | float, number_format: str) -> str:
    """A number as Excel's General format shows it (no ".0", no float noise); a percentage with its sign.

    Examples
    --------
    >>> _number_text(3.0, "General"), _number_text(0.1 + 0.2, "General"), _number_text(0.25, "0%")
    ('3', '0.3', '25%')
    """
    if isinstance(value, float) and not math.isfinite(value):
        return ""
    percent = "%" in number_format
    number = value * 100 if percent else value
    if isinstance(number, float) and number.is_integer() and abs(number) < 1e15:
        number = int(number)
    text = str(number) if isinstance(number, int) else f"{number:.15g}"
    return text + "%" if percent else text


def _open(data: bytes, name: str):
    try:
        return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
    except Exception:  # openpyxl raises what its parsers raise (KeyError, ValueError, TypeError...) on a bad part
        raise InputFileError("the workbook is damaged and cannot be read", _RESAVE, path=name) from None


def _check_container(data: bytes, options: ParseOptions) -> None:
    """Refuse what is not a workbook openpyxl can open, and a zip bomb, before openpyxl unpacks anything."""
    name = options.name
    if not data:
        raise InputFileError("the file is empty", "export the workbook again", path=name)
    if data.startswith(_OLE_MAGIC):
        if _ENCRYPTED_STREAM in data:
            raise InputFileError("the workbook is password-protected (encrypted)",
                                 "open it in Excel with its password, clear the password under File > Info > "
                                 "Protect Workbook > Encrypt with Password and save it as .xlsx, or export the "
                                 "sheet as .csv",
                                 path=name)
        raise InputFileError("the file is an old Excel 97-2003 workbook (.xls) with an .xlsx name",
                             "open it in Excel and save it as an Excel Workbook (.xlsx), or export the sheet as .csv",
                             path=name)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        real_format = foreign_format(data)
        if real_format is not None and not real_format.startswith("a zip"):
            raise InputFileError(f"the file is {real_format}, not an Excel workbook", hint_for(real_format),
                                 path=name) from None
        if data.startswith(b"PK"):
            raise InputFileError("the workbook is damaged or incomplete (its zip index cannot be read)",
                                 "copy or export it again (the copy may have been cut short), or " + _RESAVE,
                                 path=name) from None
        raise InputFileError("the file is not an Excel workbook (not a zip package)",
                             "if it is a table saved as text, rename it to .csv; else " + _RESAVE,
                             path=name) from None
    with archive:
        members = archive.infolist()
        names = {member.filename for member in members}
        if "xl/workbook.xml" not in names and not any(n.endswith("/workbook.xml") for n in names):
            if "word/document.xml" in names:  # a Word document is read under its own name, as `sniff` says
                raise InputFileError(f"the file is {WORD_DOCUMENT}, not an Excel workbook", hint_for(WORD_DOCUMENT),
                                     path=name)
            what = "a PowerPoint presentation" if "ppt/presentation.xml" in names else "a zip archive"
            raise InputFileError(f"the file is {what}, not an Excel workbook",
                                 "give it its real extension, or save the table from Excel as .xlsx", path=name)
        # zipfile never reads past a member's declared size, so the declared sizes are what may be unpacked.
        biggest = max((member.file_size for member in members), default=0)
        if biggest > options.max_bytes:
            raise InputFileError(
                f"the workbook unpacks to more than {options.max_bytes / 1024 / 1024:.0f} MB (a damaged file, "
                "or a zip bomb)", "check the file; if it is a real export, split it or raise ingest.max_file_mb "
                "in the config", path=name)


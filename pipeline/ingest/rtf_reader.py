"""RTF (.rtf) transcripts: the text striprtf finds, read as a .txt transcript is read.

A consultant on a Mac types notes in TextEdit, which saves RTF; WordPad and
Word save it too. striprtf turns the RTF into plain text: paragraph and
line breaks (``\\par``, ``\\line``, TextEdit's backslash at a line's end)
become line breaks, ``\\'e9`` escapes are decoded in the document's code
page (``\\ansicpg1252``, or a font's ``\\fcharset``), ``\\u8217`` escapes
are Unicode, and headers, footers, footnotes, comments, pictures and the
document's properties (its author among them) are left out. Text with no
table is then handed to `text.parse_txt` as it stands, so an RTF and the
same words saved as .txt give the same turns.

What this module adds around striprtf, and why:

- Tables. striprtf ends a cell with ``|`` and a row with a line break, so a
  two-column ``Speaker | Words`` table would come out as ``Anna|We
  agreed.|``, one glued line. Cell and row ends are marked before striprtf
  runs, with characters no RTF text holds, and each table's rows go through
  `tables.table_items` as a Word table's do: a speaker table gives one turn
  per row, any other table its cells as lines. The rest of the text goes
  through the same line parser as a .txt (and a .docx) file.
- List numbers and bullets (``\\listtext``, what a reader shows in front of
  a list item) are dropped, so ``1. Anna: ...`` starts with the speaker.
- A link is its displayed text: striprtf would add the address after it,
  with a pattern whose time grows with the square of the paragraph's
  length (`_FIELD_INSTRUCTION`).
- Unicode escapes outside the Basic Multilingual Plane come as two
  surrogate halves (an emoji), which are joined into one character.
- The bytes are ASCII in a well-formed RTF; a writer that put raw
  characters in gets them decoded as UTF-8 if they are, else in the
  document's code page.

A file that does not start with ``{\\rtf`` is refused with what it really
is, and a file striprtf cannot decode with the reason; neither is guessed at.
"""
from __future__ import annotations

import codecs
import logging
import re

from striprtf.striprtf import rtf_to_text

from pipeline.errors import InputFileError

from .docx_reader import parse_docx
from .html_reader import parse_html
from .lines import parse_lines
from .records import STATUS_SKIPPED, ParsedTurn, ParseOptions
from .sniff import foreign_format, hint_for, is_html, is_rtf, is_word_package
from .tables import table_items
from .text import NO_TURNS_HINT, parse_txt

logger = logging.getLogger(__name__)

_MAGIC = re.compile(rb"^(?:\xef\xbb\xbf)?\s*\{\\rtf", re.ASCII)
_CODE_PAGE = re.compile(rb"\\ansicpg(\d+)")
# The character sets RTF names in its header before any \ansicpg (Mac files from before OS X, DOS).
_CHARSETS = ((rb"\\mac(?![a-z])", "mac_roman"), (rb"\\pca(?![a-z])", "cp850"), (rb"\\pc(?![a-z])", "cp437"))
# Cell and row ends, marked before striprtf runs (`_mark_tables`): information separators, which no text holds.
_CELL, _ROW = "\x1f", "\x1e"
# \cell, \nestcell and \row, but not \cellx (a cell's right edge), and not after an escaped backslash ("\\cell").
_TABLE_WORD = re.compile(r"(\\\\)|\\(?:nest)?(cell|row)(?![A-Za-z])(?:-?\d+)? ?")
# A list item's number or bullet as the writer rendered it ({\listtext 1.\tab}), a group without subgroups.
_LIST_TEXT = re.compile(r"\{\\listtext[^{}]*\}")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
# A field's instruction group as striprtf's hyperlink pattern wants it ({\*\fldinst{HYPERLINK "..."}): that
# pattern backtracks over the whole line, seconds for one long paragraph. A space after the control word
# keeps the group what it is (ignored, its displayed text {\fldrslt ...} kept) but out of the pattern's reach.
_FIELD_INSTRUCTION = re.compile(r"\\fldinst\{")
_HINT = NO_TURNS_HINT + ", then save the RTF again"


# What a .doc that is none of RTF, a web page or a .docx is: Word 97-2003's own format, which is not read
# (`discover` says the same).
OLD_WORD_HINT = "it is an old Word 97-2003 document; open it in Word and save it as .docx"


def parse_doc(data: bytes, options: ParseOptions) -> list[ParsedTurn]:
    """Turns of a ``.doc`` file that is really RTF (Word and many tools save RTF under ``.doc``), read as
    `parse_rtf` reads an .rtf; a web page (many tools' "export to Word" write HTML under ``.doc``), read as an
    .html; or a Word .docx renamed ``.doc``, read as a .docx. Any other .doc (Word 97-2003's binary format)
    is skipped with what to do.

    `discover` lists only these as transcripts; this checks again, since the file may have changed.

    >>> [(t.speaker, t.text) for t in parse_doc(rb"{\\rtf1\\ansi Sam: Why?\\par Ana: Cost.\\par}",
    ...                                         ParseOptions("a.doc"))]
    [('Sam', 'Why?'), ('Ana', 'Cost.')]
    """
    if is_rtf(data):
        return parse_rtf(data, options)
    if is_html(data):
        return parse_html(data, options)
    if is_word_package(data):
        return parse_docx(data, options)
    message, _, hint = OLD_WORD_HINT.partition("; ")
    raise InputFileError(message.replace("it is", "the file is", 1), hint, path=options.name,
                         status=STATUS_SKIPPED)


def parse_rtf(data: bytes, options: ParseOptions) -> list[ParsedTurn]:
    """Turns of an .rtf transcript; raises `InputFileError` when the file is not RTF or names no speaker.

    Examples
    --------
    >>> rtf = rb"{\\rtf1\\ansi\\ansicpg1252 Sam: Why?\\par Anna: Caf\\'e9 hours \\u8212- cut.\\par}"
    >>> [(t.speaker, t.text) for t in parse_rtf(rtf, ParseOptions("a.rtf"))]
    [('Sam', 'Why?'), ('Anna', 'Café hours — cut.')]
    """
    text = rtf_text(data, options.name, options.fallback_encoding)
    if _CELL not in text:
        # No table: the text is a .txt transcript's, and is read as one.
        return parse_txt(text.replace(_ROW, "\n").encode("utf-8"), options)
    turns = parse_lines(_items(text), options.known_speakers, options.name)
    if not turns:
        raise InputFileError("no speaker turns found", _HINT + " (or use a table with 'Speaker' and 'Text' "
                             "columns)", path=options.name)
    return turns


def rtf_text(data: bytes, name: str, fallback_encoding: str = "cp1252") -> str:
    """The plain text of an RTF document, with `_CELL` after each table cell and `_ROW` after each row.

    Raises `InputFileError` when the file is not RTF or holds no text.

    Examples
    --------
    >>> rtf_text(rb"{\\rtf1\\ansi {\\fonttbl\\f0 Helvetica;}\\f0 Sam: Why?\\par \\uc0\\u55357\\u56832 \\par}", "a.rtf")
    'Sam: Why?\\n😀\\n'
    """
    if not _MAGIC.match(data[:64]):
        real_format = foreign_format(data)
        if real_format is not None:
            raise InputFileError(f"the file is {real_format}, not an RTF document", hint_for(real_format),
                                 path=name)
        raise InputFileError("the file is not an RTF document (it does not start with '{\\rtf')",
                             "if it is plain text, rename it to .txt; else open it in TextEdit or Word and save "
                             "it as RTF or .docx again", path=name)
    encoding = _encoding(data, fallback_encoding)
    source = _source(data, encoding, name).replace(_CELL, "").replace(_ROW, "")  # the marks are ours alone
    marked = _FIELD_INSTRUCTION.sub(r"\\fldinst {", _LIST_TEXT.sub("", _mark_tables(source)))
    try:
        try:
            text = rtf_to_text(marked, encoding=encoding, errors="strict")
        except UnicodeDecodeError:
            # A byte the code page does not define (cp1252's 0x81): keep the rest, mark the one character.
            text = rtf_to_text(marked, encoding=encoding, errors="replace")
            logger.warning("%s: some characters are not valid in the document's code page (%s) and were "
                           "replaced", name, encoding)
    except LookupError:
        # A font's character set striprtf names but Python has no codec for (old Mac Japanese, Korean, Thai).
        raise InputFileError("the RTF document uses a character set that cannot be decoded",
                             "open it in TextEdit or Word and save it as .docx, or as .txt in UTF-8",
                             path=name) from None
    text = _joined_surrogates(text).replace("\u00ad", "").replace("\u2011", "-")  # soft and hard hyphens
    text = _CONTROL.sub(lambda match: match.group() if match.group() in (_CELL, _ROW) else "", text)
    if not text.replace(_CELL, "").replace(_ROW, "").strip():
        raise InputFileError("the RTF document holds no text", "check that it is the transcript, and save it "
                             "again from TextEdit or Word", path=name)
    return text


def _encoding(data: bytes, fallback_encoding: str) -> str:
    """The code page the header declares (``\\ansicpg1252``), else the one its character set implies."""
    header = data[:4096]
    declared = _CODE_PAGE.search(header)
    implied = next((encoding for pattern, encoding in _CHARSETS if re.search(pattern, header[:64])), None)
    for encoding in (f"cp{int(declared.group(1))}" if declared else None, implied):
        if encoding:
            try:
                return codecs.lookup(encoding).name
            except LookupError:
                pass  # \ansicpg0, or a code page Python lacks: the fallback
    return fallback_encoding


def _source(data: bytes, encoding: str, name: str) -> str:
    """The RTF source as a string: ASCII as the format asks, else UTF-8, else the document's code page."""
    try:
        return data.decode("ascii")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        logger.warning("%s: raw characters that are neither UTF-8 nor %s were read as latin-1", name, encoding)
        return data.decode("latin-1")


def _mark_tables(source: str) -> str:
    r"""`source` with each ``\cell`` and ``\row`` control word replaced by `_CELL` or `_ROW`.

    Examples
    --------
    >>> _mark_tables(r"\trowd\cellx2000 Anna\cell We agreed.\cell\row a\\cell")
    '\\trowd\\cellx2000 Anna{}\x1fWe agreed.{}\x1f{}\x1ea\\\\cell'
    """
    def marked(match: re.Match[str]) -> str:
        if match.group(1):
            return match.group(1)  # an escaped backslash: what follows is text
        # "{}" first: an empty group ends a pending Unicode fallback skip, which would swallow the mark.
        return "{}" + (_CELL if match.group(2) == "cell" else _ROW)
    return _TABLE_WORD.sub(marked, source)


def _joined_surrogates(text: str) -> str:
    r"""Text with each pair of surrogate halves (``\u55357\u56832``) as the one character they encode."""
    if not any("\ud800" <= char <= "\udfff" for char in text):
        return text
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


def _items(text: str) -> list[str | ParsedTurn]:
    """The lines of the text, with each table's rows replaced by its turns or cells (`tables.table_items`).

    A row is the text up to `_ROW`, its cells split at `_CELL`. What comes
    before a table's first cell on the lines above it is ordinary text, so
    a row's first cell is the last line before its first `_CELL` (a speaker
    cell holds one line); later cells keep their line breaks.

    Examples
    --------
    >>> rows = "Sam\\x1fWhy?\\x1f\\x1eAnna\\x1fBecause.\\x1f\\x1eSam\\x1fThen?\\x1f\\x1e"
    >>> items = _items("Notes\\n" + rows + "\\nEnd")
    >>> [(item.speaker, item.text) if isinstance(item, ParsedTurn) else item for item in items]
    ['Notes', ('Sam', 'Why?'), ('Anna', 'Because.'), ('Sam', 'Then?'), '', 'End']
    """
    items: list[str | ParsedTurn] = []
    rows: list[list[str]] = []  # the rows of the table being read

    def end_table() -> None:
        items.extend(table_items(rows))
        rows.clear()

    pieces = text.split(_ROW)
    for index, piece in enumerate(pieces):
        if index == len(pieces) - 1 or _CELL not in piece:
            end_table()  # the text after the last row: no table goes on past it
            items.extend(piece.replace(_CELL, " ").split("\n"))
            continue
        before, _, cells = piece.partition(_CELL)
        above, _, first = before.rpartition("\n")
        if above:
            end_table()  # text between two rows: the table before it has ended
            items.extend(above.split("\n"))
        row = [first, *cells.split(_CELL)]
        if not row[-1].strip():
            row.pop()  # the empty text after the last cell's end
        rows.append(row)
    return items

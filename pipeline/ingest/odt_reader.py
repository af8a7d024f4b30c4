"""OpenDocument text (.odt) transcripts, as LibreOffice and Google Docs save them.

An .odt is a zip package whose ``content.xml`` holds the body; only that part
is unpacked, through a bounded read (no more than ``max_bytes``, as for a
.docx in `docx_package`), and parsed without entities, DTDs or network
(`docx_package.safe_xml`). No ODF library is needed.

The body is read in document order, as a Word body is (`docx_text`):
paragraphs (``text:p``) and headings (``text:h``), also inside lists,
sections and text boxes, and tables (``table:table``), whose rows of cells go
through `tables` as Word tables do (a speaker table gives one turn per row;
a covered, merged cell is not read twice). Inside a paragraph, spans, links
and fields give their text; ``text:line-break`` is a line break,
``text:tab`` a tab and ``text:s`` its ``text:c`` spaces, while the XML's own
line breaks and runs of spaces are one space, as ODF says. Footnotes,
comments and tracked deletions are not what was said and are not read.

Paragraph lines then go through the same line parser as a .txt or .docx
file. Headings, and paragraphs in the Title or Subtitle style, are skipped
unless nothing else gives a turn: then they may be the questions of notes
that name no speaker, the answers below them (`notes`), or the speakers'
names standing above their words, as in a .docx.
"""
from __future__ import annotations

import io
import re
import zipfile

from lxml import etree

from pipeline.errors import InputFileError

from .docx_package import read_member, safe_xml
from .docx_reader import block_items, note_blocks
from .docx_text import Paragraph, Table, cell_text
from .lines import first_reading, names_above_words, parse_lines
from .notes import question_turns
from .records import ParsedTurn, ParseOptions
from .sniff import foreign_format, hint_for
from .text import NO_TURNS_HINT

_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_STYLE = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
_DRAW = "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
_TEXT_MIMETYPES = ("application/vnd.oasis.opendocument.text", "application/vnd.oasis.opendocument.text-template",
                   "application/vnd.oasis.opendocument.text-master")
_SMALL_PART = 1 << 20  # mimetype and manifest are a few hundred bytes
_RESAVE = "open it in LibreOffice Writer, check it, and save it again as .odt (or as .docx)"
_HEADING_STYLES = frozenset({"title", "subtitle"})
_MAX_STYLE_DEPTH = 10
# Inside a paragraph: not what was said (footnotes, tracked changes, ruby annotations); comments
# (office:annotation) are outside the text namespace and skipped with the rest.
_SKIPPED_INLINE = frozenset({(_TEXT, "note"), (_TEXT, "tracked-changes"), (_TEXT, "ruby-text")})
# Around blocks: containers whose children are paragraphs, headings, lists and tables.
_CONTAINERS = frozenset({(_TEXT, "list"), (_TEXT, "list-item"), (_TEXT, "list-header"), (_TEXT, "section"),
                         (_TEXT, "index-body"), (_TEXT, "numbered-paragraph"), (_TEXT, "illustration-index"),
                         (_TEXT, "alphabetical-index"), (_TEXT, "user-index"), (_TEXT, "bibliography"),
                         (_TEXT, "object-index"), (_TEXT, "table-index")})
_DRAWING_WRAPPERS = frozenset({(_DRAW, "frame"), (_DRAW, "a"), (_DRAW, "g")})
_ROW_GROUPS = frozenset({"table-header-rows", "table-rows", "table-row-group"})
_WHITESPACE = re.compile(r"[ \t\r\n]+")


def parse_odt(data: bytes, options: ParseOptions) -> list[ParsedTurn]:
    """Turns of an .odt transcript; raises `InputFileError` for damaged, protected or empty files."""
    content = read_content(data, options.name, options.max_bytes)
    try:
        blocks = read_blocks(content)
    except (etree.XMLSyntaxError, ValueError, RecursionError):
        raise InputFileError("the .odt file is damaged (its text is not well-formed XML)", _RESAVE,
                             path=options.name) from None
    turns = first_reading(
        lambda: parse_lines(block_items(blocks), options.known_speakers, options.name),
        lambda: question_turns(note_blocks(blocks), options.name),
        # Speakers' names as headings above their words: only when no other layout finds a turn.
        lambda: names_above_words(block_items(blocks, keep_headings=True), options.known_speakers,
                                  options.name))
    if not turns:
        raise InputFileError("no speaker turns found",
                             NO_TURNS_HINT + ", or use a table with 'Speaker' and 'Text' columns", path=options.name)
    return turns


def read_content(data: bytes, name: str, max_bytes: int) -> bytes:
    """The ``content.xml`` of an OpenDocument text package; raises `InputFileError` for anything else."""
    if not data:
        raise InputFileError("the file is empty", "export the transcript again", path=name)
    if not zipfile.is_zipfile(io.BytesIO(data)):
        real_format = foreign_format(data)
        if real_format is not None and not real_format.startswith("a zip"):
            raise InputFileError(f"the file is {real_format}, not an OpenDocument .odt document",
                                 hint_for(real_format), path=name)
        raise InputFileError("the file is not an OpenDocument .odt document, or it is damaged (not a zip package)",
                             _RESAVE, path=name)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise InputFileError("the .odt file is damaged (its zip index cannot be read)", _RESAVE, path=name) from None
    with archive:
        names = set(archive.namelist())
        if "word/document.xml" in names:
            raise InputFileError("the file is a Word .docx document with an .odt name", "rename it to .docx",
                                 path=name)
        if "mimetype" in names:
            mimetype = _member(archive, "mimetype", _SMALL_PART, name).decode("ascii", "replace").strip()
            if mimetype not in _TEXT_MIMETYPES:
                raise InputFileError("the file is not an OpenDocument text document (a spreadsheet, "
                                     "presentation or drawing with an .odt name?)",
                                     "save the transcript from LibreOffice Writer as .odt or .docx", path=name)
        if ("META-INF/manifest.xml" in names
                and b"encryption-data" in _member(archive, "META-INF/manifest.xml", max_bytes, name)):
            raise InputFileError("the .odt file is password-protected",
                                 "open it in LibreOffice with its password and save a copy without one "
                                 "(File > Save As, clear 'Save with password')", path=name)
        if "content.xml" not in names:
            raise InputFileError("the .odt file is damaged (it has no content.xml)", _RESAVE, path=name)
        return _member(archive, "content.xml", max_bytes, name)


def read_blocks(content: bytes) -> list[Paragraph | Table]:
    """Paragraphs (``heading`` set for headings and titles) and tables of the document body, in order.

    Raises `lxml.etree.XMLSyntaxError` on malformed XML.

    Examples
    --------
    >>> xml = (b'<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    ...        b'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:text>'
    ...        b'<text:h>Interview</text:h><text:p>Sam:<text:s/><text:span>Why?</text:span>'
    ...        b'<text:line-break/>Anna: Because.</text:p></office:text></office:body></office:document-content>')
    >>> [(b.text, b.heading) for b in read_blocks(xml)]
    [('Interview', True), ('Sam: Why?\\nAnna: Because.', False)]
    """
    root = safe_xml(content)
    body = root.find(f"{{{_OFFICE}}}body/{{{_OFFICE}}}text")
    if body is None:
        return []
    return _Reader(_title_styles(root)).blocks(body)


class _Reader:
    def __init__(self, title_styles: frozenset[str]) -> None:
        self.title_styles = title_styles

    def blocks(self, container: etree._Element) -> list[Paragraph | Table]:
        result: list[Paragraph | Table] = []
        for child in container:
            key = _key(child)
            if key in ((_TEXT, "p"), (_TEXT, "h")):
                pieces: list[str] = []
                boxes: list[etree._Element] = []
                self.inline(child, pieces, boxes)
                style = child.get(f"{{{_TEXT}}}style-name", "")
                heading = key == (_TEXT, "h") or style in self.title_styles
                # A heading's level tells a title from the questions below it (`notes`), as a Word style does.
                level = child.get(f"{{{_TEXT}}}outline-level") if heading else None
                result.append(Paragraph("".join(pieces).strip(" "), heading=heading, style=level or style or None))
                for box in boxes:
                    result.extend(self.blocks(box))
            elif key == (_TABLE, "table"):
                result.append(Table(self.rows(child)))
            elif key in _CONTAINERS:
                result.extend(self.blocks(child))
            elif key in _DRAWING_WRAPPERS:  # a frame anchored to the page
                boxes = []
                self.inline(child, [], boxes)
                for box in boxes:
                    result.extend(self.blocks(box))
        return result

    def rows(self, table: etree._Element) -> list[list[str]]:
        rows: list[list[str]] = []
        for child in table:
            namespace, tag = _key(child)
            if namespace != _TABLE:
                continue
            if tag in _ROW_GROUPS:
                rows.extend(self.rows(child))
            elif tag == "table-row":
                # A covered cell is the hidden part of a merged one: its text is in the merged cell.
                rows.append([self.cell_text(cell) for cell in child if _key(cell) == (_TABLE, "table-cell")])
        return rows

    def cell_text(self, cell: etree._Element) -> str:
        return cell_text(self.blocks(cell))

    def inline(self, element: etree._Element, pieces: list[str], boxes: list[etree._Element]) -> None:
        """Append the text of a paragraph's content to `pieces`, text boxes to `boxes`."""
        if element.text:
            pieces.append(_WHITESPACE.sub(" ", element.text))
        for child in element:
            key = _key(child)
            if key == (_TEXT, "s"):
                pieces.append(" " * _count(child.get(f"{{{_TEXT}}}c")))
            elif key == (_TEXT, "tab"):
                pieces.append("\t")
            elif key == (_TEXT, "line-break"):
                pieces.append("\n")
            elif key == (_DRAW, "text-box"):
                boxes.append(child)
            elif key in _DRAWING_WRAPPERS:
                self.inline(child, [], boxes)  # a frame's own text is layout; its text boxes are read
            elif key[0] == _TEXT and key not in _SKIPPED_INLINE:
                self.inline(child, pieces, boxes)  # spans, links, fields, bookmarks, ...
            # Anything else (images and their binary data, alt texts, forms, formulas) holds no speech.
            if child.tail:
                pieces.append(_WHITESPACE.sub(" ", child.tail))


def _title_styles(root: etree._Element) -> frozenset[str]:
    """Names of the paragraph styles that are, or derive from, Title or Subtitle (automatic styles included)."""
    parents: dict[str, str] = {}
    for styles in root.iter(f"{{{_OFFICE}}}automatic-styles", f"{{{_OFFICE}}}styles"):
        for style in styles:
            if _key(style) == (_STYLE, "style"):
                parents[style.get(f"{{{_STYLE}}}name", "")] = style.get(f"{{{_STYLE}}}parent-style-name", "")
    titles = set()
    for name in parents:
        current, depth = name, 0
        while current and depth < _MAX_STYLE_DEPTH:
            if current.casefold() in _HEADING_STYLES:
                titles.add(name)
                break
            current, depth = parents.get(current, ""), depth + 1
    return frozenset(titles | {"Title", "Subtitle"})


def _count(value: str | None) -> int:
    # text:c is how many spaces; a damaged or huge count is capped, it only ever pads a line.
    return min(int(value), 100) if value and value.isdigit() else 1


def _key(element: etree._Element) -> tuple[str, str]:
    if not isinstance(element.tag, str):
        return "", ""
    qname = etree.QName(element)
    return qname.namespace or "", qname.localname


def _member(archive: zipfile.ZipFile, member: str, limit: int, name: str) -> bytes:
    return read_member(archive, member, limit, name, kind=".odt", resave=_RESAVE)

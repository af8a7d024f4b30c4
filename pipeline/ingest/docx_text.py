"""The text of a Word body, in reading order: paragraphs and tables.

Read from the WordprocessingML itself rather than through python-docx,
because python-docx's paragraph text misses what real transcripts contain:

- text in text boxes (``w:txbxContent``; of the DrawingML and VML copies Word
  writes of each box, only the first, ``mc:Choice``, is read);
- text in content controls (``w:sdt``), at block level and inside a line;
- tracked changes: insertions (``w:ins``, ``w:moveTo``) are read, deletions
  (``w:del``, ``w:moveFrom``) are not, as Word shows the document;
- hyperlinks, smart tags, simple fields; but never field codes (``w:instrText``).

A tab becomes a tab and a line break a newline, so a Teams paragraph
``Sam Jones   0:03<br/>words`` still reads as two lines. Both the
transitional and the strict OOXML namespaces are accepted. Each paragraph
records whether all its text is bold, its style and whether Word numbers it
as a list item, for documents that set the questions (or the moderator's
words) apart that way instead of naming speakers.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from .docx_package import DocxParts, safe_xml

_W = frozenset({"http://schemas.openxmlformats.org/wordprocessingml/2006/main",
                "http://purl.oclc.org/ooxml/wordprocessingml/main"})
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
# Subtrees that hold no visible text of the document.
_SKIPPED = frozenset({"del", "moveFrom", "instrText", "delInstrText", "delText", "pPr", "rPr",
                      "sdtPr", "sdtEndPr", "footnoteReference", "endnoteReference",
                      "commentReference", "annotationRef", "fldData"})
# Block-level wrappers whose children are paragraphs and tables.
_WRAPPERS = frozenset({"sdt", "sdtContent", "customXml", "ins", "moveTo", "smartTag"})
_FALSE = frozenset({"0", "false", "off", "none"})
_HEADING_STYLES = ("heading", "title", "subtitle")
_MAX_STYLE_DEPTH = 10


@dataclass
class Paragraph:
    """A paragraph's text ("\\n" at line breaks), whether all of it is bold, whether a heading, its style id,
    and whether Word numbers it (a list item, whose number is not in its text)."""

    text: str
    bold: bool = False
    heading: bool = False
    style: str | None = None
    numbered: bool = False


@dataclass
class Table:
    """A table as rows of cell texts; a merged cell appears once."""

    rows: list[list[str]] = field(default_factory=list)


@dataclass
class Body:
    """The blocks of a document body, and whether it embeds foreign content (``w:altChunk``)."""

    blocks: list[Paragraph | Table]
    has_alt_chunk: bool = False


def cell_text(blocks: list[Paragraph | Table]) -> str:
    """A table cell's text from its blocks: its paragraphs, and the cells of a table nested in it, a line each.

    >>> cell_text([Paragraph("Anna"), Table([["a", "b"]])])
    'Anna\\na\\nb'
    """
    lines: list[str] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            lines.append(block.text)
        else:
            lines.extend(text for row in block.rows for text in row)
    return "\n".join(lines)


def read_body(parts: DocxParts) -> Body:
    """Paragraphs and tables of the main document part, in reading order.

    Raises `lxml.etree.XMLSyntaxError` on malformed XML; the caller turns that
    into a reason.
    """
    styles = _Styles(safe_xml(parts.styles) if parts.styles else None)
    root = safe_xml(parts.document)
    body = next((child for child in root if _local(child) == "body"), None)
    reader = _Reader(styles)
    blocks = reader.blocks(body) if body is not None else []
    return Body(blocks, reader.has_alt_chunk)


class _Styles:
    """Bold and heading, by paragraph or character style id, following ``basedOn``."""

    def __init__(self, root: etree._Element | None) -> None:
        self._styles: dict[str, etree._Element] = {}
        if root is None:
            return
        for style in root:
            if _local(style) == "style" and _w_attr(style, "styleId"):
                self._styles[_w_attr(style, "styleId")] = style

    def bold(self, style_id: str | None) -> bool:
        for style in self._chain(style_id):
            flag = _child(_child(style, "rPr"), "b")
            if flag is not None:
                return _on(flag)
        return False

    def heading(self, style_id: str | None) -> bool:
        for style in self._chain(style_id):
            name = (_w_attr(_child(style, "name"), "val") or "").casefold()
            if name.startswith(_HEADING_STYLES) or _outline(_child(style, "pPr")):
                return True
        return False

    def numbered(self, style_id: str | None) -> bool:
        for style in self._chain(style_id):
            numbering = _numbering(_child(style, "pPr"))
            if numbering is not None:
                return numbering
        return False

    def _chain(self, style_id: str | None) -> list[etree._Element]:
        chain: list[etree._Element] = []
        while style_id and style_id in self._styles and len(chain) < _MAX_STYLE_DEPTH:
            style = self._styles[style_id]
            chain.append(style)
            style_id = _w_attr(_child(style, "basedOn"), "val")
        return chain


class _Reader:
    """Walks block containers (body, cells, text boxes) and paragraphs."""

    def __init__(self, styles: _Styles) -> None:
        self.styles = styles
        self.has_alt_chunk = False

    def blocks(self, container: etree._Element) -> list[Paragraph | Table]:
        result: list[Paragraph | Table] = []
        for child in _children(container):
            tag = _local(child)
            if tag == "p":
                paragraph, boxes = self.paragraph(child)
                result.append(paragraph)
                for box in boxes:
                    result.extend(self.blocks(box))
            elif tag == "tbl":
                result.append(self.table(child))
            elif tag == "altChunk":
                self.has_alt_chunk = True
        return result

    def table(self, table: etree._Element) -> Table:
        rows = []
        for row in _children(table):
            if _local(row) != "tr":
                continue
            cells = [self.cell_text(cell) for cell in _children(row) if _local(cell) == "tc"]
            rows.append(cells)
        return Table(rows)

    def cell_text(self, cell: etree._Element) -> str:
        return cell_text(self.blocks(cell))

    def paragraph(self, paragraph: etree._Element) -> tuple[Paragraph, list[etree._Element]]:
        properties = _child(paragraph, "pPr")
        style = _w_attr(_child(properties, "pStyle"), "val")
        walk = _ParagraphWalk(self.styles, self.styles.bold(style))
        walk.visit(paragraph, run_bold=None)
        text = "".join(walk.pieces)
        heading = self.styles.heading(style) or _outline(properties)
        bold = walk.text_chars > 0 and walk.bold_chars == walk.text_chars
        numbering = _numbering(properties)
        numbered = numbering if numbering is not None else self.styles.numbered(style)
        return Paragraph(text, bold=bold, heading=heading, style=style, numbered=numbered), walk.boxes


class _ParagraphWalk:
    """Collects a paragraph's text, its text boxes, and how much of its text is bold."""

    def __init__(self, styles: _Styles, paragraph_bold: bool) -> None:
        self.styles = styles
        self.paragraph_bold = paragraph_bold
        self.pieces: list[str] = []
        self.boxes: list[etree._Element] = []
        self.text_chars = self.bold_chars = 0

    def visit(self, element: etree._Element, run_bold: bool | None) -> None:
        for child in _children(element):
            namespace, tag = _split(child)
            if namespace not in _W:
                self.visit(child, run_bold)  # drawing containers hold text boxes
            elif tag in _SKIPPED:
                continue
            elif tag == "txbxContent":
                self.boxes.append(child)
            elif tag == "r":
                self.visit(child, self.run_bold(child))
            elif tag == "t":
                self.add_text(child.text or "", bool(run_bold))
            elif tag in ("tab", "ptab"):
                self.pieces.append("\t")
            elif tag in ("br", "cr"):
                self.pieces.append("\n")
            elif tag == "noBreakHyphen":
                self.pieces.append("-")
            else:
                self.visit(child, run_bold)

    def add_text(self, text: str, bold: bool) -> None:
        self.pieces.append(text)
        visible = len(text.strip())
        self.text_chars += visible
        self.bold_chars += visible if bold else 0

    def run_bold(self, run: etree._Element) -> bool:
        properties = _child(run, "rPr")
        flag = _child(properties, "b")
        if flag is not None:
            return _on(flag)
        character_style = _w_attr(_child(properties, "rStyle"), "val")
        return self.styles.bold(character_style) or self.paragraph_bold


def _children(element: etree._Element | None):
    """Element children, with markup-compatibility blocks resolved and wrappers opened."""
    if element is None:
        return
    for child in element:
        if not isinstance(child.tag, str):
            continue  # a comment or processing instruction
        namespace, tag = _split(child)
        if namespace == _MC:
            if tag == "AlternateContent":
                # The first Choice is what Word shows; Fallback repeats it for old readers.
                options = [c for c in child if isinstance(c.tag, str)]
                chosen = next((c for c in options if _local(c) == "Choice"), None)
                chosen = chosen if chosen is not None else next(
                    (c for c in options if _local(c) == "Fallback"), None)
                if chosen is not None:
                    yield from _children(chosen)
            continue
        if namespace in _W and tag in _WRAPPERS:
            yield from _children(child)
            continue
        yield child


def _split(element: etree._Element) -> tuple[str, str]:
    qname = etree.QName(element)
    return qname.namespace or "", qname.localname


def _local(element: etree._Element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def _child(element: etree._Element | None, name: str) -> etree._Element | None:
    if element is None:
        return None
    return next((c for c in element if isinstance(c.tag, str) and _local(c) == name), None)


def _w_attr(element: etree._Element | None, name: str) -> str | None:
    if element is None:
        return None
    for namespace in _W:
        value = element.get(f"{{{namespace}}}{name}")
        if value is not None:
            return value
    return None


def _on(flag: etree._Element) -> bool:
    return (_w_attr(flag, "val") or "true").casefold() not in _FALSE


def _numbering(properties: etree._Element | None) -> bool | None:
    """Whether paragraph properties number the paragraph; None when they say nothing (the style decides).

    A ``w:numId`` of 0 takes away the numbering a style gives; a ``w:numPr`` with only a level keeps the style's.
    """
    number_id = _w_attr(_child(_child(properties, "numPr"), "numId"), "val")
    return None if number_id is None else number_id != "0"


def _outline(properties: etree._Element | None) -> bool:
    level = _w_attr(_child(properties, "outlineLvl"), "val")
    return level is not None and level.isdigit() and int(level) < 9

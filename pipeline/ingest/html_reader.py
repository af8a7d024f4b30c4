"""Transcripts saved as web pages (.html, .htm): converted to blocks and read as a .docx body is.

A consultant receives transcripts as web pages: Google Docs' "Download as web
page", a Word document saved as HTML, a share page of Otter, Fireflies or Rev
saved from the browser. The page is parsed by lxml's HTML parser (no network,
no JavaScript run, comments and processing instructions dropped) and turned
into the blocks a Word body gives (`docx_text.Paragraph`, `docx_text.Table`),
which go through the same readers as a .docx or an .odt (`docx_reader`): the
line layouts, notes whose questions are headings, bold or numbered, the
speakers' names as headings above their words, and speaker tables.

- A block element (``p``, ``div``, ``li``, a heading...) is a paragraph;
  ``br`` a line break inside it; runs of spaces and the page's own line
  breaks are one space, as a browser shows them (``pre`` keeps its lines).
- ``h1``-``h6`` are headings of their level; Google Docs' ``title`` and
  ``subtitle`` paragraphs are headings too. A paragraph all of whose text is
  bold (``b``, ``strong``, a ``font-weight`` of 600 or more, inline or by a
  class of the page's style sheet, as Google Docs writes it) is bold; an item
  of an ``ol`` list is numbered (its number is not in its text).
- Tables are rows of cells, a cell's paragraphs on lines of their own.
- Not read: scripts, styles, the head, navigation, asides, footers, forms,
  buttons, images and media; hidden elements (``hidden``, ``display:none``,
  ``visibility:hidden``, Word's ``mso-hide:all``, inline or by class);
  Google Docs' and Word's comments and footnotes and the marks that point
  at them (``[a]``, ``[1]``).
- A line that is only a time, below or above a short line, is joined to it
  (``Anna Berg`` and ``0:03`` in two ``div``, as a share page sets them, read
  as ``Anna Berg 0:03``), so the Otter layout of a name and a time above the
  words is found.

The bytes are decoded by the charset the page declares (``<meta charset>``),
else as any text file (`encoding.decode_text`).
"""
from __future__ import annotations

import codecs
import re

from lxml import etree, html

from pipeline.errors import InputFileError

from .docx_reader import block_items, note_blocks
from .docx_text import Paragraph, Table, cell_text
from .encoding import decode_text
from .lines import first_reading, names_above_words, parse_lines
from .notes import question_turns
from .records import ParsedTurn, ParseOptions
from .sniff import HTML_PAGE, foreign_format, hint_for
from .text import NO_TURNS_HINT

_DROPPED = frozenset({
    "script", "style", "noscript", "template", "head", "title", "meta", "link", "nav", "aside", "footer", "form",
    "button", "select", "option", "textarea", "input", "label", "svg", "math", "iframe", "object", "embed",
    "canvas", "img", "picture", "video", "audio", "source", "track", "map", "dialog", "menu"})
_BLOCKS = frozenset({
    "p", "div", "li", "ul", "ol", "dl", "dt", "dd", "blockquote", "pre", "section", "article", "main", "body",
    "html", "header", "center", "address", "figure", "figcaption", "fieldset", "details", "summary", "hr",
    "h1", "h2", "h3", "h4", "h5", "h6", "caption", "legend"})
_HEADINGS = {f"h{level}": level for level in range(1, 7)}
_HEADING_CLASSES = {"title": "Title", "subtitle": "Subtitle"}  # Google Docs' title and subtitle paragraphs
_SPACES = re.compile(r"[ \t\r\n\f\u00a0]+")
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.IGNORECASE)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_BOLD_STYLE = re.compile(r"font-weight\s*:\s*(?:bold|bolder|[6-9]00)\b", re.IGNORECASE)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden|mso-hide\s*:\s*all", re.IGNORECASE)
# Word's HTML: the lists of footnotes, endnotes and comments at the end of the page.
_NOTE_LISTS = re.compile(r"mso-element\s*:\s*(?:footnote|endnote|comment)", re.IGNORECASE)
_CSS_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
_CLASS_SELECTOR = re.compile(r"^\s*[a-z0-9]*\.([\w-]+)\s*$", re.IGNORECASE)
# Google Docs' comment and footnote bodies (id "cmnt1", "ftnt1") and Word's note marks ("#_ftn1", "#_msocom_1").
_NOTE_BODY = re.compile(r"^(?:cmnt|ftnt)\d+$")
_NOTE_MARK = re.compile(r"^#(?:cmnt|ftnt)(?:_ref)?\d+$|^#_(?:ftn|edn|msocom_)(?:ref)?\d+$")
# A line that is only a time ("0:03", "00:01:02", "[00:01:02]", "(1:02)").
_TIME_ONLY = re.compile(r"^[\[(]?\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?[\])]?$")
_SHORT_LABEL_WORDS = 6
_SENTENCE_END = re.compile(r"[.!?…]$")


def parse_html(data: bytes, options: ParseOptions) -> list[ParsedTurn]:
    """Turns of a transcript saved as a web page; raises `InputFileError` when none is found.

    Examples
    --------
    >>> page = b"<html><body><p><b>Sam:</b> Why?</p><p>Ana: Because.</p><script>x()</script></body></html>"
    >>> [(t.speaker, t.text) for t in parse_html(page, ParseOptions("a.html"))]
    [('Sam', 'Why?'), ('Ana', 'Because.')]
    """
    blocks = read_blocks(data, options)
    turns = first_reading(
        lambda: parse_lines(block_items(blocks), options.known_speakers, options.name),
        lambda: question_turns(note_blocks(blocks), options.name),
        lambda: names_above_words(block_items(blocks, keep_headings=True), options.known_speakers, options.name))
    if not turns:
        raise InputFileError("no speaker turns found", NO_TURNS_HINT + ", or use a table with 'Speaker' and 'Text' "
                             "columns", path=options.name)
    return turns


def read_blocks(data: bytes, options: ParseOptions) -> list[Paragraph | Table]:
    """The page's visible paragraphs and tables, in reading order."""
    if not data.strip():
        raise InputFileError("the file is empty", "save the page again", path=options.name)
    real_format = foreign_format(data)
    if real_format is not None and real_format != HTML_PAGE:
        raise InputFileError(f"the file is {real_format}, not a web page", hint_for(real_format), path=options.name)
    text = _XML_DECLARATION.sub("", _decode(data, options))
    if not text.strip():
        raise InputFileError("the file is empty", "save the page again", path=options.name)
    parser = html.HTMLParser(remove_comments=True, remove_pis=True, no_network=True, recover=True)
    try:
        root = html.document_fromstring(text, parser=parser)
    except (etree.ParserError, ValueError):
        raise InputFileError("the web page cannot be read (no HTML in it)",
                             "open it in a browser or Word and save it again as a web page, or as .docx",
                             path=options.name) from None
    styles = _class_rules(root)
    body = root.find("body")
    return _joined_times(_Walker(styles).blocks(body if body is not None else root))


def _decode(data: bytes, options: ParseOptions) -> str:
    """The page's text, in the charset it declares where Python knows it, else as a text file is decoded."""
    declared = _CHARSET.search(data[:4096])
    if declared and not data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        name = declared.group(1).decode("ascii", "replace").casefold()
        try:
            codec = codecs.lookup(name)
        except LookupError:
            codec = None
        if codec is not None and "16" not in codec.name and "32" not in codec.name:
            return data.decode(codec.name, errors="replace")
    return decode_text(data, options.name, options.fallback_encoding, own_format=HTML_PAGE)


def _class_rules(root) -> dict[str, set[str]]:
    """The classes the page's style sheets make bold or hidden: {"bold": {...}, "hidden": {...}}."""
    rules: dict[str, set[str]] = {"bold": set(), "hidden": set()}
    for style in root.iter("style"):
        for selectors, declarations in _CSS_RULE.findall(style.text or ""):
            kinds = [kind for kind, pattern in (("bold", _BOLD_STYLE), ("hidden", _HIDDEN_STYLE))
                     if pattern.search(declarations)]
            for selector in selectors.split(","):
                match = _CLASS_SELECTOR.match(selector)
                if match:
                    for kind in kinds:
                        rules[kind].add(match.group(1))
    return rules


class _Walker:
    """Walks an element tree into paragraphs and tables (`blocks`)."""

    def __init__(self, styles: dict[str, set[str]]):
        self.styles = styles
        self.out: list[Paragraph | Table] = []
        self.pieces: list[tuple[str, bool]] = []  # (text, bold) since the last paragraph break
        self.heading: str | None = None
        self.numbered = False

    def blocks(self, element) -> list[Paragraph | Table]:
        self._walk(element, bold=False, pre=False)
        self._flush()
        return self.out

    def _classes(self, element) -> set[str]:
        return set((element.get("class") or "").split())

    def _hidden(self, element) -> bool:
        style = element.get("style") or ""
        return (element.get("hidden") is not None or bool(_HIDDEN_STYLE.search(style))
                or bool(_NOTE_LISTS.search(style)) or bool(self._classes(element) & self.styles["hidden"])
                or (element.tag == "a" and _NOTE_MARK.match(element.get("href") or "") is not None)
                or (element.tag in ("p", "li") and any(_NOTE_BODY.match(anchor.get("id") or "")
                                                       for anchor in element.iter("a"))))

    def _bold(self, element) -> bool:
        return (element.tag in ("b", "strong") or bool(_BOLD_STYLE.search(element.get("style") or ""))
                or bool(self._classes(element) & self.styles["bold"]))

    def _text(self, text: str | None, bold: bool, pre: bool) -> None:
        if text:
            self.pieces.append((text if pre else _SPACES.sub(" ", text), bold))

    def _walk(self, element, bold: bool, pre: bool) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        tag = tag.casefold()
        if not tag or tag in _DROPPED or self._hidden(element):
            return
        if tag == "br":
            self.pieces.append(("\n", bold))
            return
        if tag == "table":
            self._flush()
            self.out.append(Table(self._rows(element)))
            return
        block = tag in _BLOCKS
        if block:
            self._flush()
        heading = _HEADINGS.get(tag)
        style_heading = next((_HEADING_CLASSES[c] for c in self._classes(element) if c in _HEADING_CLASSES), None)
        if heading is not None:
            self.heading = f"Heading{heading}"
        elif style_heading is not None and block:
            self.heading = style_heading
        if tag == "li" and element.getparent() is not None and element.getparent().tag == "ol":
            self.numbered = True
        bold = bold or self._bold(element)
        pre = pre or tag == "pre"
        self._text(element.text, bold, pre)
        for child in element:
            self._walk(child, bold, pre)
            self._text(child.tail, bold, pre)
        if block:
            self._flush()
            if heading is not None or style_heading is not None:
                self.heading = None

    def _flush(self) -> None:
        text = "".join(piece for piece, _ in self.pieces)
        lines = [" ".join(line.split()) for line in text.split("\n")]
        text = "\n".join(line for line in lines if line)
        if text:
            said = [(piece, bold) for piece, bold in self.pieces if piece.strip()]
            self.out.append(Paragraph(text, bold=all(bold for _, bold in said), heading=self.heading is not None,
                                      style=self.heading, numbered=self.numbered))
            self.numbered = False
        self.pieces = []

    def _rows(self, table) -> list[list[str]]:
        rows = []
        for row in table.iter("tr"):
            if _owning_table(row) is not table or self._hidden(row):
                continue
            cells = []
            for cell in row:
                if not isinstance(cell.tag, str) or cell.tag.casefold() not in ("td", "th") or self._hidden(cell):
                    continue
                walker = _Walker(self.styles)
                cells.append(cell_text(walker.blocks(cell)))
            rows.append(cells)
        return rows


def _owning_table(row):
    """The table a row belongs to (not a table nested in one of its cells)."""
    parent = row.getparent()
    while parent is not None and parent.tag != "table":
        parent = parent.getparent()
    return parent


def _joined_times(blocks: list[Paragraph | Table]) -> list[Paragraph | Table]:
    """The blocks with a paragraph that is only a time joined to the short line before it (else after it).

    >>> [b.text for b in _joined_times([Paragraph("Anna Berg"), Paragraph("0:03"), Paragraph("We cut it.")])]
    ['Anna Berg 0:03', 'We cut it.']
    """
    out: list[Paragraph | Table] = []
    index = 0
    while index < len(blocks):
        block = blocks[index]
        if isinstance(block, Paragraph) and _TIME_ONLY.match(block.text):
            before = out[-1] if out else None
            after = blocks[index + 1] if index + 1 < len(blocks) else None
            if isinstance(before, Paragraph) and _label_like(before):
                out[-1] = Paragraph(f"{before.text} {block.text}", before.bold, before.heading, before.style)
                index += 1
                continue
            if isinstance(after, Paragraph) and _label_like(after):
                out.append(Paragraph(f"{block.text} {after.text}", after.bold, after.heading, after.style))
                index += 2
                continue
        out.append(block)
        index += 1
    return out


def _label_like(paragraph: Paragraph) -> bool:
    """A short line that may name a speaker: one line, a few words, no sentence's end, no time of its own."""
    text = paragraph.text
    return ("\n" not in text and 0 < len(text.split()) <= _SHORT_LABEL_WORDS and not _SENTENCE_END.search(text)
            and not _TIME_ONLY.match(text))

"""The printable handout: the shared dilemmas, the common ground, then one theme card per page, as .docx.

The content comes from `view.build_report_view`, shared with the HTML and
Markdown reports, in their order: a page per shared dilemma (with each
team's dilemma, decision point and reason), a page listing the dilemmas one
team alone raised, a page of common ground for the workshop, then a page
per theme. The file is written with python-docx and then normalised
(fixed core properties, fixed zip entry dates) so the same data gives the
same bytes.
"""
from __future__ import annotations

import copy
import functools
import io
import logging
import os
import re
import zipfile
from datetime import datetime
from pathlib import Path
from typing import Any

from docx import Document
from docx.document import Document as DocxDocument
from docx.shared import Cm, Pt, RGBColor

from .data import ReportData
from .view import (
    DILEMMA_TABLE_HEADINGS,
    DILEMMAS_HEADING,
    GROUND_HEADING,
    GROUND_INTRO,
    NO_ROWS_NOTE,
    NOT_SAID,
    ONE_TEAM_HEADING,
    ONE_TEAM_TABLE_HEADINGS,
    SHARED_DILEMMA_KICKER,
    SHARED_HEADING,
    TEAM_SPECIFIC_HEADING,
    DecisionRowView,
    DilemmaCard,
    DilemmaSections,
    GroundCard,
    QuoteView,
    ReportView,
    ThemeCard,
    build_report_view,
    dilemma_title,
    format_score,
    theme_title,
)

logger = logging.getLogger(__name__)

# Fixed metadata so two writes of the same data give identical bytes.
FIXED_DATETIME = datetime(2000, 1, 1, 0, 0, 0)
FIXED_ZIP_DATE_TIME = (2000, 1, 1, 0, 0, 0)
DOCX_AUTHOR = "Common Ground"
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


# --------------------------------------------------------------------------
# The .docx handout
# --------------------------------------------------------------------------

def write_theme_cards(data: ReportData, path: Path, view: ReportView | None = None) -> None:
    """Write the printable handout: the dilemmas and common ground first, then one theme card per page.

    The same data always gives the same bytes: core properties carry a fixed
    date and author, and zip entries a fixed date. The file is written
    atomically, so a crash never leaves a half-written handout.

    Parameters
    ----------
    data : ReportData
        The finished tables and run summary.
    path : Path
        Where to write the `.docx`.

    Examples
    --------
    >>> write_theme_cards(data, Path("out/theme_cards.docx"))  # doctest: +SKIP
    """
    view = view or build_report_view(data)
    document = _build_document(view)
    buffer = io.BytesIO()
    document.save(buffer)
    _write_atomically(Path(path), normalise_docx_zip(buffer.getvalue()))
    logger.info("report: wrote %d theme cards to %s", len(view.cards), path)


def normalise_docx_zip(blob: bytes) -> bytes:
    """Re-write a .docx zip with fixed entry dates and attributes.

    python-docx stamps every zip entry with the current time, so two saves of
    the same document differ; entry order and contents are kept unchanged.
    """
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(blob)) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            info = zipfile.ZipInfo(entry.filename, date_time=FIXED_ZIP_DATE_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            # ZipInfo's defaults depend on the platform; fix them too.
            info.create_system = 3
            info.external_attr = 0o644 << 16
            target.writestr(info, source.read(entry.filename))
    return out.getvalue()


def _build_document(view: ReportView) -> DocxDocument:
    document = Document()
    _remember_style_ids(document)
    _set_fixed_properties(document, view.title)
    _set_page_layout(document)
    _add_dilemma_pages(document, view.dilemmas, view.title)
    _add_ground_page(document, view.dilemmas)
    if not view.cards:
        _new_page(document.add_heading(_xml_safe(view.title), level=1))
        document.add_paragraph("This run found no themes.")
        return document
    for card in view.cards:
        _add_card(document, card, view.title, new_page=True)
    return document


def _remember_style_ids(document: DocxDocument) -> None:
    """Have this document look each style up once, not once per paragraph.

    python-docx finds a style's id by its name with two XPath searches of the
    styles part every time a heading, quote or table is styled: about 2,000
    times and 1.5 s in the 137-meeting handout. The styles do not change
    while the handout is built, so the answers are remembered, for this
    document's part only; the XML written is the same.
    """
    part = document.part
    part.get_style_id = functools.lru_cache(maxsize=None)(part.get_style_id)


def _new_page(paragraph: Any) -> Any:
    # "Page break before" on a page's first paragraph rather than a break
    # run, so no page starts or ends with an empty paragraph.
    paragraph.paragraph_format.page_break_before = True
    return paragraph


def _add_dilemma_pages(document: DocxDocument, sections: DilemmaSections, report_title: str) -> None:
    """A page per shared dilemma (the document's first), then one listing those one team raised."""
    if not sections.shared:
        document.add_heading(DILEMMAS_HEADING, level=1)
        document.add_paragraph(sections.empty_note)
    for position, card in enumerate(sections.shared):
        _add_dilemma_card(document, card, report_title, new_page=position > 0)
    if sections.one_team:
        _new_page(document.add_heading(ONE_TEAM_HEADING, level=1))
        table = _table_with_headings(document, ONE_TEAM_TABLE_HEADINGS)
        for card in sections.one_team:
            for row in card.rows or [None]:
                cells = _add_row_cells(table)
                _fill_dilemma_cell(cells[0].paragraphs[0], card)
                if row is None:
                    cells[1].text = _xml_safe(", ".join(card.teams) or "—")
                    cells[2].text = NO_ROWS_NOTE
                    continue
                _fill_team_row(cells[1:], row)


def _add_dilemma_card(document: DocxDocument, card: DilemmaCard, report_title: str, new_page: bool) -> None:
    kicker = document.add_paragraph()
    kicker.paragraph_format.page_break_before = new_page
    _add_run(kicker, _xml_safe(f"{report_title} · {SHARED_DILEMMA_KICKER} {card.rank} · {card.dilemma_id}"),
             size=10, grey=True)
    document.add_heading(_xml_safe(dilemma_title(card)), level=1)
    facts = [("Sides", card.sides)] if card.sides else []
    facts += [("Teams", f"{', '.join(card.teams) or '—'} ({card.n_teams})"),
              ("Common-ground score", format_score(card.common_ground)), ("Quotes", str(card.n_quotes))]
    _add_fact_lines(document, facts)
    if not card.rows:
        document.add_paragraph(NO_ROWS_NOTE)
        return
    table = _table_with_headings(document, DILEMMA_TABLE_HEADINGS)
    for row in card.rows:
        _fill_team_row(_add_row_cells(table), row)


def _add_ground_page(document: DocxDocument, sections: DilemmaSections) -> None:
    _new_page(document.add_heading(GROUND_HEADING, level=1))
    if not sections.grounds:
        document.add_paragraph(sections.no_ground_note)
        return
    document.add_paragraph(GROUND_INTRO)
    for ground in sections.grounds:
        _add_ground(document, ground)


def _add_ground(document: DocxDocument, ground: GroundCard) -> None:
    kicker = document.add_paragraph()
    kicker.paragraph_format.space_before = Pt(12)
    _add_run(kicker, _xml_safe(f"Common ground {ground.position} · {ground.ground_id}"), size=10, grey=True)
    document.add_heading(_xml_safe(f"“{ground.statement}”"), level=2)
    source = ground.statement_quote
    facts = []
    if source is not None:
        facts.append(("Said by", f"{source.team or 'team unknown'}, {source.quote_id}"))
    facts += [("Teams", f"{', '.join(ground.teams) or '—'} ({ground.n_teams})"),
              ("Dilemmas", "; ".join(f"{dilemma_title(link)} ({link.dilemma_id})" for link in ground.dilemmas)
               or "—")]
    _add_fact_lines(document, facts)
    for quote in ground.quotes:
        _add_quote(document, quote)


def _table_with_headings(document: DocxDocument, headings: tuple[str, ...]) -> Any:
    table = document.add_table(rows=1, cols=len(headings))
    table.style = "Table Grid"
    for cell, heading in zip(table.rows[0].cells, headings):
        _add_run(cell.paragraphs[0], heading, bold=True)
    return table


def _fill_dilemma_cell(paragraph: Any, card: DilemmaCard) -> None:
    _add_run(paragraph, _xml_safe(dilemma_title(card)))
    _add_run(paragraph, _xml_safe(f" [{card.dilemma_id}, {format_score(card.common_ground)}]"), size=9)


def _fill_team_row(cells: Any, row: DecisionRowView) -> None:
    """Team, dilemma as voiced, decision point, reason; "not said" where the conversation gave none."""
    cells[0].text = _xml_safe(row.team)
    for cell, quote in zip(cells[1:], (row.dilemma, row.decision, row.reason)):
        _fill_quote_cell(cell.paragraphs[0], quote, missing=NOT_SAID)


def _add_fact_lines(document: DocxDocument, facts: list[tuple[str, str]]) -> None:
    for name, value in facts:
        paragraph = document.add_paragraph()
        paragraph.paragraph_format.space_after = Pt(2)
        _add_run(paragraph, f"{name}: ", bold=True)
        _add_run(paragraph, _xml_safe(value))


def _set_fixed_properties(document: DocxDocument, title: str) -> None:
    core = document.core_properties
    core.author = DOCX_AUTHOR
    core.last_modified_by = DOCX_AUTHOR
    core.title = title
    core.comments = ""
    core.revision = 1
    core.created = FIXED_DATETIME
    core.modified = FIXED_DATETIME
    core.last_printed = FIXED_DATETIME


def _set_page_layout(document: DocxDocument) -> None:
    # A4 with generous type: the handout is printed in UK organisations and
    # read at arm's length in a workshop.
    for section in document.sections:
        section.page_width, section.page_height = Cm(21.0), Cm(29.7)
        for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
            setattr(section, side, Cm(2.0))
    document.styles["Normal"].font.size = Pt(12)


def _add_card(document: DocxDocument, card: ThemeCard, report_title: str,
              new_page: bool) -> None:
    kicker = document.add_paragraph()
    kicker.paragraph_format.page_break_before = new_page
    _add_run(kicker, _xml_safe(
        f"{report_title} · {SHARED_HEADING if card.shared else TEAM_SPECIFIC_HEADING} · "
        f"theme {card.theme_id}"), size=10, grey=True)
    document.add_heading(_xml_safe(theme_title(card)), level=1)
    if card.headline:
        headline = document.add_paragraph()
        _add_run(headline, _xml_safe(f"\u201c{card.headline}\u201d"), italic=True)
        _add_run(headline, _xml_safe(f"  {card.headline_quote_id}"))
    _add_facts(document, card)
    document.add_heading("Dilemmas and decisions, by team", level=2)
    _add_decision_table(document, card)
    document.add_heading("Representative quotes", level=2)
    if not card.representative:
        document.add_paragraph("No representative quotes.")
    for quote in card.representative:
        _add_quote(document, quote)


def _add_facts(document: DocxDocument, card: ThemeCard) -> None:
    facts = [
        *([("Holds together", card.firmness)] if card.firmness else []),
        ("Common ground", format_score(card.common_ground)),
        ("Key phrases", ", ".join(card.keywords) or "—"),
        ("Teams", f"{', '.join(card.teams) or '—'} ({card.n_teams})"),
        ("People", str(card.n_speakers)),
        ("Quotes", f"{card.n_quotes} from {card.n_transcripts} conversations"),
        ("Dilemmas / decisions", f"{card.n_dilemmas} / {card.n_decisions}"),
    ]
    _add_fact_lines(document, facts)


def _add_decision_table(document: DocxDocument, card: ThemeCard) -> None:
    if not card.decisions:
        document.add_paragraph("No dilemma or decision was paired for this theme.")
        return
    table = document.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    headings = ("Team", "Dilemma, as the team voiced it", "Decision", "Reason")
    for cell, heading in zip(table.rows[0].cells, headings):
        _add_run(cell.paragraphs[0], heading, bold=True)
    for row in card.decisions:
        cells = _add_row_cells(table)
        cells[0].text = _xml_safe(row.team)
        for cell, quote in zip(cells[1:], (row.dilemma, row.decision, row.reason)):
            _fill_quote_cell(cell.paragraphs[0], quote)


def _fill_quote_cell(paragraph: Any, quote: QuoteView | None, missing: str = "—") -> None:
    if quote is None:
        _add_run(paragraph, missing)
        return
    _add_run(paragraph, _quote_text(quote))
    _add_run(paragraph, _xml_safe(f" [{quote.quote_id}]"), size=9)


def _add_quote(document: DocxDocument, quote: QuoteView) -> None:
    paragraph = document.add_paragraph(style="Quote")
    _add_run(paragraph, _quote_text(quote))
    _add_run(paragraph, _xml_safe(f" — {quote.team or 'team unknown'}, {quote.quote_id}"), italic=False, size=10)


def _add_row_cells(table: Any) -> Any:
    """`table.add_row().cells`, each row after a table's first a copy of the first as python-docx added it.

    `add_row` builds each cell from parsed XML and sets its width, about
    0.5 ms a row; a copy of the empty row is the same XML.
    """
    from docx.table import _Row

    empty = getattr(table, "_empty_row", None)
    if empty is None:
        row = table.add_row()
        table._empty_row = copy.deepcopy(row._tr)
        return row.cells
    tr = copy.deepcopy(empty)
    table._tbl.append(tr)  # where add_row puts it: a table's rows are its last children
    return _Row(tr, table).cells


def _add_run(paragraph: Any, text: str, *, bold: bool | None = None, italic: bool | None = None,
             size: int | None = None, grey: bool = False) -> None:
    """`paragraph.add_run(text)` with the given formatting, in the same XML, built faster.

    python-docx's `add_run` empties the new run (an XPath search) before it
    writes the text, and each font setting searches the run's properties
    for its place; a handout makes some 100,000 such calls on the 137 AMI
    meetings. A run whose text holds no tab or line break (which python-docx
    writes as elements of their own) gets its `<w:t>` directly, and its
    properties as a copy of the `<w:rPr>` python-docx built once for that
    formatting.
    """
    if any(c in text for c in "\t\r\n"):
        run = paragraph.add_run(text)
        _format(run, bold, italic, size, grey)
        return
    r = paragraph._p.add_r()
    properties = _run_properties(bold, italic, size, grey)
    if properties is not None:
        r.append(copy.deepcopy(properties))
    if text:
        r.add_t(text)


@functools.cache
def _run_properties(bold: bool | None, italic: bool | None, size: int | None, grey: bool) -> Any:
    """The `<w:rPr>` python-docx writes for this formatting (None for none), to be copied."""
    from docx.oxml import OxmlElement
    from docx.text.run import Run

    run = Run(OxmlElement("w:r"), None)
    _format(run, bold, italic, size, grey)
    return run._r.rPr


def _format(run: Any, bold: bool | None, italic: bool | None, size: int | None, grey: bool) -> None:
    if bold is not None:
        run.bold = bold
    if italic is not None:
        run.italic = italic
    if size is not None:
        run.font.size = Pt(size)
    if grey:
        run.font.color.rgb = RGBColor(0x44, 0x44, 0x44)


def _quote_text(quote: QuoteView) -> str:
    return _xml_safe(f"“{quote.text}”") if quote.found else "(quote not found in this run)"


def _xml_safe(text: str) -> str:
    # Word XML cannot hold most C0 control characters and python-docx raises
    # on them; a stray one in a transcript must not sink the handout.
    return _XML_INVALID.sub("", text)


def _write_atomically(path: Path, blob: bytes) -> None:
    # A sibling temp file (same file system, so the replace is atomic) opened
    # with plain `open`, so the handout gets the same permissions as every
    # other output rather than mkstemp's 0600.
    temp_path = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(temp_path, "wb") as fh:
            fh.write(blob)
        os.replace(temp_path, path)
    except BaseException:
        temp_path.unlink(missing_ok=True)
        raise

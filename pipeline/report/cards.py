"""Theme cards: the content model shared by every report, and the .docx handout.

The HTML report, the Markdown report and the printable handout must say the
same thing about each theme. So the content is gathered once, here, into
plain frozen dataclasses (`build_report_view`), and each renderer only lays
it out. Strings in the view are raw (unescaped) data; each renderer escapes
them for its own format.

The handout is written with python-docx and then normalised (fixed core
properties, fixed zip entry dates) so the same data gives the same bytes.
"""
from __future__ import annotations

import io
import logging
import math
import os
import re
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePath
from typing import Any, Iterable, Mapping

import pandas as pd
from docx import Document
from docx.document import Document as DocxDocument
from docx.shared import Cm, Pt, RGBColor

from .. import schema
from .data import ReportData

logger = logging.getLogger(__name__)

SHARED_HEADING = "Shared across teams"
TEAM_SPECIFIC_HEADING = "Team-specific themes"
NO_THEME_LABEL = "No theme (outliers)"

# The summary keys every renderer reads; `ReportData` documents them.
REQUIRED_SUMMARY_KEYS = (
    "n_transcripts", "n_teams", "n_quotes", "n_themes", "teams", "failed_inputs",
    "outlier_share_by_team", "anonymisation", "settings", "version", "seed",
    "common_ground_formula",
)

# Settings that hold real names (roster, interviewer names): a handed-out
# report must never carry them, so only their count is shown.
NAME_BEARING_SETTINGS = frozenset({"anonymise.roster", "ingest.interviewers"})

# Fixed metadata so two writes of the same data give identical bytes.
FIXED_DATETIME = datetime(2000, 1, 1, 0, 0, 0)
FIXED_ZIP_DATE_TIME = (2000, 1, 1, 0, 0, 0)
DOCX_AUTHOR = "Common Ground"
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


# --------------------------------------------------------------------------
# Content model
# --------------------------------------------------------------------------

@dataclass(frozen=True)
class QuoteView:
    """One quote as shown in a report: its id, team, speaker pseudonym and text."""

    quote_id: str
    team: str
    speaker: str
    text: str
    found: bool = True  # False when the id is not in the quotes table


@dataclass(frozen=True)
class DecisionRowView:
    """One team's dilemma -> decision -> reason for a theme; any part may be None."""

    team: str
    dilemma: QuoteView | None
    decision: QuoteView | None
    reason: QuoteView | None


@dataclass(frozen=True)
class ThemeCard:
    """Everything a theme card shows."""

    theme_id: int
    label: str
    common_ground: float
    keywords: list[str]
    teams: list[str]
    n_teams: int
    n_speakers: int
    n_quotes: int
    n_transcripts: int
    n_dilemmas: int
    n_decisions: int
    shared: bool
    decisions: list[DecisionRowView]
    representative: list[QuoteView]

    @property
    def anchor(self) -> str:
        """A stable in-document link target."""
        return f"theme-{self.theme_id}"


@dataclass(frozen=True)
class TeamOutliers:
    """How many of a team's quotes were placed in no theme."""

    team: str
    n_outliers: int
    n_quotes: int
    share: float


@dataclass(frozen=True)
class MatrixRow:
    """One theme's row of the common-ground matrix; `counts` follows `ReportView.teams`."""

    theme_id: int
    label: str
    shared: bool
    common_ground: float | None
    counts: list[int]


@dataclass(frozen=True)
class ReportView:
    """The whole report's content, ready to lay out."""

    title: str
    n_transcripts: int
    n_teams: int
    n_quotes: int
    n_themes: int
    teams: list[str]
    failed_inputs: list[tuple[str, str]]
    outliers: list[TeamOutliers]
    matrix: list[MatrixRow]
    matrix_max: int
    outlier_row: MatrixRow
    shared_cards: list[ThemeCard]
    team_specific_cards: list[ThemeCard]
    formula: str
    seed: str
    version: str
    settings: list[tuple[str, str]]
    anonymisation: list[tuple[str, int]]

    @property
    def cards(self) -> list[ThemeCard]:
        """All cards, shared first."""
        return self.shared_cards + self.team_specific_cards


def build_report_view(data: ReportData) -> ReportView:
    """Gather the report's content from `data`, in a deterministic order.

    Parameters
    ----------
    data : ReportData
        The finished tables and run summary.

    Returns
    -------
    ReportView
        Raw (unescaped) strings and numbers; renderers escape for their format.

    Raises
    ------
    KeyError
        If a table lacks a column or the summary lacks a key the report needs.

    Examples
    --------
    >>> view = build_report_view(data)  # doctest: +SKIP
    >>> [card.label for card in view.shared_cards]  # doctest: +SKIP
    ['Waiting lists versus urgent repairs']
    """
    _check_inputs(data)
    summary = data.summary
    teams = _report_teams(data)
    cards = build_theme_cards(data)
    matrix, outlier_row = _build_matrix(data, cards, teams)
    return ReportView(
        title=str(data.title),
        n_transcripts=int(summary["n_transcripts"]),
        n_teams=int(summary["n_teams"]),
        n_quotes=int(summary["n_quotes"]),
        n_themes=int(summary["n_themes"]),
        teams=teams,
        failed_inputs=_failed_inputs(summary["failed_inputs"]),
        outliers=_team_outliers(data, teams),
        matrix=matrix,
        matrix_max=max((c for row in matrix for c in row.counts), default=0),
        outlier_row=outlier_row,
        shared_cards=[c for c in cards if c.shared],
        team_specific_cards=[c for c in cards if not c.shared],
        formula=str(summary["common_ground_formula"]),
        seed=str(summary["seed"]),
        version=str(summary["version"]),
        settings=settings_rows(summary["settings"]),
        anonymisation=sorted((str(k), int(v)) for k, v in summary["anonymisation"].items()),
    )


def build_theme_cards(data: ReportData) -> list[ThemeCard]:
    """One card per theme, in the order of `data.themes` (common ground, highest first).

    Parameters
    ----------
    data : ReportData
        The finished tables.

    Returns
    -------
    list of ThemeCard
        The `no theme` id (-1) never gets a card.
    """
    quotes = quote_index(data.quotes)
    decisions_by_theme = _decision_rows(data.decisions, quotes)
    cards = []
    for row in data.themes.itertuples(index=False):
        record = row._asdict()
        theme_id = int(record[schema.THEME_ID])
        if theme_id == schema.NO_THEME:
            continue
        cards.append(_card_from_record(record, quotes, decisions_by_theme.get(theme_id, [])))
    return cards


def quote_index(quotes: pd.DataFrame) -> dict[str, QuoteView]:
    """Quotes keyed by their id as a string, so int and str ids both look up."""
    index = {}
    for row in quotes.itertuples(index=False):
        record = row._asdict()
        view = QuoteView(
            quote_id=str(record[schema.QUOTE_ID]),
            team=_text(record[schema.TEAM]),
            speaker=_text(record[schema.SPEAKER]),
            text=_text(record[schema.TEXT]),
        )
        index[view.quote_id] = view
    return index


def split_list(value: Any) -> list[str]:
    """A list cell as strings, whether it holds a list or a `; `-joined string.

    Upstream tables keep lists as Python lists in memory but as `; `-joined
    text in the CSVs; a report built from either must show the same thing.
    """
    if _is_missing(value):
        return []
    if isinstance(value, str):
        return [part.strip() for part in value.split(schema.LIST_SEPARATOR.strip())
                if part.strip()]
    return [str(item) for item in value if not _is_missing(item) and str(item) != ""]


def settings_rows(settings: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The resolved config flattened to sorted (`section.key`, value) rows.

    Name-bearing settings show a count only, and absolute paths only their
    last component, because the report is handed out and must not carry
    names or a user's home directory.
    """
    rows = []
    for key, value in _flatten(settings, ""):
        if key in NAME_BEARING_SETTINGS:
            n = len(value) if isinstance(value, (list, tuple)) else int(bool(value))
            rows.append((key, f"{n} {'name' if n == 1 else 'names'} (not shown)"))
        else:
            rows.append((key, _format_setting(value)))
    return sorted(rows)


def format_score(value: float | None) -> str:
    """A common-ground score with two decimals, or an em dash."""
    return "—" if value is None or _is_missing(value) else f"{float(value):.2f}"


def format_share(value: float) -> str:
    """A share in [0, 1] as a whole percentage."""
    return f"{100.0 * float(value):.0f}%"


def theme_title(card: ThemeCard) -> str:
    """The card's label, or a stand-in when the label is empty."""
    return card.label or f"Theme {card.theme_id}"


def _check_inputs(data: ReportData) -> None:
    schema.require_columns(
        data.themes, schema.THEME_OUTPUT_COLUMNS + [schema.REPRESENTATIVE_QUOTES], "report")
    schema.require_columns(data.quotes, schema.QUOTE_OUTPUT_COLUMNS, "report")
    schema.require_columns(data.decisions, schema.DECISION_COLUMNS, "report")
    missing = [k for k in REQUIRED_SUMMARY_KEYS if k not in data.summary]
    if missing:
        raise KeyError(
            f"stage 'report' needs summary keys {missing}, which ReportData.summary "
            f"lacks; it has {sorted(data.summary)}"
        )


def _card_from_record(record: Mapping[str, Any], quotes: Mapping[str, QuoteView],
                      decisions: list[DecisionRowView]) -> ThemeCard:
    teams = split_list(record[schema.TEAMS])
    shared = record.get("shared")
    if _is_missing(shared):
        # `shared` is documented as "raised by 2+ teams": derive it the same way.
        shared = int(record[schema.N_TEAMS]) >= 2
    return ThemeCard(
        theme_id=int(record[schema.THEME_ID]),
        label=_text(record[schema.LABEL]),
        common_ground=float(record[schema.COMMON_GROUND]),
        keywords=split_list(record[schema.KEYWORDS]),
        teams=teams,
        n_teams=int(record[schema.N_TEAMS]),
        n_speakers=int(record[schema.N_SPEAKERS]),
        n_quotes=int(record[schema.N_QUOTES]),
        n_transcripts=int(record[schema.N_TRANSCRIPTS]),
        n_dilemmas=int(record[schema.N_DILEMMAS]),
        n_decisions=int(record[schema.N_DECISIONS]),
        shared=bool(shared),
        decisions=decisions,
        representative=[_lookup(quotes, qid)
                        for qid in split_list(record[schema.REPRESENTATIVE_QUOTES])],
    )


def _decision_rows(decisions: pd.DataFrame,
                   quotes: Mapping[str, QuoteView]) -> dict[int, list[DecisionRowView]]:
    rows: dict[int, list[tuple[tuple[str, ...], DecisionRowView]]] = {}
    for row in decisions.itertuples(index=False):
        record = row._asdict()
        ids = [_optional_id(record[c]) for c in (schema.DILEMMA_QUOTE_ID,
                                                  schema.DECISION_QUOTE_ID,
                                                  schema.RATIONALE_QUOTE_ID)]
        if not any(ids):
            continue
        team = _text(record[schema.TEAM])
        view = DecisionRowView(team, *(None if i is None else _lookup(quotes, i) for i in ids))
        # Sort by team, then by transcript and ids, so row order never depends
        # on how the upstream stage happened to order its frame.
        key = (team, _text(record[schema.TRANSCRIPT_ID])) + tuple(i or "" for i in ids)
        rows.setdefault(int(record[schema.THEME_ID]), []).append((key, view))
    return {theme: [view for _, view in sorted(pairs, key=lambda p: p[0])]
            for theme, pairs in rows.items()}


def _lookup(quotes: Mapping[str, QuoteView], quote_id: str) -> QuoteView:
    view = quotes.get(str(quote_id))
    if view is None:
        # Honest evidence: show the dangling id rather than dropping it.
        logger.warning("report: quote id %s is referenced but not in the quotes table",
                       quote_id)
        return QuoteView(quote_id=str(quote_id), team="", speaker="", text="", found=False)
    return view


def _report_teams(data: ReportData) -> list[str]:
    listed = {str(t) for t in data.summary["teams"]}
    seen = {_text(t) for t in data.quotes[schema.TEAM].unique()}
    if seen - listed:
        logger.warning("report: teams %s have quotes but are not in summary['teams']",
                       sorted(seen - listed))
    return sorted(listed | seen)


def _build_matrix(data: ReportData, cards: list[ThemeCard],
                  teams: list[str]) -> tuple[list[MatrixRow], MatrixRow]:
    counts = (data.quotes.assign(_team=data.quotes[schema.TEAM].map(_text))
              .groupby([schema.THEME_ID, "_team"]).size())
    lookup = {(int(theme), team): int(n) for (theme, team), n in counts.items()}

    def row_counts(theme_id: int) -> list[int]:
        return [lookup.get((theme_id, team), 0) for team in teams]

    rows = [MatrixRow(c.theme_id, theme_title(c), c.shared, c.common_ground,
                      row_counts(c.theme_id)) for c in cards]
    outlier_row = MatrixRow(schema.NO_THEME, NO_THEME_LABEL, False, None,
                            row_counts(schema.NO_THEME))
    return rows, outlier_row


def _team_outliers(data: ReportData, teams: list[str]) -> list[TeamOutliers]:
    shares = {str(k): float(v) for k, v in data.summary["outlier_share_by_team"].items()}
    quote_teams = data.quotes[schema.TEAM].map(_text)
    is_outlier = data.quotes[schema.THEME_ID].astype(int) == schema.NO_THEME
    result = []
    for team in sorted(set(teams) | set(shares)):
        in_team = quote_teams == team
        result.append(TeamOutliers(
            team=team,
            n_outliers=int((in_team & is_outlier).sum()),
            n_quotes=int(in_team.sum()),
            share=shares.get(team, 0.0),
        ))
    return result


def _failed_inputs(failed: Iterable[Mapping[str, Any]]) -> list[tuple[str, str]]:
    return sorted((_text(item.get("file")), _text(item.get("reason"))) for item in failed)


def _flatten(value: Any, prefix: str) -> Iterable[tuple[str, Any]]:
    if isinstance(value, Mapping):
        for key in sorted(value, key=str):
            yield from _flatten(value[key], f"{prefix}{key}.")
        return
    yield prefix.rstrip("."), value


def _format_setting(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return ", ".join(_format_setting(v) for v in value) if value else "(none)"
    if isinstance(value, str):
        looks_like_path = value.startswith("~") or PurePath(value).is_absolute() or (
            len(value) > 2 and value[1] == ":" and value[2] in "\\/")
        if looks_like_path:
            return "…/" + PurePath(value.replace("\\", "/")).name
        return value
    return str(value)


def _optional_id(value: Any) -> str | None:
    if _is_missing(value) or str(value) == "":
        return None
    return str(value)


def _text(value: Any) -> str:
    return "" if _is_missing(value) else str(value)


def _is_missing(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return value is pd.NA or value is pd.NaT


# --------------------------------------------------------------------------
# The .docx handout
# --------------------------------------------------------------------------

def write_theme_cards(data: ReportData, path: Path) -> None:
    """Write the printable handout: one theme card per page, quote ids included.

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
    view = build_report_view(data)
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
    _set_fixed_properties(document, view.title)
    _set_page_layout(document)
    if not view.cards:
        document.add_heading(view.title, level=1)
        document.add_paragraph("This run found no themes.")
        return document
    for position, card in enumerate(view.cards):
        _add_card(document, card, view.title, new_page=position > 0)
    return document


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
    # "Page break before" on the card's first paragraph rather than a break
    # run, so no card page starts or ends with an empty paragraph.
    kicker.paragraph_format.page_break_before = new_page
    run = kicker.add_run(_xml_safe(
        f"{report_title} · {SHARED_HEADING if card.shared else TEAM_SPECIFIC_HEADING} · "
        f"theme {card.theme_id}"))
    run.font.size = Pt(10)
    run.font.color.rgb = RGBColor(0x44, 0x44, 0x44)
    document.add_heading(_xml_safe(theme_title(card)), level=1)
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
        ("Common ground", format_score(card.common_ground)),
        ("Key phrases", ", ".join(card.keywords) or "—"),
        ("Teams", f"{', '.join(card.teams) or '—'} ({card.n_teams})"),
        ("People", str(card.n_speakers)),
        ("Quotes", f"{card.n_quotes} from {card.n_transcripts} conversations"),
        ("Dilemmas / decisions", f"{card.n_dilemmas} / {card.n_decisions}"),
    ]
    for name, value in facts:
        paragraph = document.add_paragraph()
        paragraph.paragraph_format.space_after = Pt(2)
        paragraph.add_run(f"{name}: ").bold = True
        paragraph.add_run(_xml_safe(value))


def _add_decision_table(document: DocxDocument, card: ThemeCard) -> None:
    if not card.decisions:
        document.add_paragraph("No dilemma or decision was paired for this theme.")
        return
    table = document.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    headings = ("Team", "Dilemma, as the team voiced it", "Decision", "Reason")
    for cell, heading in zip(table.rows[0].cells, headings):
        cell.paragraphs[0].add_run(heading).bold = True
    for row in card.decisions:
        cells = table.add_row().cells
        cells[0].text = _xml_safe(row.team)
        for cell, quote in zip(cells[1:], (row.dilemma, row.decision, row.reason)):
            _fill_quote_cell(cell.paragraphs[0], quote)


def _fill_quote_cell(paragraph: Any, quote: QuoteView | None) -> None:
    if quote is None:
        paragraph.add_run("—")
        return
    paragraph.add_run(_quote_text(quote))
    ident = paragraph.add_run(_xml_safe(f" [{quote.quote_id}]"))
    ident.font.size = Pt(9)


def _add_quote(document: DocxDocument, quote: QuoteView) -> None:
    paragraph = document.add_paragraph(style="Quote")
    paragraph.add_run(_quote_text(quote))
    source = paragraph.add_run(
        _xml_safe(f" — {quote.team or 'team unknown'}, {quote.quote_id}"))
    source.italic = False
    source.font.size = Pt(10)


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

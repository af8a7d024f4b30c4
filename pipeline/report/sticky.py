"""sticky_notes.csv: one row per quote a workshop board needs, for whiteboard tools.

Miro, Mural and FigJam turn CSV rows into sticky notes. The notes follow the
report's order. First each dilemma's (shared ones, then those one team
raised): each team's dilemma as voiced, decision point and reason, under the
dilemma's title. Then the common ground's: its statement and supporting
quotes, under the statement. Then each theme's, as its card shows them: the
representative quotes, then each team's dilemma, decision and reason. The
`theme` column holds the title the notes gather under (a theme's label, a
dilemma's title or a ground's statement) and `section` the report section
they come from.

Those tools and the spreadsheets people open the file with treat a cell
starting with `=`, `+`, `-` or `@` as a formula, so such a cell gets a
leading apostrophe (OWASP's advice for CSV injection); the text is otherwise
unchanged.
"""
from __future__ import annotations

import pandas as pd

from .data import ReportData
from .view import (
    DILEMMAS_HEADING,
    GROUND_HEADING,
    ONE_TEAM_HEADING,
    SHARED_HEADING,
    TEAM_SPECIFIC_HEADING,
    DecisionRowView,
    DilemmaCard,
    GroundCard,
    QuoteView,
    ReportView,
    ThemeCard,
    build_report_view,
    dilemma_title,
    theme_title,
)

STICKY_COLUMNS = ["theme", "team", "quote_id", "quote", "kind", "section"]
GROUND_KIND = "common ground"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def sticky_notes(data: ReportData, view: ReportView | None = None) -> pd.DataFrame:
    """The notes as a table with `STICKY_COLUMNS`, in the report's order.

    `kind` is dilemma, decision or reason (a dilemma's or a theme's team
    rows), common ground, or representative (a theme's quotes). A quote
    appears once per card, under the first kind that names it.

    Examples
    --------
    >>> notes = sticky_notes(data)  # doctest: +SKIP
    >>> notes.kind.unique().tolist()  # doctest: +SKIP
    ['dilemma', 'decision', 'reason', 'common ground', 'representative']
    """
    view = view or build_report_view(data)
    rows = []
    for dilemma in view.dilemmas.cards:
        rows += _dilemma_notes(dilemma)
    for ground in view.dilemmas.grounds:
        rows += _ground_notes(ground)
    for card in view.cards:
        rows += _card_notes(card)
    return pd.DataFrame(rows, columns=STICKY_COLUMNS)


def neutralise_formula(text: str) -> str:
    """Text a spreadsheet will show, never evaluate.

    Examples
    --------
    >>> neutralise_formula("=HYPERLINK(\\"x\\")"), neutralise_formula("plain")
    ('\\'=HYPERLINK("x")', 'plain')
    """
    return f"'{text}" if text.startswith(_FORMULA_START) else text


class _Notes:
    """One card's notes: each quote once, under the title the notes gather under."""

    def __init__(self, title: str, section: str) -> None:
        self.title, self.section = title, section
        self.rows: list[dict[str, str]] = []
        self._seen: set[str] = set()

    def add(self, quote: QuoteView | None, kind: str, team: str) -> None:
        if quote is None or not quote.found or quote.quote_id in self._seen:
            return
        self._seen.add(quote.quote_id)
        self.rows.append({
            "theme": neutralise_formula(self.title),
            "team": neutralise_formula(team or quote.team),
            "quote_id": neutralise_formula(quote.quote_id),
            "quote": neutralise_formula(quote.text),
            "kind": kind,
            "section": self.section,
        })

    def add_team_rows(self, rows: list[DecisionRowView]) -> None:
        for row in rows:
            self.add(row.dilemma, "dilemma", row.team)
            self.add(row.decision, "decision", row.team)
            self.add(row.reason, "reason", row.team)


def _dilemma_notes(dilemma: DilemmaCard) -> list[dict[str, str]]:
    notes = _Notes(dilemma_title(dilemma), DILEMMAS_HEADING if dilemma.shared else ONE_TEAM_HEADING)
    notes.add_team_rows(dilemma.rows)
    return notes.rows


def _ground_notes(ground: GroundCard) -> list[dict[str, str]]:
    notes = _Notes(ground.statement, GROUND_HEADING)
    for quote in ([ground.statement_quote] if ground.statement_quote else []) + ground.quotes:
        notes.add(quote, GROUND_KIND, quote.team)
    return notes.rows


def _card_notes(card: ThemeCard) -> list[dict[str, str]]:
    notes = _Notes(theme_title(card), SHARED_HEADING if card.shared else TEAM_SPECIFIC_HEADING)
    for quote in card.representative:
        notes.add(quote, "representative", quote.team)
    notes.add_team_rows(card.decisions)
    return notes.rows

"""sticky_notes.csv: one row per quote a workshop board needs, for whiteboard tools.

Miro, Mural and FigJam turn CSV rows into sticky notes. A theme's notes are
what its card shows: the representative quotes, then each team's dilemma,
decision and reason, in report order (shared themes first). Those tools
and the spreadsheets people open the file with treat a cell starting with
`=`, `+`, `-` or `@` as a formula, so such a cell gets a leading apostrophe
(OWASP's advice for CSV injection); the text is otherwise unchanged.
"""
from __future__ import annotations

import pandas as pd

from .data import ReportData
from .view import QuoteView, ReportView, ThemeCard, build_report_view, theme_title

STICKY_COLUMNS = ["theme", "team", "quote_id", "quote", "kind"]
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def sticky_notes(data: ReportData, view: ReportView | None = None) -> pd.DataFrame:
    """The notes as a table with `STICKY_COLUMNS`; `kind` is representative, dilemma, decision or reason.

    A quote appears once per theme, under the first kind that names it.

    Examples
    --------
    >>> notes = sticky_notes(data)  # doctest: +SKIP
    >>> notes.kind.unique().tolist()  # doctest: +SKIP
    ['representative', 'dilemma', 'decision', 'reason']
    """
    rows = []
    for card in (view or build_report_view(data)).cards:
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


def _card_notes(card: ThemeCard) -> list[dict[str, str]]:
    seen: set[str] = set()
    notes = []

    def add(quote: QuoteView | None, kind: str, team: str) -> None:
        if quote is None or not quote.found or quote.quote_id in seen:
            return
        seen.add(quote.quote_id)
        notes.append({
            "theme": neutralise_formula(theme_title(card)),
            "team": neutralise_formula(team or quote.team),
            "quote_id": neutralise_formula(quote.quote_id),
            "quote": neutralise_formula(quote.text),
            "kind": kind,
        })

    for quote in card.representative:
        add(quote, "representative", quote.team)
    for row in card.decisions:
        add(row.dilemma, "dilemma", row.team)
        add(row.decision, "decision", row.team)
        add(row.reason, "reason", row.team)
    return notes

"""The theme cards of a report: one per theme, with its decision table and representative quotes.

A card carries a theme's label, score, keywords and counts from the themes
table, its representative quotes looked up in the quotes table, and each
team's dilemma -> decision -> reason rows from the decisions table, sorted
so that the order never depends on how an upstream stage ordered its frame.
It is separate from the run summary (`view_summary`) because it reads the
tables theme by theme, where the summary counts across them.
"""
from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

import pandas as pd

from .. import schema
from .data import ReportData
from .view_cells import cell_text, is_missing, optional_id, split_list
from .view_types import DecisionRowView, QuoteView, ThemeCard

logger = logging.getLogger(__name__)


def build_theme_cards(data: ReportData) -> list[ThemeCard]:
    """One card per theme, in the order of `data.themes` (common ground, highest first), loose themes after firm ones.

    Among the conversations' scaffolding (openings and closings, which
    `data.themes` puts last) loose themes likewise follow the firm ones.

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
        card = _card_from_record(record, quotes, decisions_by_theme.get(theme_id, []))
        cards.append(((_flag(record.get(schema.SCAFFOLDING)), card.loose), card))
    # A stable sort: within firm and within loose themes the table's order holds.
    return [card for _, card in sorted(cards, key=lambda pair: pair[0])]


def _flag(value: Any) -> bool:
    """A 0/1 column's value, missing (a run before the column, a curated theme) read as 0."""
    return False if value is None or is_missing(value) else bool(int(value))


def _measure(value: Any) -> float | None:
    return None if value is None or is_missing(value) else float(value)


def quote_index(quotes: pd.DataFrame) -> dict[str, QuoteView]:
    """Quotes keyed by their id as a string, so int and str ids both look up."""
    index = {}
    # The four columns read as lists, not every column of every row: the quotes table is wide.
    for quote_id, team, speaker, text in zip(*(quotes[column].tolist() for column in (
            schema.QUOTE_ID, schema.TEAM, schema.SPEAKER, schema.TEXT))):
        view = QuoteView(quote_id=str(quote_id), team=cell_text(team), speaker=cell_text(speaker),
                         text=cell_text(text))
        index[view.quote_id] = view
    return index


def _card_from_record(record: Mapping[str, Any], quotes: Mapping[str, QuoteView],
                      decisions: list[DecisionRowView]) -> ThemeCard:
    teams = split_list(record[schema.TEAMS])
    shared = record.get(schema.SHARED)
    if is_missing(shared):
        # `shared` is documented as "raised by 2+ teams": derive it the same way.
        shared = int(record[schema.N_TEAMS]) >= 2
    return ThemeCard(
        theme_id=int(record[schema.THEME_ID]),
        label=cell_text(record[schema.LABEL]),
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
        representative=[lookup_quote(quotes, qid)
                        for qid in split_list(record[schema.REPRESENTATIVE_QUOTES])],
        theme_key=cell_text(record.get(schema.THEME_KEY)),
        headline=cell_text(record.get(schema.HEADLINE)),
        headline_quote_id=cell_text(record.get(schema.HEADLINE_QUOTE_ID)),
        stability=_measure(record.get(schema.STABILITY)),
        cohesion=_measure(record.get(schema.COHESION)),
        loose=_flag(record.get(schema.LOOSE)),
    )


def _decision_rows(decisions: pd.DataFrame,
                   quotes: Mapping[str, QuoteView]) -> dict[int, list[DecisionRowView]]:
    rows: dict[int, list[tuple[tuple[str, ...], DecisionRowView]]] = {}
    for row in decisions.itertuples(index=False):
        record = row._asdict()
        ids = [optional_id(record[c]) for c in (schema.DILEMMA_QUOTE_ID,
                                                  schema.DECISION_QUOTE_ID,
                                                  schema.RATIONALE_QUOTE_ID)]
        if not any(ids):
            continue
        team = cell_text(record[schema.TEAM])
        view = DecisionRowView(team, *(None if i is None else lookup_quote(quotes, i) for i in ids))
        # Sort by team, then by transcript and ids, so row order never depends
        # on how the upstream stage happened to order its frame.
        key = (team, cell_text(record[schema.TRANSCRIPT_ID])) + tuple(i or "" for i in ids)
        rows.setdefault(int(record[schema.THEME_ID]), []).append((key, view))
    return {theme: [view for _, view in sorted(pairs, key=lambda p: p[0])]
            for theme, pairs in rows.items()}


def lookup_quote(quotes: Mapping[str, QuoteView], quote_id: str) -> QuoteView:
    """The quote with `quote_id`, or a stand-in marked not found (`found=False`) that keeps the id."""
    view = quotes.get(str(quote_id))
    if view is None:
        # Honest evidence: show the dangling id rather than dropping it.
        logger.warning("report: quote id %s is referenced but not in the quotes table",
                       quote_id)
        return QuoteView(quote_id=str(quote_id), team="", speaker="", text="", found=False)
    return view



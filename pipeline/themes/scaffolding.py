"""Flag themes that are the scaffolding of the conversations: openings and closings.

Every conversation opens with greetings, small talk and introductions ("I
lead the adult social care team") and closes with thanks, contact details
and next steps. Every team voices them, so a breadth score ranks them as
common ground, yet they are not what a workshop is for. What gives them away
is where they are said: a quote's position is its rank among its
conversation's quote units, from 0 (the first) to 1 (the last), and a theme
is scaffolding when more than `share` of its quotes lie within `edge` of
either end. An even spread puts 2 x `edge` of a theme's quotes there (30% at
the default 0.15), so the default `share` of 0.6 asks for twice that.

On the bundled sample the four themes above 0.6 are small talk over coffee,
goodbyes, contact details and introductions (0.80 to 0.96 of their quotes at
the edges, `scaffolding_share` in themes.csv after `make run`); the next highest is 0.45.
"""
from __future__ import annotations

import pandas as pd

from .. import schema

# In a conversation of a few quote units nearly every unit is near an end: a survey answer or a
# short exchange has no opening and closing to speak of. Shorter conversations are left out.
MIN_QUOTES = 10


def quote_positions(quotes: pd.DataFrame, min_quotes: int = MIN_QUOTES) -> pd.Series:
    """Each quote's place in its conversation, 0 for the first quote unit and 1 for the last.

    NaN for the quotes of a conversation with fewer than `min_quotes` units.

    Examples
    --------
    >>> q = pd.DataFrame({"transcript_id": ["a", "a", "a", "b"], "turn": [3, 1, 2, 0]})
    >>> quote_positions(q, min_quotes=2).tolist()
    [1.0, 0.0, 0.5, nan]
    """
    order = quotes.groupby(schema.TRANSCRIPT_ID, sort=False)[schema.TURN].rank(method="first") - 1
    counts = quotes.groupby(schema.TRANSCRIPT_ID, sort=False)[schema.TURN].transform("size")
    return (order / (counts - 1)).where(counts >= max(2, min_quotes)).astype(float)


def edge_shares(quotes: pd.DataFrame, edge: float) -> pd.Series:
    """Theme id -> share of its quotes within `edge` of the start or end of their conversation.

    Only quotes with a position count; a theme with none has no share (NaN).
    """
    positions = quote_positions(quotes)
    placed = quotes[quotes[schema.THEME_ID] != schema.NO_THEME]
    return pd.Series({theme: share_at_edges(positions.loc[members.index], edge)
                      for theme, members in placed.groupby(schema.THEME_ID)}, dtype=float)


def at_edges(positions: pd.Series, edge: float) -> pd.Series:
    """Whether each known position (`quote_positions`) lies within `edge` of the start or the end."""
    return (positions <= edge) | (positions >= 1 - edge)


def share_at_edges(positions: pd.Series, edge: float) -> float:
    """The share of the known positions that lie at the edges; NaN when none is known."""
    known = positions.dropna()
    return round(float(at_edges(known, edge).mean()), 4) if len(known) else float("nan")

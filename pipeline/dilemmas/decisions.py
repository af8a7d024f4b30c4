"""Each team's decision point on a dilemma, and the reason it gave.

"If a team has changed its way of working to solve a dilemma, they can tell
us why." For each dilemma and team: the dilemma as the team voiced it (in
the team's conversation that holds most of the dilemma's units, the unit most
central to the dilemma), the decision point (a unit flagged as a decision in
that conversation within `[dilemmas] decision_window` units of its dilemma
units, the likeliest first, then the nearest, a later one before an earlier one at
equal distance, since a decision is told after the dilemma it resolves), and
the reason (the decision's paired rationale, else the likeliest rationale
within the window of the decision). Empty cells mean the conversation did
not say.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .. import schema


def decision_points(quotes: pd.DataFrame, vectors: np.ndarray, dilemma_of: pd.Series, window: int) -> pd.DataFrame:
    """The dilemma_decisions table: one row per dilemma and team that voiced it.

    Parameters
    ----------
    quotes : quote table with the flags, scores (`decision_score`,
        `rationale_score`; the 0/1 flags stand in where absent) and
        `rationale_quote_id`, positionally aligned with `vectors`.
    vectors : unit vectors.
    dilemma_of : each quote's dilemma id, "" for none (`shared.shared_dilemmas`).
    window : `[dilemmas] decision_window`.
    """
    place = quotes.groupby(schema.TRANSCRIPT_ID, sort=False).cumcount().to_numpy()
    transcripts = quotes[schema.TRANSCRIPT_ID].to_numpy()
    ids = quotes[schema.QUOTE_ID].astype(str).to_numpy()
    decision_score = _score(quotes, schema.DECISION_SCORE, schema.IS_DECISION)
    rationale_score = _score(quotes, schema.RATIONALE_SCORE, schema.IS_RATIONALE)
    is_decision = quotes[schema.IS_DECISION].to_numpy() == 1
    is_rationale = quotes[schema.IS_RATIONALE].to_numpy() == 1
    paired = quotes[schema.RATIONALE_QUOTE_ID].astype(str).to_numpy() if schema.RATIONALE_QUOTE_ID in quotes \
        else np.full(len(quotes), "", dtype=object)
    rows = []
    voiced = quotes.assign(_dilemma=dilemma_of.to_numpy())
    voiced = voiced[voiced["_dilemma"] != ""]
    for (dilemma, team), group in voiced.groupby(["_dilemma", schema.TEAM], sort=False):
        members = group.index.to_numpy()  # find_dilemmas hands over a RangeIndex: labels are positions
        all_members = np.flatnonzero(dilemma_of.to_numpy() == dilemma)
        centre = vectors[all_members].mean(axis=0)
        # The team's conversation that dwells on the dilemma most; in it, the unit most central to it.
        conversation = max(sorted(set(transcripts[members])), key=lambda t: int((transcripts[members] == t).sum()))
        members = members[transcripts[members] == conversation]
        voiced_by_team = members[int(np.argmax(vectors[members] @ centre))]
        # A decision is told near the talk of the dilemma, whichever of its units voiced it.
        in_conversation = np.flatnonzero((transcripts == conversation) & is_decision)
        gaps = np.abs(place[in_conversation][:, None] - place[members][None, :])
        same = in_conversation[(gaps <= window).any(axis=1)]
        same = same[~np.isin(same, members)]  # the decision point is another sentence than the dilemma
        decision = _best(same, decision_score, place, place[voiced_by_team])
        rationale = ""
        if decision is not None:
            # The reason is a sentence of its own: not the decision, not the dilemma as voiced.
            taken = {ids[decision], ids[voiced_by_team]}
            rationale = paired[decision] if paired[decision] not in ("", "nan", *taken) else ""
            if not rationale:
                near = np.flatnonzero((transcripts == transcripts[decision])
                                      & (np.abs(place - place[decision]) <= window) & is_rationale)
                near = np.array([i for i in near if ids[i] not in taken], dtype=int)
                found = _best(near, rationale_score, place, place[decision])
                rationale = "" if found is None else ids[found]
        rows.append({
            schema.DILEMMA_ID: dilemma, schema.TEAM: team, schema.TRANSCRIPT_ID: transcripts[voiced_by_team],
            schema.DILEMMA_QUOTE_ID: ids[voiced_by_team],
            schema.DECISION_QUOTE_ID: "" if decision is None else ids[decision],
            schema.RATIONALE_QUOTE_ID: rationale,
            schema.DECISION_SCORE: "" if decision is None else round(float(decision_score[decision]), 4),
        })
    table = pd.DataFrame(rows, columns=schema.DILEMMA_DECISION_COLUMNS)
    order = table[schema.DILEMMA_ID].str[1:].astype(int) if len(table) else table[schema.DILEMMA_ID]
    return table.assign(_order=order).sort_values(["_order", schema.TEAM], kind="mergesort") \
        .drop(columns="_order").reset_index(drop=True)


def _score(quotes: pd.DataFrame, score: str, flag: str) -> np.ndarray:
    column = score if score in quotes else flag
    return quotes[column].astype(float).to_numpy()


def _best(candidates: np.ndarray, scores: np.ndarray, place: np.ndarray, anchor: int):
    """The likeliest candidate; at equal score the nearest to `anchor`, then the one after it."""
    if len(candidates) == 0:
        return None
    return int(min(candidates, key=lambda i: (-scores[i], abs(int(place[i]) - anchor), place[i] < anchor)))

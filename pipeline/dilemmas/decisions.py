"""Each team's decision point on a dilemma, and the reason it gave.

"If a team has changed its way of working to solve a dilemma, they can tell
us why." For each dilemma and team:

- the dilemma as the team voiced it: in the team's conversation that holds
  most of the dilemma's units, the one with the highest dilemma score times
  its link to the dilemma (the most central unit voices the matter, often
  not the tension: "It is a good idea. Everyone loved it.");
- the decision point: among the units of that conversation flagged as a
  decision within `[dilemmas] decision_window` units of its dilemma units,
  and those anywhere in it that answer the interviewer's "So what did you
  do?" (the consultant's way back to the decision point; they count as
  flagged at the threshold at least), the one with the highest decision
  score times its link to the dilemma;
- the reason: among the units flagged as a rationale within the window of
  the decision (its paired rationale among them), the one with the highest
  rationale score times its link to the dilemma.

The link matters because a conversation holds several dilemmas and their
decisions side by side: the likeliest decision sentence near the talk of
the phone queue may be the one about spending limits, told a few answers
later. A unit's link to a dilemma is its similarity to the dilemma's centre,
read with its theme (`shared.read_in_theme`), scaled within the
conversation so that its least related unit has 0 and its most related 1:
what counts is how much more a sentence is about this dilemma than the rest
of the talk, not the level of similarity, which varies with the corpus. At
equal score the nearest wins, a later one before an earlier one, since a
decision is told after the dilemma it resolves. Empty cells mean the
conversation did not say.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .. import schema
from ..signals.patterns import CHANGE_CUE


def decision_points(quotes: pd.DataFrame, vectors: np.ndarray, dilemma_of: pd.Series, window: int,
                    asked_score: float = 1.0) -> pd.DataFrame:
    """The dilemma_decisions table: one row per dilemma and team that voiced it.

    Parameters
    ----------
    quotes : quote table with the flags, scores (`dilemma_score`, `decision_score`,
        `rationale_score`; the 0/1 flags stand in where absent) and
        `rationale_quote_id`, positionally aligned with `vectors`.
    vectors : unit vectors, each read with its theme (`shared.read_in_theme`).
    dilemma_of : each quote's dilemma id, "" for none (`shared.shared_dilemmas`).
    window : `[dilemmas] decision_window`.
    asked_score : the decision score an answer to "So what did you do?" (the `answers_change`
        cue) counts as at least: the score at which the run flags a decision.
    """
    place = quotes.groupby(schema.TRANSCRIPT_ID, sort=False).cumcount().to_numpy()
    transcripts = quotes[schema.TRANSCRIPT_ID].to_numpy()
    ids = quotes[schema.QUOTE_ID].astype(str).to_numpy()
    dilemma_score = _score(quotes, schema.DILEMMA_SCORE, schema.IS_DILEMMA)
    decision_score = _score(quotes, schema.DECISION_SCORE, schema.IS_DECISION)
    rationale_score = _score(quotes, schema.RATIONALE_SCORE, schema.IS_RATIONALE)
    is_decision = quotes[schema.IS_DECISION].to_numpy() == 1
    # An answer to "So what did you do?" counts as a flagged decision at least.
    asked = _answers_change(quotes)
    asked_or_scored = np.where(asked, np.maximum(decision_score, asked_score), decision_score)
    is_rationale = quotes[schema.IS_RATIONALE].to_numpy() == 1
    paired = quotes[schema.RATIONALE_QUOTE_ID].astype(str).to_numpy() if schema.RATIONALE_QUOTE_ID in quotes \
        else np.full(len(quotes), "", dtype=object)
    position_of = {quote_id: n for n, quote_id in enumerate(ids)}
    dilemmas = dilemma_of.to_numpy()
    rows = []
    voiced = quotes.assign(_dilemma=dilemmas)
    voiced = voiced[voiced["_dilemma"] != ""]
    for (dilemma, team), group in voiced.groupby(["_dilemma", schema.TEAM], sort=False):
        members = group.index.to_numpy()  # find_dilemmas hands over a RangeIndex: labels are positions
        centre = vectors[dilemmas == dilemma].mean(axis=0)
        # The team's conversation that dwells on the dilemma most; in it, the unit that voices the
        # tension most plainly and most about this dilemma (with flags alone: the most central).
        conversation = max(sorted(set(transcripts[members])), key=lambda t: int((transcripts[members] == t).sum()))
        members = members[transcripts[members] == conversation]
        talk = np.flatnonzero(transcripts == conversation)
        link = np.zeros(len(quotes))
        link[talk] = _scaled(vectors[talk] @ centre)
        voiced_by_team = _best(members, dilemma_score * link, place, 0)
        # A decision is told near the talk of the dilemma, whichever of its units voiced it,
        # and is another sentence than the dilemma.
        near_talk = talk[(np.abs(place[talk][:, None] - place[members][None, :]) <= window).any(axis=1)]
        # Where the interviewer asked what the team did, the answer states a decision point however far
        # from the talk of the dilemma and however the detector scores its words: it is a candidate
        # anywhere in the conversation, scored at least as a flagged decision; the link says which
        # dilemma's decision it is.
        candidates = np.union1d(near_talk[is_decision[near_talk]], talk[asked[talk]])
        candidates = candidates[~np.isin(candidates, members)].astype(int)
        decision = _best(candidates, asked_or_scored * link, place, place[voiced_by_team])
        rationale = ""
        if decision is not None:
            # The reason is a sentence of its own: not the decision, not the dilemma as voiced.
            near = talk[(np.abs(place[talk] - place[decision]) <= window) & is_rationale[talk]]
            if paired[decision] in position_of:
                near = np.union1d(near, [position_of[paired[decision]]])
            near = near[(near != decision) & (near != voiced_by_team)]
            found = _best(near, rationale_score * link, place, place[decision])
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


def _answers_change(quotes: pd.DataFrame) -> np.ndarray:
    """Whether each unit answers an interviewer's question about what the team did (the `answers_change` cue)."""
    if schema.CUES not in quotes:
        return np.zeros(len(quotes), dtype=bool)
    return quotes[schema.CUES].fillna("").str.contains(f"decision:{CHANGE_CUE}", regex=False).to_numpy()


def _score(quotes: pd.DataFrame, score: str, flag: str) -> np.ndarray:
    column = score if score in quotes else flag
    return quotes[column].astype(float).to_numpy()


def _scaled(similarity: np.ndarray) -> np.ndarray:
    """Similarities scaled to [0, 1] within one conversation (all 1 when they are equal).

    Examples
    --------
    >>> _scaled(np.array([0.25, 0.75, 0.5])).tolist()
    [0.0, 1.0, 0.5]
    >>> _scaled(np.array([0.3, 0.3])).tolist()
    [1.0, 1.0]
    """
    spread = float(similarity.max() - similarity.min()) if len(similarity) else 0.0
    if spread <= 1e-12:
        return np.ones(len(similarity))
    return (similarity - similarity.min()) / spread


def _best(candidates: np.ndarray, scores: np.ndarray, place: np.ndarray, anchor: int):
    """The best-scored candidate; at equal score the nearest to `anchor`, then the one after it."""
    if len(candidates) == 0:
        return None
    return int(min(candidates, key=lambda i: (-scores[i], abs(int(place[i]) - anchor), place[i] < anchor)))

"""Each team's decision point on a dilemma, and the reason it gave.

"If a team has changed its way of working to solve a dilemma, they can tell
us why." For each dilemma and team:

- the dilemma as the team voiced it: in the team's conversation that holds
  most of the dilemma's units, the one with the highest dilemma score times
  its link to the dilemma (the most central unit voices the matter, often
  not the tension: "It is a good idea. Everyone loved it."), other than a
  unit that states a principle, which is the team's reason; where some of
  them are told within the window of the decision point, one of those, so
  that the row reads as one story and not as an opening remark beside a
  decision two hundred turns later;
- the decision point: among the units of that conversation flagged as a
  decision within `[dilemmas] decision_window` units of its dilemma units,
  and those anywhere in it that answer the interviewer's "So what did you
  do?" (the consultant's way back to the decision point; they count as
  flagged at the threshold at least), the one with the highest decision
  score times its link to the dilemma;
- the reason: among the units flagged as a rationale within the window of
  the decision (its paired rationale among them) and not as a decision
  ("we changed the privacy notice" tells what the team did), the one with
  the highest rationale score times its link to the dilemma; but a unit
  that states a principle (the `principle` cue: "the people doing the work
  know their caseloads, so they should be the ones making the call") comes
  before any that does not, and then one that names its reason as such
  ("if you want the official reason, it was the complaints", "that's why
  they were ringing": `NAMED_REASON_CUES`) before one that only says
  "because". A principle is the reason that can be shared across teams and
  dilemmas, the common ground the workshop starts from. It is a candidate
  anywhere in the conversation where its link to the dilemma is
  `principle_min_link` or more and no other dilemma read in that
  conversation has a nearer centre: teams often state it apart from the
  story of the decision, when asked what others should learn from it.

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
from ..signals.patterns import CHANGE_CUE, NAMED_REASON_CUES
from ..signals.principles import PRINCIPLE_CUE


def decision_points(quotes: pd.DataFrame, vectors: np.ndarray, dilemma_of: pd.Series, window: int,
                    asked_score: float = 1.0, principle_min_link: float = 0.5) -> pd.DataFrame:
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
    principle_min_link : `[dilemmas] principle_min_link`: how closely a principle told outside
        the decision's window must bear on the dilemma to be its reason.
    """
    place = quotes.groupby(schema.TRANSCRIPT_ID, sort=False).cumcount().to_numpy()
    transcripts = quotes[schema.TRANSCRIPT_ID].to_numpy()
    ids = quotes[schema.QUOTE_ID].astype(str).to_numpy()
    dilemma_score = _score(quotes, schema.DILEMMA_SCORE, schema.IS_DILEMMA)
    decision_score = _score(quotes, schema.DECISION_SCORE, schema.IS_DECISION)
    rationale_score = _score(quotes, schema.RATIONALE_SCORE, schema.IS_RATIONALE)
    is_decision = quotes[schema.IS_DECISION].to_numpy() == 1
    # An answer to "So what did you do?" counts as a flagged decision at least.
    asked = _has_cue(quotes, f"decision:{CHANGE_CUE}")
    asked_or_scored = np.where(asked, np.maximum(decision_score, asked_score), decision_score)
    is_rationale = quotes[schema.IS_RATIONALE].to_numpy() == 1
    principle = _has_cue(quotes, f"rationale:{PRINCIPLE_CUE}")
    named = np.logical_or.reduce([_has_cue(quotes, f"rationale:{cue}") for cue in NAMED_REASON_CUES])
    # A principle first, then a reason named as such, then the likeliest (scores times links lie in [0, 1]).
    reason_tier = 2.0 * principle + named
    paired = quotes[schema.RATIONALE_QUOTE_ID].astype(str).to_numpy() if schema.RATIONALE_QUOTE_ID in quotes \
        else np.full(len(quotes), "", dtype=object)
    position_of = {quote_id: n for n, quote_id in enumerate(ids)}
    dilemmas = dilemma_of.to_numpy()
    voiced = quotes.assign(_dilemma=dilemmas)
    voiced = voiced[voiced["_dilemma"] != ""]
    # Each dilemma and team, read in the team's conversation that dwells on the dilemma most.
    read_in = {}
    for (dilemma, team), group in voiced.groupby(["_dilemma", schema.TEAM], sort=False):
        members = group.index.to_numpy()  # find_dilemmas hands over a RangeIndex: labels are positions
        conversation = max(sorted(set(transcripts[members])), key=lambda t: int((transcripts[members] == t).sum()))
        read_in[dilemma, team] = (conversation, members[transcripts[members] == conversation])
    centres = {dilemma: vectors[dilemmas == dilemma].mean(axis=0) for dilemma, _ in read_in}
    # Told apart from the story of any decision, a principle bears on one of the dilemmas read in
    # its conversation: the one whose centre is nearest.
    told_in: dict[str, list[str]] = {}
    for (dilemma, _), (conversation, _) in read_in.items():
        told_in.setdefault(conversation, []).append(dilemma)
    rows = []
    for (dilemma, team), (conversation, members) in read_in.items():
        centre = centres[dilemma]
        # In the conversation, the unit that voices the tension most plainly and most about this
        # dilemma (with flags alone: the most central).
        talk = np.flatnonzero(transcripts == conversation)
        link = np.zeros(len(quotes))
        link[talk] = _scaled(vectors[talk] @ centre)
        # A unit that states a principle is the team's reason, not its tension: another voices the dilemma.
        voicing = members[~principle[members]] if (~principle[members]).any() else members
        voiced_by_team = _best(voicing, dilemma_score * link, place, 0)
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
        if decision is not None:
            # The row is read as one story: of the units voicing the dilemma, one told near its decision.
            told_near = voicing[np.abs(place[voicing] - place[decision]) <= window]
            if len(told_near):
                voiced_by_team = _best(told_near, dilemma_score * link, place, place[decision])
        rationale = ""
        if decision is not None:
            own = np.array([centres[d] for d in told_in[conversation]]) @ vectors[talk].T
            bears_on = np.array(told_in[conversation], dtype=object)[np.argmax(own, axis=0)] == dilemma
            # The reason is a sentence of its own: not the decision, not the dilemma as voiced, and not
            # another unit that tells what the team did (flagged a decision) unless it states a principle.
            in_window = np.abs(place[talk] - place[decision]) <= window
            near = talk[(in_window & (is_rationale[talk] | principle[talk]))
                        | (principle[talk] & (link[talk] >= principle_min_link) & bears_on)]
            if paired[decision] in position_of:
                near = np.union1d(near, [position_of[paired[decision]]]).astype(int)
            near = near[(near != decision) & (near != voiced_by_team) & (~is_decision[near] | principle[near])]
            found = _best(near, reason_tier + rationale_score * link, place, place[decision])
            rationale = "" if found is None else ids[found]
        rows.append({
            schema.DILEMMA_ID: dilemma, schema.TEAM: team, schema.TRANSCRIPT_ID: transcripts[voiced_by_team],
            schema.DILEMMA_QUOTE_ID: ids[voiced_by_team],
            schema.DECISION_QUOTE_ID: "" if decision is None else ids[decision],
            schema.RATIONALE_QUOTE_ID: rationale,
            # A number, or missing where no decision was found (an empty cell in the file), never "".
            schema.DECISION_SCORE: np.nan if decision is None else round(float(decision_score[decision]), 4),
        })
    table = pd.DataFrame(rows, columns=schema.DILEMMA_DECISION_COLUMNS)
    order = table[schema.DILEMMA_ID].str[1:].astype(int) if len(table) else table[schema.DILEMMA_ID]
    return table.assign(_order=order).sort_values(["_order", schema.TEAM], kind="mergesort") \
        .drop(columns="_order").reset_index(drop=True)


def _has_cue(quotes: pd.DataFrame, cue: str) -> np.ndarray:
    """Whether each unit matched `cue` ("kind:name"): an answer to "So what did you do?"
    (`decision:answers_change`), a principle stated (`rationale:principle`)."""
    if schema.CUES not in quotes:
        return np.zeros(len(quotes), dtype=bool)
    return quotes[schema.CUES].fillna("").str.contains(cue, regex=False).to_numpy()


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

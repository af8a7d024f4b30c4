"""Common ground between competing dilemmas: the principles several teams share behind different decisions.

Going back to the decision points: the reasons the teams gave (the rationale
of each row of `dilemma_decisions`) are compared across all dilemmas. What
several teams can share is a principle, not a story ("the people doing the
work know their caseloads, so they should be the ones making the call", not
"the call took three times as long"), so the reasons compared are those that
state one (`signals.principles`), each read as its principle sentence alone,
embedded on its own: the rest of the unit and the talk around it are about
the team's own dilemma, which is what common ground must see past. Where the
quote table does not say which units state a principle (no `_principle`
column), every reason is compared, as its unit's vector.

The sentences are grouped by meaning (average linkage, cosine distance at
most `[dilemmas] reason_max_distance`). A group voiced by `ground_min_teams`
teams or more over `ground_min_dilemmas` dilemmas or more is common ground,
the starting point of the design workshop. Its statement is its most
central sentence, verbatim.
"""
from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from .. import schema
from ..config import DilemmasConfig
from .shared import group_by_meaning


def common_ground(quotes: pd.DataFrame, vectors: np.ndarray, decisions: pd.DataFrame,
                  config: DilemmasConfig,
                  encode: Callable[[list[str]], np.ndarray] | None = None) -> pd.DataFrame:
    """The common_ground table, the broadest first.

    Parameters
    ----------
    quotes : the quote table, positionally aligned with `vectors`; with `_principle`
        (`signals.detect_signals`), only the reasons that state a principle are compared.
    vectors : unit vectors, each in its answer's context but not pulled towards its
        theme: reasons shared across dilemmas lie in different themes.
    decisions : the dilemma_decisions table.
    config : the [dilemmas] settings.
    encode : unit-length vectors of texts (the run's sentence embedder, through its cache);
        None reads each principle as its unit's vector.
    """
    reasons = decisions[decisions[schema.RATIONALE_QUOTE_ID].astype(str) != ""]
    position = {quote_id: n for n, quote_id in enumerate(quotes[schema.QUOTE_ID].astype(str))}
    rows = reasons.assign(_position=reasons[schema.RATIONALE_QUOTE_ID].astype(str).map(position)).dropna(
        subset=["_position"])
    positions = rows["_position"].astype(int).to_numpy()
    statements = quotes[schema.TEXT].astype(str).to_numpy()[positions]
    if schema.PRINCIPLE in quotes:
        principles = quotes[schema.PRINCIPLE].fillna("").astype(str).to_numpy()[positions]
        stated = principles != ""
        rows, positions, statements = rows[stated], positions[stated], principles[stated]
    read = vectors[positions] if encode is None or not len(statements) else np.asarray(encode(list(statements)))
    groups = group_by_meaning(read, config.reason_max_distance)
    found = []
    for group in range(int(groups.max()) + 1 if len(groups) else 0):
        member = groups == group
        members = rows[member]
        teams = sorted(members[schema.TEAM].astype(str).unique())
        dilemmas = sorted(members[schema.DILEMMA_ID].astype(str).unique(), key=lambda d: int(d[1:]))
        if len(teams) < config.ground_min_teams or len(dilemmas) < config.ground_min_dilemmas:
            continue
        centre = read[member].mean(axis=0)
        ranked = np.argsort(-(read[member] @ centre), kind="stable")
        quote_ids = list(dict.fromkeys(quotes[schema.QUOTE_ID].astype(str).to_numpy()[positions[member][ranked]]))
        found.append({
            schema.STATEMENT: str(statements[member][ranked[0]]),
            schema.N_TEAMS: len(teams),
            schema.TEAMS: schema.LIST_SEPARATOR.join(teams),
            schema.DILEMMA_IDS: schema.LIST_SEPARATOR.join(dilemmas),
            schema.QUOTE_IDS: schema.LIST_SEPARATOR.join(quote_ids),
            "_dilemmas": len(dilemmas),
        })
    found.sort(key=lambda row: (-row[schema.N_TEAMS], -row["_dilemmas"], row[schema.QUOTE_IDS]))
    table = [{schema.GROUND_ID: f"G{n}", **{k: v for k, v in row.items() if k != "_dilemmas"}}
             for n, row in enumerate(found, start=1)]
    return pd.DataFrame(table, columns=schema.COMMON_GROUND_COLUMNS)

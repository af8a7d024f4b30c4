"""Common ground between competing dilemmas: the reasons several teams share behind different decisions.

Going back to the decision points: the reasons the teams gave (the rationale
of each row of `dilemma_decisions`) are grouped by meaning across all
dilemmas. A group of reasons voiced by `[dilemmas] ground_min_teams` teams
or more over `ground_min_dilemmas` dilemmas or more is common ground, the
starting point of the design workshop. Its statement is its most central
reason, verbatim.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .. import schema
from ..config import DilemmasConfig
from .shared import group_by_meaning


def common_ground(quotes: pd.DataFrame, vectors: np.ndarray, decisions: pd.DataFrame,
                  config: DilemmasConfig) -> pd.DataFrame:
    """The common_ground table, the broadest first.

    Parameters
    ----------
    quotes : the quote table, positionally aligned with `vectors`.
    vectors : unit vectors, each in its answer's context but not pulled towards its
        theme: reasons shared across dilemmas lie in different themes.
    decisions : the dilemma_decisions table.
    config : the [dilemmas] settings.
    """
    reasons = decisions[decisions[schema.RATIONALE_QUOTE_ID].astype(str) != ""]
    position = {quote_id: n for n, quote_id in enumerate(quotes[schema.QUOTE_ID].astype(str))}
    rows = reasons.assign(_position=reasons[schema.RATIONALE_QUOTE_ID].astype(str).map(position)).dropna(
        subset=["_position"])
    positions = rows["_position"].astype(int).to_numpy()
    groups = group_by_meaning(vectors[positions], config.reason_max_distance)
    found = []
    for group in range(int(groups.max()) + 1 if len(groups) else 0):
        members = rows[groups == group]
        teams = sorted(members[schema.TEAM].astype(str).unique())
        dilemmas = sorted(members[schema.DILEMMA_ID].astype(str).unique(), key=lambda d: int(d[1:]))
        if len(teams) < config.ground_min_teams or len(dilemmas) < config.ground_min_dilemmas:
            continue
        member_positions = positions[groups == group]
        centre = vectors[member_positions].mean(axis=0)
        ranked = member_positions[np.argsort(-(vectors[member_positions] @ centre), kind="stable")]
        quote_ids = list(dict.fromkeys(quotes[schema.QUOTE_ID].astype(str).to_numpy()[ranked]))
        found.append({
            schema.STATEMENT: str(quotes[schema.TEXT].iloc[ranked[0]]),
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

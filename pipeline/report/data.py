"""What the report writers receive: finished tables and a run summary.

The writers only format; every number they show is computed upstream and
traceable to rows of `quotes`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd


@dataclass
class ReportData:
    """Everything a report writer needs.

    Attributes
    ----------
    title : str
        Report title from the config.
    themes : DataFrame
        One row per theme, ordered by `common_ground` (highest first), with
        `schema.THEME_OUTPUT_COLUMNS` plus `representative_quotes` (a list of
        quote ids) and `shared` (bool: raised by 2+ teams).
    quotes : DataFrame
        One row per quote unit, `schema.QUOTE_OUTPUT_COLUMNS` plus `x`, `y`
        (2-D map coordinates), `is_rationale` (0/1) and `placed_by`
        ("cluster", "nearest" or "" for quotes in no theme). All text is
        already anonymised, but it is still untrusted: escape it.
    decisions : DataFrame
        `schema.DECISION_COLUMNS`: per theme and team, the quote ids of the
        dilemma as that team voiced it, the decision it took and its reason
        (any of the three may be "" when the conversation did not give one).
    summary : dict
        `n_transcripts`, `n_teams`, `n_quotes`, `n_themes`, `teams` (list),
        `failed_inputs` (list of {file, reason}), `outlier_share_by_team`
        ({team: share in [0, 1]}), `anonymisation` ({type: count}),
        `settings` (the resolved config as a dict), `version`, `seed`,
        `common_ground_formula` (a sentence).
    """

    title: str
    themes: pd.DataFrame
    quotes: pd.DataFrame
    decisions: pd.DataFrame
    summary: dict[str, Any] = field(default_factory=dict)

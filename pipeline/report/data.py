"""What the report writers receive: finished tables and a run summary.

The writers only format; every number they show is computed upstream and
traceable to rows of `quotes`.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from .. import schema


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
        `common_ground_formula` (a sentence); optionally `skipped_inputs`
        (list of {file, reason}: files that are not transcripts),
        `other_language_inputs` (list of {file, language}: files read but
        written in another language than English, `language` an ISO 639-1
        code; None when the run did not check languages, as run.json files
        written before the check) and `curation` (what
        `pipeline.curation.curate` applied).
    theme_keys : dict or None
        The themes as the model found them, with their keys
        (`pipeline.curation.theme_keys_snapshot`), written to
        `theme_keys.json`; None writes no such file.
    dilemmas : DataFrame
        `schema.DILEMMA_COLUMNS`, ranked: shared dilemmas first (`n_teams` >= 2),
        then one team's; `quote_ids` lists the dilemma's units, most central first.
    dilemma_decisions : DataFrame
        `schema.DILEMMA_DECISION_COLUMNS`: per dilemma and team, the dilemma as
        voiced, the decision point and the reason (quote ids, "" when not given).
    common_ground : DataFrame
        `schema.COMMON_GROUND_COLUMNS`: reasons shared by several teams across
        dilemmas; `statement` is the most central reason, verbatim.
    """

    title: str
    themes: pd.DataFrame
    quotes: pd.DataFrame
    decisions: pd.DataFrame
    summary: dict[str, Any] = field(default_factory=dict)
    theme_keys: dict[str, Any] | None = None
    dilemmas: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=schema.DILEMMA_COLUMNS))
    dilemma_decisions: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=schema.DILEMMA_DECISION_COLUMNS))
    common_ground: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=schema.COMMON_GROUND_COLUMNS))


def build_report_data(themes: pd.DataFrame, quotes: pd.DataFrame, decisions: pd.DataFrame,
                      run_summary: Mapping[str, Any], title: str,
                      theme_keys: dict[str, Any] | None = None, dilemmas: pd.DataFrame | None = None,
                      dilemma_decisions: pd.DataFrame | None = None,
                      common_ground: pd.DataFrame | None = None) -> ReportData:
    """The report's input from a run's tables and its run.json content.

    Counts of themes and of teams come from the tables, so a curated run
    (themes merged or hidden) reports what it shows.

    Examples
    --------
    >>> data = build_report_data(run.themes, run.quotes, run.decisions, run.summary, "Common ground")  # doctest: +SKIP
    """
    inputs = run_summary.get("inputs", [])
    return ReportData(
        title=title,
        themes=themes,
        quotes=quotes,
        decisions=decisions,
        summary={
            "n_transcripts": run_summary["counts"]["transcripts"],
            "n_teams": int(quotes[schema.TEAM].nunique()),
            "n_quotes": len(quotes),
            "n_themes": len(themes),
            "teams": sorted(quotes[schema.TEAM].astype(str).unique()),
            "failed_inputs": [{"file": i["file"], "reason": i["reason"]} for i in inputs if i["status"] == "failed"],
            "skipped_inputs": [{"file": i["file"], "reason": i["reason"]} for i in inputs if i["status"] == "skipped"],
            "other_language_inputs": other_language_inputs(inputs),
            "outlier_share_by_team": run_summary.get("outlier_share_by_team", {}),
            "anonymisation": run_summary.get("anonymisation", {}),
            "settings": run_summary.get("config", {}),
            "version": run_summary.get("version", ""),
            "seed": run_summary.get("seed", ""),
            "common_ground_formula": run_summary.get("common_ground_formula", ""),
            "curation": run_summary.get("curation", {}),
        },
        theme_keys=theme_keys,
        **{name: table for name, table in (("dilemmas", dilemmas), ("dilemma_decisions", dilemma_decisions),
                                           ("common_ground", common_ground)) if table is not None},
    )


def other_language_inputs(inputs: list[Mapping[str, Any]]) -> list[dict[str, str]] | None:
    """{file, language} for each input that run.json marks as written in another language than English.

    None when no input carries `language`: a run.json written before the
    language check, whose files' language nobody knows.

    >>> other_language_inputs([{"file": "a.txt", "language": "de"}, {"file": "b.txt", "language": ""}])
    [{'file': 'a.txt', 'language': 'de'}]
    >>> other_language_inputs([{"file": "a.txt"}]) is None
    True
    """
    if inputs and not any("language" in i for i in inputs):
        return None
    return [{"file": i["file"], "language": str(i["language"])}
            for i in inputs if i.get("language") not in (None, "", "en")]

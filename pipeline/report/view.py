"""The report's content, gathered once for every renderer.

The HTML report, the Markdown report and the printable handout must say the
same thing about each theme. So the content is gathered here into plain
frozen dataclasses (`build_report_view`), and each renderer only lays it
out. Strings in the view are raw (unescaped) data; each renderer escapes
them for its own format.

This module holds the entry point and the check of its inputs. The content
model is in `view_types`, the shared dilemmas and the common ground (the
report's first two sections) in `view_dilemmas`, the theme cards and their
decision tables in `view_cards`, the run-wide sections in `view_summary`,
and the cell readers they share in `view_cells`.
"""
from __future__ import annotations

from .. import schema
from .data import ReportData
from .view_cards import build_theme_cards, quote_index
from .view_cells import split_list
from .view_dilemmas import (
    DILEMMA_TABLE_HEADINGS,
    DILEMMAS_HEADING,
    GROUND_HEADING,
    GROUND_INTRO,
    NO_ROWS_NOTE,
    NOT_SAID,
    ONE_TEAM_HEADING,
    ONE_TEAM_TABLE_HEADINGS,
    SHARED_DILEMMA_KICKER,
    DilemmaCard,
    DilemmaLink,
    DilemmaSections,
    GroundCard,
    build_dilemma_sections,
    dilemma_title,
)
from .view_summary import (
    NAME_BEARING_SETTINGS,
    build_matrix,
    curation_notes,
    failed_input_rows,
    language_rows,
    report_teams,
    settings_rows,
    team_outliers,
)
from .view_types import (
    HIDDEN_LABEL,
    LANGUAGE_ALL_ENGLISH,
    LANGUAGE_HEADING,
    LANGUAGE_NOT_CHECKED,
    NO_THEME_LABEL,
    SHARED_HEADING,
    TEAM_SPECIFIC_HEADING,
    CurationNote,
    DecisionRowView,
    MatrixRow,
    QuoteView,
    ReportView,
    TeamOutliers,
    ThemeCard,
    format_score,
    format_share,
    theme_title,
)

# The renderers import the view's types and helpers from here, as one place.
__all__ = [
    "DILEMMA_TABLE_HEADINGS", "DILEMMAS_HEADING", "GROUND_HEADING", "GROUND_INTRO", "NO_ROWS_NOTE", "NOT_SAID",
    "ONE_TEAM_HEADING", "ONE_TEAM_TABLE_HEADINGS", "SHARED_DILEMMA_KICKER", "DilemmaCard",
    "DilemmaLink", "DilemmaSections", "GroundCard", "build_dilemma_sections", "dilemma_title",
    "HIDDEN_LABEL", "LANGUAGE_ALL_ENGLISH", "LANGUAGE_HEADING", "LANGUAGE_NOT_CHECKED",
    "NAME_BEARING_SETTINGS", "NO_THEME_LABEL", "REQUIRED_SUMMARY_KEYS", "SHARED_HEADING",
    "TEAM_SPECIFIC_HEADING", "CurationNote", "DecisionRowView", "MatrixRow", "QuoteView", "ReportView",
    "TeamOutliers", "ThemeCard", "build_report_view", "build_theme_cards", "curation_notes", "format_score",
    "format_share", "quote_index", "settings_rows", "split_list", "theme_title",
]

# The summary keys every renderer reads; `ReportData` documents them.
# (`outlier_share_by_team` is no longer read: shares are counted from the
# quotes, so a curated run's report adds up.)
REQUIRED_SUMMARY_KEYS = (
    "n_transcripts", "n_teams", "n_quotes", "n_themes", "teams", "failed_inputs",
    "anonymisation", "settings", "version", "seed", "common_ground_formula",
)


def build_report_view(data: ReportData) -> ReportView:
    """Gather the report's content from `data`, in a deterministic order.

    Parameters
    ----------
    data : ReportData
        The finished tables and run summary.

    Returns
    -------
    ReportView
        Raw (unescaped) strings and numbers; renderers escape for their format.

    Raises
    ------
    KeyError
        If a table lacks a column or the summary lacks a key the report needs.

    Examples
    --------
    >>> view = build_report_view(data)  # doctest: +SKIP
    >>> [card.label for card in view.shared_cards]  # doctest: +SKIP
    ['Waiting lists versus urgent repairs']
    """
    _check_inputs(data)
    summary = data.summary
    teams = report_teams(data)
    cards = build_theme_cards(data)
    matrix, outlier_row, hidden_row = build_matrix(data, cards, teams)
    return ReportView(
        title=str(data.title),
        n_transcripts=int(summary["n_transcripts"]),
        n_teams=int(summary["n_teams"]),
        n_quotes=int(summary["n_quotes"]),
        n_themes=int(summary["n_themes"]),
        teams=teams,
        failed_inputs=failed_input_rows(summary["failed_inputs"]),
        skipped_inputs=failed_input_rows(summary.get("skipped_inputs", [])),
        # A summary without the key (built by hand, or before the check) reads as "not checked".
        other_language_inputs=language_rows(summary.get("other_language_inputs")),
        outliers=team_outliers(data, teams),
        matrix=matrix,
        matrix_max=max((c for row in matrix for c in row.counts), default=0),
        outlier_row=outlier_row,
        hidden_row=hidden_row,
        shared_cards=[c for c in cards if c.shared],
        team_specific_cards=[c for c in cards if not c.shared],
        formula=str(summary["common_ground_formula"]),
        seed=str(summary["seed"]),
        version=str(summary["version"]),
        settings=settings_rows(summary["settings"]),
        anonymisation=sorted((str(k), int(v)) for k, v in summary["anonymisation"].items() if isinstance(v, int)),
        curation=curation_notes(summary.get("curation") or {}),
        dilemmas=build_dilemma_sections(data),
    )


def _check_inputs(data: ReportData) -> None:
    schema.require_columns(
        data.themes, schema.THEME_OUTPUT_COLUMNS + [schema.REPRESENTATIVE_QUOTES], "report")
    schema.require_columns(data.quotes, schema.QUOTE_OUTPUT_COLUMNS, "report")
    schema.require_columns(data.decisions, schema.DECISION_COLUMNS, "report")
    missing = [k for k in REQUIRED_SUMMARY_KEYS if k not in data.summary]
    if missing:
        raise KeyError(
            f"stage 'report' needs summary keys {missing}, which ReportData.summary "
            f"lacks; it has {sorted(data.summary)}"
        )


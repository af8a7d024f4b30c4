"""The report's content, gathered once for every renderer.

The HTML report, the Markdown report and the printable handout must say the
same thing about each theme. So the content is gathered here into plain
frozen dataclasses (`build_report_view`), and each renderer only lays it
out. Strings in the view are raw (unescaped) data; each renderer escapes
them for its own format.
"""
from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any, Iterable, Mapping

import pandas as pd

from .. import schema
from ..curation import PLACED_HIDDEN, THEME_KEY
from .data import ReportData

logger = logging.getLogger(__name__)

SHARED_HEADING = "Shared across teams"
TEAM_SPECIFIC_HEADING = "Team-specific themes"
NO_THEME_LABEL = "No theme (outliers)"
HIDDEN_LABEL = "Hidden by curation"

# The summary keys every renderer reads; `ReportData` documents them.
# (`outlier_share_by_team` is no longer read: shares are counted from the
# quotes, so a curated run's report adds up.)
REQUIRED_SUMMARY_KEYS = (
    "n_transcripts", "n_teams", "n_quotes", "n_themes", "teams", "failed_inputs",
    "anonymisation", "settings", "version", "seed", "common_ground_formula",
)

# Settings that hold real names (roster, interviewer names): a handed-out
# report must never carry them, so only their count is shown.
NAME_BEARING_SETTINGS = frozenset({"anonymise.roster", "ingest.interviewers"})


# --------------------------------------------------------------------------
# Content model
# --------------------------------------------------------------------------

@dataclass(frozen=True)
class QuoteView:
    """One quote as shown in a report: its id, team, speaker pseudonym and text."""

    quote_id: str
    team: str
    speaker: str
    text: str
    found: bool = True  # False when the id is not in the quotes table


@dataclass(frozen=True)
class DecisionRowView:
    """One team's dilemma -> decision -> reason for a theme; any part may be None."""

    team: str
    dilemma: QuoteView | None
    decision: QuoteView | None
    reason: QuoteView | None


@dataclass(frozen=True)
class ThemeCard:
    """Everything a theme card shows."""

    theme_id: int
    label: str
    common_ground: float
    keywords: list[str]
    teams: list[str]
    n_teams: int
    n_speakers: int
    n_quotes: int
    n_transcripts: int
    n_dilemmas: int
    n_decisions: int
    shared: bool
    decisions: list[DecisionRowView]
    representative: list[QuoteView]
    theme_key: str = ""

    @property
    def anchor(self) -> str:
        """A stable in-document link target."""
        return f"theme-{self.theme_id}"


@dataclass(frozen=True)
class TeamOutliers:
    """How many of a team's quotes are in no theme: left out by the pipeline, or hidden by curation."""

    team: str
    n_outliers: int
    n_quotes: int
    share: float  # (n_outliers + n_hidden) / n_quotes: the share the report's themes do not show
    n_hidden: int = 0


@dataclass(frozen=True)
class CurationNote:
    """One curation action, said the same way by every renderer."""

    text: str
    applied: bool


@dataclass(frozen=True)
class MatrixRow:
    """One theme's row of the common-ground matrix; `counts` follows `ReportView.teams`."""

    theme_id: int
    label: str
    shared: bool
    common_ground: float | None
    counts: list[int]


@dataclass(frozen=True)
class ReportView:
    """The whole report's content, ready to lay out."""

    title: str
    n_transcripts: int
    n_teams: int
    n_quotes: int
    n_themes: int
    teams: list[str]
    failed_inputs: list[tuple[str, str]]
    skipped_inputs: list[tuple[str, str]]
    outliers: list[TeamOutliers]
    matrix: list[MatrixRow]
    matrix_max: int
    outlier_row: MatrixRow
    hidden_row: MatrixRow | None
    shared_cards: list[ThemeCard]
    team_specific_cards: list[ThemeCard]
    formula: str
    seed: str
    version: str
    settings: list[tuple[str, str]]
    anonymisation: list[tuple[str, int]]
    curation: list[CurationNote]

    @property
    def n_hidden(self) -> int:
        """Quotes whose theme the analyst hid."""
        return sum(o.n_hidden for o in self.outliers)

    @property
    def cards(self) -> list[ThemeCard]:
        """All cards, shared first."""
        return self.shared_cards + self.team_specific_cards


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
    teams = _report_teams(data)
    cards = build_theme_cards(data)
    matrix, outlier_row, hidden_row = _build_matrix(data, cards, teams)
    return ReportView(
        title=str(data.title),
        n_transcripts=int(summary["n_transcripts"]),
        n_teams=int(summary["n_teams"]),
        n_quotes=int(summary["n_quotes"]),
        n_themes=int(summary["n_themes"]),
        teams=teams,
        failed_inputs=_failed_inputs(summary["failed_inputs"]),
        skipped_inputs=_failed_inputs(summary.get("skipped_inputs", [])),
        outliers=_team_outliers(data, teams),
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
    )


def build_theme_cards(data: ReportData) -> list[ThemeCard]:
    """One card per theme, in the order of `data.themes` (common ground, highest first).

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
        cards.append(_card_from_record(record, quotes, decisions_by_theme.get(theme_id, [])))
    return cards


def quote_index(quotes: pd.DataFrame) -> dict[str, QuoteView]:
    """Quotes keyed by their id as a string, so int and str ids both look up."""
    index = {}
    for row in quotes.itertuples(index=False):
        record = row._asdict()
        view = QuoteView(
            quote_id=str(record[schema.QUOTE_ID]),
            team=_text(record[schema.TEAM]),
            speaker=_text(record[schema.SPEAKER]),
            text=_text(record[schema.TEXT]),
        )
        index[view.quote_id] = view
    return index


def curation_notes(curation: Mapping[str, Any]) -> list[CurationNote]:
    """What the analyst's curation did to this run, one sentence per action.

    Parameters
    ----------
    curation : the `summary` of `pipeline.curation.curate`: `applied` and
        `not_applied` lists of {action, theme, label, ...}.

    Examples
    --------
    >>> curation_notes({"applied": [{"action": "rename", "theme": "t1", "label": "Phones"}]})[0].text
    'Theme t1 renamed “Phones”.'
    """
    notes = []
    for entry in curation.get("applied", []):
        notes.append(CurationNote(_describe(entry), True))
    for entry in curation.get("not_applied", []):
        notes.append(CurationNote(
            f"Not applied: {entry.get('action', '')} of {entry.get('theme', '')} "
            f"({entry.get('status', '')}).", False))
    return notes


def _describe(entry: Mapping[str, Any]) -> str:
    action, theme, label = entry.get("action"), _text(entry.get("theme")), _text(entry.get("label"))
    if action == "rename":
        return f"Theme {theme} renamed “{label}”."
    if action == "merge":
        return f"Themes {theme} merged{f' as “{label}”' if label else ''}."
    if action == "split":
        return (f"{entry.get('n_quotes', 0)} quotes of theme {theme} split off"
                f"{f' as “{label}”' if label else ''}.")
    if action == "hide":
        reason = _text(entry.get("reason"))
        return (f"Theme “{label}” ({entry.get('theme_key', theme)}, {entry.get('n_quotes', 0)} quotes) "
                f"hidden{f': {reason}' if reason else ''}.")
    return f"{action} {theme}."


def split_list(value: Any) -> list[str]:
    """A list cell as strings, whether it holds a list or a `; `-joined string.

    Upstream tables keep lists as Python lists in memory but as `; `-joined
    text in the CSVs; a report built from either must show the same thing.
    """
    if _is_missing(value):
        return []
    if isinstance(value, str):
        return [part.strip() for part in value.split(schema.LIST_SEPARATOR.strip())
                if part.strip()]
    return [str(item) for item in value if not _is_missing(item) and str(item) != ""]


def settings_rows(settings: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The resolved config flattened to sorted (`section.key`, value) rows.

    Name-bearing settings show a count only, and absolute paths only their
    last component, because the report is handed out and must not carry
    names or a user's home directory.
    """
    rows = []
    for key, value in _flatten(settings, ""):
        if key in NAME_BEARING_SETTINGS:
            n = len(value) if isinstance(value, (list, tuple)) else int(bool(value))
            rows.append((key, f"{n} {'name' if n == 1 else 'names'} (not shown)"))
        else:
            rows.append((key, _format_setting(value)))
    return sorted(rows)


def format_score(value: float | None) -> str:
    """A common-ground score with two decimals, or an em dash."""
    return "—" if value is None or _is_missing(value) else f"{float(value):.2f}"


def format_share(value: float) -> str:
    """A share in [0, 1] as a whole percentage."""
    return f"{100.0 * float(value):.0f}%"


def theme_title(card: ThemeCard) -> str:
    """The card's label, or a stand-in when the label is empty."""
    return card.label or f"Theme {card.theme_id}"


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


def _card_from_record(record: Mapping[str, Any], quotes: Mapping[str, QuoteView],
                      decisions: list[DecisionRowView]) -> ThemeCard:
    teams = split_list(record[schema.TEAMS])
    shared = record.get("shared")
    if _is_missing(shared):
        # `shared` is documented as "raised by 2+ teams": derive it the same way.
        shared = int(record[schema.N_TEAMS]) >= 2
    return ThemeCard(
        theme_id=int(record[schema.THEME_ID]),
        label=_text(record[schema.LABEL]),
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
        representative=[_lookup(quotes, qid)
                        for qid in split_list(record[schema.REPRESENTATIVE_QUOTES])],
        theme_key=_text(record.get(THEME_KEY)),
    )


def _decision_rows(decisions: pd.DataFrame,
                   quotes: Mapping[str, QuoteView]) -> dict[int, list[DecisionRowView]]:
    rows: dict[int, list[tuple[tuple[str, ...], DecisionRowView]]] = {}
    for row in decisions.itertuples(index=False):
        record = row._asdict()
        ids = [_optional_id(record[c]) for c in (schema.DILEMMA_QUOTE_ID,
                                                  schema.DECISION_QUOTE_ID,
                                                  schema.RATIONALE_QUOTE_ID)]
        if not any(ids):
            continue
        team = _text(record[schema.TEAM])
        view = DecisionRowView(team, *(None if i is None else _lookup(quotes, i) for i in ids))
        # Sort by team, then by transcript and ids, so row order never depends
        # on how the upstream stage happened to order its frame.
        key = (team, _text(record[schema.TRANSCRIPT_ID])) + tuple(i or "" for i in ids)
        rows.setdefault(int(record[schema.THEME_ID]), []).append((key, view))
    return {theme: [view for _, view in sorted(pairs, key=lambda p: p[0])]
            for theme, pairs in rows.items()}


def _lookup(quotes: Mapping[str, QuoteView], quote_id: str) -> QuoteView:
    view = quotes.get(str(quote_id))
    if view is None:
        # Honest evidence: show the dangling id rather than dropping it.
        logger.warning("report: quote id %s is referenced but not in the quotes table",
                       quote_id)
        return QuoteView(quote_id=str(quote_id), team="", speaker="", text="", found=False)
    return view


def _report_teams(data: ReportData) -> list[str]:
    listed = {str(t) for t in data.summary["teams"]}
    seen = {_text(t) for t in data.quotes[schema.TEAM].unique()}
    if seen - listed:
        logger.warning("report: teams %s have quotes but are not in summary['teams']",
                       sorted(seen - listed))
    return sorted(listed | seen)


def _build_matrix(data: ReportData, cards: list[ThemeCard],
                  teams: list[str]) -> tuple[list[MatrixRow], MatrixRow, MatrixRow | None]:
    # Hidden quotes are in no theme too, but the analyst put them there, not
    # the pipeline: they get a row of their own (id -2 only inside the view).
    hidden = _is_hidden(data.quotes)
    row_ids = data.quotes[schema.THEME_ID].astype(int).where(~hidden, -2)
    counts = (data.quotes.assign(_team=data.quotes[schema.TEAM].map(_text), _row=row_ids)
              .groupby(["_row", "_team"]).size())
    lookup = {(int(theme), team): int(n) for (theme, team), n in counts.items()}

    def row_counts(theme_id: int) -> list[int]:
        return [lookup.get((theme_id, team), 0) for team in teams]

    rows = [MatrixRow(c.theme_id, theme_title(c), c.shared, c.common_ground,
                      row_counts(c.theme_id)) for c in cards]
    outlier_row = MatrixRow(schema.NO_THEME, NO_THEME_LABEL, False, None,
                            row_counts(schema.NO_THEME))
    hidden_row = (MatrixRow(-2, HIDDEN_LABEL, False, None, row_counts(-2))
                  if hidden.any() else None)
    return rows, outlier_row, hidden_row


def _team_outliers(data: ReportData, teams: list[str]) -> list[TeamOutliers]:
    quote_teams = data.quotes[schema.TEAM].map(_text)
    in_no_theme = data.quotes[schema.THEME_ID].astype(int) == schema.NO_THEME
    hidden = _is_hidden(data.quotes)
    result = []
    for team in teams:
        in_team = quote_teams == team
        n_quotes = int(in_team.sum())
        n_outliers = int((in_team & in_no_theme & ~hidden).sum())
        n_hidden = int((in_team & in_no_theme & hidden).sum())
        result.append(TeamOutliers(
            team=team,
            n_outliers=n_outliers,
            n_quotes=n_quotes,
            share=(n_outliers + n_hidden) / n_quotes if n_quotes else 0.0,
            n_hidden=n_hidden,
        ))
    return result


def _is_hidden(quotes: pd.DataFrame) -> pd.Series:
    if schema.PLACED_BY not in quotes:
        return pd.Series(False, index=quotes.index)
    return quotes[schema.PLACED_BY].map(_text) == PLACED_HIDDEN


def _failed_inputs(failed: Iterable[Mapping[str, Any]]) -> list[tuple[str, str]]:
    return sorted((_text(item.get("file")), _text(item.get("reason"))) for item in failed)


def _flatten(value: Any, prefix: str) -> Iterable[tuple[str, Any]]:
    if isinstance(value, Mapping):
        for key in sorted(value, key=str):
            yield from _flatten(value[key], f"{prefix}{key}.")
        return
    yield prefix.rstrip("."), value


def _format_setting(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return ", ".join(_format_setting(v) for v in value) if value else "(none)"
    if isinstance(value, str):
        looks_like_path = value.startswith("~") or PurePath(value).is_absolute() or (
            len(value) > 2 and value[1] == ":" and value[2] in "\\/")
        if looks_like_path:
            return "…/" + PurePath(value.replace("\\", "/")).name
        return value
    return str(value)


def _optional_id(value: Any) -> str | None:
    if _is_missing(value) or str(value) == "":
        return None
    return str(value)


def _text(value: Any) -> str:
    return "" if _is_missing(value) else str(value)


def _is_missing(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return value is pd.NA or value is pd.NaT

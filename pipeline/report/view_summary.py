"""The run-wide part of a report: teams, the common-ground matrix, outliers, inputs, settings, curation.

Everything here counts or lists across the whole run rather than theme by
theme: which teams there are, how many of each team's quotes each theme
holds (the matrix), how many are in no theme or hidden by curation, which
inputs failed, the resolved settings (without names or home directories)
and what the analyst's curation did. It is separate from the cards
(`view_cards`) because none of it reads one theme at a time.
"""
from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from pathlib import PurePath
from typing import Any

import pandas as pd

from .. import schema
from .data import ReportData
from .languages import language_name
from .view_cells import cell_text
from .view_types import (
    HIDDEN_LABEL,
    NO_THEME_LABEL,
    CurationNote,
    MatrixRow,
    TeamOutliers,
    ThemeCard,
    theme_title,
)

logger = logging.getLogger(__name__)

# Settings that hold real names (roster, interviewer names): a handed-out
# report must never carry them, so only their count is shown.
NAME_BEARING_SETTINGS = frozenset({"anonymise.roster", "ingest.interviewers"})


def report_teams(data: ReportData) -> list[str]:
    """The run's teams, sorted: those the summary lists and any that only the quotes name."""
    listed = {str(t) for t in data.summary["teams"]}
    seen = {cell_text(t) for t in data.quotes[schema.TEAM].unique()}
    if seen - listed:
        logger.warning("report: teams %s have quotes but are not in summary['teams']",
                       sorted(seen - listed))
    return sorted(listed | seen)


def build_matrix(data: ReportData, cards: list[ThemeCard],
                 teams: list[str]) -> tuple[list[MatrixRow], MatrixRow, MatrixRow | None]:
    """Quotes per theme and team: one row per card, the row of quotes in no theme, and the hidden ones' row or None."""
    # Hidden quotes are in no theme too, but the analyst put them there, not
    # the pipeline: they get a row of their own (id -2 only inside the view).
    hidden = _is_hidden(data.quotes)
    row_ids = data.quotes[schema.THEME_ID].astype(int).where(~hidden, -2)
    counts = (data.quotes.assign(_team=data.quotes[schema.TEAM].map(cell_text), _row=row_ids)
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


def team_outliers(data: ReportData, teams: list[str]) -> list[TeamOutliers]:
    """For each team, how many of its quotes are in no theme, left out by the pipeline or hidden by curation."""
    quote_teams = data.quotes[schema.TEAM].map(cell_text)
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
    return quotes[schema.PLACED_BY].map(cell_text) == schema.PLACED_HIDDEN


def failed_input_rows(failed: Iterable[Mapping[str, Any]]) -> list[tuple[str, str]]:
    """(file, reason) for each input that failed or was skipped, sorted."""
    return sorted((cell_text(item.get("file")), cell_text(item.get("reason"))) for item in failed)


def language_rows(items: Iterable[Mapping[str, Any]] | None) -> list[tuple[str, str]] | None:
    """(file, language name) for each input in another language than English, sorted; None when not checked.

    >>> language_rows([{"file": "b.txt", "language": "cy"}, {"file": "a.txt", "language": "de"}])
    [('a.txt', 'German (de)'), ('b.txt', 'Welsh (cy)')]
    """
    if items is None:
        return None
    return sorted((cell_text(item.get("file")), language_name(cell_text(item.get("language")))) for item in items)


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
    >>> curation_notes({"applied": [{"action": "drop", "dilemma": "d1", "title": "A · B", "n_quotes": 3}]})[0].text
    'Dilemma “A · B” (d1, 3 quotes) dropped.'
    """
    notes = []
    for entry in curation.get("applied", []):
        notes.append(CurationNote(_describe(entry), True))
    for entry in curation.get("not_applied", []):
        notes.append(CurationNote(
            f"Not applied: {entry.get('action', '')} of {entry.get('theme', entry.get('dilemma', ''))} "
            f"({entry.get('status', '')}).", False))
    return notes


def _describe(entry: Mapping[str, Any]) -> str:
    action, theme, label = entry.get("action"), cell_text(entry.get("theme")), cell_text(entry.get("label"))
    if action == "rename":
        return f"Theme {theme} renamed “{label}”."
    if action == "merge":
        return f"Themes {theme} merged{f' as “{label}”' if label else ''}."
    if action == "split":
        return (f"{entry.get('n_quotes', 0)} quotes of theme {theme} split off"
                f"{f' as “{label}”' if label else ''}.")
    if action == "hide":
        reason = cell_text(entry.get("reason"))
        return (f"Theme “{label}” ({entry.get('theme_key', theme)}, {entry.get('n_quotes', 0)} quotes) "
                f"hidden{f': {reason}' if reason else ''}.")
    if action == "retitle":
        return (f"Dilemma {entry.get('dilemma_id', '')} ({entry.get('dilemma', '')}) "
                f"retitled “{cell_text(entry.get('title'))}”.")
    if action == "drop":
        reason = cell_text(entry.get("reason"))
        return (f"Dilemma “{entry.get('title', '')}” ({entry.get('dilemma', '')}, {entry.get('n_quotes', 0)} quotes) "
                f"dropped{f': {reason}' if reason else ''}.")
    return f"{action} {theme}."



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



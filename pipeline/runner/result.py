"""A run's result, and what both a fresh run and a re-rendered one need: loading, counting, checking."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .. import schema
from ..config import Config
from ..curation import CURATION_FILE, read_theme_keys
from ..errors import EXIT_OK, EXIT_PARTIAL, UsageError
from ..report import ReportData, build_report_data

logger = logging.getLogger(__name__)

DEFAULT_CACHE = "default"


def default_cache_dir() -> Path:
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("commonground")) / "embeddings"


@dataclass
class Run:
    """A finished run: its tables, its summary (run.json) and where it was written.

    What `pipeline.run` and `pipeline.load_run` return. In a notebook it shows
    itself: counts, the top shared dilemmas, common ground and themes, and the
    files that failed. `theme(i)` and `dilemma(i)` show a card as the report
    does; `said(team)` reads the decisions teams took with their words;
    `map()`, `heatmap()` and `compare_figure(other)` draw Plotly figures that
    need no network; `compare(other)` matches the themes of two runs.

    Attributes
    ----------
    themes, quotes, decisions : DataFrames as in themes.csv, quotes.csv, decisions.csv.
    turns : anonymised turns (empty for a run loaded from disk).
    embeddings : quote vectors aligned with `quotes`, as the themes were fitted on them: each
        blended with its answer's context ([themes] context_weight; None when loaded from disk).
    summary : the content of run.json.
    out_dir : the output folder, or None when nothing was written.
    theme_keys : the themes as the model found them, before curation (theme_keys.json).
    dilemmas, dilemma_decisions, common_ground : DataFrames as in dilemmas.csv,
        dilemma_decisions.csv and common_ground.csv: the shared dilemmas, each
        team's decision point and reason, and the reasons teams share across them.

    Examples
    --------
    >>> import pipeline
    >>> result = pipeline.load_run("reports/sample")   # after `make run`  # doctest: +SKIP
    >>> result.dilemma(0)                # the top shared dilemma's card   # doctest: +SKIP
    >>> result.said("housing")           # its decisions, in its words     # doctest: +SKIP
    >>> result.heatmap()                 # quotes per theme and team       # doctest: +SKIP
    """

    themes: pd.DataFrame
    quotes: pd.DataFrame
    decisions: pd.DataFrame
    summary: dict[str, Any]
    turns: pd.DataFrame = field(default_factory=schema.empty_turns)
    embeddings: np.ndarray | None = None
    out_dir: Path | None = None
    theme_keys: dict | None = None
    dilemmas: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=schema.DILEMMA_COLUMNS))
    dilemma_decisions: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=schema.DILEMMA_DECISION_COLUMNS))
    common_ground: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=schema.COMMON_GROUND_COLUMNS))

    @property
    def exit_status(self) -> int:
        failed = [i for i in self.summary.get("inputs", []) if i["status"] == "failed"]
        return EXIT_PARTIAL if failed else EXIT_OK

    def theme_quotes(self, theme_id: int) -> pd.DataFrame:
        """The quotes of one theme, by team.

        Examples
        --------
        >>> result.theme_quotes(0)[["team", "quote_id", "text"]].head()  # doctest: +SKIP
        """
        return self.quotes[self.quotes[schema.THEME_ID] == theme_id].sort_values([schema.TEAM, schema.QUOTE_ID])

    def theme(self, theme_id: int | str):
        """The card of one theme, as the report shows it: teams, key phrases, decisions by team, quotes.

        `theme_id` is a theme id (0, the broadest) or a theme key ("t923091da", the `theme_key` column,
        which curation uses). A notebook shows the card as HTML; `.view` holds its content
        (`pipeline.report.view.ThemeCard`).

        Examples
        --------
        >>> result.theme(0)  # doctest: +SKIP
        Theme 0: Contact centre · speed (common ground 0.84, 6 teams, 47 quotes)
        """
        from .display import theme_card

        if isinstance(theme_id, str) and not theme_id.lstrip("-").isdigit():
            keys = dict(zip(self.themes[schema.THEME_KEY].astype(str), self.themes[schema.THEME_ID])) \
                if schema.THEME_KEY in self.themes else {}
            if theme_id not in keys:
                raise KeyError(f"no theme key {theme_id!r} in this run; see the theme_key column of its themes")
            theme_id = keys[theme_id]
        return theme_card(self, int(theme_id))

    def dilemma(self, which: int | str = 0):
        """The card of one dilemma: its two sides, its teams, and each team's decision point and reason.

        `which` is a position in `dilemmas` (0, the top shared dilemma) or a `dilemma_id` ("D3").

        Examples
        --------
        >>> result.dilemma(0)  # doctest: +SKIP
        >>> result.dilemma("D3").view.rows[0].decision.text  # doctest: +SKIP
        """
        from .display import dilemma_card

        return dilemma_card(self, which)

    def _team(self, team: str) -> str:
        """The run's spelling of `team` (case aside); a KeyError listing the run's teams when it has none such."""
        teams = sorted({str(t) for t in self.quotes[schema.TEAM]}
                       | {str(t) for t in self.dilemma_decisions[schema.TEAM]})
        found = [t for t in teams if t == team] or [t for t in teams if t.casefold() == str(team).casefold()]
        if not found:
            raise KeyError(f"no team {team!r} in this run; its teams are {teams}")
        return found[0]

    def said(self, team: str | None = None) -> pd.DataFrame:
        """Each team's row of each dilemma with the words said: the dilemma, the decision point, the reason.

        One row per row of `dilemma_decisions` (of `team` alone when given), in the
        dilemmas' order, with the dilemma's `title` and the quotes' texts beside
        their ids; a text is "" where the conversation did not say.

        Examples
        --------
        >>> result.said("housing")[["title", "dilemma", "decision", "reason"]]  # doctest: +SKIP
        """
        rows = self.dilemma_decisions
        if team is not None:
            rows = rows[rows[schema.TEAM].astype(str) == self._team(team)]
        text = dict(zip(self.quotes[schema.QUOTE_ID].astype(str), self.quotes[schema.TEXT].astype(str)))
        titles = dict(zip(self.dilemmas[schema.DILEMMA_ID].astype(str), self.dilemmas[schema.TITLE].astype(str)))
        rank = {d: i for i, d in enumerate(titles)}
        table = rows.assign(title=rows[schema.DILEMMA_ID].astype(str).map(titles).fillna(""))
        for name, column in (("dilemma", schema.DILEMMA_QUOTE_ID), ("decision", schema.DECISION_QUOTE_ID),
                             ("reason", schema.RATIONALE_QUOTE_ID)):
            table[name] = table[column].astype(str).map(text).fillna("")
        order = table[schema.DILEMMA_ID].astype(str).map(rank).fillna(len(rank))
        return table.iloc[order.argsort(kind="stable")].reset_index(drop=True)

    def map(self):
        """The report's map of quotes as a Plotly figure (drawn offline): one dot per quote, by theme.

        Examples
        --------
        >>> result.map()  # doctest: +SKIP
        """
        from .figures import map_figure

        return map_figure(self.themes, self.quotes)

    def heatmap(self):
        """Quotes per theme and team as a Plotly heat map (drawn offline), broadest theme first.

        The numbers are `figures.theme_team_counts(result.themes, result.quotes)`.

        Examples
        --------
        >>> result.heatmap()  # doctest: +SKIP
        """
        from .figures import heatmap_figure

        return heatmap_figure(self.themes, self.quotes)

    def compare(self, other: Run) -> pd.DataFrame:
        """For each theme, the theme of `other` (the same transcripts, other settings) sharing most quotes.

        `overlap` is the Jaccard overlap of their quote ids: 1 when the theme comes back whole.

        Examples
        --------
        >>> result.compare(pipeline.load_run("reports/sample-mcs12")).head()  # doctest: +SKIP
        """
        from ..curation import compare_themes

        return compare_themes(self.themes, self.quotes, other.themes, other.quotes)

    def compare_figure(self, other: Run, names: tuple[str, str] = ("this run", "other run")):
        """A heat map of the overlap between every theme of this run (rows) and of `other` (columns).

        Examples
        --------
        >>> result.compare_figure(other, names=("default", "min_cluster_size 12"))  # doctest: +SKIP
        """
        from .figures import comparison_figure

        return comparison_figure(self.themes, self.quotes, other.themes, other.quotes, names)

    def _repr_html_(self) -> str:
        from .display import run_html

        return run_html(self)

    def __repr__(self) -> str:
        return (f"Run({len(self.themes)} themes, {len(self.quotes)} quotes, "
                f"{self.summary.get('counts', {}).get('transcripts', '?')} transcripts, out_dir={self.out_dir})")



def report_data(result: Run, config: Config) -> ReportData:
    return build_report_data(result.themes, result.quotes, result.decisions, result.summary,
                             config.report.title, theme_keys=result.theme_keys, dilemmas=result.dilemmas,
                             dilemma_decisions=result.dilemma_decisions, common_ground=result.common_ground)


def load_run(out_dir: str | Path) -> Run:
    """Read a finished run back from its output folder (no recomputation)."""
    out_dir = Path(out_dir)
    run_json = out_dir / "run.json"
    if not run_json.is_file():
        raise UsageError("not a Common Ground run folder (run.json is missing)",
                         "pass the --out folder of a finished run", out_dir)
    summary = json.loads(run_json.read_text(encoding="utf-8"))
    themes = pd.read_csv(out_dir / "themes.csv", keep_default_na=False)
    themes[schema.REPRESENTATIVE_QUOTES] = themes[schema.REPRESENTATIVE_QUOTES].map(
        lambda s: [q for q in str(s).split(schema.LIST_SEPARATOR) if q])
    themes[schema.SHARED] = themes[schema.SHARED].astype(bool)
    themes = _theme_measures_as_numbers(themes)
    quotes = pd.read_csv(out_dir / "quotes.csv", keep_default_na=False, dtype={schema.QUOTE_ID: str})
    decisions = pd.read_csv(out_dir / "decisions.csv", keep_default_na=False, dtype=str)
    if not decisions.empty:
        decisions[schema.THEME_ID] = decisions[schema.THEME_ID].astype(int)
    tables = {name: _read_table(out_dir / f"{name}.csv", columns)
              for name, columns in (("dilemmas", schema.DILEMMA_COLUMNS),
                                    ("dilemma_decisions", schema.DILEMMA_DECISION_COLUMNS),
                                    ("common_ground", schema.COMMON_GROUND_COLUMNS))}
    return Run(themes=themes, quotes=quotes, decisions=decisions, summary=summary, out_dir=out_dir,
               theme_keys=read_theme_keys(out_dir), **tables)


# Theme measures and flags a theme may lack: a merged theme has no stability, a short conversation no
# scaffolding share. The CSV leaves their cells empty.
_THEME_MEASURES = (schema.STABILITY, schema.COHESION, schema.ECHO_SHARE, schema.ECHOES_INTERVIEWER,
                   schema.SCAFFOLDING_SHARE, schema.SCAFFOLDING, schema.LOOSE)


def _theme_measures_as_numbers(themes: pd.DataFrame) -> pd.DataFrame:
    """Empty measure cells read as missing numbers, as a fresh run holds them, not as "" (which no view can read)."""
    for column in _THEME_MEASURES:
        if column in themes and not pd.api.types.is_numeric_dtype(themes[column]):
            cells = themes[column].astype(object).map(lambda cell: None if str(cell) == "" else cell)
            themes[column] = pd.to_numeric(cells)  # anything but a number or nothing is an error
    return themes


def _read_table(path: Path, columns: list[str]) -> pd.DataFrame:
    """A dilemma table as written (ids and texts as strings, counts and scores as numbers); empty if absent."""
    if not path.is_file():  # a run made before the dilemmas stage
        return pd.DataFrame(columns=columns)
    table = pd.read_csv(path, keep_default_na=False, dtype=str)
    for column in (schema.N_TEAMS, schema.N_QUOTES):
        if column in table:
            table[column] = table[column].astype(int)
    for column in (schema.COMMON_GROUND, schema.DECISION_SCORE):
        if column in table:  # an empty cell is a missing number (no decision found), as a fresh run holds it
            table[column] = pd.to_numeric(table[column].map(lambda cell: None if cell == "" else cell))
    return table


def _theme_counts(themes: pd.DataFrame, quotes: pd.DataFrame) -> dict[str, int]:
    """The counts curation changes: themes, quotes in no theme, quotes in a hidden theme."""
    placed_by = quotes[schema.PLACED_BY].astype(str) if schema.PLACED_BY in quotes \
        else pd.Series("", index=quotes.index)
    return {
        "themes": len(themes),
        "quotes_in_no_theme": int((quotes[schema.THEME_ID].astype(int) == schema.NO_THEME).sum()),
        "quotes_hidden": int((placed_by == schema.PLACED_HIDDEN).sum()),
    }

def _curation_path(given: str | Path | None, folder: str | Path | None, where: str) -> Path | None:
    """The curation file to apply: the one `given`, else curation.toml in `folder` when there is one.

    `where` names the setting that gave it, for the error when it is missing.
    """
    if given:
        path = Path(given).expanduser()
        if not path.is_file():
            raise UsageError("curation file not found", f"check {where}", path)
        return path
    default = Path(folder) / CURATION_FILE if folder is not None else None
    return default if default is not None and default.is_file() else None



def _shareable_config(config: Config) -> dict:
    """The resolved settings for run.json, minus the names they may hold.

    Roster and interviewer lists are personal data; run.json sits in OUT,
    which must contain none. Their size is kept so the run stays explainable.
    """
    data = config.to_dict()
    for section, key in (("anonymise", "roster"), ("ingest", "interviewers")):
        names = data[section][key]
        if names:
            data[section][key] = f"{len(names)} name{'s' if len(names) != 1 else ''} (not shown)"
    return data

def _check_out(input_path: Path, out: Path) -> None:
    """OUT inside INPUT would feed this run's report into the next run's transcripts."""
    inp, outp = input_path.resolve(), out.resolve()
    if outp == inp or inp in outp.parents:
        raise UsageError("the output folder is inside the input folder",
                         "choose an --out folder outside INPUT, e.g. reports/NAME", out)
    if outp.exists() and not outp.is_dir():
        raise UsageError("--out exists and is not a folder", "choose a folder path for --out", out)

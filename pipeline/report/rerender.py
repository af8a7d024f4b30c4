"""Render a finished run again: re-apply its curation and rewrite every output, in seconds.

Nothing is recomputed: the themes as the model found them come back from
the run folder's `theme_keys.json` (or, for a run made before theme keys,
from its tables), the curation is applied to them afresh, and the report
stage writes the folder again. Removing an action from the curation file
and re-rendering therefore undoes it.
"""
from __future__ import annotations

import dataclasses
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import schema
from ..curation import (
    CURATION_FILE,
    THEME_KEY,
    config_from_summary,
    curate,
    load_curation,
    read_theme_keys,
    restore_uncurated,
    snapshot_keys,
)
from ..errors import UsageError
from . import write_report
from .data import build_report_data

logger = logging.getLogger(__name__)


@dataclass
class Rendered:
    """What `render_run` did: the curated run (a `pipeline.Run`) and the files it wrote."""

    run: Any
    written: list[Path]


def render_run(run_dir: str | Path, *, curation: str | Path | None = None,
               out: str | Path | None = None) -> Rendered:
    """Re-render a finished run's outputs, applying a curation file.

    Parameters
    ----------
    run_dir : the `--out` folder of a finished run.
    curation : the curation file; default `curation.toml` in `run_dir` when
        there is one, else none. A path given but missing is an error.
    out : where to write; default `run_dir` itself (files are replaced atomically).

    Returns
    -------
    Rendered

    Raises
    ------
    UsageError
        `run_dir` is not a run folder, or `curation` names a missing file.
    ConfigError
        The curation file is malformed.

    Examples
    --------
    >>> render_run("reports/sample", curation="reports/sample/curation.toml")  # doctest: +SKIP
    """
    from ..runner import load_run

    run_dir = Path(run_dir)
    run = load_run(run_dir)
    path = _curation_path(run_dir, curation)
    snapshot = read_theme_keys(run_dir)
    if snapshot is not None:
        themes, quotes, decisions = restore_uncurated(run.quotes, snapshot)
    else:  # a run made before theme keys: its tables are the model's
        themes, quotes, decisions = run.themes.drop(columns=[THEME_KEY], errors="ignore"), run.quotes, run.decisions
    config = config_from_summary(run.summary)
    done = curate(themes, quotes, decisions, load_curation(path) if path else None,
                  previous=snapshot_keys(snapshot), config=config, source=path.name if path else "")
    summary = curated_summary(run.summary, done.themes, done.quotes, done.summary)
    data = build_report_data(done.themes, done.quotes, done.decisions, summary, config.report.title,
                             theme_keys=done.snapshot)
    target = Path(out) if out is not None else run_dir
    written = write_report(target, data, summary)
    logger.info("re-rendered %s into %s (%d curation actions applied)", run_dir, target,
                len(done.summary["applied"]))
    curated = dataclasses.replace(run, themes=done.themes, quotes=done.quotes, decisions=done.decisions,
                                  summary=summary, out_dir=target)
    return Rendered(curated, written)


def curated_summary(run_summary: dict[str, Any], themes, quotes, curation_summary: dict[str, Any]) -> dict[str, Any]:
    """run.json after curation: theme and no-theme counts as the tables now have them, and what was applied.

    `created` and `timings` stay those of the run that computed the themes.
    """
    summary = dict(run_summary)
    in_no_theme = quotes[schema.THEME_ID].astype(int) == schema.NO_THEME
    hidden = (quotes[schema.PLACED_BY].astype(str) == "hidden") if schema.PLACED_BY in quotes else in_no_theme & False
    summary["counts"] = {**run_summary.get("counts", {}), "themes": len(themes),
                         "quotes_in_no_theme": int(in_no_theme.sum()), "quotes_hidden": int(hidden.sum())}
    summary["curation"] = curation_summary
    return summary


def _curation_path(run_dir: Path, curation: str | Path | None) -> Path | None:
    if curation is not None:
        path = Path(curation)
        if not path.is_file():
            raise UsageError("curation file not found", "check the --curation path", path)
        return path
    default = run_dir / CURATION_FILE
    return default if default.is_file() else None

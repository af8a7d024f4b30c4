"""Render a finished run again, with its curation re-applied, without recomputing anything."""

from __future__ import annotations

import dataclasses
import logging
from dataclasses import dataclass
from pathlib import Path

from .. import schema
from ..config import config_from_summary
from ..curation import (
    DilemmaTables,
    curate,
    load_curation,
    read_theme_keys,
    restore_dilemmas,
    restore_uncurated,
    snapshot_dilemma_keys,
    snapshot_keys,
)
from ..report import write_report
from .result import Run, _curation_path, _theme_counts, load_run, report_data

logger = logging.getLogger(__name__)


@dataclass
class Rendered:
    """What `rerender` did: the curated run and the files it wrote."""

    run: Run
    written: list[Path]


def rerender(run_dir: str | Path, *, curation: str | Path | None = None, out: str | Path | None = None) -> Rendered:
    """Render a finished run again: re-apply its curation and rewrite every output, in seconds.

    Nothing is recomputed: the themes as the model found them come back from
    the run folder's `theme_keys.json` (or, for a run made before theme keys,
    from its tables), the curation is applied to them afresh, and the report
    stage writes the folder again. Removing an action from the curation file
    and re-rendering therefore undoes it.

    Parameters
    ----------
    run_dir : the `--out` folder of a finished run.
    curation : the curation file; default `curation.toml` in `run_dir` when
        there is one, else none. A path given but missing is an error.
    out : where to write; default `run_dir` itself (files are replaced atomically).

    Raises
    ------
    UsageError
        `run_dir` is not a run folder, or `curation` names a missing file.
    ConfigError
        The curation file is malformed.

    Examples
    --------
    >>> rerender("reports/sample", curation="reports/sample/curation.toml")  # doctest: +SKIP
    """
    run_dir = Path(run_dir)
    finished = load_run(run_dir)
    path = _curation_path(curation, run_dir, "the --curation path")
    snapshot = read_theme_keys(run_dir)
    if snapshot is not None:
        themes, quotes, decisions = restore_uncurated(finished.quotes, snapshot)
    else:  # a run made before theme keys: its tables are the model's
        themes = finished.themes.drop(columns=[schema.THEME_KEY], errors="ignore")
        quotes, decisions = finished.quotes, finished.decisions
    # The dilemma tables as the dilemmas stage found them; a run made before dilemma curation
    # kept none, and its tables are the stage's.
    raw = restore_dilemmas(snapshot)
    dilemmas = DilemmaTables(*raw) if raw is not None else DilemmaTables(
        finished.dilemmas.drop(columns=[schema.DILEMMA_KEY], errors="ignore"), finished.dilemma_decisions,
        finished.common_ground)
    config = config_from_summary(finished.summary)
    done = curate(themes, quotes, decisions, load_curation(path) if path else None,
                  previous=snapshot_keys(snapshot), config=config, source=path.name if path else "",
                  dilemmas=dilemmas, previous_dilemmas=snapshot_dilemma_keys(snapshot))
    # created and timings stay those of the run that computed the themes.
    summary = {**finished.summary, "counts": {**finished.summary.get("counts", {}),
                                              **_theme_counts(done.themes, done.quotes), **done.dilemmas.counts()},
               "curation": done.summary}
    curated = dataclasses.replace(finished, themes=done.themes, quotes=done.quotes, decisions=done.decisions,
                                  summary=summary, out_dir=Path(out) if out is not None else run_dir,
                                  theme_keys=done.snapshot, dilemmas=done.dilemmas.dilemmas,
                                  dilemma_decisions=done.dilemmas.decisions,
                                  common_ground=done.dilemmas.common_ground)
    written = write_report(curated.out_dir, report_data(curated, config), summary)
    logger.info("re-rendered %s into %s (%d curation actions applied)", run_dir, curated.out_dir,
                len(done.summary["applied"]))
    return Rendered(curated, written)

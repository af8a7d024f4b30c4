"""Write a run's outputs atomically: everything to a temporary folder, then rename.

A crash never leaves a half-written file where a good one stood: each file
is complete in the temporary folder before `os.replace` swaps it in, and the
temporary folder is removed whatever happens.
"""
from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd

from .. import schema
from ..errors import OutputError

logger = logging.getLogger(__name__)

QUOTE_EXTRA_COLUMNS = [schema.IS_RATIONALE, schema.RATIONALE_QUOTE_ID, schema.PLACED_BY, schema.X_2D, schema.Y_2D]
# Present when the run found dilemmas and scored the signals (a run from before them has none).
SIGNAL_QUOTE_COLUMNS = [schema.DILEMMA_ID, schema.DILEMMA_SCORE, schema.DECISION_SCORE, schema.RATIONALE_SCORE]
THEME_EXTRA_COLUMNS = [schema.SHARED, schema.REPRESENTATIVE_QUOTES]
# Present when the runner computed them (the workshop structure) or curation keyed the themes.
OPTIONAL_THEME_COLUMNS = [schema.GROUP, schema.STABILITY, schema.ECHO_SHARE, schema.ECHOES_INTERVIEWER,
                          schema.SCAFFOLDING_SHARE, schema.SCAFFOLDING, schema.THEME_KEY,
                          # Added later, so after the key: the columns before keep their places.
                          schema.COHESION, schema.LOOSE, schema.HEADLINE, schema.HEADLINE_QUOTE_ID]
OPTIONAL_QUOTE_COLUMNS = [schema.GROUP]
# Whole numbers that curation may blank (a merged theme has no group yet): nullable ints, never "3.0".
_NULLABLE_INT = {schema.GROUP, schema.ECHOES_INTERVIEWER, schema.SCAFFOLDING, schema.LOOSE}


@contextmanager
def staging_folder(out_dir: Path, check: Callable[[Path], object] | None = None) -> Iterator[Path]:
    """A temporary folder beside `out_dir` whose files are moved into it on success.

    `check(staging)` runs once everything is written and before anything is
    moved; when it raises (`leakcheck.secure_staged_outputs` raises
    `LeakError`), nothing is published and the staging folder is removed.
    """
    out_dir = Path(out_dir)
    try:  # OUT itself is made only when there is something to publish: a refused run leaves none
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.tmp-", dir=out_dir.parent))
    except OSError as exc:
        raise OutputError(f"cannot create the output folder ({exc.strerror})",
                          "choose an --out folder you can write to", out_dir) from exc
    try:
        yield staging
        if check is not None:
            check(staging)
        out_dir.mkdir(exist_ok=True)
        for item in sorted(staging.iterdir()):
            os.replace(item, out_dir / item.name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def themes_table(themes: pd.DataFrame) -> pd.DataFrame:
    """themes.csv: the contract's columns in order, then the extras, lists joined with '; '.

    `theme_key` (see `pipeline.curation`) follows the older extras, when the themes have keys; then
    cohesion, the loose flag and the headline with its quote id.
    """
    extras = THEME_EXTRA_COLUMNS + [c for c in OPTIONAL_THEME_COLUMNS if c in themes.columns]
    table = themes[schema.THEME_OUTPUT_COLUMNS + extras].copy()
    table[schema.REPRESENTATIVE_QUOTES] = table[schema.REPRESENTATIVE_QUOTES].map(schema.LIST_SEPARATOR.join)
    table[schema.SHARED] = table[schema.SHARED].astype(int)
    return _nullable_ints(table)


def quotes_table(quotes: pd.DataFrame) -> pd.DataFrame:
    """quotes.csv: the contract's columns in order, then the extras, coordinates rounded for stable bytes."""
    extras = QUOTE_EXTRA_COLUMNS + [c for c in OPTIONAL_QUOTE_COLUMNS + SIGNAL_QUOTE_COLUMNS if c in quotes.columns]
    table = quotes[schema.QUOTE_OUTPUT_COLUMNS + extras].copy()
    for column in (schema.DILEMMA_SCORE, schema.DECISION_SCORE, schema.RATIONALE_SCORE):
        if column in table:
            table[column] = table[column].astype(float).round(4)
    for column in (schema.X_2D, schema.Y_2D):
        table[column] = table[column].astype(float).round(4)
    return _nullable_ints(table)


def _nullable_ints(table: pd.DataFrame) -> pd.DataFrame:
    for column in _NULLABLE_INT & set(table.columns):
        table[column] = pd.to_numeric(table[column], errors="coerce").round().astype("Int64")
    return table


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    frame.to_csv(path, index=False, lineterminator="\n", encoding="utf-8")


def write_json(data: dict, path: Path) -> None:
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False, default=str) + "\n",
                    encoding="utf-8")

"""Curation: the analyst's renames, merges, splits and hides, retitles and drops, re-applied on every run.

A curation file names themes by their *theme key*, never by their id: ids
follow the common-ground ranking and change whenever the data does, keys
follow the theme. A key is minted from a theme's member quotes the first
time the theme is seen; a later run hands it to the theme that shares most
quotes with it (Jaccard overlap of quote ids, then of turns, so a change of
segmentation does not orphan it). The file keeps, per key it names, the
quotes the key stood for (its *anchor*), so a curation written on one run
finds its themes again in a run with more transcripts, in any folder.

The run folder keeps the themes as the model found them (`theme_keys.json`),
so a finished run can be re-curated and re-rendered in seconds, without
embeddings (`pipeline.runner.rerender`).

Dilemmas are keyed the same way (`dilemma_key`, from their `quote_ids`), and
their tables before curation are kept in `theme_keys.json` too.

Four modules, in this order: the file (`file`: `load_curation`, writing
`curation.toml`), keys (`keys`: `assign_theme_keys`, `assign_dilemma_keys`,
`theme_keys_snapshot`, `restore_uncurated`, `restore_dilemmas`), applying to
dilemmas (`dilemmas`: `apply_dilemma_curation`) and applying (`apply`:
`apply_curation`, `curate`).
Curation only edits tables; the notebook's handle, which also re-renders the
report, is `pipeline.curator.Curator`. Every public name is re-exported here:
import from `pipeline.curation`.
"""
from __future__ import annotations

from ..schema import PLACED_HIDDEN
from .apply import Curated, apply_curation, curate, phrase_pattern
from .dilemmas import DilemmaTables, apply_dilemma_curation
from .file import CURATION_FILE, Curation, Drop, Hide, Merge, Rename, Retitle, Split, load_curation
from .keys import (
    DILEMMA_KEY,
    THEME_KEY,
    THEME_KEYS_FILE,
    THEME_KEYS_FORMAT,
    KeyMatch,
    assign_dilemma_keys,
    assign_theme_keys,
    compare_themes,
    read_theme_keys,
    restore_dilemmas,
    restore_uncurated,
    snapshot_dilemma_keys,
    snapshot_keys,
    theme_keys_snapshot,
    theme_members,
)

__all__ = [
    "CURATION_FILE",
    "DILEMMA_KEY",
    "PLACED_HIDDEN",
    "THEME_KEY",
    "THEME_KEYS_FILE",
    "THEME_KEYS_FORMAT",
    "Curated",
    "Curation",
    "DilemmaTables",
    "Drop",
    "Hide",
    "KeyMatch",
    "Merge",
    "Rename",
    "Retitle",
    "Split",
    "apply_curation",
    "apply_dilemma_curation",
    "assign_dilemma_keys",
    "assign_theme_keys",
    "compare_themes",
    "curate",
    "load_curation",
    "phrase_pattern",
    "read_theme_keys",
    "restore_dilemmas",
    "restore_uncurated",
    "snapshot_dilemma_keys",
    "snapshot_keys",
    "theme_keys_snapshot",
    "theme_members",
]

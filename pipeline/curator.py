"""The notebook's handle on curation: `Curator`.

It sits beside the runner, above the stages: it edits the curation file
(`pipeline.curation`), re-applies it to the run's tables, and re-renders the
report through the runner, the one orchestrator.
"""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from . import schema
from .config import Config, config_from_summary
from .curation import Curated, DilemmaTables, curate, phrase_pattern
from .curation.file import (
    ANCHORS_COMMENT,
    CURATION_FILE,
    FILE_HEADER,
    Curation,
    load_curation,
    parse_document,
    plain_value,
    read_document,
    root_key,
    write_atomically,
)
from .curation.keys import read_theme_keys, restore_dilemmas, restore_uncurated, snapshot_dilemma_keys, snapshot_keys
from .errors import UsageError
from .runner import rerender


class Curator:
    """Curate a finished run from a notebook; every action is written to the file at once.

    Themes are named by their id in `curator.themes` (the curated table the
    analyst is looking at) or by their key; dilemmas by their id in
    `curator.dilemmas` ("D3") or by their key. Each call checks the action,
    appends it to the curation file (keeping the file's comments), records
    the anchor quotes of the keys it names, and re-applies the whole file.

    Parameters
    ----------
    run : a `pipeline.Run` (from `pipeline.run` or `pipeline.load_run`).
    path : the curation file; default `curation.toml` in the run's folder,
        which `commonground report` and every later run into that folder read.
    config : settings for re-scoring; default those the run was made with.

    Examples
    --------
    >>> cur = Curator(pipeline.load_run("reports/sample"))       # doctest: +SKIP
    >>> cur.rename(0, "Rules versus judgement").hide(7, reason="small talk")  # doctest: +SKIP
    >>> cur.retitle_dilemma("D1", "Phones or casework").drop_dilemma("D4", reason="small talk")  # doctest: +SKIP
    >>> cur.write_report()                                       # doctest: +SKIP
    """

    def __init__(self, run: Any, path: str | Path | None = None, config: Config | None = None):
        if path is None:
            if run.out_dir is None:
                raise UsageError("this run was not written to a folder", "pass path= for the curation file")
            path = Path(run.out_dir) / CURATION_FILE
        self.run = run
        self.path = Path(path)
        self.config = config or config_from_summary(run.summary)
        snapshot = getattr(run, "theme_keys", None) or (read_theme_keys(run.out_dir) if run.out_dir else None)
        if snapshot:
            self._raw = restore_uncurated(run.quotes, snapshot)
            self._previous = snapshot_keys(snapshot)
        else:  # a run made before theme keys: its tables are the model's
            self._raw = (run.themes.drop(columns=[schema.THEME_KEY], errors="ignore"), run.quotes, run.decisions)
            self._previous = {}
        raw_dilemmas = restore_dilemmas(snapshot)
        # A run made before dilemma curation kept no uncurated dilemma tables: its tables are the stage's.
        self._raw_dilemmas = DilemmaTables(*raw_dilemmas) if raw_dilemmas is not None else DilemmaTables(
            run.dilemmas.drop(columns=[schema.DILEMMA_KEY], errors="ignore"), run.dilemma_decisions,
            run.common_ground)
        self._previous_dilemmas = snapshot_dilemma_keys(snapshot)
        self.curated = self._reapply()

    @property
    def themes(self) -> pd.DataFrame:
        """The curated themes, with their keys."""
        return self.curated.themes

    @property
    def quotes(self) -> pd.DataFrame:
        return self.curated.quotes

    @property
    def dilemmas(self) -> pd.DataFrame:
        """The curated dilemmas, with their keys."""
        return self.curated.dilemmas.dilemmas

    @property
    def curation(self) -> Curation:
        return load_curation(self.path)

    def rename(self, theme: int | str, label: str) -> Curator:
        """Give a theme a new label."""
        key = self.key(theme)
        if not label.strip():
            raise ValueError("the new label is empty")
        return self._add("rename", {"theme": key, "label": label.strip()}, [key])

    def merge(self, themes: Sequence[int | str], label: str = "") -> Curator:
        """Merge two or more themes into the first; `label` optionally names the result."""
        keys = list(dict.fromkeys(self.key(t) for t in themes))
        if len(keys) < 2:
            raise ValueError("merge needs at least two different themes")
        entry = {"themes": keys, **({"label": label.strip()} if label.strip() else {})}
        return self._add("merge", entry, keys)

    def split(self, theme: int | str, *, phrase: str = "", quote_ids: Sequence[str] = (),
              label: str = "") -> Curator:
        """Move the theme's quotes containing `phrase`, or those in `quote_ids`, to a new theme."""
        key = self.key(theme)
        if bool(phrase.strip()) == bool(quote_ids):
            raise ValueError("split needs exactly one of phrase= or quote_ids=")
        members = self.quotes[self.quotes[schema.THEME_ID] == self._id(key)]
        if phrase.strip():
            found = members[schema.TEXT].astype(str).str.contains(phrase_pattern(phrase.strip()))
        else:
            found = members[schema.QUOTE_ID].astype(str).isin(set(quote_ids))
        if not found.any():
            raise ValueError(f"no quote of theme {key} matches; nothing was written (a phrase is looked for "
                             "in the quotes' text; key phrases are base forms, e.g. 'datum' for 'data')")
        entry = {"theme": key, **({"phrase": phrase.strip()} if phrase.strip() else {"quote_ids": list(quote_ids)}),
                 **({"label": label.strip()} if label.strip() else {})}
        return self._add("split", entry, [key])

    def hide(self, theme: int | str, reason: str = "") -> Curator:
        """Leave a theme out of the report; its quotes count as in no theme, marked hidden."""
        key = self.key(theme)
        return self._add("hide", {"theme": key, **({"reason": reason.strip()} if reason.strip() else {})}, [key])

    def retitle_dilemma(self, which: str, title: str, side_a: str = "", side_b: str = "") -> Curator:
        """Give a dilemma a new title (and, with both given, new sides) in every report, card and sticky note.

        `which` is a dilemma id in `dilemmas` ("D1") or a dilemma key.
        """
        key = self.dilemma_key(which)
        if not title.strip():
            raise ValueError("the new title is empty")
        if bool(side_a.strip()) != bool(side_b.strip()):
            raise ValueError("give both side_a= and side_b=, or neither")
        sides = {"side_a": side_a.strip(), "side_b": side_b.strip()} if side_a.strip() else {}
        return self._add("retitle", {"dilemma": key, "title": title.strip(), **sides}, [key])

    def drop_dilemma(self, which: str, reason: str = "") -> Curator:
        """Leave out a dilemma that is not one: from the dilemma tables, its quotes and the common ground.

        `which` is a dilemma id in `dilemmas` ("D4") or a dilemma key.
        """
        key = self.dilemma_key(which)
        return self._add("drop", {"dilemma": key, **({"reason": reason.strip()} if reason.strip() else {})}, [key])

    def dilemma_key(self, which: str) -> str:
        """The key of a dilemma given by its id in `dilemmas` ("D1") or by its key."""
        ids = self.dilemmas[schema.DILEMMA_ID].astype(str).tolist()
        keys = self.dilemmas[schema.DILEMMA_KEY].astype(str).tolist()
        if which in keys:
            return which
        if which in ids:
            return keys[ids.index(which)]
        raise ValueError(f"no dilemma {which!r}; give an id or a key of curator.dilemmas "
                         f"(ids {', '.join(ids[:3])}{' …' if len(ids) > 3 else ''})")

    def key(self, theme: int | str) -> str:
        """The key of a theme given by its id in `themes` or by its key."""
        keys = self.themes[schema.THEME_KEY].astype(str).tolist()
        if isinstance(theme, str):
            if theme not in keys:
                raise ValueError(f"no theme has key {theme!r}; see curator.themes.theme_key")
            return theme
        ids = self.themes[schema.THEME_ID].astype(int).tolist()
        if int(theme) not in ids:
            raise ValueError(f"no theme {theme}; theme ids run from 0 to {len(ids) - 1}")
        return keys[ids.index(int(theme))]

    def write_report(self, out: str | Path | None = None) -> list[Path]:
        """Re-render the run's report with this curation (seconds; nothing is recomputed)."""
        if self.run.out_dir is None:
            raise UsageError("this run was not written to a folder", "run with out= first")
        return rerender(self.run.out_dir, curation=self.path, out=out).written

    def _id(self, key: str) -> int:
        row = self.themes[self.themes[schema.THEME_KEY] == key]
        return int(row[schema.THEME_ID].iloc[0])

    def _add(self, action: str, entry: dict, keys: Sequence[str]) -> Curator:
        import tomlkit

        document = read_document(self.path)
        if not document.body:
            for line in FILE_HEADER.splitlines():
                document.add(tomlkit.comment(line))
            document.add(tomlkit.nl())
        table = tomlkit.table()
        for name, value in entry.items():
            table.add(name, value)
        if action in ("retitle", "drop"):
            title = self._title_of(keys[0])
            if title:
                table.add(tomlkit.comment(f"dilemma was: {_one_line(title)}"))
        else:
            label = self._label_of(keys[0])
            if label and action != "rename":
                table.add(tomlkit.comment(f"theme was: {_one_line(label)}"))
        if action not in document:
            document.add(action, tomlkit.aot())
        document[action].append(table)
        self._set_anchors(document, keys)
        parse_document(document, self.path)  # never write what could not be read back
        write_atomically(self.path, tomlkit.dumps(document))
        self.curated = self._reapply()
        return self

    def _label_of(self, key: str) -> str:
        row = self.themes[self.themes[schema.THEME_KEY] == key]
        return "" if row.empty else str(row[schema.LABEL].iloc[0])

    def _title_of(self, key: str) -> str:
        row = self.dilemmas[self.dilemmas[schema.DILEMMA_KEY] == key]
        return "" if row.empty else str(row[schema.TITLE].iloc[0])

    def _set_anchors(self, document: Any, keys: Sequence[str]) -> None:
        import tomlkit

        anchors = dict(plain_value(document).get("anchors", {}))
        raw_members = {**snapshot_keys(self.curated.snapshot), **snapshot_dilemma_keys(self.curated.snapshot)}
        for key in map(root_key, keys):
            if key in raw_members:
                anchors[key] = list(raw_members[key])
        if "anchors" in document:
            document.remove("anchors")
        table = tomlkit.table()
        table.add(tomlkit.comment(ANCHORS_COMMENT))
        for key in sorted(anchors):
            array = tomlkit.array()
            array.extend(anchors[key])
            array.multiline(True)
            table.add(key, array)
        document.add(tomlkit.nl())
        document.add("anchors", table)

    def _reapply(self) -> Curated:
        themes, quotes, decisions = self._raw
        return curate(themes, quotes, decisions, load_curation(self.path), previous=self._previous,
                      config=self.config, source=self.path.name, dilemmas=self._raw_dilemmas,
                      previous_dilemmas=self._previous_dilemmas)


def _one_line(text: str) -> str:
    return " ".join(str(text).split())

"""Theme keys: a key per theme that survives a re-run, and the `theme_keys.json` snapshot.

A key is minted from a theme's member quotes the first time the theme is
seen; a later run hands it to the theme that shares most quotes with it
(Jaccard overlap of quote ids, then of turns). The snapshot keeps the
themes as the model found them, so any curation can be undone
(`restore_uncurated`) and the next run's themes keep their keys.
"""
from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from .. import schema
from ..errors import UsageError

THEME_KEY = schema.THEME_KEY
DILEMMA_KEY = schema.DILEMMA_KEY
THEME_KEY_PREFIX, DILEMMA_KEY_PREFIX = "t", "d"
THEME_KEYS_FILE = "theme_keys.json"
THEME_KEYS_FORMAT = 1


@dataclass(frozen=True)
class KeyMatch:
    """How a theme got its key: `source` "curation", "previous run" or "new"; `overlap` the Jaccard."""

    key: str
    source: str
    overlap: float


def assign_theme_keys(themes: pd.DataFrame, quotes: pd.DataFrame,
                      *known: Mapping[str, Sequence[str]], min_overlap: float) -> dict[int, KeyMatch]:
    """A key for every theme: the best-overlapping known key, else a new one from its members.

    Parameters
    ----------
    themes, quotes : the model's themes and the quotes with their `theme_id`.
    *known : key -> member quote ids, in priority order (the curation's
        anchors first, then the previous run's keys). Within one source,
        pairs are matched greedily by overlap, highest first, one to one;
        first on quote ids, then, for what is left, on turns.
    min_overlap : the least Jaccard overlap that keeps a key.

    Returns
    -------
    dict of theme_id -> KeyMatch

    Examples
    --------
    >>> quotes = pd.DataFrame({"quote_id": ["a-1-0", "a-2-0", "b-1-0"], "theme_id": [0, 0, 1]})
    >>> themes = pd.DataFrame({"theme_id": [0, 1]})
    >>> m = assign_theme_keys(themes, quotes, {"tOLD": ["a-1-0", "a-2-0", "a-3-0"]}, min_overlap=0.3)
    >>> m[0].key, m[0].overlap, m[1].source
    ('tOLD', 0.6667, 'new')
    """
    members = theme_members(quotes)
    return _assign_keys([int(t) for t in themes[schema.THEME_ID]], members, known, min_overlap, THEME_KEY_PREFIX)


def assign_dilemma_keys(dilemmas: pd.DataFrame, *known: Mapping[str, Sequence[str]],
                        min_overlap: float) -> dict[str, KeyMatch]:
    """A key for every dilemma, as `assign_theme_keys` gives themes theirs: from its `quote_ids`.

    Returns
    -------
    dict of dilemma_id -> KeyMatch; a new key is "d" and a hash of its quote ids.

    Examples
    --------
    >>> dilemmas = pd.DataFrame({"dilemma_id": ["D1", "D2"], "quote_ids": ["a-1-0; b-1-0", "c-1-0"]})
    >>> m = assign_dilemma_keys(dilemmas, {"dOLD": ["a-1-0", "b-1-0", "b-2-0"]}, min_overlap=0.3)
    >>> m["D1"].key, m["D1"].overlap, m["D2"].key
    ('dOLD', 0.6667, 'dec227e46')
    """
    members = dilemma_members(dilemmas)
    return _assign_keys(list(members), members, known, min_overlap, DILEMMA_KEY_PREFIX)


def _assign_keys(ids: list, members: Mapping[Any, Sequence[str]], known: Sequence[Mapping[str, Sequence[str]]],
                 min_overlap: float, prefix: str) -> dict[Any, KeyMatch]:
    """Known keys to the best-overlapping members (quote ids, then turns), one to one; new keys for the rest."""
    # A key names a theme or a dilemma by its first letter: one [anchors] table serves both, and a
    # dilemma's few quotes must never hand a theme's key to it (or the reverse).
    known = [{k: v for k, v in source.items() if k.startswith(prefix)} for source in known]
    assigned: dict[Any, KeyMatch] = {}
    used: set[str] = set()
    for source_name, source in zip(("curation", "previous run", "previous run"), known):
        for level in (_as_quotes, _as_turns):
            pairs = []
            for key, old_ids in source.items():
                if key in used:
                    continue
                old = level(old_ids)
                for position, item in enumerate(ids):
                    if item in assigned:
                        continue
                    overlap = _jaccard(old, level(members.get(item, ())))
                    if overlap >= min_overlap and overlap > 0:
                        pairs.append((-overlap, key, position))
            for negative, key, position in sorted(pairs):
                if key not in used and ids[position] not in assigned:
                    assigned[ids[position]] = KeyMatch(key, source_name, round(-negative, 4))
                    used.add(key)
    taken = used | {k for source in known for k in source}
    for item in ids:
        if item not in assigned:
            key = _mint_key(members.get(item, ()), taken, prefix)
            taken.add(key)
            assigned[item] = KeyMatch(key, "new", 1.0)
    return assigned


def dilemma_members(dilemmas: pd.DataFrame) -> dict[str, tuple[str, ...]]:
    """dilemma_id -> its quote ids, most central first (as `quote_ids` lists them)."""
    return {str(d): tuple(q.strip() for q in str(ids).split(schema.LIST_SEPARATOR.strip()) if q.strip())
            for d, ids in zip(dilemmas[schema.DILEMMA_ID], dilemmas[schema.QUOTE_IDS])}


def dilemma_tables_snapshot(dilemmas: pd.DataFrame, decisions: pd.DataFrame,
                            ground: pd.DataFrame) -> dict[str, list[dict]]:
    """The dilemma tables as the dilemmas stage found them, keyed: `theme_keys.json`'s "dilemmas".

    A dropped dilemma is gone from dilemmas.csv; from here a re-render brings it
    back when its `[[drop]]` is removed, and the next run's dilemmas keep their keys.
    """
    schema.require_columns(dilemmas, [DILEMMA_KEY], "curation (snapshot)")
    return {name: [{k: _json_value(v) for k, v in record.items()} for record in table[columns].to_dict("records")]
            for name, table, columns in (("dilemmas", dilemmas, schema.DILEMMA_COLUMNS),
                                         ("dilemma_decisions", decisions, schema.DILEMMA_DECISION_COLUMNS),
                                         ("common_ground", ground, schema.COMMON_GROUND_COLUMNS))}


def restore_dilemmas(snapshot: Mapping[str, Any] | None) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame] | None:
    """The dilemma tables before curation, from a snapshot; None for a run made before dilemma curation."""
    tables = (snapshot or {}).get("dilemmas")
    if tables is None:
        return None
    return tuple(pd.DataFrame(tables[name], columns=columns)  # type: ignore[return-value]
                 for name, columns in (("dilemmas", schema.DILEMMA_COLUMNS),
                                       ("dilemma_decisions", schema.DILEMMA_DECISION_COLUMNS),
                                       ("common_ground", schema.COMMON_GROUND_COLUMNS)))


def snapshot_dilemma_keys(snapshot: Mapping[str, Any] | None) -> dict[str, tuple[str, ...]]:
    """dilemma key -> its quote ids, from a snapshot (empty for None or a run before dilemma keys)."""
    tables = restore_dilemmas(snapshot)
    if tables is None:
        return {}
    dilemmas = tables[0]
    members = dilemma_members(dilemmas)
    return {str(key): members[str(d)] for d, key in zip(dilemmas[schema.DILEMMA_ID], dilemmas[DILEMMA_KEY])}


def theme_members(quotes: pd.DataFrame) -> dict[int, tuple[str, ...]]:
    """theme_id -> its quote ids, in table order; quotes in no theme are left out."""
    placed = quotes[quotes[schema.THEME_ID].astype(int) != schema.NO_THEME]
    return {int(t): tuple(map(str, group[schema.QUOTE_ID]))
            for t, group in placed.groupby(schema.THEME_ID, sort=True)}


def theme_keys_snapshot(themes: pd.DataFrame, quotes: pd.DataFrame,
                        decisions: pd.DataFrame) -> dict[str, Any]:
    """The themes as the model found them, with their keys: what `theme_keys.json` holds.

    Enough to undo any curation (`restore_uncurated`) and to give the next
    run's themes the same keys. `themes` must carry `theme_key`.
    """
    schema.require_columns(themes, [THEME_KEY, schema.SHARED, schema.REPRESENTATIVE_QUOTES], "curation (snapshot)")
    members = theme_members(quotes)
    nearest = quotes[quotes[schema.PLACED_BY] == "nearest"] if schema.PLACED_BY in quotes else quotes.iloc[0:0]
    nearest_by_theme = {int(t): list(map(str, g[schema.QUOTE_ID])) for t, g in nearest.groupby(schema.THEME_ID)}
    # One column order whatever the table's (in memory, or read from themes.csv),
    # so the same themes give the same file.
    first = schema.THEME_OUTPUT_COLUMNS + [schema.SHARED, schema.REPRESENTATIVE_QUOTES, THEME_KEY]
    columns = first + sorted(c for c in themes.columns if c not in first)
    rows = []
    for record in themes[columns].to_dict("records"):
        theme_id = int(record[schema.THEME_ID])
        rows.append({**{k: _json_value(v) for k, v in record.items()},
                     "members": list(members.get(theme_id, ())),
                     "nearest": nearest_by_theme.get(theme_id, [])})
    return {
        "format": THEME_KEYS_FORMAT,
        "themes": rows,
        "decisions": [{k: _json_value(v) for k, v in r.items()} for r in decisions.to_dict("records")],
    }


def read_theme_keys(run_dir: str | Path) -> dict[str, Any] | None:
    """A run folder's `theme_keys.json`, or None for a run made before theme keys."""
    import json

    path = Path(run_dir) / THEME_KEYS_FILE
    if not path.is_file():
        return None
    snapshot = json.loads(path.read_text(encoding="utf-8"))
    if snapshot.get("format") != THEME_KEYS_FORMAT:
        raise UsageError(f"{THEME_KEYS_FILE} has format {snapshot.get('format')!r}, expected {THEME_KEYS_FORMAT}",
                         "re-run the pipeline to rebuild the run folder", path)
    return snapshot


def snapshot_keys(snapshot: Mapping[str, Any] | None) -> dict[str, tuple[str, ...]]:
    """key -> member quote ids, from a snapshot (empty for None)."""
    if not snapshot:
        return {}
    return {row[THEME_KEY]: tuple(row["members"]) for row in snapshot["themes"]}


def restore_uncurated(quotes: pd.DataFrame,
                      snapshot: Mapping[str, Any]) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The themes, quotes and decisions as the model found them, before any curation.

    `quotes` is a run's (possibly curated) quote table; only its `theme_id`
    and `placed_by` are replaced.
    """
    rows = [{k: v for k, v in row.items() if k not in ("members", "nearest")} for row in snapshot["themes"]]
    columns = list(dict.fromkeys(schema.THEME_OUTPUT_COLUMNS + [schema.REPRESENTATIVE_QUOTES, schema.SHARED, THEME_KEY]
                                 + [k for row in rows for k in row]))
    themes = pd.DataFrame(rows, columns=columns)
    if not themes.empty:
        themes[schema.THEME_ID] = themes[schema.THEME_ID].astype(int)
        themes[schema.SHARED] = themes[schema.SHARED].astype(bool)
    theme_of, placed = {}, {}
    for row in snapshot["themes"]:
        for quote_id in row["members"]:
            theme_of[quote_id], placed[quote_id] = int(row[schema.THEME_ID]), "cluster"
        for quote_id in row["nearest"]:
            placed[quote_id] = "nearest"
    ids = quotes[schema.QUOTE_ID].astype(str)
    missing = set(theme_of) - set(ids)
    if missing:
        raise UsageError(f"{THEME_KEYS_FILE} names {len(missing)} quote(s) that quotes.csv lacks",
                         "the run folder was edited or mixed up; re-run the pipeline")
    quotes = quotes.copy()
    quotes[schema.THEME_ID] = ids.map(lambda q: theme_of.get(q, schema.NO_THEME)).astype(int)
    quotes[schema.PLACED_BY] = ids.map(lambda q: placed.get(q, ""))
    decisions = pd.DataFrame(snapshot["decisions"], columns=schema.DECISION_COLUMNS)
    decisions[schema.THEME_ID] = decisions[schema.THEME_ID].astype(int)
    return themes, quotes, decisions


def compare_themes(themes: pd.DataFrame, quotes: pd.DataFrame, other_themes: pd.DataFrame,
                   other_quotes: pd.DataFrame) -> pd.DataFrame:
    """For each theme of one run, the theme of another run that shares most of its quotes.

    Two runs of the same transcripts with another seed or `min_cluster_size`
    are compared by what they put together, not by ids or labels.

    Returns
    -------
    DataFrame
        `theme_id, label, n_quotes, other_theme_id, other_label, overlap`
        (Jaccard of quote ids; 0 and -1 when nothing overlaps), one row per
        theme of the first run, in its order.

    Examples
    --------
    >>> compare_themes(a.themes, a.quotes, b.themes, b.quotes).head()  # doctest: +SKIP
    """
    mine, theirs = theme_members(quotes), theme_members(other_quotes)
    other_labels = dict(zip(other_themes[schema.THEME_ID].astype(int), other_themes[schema.LABEL]))
    rows = []
    for theme_id, label, n_quotes in zip(themes[schema.THEME_ID].astype(int), themes[schema.LABEL],
                                         themes[schema.N_QUOTES]):
        members = _as_quotes(mine.get(theme_id, ()))
        best, overlap = -1, 0.0
        for other_id, other_members in sorted(theirs.items()):
            value = _jaccard(members, _as_quotes(other_members))
            if value > overlap:
                best, overlap = other_id, value
        rows.append({schema.THEME_ID: theme_id, schema.LABEL: label, schema.N_QUOTES: int(n_quotes),
                     "other_theme_id": best, "other_label": other_labels.get(best, ""),
                     "overlap": round(overlap, 3)})
    return pd.DataFrame(rows, columns=[schema.THEME_ID, schema.LABEL, schema.N_QUOTES, "other_theme_id",
                                       "other_label", "overlap"])


def _mint_key(members: Iterable[str], taken: set[str], prefix: str = THEME_KEY_PREFIX) -> str:
    digest = hashlib.sha256("\n".join(sorted(members)).encode()).hexdigest()
    key = f"{prefix}{digest[:8]}"
    suffix = 2
    while key in taken:  # two themes with the same members cannot occur; a hash clash might
        key, suffix = f"{prefix}{digest[:8]}-{suffix}", suffix + 1
    return key


def _as_quotes(ids: Iterable[str]) -> frozenset[str]:
    return frozenset(ids)


def _as_turns(ids: Iterable[str]) -> frozenset[str]:
    # A quote id is "<transcript hash>-<turn>-<unit>": the turn survives a
    # change of segment settings that renumbers the units.
    return frozenset(i.rsplit("-", 1)[0] for i in ids)


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    union = len(a | b)
    return len(a & b) / union if union else 0.0


def _json_value(value: Any) -> Any:
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    if isinstance(value, (list, tuple)):
        return [_json_value(v) for v in value]
    return value

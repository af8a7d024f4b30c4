"""Clustering results on disk, keyed by the vectors and the settings that produced them.

A re-run whose quotes did not change (a new report title, a curation edit, a
notebook session re-opening the run) has the same embedding matrix, so its
themes are those of the last run: reducing, clustering, the 2-D map and the
bootstrap refits of `stability` are the costly part of the themes stage, and
none depends on anything but the vectors, the [reduce]/[cluster]/[outliers]
settings, the seed, the code and the libraries.

`FitCache` keeps exactly those results (theme numbers, placements, map
coordinates: arrays of numbers and the placement words "cluster"/"nearest"),
never a quote, a key phrase or a label: labels are recomputed from the quotes
on every run. The key is the sha256 of the settings, the source of the modules
that compute the results, the versions of the libraries they call, and the
bytes of the vectors (and, for a refit, of the chosen quote positions), so
any change to any of them is a miss rather than a stale result.
"""
from __future__ import annotations

import hashlib
import io
import json
import sqlite3
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import numpy as np

_FILE = "themes.sqlite3"
# The modules whose code decides the cached results: a change to any of them changes every key.
_SOURCES = ("cluster.py", "model.py", "reduce.py", "cache.py")
_LIBRARIES = ("numpy", "scipy", "scikit-learn", "hdbscan", "fast-hdbscan", "umap-learn", "pynndescent",
              "numba")


class FitCache:
    """Arrays from `ThemeModel.fit` and `refit_labels`, stored under `folder/themes.sqlite3`.

    Parameters
    ----------
    folder : the run's cache folder (beside the embedding and parse caches).
    settings : everything besides the vectors that the results depend on
        (the [reduce], [cluster] and [outliers] sections, the seed, whether a
        map is drawn); JSON-serialisable.
    """

    def __init__(self, folder: str | Path, settings: dict):
        self.folder = Path(folder)
        self.hits = self.misses = 0
        self._prefix = hashlib.sha256(json.dumps(
            {"settings": settings, "code": _code_digest(), "libraries": _library_versions()},
            sort_keys=True, default=str).encode()).hexdigest()

    def key(self, vectors: np.ndarray, *parts: np.ndarray | str) -> str:
        digest = hashlib.sha256(self._prefix.encode())
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        digest.update(repr(vectors.shape).encode())
        digest.update(vectors.tobytes())
        for part in parts:
            digest.update(b"\0")
            digest.update(part.encode() if isinstance(part, str) else np.ascontiguousarray(part).tobytes())
        return digest.hexdigest()

    def get(self, key: str) -> dict[str, np.ndarray] | None:
        if not (self.folder / _FILE).is_file():
            self.misses += 1
            return None
        with self._connect() as conn:
            row = conn.execute("SELECT blob FROM fits WHERE key = ?", (key,)).fetchone()
        conn.close()
        if row is None:
            self.misses += 1
            return None
        try:
            with np.load(io.BytesIO(row[0]), allow_pickle=False) as stored:
                arrays = {name: stored[name] for name in stored.files}
        except (OSError, ValueError):  # a damaged entry is a miss, and is overwritten
            self.misses += 1
            return None
        self.hits += 1
        return arrays

    def put(self, key: str, arrays: dict[str, np.ndarray]) -> None:
        buffer = io.BytesIO()
        np.savez_compressed(buffer, **{name: np.asarray(a) for name, a in arrays.items()})
        with self._connect() as conn:
            conn.execute("INSERT OR REPLACE INTO fits VALUES (?, ?)", (key, buffer.getvalue()))
        conn.close()

    def _connect(self) -> sqlite3.Connection:
        self.folder.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(self.folder / _FILE)
        conn.execute("CREATE TABLE IF NOT EXISTS fits (key TEXT PRIMARY KEY, blob BLOB)")
        return conn


def fit_settings(config, with_map: bool) -> dict:
    """The settings a theme fit depends on, from a run's Config."""
    from dataclasses import asdict

    return {"reduce": asdict(config.reduce), "cluster": asdict(config.cluster),
            "outliers": asdict(config.outliers), "seed": config.seed, "map": with_map}


def _code_digest() -> str:
    here = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for name in _SOURCES:
        digest.update((here / name).read_bytes())
    return digest.hexdigest()


def _library_versions() -> dict[str, str]:
    found = {}
    for name in _LIBRARIES:
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = "absent"
    return found

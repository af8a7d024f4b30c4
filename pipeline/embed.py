"""Quote texts to unit vectors, with a cache keyed by model and text hash.

Embedders are passed in by role. `SentenceEmbedder` wraps the pinned
all-MiniLM-L6-v2 (or any local sentence-transformers model); `HashingEmbedder`
is a deterministic, dependency-free stand-in for fast tests. The cache keeps
vectors under sha256(model fingerprint, text): it holds no raw text.
"""
from __future__ import annotations

import hashlib
import logging
import re
import sqlite3
from pathlib import Path
from typing import Protocol, Sequence

import numpy as np

from .errors import ModelError
from .models import PINNED, force_offline, model_fingerprint, verify_pinned

logger = logging.getLogger(__name__)


class Embedder(Protocol):
    """What the pipeline needs of an embedder."""

    fingerprint: str  # identifies the model's weights; part of every cache key

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Unit-length float32 vectors, one row per text."""


class SentenceEmbedder:
    """sentence-transformers model, loaded lazily on first use.

    Parameters
    ----------
    model : "pinned" for the bundled all-MiniLM-L6-v2 (weights verified), or
        a local model directory or installed model name.
    batch_size : texts per forward pass.
    """

    def __init__(self, model: str = PINNED, batch_size: int = 64):
        self.model = model
        self.batch_size = batch_size

    @property
    def fingerprint(self) -> str:
        return model_fingerprint("sentence_model", self.model)

    def _load(self):
        if getattr(self, "model_", None) is None:
            force_offline()
            from sentence_transformers import SentenceTransformer
            from transformers.utils import logging as hf_logging

            hf_logging.disable_progress_bar()  # the weight-loading bar would break --quiet

            path = verify_pinned("sentence_model") if self.model == PINNED else self.model
            try:
                self.model_ = SentenceTransformer(str(path), device="cpu", local_files_only=True)
            except Exception as exc:  # the library raises many types for a bad path
                raise ModelError(f"cannot load sentence model '{self.model}' ({type(exc).__name__})",
                                 "set [embed] model to 'pinned' or a local sentence-transformers folder")
        return self.model_

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        model = self._load()
        vectors = model.encode(list(texts), batch_size=self.batch_size, normalize_embeddings=True,
                               convert_to_numpy=True, show_progress_bar=False)
        return vectors.astype(np.float32)


class HashingEmbedder:
    """Deterministic bag-of-words vectors for tests: shared words, similar vectors.

    Each lower-cased word maps to a fixed pseudo-random vector seeded by its
    hash; a text is the normalised sum. No model, no randomness between runs.
    """

    def __init__(self, dim: int = 64):
        self.dim = dim

    @property
    def fingerprint(self) -> str:
        return f"hashing-{self.dim}"

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            for word in re.findall(r"[a-z]{3,}", text.lower()):
                seed = int.from_bytes(hashlib.sha256(word.encode()).digest()[:4], "little")
                out[i] += np.random.default_rng(seed).standard_normal(self.dim).astype(np.float32)
            norm = np.linalg.norm(out[i])
            out[i] = out[i] / norm if norm > 0 else np.eye(self.dim, dtype=np.float32)[0]
        return out


class EmbeddingCache:
    """Vectors on disk keyed by sha256(model fingerprint + text). No text is stored."""

    def __init__(self, folder: str | Path):
        self.folder = Path(folder)

    def _connect(self) -> sqlite3.Connection:
        self.folder.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(self.folder / "embeddings.sqlite3")
        conn.execute("CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, dim INTEGER, vec BLOB)")
        return conn

    @staticmethod
    def key(fingerprint: str, text: str) -> str:
        return hashlib.sha256(f"{fingerprint}\0{text}".encode("utf-8")).hexdigest()

    def get_many(self, keys: list[str]) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        with self._connect() as conn:
            for i in range(0, len(keys), 500):
                chunk = keys[i:i + 500]
                marks = ",".join("?" * len(chunk))
                for key, dim, blob in conn.execute(f"SELECT key, dim, vec FROM vectors WHERE key IN ({marks})", chunk):
                    found[key] = np.frombuffer(blob, dtype=np.float32, count=dim).copy()
        return found

    def put_many(self, items: dict[str, np.ndarray]) -> None:
        with self._connect() as conn:
            conn.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?, ?)",
                             [(k, int(v.shape[0]), v.astype(np.float32).tobytes()) for k, v in items.items()])


def embed_texts(texts: Sequence[str], embedder: Embedder, cache: EmbeddingCache | None = None) -> tuple[np.ndarray, dict]:
    """Vectors for `texts`, embedding only those not in the cache.

    Returns the (n, dim) float32 matrix and counts {"embedded", "cached"}.
    Duplicate texts are embedded once.
    """
    texts = list(texts)
    if not texts:
        return np.zeros((0, 0), dtype=np.float32), {"embedded": 0, "cached": 0}
    fingerprint = embedder.fingerprint
    keys = [EmbeddingCache.key(fingerprint, t) for t in texts]
    known = cache.get_many(sorted(set(keys))) if cache is not None else {}
    todo = sorted({k: t for k, t in zip(keys, texts) if k not in known}.items())
    if todo:
        # Sorting by length keeps padding small inside each batch.
        todo.sort(key=lambda kt: len(kt[1]))
        vectors = embedder.encode([t for _, t in todo])
        fresh = {k: v for (k, _), v in zip(todo, vectors)}
        if cache is not None:
            cache.put_many(fresh)
        known.update(fresh)
    matrix = np.stack([known[k] for k in keys]).astype(np.float32)
    return matrix, {"embedded": len(todo), "cached": len(set(keys)) - len(todo)}

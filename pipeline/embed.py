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
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

import numpy as np

from .errors import ConfigError, ModelError
from .keyed_rows import rows_by_key
from .models import PINNED, force_offline, model_fingerprint, verify_pinned

logger = logging.getLogger(__name__)

PRECISIONS = ("auto", "fp32", "bf16")
# CPU flags (Linux /proc/cpuinfo) of native bf16 matrix products: AMX tiles or AVX-512 BF16.
_BF16_FLAGS = frozenset({"amx_bf16", "avx512_bf16"})
_CPUINFO = Path("/proc/cpuinfo")


def cpu_flags(cpuinfo: Path = _CPUINFO) -> frozenset[str]:
    """The CPU feature flags the kernel reports; empty where there is no /proc/cpuinfo."""
    try:
        text = cpuinfo.read_text(encoding="ascii", errors="replace")
    except OSError:
        return frozenset()
    for line in text.splitlines():
        if line.startswith(("flags", "Features")):
            return frozenset(line.split(":", 1)[1].split())
    return frozenset()


def native_bf16(flags: frozenset[str] | None = None) -> bool:
    """True where the CPU multiplies bf16 matrices natively (AMX-BF16 or AVX512-BF16).

    Elsewhere PyTorch emulates bf16 and it is slower than fp32, so "auto" keeps fp32.
    """
    flags = cpu_flags() if flags is None else flags
    if flags & _BF16_FLAGS:
        return True
    if not flags:  # no /proc/cpuinfo (macOS, Windows): ask oneDNN, else assume no
        try:
            import torch

            return bool(torch.ops.mkldnn._is_mkldnn_bf16_supported()) and \
                torch.backends.cpu.get_cpu_capability().startswith("AVX512")
        except (ImportError, AttributeError, RuntimeError):
            return False
    return False


def resolve_precision(setting: str, flags: frozenset[str] | None = None) -> str:
    """`[embed] precision` to the precision used: "auto" is bf16 on native-bf16 CPUs, else fp32.

    Examples
    --------
    >>> resolve_precision("fp32")
    'fp32'
    >>> resolve_precision("auto", flags=frozenset({"avx512f", "avx512_bf16"}))
    'bf16'
    >>> resolve_precision("auto", flags=frozenset({"avx2"}))
    'fp32'
    """
    if setting not in PRECISIONS:
        raise ConfigError(f"'embed.precision' must be one of {list(PRECISIONS)}, got '{setting}'",
                          "fix the value in the config file")
    if setting == "auto":
        return "bf16" if native_bf16(flags) else "fp32"
    if setting == "bf16" and not native_bf16(flags):
        logger.warning("[embed] precision = 'bf16' on a CPU without native bf16: slower than fp32")
    return setting


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
    precision : "fp32", "bf16" (autocast: bf16 matrix products, fp32
        accumulation and normalisation) or "auto" (bf16 where the CPU has
        AMX or AVX-512 BF16, see `native_bf16`). bf16 vectors differ slightly
        from fp32 ones (cosine >= 0.996 on AMI quotes, BENCHMARKS.md), so the
        precision is part of the fingerprint and the two never share a cache entry.

    Examples
    --------
    >>> SentenceEmbedder(precision="fp32").precision_used
    'fp32'
    """

    def __init__(self, model: str = PINNED, batch_size: int = 64, precision: str = "fp32"):
        self.model = model
        self.batch_size = batch_size
        self.precision = precision

    @property
    def precision_used(self) -> str:
        """The resolved precision ("fp32" or "bf16"), decided once per embedder."""
        if getattr(self, "precision_", None) is None:
            self.precision_ = resolve_precision(self.precision)
        return self.precision_

    @property
    def fingerprint(self) -> str:
        base = model_fingerprint("sentence_model", self.model)
        # fp32 keeps the historical fingerprint, so existing caches stay valid.
        return base if self.precision_used == "fp32" else f"{base}+{self.precision_used}"

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
                                 "set [embed] model to 'pinned' or a local sentence-transformers folder") from exc
        return self.model_

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        model = self._load()
        if self.precision_used == "fp32":
            vectors = model.encode(list(texts), batch_size=self.batch_size, normalize_embeddings=True,
                                   convert_to_numpy=True, show_progress_bar=False)
            return vectors.astype(np.float32)
        import torch

        with torch.inference_mode(), torch.autocast("cpu", dtype=torch.bfloat16):
            raw = model.encode(list(texts), batch_size=self.batch_size, normalize_embeddings=False,
                               convert_to_tensor=True, show_progress_bar=False)
        # Pooling output back to fp32 before normalising: unit length to fp32 accuracy.
        vectors = torch.nn.functional.normalize(raw.float(), dim=1)
        return vectors.numpy().astype(np.float32)


def embedder_from_config(config) -> SentenceEmbedder:
    """The sentence embedder an `[embed]` config section describes."""
    return SentenceEmbedder(config.model, config.batch_size, config.precision)


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
        return hashlib.sha256(f"{fingerprint}\0{text}".encode()).hexdigest()

    def get_many(self, keys: list[str]) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        with self._connect() as conn:
            for key, dim, blob in rows_by_key(conn, "vectors", "dim, vec", keys):
                found[key] = np.frombuffer(blob, dtype=np.float32, count=dim).copy()
        return found

    def put_many(self, items: dict[str, np.ndarray]) -> None:
        with self._connect() as conn:
            conn.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?, ?)",
                             [(k, int(v.shape[0]), v.astype(np.float32).tobytes()) for k, v in items.items()])


def embed_texts(texts: Sequence[str], embedder: Embedder,
                cache: EmbeddingCache | None = None) -> tuple[np.ndarray, dict]:
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

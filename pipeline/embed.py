"""Quote texts to unit vectors, with a cache keyed by model and text hash.

Embedders are passed in by role. `SentenceEmbedder` wraps the pinned
all-MiniLM-L6-v2 (or any local sentence-transformers model); `HashingEmbedder`
is a deterministic, dependency-free stand-in for fast tests. The cache keeps
vectors under sha256(model fingerprint, text): it holds no raw text.

Three encoder paths compute the same vectors: PyTorch in fp32, PyTorch with
bf16 matrix products, and ONNX Runtime in fp32 on a graph exported locally
from the verified weights (`OnnxEncoder`). Each path has its own fingerprint,
so their vectors never share a cache entry.
"""
from __future__ import annotations

import hashlib
import importlib.util
import json
import logging
import os
import re
import sqlite3
import tempfile
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

import numpy as np

from .errors import ConfigError, ModelError
from .keyed_rows import rows_by_key
from .models import PINNED, force_offline, model_fingerprint, sha256_of, verify_pinned

logger = logging.getLogger(__name__)

ONNX_FP32 = "onnx-fp32"
PRECISIONS = ("auto", "fp32", "bf16", ONNX_FP32)
# CPU flags (Linux /proc/cpuinfo) of native bf16 matrix products: AMX tiles or AVX-512 BF16.
_BF16_FLAGS = frozenset({"amx_bf16", "avx512_bf16"})
# Only with AMX tiles was bf16 measured faster than fp32, so only there does "auto" choose it.
_AMX_BF16 = "amx_bf16"
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

    Elsewhere PyTorch emulates bf16 and it is slower than fp32.
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


def onnxruntime_available() -> bool:
    """True where ONNX Runtime and the exporter's `onnx` package are installed (no import)."""
    return all(importlib.util.find_spec(name) is not None for name in ("onnxruntime", "onnx"))


def resolve_precision(setting: str, flags: frozenset[str] | None = None) -> str:
    """`[embed] precision` to the encoder path asked for.

    "auto" is bf16 on CPUs with AMX tiles, else PyTorch fp32: the fastest path
    measured that keeps the vectors at the run's memory. bf16 was 1.76x fp32
    with AMX, but 0.69x on a CPU with AVX512-BF16 alone; ONNX Runtime fp32 was
    1.1x to 1.2x PyTorch fp32 on AMI turns and the sample, for about 650 MB more
    peak memory, so it is there to choose, not the default
    (benchmarks/results/encoder.md). The ONNX path may still fall back to fp32
    when its derived model fails its check (`SentenceEmbedder.precision_used`).

    Examples
    --------
    >>> resolve_precision("fp32")
    'fp32'
    >>> resolve_precision("auto", flags=frozenset({"avx512f", "amx_tile", "amx_bf16"}))
    'bf16'
    >>> resolve_precision("auto", flags=frozenset({"avx512f", "avx512_bf16"}))
    'fp32'
    >>> resolve_precision("onnx-fp32", flags=frozenset({"avx2"}))
    'onnx-fp32'
    """
    if setting not in PRECISIONS:
        raise ConfigError(f"'embed.precision' must be one of {list(PRECISIONS)}, got '{setting}'",
                          "fix the value in the config file")
    if setting == "auto":
        return "bf16" if _AMX_BF16 in (cpu_flags() if flags is None else flags) else "fp32"
    if setting == "bf16" and not native_bf16(flags):
        logger.warning("[embed] precision = 'bf16' on a CPU without native bf16: slower than fp32")
    return setting


class Embedder(Protocol):
    """What the pipeline needs of an embedder."""

    fingerprint: str  # identifies the model's weights; part of every cache key

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Unit-length float32 vectors, one row per text."""


# Every derived model must give these sentences the fp32 PyTorch vectors (cosine >= PROBE_MIN_COSINE)
# before it is used: short and long, a placeholder, and one past the model's 256 tokens, so that
# padding, truncation and pooling are all exercised.
PROBES = (
    "Yes.",
    "We had to choose between answering the phones and clearing the backlog.",
    "Picking up calls left no time for the casework queue.",
    "The bin lorries start their rounds at six in the morning, before the traffic.",
    "So we decided to stop the home visits and move everything to video calls, because "
    "the waiting list had doubled and [PERSON 3] could not cover two areas.",
    "On the one hand residents who cannot get online must still be served; on the other, "
    "the budget for the contact centre was cut by a third this year.",
    "I mean, it's, you know, it's hard.",
    "The housing team, the contact centre and finance each resolved it differently.",
    " ".join(["The agency staff costs kept rising while the permanent posts stayed empty."] * 30),
)
PROBE_MIN_COSINE = 0.99
_ONNX_INPUTS = ("input_ids", "attention_mask", "token_type_ids")


def default_derived_dir() -> Path:
    """Where models derived from the verified weights (ONNX graphs) are kept: the user's cache folder."""
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("commonground")) / "encoders"


def _library_versions() -> str:
    """The versions a derived graph depends on: a new one means a new export and a new check."""
    from importlib.metadata import version

    return ";".join(f"{name}={version(name)}" for name in
                    ("torch", "transformers", "sentence-transformers", "onnx", "onnxruntime"))


def _write_atomically(path: Path, write) -> None:
    """`write(tmp_path)`, then move the file into place: a crash never leaves half a file at `path`."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name + ".", suffix=".tmp")
    os.close(fd)
    try:
        write(Path(tmp))
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


class OnnxEncoder:
    """The sentence model's transformer as an ONNX graph run by ONNX Runtime in fp32.

    The graph is exported from the loaded PyTorch model (whose weights
    `verify_pinned` checked), never downloaded, into a folder keyed by the
    model fingerprint and the library versions. Before first use its vectors
    of `PROBES` are compared with the fp32 PyTorch ones; `check.json` beside
    the graph records the verdict, the cosines and the graph's sha256, so a
    later run re-hashes the graph instead of exporting it again. Tokenising,
    mean pooling and normalising follow the sentence-transformers model.

    Parameters
    ----------
    folder : the folder for derived models (`default_derived_dir()`).
    fingerprint : the PyTorch model's fingerprint (`model_fingerprint`).
    batch_size : texts per forward pass.
    """

    def __init__(self, folder: str | Path, fingerprint: str, batch_size: int = 64):
        self.folder = folder
        self.fingerprint = fingerprint
        self.batch_size = batch_size

    @property
    def path(self) -> Path:
        """This model's folder: one per fingerprint and library versions."""
        key = hashlib.sha256(f"{self.fingerprint}\0{_library_versions()}".encode()).hexdigest()[:20]
        return Path(self.folder) / f"onnx-{key}"

    def prepare(self, load_model) -> bool:
        """Export and check the graph unless a passed check of this very graph is on disk.

        `load_model()` returns the fp32 sentence-transformers model; it is
        called only when the graph must be exported and checked. Returns
        whether the graph passed its check (the verdict is kept, so a failed
        graph is not exported again on every run).
        """
        check = self._read_check()
        graph = self.path / "model.onnx"
        if check is None or (check["passed"] and (not graph.is_file() or
                                                  sha256_of(graph) != check["sha256"])):
            check = self._export_and_check(load_model())
        self.check_ = check
        return bool(check["passed"])

    def _read_check(self) -> dict | None:
        try:
            return json.loads((self.path / "check.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def _export_and_check(self, model) -> dict:
        _check_structure(model)
        self.path.mkdir(parents=True, exist_ok=True)
        graph = self.path / "model.onnx"
        _write_atomically(graph, lambda tmp: _export(model, tmp))
        self.session_ = None
        reference = model.encode(list(PROBES), batch_size=self.batch_size, normalize_embeddings=True,
                                 convert_to_numpy=True, show_progress_bar=False)
        cosines = (self.encode(model, PROBES) * reference).sum(axis=1)
        check = {"passed": bool(cosines.min() >= PROBE_MIN_COSINE), "min_cosine": float(cosines.min()),
                 "cosines": [round(float(c), 6) for c in cosines], "sha256": sha256_of(graph),
                 "fingerprint": self.fingerprint, "versions": _library_versions()}
        _write_atomically(self.path / "check.json",
                          lambda tmp: tmp.write_text(json.dumps(check, indent=1), encoding="utf-8"))
        return check

    def _session(self):
        if getattr(self, "session_", None) is None:
            import onnxruntime
            import torch

            options = onnxruntime.SessionOptions()
            # As many threads as PyTorch uses (the run's budget); one operator at a time, so the
            # arithmetic, and with it every vector, is the same on every run.
            options.intra_op_num_threads = torch.get_num_threads()
            options.inter_op_num_threads = 1
            options.execution_mode = onnxruntime.ExecutionMode.ORT_SEQUENTIAL
            options.log_severity_level = 3
            self.session_ = onnxruntime.InferenceSession(str(self.path / "model.onnx"), options,
                                                         providers=["CPUExecutionProvider"])
            self.inputs_ = [i.name for i in self.session_.get_inputs()]
        return self.session_

    def encode(self, model, texts: Sequence[str]) -> np.ndarray:
        """Unit-length float32 vectors; `model` tokenises (the sentence-transformers model)."""
        session = self._session()
        # Longest first, as sentence-transformers batches, so each batch pads to similar lengths.
        order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
        out = np.zeros((len(texts), model.get_embedding_dimension()), dtype=np.float32)
        for start in range(0, len(order), self.batch_size):
            rows = order[start:start + self.batch_size]
            features = model.preprocess([texts[i] for i in rows])
            hidden = session.run(None, {name: features[name].numpy() for name in self.inputs_})[0]
            mask = features["attention_mask"].numpy()[..., None].astype(np.float32)
            pooled = (hidden * mask).sum(axis=1) / np.clip(mask.sum(axis=1), 1e-9, None)
            out[rows] = pooled / np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)
        return out


def _check_structure(model) -> None:
    """Only transformer, mean pooling and (optionally) normalising are rebuilt around the graph."""
    kinds = [type(module).__name__ for module in model]
    if kinds[:2] != ["Transformer", "Pooling"] or kinds[2:] not in ([], ["Normalize"]) or \
            getattr(model[1], "pooling_mode", None) != "mean":
        raise ModelError(f"the ONNX path supports transformer + mean pooling models, not {kinds}",
                         "set [embed] precision to 'fp32'")


def _export(model, target: Path) -> None:
    """Trace the transformer of `model` into an ONNX graph with dynamic batch and sequence axes."""
    import torch

    features = model.preprocess(list(PROBES[:2]))
    names = [name for name in _ONNX_INPUTS if name in features]

    class LastHiddenState(torch.nn.Module):
        def __init__(self, transformer):
            super().__init__()
            self.transformer = transformer

        def forward(self, *tensors):
            return self.transformer(**dict(zip(names, tensors))).last_hidden_state

    axes = {name: {0: "batch", 1: "sequence"} for name in [*names, "last_hidden_state"]}
    with warnings.catch_warnings(), torch.inference_mode():
        warnings.simplefilter("ignore")  # the tracer's warnings about shapes it records; the check judges
        torch.onnx.export(LastHiddenState(model[0].model).eval(), tuple(features[n] for n in names), str(target),
                          input_names=names, output_names=["last_hidden_state"], dynamic_axes=axes,
                          opset_version=17, dynamo=False, do_constant_folding=True)


class SentenceEmbedder:
    """sentence-transformers model, loaded lazily on first use.

    Parameters
    ----------
    model : "pinned" for the bundled all-MiniLM-L6-v2 (weights verified), or
        a local model directory or installed model name.
    batch_size : texts per forward pass.
    precision : the encoder path. "fp32"; "bf16" (autocast: bf16 matrix
        products, fp32 accumulation and normalisation); "onnx-fp32" (ONNX
        Runtime on a graph exported from the verified weights and checked
        against fp32, see `OnnxEncoder`; fp32 with a warning when it cannot
        be built or fails its check); "auto" (see `resolve_precision`).
        Each path's vectors differ slightly from the others' (cosine to fp32
        >= 0.9999, benchmarks/results/encoder.md), so the path is part of
        the fingerprint and no two share a cache entry.
    derived_dir : folder for derived models; None for `default_derived_dir()`.

    Examples
    --------
    >>> SentenceEmbedder(precision="fp32").precision_used
    'fp32'
    """

    def __init__(self, model: str = PINNED, batch_size: int = 64, precision: str = "fp32",
                 derived_dir: str | Path | None = None):
        self.model = model
        self.batch_size = batch_size
        self.precision = precision
        self.derived_dir = derived_dir

    @property
    def precision_used(self) -> str:
        """The resolved path ("fp32", "bf16" or "onnx-fp32"), decided once per embedder."""
        if getattr(self, "precision_", None) is None:
            asked = resolve_precision(self.precision)
            self.precision_ = self._onnx_or_fp32() if asked == ONNX_FP32 else asked
        return self.precision_

    def _onnx_or_fp32(self) -> str:
        """ONNX_FP32 when its graph is built and passes its check, else "fp32" with a warning."""
        if not onnxruntime_available():
            logger.warning("[embed] precision '%s' needs onnxruntime and onnx, not installed: using fp32",
                           self.precision)
            return "fp32"
        folder = default_derived_dir() if self.derived_dir is None else self.derived_dir
        encoder = OnnxEncoder(folder, model_fingerprint("sentence_model", self.model), self.batch_size)
        try:
            passed = encoder.prepare(self._load)
        except Exception as exc:  # exporter and runtime raise many types; fp32 still works
            logger.warning("[embed] the ONNX encoder could not be built (%s: %s): using fp32",
                           type(exc).__name__, str(exc)[:200])
            return "fp32"
        if not passed:
            logger.warning("[embed] the ONNX encoder's vectors differ from fp32 (probe cosine %.4f < %.2f): "
                           "using fp32", encoder.check_["min_cosine"], PROBE_MIN_COSINE)
            return "fp32"
        self.onnx_ = encoder
        return ONNX_FP32

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
        if self.precision_used == ONNX_FP32:
            return self.onnx_.encode(model, list(texts))
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

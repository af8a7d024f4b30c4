"""Locate the pinned offline models and verify their weight files.

The sentence-transformers and spaCy models ship inside PyPI packages pinned
in `requirements.lock`. `models/models.toml` records the sha256 of each
weight file; a mismatch fails loudly rather than silently changing results.
Nothing here downloads: the Hugging Face hub is put into offline mode before
any model library is imported.
"""
from __future__ import annotations

import hashlib
import importlib.util
import logging
import os
import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Any

from .errors import ModelError

logger = logging.getLogger(__name__)

PINNED = "pinned"

# Repository checkout first (editable install), then the copy packed into the wheel.
_PIN_FILES = (
    Path(__file__).resolve().parent.parent / "models" / "models.toml",
    Path(__file__).resolve().parent / "_models" / "models.toml",
)


def force_offline() -> None:
    """Make sure no model library reaches for the network."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")


@lru_cache(maxsize=1)
def model_pins() -> dict[str, Any]:
    for path in _PIN_FILES:
        if path.is_file():
            with path.open("rb") as fh:
                return tomllib.load(fh)
    raise ModelError("models/models.toml (the model pins) is missing",
                     "reinstall the project with `make run`")


def sha256_of(path: Path, chunk: int = 1 << 20) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while block := fh.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def pinned_model_dir(kind: str) -> Path:
    """Directory of the pinned model `kind` ("sentence_model" or "spacy_model")."""
    pin = model_pins()[kind]
    spec = importlib.util.find_spec(pin["package"])
    if spec is None or spec.origin is None:
        raise ModelError(
            f"the pinned model package '{pin['distribution']}=={pin['version']}' is not installed",
            "run `make run` (or pip install -r requirements.lock) to install it",
        )
    return Path(spec.origin).parent / pin["subdir"]


@lru_cache(maxsize=4)
def verify_pinned(kind: str) -> Path:
    """Check every pinned weight file's sha256; return the model directory.

    Cached per process: hashing 90 MB on every call would cost a second.
    """
    pin = model_pins()[kind]
    root = pinned_model_dir(kind)
    for rel, expected in pin["sha256"].items():
        path = root / rel
        if not path.is_file():
            raise ModelError(f"weight file '{rel}' of {pin['name']} is missing", "reinstall with `make run`", root)
        actual = sha256_of(path)
        if actual != expected:
            raise ModelError(
                f"weight file '{rel}' of {pin['name']} fails its checksum "
                f"(expected {expected[:12]}..., found {actual[:12]}...)",
                "the package is corrupt or was replaced; reinstall it with `make run`",
                root,
            )
    logger.debug("verified %d weight files of %s", len(pin["sha256"]), pin["name"])
    return root


def model_fingerprint(kind: str, configured: str) -> str:
    """A short identifier of the model in use, for cache keys and run.json."""
    if configured == PINNED:
        pin = model_pins()[kind]
        return f"{pin['name']}@{pin['sha256'][next(iter(pin['sha256']))][:16]}"
    path = Path(configured)
    if path.is_dir():
        weights = sorted(path.glob("*.safetensors")) or sorted(path.glob("*.bin"))
        if weights:
            return f"{path.name}@{sha256_of(weights[0])[:16]}"
    return configured

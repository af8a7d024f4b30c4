"""Shared fixtures: the pinned spaCy pipeline (loaded once), a fake embedder, the sample corpus."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.config import load_config
from pipeline.embed import HashingEmbedder

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "sample"
ANSWER_KEY = ROOT / "data" / "sample-answer-key.json"
EVAL = ROOT.parent / "shared" / "eval"


@pytest.fixture(scope="session")
def nlp():
    from pipeline.nlp import load_spacy

    return load_spacy()


@pytest.fixture
def fake_embedder():
    return HashingEmbedder(dim=64)


@pytest.fixture
def config():
    return load_config()


@pytest.fixture(scope="session")
def sample_dir() -> Path:
    return SAMPLE


@pytest.fixture(scope="session")
def answer_key() -> dict:
    return json.loads(ANSWER_KEY.read_text(encoding="utf-8"))


@pytest.fixture(autouse=True)
def _restore_pipeline_log_level():
    """The CLI sets the 'pipeline' logger's level (-q: errors only); later tests' caplog must not inherit it."""
    import logging

    logger = logging.getLogger("pipeline")
    level = logger.level
    yield
    logger.setLevel(level)

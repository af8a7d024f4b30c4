"""The sample's runs, shared by the end-to-end modules that read them (each run takes about a minute)."""
from __future__ import annotations

import pytest

from pipeline.runner import run


@pytest.fixture(scope="session")
def sample_runs(tmp_path_factory, sample_dir):
    """Two runs with the same seed: the first fills a fresh cache, the second reads it."""
    base = tmp_path_factory.mktemp("sample")
    first = run(sample_dir, out=base / "first", cache_dir=base / "cache")
    second = run(sample_dir, out=base / "second", cache_dir=base / "cache")
    return first, second

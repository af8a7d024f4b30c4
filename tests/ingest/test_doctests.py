"""The examples in the ingest docstrings run, so they stay true."""
import doctest
import importlib

import pytest

MODULES = ["assemble", "boilerplate", "census", "corpus", "discover", "docx_package",
           "docx_reader", "docx_text", "duplicates", "encoding", "labels", "lines", "manifest",
           "noise", "roles", "rows", "sniff", "speakers", "tables", "text", "timecode", "vtt"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(f"pipeline.ingest.{name}")
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0

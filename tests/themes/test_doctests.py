"""The examples in the themes stage's docstrings run, so they stay true."""
import doctest
import importlib

import pytest


@pytest.mark.parametrize("name", ["pipeline.themes.answer_context", "pipeline.themes.cluster", "pipeline.themes.echo",
                                  "pipeline.themes.scaffolding", "pipeline.themes.model"])
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0 and result.attempted > 0

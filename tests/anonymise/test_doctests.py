"""The examples in the anonymiser's and the leak check's docstrings run, so they stay true."""
import doctest
import importlib

import pytest


@pytest.mark.parametrize("name", ["pipeline.anonymise.core", "pipeline.leakcheck"])
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0 and result.attempted > 0

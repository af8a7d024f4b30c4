"""Cell readers: a table read back from CSV gives the report what the table in memory gave it."""
from __future__ import annotations

import math

import pandas as pd
import pytest

from pipeline.report.view_cells import cell_text, is_missing, optional_id, split_list


def test_a_list_and_its_joined_text_read_the_same():
    assert split_list(["waiting list", "triage"]) == split_list("waiting list; triage") == ["waiting list", "triage"]


@pytest.mark.parametrize("empty", [None, math.nan, pd.NA, pd.NaT, ""])
def test_an_empty_cell_is_no_list_no_text_and_no_id(empty):
    assert split_list(empty) == [] and split_list([empty, "triage"]) == ["triage"]
    assert cell_text(empty) == "" and optional_id(empty) is None


def test_a_value_is_read_as_its_text():
    assert (cell_text(0), optional_id(7), is_missing(0.0), is_missing("nan")) == ("0", "7", False, False)

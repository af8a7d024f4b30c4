"""Reading one cell of a finished table, whatever form the table arrived in.

A report is built from tables in memory after a run and from the CSVs of a
finished run alike, so a cell may hold a list or a `; `-joined string, and
an empty cell may be None, NaN or `pd.NA`. These readers turn either form
into the same plain value, so that the view builders and the renderers
never see the difference. They are separate because the card and the
summary builders both need them.
"""
from __future__ import annotations

import math
from typing import Any

import pandas as pd

from .. import schema


def split_list(value: Any) -> list[str]:
    """A list cell as strings, whether it holds a list or a `; `-joined string.

    Upstream tables keep lists as Python lists in memory but as `; `-joined
    text in the CSVs; a report built from either must show the same thing.
    """
    if is_missing(value):
        return []
    if isinstance(value, str):
        return [part.strip() for part in value.split(schema.LIST_SEPARATOR.strip())
                if part.strip()]
    return [str(item) for item in value if not is_missing(item) and str(item) != ""]


def optional_id(value: Any) -> str | None:
    """A quote id cell as a string, or None when it is empty."""
    if is_missing(value) or str(value) == "":
        return None
    return str(value)


def cell_text(value: Any) -> str:
    """A cell as text; a missing value is the empty string, not "nan"."""
    return "" if is_missing(value) else str(value)


def is_missing(value: Any) -> bool:
    """Whether a cell holds nothing: None, NaN, `pd.NA` or `pd.NaT`."""
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return value is pd.NA or value is pd.NaT

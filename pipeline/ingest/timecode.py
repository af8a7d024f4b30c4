"""Timestamps as transcripts write them: ``00:01:02``, ``1:02``, ``0:0:3.52``, ``00:00:01,000``.

One pattern and one converter, shared by the line, subtitle and row parsers
so that every layout reads times the same way.
"""
from __future__ import annotations

import math
import re

# Loose enough for Teams' unpadded "0:0:3.52" and SRT's comma decimals;
# callers that must not mistake a clock time for a timestamp anchor it.
TIMECODE = r"\d{1,3}:\d{1,2}(?::\d{1,2})?(?:[.,]\d{1,3})?"
_TIMECODE_RE = re.compile(
    r"^(?P<a>\d+):(?P<b>\d{1,2})(?::(?P<c>\d{1,2}))?(?:[.,](?P<frac>\d+))?$"
)


def parse_timecode(value: str) -> float:
    """Seconds for a timecode, or NaN when `value` is not one.

    Two fields are minutes and seconds (``1:02`` is 62 s), three are hours,
    minutes and seconds, as in every transcript export we have seen.

    Examples
    --------
    >>> parse_timecode("00:01:02.5")
    62.5
    >>> parse_timecode("0:03")
    3.0
    """
    match = _TIMECODE_RE.match(value.strip())
    if not match:
        return math.nan
    a, b, c = match.group("a"), match.group("b"), match.group("c")
    if c is None:
        hours, minutes, seconds = 0, int(a), int(b)
    else:
        hours, minutes, seconds = int(a), int(b), int(c)
    frac = match.group("frac")
    fraction = int(frac) / 10 ** len(frac) if frac else 0.0
    return hours * 3600 + minutes * 60 + seconds + fraction


def parse_start(value: object) -> float:
    """A start time from a row value: seconds as a number, or a timecode; else NaN."""
    if value is None or isinstance(value, bool):
        return math.nan
    if isinstance(value, (int, float)):
        number = float(value)
        return number if math.isfinite(number) and number >= 0 else math.nan
    text = str(value).strip()
    if not text:
        return math.nan
    try:
        number = float(text)
    except ValueError:
        return parse_timecode(text)
    return number if math.isfinite(number) and number >= 0 else math.nan

"""Timestamps as transcripts write them: ``00:01:02``, ``1:02``, ``0:0:3.52``, ``00:00:01,000``.

One pattern and one converter, shared by the line, subtitle and row parsers
so that every layout reads times the same way; and `split_timed_name`, which
takes the time off a speaker's name where a table's speaker cell holds both.
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
# A time or a time range beside a speaker's name, in brackets or bare: "[00:01]", "(0:03)",
# "(00:00:01 - 00:00:04)", "00:00:01 00:00:04". A bare one may not touch a word or a number.
_RANGE = rf"{TIMECODE}(?:\s*(?:-|–|—|-->)\s*{TIMECODE})?"
_STAMP = (rf"\[\s*{_RANGE}\s*\]|\(\s*{_RANGE}\s*\)"
          rf"|(?<![\w:]){TIMECODE}(?:(?:\s*(?:-|–|—|-->)\s*|\s+){TIMECODE})?(?![\w:])")
# What may stand between the name and its time: "Anna - 0:03", "Anna, 0:03", "00:00:03 | Anna".
_STAMP_SEPARATOR = r"[\s\-–—|,]*"
_TRAILING_STAMP = re.compile(rf"^(?P<name>.*?\S){_STAMP_SEPARATOR}(?P<stamp>{_STAMP})\s*$")
_LEADING_STAMP = re.compile(rf"^\s*(?P<stamp>{_STAMP}){_STAMP_SEPARATOR}(?P<name>\S.*)$")
_FIRST_TIMECODE = re.compile(TIMECODE)
# A name with a time range fits easily; a longer cell is words, not a name, and the trailing
# pattern's cost grows with the square of a run of spaces or dashes, so it is not tried there.
_MAX_TIMED_NAME_CHARS = 200


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


def split_timed_name(cell: str) -> tuple[str, float]:
    """A speaker's name without the time or time range written before or after it, and the start.

    Transcripts typed into a table put the time in the speaker cell as they
    would in a line (``Olu Ade (00:00:01 - 00:00:04)``, ``00:01:02 Olu Ade``);
    the time is not part of the name, or every turn would be a new speaker.
    The start is the first time, NaN when there is none. A cell that is only a
    time, or longer than a name with its time can be, is returned as it is.

    Examples
    --------
    >>> split_timed_name("Olu Ade (00:00:01 - 00:00:04)")
    ('Olu Ade', 1.0)
    >>> split_timed_name("[00:01:02] - Olu Ade")
    ('Olu Ade', 62.0)
    >>> split_timed_name("Olu Ade")
    ('Olu Ade', nan)
    """
    name, start = cell.strip(), math.nan
    if len(name) > _MAX_TIMED_NAME_CHARS:
        return name, start
    leading = _LEADING_STAMP.match(name)
    if leading:
        name, start = leading.group("name").strip(), _stamp_start(leading.group("stamp"))
    trailing = _TRAILING_STAMP.match(name)
    if trailing:
        name = trailing.group("name").strip()
        start = _stamp_start(trailing.group("stamp")) if math.isnan(start) else start
    return name, start


def _stamp_start(stamp: str) -> float:
    return parse_timecode(_FIRST_TIMECODE.search(stamp).group(0))

import math

import pytest

from pipeline.ingest.timecode import parse_start, parse_timecode


@pytest.mark.parametrize("value, seconds", [
    ("00:01:02", 62.0), ("1:02", 62.0), ("0:03", 3.0), ("0:0:3.52", 3.52),
    ("00:00:01,000", 1.0), ("01:00:00.5", 3600.5), ("123:00", 7380.0),
])
def test_parse_timecode(value, seconds):
    assert parse_timecode(value) == pytest.approx(seconds)


@pytest.mark.parametrize("value", ["", "abc", "10", "1:2:3:4", "-1:00"])
def test_not_a_timecode_is_nan(value):
    assert math.isnan(parse_timecode(value))


@pytest.mark.parametrize("value, seconds", [(3, 3.0), (2.5, 2.5), ("4.5", 4.5), ("0:04", 4.0)])
def test_parse_start_accepts_numbers_and_timecodes(value, seconds):
    assert parse_start(value) == seconds


@pytest.mark.parametrize("value", [None, "", True, -1, float("inf"), "soon"])
def test_parse_start_rejects_others(value):
    assert math.isnan(parse_start(value))

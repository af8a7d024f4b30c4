import math

import pytest

from pipeline.ingest.timecode import parse_start, parse_timecode, split_timed_name


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


@pytest.mark.parametrize("cell, name, start", [
    ("Olu Ade (00:00:01 - 00:00:04)", "Olu Ade", 1.0), ("Olu Ade (00:00:01 – 00:00:04)", "Olu Ade", 1.0),
    ("Olu Ade(0:03)", "Olu Ade", 3.0), ("Olu Ade [00:01]", "Olu Ade", 1.0), ("Olu Ade, 0:03", "Olu Ade", 3.0),
    ("Olu Ade 00:00:01,000 --> 00:00:04,000", "Olu Ade", 1.0), ("00:00:01 00:00:04 | Olu Ade", "Olu Ade", 1.0),
    ("(0:03) Speaker 1", "Speaker 1", 3.0), ("Speaker 1 (0:03)", "Speaker 1", 3.0),
])
def test_split_timed_name(cell, name, start):
    assert split_timed_name(cell) == (name, start)


@pytest.mark.parametrize("cell", ["Olu Ade", "Speaker 1", "Room101:30", "Olu 0:03 Ade", "1:2:3:4 Olu", "00:01", "",
                                  "-" * 20_000 + " 0:03"])
def test_split_timed_name_leaves_names_without_a_time_at_either_end(cell):
    name, start = split_timed_name(cell)
    assert name == cell and math.isnan(start)

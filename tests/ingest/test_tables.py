"""Speaker tables in Word and Markdown."""
import math

import pytest

from pipeline.ingest.records import ParsedTurn
from pipeline.ingest.tables import table_items


def pairs(items):
    return [(t.speaker, t.text) if isinstance(t, ParsedTurn) else t for t in items]


def test_header_names_in_any_case_and_order():
    items = table_items([["Transcript", "Speaker Name", "Start Time"], ["Why?", "Sam", "0:01"],
                         ["Because.", "Anna:", "0:03"]])
    assert [(t.speaker, t.text, t.start) for t in items] == [("Sam", "Why?", 1.0),
                                                             ("Anna", "Because.", 3.0)]


def test_headerless_two_column_table_with_recurring_labels():
    rows = [["Interviewer", "Why?"], ["Respondent", "Because."], ["Interviewer", "Sure?"]]
    assert pairs(table_items(rows)) == [("Interviewer", "Why?"), ("Respondent", "Because."),
                                        ("Interviewer", "Sure?")]


def test_headerless_table_with_a_time_column():
    rows = [["00:01", "Sam", "Why?"], ["00:04", "Anna", "Because."], ["00:09", "Sam", "Ok."]]
    items = table_items(rows)
    assert [(t.speaker, t.start) for t in items] == [("Sam", 1.0), ("Anna", 4.0), ("Sam", 9.0)]


def test_other_tables_are_lines():
    assert table_items([["Sam: Why?"], ["Anna: Because."]]) == ["Sam: Why?", "Anna: Because."]
    rows = [["Budget", "2024"], ["Staff", "12"]]
    assert table_items(rows) == ["Budget", "2024", "Staff", "12"]


def test_empty_and_ragged_rows():
    assert table_items([]) == [] and table_items([["", ""]]) == []
    items = table_items([["Speaker", "Text"], ["Sam"], ["Anna", "Yes."]])
    assert [(t.speaker, t.text) for t in items] == [("Anna", "Yes.")]
    assert math.isnan(items[0].start)


TIMED_ROWS = [["Speaker", "Transcript"], ["Olu Ade (00:00:01 - 00:00:04)", "How did the budget go?"],
              ["Anna Berg (00:00:05 - 00:00:11)", "We moved the phone hours."],
              ["Olu Ade (00:00:12 - 00:00:14)", "Did that help?"]]


def test_a_time_range_in_the_speaker_cell_is_the_start_not_part_of_the_name():
    items = table_items(TIMED_ROWS)
    assert [(t.speaker, t.start) for t in items] == [("Olu Ade", 1.0), ("Anna Berg", 5.0), ("Olu Ade", 12.0)]
    # Without the header row the names still recur, so the table is still read as turns.
    assert [t.speaker for t in table_items(TIMED_ROWS[1:])] == ["Olu Ade", "Anna Berg", "Olu Ade"]


@pytest.mark.parametrize("cell, start", [
    ("Olu Ade [00:01]", 1.0), ("Olu Ade (0:03)", 3.0), ("Olu Ade 00:00:01 - 00:00:04", 1.0),
    ("Olu Ade 00:00:01 00:00:04", 1.0), ("Olu Ade - 0:03", 3.0), ("Olu Ade (00:01):", 1.0),
    ("00:01:02 Olu Ade", 62.0), ("[00:01:02] Olu Ade", 62.0), ("00:01:02 - Olu Ade", 62.0),
])
def test_a_time_before_or_after_the_name_in_a_speaker_cell(cell, start):
    items = table_items([["Speaker", "Text"], [cell, "Why?"], ["Anna Berg", "Cost."]])
    assert [(t.speaker, t.start) for t in items][0] == ("Olu Ade", start)


def test_a_time_column_wins_over_a_time_in_the_speaker_cell():
    items = table_items([["Time", "Speaker", "Text"], ["0:07", "Olu Ade (0:03)", "Why?"], ["", "Anna (0:09)", "Cost."]])
    assert [(t.speaker, t.start) for t in items] == [("Olu Ade", 7.0), ("Anna", 9.0)]


@pytest.mark.parametrize("header", ["Quote", "What was said:", "Words", "Statement"])
def test_words_column_names_shared_with_csv(header):
    items = table_items([["Speaker", header], ["Sam", "Why?"], ["Anna", "Because."]])
    assert pairs(items) == [("Sam", "Why?"), ("Anna", "Because.")]


def test_a_remarks_column_beside_names_is_not_a_transcript():
    # An attendance list in meeting notes: its remarks are notes about people, not their words.
    rows = [["Name", "Remarks"], ["Dara Vell", "apologies"], ["Tomas Ireby", "joined late"]]
    assert pairs(table_items(rows)) == ["Name", "Remarks", "Dara Vell", "apologies", "Tomas Ireby", "joined late"]

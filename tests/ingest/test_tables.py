"""Speaker tables in Word and Markdown."""
import math

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

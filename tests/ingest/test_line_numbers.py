"""Line-numbered transcripts (transcription agencies, NVivo): the numbers go before the layouts are read."""
import pytest
from ingest.test_pdf_reader import make_pdf

from pipeline.errors import InputFileError
from pipeline.ingest.docx_reader import parse_docx
from pipeline.ingest.lines import parse_lines, without_line_numbers
from pipeline.ingest.pdf_reader import parse_pdf
from pipeline.ingest.records import ParsedTurn, ParseOptions
from pipeline.ingest.text import parse_md, parse_txt

ANSWER = "We stopped answering every call straight away and set up a rota for the casework"
NUMBERED = ["  1   Interviewer: What changed?", f"  2   Ann Lee: {ANSWER}", "  3   each morning.",
            "  4   Interviewer: Why?", "  5\tAnn Lee: The backlog kept growing.", "  6"]
EXPECTED = [("Interviewer", "What changed?"), ("Ann Lee", f"{ANSWER} each morning."), ("Interviewer", "Why?"),
            ("Ann Lee", "The backlog kept growing.")]


def turns_of(turns):
    return [(t.speaker, t.text) for t in turns]


def test_a_line_numbered_txt_is_read():
    data = "\n".join(NUMBERED).encode()
    assert turns_of(parse_txt(data, ParseOptions("a.txt"))) == EXPECTED


def test_a_line_numbered_md_is_read():
    data = "\n".join(NUMBERED).encode()
    assert turns_of(parse_md(data, ParseOptions("a.md"))) == EXPECTED


def test_a_line_numbered_docx_is_read(tmp_path, make_docx):
    path = make_docx(tmp_path / "a.docx", [line.strip() for line in NUMBERED])
    assert turns_of(parse_docx(path.read_bytes(), ParseOptions("a.docx"))) == EXPECTED


def test_a_line_numbered_pdf_is_read_across_pages_and_hyphens():
    pages = [["1   Interviewer: What changed?", "2   Ann Lee: We set up a rota for the organis-"],
             ["1   ation of the casework.", "2   Interviewer: Why?", "3   Ann Lee: The backlog grew."]]
    assert turns_of(parse_pdf(make_pdf(pages), ParseOptions("a.pdf"))) == [
        ("Interviewer", "What changed?"), ("Ann Lee", "We set up a rota for the organisation of the casework."),
        ("Interviewer", "Why?"), ("Ann Lee", "The backlog grew.")]


def test_without_the_fix_a_numbered_file_has_no_turns(monkeypatch):
    # The failure the fix removes: the number hides every label.
    from pipeline.ingest import lines
    monkeypatch.setattr(lines, "without_line_numbers", lambda items: items)
    with pytest.raises(InputFileError, match="no speaker turns found"):
        parse_txt("\n".join(NUMBERED).encode(), ParseOptions("a.txt"))


def test_timestamps_are_not_line_numbers():
    lines = ["00:00:03 Speaker 1", "We met.", "00:00:09 Speaker 2", "Fine.", "00:00:12 Speaker 1", "Good.",
             "00:00:15 Speaker 2", "Yes."]
    assert without_line_numbers(lines) == lines
    assert turns_of(parse_lines(lines))[:2] == [("Speaker 1", "We met."), ("Speaker 2", "Fine.")]


def test_numbered_lists_and_numbers_inside_turns_stay():
    lines = ["Sam: What were the options?", "Anna: There were three:", "1. Close it", "2. Merge it", "3. Keep it",
             "2 of us wanted the third."]
    assert without_line_numbers(lines) == lines
    numbers = ["Sam: How many?", "Anna: 3 of them.", "12 in all, 4 left", "Sam: And now?", "Anna: 2 left."]
    assert without_line_numbers(numbers) == numbers  # too few lines start with a number, and not rising


def test_a_list_of_numbers_that_do_not_rise_is_left_alone():
    lines = ["5 Sam: What now?", "3 Anna: We wait.", "9 Sam: Why?", "1 Anna: Cost.", "7 Sam: Ok."]
    assert without_line_numbers(lines) == lines


def test_numbers_restarting_on_each_page_are_line_numbers():
    lines = [f"{n} Sam: Line {n}." for n in range(1, 11)] + [f"{n} Anna: Line {n}." for n in range(1, 11)]
    assert without_line_numbers(lines)[:2] == ["Sam: Line 1.", "Sam: Line 2."]


def test_numbered_content_inside_a_numbered_transcript_is_kept():
    lines = ["1 Sam: What were the options?", "2 Anna: Three:", "3 1. Close it", "4 2 of us wanted it."]
    assert without_line_numbers(lines) == ["Sam: What were the options?", "Anna: Three:", "1. Close it",
                                           "2 of us wanted it."]


def test_table_turns_pass_through():
    row = ParsedTurn("Anna", "From a table.")
    lines = ["1 Sam: Why?", "2 Anna: Cost.", row, "3 Sam: Ok."]
    assert without_line_numbers(lines) == ["Sam: Why?", "Anna: Cost.", row, "Sam: Ok."]

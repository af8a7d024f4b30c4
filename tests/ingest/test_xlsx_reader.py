"""Excel workbooks: synthetic workbooks written with openpyxl (a few parts edited by hand), never real ones."""
import datetime
import io
import logging
import re
import zipfile

import openpyxl
import pytest

from pipeline.errors import InputFileError
from pipeline.ingest import read_corpus
from pipeline.ingest.records import ParseOptions
from pipeline.ingest.rows import parse_csv
from pipeline.ingest.xlsx_reader import parse_xlsx

OPTIONS = ParseOptions("tickets.xlsx")
SECRET = "pilot budget"  # said in the fixtures: must never reach a reason or a log line
SHEET_NAME = "Kim Farrow notes"  # a sheet named after a person: never in a reason or a log line


def xlsx_bytes(*sheets, hidden=(), merged=None, formats=None) -> bytes:
    """A workbook of `sheets` (each a list of rows), sheet k titled "Sheet k".

    `hidden`: 0-based indices of hidden sheets; `merged`: {sheet index: ["A3:A4", ...]};
    `formats`: {sheet index: {"B3": "0%"}}.
    """
    book = openpyxl.Workbook()
    book.remove(book.active)
    for index, rows in enumerate(sheets):
        sheet = book.create_sheet(f"Sheet {index + 1}")
        for row in rows:
            sheet.append(list(row))
        for ref in (merged or {}).get(index, ()):
            sheet.merge_cells(ref)
        for ref, number_format in (formats or {}).get(index, {}).items():
            sheet[ref].number_format = number_format
        if index in hidden:
            sheet.sheet_state = "hidden"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def edited(data: bytes, part: str, edit) -> bytes:
    """The package `data` with one part's XML text passed through `edit`."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info)
            target.writestr(info.filename, edit(content.decode()).encode() if info.filename == part else content)
    return out.getvalue()


def as_csv(rows) -> bytes:
    return "\n".join(",".join(f'"{cell}"' for cell in row) for row in rows).encode()


def fields(turns):
    return [(t.transcript_id, t.row, t.speaker, t.team, t.role, t.text) for t in turns]


TICKETS = [
    ["Ticket ID", "Submitted By", "Department", "Description"],
    ["", "Ana Ruiz", "Housing", f"The lift is broken again and the {SECRET} is spent."],
    ["", "Bo Lind", "Finance", "Invoices arrive twice."],
    ["", "Ana Ruiz", "Housing", "Still broken."],
]


def test_a_sheet_is_read_as_the_same_rows_in_a_csv_would_be():
    # A ticket export: each requester's rows are one conversation, the department the team.
    from_csv = parse_csv(as_csv(TICKETS), OPTIONS)
    turns = parse_xlsx(xlsx_bytes(TICKETS), OPTIONS)
    assert fields(turns) == fields(from_csv)
    assert [(t.transcript_id, t.speaker, t.team) for t in turns] == [
        ("tickets.xlsx#1", "Ana Ruiz", "Housing"), ("tickets.xlsx#2", "Bo Lind", "Finance"),
        ("tickets.xlsx#1", "Ana Ruiz", "Housing")]


def test_a_survey_export_with_one_column_per_question_is_read_as_its_csv():
    # Microsoft Forms: no text column; the answer columns are found as in a .csv. A question wrapped
    # over two lines (Alt+Enter) with a semicolon in it must not break the header.
    answer = "We moved the phone hours to the mornings because nobody called after four."
    rows = [["ID", "Start time", "Name", "What changed;\nand why?"],
            [1, datetime.datetime(2024, 3, 1, 9, 30), "Ana Ruiz", answer],
            [2, datetime.datetime(2024, 3, 1, 9, 45), "Bo Lind", answer.replace("four", "five")]]
    turns = parse_xlsx(xlsx_bytes(rows), OPTIONS)
    assert [(t.transcript_id, t.speaker, t.text) for t in turns] == [
        ("tickets.xlsx#1", "Interviewer", "What changed and why?"), ("tickets.xlsx#1", "Ana Ruiz", answer),
        ("tickets.xlsx#2", "Interviewer", "What changed and why?"),
        ("tickets.xlsx#2", "Bo Lind", answer.replace("four", "five"))]  # the question asked before each answer


def test_header_cells_on_several_lines_or_with_semicolons_do_not_break_the_header():
    # The .csv reader finds the header on the first line and may split it at ";": a cell wrapped with
    # Alt+Enter, or a question listing options, must reach it as one line of names split at commas.
    turns = parse_xlsx(xlsx_bytes([["Topic\n(as typed)", "Speaker", "Text"], ["rota", "Sam", "Why?"]]), OPTIONS)
    assert [(t.speaker, t.text) for t in turns] == [("Sam", "Why?")]
    answer = "Open the office on Saturdays, because half of our tenants work all week."
    rows = [["Name", "What would you change; why; and for whom?"], ["Ana Ruiz", answer], ["Bo Lind", answer]]
    turns = [t for t in parse_xlsx(xlsx_bytes(rows), OPTIONS) if t.role == "participant"]
    assert [(t.transcript_id, t.speaker, t.text) for t in turns] == [("tickets.xlsx#1", "Ana Ruiz", answer),
                                                                     ("tickets.xlsx#2", "Bo Lind", answer)]


def test_a_wrong_saved_dimension_does_not_cut_the_sheet_short():
    # Some tools save the sheet's size as "A1:A1" whatever it holds; read-only mode would trust it.
    data = edited(xlsx_bytes(TICKETS), "xl/worksheets/sheet1.xml",
                  lambda xml: re.sub(r'<dimension ref="[^"]*"', '<dimension ref="A1:A1"', xml))
    assert fields(parse_xlsx(data, OPTIONS)) == fields(parse_csv(as_csv(TICKETS), OPTIONS))


def test_the_header_row_may_stand_below_a_title_a_date_and_a_blank_row():
    # The title names a text column alias ("Feedback") in one merged cell: a title, not the header.
    rows = [["Feedback"], ["Exported 2024-03-01"], [], *TICKETS]
    turns = parse_xlsx(xlsx_bytes(rows, merged={0: ["A1:D1"]}), OPTIONS)
    assert fields(turns) == fields(parse_csv(as_csv(TICKETS), OPTIONS))


def test_a_header_without_a_text_column_is_told_from_a_line_of_figures_above_it():
    # A survey's questions name no text column; the line above them fills as many cells, but with figures.
    answer = "We would keep the phone line open in the evenings for the people who work days."
    rows = [["Responses", "", 2024], ["Name", "Team", "What would you change next year?"],
            ["Ana Ruiz", "Housing", answer], ["Bo Lind", "Finance", answer.replace("evenings", "mornings")]]
    turns = [t for t in parse_xlsx(xlsx_bytes(rows), OPTIONS) if t.role == "participant"]
    assert [(t.transcript_id, t.speaker, t.team, t.text) for t in turns] == [
        ("tickets.xlsx#1", "Ana Ruiz", "Housing", answer),
        ("tickets.xlsx#2", "Bo Lind", "Finance", answer.replace("evenings", "mornings"))]


def test_numbers_dates_and_times_read_as_a_spreadsheet_shows_them():
    rows = [["Speaker", "Start", "Text", "Score", "Share", "Due", "Logged", "Done"],
            ["Ana", datetime.time(0, 1, 2), "A", 3, 0.25, datetime.date(2024, 3, 1),
             datetime.datetime(2024, 3, 1, 10, 2), True],
            ["Bo", 75.5, "B", 2.5, 0.1 + 0.2, datetime.datetime(2024, 3, 2, 0, 0),
             datetime.datetime(2024, 3, 1, 10, 2, 7), False]]
    # Read every cell as text by making each column in turn the text column of a copy.
    texts = {}
    for column in ("Score", "Share", "Due", "Logged", "Done"):
        header = [("Text" if name == column else "Other" if name == "Text" else name) for name in rows[0]]
        turns = parse_xlsx(xlsx_bytes([header, *rows[1:]], formats={0: {"E2": "0%"}}), OPTIONS)
        texts[column] = [t.text for t in turns]
        starts = [t.start for t in turns]
    assert texts == {"Score": ["3", "2.5"], "Share": ["25%", "0.3"], "Due": ["2024-03-01", "2024-03-02"],
                     "Logged": ["2024-03-01 10:02", "2024-03-01 10:02:07"], "Done": ["TRUE", "FALSE"]}
    assert starts == [62.0, 75.5]  # a time cell is a timecode to the start column


def test_a_time_typed_without_seconds_starts_where_the_sheet_saved_as_csv_does():
    # Typed "1:02", Excel keeps one hour two minutes and shows "1:02" (h:mm), which a .csv export writes.
    rows = [["Start", "Speaker", "Text"], [datetime.time(1, 2), "Sam", "Why?"], [datetime.time(1, 9), "Ana", "Oh."]]
    turns = parse_xlsx(xlsx_bytes(rows, formats={0: {"A2": "h:mm", "A3": "h:mm"}}), OPTIONS)
    from_csv = parse_csv(as_csv([rows[0], ["1:02", "Sam", "Why?"], ["1:09", "Ana", "Oh."]]), OPTIONS)
    assert [t.start for t in turns] == [t.start for t in from_csv] == [62.0, 69.0]


def test_a_formula_gives_its_cached_value_an_uncalculated_one_and_an_error_nothing():
    rows = [["Speaker", "Text"], ["Ana", '="We" & " agreed."'], ["Bo", '="Never" & " calculated."'],
            ["Cy", "Typed."], ["Di", "=1/0"]]
    data = xlsx_bytes(rows)
    # Excel saves a formula's result beside it; openpyxl cannot, so two are written in by hand.
    def cache(xml):
        xml = re.sub(r'<c r="B2"([^>]*)><f>([^<]*)</f><v\s*/?>(?:</v>)?',
                     r'<c r="B2" t="str"><f>\2</f><v>We agreed.</v>', xml)
        return re.sub(r'<c r="B5"([^>]*)><f>([^<]*)</f><v\s*/?>(?:</v>)?', r'<c r="B5" t="e"><f>\2</f><v>#DIV/0!</v>',
                      xml)
    turns = parse_xlsx(edited(data, "xl/worksheets/sheet1.xml", cache), OPTIONS)
    assert [(t.speaker, t.text) for t in turns if t.text] == [("Ana", "We agreed."), ("Cy", "Typed.")]


def test_a_speaker_merged_down_names_every_row_and_merged_words_are_not_repeated():
    rows = [["Speaker", "Text"], ["Sam", "Why?"], ["Ana", "Because we lost two people."], [None, "And then the rota."],
            ["Sam", "A long answer merged over two rows."], [None, None]]
    turns = parse_xlsx(xlsx_bytes(rows, merged={0: ["A3:A4", "B5:B6"]}), OPTIONS)
    said = [(t.speaker, t.text) for t in turns if t.text]
    assert said == [("Sam", "Why?"), ("Ana", "Because we lost two people."), ("Ana", "And then the rota."),
                    ("Sam", "A long answer merged over two rows.")]


def test_escaped_carriage_returns_and_control_characters_are_cleaned():
    # Excel escapes a carriage return, and any control character, as _xHHHH_; openpyxl leaves the escape.
    rows = [["Speaker", "Text"], ["Ana", "First line_x000D_\nsecond line"], ["Bo", "bell_x0007_ rung"]]
    turns = parse_xlsx(xlsx_bytes(rows), OPTIONS)
    assert [t.text for t in turns] == ["First line\nsecond line", "bell rung"]


def test_hidden_and_tableless_sheets_are_skipped_by_position_never_by_name(caplog):
    book = openpyxl.Workbook()
    book.active.title = SHEET_NAME
    for row in [["Code", "Meaning"], [1, f"the {SECRET}"]]:
        book.active.append(row)
    shown = book.create_sheet("Interview")
    for row in [["Speaker", "Text"], ["Sam", "Why?"], ["Ana", "Because."]]:
        shown.append(row)
    hidden = book.create_sheet("Old")
    for row in [["Speaker", "Text"], ["Zed", "Hidden words."]]:
        hidden.append(row)
    hidden.sheet_state = "hidden"
    buffer = io.BytesIO()
    book.save(buffer)
    with caplog.at_level(logging.DEBUG, logger="pipeline"):
        turns = parse_xlsx(buffer.getvalue(), OPTIONS)
    assert [(t.speaker, t.text) for t in turns] == [("Sam", "Why?"), ("Ana", "Because.")]
    assert {t.transcript_id for t in turns} == {None}  # one sheet read: the file's conversation, as a .csv's
    assert "sheet 1 of 3 skipped: no 'text' column" in caplog.text
    assert "sheet 3 of 3 skipped: a hidden sheet" in caplog.text
    warned = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warned) == 1 and "sheet 1 of 3" in warned[0]  # a table left unread is news; a hidden sheet is not
    assert SHEET_NAME not in caplog.text and SECRET not in caplog.text and "Hidden words" not in caplog.text


def test_several_sheets_are_conversations_of_their_own_and_their_people_never_merge():
    interview = [["Speaker", "Text"], ["Sam", "Why?"], ["Ana", "Because."]]
    tickets = [["Requester", "Description"], ["Bo", "Fix it."], ["Cy", "Me too."]]
    more = [["Requester", "Description"], ["Di", "And me."]]
    turns = parse_xlsx(xlsx_bytes(interview, tickets, more), OPTIONS)
    assert [(t.transcript_id, t.speaker) for t in turns] == [
        ("tickets.xlsx#sheet1", "Sam"), ("tickets.xlsx#sheet1", "Ana"),
        ("tickets.xlsx#sheet2#1", "Bo"), ("tickets.xlsx#sheet2#2", "Cy"), ("tickets.xlsx#sheet3#1", "Di")]


def test_rows_that_name_their_conversation_keep_it_across_sheets():
    first = [["Interview ID", "Speaker", "Text"], ["i-7", "Sam", "Why?"]]
    second = [["Interview ID", "Speaker", "Text"], ["i-7", "Ana", "Because."]]
    assert {t.transcript_id for t in parse_xlsx(xlsx_bytes(first, second), OPTIONS)} == {"i-7"}


def _ole(*streams: bytes) -> bytes:
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + b"".join(streams) + b"\0" * 512


def _bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/sharedStrings.xml", b" " * (2 * 1024 * 1024))
    return out.getvalue()


def _renamed_docx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


@pytest.mark.parametrize(("data", "message", "hint"), [
    (_ole("EncryptedPackage".encode("utf-16-le")), "password-protected", "save it as .xlsx"),
    (_ole(), "old Excel 97-2003 workbook", "save it as an Excel Workbook (.xlsx)"),
    (xlsx_bytes(TICKETS)[:-200], "damaged or incomplete", "export it again"),
    (b"Speaker,Text\nAna,We agreed.\n", "not an Excel workbook", "rename it to .csv"),
    (b"%PDF-1.7 ...", "a PDF document", "rename it to .pdf"),
    (_renamed_docx(), "a Word document", "rename it to .docx, which is read"),
    (_bomb(), "unpacks to more than 1 MB", "max_file_mb"),
    (b"", "empty", "export"),
])
def test_what_cannot_be_read_is_named_with_what_to_do(data, message, hint):
    with pytest.raises(InputFileError) as caught:
        parse_xlsx(data, ParseOptions("tickets.xlsx", max_bytes=1024 * 1024))
    assert message in caught.value.message and hint in caught.value.hint
    assert caught.value.path == "tickets.xlsx"


def test_a_damaged_part_is_reported_as_damaged_not_as_an_internal_error():
    data = edited(xlsx_bytes(TICKETS), "xl/workbook.xml", lambda xml: xml[: len(xml) // 2])
    with pytest.raises(InputFileError, match="damaged"):
        parse_xlsx(data, OPTIONS)


def test_a_damaged_sheet_is_named_by_position_with_what_to_do():
    data = edited(xlsx_bytes(TICKETS), "xl/worksheets/sheet1.xml", lambda xml: xml[: len(xml) // 2])
    with pytest.raises(InputFileError) as caught:
        parse_xlsx(data, OPTIONS)
    assert "sheet 1 of 1: it is damaged" in caught.value.message and "save it again" in caught.value.hint


def test_a_workbook_without_a_readable_sheet_says_why_for_each_sheet_without_its_cells():
    data = xlsx_bytes([["Code", "Meaning"], [1, SECRET]], [], [["Speaker", "Text"], ["Zed", SECRET]], hidden=(2,))
    with pytest.raises(InputFileError) as caught:
        parse_xlsx(data, OPTIONS)
    reason = caught.value.message
    assert "sheet 1 of 3: no 'text' column" in reason and "sheet 2 of 3: it is empty" in reason
    assert "sheet 3 of 3: a hidden sheet" in reason
    assert "'text'" in caught.value.hint and ".csv" in caught.value.hint
    assert SECRET not in str(caught.value) and "Sheet 1" not in str(caught.value)


def test_read_corpus_reads_a_workbook_in_a_team_folder_and_leaves_it_untouched(tmp_path, ingest_config):
    youth = tmp_path / "youth"
    youth.mkdir()
    interview = [["Interview log"], ["Speaker", "Text"], ["Sam", "Why did the rota change?"],
                 ["Ana", "Because we lost two people."]]
    (youth / "log.xlsx").write_bytes(xlsx_bytes(interview))
    (youth / "macro.xlsm").write_bytes(xlsx_bytes(TICKETS))
    (tmp_path / "old.xls").write_bytes(_ole())
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    corpus = read_corpus(tmp_path, ingest_config())
    status = {r.file: (r.status, r.reason) for r in corpus.inputs}
    assert status["youth/log.xlsx"] == ("ok", "") and status["youth/macro.xlsm"] == ("ok", "")
    assert status["old.xls"][0] == "skipped" and "save it as .xlsx" in status["old.xls"][1]
    log = corpus.turns[corpus.turns.transcript_id == "youth/log.xlsx"]
    assert log[["turn", "speaker", "role", "team", "text"]].values.tolist() == [
        [0, "Sam", "interviewer", "youth", "Why did the rota change?"],
        [1, "Ana", "participant", "youth", "Because we lost two people."]]
    tickets = corpus.turns[corpus.turns.source_file == "youth/macro.xlsm"]
    assert sorted(set(tickets.transcript_id)) == ["youth/macro.xlsm#1", "youth/macro.xlsm#2"]
    assert set(tickets.team) == {"Housing", "Finance"}  # the rows' own teams
    assert {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == before


def test_survey_monkey_and_microsoft_forms_workbooks_are_read_as_their_respondents_open_answers():
    from ingest.test_surveys import (
        ANSWERS,
        EXTRA,
        MORE,
        NAMES,
        SCALE,
        WHAT,
        WHY,
        check_read_as_respondents,
        survey_monkey,
    )
    monkey = [[int(cell) if cell.isdigit() else cell for cell in row] for row in survey_monkey()]
    check_read_as_respondents(parse_xlsx(xlsx_bytes(monkey), OPTIONS), "tickets.xlsx")
    forms = [["ID", "Start time", "Completion time", "Email", "Name", WHAT, WHY, "How far do you agree?", MORE]]
    for n, ((first, last), (what, why)) in enumerate(zip(NAMES, ANSWERS), start=1):
        forms.append([n, datetime.datetime(2024, 3, 4, 10, n), datetime.datetime(2024, 3, 4, 10, 20 + n),
                      f"{first.lower()}@example.org", f"{first} {last}", what, why, SCALE[n - 1], EXTRA[n - 1]])
    check_read_as_respondents(parse_xlsx(xlsx_bytes(forms), OPTIONS), "tickets.xlsx")

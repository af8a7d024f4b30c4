import io
import zipfile

import pytest
from ingest.docx_fixtures import para, table

from pipeline.errors import InputFileError
from pipeline.ingest.docx_reader import parse_docx
from pipeline.ingest.records import ParseOptions

OPTIONS = ParseOptions("fixture.docx")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def pairs(turns):
    return [(t.speaker, t.text) for t in turns]


def test_paragraphs_name_colon_with_heading_and_soft_breaks(tmp_path, make_docx):
    path = make_docx(tmp_path / "a.docx",
                     ["Interview, 12 March", "Sam: How did the pilot go?",
                      "Anna: It went well,\nmostly.", "[00:01:02] Sam: Thanks."],
                     headings=["Housing team"])
    assert pairs(parse_docx(path.read_bytes(), OPTIONS)) == [
        ("Sam", "How did the pilot go?"), ("Anna", "It went well, mostly."), ("Sam", "Thanks.")]


def test_teams_docx_layout(tmp_path, make_docx):
    path = make_docx(tmp_path / "a.docx", ["Sam Jones   0:03", "How did it go?",
                                           "Anna Smith   0:09", "Well."])
    turns = parse_docx(path.read_bytes(), OPTIONS)
    assert [(t.speaker, t.text, t.start) for t in turns] == [
        ("Sam Jones", "How did it go?", 3.0), ("Anna Smith", "Well.", 9.0)]


def test_speaker_text_table(tmp_path, make_docx):
    table = [["Time", "Speaker", "Text"],
             ["00:00:01", "Sam", "How did it go?"],
             ["00:00:05", "Anna", "Well,"],
             ["", "", "mostly."]]
    path = make_docx(tmp_path / "a.docx", ["Transcript of the interview"], tables=[table])
    turns = parse_docx(path.read_bytes(), OPTIONS)
    assert [(t.speaker, t.text, t.start) for t in turns] == [
        ("Sam", "How did it go?", 1.0), ("Anna", "Well, mostly.", 5.0)]


def test_other_tables_are_read_as_lines(tmp_path, make_docx):
    path = make_docx(tmp_path / "a.docx", [], tables=[[["Sam: Why?"], ["Anna: Because."]]])
    assert pairs(parse_docx(path.read_bytes(), OPTIONS)) == [("Sam", "Why?"), ("Anna", "Because.")]


def test_empty_docx_has_no_turns(tmp_path, make_docx):
    path = make_docx(tmp_path / "a.docx", ["Just a title"])
    with pytest.raises(InputFileError, match="no speaker turns found"):
        parse_docx(path.read_bytes(), OPTIONS)


def test_corrupt_docx(tmp_path, make_docx):
    good = make_docx(tmp_path / "a.docx", ["Sam: Hi."]).read_bytes()
    with pytest.raises(InputFileError, match="not a Word .docx|damaged"):
        parse_docx(good[: len(good) // 2], OPTIONS)


def test_zip_that_is_not_a_docx():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "Sam: Hi.")
    with pytest.raises(InputFileError, match="damaged"):
        parse_docx(buffer.getvalue(), OPTIONS)


def test_password_protected_docx():
    # Word saves an encrypted .docx as an OLE container with an
    # "EncryptedPackage" stream; its directory names are UTF-16-LE.
    data = OLE_MAGIC + b"\x00" * 500 + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 100
    with pytest.raises(InputFileError, match="password-protected") as info:
        parse_docx(data, OPTIONS)
    assert "remove the password" in info.value.hint


def test_old_word_document_renamed():
    with pytest.raises(InputFileError, match="Word 97-2003"):
        parse_docx(OLE_MAGIC + b"\x00" * 512, OPTIONS)


@pytest.mark.parametrize("data", [b"", b"Sam: plain text in a .docx"])
def test_not_a_docx(data):
    with pytest.raises(InputFileError):
        parse_docx(data, OPTIONS)


# --- the markup real exports contain, written by hand (docx_fixtures) ---------------------

STRICT = "http://purl.oclc.org/ooxml/wordprocessingml/main"


def test_text_boxes_are_read_once(raw_docx):
    box = para("Anna: In a text box.")
    body = ("<w:p><w:r><w:t>Sam: Before the box.</w:t></w:r><w:r><mc:AlternateContent>"
            f"<mc:Choice Requires=\"wps\"><w:drawing><wps:txbx><w:txbxContent>{box}</w:txbxContent>"
            "</wps:txbx></w:drawing></mc:Choice><mc:Fallback><w:pict><v:textbox><w:txbxContent>"
            f"{box}</w:txbxContent></v:textbox></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>"
            + para("Sam: After."))
    assert pairs(parse_docx(raw_docx(body), OPTIONS)) == [
        ("Sam", "Before the box."), ("Anna", "In a text box."), ("Sam", "After.")]


def test_content_controls_at_block_and_inline_level(raw_docx):
    body = ("<w:sdt><w:sdtPr><w:alias w:val=\"Question\"/><w:placeholder><w:docPart w:val=\"x\"/>"
            "</w:placeholder></w:sdtPr><w:sdtContent>" + para("Sam: Why?") + "</w:sdtContent></w:sdt>"
            "<w:p><w:r><w:t xml:space=\"preserve\">Anna: Because </w:t></w:r><w:sdt><w:sdtPr/>"
            "<w:sdtContent><w:r><w:t>we</w:t></w:r></w:sdtContent></w:sdt>"
            "<w:r><w:t xml:space=\"preserve\"> could.</w:t></w:r></w:p>")
    assert pairs(parse_docx(raw_docx(body), OPTIONS)) == [("Sam", "Why?"), ("Anna", "Because we could.")]


def test_tracked_changes_read_as_word_shows_them_and_field_codes_are_not_text(raw_docx):
    body = ("<w:p><w:r><w:t xml:space=\"preserve\">Sam: We </w:t></w:r>"
            "<w:del w:id=\"1\" w:author=\"x\"><w:r><w:delText>never </w:delText></w:r></w:del>"
            "<w:ins w:id=\"2\" w:author=\"x\"><w:r><w:t xml:space=\"preserve\">always </w:t></w:r></w:ins>"
            "<w:r><w:t xml:space=\"preserve\">agreed, see </w:t></w:r>"
            "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText> HYPERLINK \"x\" "
            "</w:instrText></w:r><w:r><w:fldChar w:fldCharType=\"separate\"/></w:r>"
            "<w:hyperlink><w:r><w:t>the notes</w:t></w:r></w:hyperlink>"
            "<w:r><w:fldChar w:fldCharType=\"end\"/></w:r><w:r><w:t>?</w:t></w:r></w:p>"
            + para("Anna: Yes."))
    assert pairs(parse_docx(raw_docx(body), OPTIONS)) == [
        ("Sam", "We always agreed, see the notes?"), ("Anna", "Yes.")]


def test_strict_ooxml_and_a_moved_main_part(raw_docx):
    body = para("Sam: Why?") + para("Anna: Because.")
    for data in (raw_docx(body, namespace=STRICT), raw_docx(body, main="word/document2.xml")):
        assert pairs(parse_docx(data, OPTIONS)) == [("Sam", "Why?"), ("Anna", "Because.")]


def test_headings_by_style_or_outline_level_are_skipped(raw_docx):
    body = (para("Sam: Title in a heading style", style="Heading1")
            + "<w:p><w:pPr><w:outlineLvl w:val=\"0\"/></w:pPr><w:r><w:t>Sam: Outline</w:t></w:r></w:p>"
            + para("Sam: Why?") + para("Anna: Because."))
    assert pairs(parse_docx(raw_docx(body), OPTIONS)) == [("Sam", "Why?"), ("Anna", "Because.")]


def test_a_nested_table_in_a_cell_is_read(raw_docx):
    inner = "<w:tbl><w:tr><w:tc>" + para("Anna: Nested.") + "</w:tc></w:tr></w:tbl>"
    body = ("<w:tbl><w:tr><w:tc>" + para("Sam: Why?") + inner + "</w:tc></w:tr></w:tbl>")
    assert pairs(parse_docx(raw_docx(body), OPTIONS)) == [("Sam", "Why?"), ("Anna", "Nested.")]


def test_bold_turned_off_is_plain(raw_docx):
    plain = "<w:p><w:pPr><w:pStyle w:val=\"ModeratorText\"/></w:pPr><w:r><w:rPr><w:b w:val=\"0\"/>" \
            "</w:rPr><w:t>{}</w:t></w:r></w:p>"
    bold = "<w:p><w:r><w:rPr><w:b/></w:rPr><w:t>{}</w:t></w:r></w:p>"
    body = bold.format("Why?") + plain.format("Because.") + bold.format("Sure?") + plain.format("Yes.")
    assert pairs(parse_docx(raw_docx(body), OPTIONS)) == [
        ("Moderator", "Why?"), ("Respondent", "Because."), ("Moderator", "Sure?"), ("Respondent", "Yes.")]


def test_a_document_that_is_all_bold_or_all_plain_has_no_turns(raw_docx):
    bold = "<w:p><w:r><w:rPr><w:b/></w:rPr><w:t>{}</w:t></w:r></w:p>"
    for body in (bold.format("One.") + bold.format("Two.") + bold.format("Three."),
                 para("One.") + para("Two.") + para("Three.")):
        with pytest.raises(InputFileError, match="no speaker turns"):
            parse_docx(raw_docx(body), OPTIONS)


def test_an_embedded_html_chunk_gets_its_own_hint(raw_docx):
    with pytest.raises(InputFileError, match="no speaker turns") as info:
        parse_docx(raw_docx('<w:altChunk r:id="rId9" xmlns:r="http://schemas.openxmlformats.org/'
                            'officeDocument/2006/relationships"/>'), OPTIONS)
    assert "embedded HTML" in info.value.hint


def test_speakers_named_in_headings_above_their_words_are_read_when_nothing_else_is(tmp_path):
    from docx import Document

    document = Document()
    document.add_heading("Interview 4", 1)
    for speaker, words in [("Interviewer", "Why did you change it?"), ("Anna Smith", "The backlog kept growing.")] * 2:
        document.add_heading(speaker, 2)
        document.add_paragraph(words)
    document.save(tmp_path / "a.docx")
    assert pairs(parse_docx((tmp_path / "a.docx").read_bytes(), OPTIONS)) == [
        ("Interviewer", "Why did you change it?"), ("Anna Smith", "The backlog kept growing.")] * 2


# --- speaker tables typed by hand -------------------------------------------------------------

ROWS = (["Anna Berg", "We moved the phone hours."], ["Olu Ade", "Did that help?"],
        ["Anna Berg", "Yes, mostly."], ["Olu Ade", "Thanks."])


def test_a_time_range_in_a_speaker_cell_is_not_part_of_the_name(raw_docx):
    body = para("Interview 7") + table(["Speaker", "Transcript"], ["Olu Ade (00:00:01 - 00:00:04)", "Why?"],
                                       ["Anna Berg (00:00:05 - 00:00:11)", "Cost."], ["00:00:12 Olu Ade", "And?"])
    turns = parse_docx(raw_docx(body), OPTIONS)
    assert [(t.speaker, t.text, t.start) for t in turns] == [
        ("Olu Ade", "Why?", 1.0), ("Anna Berg", "Cost.", 5.0), ("Olu Ade", "And?", 12.0)]


@pytest.mark.parametrize("closing", ["End of transcript.", "Notes: recording stopped at 00:41."])
def test_a_paragraph_after_a_speaker_table_is_not_the_last_speakers_turn(raw_docx, closing):
    body = para("Focus group 3 - housing team") + para("12 March 2024") + table(*ROWS) + para(closing)
    assert pairs(parse_docx(raw_docx(body), OPTIONS)) == [tuple(row) for row in ROWS]


def test_turns_after_a_speaker_table_are_read_by_their_own_layout(raw_docx):
    body = (table(*ROWS) + para("Part two") + table(["Speaker", "Text"], *ROWS[:2]) + para("Anna Berg: It did,")
            + para("in the end.") + para("Olu Ade   0:03") + para("Good."))
    assert pairs(parse_docx(raw_docx(body), OPTIONS)) == [tuple(row) for row in ROWS + ROWS[:2]] + [
        ("Anna Berg", "It did, in the end."), ("Olu Ade", "Good.")]


# --- consultants' notes: each question set apart, no speaker named -------------------------------

ASKED = ("What changed in your team?", "Why did you stop the evening clinics?")
SAID = ("We moved the desk to mornings.", "Nobody came after six.", "The budget was cut in May.")
BOLD = "<w:p><w:r><w:rPr><w:b/></w:rPr><w:t>{}</w:t></w:r></w:p>"


def test_bold_questions_under_a_title_a_date_and_a_note_with_answers_of_two_paragraphs(raw_docx):
    body = (para("Interview 4: notes", style="Heading1") + para("Date: 3 May")
            + para("Call by phone; answers typed up the same afternoon.")
            + BOLD.format(ASKED[0]) + para(SAID[0]) + para(SAID[1]) + BOLD.format(ASKED[1]) + para(SAID[2]))
    assert pairs(parse_docx(raw_docx(body), OPTIONS)) == [
        ("Moderator", ASKED[0]), ("Respondent", SAID[0]), ("Respondent", SAID[1]),
        ("Moderator", ASKED[1]), ("Respondent", SAID[2])]


def test_questions_in_a_heading_style_under_a_title_with_a_colon(raw_docx):
    # The title "Interview 4: notes" names no speaker: read as one, it would swallow every question and answer.
    styles = ('<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/></w:style>'
              '<w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/></w:style>')
    body = (para("Interview 4: notes", style="Heading1") + para(ASKED[0], style="Heading2") + para(SAID[0])
            + para(ASKED[1], style="Heading2") + para(SAID[1]) + para(SAID[2]))
    assert pairs(parse_docx(raw_docx(body, styles_xml=styles), OPTIONS)) == [
        ("Moderator", ASKED[0]), ("Respondent", SAID[0]), ("Moderator", ASKED[1]), ("Respondent", SAID[1]),
        ("Respondent", SAID[2])]


def test_questions_numbered_by_word_whose_numbers_are_not_in_the_text(tmp_path):
    from docx import Document

    document = Document()
    for asked, said in zip(ASKED, SAID):
        document.add_paragraph(asked, style="List Number")
        document.add_paragraph(said)
    document.save(tmp_path / "a.docx")
    assert pairs(parse_docx((tmp_path / "a.docx").read_bytes(), OPTIONS)) == [
        ("Moderator", ASKED[0]), ("Respondent", SAID[0]), ("Moderator", ASKED[1]), ("Respondent", SAID[1])]


def test_a_question_whose_typed_number_alone_is_bold(raw_docx):
    label = '<w:p><w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">Q{}. </w:t></w:r><w:r><w:t>{}</w:t></w:r></w:p>'
    body = label.format(1, ASKED[0]) + para(SAID[0]) + label.format(2, ASKED[1]) + para(SAID[1])
    assert pairs(parse_docx(raw_docx(body), OPTIONS)) == [
        ("Moderator", f"Q1. {ASKED[0]}"), ("Respondent", SAID[0]), ("Moderator", f"Q2. {ASKED[1]}"),
        ("Respondent", SAID[1])]


def test_list_numbering_set_on_the_paragraph_or_by_its_style_and_taken_away_by_number_zero(raw_docx):
    styles = ('<w:style w:type="paragraph" w:styleId="Asked"><w:name w:val="Asked"/>'
              '<w:pPr><w:numPr><w:numId w:val="4"/></w:numPr></w:pPr></w:style>')
    direct = '<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="7"/></w:numPr></w:pPr><w:r><w:t>{}</w:t></w:r></w:p>'
    unnumbered = ('<w:p><w:pPr><w:pStyle w:val="Asked"/><w:numPr><w:numId w:val="0"/></w:numPr></w:pPr>'
                  '<w:r><w:t>{}</w:t></w:r></w:p>')
    body = (direct.format(ASKED[0]) + para(SAID[0]) + para(ASKED[1], style="Asked") + para(SAID[1])
            + unnumbered.format("Did it work? It did.") + para(SAID[2]))
    assert pairs(parse_docx(raw_docx(body, styles_xml=styles), OPTIONS)) == [
        ("Moderator", ASKED[0]), ("Respondent", SAID[0]), ("Moderator", ASKED[1]), ("Respondent", SAID[1]),
        ("Respondent", "Did it work? It did."), ("Respondent", SAID[2])]


def test_speakers_named_in_headings_under_a_title_with_a_colon(raw_docx):
    # The title is a heading, never a "Name: words" turn, even when headings are read for speakers' names.
    body = para("Interview 4: notes", style="Heading1") + "".join(
        para(who, style="Heading1") + para(words)
        for who, words in [("Sam Reid", "Why did you change it?"), ("Anna Berg", "The backlog kept growing.")] * 2)
    assert pairs(parse_docx(raw_docx(body), OPTIONS)) == [
        ("Sam Reid", "Why did you change it?"), ("Anna Berg", "The backlog kept growing.")] * 2

import io
import zipfile

import pytest

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

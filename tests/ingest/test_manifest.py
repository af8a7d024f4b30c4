import pytest

from pipeline.errors import UsageError
from pipeline.ingest.manifest import normalise_relpath, read_manifest, read_roster


def test_manifest_with_all_columns(tmp_path):
    path = tmp_path / "manifest.csv"
    path.write_text("file,team,interviewer,date,transcript_id\n"
                    "housing\\anna.vtt,Housing,Sam Jones; Kim Lee,2024-03-12,H1\n"
                    "./youth/bo.txt,Youth,,,\n\n", encoding="utf-8")
    entries = read_manifest(path, "cp1252")
    assert set(entries) == {"housing/anna.vtt", "youth/bo.txt"}
    anna = entries["housing/anna.vtt"]
    assert (anna.team, anna.interviewers, anna.date, anna.transcript_id) == (
        "Housing", ("Sam Jones", "Kim Lee"), "2024-03-12", "H1")
    assert entries["youth/bo.txt"].interviewers == ()


def test_manifest_semicolon_delimited(tmp_path):
    path = tmp_path / "manifest.csv"
    path.write_bytes("\ufefffile;team\na.txt;Équipe\n".encode("utf-8"))
    assert read_manifest(path, "cp1252")["a.txt"].team == "Équipe"


@pytest.mark.parametrize("content, message", [
    ("name,team\na.txt,x\n", "no 'file' column"),
    ("file,team\na.txt,x\n./a.txt,y\n", "already lists"),
    ("file,team\n,x\n", "empty 'file'"),
    ("", "empty"),
])
def test_broken_manifest_is_a_usage_error(tmp_path, content, message):
    path = tmp_path / "manifest.csv"
    path.write_text(content)
    with pytest.raises(UsageError, match=message):
        read_manifest(path, "cp1252")


def test_roster(tmp_path):
    path = tmp_path / "roster.txt"
    path.write_text("# people to hide\nAnna Smith\n  Sam   Jones  # consultant\n\nAnna Smith\n")
    assert read_roster(path, "cp1252") == ["Anna Smith", "Sam Jones"]


def test_empty_roster_is_fine(tmp_path):
    path = tmp_path / "roster.txt"
    path.write_text("")
    assert read_roster(path, "cp1252") == []


def test_binary_roster_is_a_usage_error(tmp_path):
    path = tmp_path / "roster.txt"
    path.write_bytes(b"\x00\x01binary")
    with pytest.raises(UsageError):
        read_roster(path, "cp1252")


@pytest.mark.parametrize("raw, clean", [
    ("a.txt", "a.txt"), ("./a.txt", "a.txt"), ("housing\\anna.vtt", "housing/anna.vtt"),
    (" housing//anna.vtt ", "housing/anna.vtt"), ("/a.txt", "a.txt"),
])
def test_normalise_relpath(raw, clean):
    assert normalise_relpath(raw) == clean


def _workbook_manifest() -> bytes:
    import io

    import openpyxl
    book = openpyxl.Workbook()
    book.active.append(["file", "team"])
    book.active.append(["housing/a.vtt", "Housing"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _word_manifest() -> bytes:
    import io
    import zipfile
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.mark.parametrize("data, what", [
    (_workbook_manifest(), "an Excel workbook"),
    (_word_manifest(), "a Word document"),
    (b"{\\rtf1\\ansi file,team\\par housing/a.vtt,Housing}", "an RTF document"),
])
def test_a_manifest_saved_in_another_format_is_told_to_be_saved_as_csv_not_renamed(tmp_path, data, what):
    # Renamed to .xlsx (or .docx), as the transcripts' hint says, it would be read as a transcript, not a manifest.
    path = tmp_path / "manifest.csv"
    path.write_bytes(data)
    with pytest.raises(UsageError) as caught:
        read_manifest(path, "cp1252")
    assert what in caught.value.message and caught.value.path == "manifest.csv"
    assert caught.value.hint == "save it from Excel as CSV (comma separated) and name it manifest.csv"
    assert "rename" not in caught.value.hint

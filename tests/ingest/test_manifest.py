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

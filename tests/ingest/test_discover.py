import pytest

from pipeline.errors import InputFileError
from pipeline.ingest import read_corpus
from pipeline.ingest.discover import KIND_MANIFEST, KIND_ROSTER, KIND_SKIPPED, KIND_TRANSCRIPT, discover
from pipeline.ingest.records import ParseOptions
from pipeline.ingest.rtf_reader import parse_doc, parse_rtf

from .docx_fixtures import para, raw_docx_bytes


def touch(path, content=b"x"):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)


def test_recursive_sorted_and_classified(tmp_path):
    for name in ["youth/b.SRT", "housing/a.vtt", "housing/deep/c.docx", "z.md", "a.txt",
                 "data.csv", "rows.jsonl", "manifest.csv", "roster.txt", "README.md",
                 "README.txt", "run.key.json", "notes.rtf", "bo.pdf", "kim.odt", "old.doc", "noext", ".DS_Store",
                 "housing/~$a.docx", ".git/config", "housing/manifest.csv"]:
        touch(tmp_path / name)
    found = {f.relative: f for f in discover(tmp_path)}
    assert list(found) == sorted(found)
    assert ".git/config" not in found  # hidden folders are not entered
    kinds = {name: f.kind for name, f in found.items()}
    assert kinds == {
        ".DS_Store": KIND_SKIPPED, "README.md": KIND_SKIPPED, "README.txt": KIND_SKIPPED,
        "a.txt": KIND_TRANSCRIPT, "data.csv": KIND_TRANSCRIPT, "housing/a.vtt": KIND_TRANSCRIPT,
        "housing/deep/c.docx": KIND_TRANSCRIPT, "housing/manifest.csv": KIND_TRANSCRIPT,
        "housing/~$a.docx": KIND_SKIPPED, "manifest.csv": KIND_MANIFEST, "noext": KIND_SKIPPED,
        "notes.rtf": KIND_TRANSCRIPT, "bo.pdf": KIND_TRANSCRIPT, "kim.odt": KIND_TRANSCRIPT, "old.doc": KIND_SKIPPED, "roster.txt": KIND_ROSTER,
        "rows.jsonl": KIND_TRANSCRIPT, "run.key.json": KIND_SKIPPED, "youth/b.SRT": KIND_TRANSCRIPT,
        "z.md": KIND_TRANSCRIPT,
    }
    assert "save it as .docx" in found["old.doc"].reason
    assert ".vtt" in found["noext"].reason
    assert "key" in found["run.key.json"].reason
    assert all(f.reason for f in found.values() if f.kind != KIND_TRANSCRIPT)


def test_single_file_input(tmp_path):
    touch(tmp_path / "housing" / "anna.vtt")
    found = discover(tmp_path / "housing" / "anna.vtt")
    assert [(f.relative, f.kind) for f in found] == [("anna.vtt", KIND_TRANSCRIPT)]


def test_single_manifest_named_file_is_treated_as_a_transcript(tmp_path):
    touch(tmp_path / "manifest.csv")
    assert discover(tmp_path / "manifest.csv")[0].kind == KIND_TRANSCRIPT


def test_recordings_and_near_misses_get_a_precise_hint(tmp_path):
    for name in ("call.m4a", "call.mp4", "old.xls", "binary.xlsb", "sheet.ods", "rows.tsv"):
        (tmp_path / name).write_bytes(b"x")
    found = {f.relative: f for f in discover(tmp_path)}
    assert "transcribe it first" in found["call.m4a"].reason and "transcribe it first" in found["call.mp4"].reason
    assert "old Excel 97-2003 workbook" in found["old.xls"].reason and "save it as .xlsx" in found["old.xls"].reason
    assert "save it as .xlsx" in found["binary.xlsb"].reason and "export the sheet as .csv" in found["sheet.ods"].reason
    assert found["rows.tsv"].kind == KIND_TRANSCRIPT  # tab-separated rows are read as a .csv's


def test_workbooks_rtf_and_youtube_captions_are_transcripts(tmp_path):
    for name in ("tickets.xlsx", "macro.XLSM", "notes.rtf", "talk.sbv"):
        (tmp_path / name).write_bytes(b"x")
    assert {f.relative: f.kind for f in discover(tmp_path)} == dict.fromkeys(
        ("macro.XLSM", "notes.rtf", "talk.sbv", "tickets.xlsx"), KIND_TRANSCRIPT)


def test_a_json_export_is_a_transcript_and_a_key_is_skipped_wherever_it_lies(tmp_path):
    for name in ["housing/anna.json", "housing/private.key.json"]:
        touch(tmp_path / name)
    found = {f.relative: f for f in discover(tmp_path)}
    assert found["housing/anna.json"].kind == KIND_TRANSCRIPT
    assert found["housing/private.key.json"].kind == KIND_SKIPPED and "key" in found["housing/private.key.json"].reason


def test_eml_messages_are_transcripts_and_outlook_msg_gets_a_hint(tmp_path):
    touch(tmp_path / "a.eml")
    touch(tmp_path / "b.msg")
    found = {f.relative: f for f in discover(tmp_path)}
    assert found["a.eml"].kind == KIND_TRANSCRIPT
    assert found["b.msg"].kind == KIND_SKIPPED and ".eml" in found["b.msg"].reason


def test_a_doc_that_is_rtf_is_a_transcript_and_an_old_word_doc_keeps_its_hint(tmp_path):
    # Word ("Rich Text Format" kept under the old name), WordPad and "export to Word" tools write RTF as .doc.
    (tmp_path / "notes.doc").write_bytes(b"{\\rtf1\\ansi Sam: Why?\\par}")
    (tmp_path / "bom.DOC").write_bytes(b"\xef\xbb\xbf\r\n{\\rtf1\\ansi Sam: Why?\\par}")
    (tmp_path / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64)
    (tmp_path / "empty.doc").write_bytes(b"")
    found = {f.relative: f for f in discover(tmp_path)}
    assert found["notes.doc"].kind == KIND_TRANSCRIPT and found["bom.DOC"].kind == KIND_TRANSCRIPT
    for name in ("old.doc", "empty.doc"):
        assert found[name].kind == KIND_SKIPPED and "old Word 97-2003" in found[name].reason
        assert "save it as .docx" in found[name].reason


def test_read_corpus_reads_an_rtf_doc_as_rtf_and_skips_an_old_word_one(tmp_path, ingest_config):
    rtf = (b"{\\rtf1\\ansi\\ansicpg1252{\\fonttbl\\f0 Calibri;}\\f0 Interviewer: Why did the rota change?\\par\n"
           b"\\par Ana: Because we lost two people in \\'e9t\\'e9.\\par}")
    team = tmp_path / "housing"
    team.mkdir()
    (team / "call.doc").write_bytes(rtf)
    (team / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64)
    corpus = read_corpus(tmp_path, ingest_config())
    status = {r.file: (r.status, r.reason) for r in corpus.inputs}
    assert status["housing/call.doc"] == ("ok", "")
    assert status["housing/old.doc"][0] == "skipped" and "save it as .docx" in status["housing/old.doc"][1]
    columns = ["turn", "speaker", "role", "team", "text"]
    doc = corpus.turns[corpus.turns.source_file == "housing/call.doc"][columns].values.tolist()
    assert [row[2:] for row in doc] == [["interviewer", "housing", "Why did the rota change?"],
                                        ["participant", "housing", "Because we lost two people in été."]]
    assert [(t.speaker, t.text) for t in parse_rtf(rtf, ParseOptions("housing/call.rtf"))] == [
        ("Interviewer", "Why did the rota change?"), ("Ana", "Because we lost two people in été.")]


def test_parse_doc_reads_rtf_and_skips_old_word_even_when_listed():
    rtf = b"{\\rtf1\\ansi Sam: Why?\\par Ana: Cost.\\par}"
    assert [(t.speaker, t.text) for t in parse_doc(rtf, ParseOptions("a.doc"))] == [("Sam", "Why?"), ("Ana", "Cost.")]
    with pytest.raises(InputFileError) as caught:
        parse_doc(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, ParseOptions("a.doc"))
    assert caught.value.status == "skipped" and "save it as .docx" in caught.value.hint


# Many tools' "export to Word" write a web page under .doc (as Word's own "Web Page" does); a .docx gets renamed.
_WORD_HTML = (b'<html xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:w="urn:schemas-microsoft-com:office:word">'
              b'<head><meta charset="utf-8"><style>p.MsoNormal {margin:0}</style></head><body>'
              b"<p class=MsoNormal>Interviewer: Why did the rota change?</p>"
              b"<p class=MsoNormal>Ana: Because we lost two people in the summer.</p>"
              b"<p class=MsoNormal>Interviewer: And since then?</p><p class=MsoNormal>Ana: We swap shifts.</p>"
              b"</body></html>")
_DOCX = raw_docx_bytes(para("Interviewer: Why did the rota change?") + para("Bo: The evening team was too small.")
                       + para("Interviewer: And since then?") + para("Bo: We share the late calls."))


def test_a_doc_that_is_a_web_page_or_a_renamed_docx_is_a_transcript_and_read_as_its_own_format(tmp_path, ingest_config):
    team = tmp_path / "housing"
    team.mkdir()
    (team / "export.doc").write_bytes(_WORD_HTML)
    (team / "doctype.DOC").write_bytes(b"\xef\xbb\xbf<!DOCTYPE html>\n" + _WORD_HTML)
    (team / "renamed.doc").write_bytes(_DOCX)
    (team / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64)
    (team / "zip.doc").write_bytes(raw_docx_bytes(para("x"), main="xl/workbook.xml"))  # a zip, but no Word body
    found = {f.relative: f.kind for f in discover(tmp_path)}
    assert found == {"housing/export.doc": KIND_TRANSCRIPT, "housing/doctype.DOC": KIND_TRANSCRIPT,
                     "housing/renamed.doc": KIND_TRANSCRIPT, "housing/old.doc": KIND_SKIPPED,
                     "housing/zip.doc": KIND_SKIPPED}
    (team / "doctype.DOC").unlink()  # the same page: read, it would be skipped as a copy of export.doc
    corpus = read_corpus(tmp_path, ingest_config())
    status = {r.file: (r.status, r.reason) for r in corpus.inputs}
    assert status["housing/export.doc"] == ("ok", "") and status["housing/renamed.doc"] == ("ok", "")
    for name in ("housing/old.doc", "housing/zip.doc"):
        assert status[name][0] == "skipped" and "old Word 97-2003" in status[name][1]
    columns = ["role", "text"]
    html = corpus.turns[corpus.turns.source_file == "housing/export.doc"][columns].values.tolist()
    assert html == [["interviewer", "Why did the rota change?"],
                    ["participant", "Because we lost two people in the summer."],
                    ["interviewer", "And since then?"], ["participant", "We swap shifts."]]
    docx = corpus.turns[corpus.turns.source_file == "housing/renamed.doc"][columns].values.tolist()
    assert [row[0] for row in docx] == ["interviewer", "participant"] * 2
    assert docx[1][1] == "The evening team was too small."


def test_parse_doc_reads_a_web_page_and_a_docx_as_their_own_formats():
    assert [t.speaker for t in parse_doc(_WORD_HTML, ParseOptions("a.doc"))] == ["Interviewer", "Ana"] * 2
    assert [t.text for t in parse_doc(_DOCX, ParseOptions("a.doc"))][1] == "The evening team was too small."

from pipeline.ingest.discover import KIND_MANIFEST, KIND_ROSTER, KIND_SKIPPED, KIND_TRANSCRIPT, discover


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

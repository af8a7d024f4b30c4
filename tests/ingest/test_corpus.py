"""read_corpus end to end, over synthetic folders written into tmp_path."""
import hashlib
import json
import logging
import math
import os

import pytest

from pipeline import schema
from pipeline.errors import ConfigError, UsageError
from pipeline.ingest import Corpus, InputRecord, read_corpus
from pipeline.ingest import corpus as corpus_module

NAMES = ["Sam Jones", "Anna Smith", "Bo Lind", "Kim Lee", "Lee Park", "Mo Ahmed"]
SECRET = "pilot budget"  # a phrase from the transcripts: must never reach a log or a reason


def write(path, content):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


@pytest.fixture
def mixed_folder(tmp_path, make_docx):
    """One good file per layout, in two team folders, plus broken and foreign files."""
    root = tmp_path / "input"
    write(root / "housing" / "anna.vtt",
          "WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.000\n<v Sam Jones>How was the pilot budget?\n\n"
          "2\n00:00:02.000 --> 00:00:04.000\n<v Anna Smith>Tight {vocalsound},\n\n"
          "3\n00:00:04.000 --> 00:00:05.000\n<v Anna Smith>but fine.\n")
    write(root / "housing" / "bo.srt",
          "1\n00:00:01,000 --> 00:00:02,000\nSam Jones: And the pilot budget?\n\n"
          "2\n00:00:02,000 --> 00:00:03,000\nBo Lind: [inaudible] Fine.\n")
    make_docx(root / "youth" / "kim.docx",
              ["Sam Jones: What did you decide about the pilot budget?", "Kim Lee: To stop it."])
    write(root / "youth" / "lee.txt",
          "# participant: youth lead\n[00:00:01] Sam Jones: Why?\nLee Park: Because the pilot "
          "budget\nran out.\n")
    write(root / "youth" / "mo.md", "# Interview\n\n**Sam Jones:** And you?\n\n**Mo Ahmed:** Same.\n")
    write(root / "rows.csv", "transcript_id,speaker,team,text\nr1,Sam Jones,Culture,What now?\n"
                             "r1,Anna Smith,,We wait.\n")
    write(root / "rows.jsonl", json.dumps({"speaker": "Kim Lee", "text": "Quiet pilot budget."}) + "\n")
    # Broken and foreign files.
    write(root / "broken" / "empty.vtt", b"")
    write(root / "broken" / "header_only.vtt", "WEBVTT\n\n")
    write(root / "broken" / "corrupt.docx", b"PK\x03\x04 Sam Jones: pilot budget truncated")
    write(root / "broken" / "binary.txt", b"Sam Jones: pilot budget\x00\x01\x02\x03")
    write(root / "broken" / "noise.txt", "Sam Jones: {vocalsound}\nAnna Smith: [inaudible]\n")
    write(root / "broken" / "prose.txt", "Meeting notes about the pilot budget.\nNote: none.\n")
    write(root / "recording.mp4", b"\x00\x00\x00\x18ftypmp42")
    write(root / "roster.txt", "# names\nAnna Smith\nBo Lind\n")
    write(root / "README.md", "About this folder.")
    return root


def snapshot(root):
    return {p.relative_to(root).as_posix(): (hashlib.sha256(p.read_bytes()).hexdigest(),
                                             p.stat().st_mtime_ns, p.stat().st_mode)
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_good_files_are_read_and_bad_ones_reported(mixed_folder, ingest_config):
    result = read_corpus(mixed_folder, ingest_config())
    assert isinstance(result, Corpus)
    status = {r.file: r.status for r in result.inputs}
    assert status == {
        "README.md": "skipped", "recording.mp4": "skipped", "roster.txt": "skipped",
        "broken/binary.txt": "failed", "broken/corrupt.docx": "failed",
        "broken/empty.vtt": "failed", "broken/header_only.vtt": "failed",
        "broken/noise.txt": "failed", "broken/prose.txt": "failed",
        "housing/anna.vtt": "ok", "housing/bo.srt": "ok", "rows.csv": "ok", "rows.jsonl": "ok",
        "youth/kim.docx": "ok", "youth/lee.txt": "ok", "youth/mo.md": "ok",
    }
    reasons = {r.file: r.reason for r in result.inputs}
    assert "empty" in reasons["broken/empty.vtt"]
    assert "no WebVTT cues" in reasons["broken/header_only.vtt"]
    assert "docx" in reasons["broken/corrupt.docx"]
    assert "binary" in reasons["broken/binary.txt"]
    assert "nothing was said" in reasons["broken/noise.txt"]
    assert "no speaker turns" in reasons["broken/prose.txt"]
    for record in result.inputs:
        assert (record.reason == "") == (record.status == "ok")
        assert SECRET not in record.reason and not any(n in record.reason for n in NAMES)
        if record.status == "ok":
            assert record.transcript_ids and len(record.sha256) == 64
    assert result.roster == ["Anna Smith", "Bo Lind"]
    assert result.manifest_found is False
    assert [r.file for r in result.inputs] == sorted(r.file for r in result.inputs)


def test_turns_table_shape_and_content(mixed_folder, ingest_config):
    turns = read_corpus(mixed_folder, ingest_config()).turns
    assert list(turns.columns) == schema.TURN_COLUMNS
    assert dict(turns.dtypes) == dict(schema.empty_turns().dtypes)
    assert turns.equals(turns.sort_values([schema.TRANSCRIPT_ID, schema.TURN]).reset_index(drop=True))
    anna = turns[turns.transcript_id == "housing/anna.vtt"]
    assert anna[["turn", "speaker", "role", "team", "start", "text"]].values.tolist() == [
        [0, "Sam Jones", "interviewer", "housing", 1.0, "How was the pilot budget?"],
        [1, "Anna Smith", "participant", "housing", 2.0, "Tight, but fine."],
    ]
    assert set(turns.transcript_id) == {"housing/anna.vtt", "housing/bo.srt", "youth/kim.docx",
                                        "youth/lee.txt", "youth/mo.md", "r1", "rows.jsonl"}
    rows = turns[turns.transcript_id == "r1"]
    assert rows.team.tolist() == ["Culture", schema.UNKNOWN_TEAM]  # a row's team, else the default
    assert turns[turns.transcript_id == "youth/lee.txt"].text.tolist() == [
        "Why?", "Because the pilot budget ran out."]
    assert turns.groupby("transcript_id").turn.min().eq(0).all()
    assert math.isnan(turns[turns.transcript_id == "youth/mo.md"].start.iloc[0])


def test_sam_is_found_as_the_interviewer_everywhere(mixed_folder, ingest_config):
    result = read_corpus(mixed_folder, ingest_config())
    turns = result.turns
    assert set(turns[turns.role == "interviewer"].speaker) == {"Sam Jones"}
    methods = {r.file: r.interviewer_method for r in result.inputs if r.status == "ok"}
    assert methods["housing/anna.vtt"] == "heuristic:most-conversations"
    assert methods["rows.jsonl"] == "none"  # one speaker: nobody to interview


def test_configured_interviewer(mixed_folder, ingest_config):
    result = read_corpus(mixed_folder, ingest_config(interviewers=["sam jones"]))
    methods = {r.file: r.interviewer_method for r in result.inputs if r.status == "ok"}
    assert methods["housing/anna.vtt"] == "config"


def test_inputs_are_byte_identical_afterwards(mixed_folder, ingest_config):
    before = snapshot(mixed_folder)
    read_corpus(mixed_folder, ingest_config())
    assert snapshot(mixed_folder) == before


def test_logs_name_files_but_never_text_or_names(mixed_folder, ingest_config, caplog):
    cp1252 = write(mixed_folder / "youth" / "old.txt", "Sam Jones: Ça va?\nKim Lee: Très bien.\n"
                   .encode("cp1252"))
    with caplog.at_level(logging.DEBUG, logger="pipeline"):
        read_corpus(mixed_folder, ingest_config())
    assert "youth/old.txt" in caplog.text and cp1252.exists()
    assert SECRET not in caplog.text and not any(n in caplog.text for n in NAMES)
    assert "Très" not in caplog.text


def test_read_twice_gives_the_same_result(mixed_folder, ingest_config):
    first, second = read_corpus(mixed_folder, ingest_config()), read_corpus(mixed_folder, ingest_config())
    assert first.turns.equals(second.turns) and first.inputs == second.inputs


def test_manifest_sets_team_id_and_interviewer(tmp_path, ingest_config):
    root = tmp_path / "input"
    write(root / "a" / "one.txt", "Sam: Why?\nAnna: Because.\n")
    write(root / "a" / "two.txt", "Sam: Why?\nBo: Because.\n")
    write(root / "manifest.csv", "file,team,interviewer,transcript_id\n"
                                 "a/one.txt,Housing,Anna,H1\na/two.txt,,,\n")
    result = read_corpus(root, ingest_config())
    assert result.manifest_found
    turns = result.turns
    assert turns[["transcript_id", "speaker", "role", "team", "source_file"]].values.tolist() == [
        ["H1", "Sam", "participant", "Housing", "a/one.txt"],
        ["H1", "Anna", "interviewer", "Housing", "a/one.txt"],
        ["a/two.txt", "Sam", "interviewer", "a", "a/two.txt"],
        ["a/two.txt", "Bo", "participant", "a", "a/two.txt"],
    ]
    records = {r.file: r for r in result.inputs}
    assert records["manifest.csv"].status == "skipped"
    assert records["a/one.txt"].interviewer_method == "manifest"
    assert records["a/one.txt"].transcript_ids == ["H1"]


def test_broken_manifest_stops_the_run(tmp_path, ingest_config):
    write(tmp_path / "a.txt", "Sam: Hi.\n")
    write(tmp_path / "manifest.csv", "name,team\na.txt,x\n")
    with pytest.raises(UsageError, match="manifest.csv"):
        read_corpus(tmp_path, ingest_config())


def test_single_file_input(tmp_path, ingest_config):
    path = write(tmp_path / "housing" / "anna.txt", "Sam: Why?\nAnna: Because.\n")
    result = read_corpus(path, ingest_config())
    assert set(result.turns.transcript_id) == {"anna.txt"}
    assert set(result.turns.team) == {schema.UNKNOWN_TEAM}
    assert [r.file for r in result.inputs] == ["anna.txt"]
    assert result.roster == [] and result.manifest_found is False


def test_missing_input_is_a_usage_error(tmp_path, ingest_config):
    with pytest.raises(UsageError, match="does not exist"):
        read_corpus(tmp_path / "nope", ingest_config())


def test_unknown_fallback_encoding_is_a_config_error(tmp_path, ingest_config):
    with pytest.raises(ConfigError, match="fallback_encoding"):
        read_corpus(tmp_path, ingest_config(fallback_encoding="no-such-codec"))


def test_empty_folder_gives_an_empty_table(tmp_path, ingest_config):
    result = read_corpus(tmp_path, ingest_config())
    assert result.inputs == [] and list(result.turns.columns) == schema.TURN_COLUMNS
    assert result.turns.empty


def test_file_over_the_size_limit(tmp_path, ingest_config):
    write(tmp_path / "big.txt", "Sam: " + "word " * 1000)
    [record] = read_corpus(tmp_path, ingest_config(max_file_mb=0.001)).inputs
    assert record.status == "failed" and "ingest.max_file_mb" in record.reason
    assert len(record.sha256) == 64


def test_duplicate_transcript_id_fails_the_second_file(tmp_path, ingest_config):
    write(tmp_path / "a.csv", "transcript_id,speaker,text\nt1,Sam,Hi\n")
    write(tmp_path / "b.jsonl", '{"transcript_id": "t1", "speaker": "Bo", "text": "Yo"}\n')
    result = read_corpus(tmp_path, ingest_config())
    records = {r.file: r for r in result.inputs}
    assert records["a.csv"].status == "ok"
    assert records["b.jsonl"].status == "failed" and "a.csv" in records["b.jsonl"].reason
    assert result.turns.speaker.tolist() == ["Sam"]


def test_unexpected_parser_error_is_contained(tmp_path, ingest_config, monkeypatch, caplog):
    write(tmp_path / "a.txt", "Sam: Hi.\n")
    write(tmp_path / "b.vtt", "WEBVTT\n\n00:01.000 --> 00:02.000\n<v Sam>Hi.\n")

    def explode(data, options):
        raise ValueError("Sam said something secret")

    monkeypatch.setitem(corpus_module.PARSERS, ".txt", explode)
    with caplog.at_level(logging.DEBUG, logger="pipeline"):
        result = read_corpus(tmp_path, ingest_config())
    records = {r.file: r for r in result.inputs}
    assert records["a.txt"].status == "failed" and "internal error" in records["a.txt"].reason
    assert records["b.vtt"].status == "ok"
    assert "ValueError" in caplog.text and "secret" not in caplog.text


def test_input_record_defaults():
    record = InputRecord("a.txt", "", "failed", "why")
    assert record.transcript_ids == [] and record.interviewer_method == "none"


def test_unreadable_file_is_failed(tmp_path, ingest_config):
    if os.geteuid() == 0:
        pytest.skip("root can read anything")
    path = write(tmp_path / "a.txt", "Sam: Hi.\n")
    path.chmod(0)
    try:
        [record] = read_corpus(tmp_path, ingest_config()).inputs
    finally:
        path.chmod(0o644)
    assert record.status == "failed" and "permission" in record.reason.lower()
    assert record.sha256 == ""


def test_dangling_symlink_is_failed_not_fatal(tmp_path, ingest_config):
    write(tmp_path / "a.txt", "Sam: Why?\nAnna: Because.\n")
    (tmp_path / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    records = {r.file: r for r in read_corpus(tmp_path, ingest_config()).inputs}
    assert records["a.txt"].status == "ok"
    assert records["gone.txt"].status == "failed" and "cannot be read" in records["gone.txt"].reason


def test_named_pipe_is_failed_without_blocking(tmp_path, ingest_config):
    write(tmp_path / "a.txt", "Sam: Why?\nAnna: Because.\n")
    os.mkfifo(tmp_path / "pipe.txt")
    records = {r.file: r for r in read_corpus(tmp_path, ingest_config()).inputs}
    assert records["a.txt"].status == "ok"
    assert records["pipe.txt"].status == "failed" and "regular file" in records["pipe.txt"].reason


def test_q_and_a_are_different_people_in_each_transcript(tmp_path, ingest_config):
    for team in ("housing", "youth"):
        write(tmp_path / team / "talk.txt", f"Q: Why?\nA: Because.\nQ: Sure?\nA: Yes, in {team}.\n")
        write(tmp_path / team / "otter.txt",
              f"Speaker 1  0:01\nWhy now?\nSpeaker 2  0:04\nIt was time.\nSpeaker 1  0:09\nIn {team}?\n")
    turns = read_corpus(tmp_path, ingest_config()).turns
    answers = turns[turns.text.isin(["Because.", "It was time."])]
    assert answers.speaker.nunique() == 4  # one person per transcript, not one per run
    assert answers.speaker.str.fullmatch(r"(A|Speaker_2)@[0-9a-f]{6}").all()
    assert set(turns[turns.text == "Why?"].role) == {"interviewer"}


def test_a_second_export_of_one_meeting_is_skipped(tmp_path, ingest_config, raw_docx):
    from ingest.docx_fixtures import para

    write(tmp_path / "housing" / "meeting.vtt",
          "WEBVTT\n\n00:00:03.000 --> 00:00:05.000\n<v Sam Jones>How did it go?</v>\n\n"
          "00:00:05.000 --> 00:00:07.000\n<v Anna Smith>Well,</v>\n\n"
          "00:00:07.000 --> 00:00:08.000\n<v Anna Smith>mostly.</v>\n")
    write(tmp_path / "housing" / "meeting.docx", raw_docx(
        para("Sam Jones started transcription") + para("Sam Jones   0:03", "<br/>", "How did it go?")
        + para("Anna Smith   0:05", "<br/>", "Well, mostly.")))
    write(tmp_path / "youth" / "copy.vtt", (tmp_path / "housing" / "meeting.vtt").read_bytes())
    result = read_corpus(tmp_path, ingest_config())
    records = {r.file: r for r in result.inputs}
    assert records["housing/meeting.docx"].status == "ok"
    for copy in ("housing/meeting.vtt", "youth/copy.vtt"):
        assert records[copy].status == "skipped"
        assert "housing/meeting.docx" in records[copy].reason and not records[copy].transcript_ids
    assert set(result.turns.transcript_id) == {"housing/meeting.docx"}


def test_a_zoom_chat_log_is_skipped_not_failed(tmp_path, ingest_config):
    write(tmp_path / "a.txt", "Sam: Why?\nAnna: Because.\n")
    write(tmp_path / "meeting_saved_chat.txt",
          "00:01:23 From Sam Jones to Everyone:\n\tThe slides: http://x\n"
          "00:02:10 From Anna Smith to Everyone:\n\tthanks\n")
    records = {r.file: r for r in read_corpus(tmp_path, ingest_config()).inputs}
    assert records["meeting_saved_chat.txt"].status == "skipped"
    assert "chat log" in records["meeting_saved_chat.txt"].reason


def test_the_size_limit_applies_to_what_a_docx_unpacks_to(tmp_path, ingest_config, raw_docx):
    from ingest.docx_fixtures import para

    write(tmp_path / "bomb.docx", raw_docx(para("Sam: " + "all work and no play " * 50) * 2000))
    [record] = read_corpus(tmp_path, ingest_config(max_file_mb=0.5)).inputs
    assert record.status == "failed" and "unpacks to more than" in record.reason
    assert (tmp_path / "bomb.docx").stat().st_size < 0.5 * 1024 * 1024


def test_a_file_of_another_format_is_named_in_its_reason(tmp_path, ingest_config):
    write(tmp_path / "talk.txt", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj")
    [record] = read_corpus(tmp_path, ingest_config()).inputs
    assert record.status == "failed" and "a PDF document" in record.reason


def test_a_json_export_is_read_and_a_json_that_holds_no_turns_is_skipped_not_failed(tmp_path, ingest_config):
    team = tmp_path / "housing"
    team.mkdir()
    export = {"utterances": [{"speaker": "Sam", "text": "Why did you change the rota?"},
                             {"speaker": "Anna", "text": "Because the backlog kept growing."}]}
    (team / "anna.json").write_text(json.dumps(export), encoding="utf-8")
    (team / "settings.json").write_text(json.dumps({"theme": "dark", "recent": ["a", "b"]}), encoding="utf-8")
    result = read_corpus(tmp_path, ingest_config())
    status = {record.file: record.status for record in result.inputs}
    assert status == {"housing/anna.json": "ok", "housing/settings.json": "skipped"}
    assert "no list of turns" in next(r.reason for r in result.inputs if r.file == "housing/settings.json")
    assert result.turns[schema.TEXT].tolist() == ["Why did you change the rota?", "Because the backlog kept growing."]
    assert set(result.turns[schema.TEAM]) == {"housing"}


def test_a_tsv_file_is_read_as_rows(tmp_path, ingest_config):
    (tmp_path / "call.tsv").write_text("speaker\ttext\nSam\tWhy?\nAnna\tThe backlog.\n", encoding="utf-8")
    result = read_corpus(tmp_path, ingest_config())
    assert [r.status for r in result.inputs] == ["ok"]
    assert result.turns[schema.TEXT].tolist() == ["Why?", "The backlog."]


def test_a_segmented_export_and_captions_of_one_transcription_are_one_conversation(tmp_path, ingest_config):
    # Whisper writes each segment as a row of its .json, and the same segments as cues of its .srt,
    # which are merged into one turn: the same words in the same order, the one conversation.
    segments = ["We changed the rota in February.", "The backlog kept growing, honestly."]
    write(tmp_path / "housing" / "anna.json",
          json.dumps({"segments": [{"start": i * 2.0, "text": " " + text} for i, text in enumerate(segments)]}))
    write(tmp_path / "housing" / "anna.srt",
          "".join(f"{i + 1}\n00:00:0{2 * i},000 --> 00:00:0{2 * i + 1},500\n{text}\n\n" for i, text in enumerate(segments)))
    write(tmp_path / "youth" / "other.srt", "1\n00:00:01,000 --> 00:00:02,000\nWe changed the rota in February.\n")
    records = {r.file: r for r in read_corpus(tmp_path, ingest_config()).inputs}
    assert records["housing/anna.json"].status == "ok" and records["youth/other.srt"].status == "ok"
    assert records["housing/anna.srt"].status == "skipped" and "housing/anna.json" in records["housing/anna.srt"].reason


@pytest.mark.parametrize("layout, expected", [
    (("anna.txt", "ben.txt"), "no conversation has a team: all 2 count as one team"),
    (("housing/anna.txt", "ben.txt"), "1 of 2 conversations have no team"),
    (("housing/anna.txt", "revenues/ben.txt"), None),
    (("anna.txt",), None),  # one conversation: nothing to share in any case
])
def test_conversations_without_a_team_are_counted_in_a_warning_that_says_what_to_do(
        tmp_path, ingest_config, caplog, layout, expected):
    for n, name in enumerate(layout):  # different words in each: a copy of a conversation is skipped
        write(tmp_path / name, f"Sam: Why did you change it?\nAnna Smith: Because the queue was {n} hours long.\n")
    with caplog.at_level(logging.WARNING, logger="pipeline"):
        read_corpus(tmp_path, ingest_config())
    warnings = [r.getMessage() for r in caplog.records if "team" in r.getMessage()]
    if expected is None:
        assert warnings == []
    else:
        assert len(warnings) == 1 and expected in warnings[0] and "manifest.csv" in warnings[0]
        assert "anna" not in warnings[0].lower() and "Smith" not in warnings[0]  # counts, never file names


def test_one_conversation_of_many_speakers_without_a_team_is_warned_about(tmp_path, ingest_config, caplog):
    # A table of comments whose writer column is not a submitter's, too few writers to count as a board:
    # read as one conversation, which can share nothing across teams. Say so, and how to split it.
    write(tmp_path / "comments.csv", "author,text\n" + "".join(
        f"{who},{who} thinks the pilot budget should go to item {n}.\n" for n in range(3) for who in NAMES[:5]))
    with caplog.at_level(logging.WARNING, logger="pipeline"):
        turns = read_corpus(tmp_path, ingest_config()).turns
    assert turns[schema.TRANSCRIPT_ID].nunique() == 1
    [warning] = [r.getMessage() for r in caplog.records if "team" in r.getMessage()]
    assert "5 speakers and no team" in warning and "transcript_id" in warning and "manifest.csv" in warning
    assert SECRET not in warning and not any(name.split()[0] in warning for name in NAMES)


def test_a_ticket_export_and_a_consultation_are_a_conversation_per_writer_with_their_teams(
        tmp_path, ingest_config, caplog):
    write(tmp_path / "tickets.csv",
          "sep=;\r\nTicket Number;Submitted By;Department;Description;Created\r\n"
          "INC1;Sam Jones;Finance;Retrieve my recent transactions;01/03/2024\r\n"
          "INC2;Anna Smith;Facilities;The heating on floor three is broken;01/03/2024\r\n"
          "INC3;Sam Jones;Finance;My card was declined at the till;02/03/2024\r\n")
    write(tmp_path / "responses.jsonl", "".join(json.dumps(line) + "\n" for line in [
        {"response_id": "R-1", "respondent_name": "Bo Lind", "stakeholder_group": "Landowner",
         "response": "Pest control on private land should be funded."},
        {"response_id": "R-2", "respondent_name": "Kim Lee", "stakeholder_group": "Community group",
         "response": "Volunteers need more support."}]))
    with caplog.at_level(logging.WARNING, logger="pipeline"):
        result = read_corpus(tmp_path, ingest_config())
    table = result.turns
    assert sorted(table[schema.TRANSCRIPT_ID].unique()) == [
        "responses.jsonl#1", "responses.jsonl#2", "tickets.csv#1", "tickets.csv#2"]
    assert table[[schema.TRANSCRIPT_ID, schema.TURN, schema.SPEAKER, schema.TEAM]].values.tolist() == [
        ["responses.jsonl#1", 0, "Bo Lind", "Landowner"], ["responses.jsonl#2", 0, "Kim Lee", "Community group"],
        ["tickets.csv#1", 0, "Sam Jones", "Finance"], ["tickets.csv#1", 1, "Sam Jones", "Finance"],
        ["tickets.csv#2", 0, "Anna Smith", "Facilities"]]
    assert set(table[schema.ROLE]) == {schema.ROLE_PARTICIPANT}  # one writer each: nobody is an interviewer
    assert not [r for r in caplog.records if "team" in r.getMessage()]

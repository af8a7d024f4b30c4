import math

from pipeline.ingest.assemble import FileDefaults, assemble
from pipeline.ingest.records import ParsedTurn

DEFAULTS = FileDefaults("housing/a.txt", "housing/a.txt", "housing")


def test_clean_drop_merge_number():
    raw = [ParsedTurn("Sam", "Why? {vocalsound}", 1.0), ParsedTurn("Anna", "Well", 2.0),
           ParsedTurn("Sam", "[inaudible]", 3.0), ParsedTurn("Anna", "because.", 4.0),
           ParsedTurn("anna", "(laughs) Yes.", 5.0), ParsedTurn("Sam", "Ok.", 6.0)]
    [transcript] = assemble(raw, DEFAULTS)
    assert (transcript.transcript_id, transcript.source_file) == ("housing/a.txt", "housing/a.txt")
    assert [(t.turn, t.speaker, t.text, t.start, t.team) for t in transcript.turns] == [
        (0, "Sam", "Why?", 1.0, "housing"),
        (1, "Anna", "Well because. Yes.", 2.0, "housing"),
        (2, "Sam", "Ok.", 6.0, "housing"),
    ]


def test_rows_are_grouped_never_merged_and_keep_their_index():
    raw = [ParsedTurn("Sam", "One", transcript_id="t1", row=0),
           ParsedTurn("Sam", "{gap}", transcript_id="t1", row=1),
           ParsedTurn("Sam", "Three", transcript_id="t1", row=2, team="Youth", role="interviewer"),
           ParsedTurn("Bo", "Other", row=0)]
    transcripts = assemble(raw, DEFAULTS)
    assert [t.transcript_id for t in transcripts] == ["t1", "housing/a.txt"]
    assert [(t.turn, t.text, t.team, t.row_role) for t in transcripts[0].turns] == [
        (0, "One", "housing", None), (2, "Three", "Youth", "interviewer")]
    assert math.isnan(transcripts[1].turns[0].start)


def test_a_transcript_of_noise_only_disappears():
    raw = [ParsedTurn("Sam", "{vocalsound}"), ParsedTurn("Anna", " . ")]
    assert assemble(raw, DEFAULTS) == []


def test_segments_without_a_row_index_merge_without_a_space_before_punctuation_and_keep_their_role():
    raw = [ParsedTurn("A", "It went well", 0.0, role="participant"), ParsedTurn("A", ", mostly.", 1.0, role="participant"),
           ParsedTurn("A", "We stopped.", 2.0, role="participant"), ParsedTurn("B", "Why?", 3.0, role="interviewer")]
    [transcript] = assemble(raw, DEFAULTS)
    assert [(t.turn, t.text, t.start, t.row_role) for t in transcript.turns] == [
        (0, "It went well, mostly. We stopped.", 0.0, "participant"), (1, "Why?", 3.0, "interviewer")]


def test_one_speakers_segments_of_different_teams_or_roles_stay_apart():
    raw = [ParsedTurn("A", "One.", team="Youth"), ParsedTurn("A", "Two.", team="Housing"),
           ParsedTurn("A", "Three.", team="Housing", role="interviewer")]
    [transcript] = assemble(raw, DEFAULTS)
    assert [t.text for t in transcript.turns] == ["One.", "Two.", "Three."]

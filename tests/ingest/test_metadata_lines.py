"""Metadata lines ("Location: Leeds", "Date: 3 May") are neither speech nor speakers."""
import logging

from pipeline.ingest.docx_reader import parse_docx
from pipeline.ingest.lines import parse_lines
from pipeline.ingest.records import ParseOptions


def turns_of(lines):
    return [(t.speaker, t.text) for t in parse_lines(lines)]


def test_a_location_line_under_a_heading_does_not_end_the_last_answer(tmp_path, make_docx):
    paragraphs = []
    for name in ["Pellow", "Okafor"]:
        paragraphs += [f"Location: {name}ville", "Q: What changed?", "A: We set up a rota.", "Q: Why?",
                       "A: The backlog grew."]
    path = make_docx(tmp_path / "all.docx", paragraphs)
    turns = parse_docx(path.read_bytes(), ParseOptions("all.docx"))
    assert not any("ville" in t.text for t in turns)
    assert [t.text for t in turns][3:5] == ["The backlog grew.", "What changed?"]


def test_known_metadata_words_are_dropped_anywhere_in_any_case(caplog):
    lines = ["Interviewer: What changed?", "Anna: We set up a rota.", "DATE: 3 May 2024", "Field: SC",
             "Time: 10:00-11:00", "Duration: 45 minutes", "Transcribed by: Acme Ltd", "**Project:** Rota review",
             "Interviewer: Why?", "Anna: The backlog grew.", "Field: SC", "Recorded: Zoom", "File: int_03.mp3",
             "Place: Leeds"]
    with caplog.at_level(logging.INFO, logger="pipeline.ingest.lines"):
        turns = turns_of(lines)
    assert turns == [("Interviewer", "What changed?"), ("Anna", "We set up a rota."), ("Interviewer", "Why?"),
                     ("Anna", "The backlog grew.")]
    assert "10 metadata line(s)" in caplog.text and "Leeds" not in caplog.text


def test_a_header_block_names_the_interviewer_without_a_turn():
    lines = ["Interview 3", "Date: 3 May", "Interviewer: Sam Jones", "Participant: P07", "",
             "Interviewer: What changed?", "Participant: We set up a rota.", "Interviewer: Thanks", "Participant: Ok"]
    assert turns_of(lines) == [("Interviewer", "What changed?"), ("Participant", "We set up a rota."),
                               ("Interviewer", "Thanks"), ("Participant", "Ok")]


def test_interviewer_and_participant_labels_without_a_header_block_are_turns():
    lines = ["Interviewer: Hello there", "Participant: Hi", "Interviewer: What changed?", "Participant: A rota.",
             "Location: Leeds"]
    assert turns_of(lines) == [("Interviewer", "Hello there"), ("Participant", "Hi"),
                               ("Interviewer", "What changed?"), ("Participant", "A rota.")]


def test_a_metadata_word_that_heads_longer_words_is_not_metadata():
    # A speaker surnamed Field says more than a short value.
    lines = ["Jones: What changed for your team this year?", "Field: Yes.",
             "Jones: Why?", "Field: Because the backlog kept growing and residents waited weeks for a reply."]
    assert turns_of(lines) == [("Jones", "What changed for your team this year?"), ("Field", "Yes."),
                               ("Jones", "Why?"),
                               ("Field", "Because the backlog kept growing and residents waited weeks for a reply.")]


def test_a_question_after_a_metadata_word_is_speech():
    lines = ["Sam: What changed?", "Anna: We asked one thing.", "Time: who has it?"]
    assert turns_of(lines) == [("Sam", "What changed?"), ("Anna", "We asked one thing. Time: who has it?")]


def test_an_interviewer_heading_with_nothing_after_the_colon_still_heads_the_words_below():
    lines = ["Date: 3 May", "INTERVIEWER:", "Why?", "PARTICIPANT:", "Cost.", "INTERVIEWER:", "So?", "PARTICIPANT:",
             "We cut."]
    assert turns_of(lines) == [("INTERVIEWER", "Why?"), ("PARTICIPANT", "Cost."), ("INTERVIEWER", "So?"),
                               ("PARTICIPANT", "We cut.")]


def test_an_agency_header_block_with_a_titled_first_line_gives_no_turn():
    lines = ["Interview 01: Contact Centre", "Date: 15 September 2026", "Interviewer: Helen Marsh",
             "Participant: Jasmine Ahmed", "Duration: 42 minutes", "Transcription: intelligent verbatim",
             "Interviewer: Morning, can you hear me alright?", "Jasmine Ahmed: Yeah, I can hear you now.",
             "Interviewer: Lovely.", "Jasmine Ahmed: Hiya."]
    assert turns_of(lines) == [("Interviewer", "Morning, can you hear me alright?"),
                               ("Jasmine Ahmed", "Yeah, I can hear you now."), ("Interviewer", "Lovely."),
                               ("Jasmine Ahmed", "Hiya.")]


def test_a_short_first_turn_under_a_date_is_speech_when_it_ends_a_sentence():
    lines = ["Date: 3 May", "Interviewer: Hello.", "Anna: Hi.", "Interviewer: Why?", "Anna: Cost."]
    assert turns_of(lines)[:2] == [("Interviewer", "Hello."), ("Anna", "Hi.")]

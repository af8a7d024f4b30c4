import logging
import math

from pipeline.ingest.lines import parse_lines
from pipeline.ingest.records import ParsedTurn


def turns_of(lines, known=frozenset()):
    return [(t.speaker, t.text) for t in parse_lines(lines, known)]


def test_name_colon_and_wrapped_lines():
    assert turns_of(["Sam: How did", "it go?", "", "Anna: Well."]) == [
        ("Sam", "How did it go?"), ("Anna", "Well.")]


def test_timestamp_prefixes_set_start():
    turns = parse_lines(["[00:01:02] Sam: Hi.", "00:01:05 Anna: Hello.", "(0:07) Sam: Ok."])
    assert [(t.speaker, t.start) for t in turns] == [("Sam", 62.0), ("Anna", 65.0), ("Sam", 7.0)]


def test_otter_teams_header_layout():
    turns = parse_lines(["Sam Jones  0:03", "How did it go?", "Anna Smith 00:01:03", "Well.", "More."])
    assert [(t.speaker, t.text, t.start) for t in turns] == [
        ("Sam Jones", "How did it go?", 3.0), ("Anna Smith", "Well. More.", 63.0)]


def test_header_with_a_dash_or_an_email_before_the_time():
    # Fireflies-style "Name - 0:03"; a display name followed by the e-mail address.
    turns = parse_lines(["Sam Jones - 0:03", "How did it go?", "Anna Smith (anna@example.org)  0:09", "Well.",
                         "Sam Jones - 0:12", "Why?", "Anna Smith (anna@example.org)  0:15", "Cost."])
    assert [(t.speaker, t.text, t.start) for t in turns] == [
        ("Sam Jones", "How did it go?", 3.0), ("Anna Smith", "Well.", 9.0), ("Sam Jones", "Why?", 12.0),
        ("Anna Smith", "Cost.", 15.0)]


def test_old_teams_cue_range_then_name():
    turns = parse_lines(["0:0:0.0 --> 0:0:3.520", "Smith, Anna", "Hello everyone.",
                         "0:0:3.520 --> 0:0:5.0", "Jones, Sam", "Hi."])
    assert [(t.speaker, t.text, t.start) for t in turns] == [
        ("Smith, Anna", "Hello everyone.", 0.0), ("Jones, Sam", "Hi.", 3.52)]


def test_rev_layout_name_and_time_then_words():
    assert turns_of(["Speaker 1 (00:00:03):", "Hello there.", "Speaker 2 (00:00:05):", "Hi."]) == [
        ("Speaker 1", "Hello there."), ("Speaker 2", "Hi.")]


def test_false_speakers_continue_the_turn():
    lines = ["Anna: We tried.", "Note: it failed.", "So the answer was: yes", "At 10:30 we met."]
    assert turns_of(lines) == [("Anna", "We tried. Note: it failed. So the answer was: yes "
                                        "At 10:30 we met.")]


def test_lines_before_the_first_speaker_are_ignored():
    assert turns_of(["Interview with the housing team", "12 March", "Sam: Hi."]) == [("Sam", "Hi.")]


def test_lower_case_label_accepted_once_seen_capitalised_and_canonicalised():
    assert turns_of(["Anna: One.", "Sam: Two?", "anna: Three."]) == [
        ("Anna", "One."), ("Sam", "Two?"), ("Anna", "Three.")]


def test_known_speaker_in_any_case():
    assert turns_of(["anna: One.", "sam: Two?"], frozenset({"anna", "sam"})) == [
        ("anna", "One."), ("sam", "Two?")]


def test_table_turns_pass_through_in_order():
    table_turn = ParsedTurn("Bob", "From a table.")
    assert turns_of(["Anna: Before.", table_turn, "Anna: After the table,", "wrapped."]) == [
        ("Anna", "Before."), ("Bob", "From a table."), ("Anna", "After the table, wrapped.")]


def test_a_line_without_a_speaker_after_a_table_is_not_the_last_rows_turn(caplog):
    # A closing note below a Word or Markdown table: the table's last row holds all its turn's words.
    rows = [ParsedTurn("Bob", "Why?"), ParsedTurn("Anna", "Cost.")]
    with caplog.at_level(logging.INFO, logger="pipeline.ingest.lines"):
        turns = turns_of(["Interview 3", *rows, "End of transcript.", "Notes: recording stopped at 00:41."])
    assert turns == [("Bob", "Why?"), ("Anna", "Cost.")]
    assert "2 line(s) without a speaker label after a speaker table ignored" in caplog.text
    assert "End of transcript" not in caplog.text and "recording" not in caplog.text


def test_lines_between_two_tables_are_dropped_and_both_tables_read():
    first, second = [ParsedTurn("Bob", "Why?"), ParsedTurn("Anna", "Cost.")], [ParsedTurn("Bob", "And?")]
    assert turns_of([*first, "Page 2", *second, "Thanks, end."]) == [
        ("Bob", "Why?"), ("Anna", "Cost."), ("Bob", "And?")]


def test_stray_timestamp_lines_are_dropped():
    assert turns_of(["Anna: One.", "[00:01:00]", "Two."]) == [("Anna", "One. Two.")]


def test_no_speaker_means_no_turns():
    assert parse_lines(["just prose", "with no speakers"]) == []
    assert math.isnan(parse_lines(["Anna: x"])[0].start)


def test_a_one_off_capitalised_phrase_stays_in_the_turn():
    lines = ["Sam: How did it go?", "Anna: We had three rules.", "Housing First: it works.",
             "Sam: And the others?", "Anna: Harm reduction.", "Sam: Thanks."]
    assert turns_of(lines) == [("Sam", "How did it go?"),
                               ("Anna", "We had three rules. Housing First: it works."),
                               ("Sam", "And the others?"), ("Anna", "Harm reduction."),
                               ("Sam", "Thanks.")]


def test_lower_case_and_device_labels_that_recur():
    lines = ["sam jones: Why?", "iPhone: Because.", "sam jones: Sure?", "iPhone: Yes."]
    assert turns_of(lines) == [("sam jones", "Why?"), ("iPhone", "Because."),
                               ("sam jones", "Sure?"), ("iPhone", "Yes.")]


def test_zoom_caption_headers_start_at_zero():
    turns = parse_lines(["[Sam Jones] 10:02:33", "Why?", "[iPhone] 10:02:40", "Because."])
    assert [(t.speaker, t.text, t.start) for t in turns] == [("Sam Jones", "Why?", 0.0),
                                                             ("iPhone", "Because.", 7.0)]


def test_bracketed_events_are_not_speakers():
    assert turns_of(["Sam: Why?", "[Laughter] 00:01:02", "[inaudible] Because."]) == [
        ("Sam", "Why? [Laughter] 00:01:02 [inaudible] Because.")]


def test_tab_separated_and_voice_lines():
    assert turns_of(["00:00:01\tSam\tWhy?", "00:00:04\tAnna\tBecause."]) == [
        ("Sam", "Why?"), ("Anna", "Because.")]
    assert turns_of(["<v Sam>Why?</v>", "<v Anna Smith>Because <i>so</i>.</v>"]) == [
        ("Sam", "Why?"), ("Anna Smith", "Because so.")]
    assert turns_of(["\tindented text", "Sam: Why?"]) == [("Sam", "Why?")]


def test_export_tool_lines_are_dropped():
    assert turns_of(["Sam started transcription", "Sam  0:01", "Why?", "Anna  0:04", "Because.",
                     "Sam stopped transcription", "Transcribed by https://otter.ai"]) == [
        ("Sam", "Why?"), ("Anna", "Because.")]


def test_names_alone_on_their_lines_with_no_time_head_the_turns_when_nothing_else_does():
    lines = ["Interview with the housing team", "INTERVIEWER", "Why did you change the rota?",
             "PARTICIPANT", "The backlog kept growing.", "So we split the day.",
             "INTERVIEWER", "And did it work?", "PARTICIPANT", "Mostly."]
    assert [(t.speaker, t.text) for t in parse_lines(lines)] == [
        ("INTERVIEWER", "Why did you change the rota?"),
        ("PARTICIPANT", "The backlog kept growing. So we split the day."),
        ("INTERVIEWER", "And did it work?"), ("PARTICIPANT", "Mostly.")]


def test_headings_that_do_not_recur_are_no_speakers_and_labelled_turns_win():
    # A report's section headings each head one paragraph: not a transcript.
    assert parse_lines(["Background", "The service grew.", "Findings", "It works.", "Summary", "Keep it."]) == []
    # One speaker heading twice is not enough either: a dialogue needs two.
    assert parse_lines(["Anna", "We agreed.", "Anna", "Then we stopped."]) == []
    # With "Name: words" turns in the file, a name alone on a line is part of a turn, as before.
    turns = parse_lines(["Sam: Why?", "Anna: Because.", "Sam", "Anna", "Sam: Right."])
    assert [t.speaker for t in turns] == ["Sam", "Anna", "Sam"]


def test_time_first_headers_need_a_recurring_name_and_words_below():
    # "00:00:03 Speaker 1" above the words (Word's Transcribe), with its start.
    turns = parse_lines(["00:00:03 Speaker 1", "Who runs it?", "00:00:06 Speaker 2", "The parish.",
                         "00:00:09 Speaker 1", "Since when?", "00:00:12 Speaker 2", "Always."])
    assert [(t.speaker, t.text, t.start) for t in turns] == [
        ("Speaker 1", "Who runs it?", 3.0), ("Speaker 2", "The parish.", 6.0),
        ("Speaker 1", "Since when?", 9.0), ("Speaker 2", "Always.", 12.0)]
    # Timed utterances with no speaker: "Right" twice is not a name, since no words sit below it.
    assert turns_of(["00:00:01 Thanks for coming in.", "00:00:04 Right", "00:00:06 We start with the rota.",
                     "00:00:09 Right", "00:00:11 It changed in May."]) == []
    # A one-off time-first line in a "Name: words" transcript stays in its turn.
    assert turns_of(["Sam: Tell me.", "00:00:05 Budget Review", "was the title.", "Anna: Fine."]) == [
        ("Sam", "Tell me. 00:00:05 Budget Review was the title."), ("Anna", "Fine.")]


def test_whatsapp_stamps_give_the_time_of_day_from_the_first_message():
    turns = parse_lines(["12/03/2024, 11:58 PM - Sam: Late?", "13/03/2024, 12:03 AM - Anna: Very."])
    assert [(t.speaker, t.start) for t in turns] == [("Sam", 0.0), ("Anna", 0.0)]  # past midnight: no negative time
    turns = parse_lines(["[12/03/2024, 10:15:00] Sam: Hi.", "[12/03/2024, 10:17:30] Anna: Hello."])
    assert [(t.speaker, t.start) for t in turns] == [("Sam", 0.0), ("Anna", 150.0)]


# --- the Q/A convention as note-takers type it ----------------------------------------------------

def test_numbered_questions_and_answers_are_one_speaker_each_way():
    lines = ["Q1: Why did it change?", "A1: The backlog.", "Q2: And then?", "A2: We split the day."]
    assert [t.speaker for t in parse_lines(lines)] == ["Q", "A", "Q", "A"]
    lines = ["Question 1: Why did it change?", "Answer: The backlog.", "Question 2: And then?", "Answer: We split."]
    assert [t.speaker for t in parse_lines(lines)] == ["Question", "Answer", "Question", "Answer"]


def test_a_number_after_any_other_label_still_tells_people_apart():
    lines = ["Q1: Why did it change?", "P1: The backlog.", "P2: And the rota.", "Q2: And then?", "P1: We split.",
             "P2: I agree."]
    assert [t.speaker for t in parse_lines(lines)] == ["Q", "P1", "P2", "Q", "P1", "P2"]
    # Without numbered questions an answer's number is left alone: a service may number its speakers so.
    assert [t.speaker for t in parse_lines(["A1: Hello.", "A2: Hi.", "A1: Shall we?"])] == ["A1", "A2", "A1"]


def test_q_and_a_with_a_full_stop_for_the_colon_where_both_recur():
    for q, a in (("Q.", "A."), ("Q1.", "A1."), ("**Q.**", "**A.**"), ("**Q**.", "**A**.")):
        lines = [f"{q} Why did it change?", f"{a} The backlog.", "It grew.", f"{q} And then?", f"{a} We split."]
        assert [(t.speaker, t.text) for t in parse_lines(lines)] == [
            ("Q", "Why did it change?"), ("A", "The backlog. It grew."), ("Q", "And then?"), ("A", "We split.")], q


def test_a_lettered_list_item_is_not_an_answer():
    lines = ["Sam: What were the options?", "Anna: Two.", "A. Keep the clinics.", "B. Close them.", "Sam: And now?",
             "Anna: Two again.", "A. Open at six.", "B. Open at eight."]
    assert [(t.speaker, t.text) for t in parse_lines(lines)] == [
        ("Sam", "What were the options?"), ("Anna", "Two. A. Keep the clinics. B. Close them."), ("Sam", "And now?"),
        ("Anna", "Two again. A. Open at six. B. Open at eight.")]


def test_when_only_the_questions_are_labelled_the_lines_after_a_question_are_the_answer():
    lines = ["Q: Why did the team", "change the rota?", "The backlog.", "It grew.", "Q: And then?", "We split the day."]
    assert [(t.speaker, t.text) for t in parse_lines(lines)] == [
        ("Q", "Why did the team change the rota?"), ("Respondent", "The backlog. It grew."),
        ("Q", "And then?"), ("Respondent", "We split the day.")]
    # With the answers labelled too, a line below a question is still more of the turn above it.
    assert [t.speaker for t in parse_lines(["Q: Why?", "A: Cost.", "Q: Is that", "all?", "A: Yes."])] == [
        "Q", "A", "Q", "A"]


def test_a_one_off_label_in_a_file_of_names_above_their_words_does_not_swallow_the_file():
    # "Budget: cut by a tenth." is the only "Name: words" line; read as a speaker, it would drop every
    # line above it and take every line below it for its own.
    lines = ["Sam Reid", "What changed?", "Anna Berg", "We moved the desk.", "Budget: cut by a tenth.",
             "Sam Reid", "Why?", "Anna Berg", "Nobody came after six."]
    assert turns_of(lines) == [("Sam Reid", "What changed?"), ("Anna Berg", "We moved the desk. Budget: cut by a tenth."),
                               ("Sam Reid", "Why?"), ("Anna Berg", "Nobody came after six.")]
    # A short exchange in which nobody speaks twice is still read as it is written.
    assert turns_of(["Sam: Why?", "Anna: Because."]) == [("Sam", "Why?"), ("Anna", "Because.")]


def test_play_script_needs_two_speakers_each_twice():
    # "NHS. They paid." twice in a transcript of "Name: words" is speech in capitals, not a speaker.
    assert turns_of(["Sam: Why?", "NHS. They paid.", "Anna: Cost.", "NHS. Again.", "Sam: So?"]) == [
        ("Sam", "Why? NHS. They paid."), ("Anna", "Cost. NHS. Again."), ("Sam", "So?")]
    assert turns_of(["SAM. Why?", "ANNA (laughing): Cost.", "SAM. So?", "ANNA. We cut."]) == [
        ("SAM", "Why?"), ("ANNA", "Cost."), ("SAM", "So?"), ("ANNA", "We cut.")]


def test_a_role_in_brackets_is_kept_on_the_label():
    # "Sam (Interviewer)" says who asks (`roles`); only descriptions and directions give way to the bare name.
    assert [s for s, _ in turns_of(["Sam (Interviewer): Why?", "Anna: Cost.", "Sam: So?", "Anna: Time."])] == [
        "Sam (Interviewer)", "Anna", "Sam", "Anna"]

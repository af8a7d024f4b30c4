from itertools import groupby

import pytest

from pipeline.errors import InputFileError
from pipeline.ingest.records import ParseOptions
from pipeline.ingest.text import parse_md, parse_txt

OPTIONS = ParseOptions("fixture")


def pairs(turns):
    return [(t.speaker, t.text) for t in turns]


def test_txt_name_colon_with_comments_and_timestamps():
    data = (b"# participant: housing lead\n# date: 2024-03-12\n"
            b"[00:00:01] Sam: How did the pilot go?\n"
            b"00:00:09 Anna: It went well,\nmostly.\n")
    turns = parse_txt(data, OPTIONS)
    assert pairs(turns) == [("Sam", "How did the pilot go?"), ("Anna", "It went well, mostly.")]
    assert [t.start for t in turns] == [1.0, 9.0]


def test_txt_otter_layout():
    data = b"Sam Jones  0:03\nHow did it go?\n\nAnna Smith  0:09\nWell.\n"
    assert pairs(parse_txt(data, OPTIONS)) == [("Sam Jones", "How did it go?"), ("Anna Smith", "Well.")]


def test_txt_q_a_convention():
    data = b"Q: Why?\nA: Budget.\nI: And then?\nR: We stopped.\n"
    assert [t.speaker for t in parse_txt(data, OPTIONS)] == ["Q", "A", "I", "R"]


def test_txt_crlf_and_cp1252():
    data = "Sam: Ça va?\r\nAnna: Très bien.\r\n".encode("cp1252")
    assert pairs(parse_txt(data, OPTIONS)) == [("Sam", "Ça va?"), ("Anna", "Très bien.")]


def test_md_bold_names_headings_and_front_matter():
    data = (b"---\ntitle: Interview\n---\n# Housing team\n## Part one\n\n"
            b"**Sam:** How did it go?\n\n**Anna**: Well,\nmostly.\n\n---\n\n- **Sam:** Thanks.\n")
    assert pairs(parse_md(data, OPTIONS)) == [
        ("Sam", "How did it go?"), ("Anna", "Well, mostly."), ("Sam", "Thanks.")]


def test_md_heading_is_not_speech_but_txt_hash_without_space_is():
    assert pairs(parse_md(b"Anna: One.\n# Heading\nTwo.\n", OPTIONS)) == [("Anna", "One. Two.")]
    assert pairs(parse_txt(b"Anna: One.\n#hashtag\n", OPTIONS)) == [("Anna", "One. #hashtag")]


@pytest.mark.parametrize("parse", [parse_txt, parse_md])
def test_no_speaker_turns_is_an_input_error(parse):
    with pytest.raises(InputFileError, match="no speaker turns found"):
        parse(b"Just some notes.\nNote: nothing here.\n", OPTIONS)


@pytest.mark.parametrize("parse", [parse_txt, parse_md])
def test_empty_file_is_an_input_error(parse):
    with pytest.raises(InputFileError, match="empty"):
        parse(b"", OPTIONS)


def test_md_headings_or_bold_names_alone_above_the_words_are_speakers_when_nothing_else_is():
    for data in (b"# Interview 4\n\n## Interviewer\n\nWhy did you change it?\n\n## Anna\n\nThe backlog.\n\n"
                 b"## Interviewer\n\nAnd then?\n\n## Anna\n\nWe split the day.\n",
                 b"**Interviewer**\n\nWhy did you change it?\n\n__Anna__\n\nThe backlog.\n\n"
                 b"**Interviewer**\n\nAnd then?\n\n__Anna__\n\nWe split the day.\n"):
        assert pairs(parse_md(data, OPTIONS)) == [("Interviewer", "Why did you change it?"), ("Anna", "The backlog."),
                                                  ("Interviewer", "And then?"), ("Anna", "We split the day.")]
    # Headings of a report's sections are not speakers, and turns written as usual keep headings out.
    with pytest.raises(InputFileError, match="no speaker turns found"):
        parse_md(b"## Background\n\nThe service grew.\n\n## Findings\n\nIt works.\n", OPTIONS)
    assert pairs(parse_md(b"## Anna\n\nAnna: One.\n\n## Bob\n\nBob: Two.\n", OPTIONS)) == [("Anna", "One."),
                                                                                          ("Bob", "Two.")]


def test_md_pipe_table_with_times_in_the_speaker_cells_and_a_note_below():
    data = (b"# Interview 7\n\n| Speaker | Transcript |\n|---|---|\n"
            b"| Olu Ade (00:00:01 - 00:00:04) | Why? |\n| [00:00:05] Anna Berg | Cost. |\n"
            b"| Olu Ade (00:00:12 - 00:00:14) | And? |\n\nEnd of transcript.\n")
    turns = parse_md(data, OPTIONS)
    assert [(t.speaker, t.text, t.start) for t in turns] == [
        ("Olu Ade", "Why?", 1.0), ("Anna Berg", "Cost.", 5.0), ("Olu Ade", "And?", 12.0)]


# --- notes that name no speaker: the questions set apart, the answers below -----------------------

NOTES_ASKED = ("What changed in your team?", "Why did you stop the evening clinics?")
NOTES_SAID = ("We moved the desk to mornings.", "Nobody came after six.", "The budget was cut in May.")


def merged(turns):
    """(speaker, text) with one speaker's consecutive turns joined, as `assemble` joins them."""
    return [(speaker, " ".join(t.text for t in group)) for speaker, group in groupby(turns, key=lambda t: t.speaker)]


def test_md_questions_as_headings_or_bold_lines_with_the_answers_below():
    a, b = NOTES_ASKED
    x, y, z = NOTES_SAID
    for question, asked in (("## {}", "{}"), ("**{}**", "{}"), ("### Q{n}. {}", "Q{n}. {}"), ("{n}. {}", "{n}. {}")):
        first, second = (question.format(q, n=n) for n, q in enumerate((a, b), 1))
        data = f"# Interview 3\n\n*Notes typed during the call.*\n\n{first}\n\n{x}\n\n{y}\n\n{second}\n\n- {z}\n"
        assert merged(parse_md(data.encode(), OPTIONS)) == [
            ("Moderator", asked.format(a, n=1)), ("Respondent", f"{x} {y}"),
            ("Moderator", asked.format(b, n=2)), ("Respondent", z)], question


def test_txt_numbered_questions_with_the_answers_below_and_a_numbered_list_inside_an_answer():
    a, b = NOTES_ASKED
    x, y, z = NOTES_SAID
    data = f"Interview 3\n\n1) {a}\n{x}\n1. {y}\n2. {z}\n\n2) {b}\n\n{y}\n"
    assert pairs(parse_txt(data.encode(), OPTIONS)) == [
        ("Moderator", f"1) {a}"), ("Respondent", x), ("Respondent", f"1. {y}"), ("Respondent", f"2. {z}"),
        ("Moderator", f"2) {b}"), ("Respondent", y)]


def test_md_section_headings_that_ask_nothing_are_refused_with_a_hint_to_mark_the_questions():
    with pytest.raises(InputFileError, match="no speaker turns found") as info:
        parse_md(b"## Background\n\nThe service grew.\n\n## Findings\n\nIt works.\n", OPTIONS)
    assert "set each question apart" in info.value.hint


def test_a_one_off_label_inside_an_answer_does_not_swallow_the_notes():
    a, b = NOTES_ASKED
    x, y, _ = NOTES_SAID
    data = f"## {a}\n\n{x}\n\nBudget: cut by a tenth in May.\n\n## {b}\n\n{y}\n"
    assert merged(parse_md(data.encode(), OPTIONS)) == [
        ("Moderator", a), ("Respondent", f"{x} Budget: cut by a tenth in May."), ("Moderator", b), ("Respondent", y)]


FOCUS_GROUP = """Tove (Facilitator): What changed in your teams this year?
Ilse (Housing officer): We moved the call-backs to the evening. [crosstalk]
Marek [Finance]: The overtime bill went up by a third.
Participant 3 (F, 40s): (laughs) And nobody told us why.
Ilse (Housing officer): Because complaints fell.
Marek [Finance]: Still, it cannot last.
Participant 3 (F, 40s): I agree [inaudible 00:12:03] with that.
"""


def test_focus_group_labels_with_a_role_or_team_in_brackets_each_start_a_turn():
    turns = parse_txt(FOCUS_GROUP.encode(), ParseOptions("fg.txt"))
    assert [t.speaker for t in turns] == ["Tove (Facilitator)", "Ilse (Housing officer)", "Marek [Finance]",
                                          "Participant 3 (F, 40s)", "Ilse (Housing officer)", "Marek [Finance]",
                                          "Participant 3 (F, 40s)"]
    assert turns[2].text == "The overtime bill went up by a third."

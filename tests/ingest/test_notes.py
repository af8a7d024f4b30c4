"""Interview notes that name no speaker: questions set apart by a mark, the answers below them."""
import logging

from pipeline.ingest import read_corpus
from pipeline.ingest.notes import (
    MARK_BOLD,
    MARK_NUMBERED,
    MODERATOR,
    RESPONDENT,
    NoteBlock,
    heading_mark,
    line_blocks,
    numbered_line,
    question_turns,
)

ASKED = ("Why did the team change the rota?", "What happened to the waiting list?")
SAID = ("The evening clinics were empty, so we moved the hours.", "It fell by a third over the winter.",
        "Mostly because the desk was staffed in the mornings.")


def pairs(turns):
    return [(t.speaker, t.text) for t in turns]


def test_questions_set_apart_are_the_moderators_and_the_paragraphs_below_the_respondents():
    for mark in (MARK_BOLD, heading_mark("2"), MARK_NUMBERED):
        blocks = [NoteBlock(ASKED[0], mark), NoteBlock(SAID[0]), NoteBlock(SAID[1]),
                  NoteBlock(ASKED[1], mark), NoteBlock(SAID[2])]
        assert pairs(question_turns(blocks)) == [(MODERATOR, ASKED[0]), (RESPONDENT, SAID[0]), (RESPONDENT, SAID[1]),
                                                 (MODERATOR, ASKED[1]), (RESPONDENT, SAID[2])], mark


def test_a_mark_that_asks_nothing_sets_apart_sections_not_questions():
    # A report's section headings head prose too; quoting it as a participant's words would be false.
    blocks = [NoteBlock("Background", heading_mark("2")), NoteBlock(SAID[0]),
              NoteBlock("Findings", heading_mark("2")), NoteBlock(SAID[1])]
    assert question_turns(blocks) == []


def test_one_question_above_plain_text_is_not_the_layout():
    assert question_turns([NoteBlock(ASKED[0], MARK_BOLD), NoteBlock(SAID[0]), NoteBlock(SAID[1])]) == []


def test_a_numbered_paragraph_is_a_question_only_when_it_asks():
    # The answer's own numbered list stays in the answer.
    blocks = [NoteBlock("1. " + ASKED[0], MARK_NUMBERED), NoteBlock("Two reasons."),
              NoteBlock("1. The clinics were empty.", MARK_NUMBERED), NoteBlock("2. The desk was busy.", MARK_NUMBERED),
              NoteBlock("2. " + ASKED[1], MARK_NUMBERED), NoteBlock(SAID[1])]
    assert pairs(question_turns(blocks)) == [
        (MODERATOR, "1. " + ASKED[0]), (RESPONDENT, "Two reasons."), (RESPONDENT, "1. The clinics were empty."),
        (RESPONDENT, "2. The desk was busy."), (MODERATOR, "2. " + ASKED[1]), (RESPONDENT, SAID[1])]


def test_paragraphs_above_the_first_question_are_dropped_with_a_warning_when_they_read_as_speech(caplog):
    questions = [NoteBlock(ASKED[0], MARK_BOLD), NoteBlock(SAID[0]), NoteBlock(ASKED[1], MARK_BOLD), NoteBlock(SAID[1])]
    with caplog.at_level(logging.INFO, logger="pipeline.ingest.notes"):
        titled = question_turns([NoteBlock("Interview 4", heading_mark("1")), NoteBlock("Date: 3 May"), *questions],
                                "team/notes.docx")
    assert pairs(titled)[0] == (MODERATOR, ASKED[0])
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="pipeline.ingest.notes"):
        noted = question_turns([NoteBlock("Call by phone; answers typed up the same day."), *questions],
                               "team/notes.docx")
    assert pairs(noted)[0] == (MODERATOR, ASKED[0])
    [warning] = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert "team/notes.docx" in warning.getMessage() and "put a question above" in warning.getMessage()


def test_headings_of_another_kind_are_sections_and_bold_of_another_kind_is_answer_text():
    blocks = [NoteBlock(ASKED[0], heading_mark("2")), NoteBlock(SAID[0]), NoteBlock("Part two", heading_mark("1")),
              NoteBlock("This mattered most.", MARK_BOLD), NoteBlock(ASKED[1], heading_mark("2")), NoteBlock(SAID[1])]
    assert pairs(question_turns(blocks)) == [(MODERATOR, ASKED[0]), (RESPONDENT, SAID[0]),
                                             (RESPONDENT, "This mattered most."),
                                             (MODERATOR, ASKED[1]), (RESPONDENT, SAID[1])]


def test_the_mark_that_heads_most_answers_is_the_questions_and_another_that_asks_stays_answer_text():
    # Questions as headings; the participant opens most answers with a bold line that asks on the way.
    # The bold lines head text too, but fewer answers than the headings do: they stay the participant's.
    emphasis = "Was it worth it? Yes."
    blocks = [NoteBlock(ASKED[0], heading_mark("2")), NoteBlock(emphasis, MARK_BOLD), NoteBlock(SAID[0]),
              NoteBlock(ASKED[1], heading_mark("2")), NoteBlock(emphasis, MARK_BOLD), NoteBlock(SAID[1]),
              NoteBlock("Why was the desk busy?", heading_mark("2")), NoteBlock(SAID[2])]
    assert pairs(question_turns(blocks)) == [
        (MODERATOR, ASKED[0]), (RESPONDENT, emphasis), (RESPONDENT, SAID[0]),
        (MODERATOR, ASKED[1]), (RESPONDENT, emphasis), (RESPONDENT, SAID[1]),
        (MODERATOR, "Why was the desk busy?"), (RESPONDENT, SAID[2])]


def test_line_blocks_a_wrapped_question_runs_to_its_question_mark_and_the_answer_may_follow_directly():
    lines = ["1. Why did the team", "change the rota?", SAID[0], "", "2. " + ASKED[1], "", SAID[1], SAID[2],
             "3. Tell me about the desk.", "It was busy."]
    assert [(b.mark, b.text) for b in line_blocks(lines, numbered_line)] == [
        (MARK_NUMBERED, "1. Why did the team change the rota?"), (None, SAID[0]),
        (MARK_NUMBERED, "2. " + ASKED[1]), (None, f"{SAID[1]} {SAID[2]}"),
        # No line of its paragraph ends asking: the numbered line stands alone, the next line is not the question's.
        (MARK_NUMBERED, "3. Tell me about the desk."), (None, "It was busy.")]


def test_a_folder_of_notes_reads_questions_as_the_interviewers_and_answers_as_the_participants(tmp_path, ingest_config):
    folder = tmp_path / "housing"
    folder.mkdir()
    (folder / "notes.md").write_text(f"# Interview 3\n\n## {ASKED[0]}\n\n{SAID[0]}\n\n## {ASKED[1]}\n\n{SAID[1]}\n")
    (folder / "numbered.txt").write_text(f"1. {ASKED[0]}\n{SAID[0]}\n\n2. {ASKED[1]}\n{SAID[1]}\n")
    corpus = read_corpus(tmp_path, ingest_config())
    turns = corpus.turns
    assert [record.interviewer_method for record in corpus.inputs] == ["labels", "labels"]
    for source in ("housing/notes.md", "housing/numbered.txt"):
        rows = turns[turns.source_file == source]
        assert rows.role.tolist() == ["interviewer", "participant"] * 2
        assert set(rows.team) == {"housing"}
        assert rows[rows.role == "participant"].text.tolist() == [SAID[0], SAID[1]]


def test_the_guide_asked_again_under_a_heading_is_the_next_interview():
    blocks = []
    for person in ("Interview 1", "Interview 2"):
        blocks += [NoteBlock(person, heading_mark("1")), NoteBlock(f"1. {ASKED[0]}", heading_mark("2")),
                   NoteBlock(SAID[0]), NoteBlock(ASKED[1], heading_mark("2")), NoteBlock(SAID[1])]
    turns = question_turns(blocks, "site.docx")
    assert [t.transcript_id for t in turns] == ["site.docx#1"] * 4 + ["site.docx#2"] * 4
    assert pairs(turns[4:]) == [(MODERATOR, f"1. {ASKED[0]}"), (RESPONDENT, SAID[0]),
                                (MODERATOR, ASKED[1]), (RESPONDENT, SAID[1])]


def test_a_question_asked_again_without_a_heading_or_a_new_section_heading_is_one_interview():
    follow_up = [NoteBlock(ASKED[0], heading_mark("2")), NoteBlock(SAID[0]),
                 NoteBlock(ASKED[0], heading_mark("2")), NoteBlock(SAID[1])]
    sections = [NoteBlock(ASKED[0], heading_mark("2")), NoteBlock(SAID[0]), NoteBlock("Part two", heading_mark("1")),
                NoteBlock(ASKED[1], heading_mark("2")), NoteBlock(SAID[1])]
    for blocks in (follow_up, sections):
        assert {t.transcript_id for t in question_turns(blocks, "one.md")} == {None}


def test_interviews_gathered_in_one_document_are_read_as_interviews_named_by_number(tmp_path, ingest_config,
                                                                                   caplog):
    sections = [f"# Interview with {person}\n\n## {ASKED[0]}\n\n{SAID[0]}\n\n## {ASKED[1]}\n\n{SAID[1]}\n"
                for person in ("Kim Farrow", "Rosa Mendes", "Holt Carver")]
    (tmp_path / "in" / "housing").mkdir(parents=True)
    (tmp_path / "in" / "housing" / "visits.md").write_text("\n".join(sections), encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="pipeline"):
        corpus = read_corpus(tmp_path / "in", ingest_config())
    turns = corpus.turns
    assert sorted(turns["transcript_id"].unique()) == [f"housing/visits.md#{n}" for n in (1, 2, 3)]
    assert (turns.groupby("transcript_id")["role"].apply(list) == [["interviewer", "participant"] * 2] * 3).all()
    assert "Farrow" not in " ".join(turns["text"]) and "several interviews" not in caplog.text


def test_a_note_under_an_interviews_heading_is_no_answer_but_text_under_a_section_heading_is():
    note = "Recorded 26 June, by phone"
    blocks = [NoteBlock("Interview 1", heading_mark("1")), NoteBlock(ASKED[0], heading_mark("2")), NoteBlock(SAID[0]),
              NoteBlock("Interview 2", heading_mark("1")), NoteBlock(note), NoteBlock(ASKED[0], heading_mark("2")),
              NoteBlock(SAID[1]), NoteBlock("Staffing", heading_mark("3")), NoteBlock(SAID[2]),
              NoteBlock(ASKED[1], heading_mark("2")), NoteBlock(SAID[0])]
    turns = question_turns(blocks, "site.md")
    assert note not in [t.text for t in turns]
    assert pairs(t for t in turns if t.transcript_id == "site.md#2") == [
        (MODERATOR, ASKED[0]), (RESPONDENT, SAID[1]), (RESPONDENT, SAID[2]), (MODERATOR, ASKED[1]), (RESPONDENT, SAID[0])]

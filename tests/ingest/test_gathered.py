"""Several interviews gathered in one file: still one conversation, but warned about, in counts only."""
import logging
from pathlib import Path

import pandas as pd
import pytest

from pipeline import schema
from pipeline.ingest import read_corpus
from pipeline.ingest.gathered import gathered_signs

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample"
ANSWER = ("We stopped answering every call straight away and set up a rota so two advisors clear the casework each "
          "morning, because the backlog kept growing.")
PEOPLE = ["Pellow", "Okafor", "Lindqvist", "Haddad", "Varma", "Fischer", "Okonjo"]
WARNING = "looks like several interviews in one file"


def frame(rows):
    """A turns table of one conversation from (speaker, role, text) rows."""
    return pd.DataFrame({schema.TRANSCRIPT_ID: "t", schema.SOURCE_FILE: "all.docx",
                         schema.SPEAKER: [s for s, _, _ in rows], schema.ROLE: [r for _, r, _ in rows],
                         schema.TEXT: [t for _, _, t in rows]})


def interview(name, questions, speaker="Interviewer"):
    return [row for q in questions for row in ((speaker, "interviewer", q), (name, "participant", ANSWER))]


def warnings_of(caplog):
    return [r.getMessage() for r in caplog.records if WARNING in r.getMessage()]


def test_qa_interviews_under_headings_are_warned_about_by_position_not_name(tmp_path, make_docx, ingest_config,
                                                                            caplog):
    # make_docx puts its headings first, so the paragraphs carry the sections' "Interview with ..." lines.
    paragraphs = []
    for name in PEOPLE[:3]:
        paragraphs += [f"Interview with {name}", "Location: Leeds", "Q: What changed for your team?", f"A: {ANSWER}",
                       "Q: Why did you decide that?", f"A: {ANSWER}"]
    root = tmp_path / "input"
    make_docx(root / "Digital" / "All digital interviews.docx", paragraphs, headings=["Digital interviews"])
    make_docx(root / "Housing" / "Interview - Jo Bloggs.docx", ["Q: What changed?", f"A: {ANSWER}"])
    with caplog.at_level(logging.WARNING, logger="pipeline"):
        corpus = read_corpus(root, ingest_config())
    assert corpus.turns[schema.TRANSCRIPT_ID].nunique() == 2  # one file is still one conversation
    (warning,) = warnings_of(caplog)
    assert warning.startswith("input 1 of 2 (in run.json's order)")
    assert "the interviewer asks one question 3 times" in warning
    assert "put each interview in a file of its own" in warning and "one row per person" in warning
    assert "Digital" not in caplog.text and "Pellow" not in caplog.text and "rota" not in caplog.text


def test_named_interviews_in_a_row_are_warned_about(tmp_path, ingest_config, caplog):
    lines = []
    for name in PEOPLE[:6]:
        lines += [f"Interviewer: How are things, {name}?", f"{name}: {ANSWER}", "Interviewer: Anything else?",
                  f"{name}: No."]
    root = tmp_path / "input"
    (root / "team").mkdir(parents=True)
    (root / "team" / "all.txt").write_text("\n".join(lines), encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="pipeline"):
        read_corpus(root, ingest_config())
    (warning,) = warnings_of(caplog)
    assert "6 participants speak with an interviewer one after another" in warning
    assert "asks one question" not in warning  # "Anything else?" is too short to count


def test_the_signs_in_counts():
    gathered = [row for name in PEOPLE for row in interview(name, ["What changed for your team?",
                                                                  "Why did you decide that?"])]
    assert gathered_signs(frame(gathered)) == {"all.docx": [
        "the interviewer asks one question 7 times", "7 participants speak with an interviewer one after another"]}


def test_a_normal_interview_with_recurring_probes_is_not_warned_about():
    questions = [f"What did you decide about item {n} of the plan?" for n in range(12)]
    probes = ["Can you tell me more about that?"] * 4 + ["Why do you think that is?"] * 3
    assert gathered_signs(frame(interview("Anna", questions + probes))) == {}


def test_a_focus_group_and_a_meeting_are_not_warned_about():
    rows = []
    for round_ in range(3):
        rows.append(("Moderator", "interviewer", f"What should change first, round {round_}?"))
        rows += [(name, "participant", ANSWER) for name in PEOPLE]
    assert gathered_signs(frame(rows)) == {}
    meeting = [(name, "participant", "What do you all think about the budget?") for name in PEOPLE * 3]
    assert gathered_signs(frame(meeting)) == {}


def test_five_interviews_in_a_row_are_below_the_threshold():
    rows = [row for name in PEOPLE[:5] for row in interview(name, [f"How are things, {name}?"])]
    assert gathered_signs(frame(rows)) == {}


@pytest.mark.skipif(not SAMPLE.is_dir(), reason="the bundled sample is not in the checkout")
def test_the_bundled_sample_is_not_warned_about(ingest_config, caplog):
    with caplog.at_level(logging.WARNING, logger="pipeline"):
        corpus = read_corpus(SAMPLE, ingest_config())
    assert corpus.turns[schema.TRANSCRIPT_ID].nunique() == 20
    assert not warnings_of(caplog)
    assert gathered_signs(corpus.turns) == {}

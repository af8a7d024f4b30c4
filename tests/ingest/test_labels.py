import math

import pytest

from pipeline.ingest.labels import (
    is_loose_label,
    is_speaker_label,
    normalise_name,
    question_number,
    role_tag,
    split_dotted_label,
    split_speaker_line,
)


@pytest.mark.parametrize("label", [
    "Anna", "Anna Smith", "Dr. Anna Smith", "J. Smith", "Smith, Anna", "Speaker 1",
    "Project Manager", "Jean de la Fontaine", "Head of Housing Services", "Anna Smith (Housing)",
    "O'Brien", "Jean-Luc", "ANNA", "Q", "A", "I", "R", "Interviewer", "李明", "May", "June Brown",
])
def test_names_are_labels(label):
    assert is_speaker_label(label)


@pytest.mark.parametrize("label", [
    "Note", "NB", "Date", "Summary", "So the answer was", "Well, the answer is", "10", "10:30",
    "The answer (in short)", "Anna.", "anna", "q", "Tuesday", "We met on Monday and then",
    "One Two Three Four Five", "Yes", "", "What?", "Anna; Bob", "March 12", "Tuesday 3rd",
    "May 2024", "Friday, 12 March",
])
def test_prose_is_not_a_label(label):
    assert not is_speaker_label(label)


def test_known_names_are_labels_in_any_case():
    assert is_speaker_label("anna smith", frozenset({"anna smith"}))


@pytest.mark.parametrize("line, expected", [
    ("Anna: We agreed.", ("Anna", "We agreed.")),
    ("Anna:", ("Anna", "")),
    ("**Anna:** We agreed.", ("Anna", "We agreed.")),
    ("**Anna**: We agreed.", ("Anna", "We agreed.")),
    ("__Anna__: We agreed.", ("Anna", "We agreed.")),
    ("Speaker 1 (00:01:02): Hello", ("Speaker 1", "Hello")),
    ("Anna:  words: with colons", ("Anna", "words: with colons")),
])
def test_split_speaker_line(line, expected):
    found = split_speaker_line(line)
    assert found is not None and found[:2] == expected


@pytest.mark.parametrize("line", [
    "So the answer was: yes", "Note: remember this", "We met at 10:30 in town",
    "http://example.org", "**Note:** prose", "no colon here",
])
def test_prose_lines_do_not_split(line):
    assert split_speaker_line(line) is None


def test_rev_timecode_gives_start():
    assert split_speaker_line("Speaker 1 (00:01:02): Hello")[2] == 62.0
    assert math.isnan(split_speaker_line("Anna: Hello")[2])


@pytest.mark.parametrize("raw, name", [
    ("Sam Jones (Host)", "Sam Jones"), ("Anna Smith (Guest)", "Anna Smith"),
    ("Kim Lee (External)", "Kim Lee"), ("Kim Lee (she/her)", "Kim Lee"),
    ("Bo (he / him) (Co-host)", "Bo"), ("Anna Smith (Housing)", "Anna Smith (Housing)"),
    ("  Anna   Smith ", "Anna Smith"), ("(Host)", "(Host)"),
    ("Anna Smith (anna.smith@example.org)", "Anna Smith"), ("Bo Li <bo@example.org>", "Bo Li"),
    ("Anna Smith (anna at home)", "Anna Smith (anna at home)"),
])
def test_normalise_drops_meeting_tool_tags(raw, name):
    assert normalise_name(raw) == name


@pytest.mark.parametrize("label", ["iPhone", "sam jones", "Call-in User_1", "Galaxy S21",
                                   "+44 7700 900123", "anna", "Sam's iPhone", "AirPods Pro",
                                   "Sam 🌻", "Kim (Housing) ✈"])
def test_loose_labels(label):
    assert is_loose_label(label)


@pytest.mark.parametrize("label", ["we met at", "so", "note", "the answer", "2019",
                                   "Friday, 12 March", "http://example.org", "what?", "",
                                   "see [1]", "a \"quote\"", "www.example.org"])
def test_not_loose_labels(label):
    assert not is_loose_label(label)


def test_role_tag():
    assert role_tag("Sam Jones (Interviewer)") == "interviewer"
    assert role_tag("Anna (Housing)") is None and role_tag("Anna") is None


def test_a_participant_named_by_initials_run_together_is_a_speaker():
    from pipeline.ingest.lines import parse_lines

    turns = parse_lines(["Marcus Thornbury: How did it go?", "T.W.: We changed the rota.",
                         "Marcus Thornbury: Why?", "T.W.: Cost."])
    assert [(t.speaker, t.text) for t in turns] == [("Marcus Thornbury", "How did it go?"),
                                                   ("T.W.", "We changed the rota."),
                                                   ("Marcus Thornbury", "Why?"), ("T.W.", "Cost.")]
    assert not is_speaker_label("e.g.") and not is_speaker_label("t.w.")


@pytest.mark.parametrize("line,split", [
    ("Q. Why?", ("Q", "Why?")), ("A12. Cost.", ("A12", "Cost.")), ("Question 3. Why?", ("Question 3", "Why?")),
    ("__A.__ Cost.", ("A", "Cost.")), ("**Q**. Why?", ("Q", "Why?")),
    ("B. Close them.", None), ("I. Introduction", None), ("Q.E.D. so it is", None), ("A.", None), ("q. why", None),
])
def test_split_dotted_label(line, split):
    assert split_dotted_label(line) == split


@pytest.mark.parametrize("label,unnumbered", [
    ("Q1", ("Q", True)), ("q 12", ("q", True)), ("Question 2", ("Question", True)), ("A3", ("A", False)),
    ("Answer 1", ("Answer", False)), ("Q", None), ("P1", None), ("Speaker 2", None), ("Interviewer 1", None),
])
def test_question_number(label, unnumbered):
    assert question_number(label) == unnumbered


def test_a_line_with_a_date_is_no_speaker_label():
    # "Recorded 26-Jun-20, North America" above each interview of a notes file recurs like a speaker's name.
    assert not is_speaker_label("Recorded 26-Jun-20, North America")
    assert not is_speaker_label("Call 2024/03/01")
    assert is_speaker_label("Speaker 1") and is_speaker_label("P2") and is_speaker_label("Anna Weber-Holt")


@pytest.mark.parametrize("label", ["Participant 3 (F, 40s)", "Ilse (Housing officer)", "Marek [Finance]",
                                   "Tove (Contact centre, team lead)", "R2 (M, 60s)", "Ilse (Head of Repairs)"])
def test_a_name_with_a_description_in_brackets_is_a_label(label):
    assert is_speaker_label(label)


@pytest.mark.parametrize("label", ["Housing (which we run)", "The plan (2019)", "Note (important)",
                                   "So (as I said)"])
def test_prose_with_brackets_is_not_a_label(label):
    assert not is_speaker_label(label)


def test_play_script_labels():
    from pipeline.ingest.labels import split_play_label
    assert split_play_label("ANNA. We cut it.") == ("ANNA", "We cut it.")
    assert split_play_label("DR ANNA SMITH. Yes.") == ("DR ANNA SMITH", "Yes.")
    # A roman numeral, a word that introduces prose, a capitalised sentence word: not speakers.
    assert split_play_label("II. Findings") is None
    assert split_play_label("NOTE. This was later.") is None
    assert split_play_label("Anna. We cut it.") is None

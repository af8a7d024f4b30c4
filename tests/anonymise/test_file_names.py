"""Names in file names found without any text: failed and skipped files show their names too."""
import re

import pandas as pd
import pytest

from pipeline.anonymise import anonymise, file_name_masker
from pipeline.anonymise.corpus import technology_names
from pipeline.anonymise.file_names import FileNamePeople, tidy_placeholders
from pipeline.anonymise.lexicon import load_lexicon
from pipeline.config import load_config
from pipeline.nlp import common_words

# The file names of a council's delivery interviews (/tmp/h7/delivery), each naming its interviewee.
DELIVERY = [
    "Contact Centre/Interview 01 - Contact Centre - Jasmine Ahmed.pdf",
    "Contact Centre/Interview 03 - Contact Centre - R Mendes.pdf",
    "Contact Centre/Interview 03 - Contact Centre - Rosa Mendes (Word version).docx",
    "Contact Centre/Interview 04 - Contact Centre - Kwame Mensah.docx",
    "Digital/Interview 05 - Digital - Sanjay Patel.pdf",
    "Digital/Interview 06 - Digital - Chloe Brennan.odt",
    "Digital/Interview 07 - Digital - J Richards.docx",
    "Housing/Interview 08 - Housing - Priya Shah.pdf",
    "Housing/Interview 09 - Housing - Tom Kowalski.docx",
    "Housing/Interview 10 - Housing - G Okafor.pdf",
    "Housing/Interview 11 - Housing - Declan Murphy.srt",
    "Revenues/Interview 12 - Revenues & Benefits - Linda Thornton.pdf",
    "Revenues/Interview 13 - Revenues & Benefits - H Sandhu.odt",
    "Social Care/Interview 16 - Adult Social Care - Andrew McAllister.pdf",
    "Social Care/Interview 17 - Adult Social Care - Mei Ling Chan.odt",
    "Social Care/Interview 22 - Social Care - Shirley Dunmore (protected).pdf",
    "Waste/Interview 20 - Waste - M Campbell.pdf",
    "Waste/Interview 21 - Waste - Dave Pritchard (scanned).pdf",
    "contact_centre/Interview 02 - Contact Centre - Neil Fairbrother.txt",
    "Housing/Interview 2 - Kim Farrow.pdf",
    "Housing/KimFarrow-notes.txt",
    "Housing/Kim_Farrow.txt",
    "Nadia Holt Carver.txt",
    "J. Richards.txt",
    "Waste/Kim O'Brien.txt",
]

NAMES = ["Jasmine Ahmed", "R Mendes", "Rosa Mendes", "Kwame Mensah", "Sanjay Patel", "Chloe Brennan", "J Richards",
         "Priya Shah", "Tom Kowalski", "G Okafor", "Declan Murphy", "Linda Thornton", "H Sandhu", "Andrew McAllister",
         "Mei Ling Chan", "Shirley Dunmore", "M Campbell", "Dave Pritchard", "Neil Fairbrother", "Kim Farrow",
         "KimFarrow", "Kim_Farrow", "Nadia Holt Carver", "J. Richards", "Kim O'Brien"]

ORDINARY = [
    "Housing/Interview 3 - line numbered.txt", "Team Meeting - Week 3.txt", "Contact Centre Summary.docx",
    "Housing Notes.txt", "Notes.xlsx", "Digital/All digital interviews.docx", "Mark Scheme.pdf", "Rose Garden.txt",
    "May Day.txt", "Grace Period.txt", "Will Writing Workshop.vtt", "Art Gallery Visit.txt", "Carol Service.docx",
    "A Young Person's Guide.txt", "Plan B Options.txt", "Section A Review.pdf", "Focus Group 2 - Summary.docx",
    "Azure Migration.txt", "Python Notes.txt", "Zoom Call.vtt", "Christmas Party.txt", "Adult Social Care.txt",
    "Revenues & Benefits.txt", "ES2005a_kick-off_meeting.docx", "TS3003a.json", "interview_notes.txt",
    "housing/talk0.txt", "SC/interview_11_whisperx.json", "Contact Centre/Interview 01 - Contact Centre.pdf",
]


@pytest.fixture(scope="module")
def lexicon(nlp):
    return load_lexicon(frozenset(common_words(nlp)))


@pytest.mark.parametrize("path", DELIVERY)
def test_a_name_in_a_file_name_is_masked_whole_without_any_text(path, lexicon):
    people = FileNamePeople(lexicon, technology_names())
    masked = tidy_placeholders(people.mask(path), lexicon)
    name = next(n for n in NAMES if n in path)
    # One placeholder where the name was, initial and all; the rest of the file name as it was.
    assert masked == path.replace(name, "PERSON-1"), masked


@pytest.mark.parametrize("path", ORDINARY)
def test_an_ordinary_file_name_stays(path, lexicon):
    people = FileNamePeople(lexicon, technology_names())
    assert tidy_placeholders(people.mask(path), lexicon) == path


def test_one_person_in_several_file_names_has_one_placeholder(lexicon):
    people = FileNamePeople(lexicon, technology_names(), next_number=7)
    for path in sorted(DELIVERY):
        people.learn(path)
    masked = {path: tidy_placeholders(people.mask(path), lexicon) for path in DELIVERY}
    # Numbered in sorted order from `next_number`: Jasmine Ahmed is 7, R Mendes 8.
    assert masked["Contact Centre/Interview 03 - Contact Centre - R Mendes.pdf"].endswith("- PERSON-8.pdf")
    assert masked["Contact Centre/Interview 03 - Contact Centre - Rosa Mendes (Word version).docx"].endswith(
        "- PERSON-8 (Word version).docx")
    farrow = {masked[p].rsplit("/", 1)[-1] for p in DELIVERY if "Farrow" in p}
    assert len({re.search(r"PERSON-\d+", f).group() for f in farrow}) == 1
    assert {re.sub(r"PERSON-\d+", "P", f) for f in farrow} == {"Interview 2 - P.pdf", "P-notes.txt", "P.txt"}


@pytest.mark.parametrize(("text", "expected"), [
    ("Interview 03 - R PERSON-18.pdf", "Interview 03 - PERSON-18.pdf"),
    ("Digital/J. PERSON-8_notes.docx", "Digital/PERSON-8_notes.docx"),
    ("J. R. PERSON-8.txt", "PERSON-8.txt"),
    ("JPERSON-8.txt", "PERSON-8.txt"),
    ("Mei PERSON-4.odt", "PERSON-4.odt"),
    ("PERSON-3 PERSON-3.txt", "PERSON-3.txt"),
    ("Interview PERSON-2.txt", "Interview PERSON-2.txt"),
    ("Housing - PERSON-2.txt", "Housing - PERSON-2.txt"),
    ("May PERSON-2.txt", "May PERSON-2.txt"),
])
def test_an_initial_or_a_first_name_left_before_a_placeholder_goes_with_it(text, expected, lexicon):
    assert tidy_placeholders(text, lexicon) == expected


def _turns(speaker: str, text: str, source: str) -> pd.DataFrame:
    return pd.DataFrame({"transcript_id": [source.rsplit(".", 1)[0]] * 2, "turn": [0, 1],
                         "speaker": ["Interviewer", speaker], "role": ["interviewer", "participant"],
                         "team": ["Housing"] * 2, "start": [None] * 2,
                         "text": ["What changed this year?", text], "source_file": [source] * 2})


def test_a_failed_file_s_name_is_masked_after_the_text_s_people_and_joins_the_key(nlp):
    turns = _turns("Jo Bloggs", "We set up a rota with Dave Pritchard so the backlog went down.",
                   "Housing/Interview 1 - Jo Bloggs.txt")
    failed = "Housing/Interview 2 - Kim Farrow.pdf"
    result = anonymise(turns, [nlp(t) for t in turns.text], load_config().anonymise,
                       common_words=common_words(nlp), file_names=[failed, "Housing/Interview 1 - Jo Bloggs.txt"])
    numbers = [int(p.strip("[]").split()[1]) for p in result.key.values() if p.startswith("[PERSON")]
    # The text's people keep their numbers; the person only the file name shows comes after them.
    assert result.key["Kim Farrow"] == f"[PERSON {max(numbers)}]" and result.turns.text[1].count("[PERSON") == 1
    assert result.redact(failed) == f"Housing/Interview 2 - PERSON-{max(numbers)}.pdf"
    assert result.redact("Interview 2 - Kim Farrow.pdf") == f"Interview 2 - PERSON-{max(numbers)}.pdf"
    # The speaker's file keeps the speaker's placeholder.
    assert result.redact("Housing/Interview 1 - Jo Bloggs.txt") == \
        f"Housing/Interview 1 - {result.aliases['jo bloggs'].strip('[]').replace(' ', '-')}.txt"
    assert result.leak_terms["Kim Farrow"] == "person name" and failed in result.leak_terms
    # A message naming the file, as a skipped file's reason does, loses the name with it.
    assert "Farrow" not in result.redact(f"the same conversation as {failed}")
    assert "Kim" not in result.redact(f"the same conversation as {failed}")


def test_a_file_name_naming_a_person_the_text_names_takes_the_text_s_placeholder(nlp):
    turns = _turns("Participant", "Mrs Farrow from the council called round twice about it.",
                   "Housing/Interview 1.txt")
    result = anonymise(turns, [nlp(t) for t in turns.text], load_config().anonymise,
                       common_words=common_words(nlp), file_names=["Housing/Interview 2 - Kim Farrow.pdf"])
    farrow = result.key["Farrow"].strip("[]").replace(" ", "-")
    assert result.redact("Housing/Interview 2 - Kim Farrow.pdf") == f"Housing/Interview 2 - {farrow}.pdf"


def test_before_any_text_a_file_name_is_masked_on_its_own_evidence():
    mask = file_name_masker(["b/Interview 2 - Kim Farrow.pdf", "a/Jo Bloggs.txt", "a/notes.txt"])
    assert [mask(p) for p in ("a/Jo Bloggs.txt", "b/Interview 2 - Kim Farrow.pdf", "a/notes.txt")] == [
        "a/PERSON-1.txt", "b/Interview 2 - PERSON-2.pdf", "a/notes.txt"]

"""Generic labels are scoped to their transcript; names of people are left alone."""
import re

import pytest

from pipeline.ingest.speakers import is_generic, scoped


@pytest.mark.parametrize("name", [
    "Q", "A", "I", "R", "M", "P", "Int", "IV", "Interviewer", "Interviewer 2", "Moderator",
    "Respondent", "Participant 1", "Speaker 1", "Speaker A", "SPEAKER_00", "Unknown Speaker",
    "Guest", "iPhone", "iPhone (2)", "Galaxy S21", "Call-in User_1", "Zoom Room",
    "Conference Room 3", "+44 7700 900123", "",
    # Transcription services number or letter their speakers: AssemblyAI, Rev.ai, Deepgram.
    "B", "C", "Z", "C2", "S1", "0", "1", "12", "Speaker 0",
])
def test_generic(name):
    assert is_generic(name)


@pytest.mark.parametrize("name", ["Anna", "Anna Smith", "Sam's iPhone", "Ian", "Macy", "Paul",
                                  "Amelia", "Anna Smith (Housing)", "Al", "Jo", "Ed"])
def test_people(name):
    assert not is_generic(name)


def test_scoped_labels_differ_per_transcript_and_hold_no_word_a_matcher_could_find():
    one, two = scoped("Speaker 1", "housing/a.txt"), scoped("Speaker 1", "youth/b.txt")
    assert one != two and one.startswith("Speaker_1@")
    assert scoped("Speaker 1", "housing/a.txt") == one  # stable across runs
    for label in (one, scoped("Call-in User_1", "a"), scoped("A", "a")):
        assert not re.search(r"[\s-]", label)
    assert scoped("Anna Smith", "a") == "Anna Smith"


def test_a_phone_number_is_not_kept_in_its_label():
    assert "7700" not in scoped("+44 7700 900123", "a") and scoped("", "a").startswith("unnamed@")


def test_a_transcription_services_letters_and_numbers_are_tied_to_their_transcript():
    # AssemblyAI's "B" is the interviewee of one export, not one person across the run; so is Rev.ai's 1.
    assert scoped("B", "housing/a.json") != scoped("B", "waste/b.json")
    assert scoped("B", "a").startswith("B@") and scoped("1", "a").startswith("1@")
    # A long number is still a phone number, kept out of its label.
    assert scoped("07700900123", "a").startswith("dial_in@")


def test_a_described_slot_is_scoped_to_its_transcript_without_the_description():
    assert is_generic("Participant 3 (F, 40s)")
    assert scoped("Participant 3 (F, 40s)", "a.txt") == scoped("Participant 3", "a.txt")
    assert scoped("Participant 3 (F, 40s)", "a.txt") != scoped("Participant 3 (F, 40s)", "b.txt")
    assert scoped("Ilse Varga (Housing)", "a.txt") == "Ilse Varga (Housing)"

"""Lines export tools add, which nobody said."""
import pytest

from pipeline.ingest.boilerplate import is_boilerplate, transcript_part


@pytest.mark.parametrize("line", [
    "Transcribed by https://otter.ai", "transcribed by otter.ai",
    "Anna Smith started transcription", "Sam Jones (Guest) stopped transcription",
    "Transcription ended after 00:30:30", "### **Transcription ended after 01:27:23**",
    "Meeting ended after 00:12:01 👋",
    "This editable transcript was computer generated and might contain errors. People can "
    "also change the text after it was created.",
    "*This editable transcript was computer generated and might contain errors.*",
    "You should review Gemini's notes to make sure they're accurate.",
    "Clearword Transcription Ltd - Strictly confidential - do not forward", "STRICTLY CONFIDENTIAL",
    "Private and confidential | Page 3", "Acme Transcripts · Not for distribution",
])
def test_tool_lines(line):
    assert is_boilerplate(line)


@pytest.mark.parametrize("line", [
    "We stopped transcription of the minutes in May.", "We stopped transcription.",
    "The meeting ended after an hour.", "Otter is what we used.", "Anna: Transcribed by hand.",
    "It was strictly confidential - nobody was told - not even the board.",
    "Confidential, she said, and then she told the whole office anyway.", "Do not forward it?",
])
def test_speech_is_kept(line):
    assert not is_boilerplate(line)


def test_gemini_notes_are_cut_before_the_transcript():
    items = ["📝 Notes", "Budget Review: overspend", "📖 Transcript", "Sam: Hi.", 42]
    assert transcript_part(items) == ["Sam: Hi.", 42]


def test_without_gemini_headings_everything_is_kept():
    items = ["Notes", "Transcript", "Sam: Hi."]
    assert transcript_part(items) == items
    assert transcript_part(["📖 Transcript", "Sam: Hi."]) == ["📖 Transcript", "Sam: Hi."]

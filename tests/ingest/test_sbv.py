"""YouTube .sbv captions: synthetic caption files written by hand, never real ones."""
import logging

import pytest

from pipeline.errors import InputFileError
from pipeline.ingest import read_corpus
from pipeline.ingest.records import ParseOptions
from pipeline.ingest.sbv import parse_sbv
from pipeline.ingest.vtt import parse_vtt

OPTIONS = ParseOptions("talk.sbv")
SECRET = "pilot budget"  # said in the fixtures: must never reach a reason or a log line

CAPTIONS = """0:00:00.500,0:00:03.000
>> SAM: Why did the team change
the rota last spring?

0:00:03.000,0:00:06.250
>> ANA: Because we lost two people

0:00:06.250,0:00:09.000
and the pilot budget ran out.

0:01:02.000,0:01:04.000
>> SAM: And then?
"""


def turns_of(text: str, options: ParseOptions = OPTIONS):
    return [(t.speaker, t.text, t.start) for t in parse_sbv(text.encode(), options)]


def test_speaker_changes_name_the_speaker_and_a_caption_without_one_goes_on():
    assert turns_of(CAPTIONS) == [("SAM", "Why did the team change the rota last spring?", 0.5),
                                  ("ANA", "Because we lost two people", 3.0),
                                  ("ANA", "and the pilot budget ran out.", 6.25),  # merged into one turn later
                                  ("SAM", "And then?", 62.0)]


def test_the_same_captions_as_webvtt_give_the_same_turns():
    as_vtt = "WEBVTT\n\n" + CAPTIONS.replace(",0:", " --> 0:")
    assert turns_of(CAPTIONS) == [(t.speaker, t.text, t.start)
                                  for t in parse_vtt(as_vtt.encode(), ParseOptions("talk.vtt"))]


def test_read_corpus_merges_one_speakers_captions_into_a_turn(tmp_path, ingest_config):
    (tmp_path / "housing").mkdir()
    path = tmp_path / "housing" / "talk.sbv"
    path.write_bytes(b"\xef\xbb\xbf" + CAPTIONS.replace("\n", "\r\n").encode())  # YouTube's BOM and CRLF
    before = path.read_bytes()
    corpus = read_corpus(tmp_path, ingest_config())
    assert [(r.file, r.status) for r in corpus.inputs] == [("housing/talk.sbv", "ok")]
    assert corpus.turns[["transcript_id", "turn", "speaker", "team", "start", "text"]].values.tolist() == [
        ["housing/talk.sbv", 0, "SAM", "housing", 0.5, "Why did the team change the rota last spring?"],
        ["housing/talk.sbv", 1, "ANA", "housing", 3.0, "Because we lost two people and the pilot budget ran out."],
        ["housing/talk.sbv", 2, "SAM", "housing", 62.0, "And then?"]]
    assert path.read_bytes() == before


def test_name_prefixes_without_change_marks_and_hours_in_the_timing():
    text = ("1:02:03.000,1:02:05.000\nSam Jones: Why?\n\n1:02:05.000,1:02:07.500\nAna Ruiz: Because.\n\n"
            "1:02:07.500,1:02:09.000\nSam Jones: Thanks.\n")
    assert turns_of(text) == [("Sam Jones", "Why?", 3723.0), ("Ana Ruiz", "Because.", 3725.0),
                              ("Sam Jones", "Thanks.", 3727.5)]


def test_captions_naming_nobody_are_one_unnamed_speakers_words_with_a_warning(caplog):
    text = f"0:00:01.000,0:00:02.000\nwe cut the {SECRET}\n\n0:00:02.000,0:00:03.000\nand hired\n"
    with caplog.at_level(logging.DEBUG, logger="pipeline"):
        turns = turns_of(text)
    assert turns == [("", f"we cut the {SECRET}", 1.0), ("", "and hired", 2.0)]
    assert "talk.sbv" in caplog.text and "no cue names its speaker" in caplog.text and SECRET not in caplog.text


@pytest.mark.parametrize(("text", "message", "hint"), [
    (f"Sam: the {SECRET} again\nAna: yes\n", "no SBV captions found", "0:00:01.000,0:00:04.000"),
    ("1\n00:00:01,000 --> 00:00:02,000\nSam: Why?\n", "those of a .srt or .vtt file", "rename it to .vtt"),
    ("0:00:01.000,0:00:02.000\n\n0:00:02.000,0:00:03.000\n", "no words found", "name the speaker"),
])
def test_what_cannot_be_read_is_named_with_what_to_do(text, message, hint):
    with pytest.raises(InputFileError) as caught:
        parse_sbv(text.encode(), OPTIONS)
    assert message in caught.value.message and hint in caught.value.hint
    assert caught.value.path == "talk.sbv" and SECRET not in str(caught.value)

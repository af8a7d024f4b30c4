import math

import pytest

from pipeline.errors import InputFileError
from pipeline.ingest import read_corpus
from pipeline.ingest.records import ParseOptions
from pipeline.ingest.sbv import parse_sbv
from pipeline.ingest.vtt import parse_srt, parse_vtt

OPTIONS = ParseOptions("fixture")

TEAMS_VTT = """WEBVTT

3f2a9c1e-aaaa-bbbb-cccc-1234567890ab/12-0
00:00:00.000 --> 00:00:03.520
<v Sam Jones>How did the pilot go?</v>

3f2a9c1e-aaaa-bbbb-cccc-1234567890ab/13-0
00:00:03.520 --> 00:00:07.000
<v Anna Smith>It went well,</v>

3f2a9c1e-aaaa-bbbb-cccc-1234567890ab/13-1
00:00:07.000 --> 00:00:09.000
<v Anna Smith>mostly.</v>
"""


def triples(turns):
    return [(t.speaker, t.text, t.start) for t in turns]


def test_teams_voice_tags_with_cue_ids():
    assert triples(parse_vtt(TEAMS_VTT.encode(), OPTIONS)) == [
        ("Sam Jones", "How did the pilot go?", 0.0),
        ("Anna Smith", "It went well,", 3.52),
        ("Anna Smith", "mostly.", 7.0),  # merged later, in assemble
    ]


def test_voice_tags_without_closing_tag_notes_styles_and_classes():
    data = b"""WEBVTT - interview

NOTE recorded by the consultant
over two lines

STYLE
::cue { color: lime }

00:01.000 --> 00:02.000 align:start position:10%
<v.loud Sam>Why &amp; how?

00:02.000 --> 00:04.000
<v Anna><i>Because</i> <00:00:03.000>we <c.yellow>had</c> to.
"""
    assert triples(parse_vtt(data, OPTIONS)) == [("Sam", "Why & how?", 1.0),
                                                 ("Anna", "Because we had to.", 2.0)]


def test_two_voices_in_one_cue():
    data = b"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Sam>Ready?</v><v Anna>Yes.</v>\n"
    assert [(t.speaker, t.text) for t in parse_vtt(data, OPTIONS)] == [("Sam", "Ready?"), ("Anna", "Yes.")]


def test_zoom_name_prefix_and_unlabelled_cue_continues():
    data = b"""WEBVTT

1
00:00:01.000 --> 00:00:02.000
Sam Jones: How did it go?

2
00:00:02.000 --> 00:00:04.000
Anna Smith: Well,

3
00:00:04.000 --> 00:00:05.000
mostly.
"""
    assert [(t.speaker, t.text) for t in parse_vtt(data, OPTIONS)] == [
        ("Sam Jones", "How did it go?"), ("Anna Smith", "Well,"), ("Anna Smith", "mostly.")]


def test_header_without_blank_line_and_missing_header_are_tolerated():
    data = b"WEBVTT\nKind: captions\n00:00:01.000 --> 00:00:02.000\n<v Sam>Hi.\n"
    assert [t.speaker for t in parse_vtt(data, OPTIONS)] == ["Sam"]
    assert [t.speaker for t in parse_vtt(b"00:01.000 --> 00:02.000\n<v Sam>Hi.\n", OPTIONS)] == ["Sam"]


def test_srt_numbered_cues_with_names_and_tags():
    data = b"""1
00:00:01,000 --> 00:00:03,000
Sam: How did it go?

2
00:00:03,500 --> 00:00:05,000
<i>Anna: Well,</i>
mostly.

"""
    assert triples(parse_srt(data, OPTIONS)) == [("Sam", "How did it go?", 1.0),
                                                 ("Anna", "Well, mostly.", 3.5)]


def test_srt_with_windows_line_endings_and_bom():
    data = "\ufeff1\r\n00:00:01,000 --> 00:00:02,000\r\nSam: Hi.\r\n\r\n".encode("utf-8")
    assert [t.speaker for t in parse_srt(data, OPTIONS)] == ["Sam"]


@pytest.mark.parametrize("data, message", [
    (b"", "empty"),
    (b"WEBVTT\n", "empty|no WebVTT cues"),
    (b"WEBVTT\n\nNOTE only a note\n", "no WebVTT cues"),
    (b"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<i></i>\n", "no words"),
])
def test_broken_vtt(data, message):
    with pytest.raises(InputFileError, match=message):
        parse_vtt(data, OPTIONS)


def test_vtt_header_only_is_no_cues():
    with pytest.raises(InputFileError, match="no WebVTT cues"):
        parse_vtt(b"WEBVTT - empty export\n\n", OPTIONS)


def test_start_is_seconds():
    turn = parse_vtt(b"WEBVTT\n\n01:02:03.500 --> 01:02:04.000\n<v Sam>Hi\n", OPTIONS)[0]
    assert turn.start == 3723.5 and not math.isnan(turn.start)


ZOOM_DEVICE = b"""WEBVTT

1
00:00:01.000 --> 00:00:02.000
helen (Host): How did it go?

2
00:00:02.000 --> 00:00:04.000
iPhone: Housing First: it works.

3
00:00:04.000 --> 00:00:05.000
helen (Host): Why?

4
00:00:05.000 --> 00:00:06.000
iPhone: People stay.
"""


def test_zoom_display_names_that_break_the_label_rules():
    assert [(t.speaker, t.text) for t in parse_vtt(ZOOM_DEVICE, OPTIONS)] == [
        ("helen", "How did it go?"), ("iPhone", "Housing First: it works."), ("helen", "Why?"),
        ("iPhone", "People stay.")]


def test_voice_names_are_taken_as_written():
    data = "WEBVTT\n\n00:01.000 --> 00:02.000\n<v sam 🌻>Hi.\n\n00:02.000 --> 00:03.000\n<v Anna>Yo.\n"
    assert [t.speaker for t in parse_vtt(data.encode(), OPTIONS)] == ["sam 🌻", "Anna"]


def test_a_line_holding_a_space_does_not_end_a_cue():
    data = b"WEBVTT\n\n00:01.000 --> 00:02.000\n(Sam)\nWhy?\n \n(Anna)\nBecause.\n"
    assert [(t.speaker, t.text) for t in parse_vtt(data, OPTIONS)] == [("Sam", "Why?"),
                                                                       ("Anna", "Because.")]


def test_caption_speaker_change_marks():
    data = b"1\n00:00:01,000 --> 00:00:02,000\n>> SAM: Why?\n- ANNA: Because.\n"
    assert [(t.speaker, t.text) for t in parse_srt(data, OPTIONS)] == [("SAM", "Why?"),
                                                                       ("ANNA", "Because.")]


def test_events_in_brackets_are_not_speakers():
    data = b"WEBVTT\n\n00:01.000 --> 00:02.000\n<v Sam>Why?\n\n00:02.000 --> 00:03.000\n[Laughter]\n"
    assert [(t.speaker, t.text) for t in parse_vtt(data, OPTIONS)] == [("Sam", "Why?"),
                                                                       ("Sam", "[Laughter]")]


def test_display_names_with_emoji():
    data = ("WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.000\nSam 🌻: Why?\n\n2\n00:00:02.000 --> "
            "00:00:03.000\nkim: Because.\n\n3\n00:00:03.000 --> 00:00:04.000\nSam 🌻: Sure?\n\n"
            "4\n00:00:04.000 --> 00:00:05.000\nkim: Yes.\n").encode()
    assert [t.speaker for t in parse_vtt(data, OPTIONS)] == ["Sam 🌻", "kim", "Sam 🌻", "kim"]


def test_captions_that_name_no_speaker_are_one_unnamed_speakers_words(caplog):
    data = (b"WEBVTT\n\n00:00:01.000 --> 00:00:03.000\nWe changed the rota\nin February.\n\n"
            b"00:00:03.500 --> 00:00:05.000\nThe backlog kept growing.\n")
    with caplog.at_level("WARNING"):
        turns = parse_vtt(data, OPTIONS)
    assert [(t.speaker, t.text, t.start) for t in turns] == [("", "We changed the rota in February.", 1.0),
                                                            ("", "The backlog kept growing.", 3.5)]
    assert "unnamed speaker" in caplog.text and "rota" not in caplog.text
    srt = b"1\n00:00:01,000 --> 00:00:02,000\nNobody named.\n"
    assert [(t.speaker, t.text) for t in parse_srt(srt, OPTIONS)] == [("", "Nobody named.")]


def test_whisperx_bracketed_speaker_ids():
    # WhisperX writes its diarised .srt and .vtt as "[SPEAKER_00]: words".
    srt = (b"1\n00:00:01,000 --> 00:00:03,000\n[SPEAKER_00]: How long have you run the pantry?\n\n"
           b"2\n00:00:03,000 --> 00:00:06,000\n[SPEAKER_01]: Six years, since the mill closed.\n\n"
           b"3\n00:00:06,000 --> 00:00:07,000\n[SPEAKER_00]: And who comes?\n\n"
           b"4\n00:00:07,000 --> 00:00:09,000\n[SPEAKER_01]: Mostly families.\n")
    assert [(t.speaker, t.text) for t in parse_srt(srt, OPTIONS)] == [
        ("SPEAKER_00", "How long have you run the pantry?"), ("SPEAKER_01", "Six years, since the mill closed."),
        ("SPEAKER_00", "And who comes?"), ("SPEAKER_01", "Mostly families.")]
    vtt = b"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n[SPEAKER_03]: Yes.\n\n00:00:02.000 --> 00:00:03.000\n[Music]: la\n"
    assert [(t.speaker, t.text) for t in parse_vtt(vtt, OPTIONS)] == [("SPEAKER_03", "Yes."), ("SPEAKER_03", "[Music]: la")]


CAPTIONED = """WEBVTT

00:00:01.000 --> 00:00:03.000
>> ANNA: Why did the rota change?

00:00:03.000 --> 00:00:05.000
>> BEN: Because the pilot budget ran out.

00:00:05.000 --> 00:00:07.000
>> and then we lost the evening shift

00:00:07.000 --> 00:00:09.000
as well.

00:00:09.000 --> 00:00:11.000
>> ANNA: And after that?
"""


def test_an_unnamed_speaker_change_starts_an_unnamed_speakers_turn(caplog):
    # ">>" says someone else speaks: its words are not ANNA's or BEN's, whoever said them.
    with caplog.at_level("INFO", logger="pipeline.ingest.vtt"):
        turns = parse_vtt(CAPTIONED.encode(), OPTIONS)
    assert triples(turns) == [("ANNA", "Why did the rota change?", 1.0),
                              ("BEN", "Because the pilot budget ran out.", 3.0),
                              ("", "and then we lost the evening shift", 5.0),
                              ("", "as well.", 7.0),  # a cue without a speaker goes on with the unnamed one
                              ("ANNA", "And after that?", 9.0)]
    assert "1 '>>' speaker change(s) name no speaker" in caplog.text
    assert "evening" not in caplog.text and "shift" not in caplog.text  # a count, never the words


def test_a_speaker_change_inside_a_line_or_alone_on_one():
    data = (b"1\n00:00:01,000 --> 00:00:03,000\n>> ANNA: Why did it change? >> BEN: Budget.\n\n"
            b"2\n00:00:03,000 --> 00:00:05,000\nWe cut hours. >> so the queue grew\n\n"
            b"3\n00:00:05,000 --> 00:00:07,000\n>> ANNA: Then?\n>>\nThen we waited.\n")
    assert [(t.speaker, t.text) for t in parse_srt(data, OPTIONS)] == [
        ("ANNA", "Why did it change?"), ("BEN", "Budget."), ("BEN", "We cut hours."),
        ("", "so the queue grew"), ("ANNA", "Then?"), ("", "Then we waited.")]


def test_a_dash_without_a_name_goes_on_with_the_speaker():
    # A dash opens an aside or a list item as often as a change of speaker; with a name it is a change.
    data = b"1\n00:00:01,000 --> 00:00:02,000\n>> ANNA: We cut\n- the late shift\n- ANNA: and more.\n"
    data += b"\n2\n00:00:02,000 --> 00:00:03,000\n>> BEN: Why?\n\n3\n00:00:03,000 --> 00:00:04,000\nBEN: Sure?\n"
    assert [(t.speaker, t.text) for t in parse_srt(data, OPTIONS)] == [
        ("ANNA", "We cut the late shift"), ("ANNA", "and more."), ("BEN", "Why?"), ("BEN", "Sure?")]


def test_unnamed_speaker_changes_in_captions_that_name_nobody_stay_one_unnamed_speaker(caplog):
    data = b"WEBVTT\n\n00:01.000 --> 00:02.000\nWe cut hours.\n\n00:02.000 --> 00:03.000\n>> Why?\n"
    with caplog.at_level("INFO"):
        turns = parse_vtt(data, OPTIONS)
    assert triples(turns) == [("", "We cut hours.", 1.0), ("", "Why?", 2.0)]
    assert "no cue names its speaker" in caplog.text and "name no speaker" not in caplog.text


def test_sbv_captions_read_an_unnamed_speaker_change_alike():
    as_sbv = CAPTIONED.removeprefix("WEBVTT\n\n").replace(" --> ", ",")
    assert triples(parse_sbv(as_sbv.encode(), ParseOptions("talk.sbv"))) == triples(
        parse_vtt(CAPTIONED.encode(), OPTIONS))


def test_the_unnamed_speaker_is_a_participant_tied_to_its_transcript(tmp_path, ingest_config):
    (tmp_path / "housing").mkdir()
    (tmp_path / "housing" / "talk.vtt").write_text(CAPTIONED)
    corpus = read_corpus(tmp_path, ingest_config())
    rows = corpus.turns[["speaker", "role", "text"]].values.tolist()
    assert [row[0] for row in rows][:2] == ["ANNA", "BEN"] and rows[2][0].startswith("unnamed@")
    assert rows[2][1:] == ["participant", "and then we lost the evening shift as well."]


# YouTube's automatic captions roll up: each cue opens with the line the cue before ended with.
ROLL_UP_VTT = """WEBVTT
Kind: captions
Language: en

00:00:00.000 --> 00:00:02.990 align:start position:0%
\x20
we<00:00:00.480><c> had</c><00:00:00.840><c> to</c><00:00:01.200><c> choose</c><00:00:01.500><c> between</c>

00:00:02.990 --> 00:00:03.000 align:start position:0%
we had to choose between
\x20

00:00:03.000 --> 00:00:05.000 align:start position:0%
we had to choose between
cover<00:00:03.300><c> and</c><00:00:03.600><c> rest</c><00:00:03.900><c> so</c><00:00:04.200><c> we</c>

00:00:05.000 --> 00:00:05.010 align:start position:0%
cover and rest so we
\x20

00:00:05.010 --> 00:00:07.000 align:start position:0%
cover and rest so we
decided<00:00:05.300><c> to</c><00:00:05.600><c> share</c><00:00:05.900><c> shifts</c>
"""


def test_roll_up_captions_are_read_once_not_two_or_three_times():
    turns = parse_vtt(ROLL_UP_VTT.encode(), OPTIONS)
    assert " ".join(t.text for t in turns) == "we had to choose between cover and rest so we decided to share shifts"
    assert turns[0].start == 0.0


def test_a_line_said_again_in_the_next_cue_is_kept_where_captions_do_not_roll_up():
    data = (b"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Sam>Why?\n\n00:00:02.000 --> 00:00:03.000\n<v Sam>Why?\n\n"
            b"00:00:03.000 --> 00:00:05.000\n<v Ana>We had to choose.\n\n00:00:05.000 --> 00:00:07.000\n<v Ana>Cost.\n")
    assert [(t.speaker, t.text) for t in parse_vtt(data, OPTIONS)] == [
        ("Sam", "Why?"), ("Sam", "Why?"), ("Ana", "We had to choose."), ("Ana", "Cost.")]

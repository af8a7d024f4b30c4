"""The JSON of speech-to-text services that write their speakers beside their words (`asr_json`).

Each fixture is a small synthetic document in the shape the service writes:
a consultant's question and an interviewee's answer, so that a file read as
one turn (every speaker merged, the question quoted as the answer) or not
read at all shows.
"""
import json

import pytest

from pipeline.ingest.records import ParseOptions
from pipeline.ingest.rows import parse_json

OPTIONS = ParseOptions("fixture.json")
QUESTION = "Why did the team change the rota?"
ANSWER = "We had to choose between cover and rest, so we decided to share the late shifts."


def _read(document) -> list[tuple[str, str]]:
    """(speaker, text) of each turn, consecutive segments of one speaker merged as `assemble` merges them."""
    turns: list[list[str]] = []
    for turn in parse_json(json.dumps(document).encode(), OPTIONS):
        if turns and turns[-1][0] == turn.speaker and turn.row is None:
            turns[-1][1] = f"{turns[-1][1]} {turn.text}"
        else:
            turns.append([turn.speaker, turn.text])
    return [(speaker, text) for speaker, text in turns]


def _words(text: str, start: float) -> list[tuple[str, float, float]]:
    return [(word, round(start + 0.3 * n, 2), round(start + 0.3 * n + 0.25, 2)) for n, word in enumerate(text.split())]


def _aws_items(speaker: str | None, text: str, start: float) -> list[dict]:
    items = []
    for word, begin, end in _words(text, start):
        core = word.rstrip(".,?")
        item = {"type": "pronunciation", "start_time": f"{begin:.2f}", "end_time": f"{end:.2f}",
                "alternatives": [{"confidence": "0.99", "content": core}]}
        items.append({**item, "speaker_label": speaker} if speaker else item)
        if core != word:
            mark = {"type": "punctuation", "alternatives": [{"confidence": "0.0", "content": word[len(core):]}]}
            items.append({**mark, "speaker_label": speaker} if speaker else mark)
    return items


def _aws(items: list[dict], **results) -> dict:
    return {"jobName": "interview", "accountId": "111122223333", "status": "COMPLETED",
            "results": {"transcripts": [{"transcript": f"{QUESTION} {ANSWER}"}], "items": items, **results}}


def test_amazon_transcribe_is_read_word_by_word_with_each_words_speaker_not_as_its_whole_transcript():
    document = _aws(_aws_items("spk_0", QUESTION, 0.5) + _aws_items("spk_1", ANSWER, 4.0),
                    speaker_labels={"speakers": 2, "segments": []})
    assert _read(document) == [("spk_0", QUESTION), ("spk_1", ANSWER)]
    assert parse_json(json.dumps(document).encode(), OPTIONS)[1].start == 4.0


def test_amazon_transcribe_without_a_speaker_on_its_items_takes_it_from_the_speaker_segments():
    question, answer = _aws_items(None, QUESTION, 0.5), _aws_items(None, ANSWER, 4.0)
    segments = [{"speaker_label": label, "start_time": timed[0]["start_time"], "end_time": timed[-1].get("end_time"),
                 "items": [{"start_time": item["start_time"], "speaker_label": label}
                           for item in timed if "start_time" in item]}
                for label, timed in (("spk_0", question), ("spk_1", answer))]
    document = _aws(question + answer, speaker_labels={"speakers": 2, "segments": segments})
    assert _read(document) == [("spk_0", QUESTION), ("spk_1", ANSWER)]


def test_amazon_transcribe_channels_are_each_a_speaker_in_time_order():
    channels = [{"channel_label": "ch_0", "items": _aws_items(None, QUESTION, 0.5)},
                {"channel_label": "ch_1", "items": _aws_items(None, ANSWER, 4.0)}]
    document = _aws(channels[1]["items"] + channels[0]["items"], channel_labels={"channels": channels,
                                                                                 "number_of_channels": 2})
    assert _read(document) == [("0", QUESTION), ("1", ANSWER)]


def _deepgram(alternative: dict, channels: int = 1, **results) -> dict:
    return {"metadata": {"request_id": "r1", "duration": 12.0, "channels": channels},
            "results": {"channels": [{"alternatives": [alternative]}] * channels, **results}}


def test_deepgram_paragraphs_are_read_by_speaker_not_the_channels_whole_transcript():
    paragraphs = [{"speaker": 0, "start": 0.5, "end": 3.0, "num_words": 7,
                   "sentences": [{"text": QUESTION, "start": 0.5, "end": 3.0}]},
                  {"speaker": 1, "start": 4.0, "end": 9.0, "num_words": 15,
                   "sentences": [{"text": "We had to choose between cover and rest,", "start": 4.0, "end": 6.0},
                                 {"text": "so we decided to share the late shifts.", "start": 6.0, "end": 9.0}]}]
    alternative = {"transcript": f"{QUESTION} {ANSWER}", "confidence": 0.99, "words": [],
                   "paragraphs": {"transcript": "Speaker 0: ...", "paragraphs": paragraphs}}
    assert _read(_deepgram(alternative)) == [("0", QUESTION), ("1", ANSWER)]


def test_deepgram_words_with_speakers_are_read_by_speaker_without_paragraphs():
    words = [{"word": w.lower().strip("?,."), "punctuated_word": w, "start": b, "end": e, "speaker": speaker}
             for speaker, text, start in ((0, QUESTION, 0.5), (1, ANSWER, 4.0)) for w, b, e in _words(text, start)]
    alternative = {"transcript": f"{QUESTION} {ANSWER}".lower(), "confidence": 0.99, "words": words}
    assert _read(_deepgram(alternative)) == [("0", QUESTION), ("1", ANSWER)]


def test_deepgram_two_channels_without_diarisation_are_two_speakers_in_time_order():
    def channel(text: str, start: float) -> dict:
        words = [{"word": w, "punctuated_word": w, "start": b, "end": e} for w, b, e in _words(text, start)]
        return {"alternatives": [{"transcript": text, "confidence": 0.9, "words": words}]}
    document = {"metadata": {"channels": 2}, "results": {"channels": [channel(ANSWER, 4.0), channel(QUESTION, 0.5)]}}
    assert _read(document) == [("1", QUESTION), ("0", ANSWER)]


def test_google_speech_diarised_words_of_the_last_result_are_read_by_speaker_tag():
    words = [{"startTime": f"{b}s", "endTime": f"{e}s", "word": w, "speakerTag": tag}
             for tag, text, start in ((1, QUESTION, 0.5), (2, ANSWER, 4.0)) for w, b, e in _words(text, start)]
    document = {"results": [{"alternatives": [{"transcript": QUESTION, "confidence": 0.9}], "resultEndTime": "3s"},
                            {"alternatives": [{"transcript": ANSWER, "confidence": 0.9}], "resultEndTime": "9s"},
                            {"alternatives": [{"words": words}], "resultEndTime": "9s"}],
                "totalBilledTime": "15s"}
    assert _read(document) == [("1", QUESTION), ("2", ANSWER)]
    assert parse_json(json.dumps(document).encode(), OPTIONS)[1].start == 4.0


def test_google_speech_without_diarisation_reads_every_result_not_the_first_alone():
    document = {"name": "op1", "done": True, "response": {
        "@type": "type.googleapis.com/google.cloud.speech.v1.LongRunningRecognizeResponse",
        "results": [{"alternatives": [{"transcript": QUESTION, "confidence": 0.9}], "resultEndTime": "3.2s"},
                    {"alternatives": [{"transcript": ANSWER, "confidence": 0.9}], "resultEndTime": "9.1s"}]}}
    assert _read(document) == [("", f"{QUESTION} {ANSWER}")]


def _phrase(speaker: int, text: str, seconds: float, status: str = "Success", channel: int = 0) -> dict:
    return {"recognitionStatus": status, "channel": channel, "speaker": speaker, "offset": f"PT{seconds}S",
            "duration": "PT2S", "offsetInTicks": seconds * 1e7, "durationInTicks": 2e7,
            "nBest": [{"confidence": 0.9, "lexical": text.lower(), "itn": text.lower(), "maskedITN": text.lower(),
                       "display": text}]}


def test_azure_batch_transcription_is_read_by_speaker_in_time_order_not_skipped():
    document = {"source": "https://example.org/a.wav", "timestamp": "2024-03-04T10:00:00Z",
                "durationInTicks": 9e7, "duration": "PT9S",
                "combinedRecognizedPhrases": [{"channel": 0, "display": f"{QUESTION} {ANSWER}"}],
                "recognizedPhrases": [_phrase(2, ANSWER, 4.0), _phrase(1, QUESTION, 0.5),
                                      _phrase(2, "", 8.0, status="NoMatch")]}
    turns = parse_json(json.dumps(document).encode(), OPTIONS)
    assert [(t.speaker, t.text, t.start) for t in turns] == [("1", QUESTION, 0.5), ("2", ANSWER, 4.0)]


def test_assemblyai_utterances_are_timed_in_seconds_not_milliseconds():
    document = {"id": "t1", "status": "completed", "audio_url": "https://example.org/a.mp3", "audio_duration": 9,
                "text": f"{QUESTION} {ANSWER}",
                "utterances": [{"speaker": "A", "text": QUESTION, "start": 500, "end": 3000, "words": []},
                               {"speaker": "B", "text": ANSWER, "start": 4000, "end": 9000, "words": []}]}
    turns = parse_json(json.dumps(document).encode(), OPTIONS)
    assert [(t.speaker, t.start) for t in turns] == [("A", 0.5), ("B", 4.0)]


@pytest.mark.parametrize("document", [
    {"results": [{"alternatives": [{"transcript": "Hello."}]}, {"note": "not a result"}]},  # not Google's
    {"results": {"transcripts": "all of it"}},  # not Amazon's
    {"recognizedPhrases": []},
])
def test_other_documents_are_left_to_the_list_of_turns(document):
    from pipeline.ingest.asr_json import service_rows
    assert service_rows(document) is None


def test_speechmatics_words_are_read_by_speaker_not_as_the_first_words_alternatives():
    def results(speaker: str, text: str, start: float) -> list[dict]:
        out = []
        for word, begin, end in _words(text, start):
            core = word.rstrip(".,?")
            out.append({"type": "word", "start_time": begin, "end_time": end,
                        "alternatives": [{"content": core, "confidence": 0.99, "language": "en", "speaker": speaker}]})
            if core != word:
                out.append({"type": "punctuation", "attaches_to": "previous", "start_time": end, "end_time": end,
                            "alternatives": [{"content": word[len(core):], "speaker": speaker}]})
        return out
    document = {"format": "2.9", "job": {"id": "j1", "duration": 12}, "metadata": {"type": "transcription"},
                "results": results("S1", QUESTION, 0.5) + results("S2", ANSWER, 4.0) + results("UU", "Mm.", 9.5)}
    assert _read(document) == [("S1", QUESTION), ("S2", ANSWER), ("", "Mm.")]


def test_watson_words_take_their_speaker_from_the_speaker_labels():
    def result(text: str, start: float) -> dict:
        stamps = [[word, begin, end] for word, begin, end in _words(text, start)]
        return {"final": True, "alternatives": [{"transcript": text + " ", "confidence": 0.9, "timestamps": stamps}]}
    labels = [{"from": begin, "to": end, "speaker": speaker, "confidence": 0.6, "final": False}
              for speaker, text, start in ((0, QUESTION, 0.5), (1, ANSWER, 4.0)) for _, begin, end in _words(text, start)]
    document = {"result_index": 0, "results": [result(QUESTION, 0.5), result(ANSWER, 4.0)], "speaker_labels": labels}
    assert _read(document) == [("0", QUESTION), ("1", ANSWER)]


def test_whisper_cpp_segments_are_timed_by_their_offsets_and_merged():
    document = {"systeminfo": "AVX = 1", "model": {"type": "base"}, "result": {"language": "en"}, "transcription": [
        {"timestamps": {"from": "00:00:00,500", "to": "00:00:03,000"}, "offsets": {"from": 500, "to": 3000},
         "text": " We had to choose between cover and rest,"},
        {"timestamps": {"from": "00:00:03,000", "to": "00:00:06,000"}, "offsets": {"from": 3000, "to": 6000},
         "text": " so we decided to share the late shifts."}]}
    turns = parse_json(json.dumps(document).encode(), OPTIONS)
    assert [(t.start, t.row) for t in turns] == [(0.5, None), (3.0, None)]
    assert _read(document) == [("", ANSWER)]

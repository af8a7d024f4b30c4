"""The JSON of speech-to-text services whose turns are not a list of objects with a text key.

`rows.turn_list` reads a transcript export that lists its turns (Whisper's
``segments``, AssemblyAI's ``utterances``, WhisperX's, Deepgram's
``results.utterances``). Four services write their speakers elsewhere, and
read that way they fail without a word: the list it finds is the whole
transcript in one string, so every speaker is merged into one and the
consultant's questions are quoted as the interviewee's; or it is the first
word's list of alternatives, so one word is read and the next file, opening
with the same word, is skipped as its copy; or it finds none and the file is
skipped. Each is read here as the service writes it:

- Amazon Transcribe: ``results.items``, one per word or punctuation mark, each
  with its ``speaker_label`` (``spk_0``; else the speaker of its time in
  ``results.speaker_labels.segments``), or, with channel identification, the
  items of each of ``results.channel_labels.channels``; not
  ``results.transcripts``, the whole text without speakers.
- Deepgram without ``utterances``: each channel's top alternative, its
  ``paragraphs.paragraphs`` (each a ``speaker`` and its ``sentences``), else
  its ``words`` with a ``speaker``, else its ``transcript``; not the
  alternative's ``transcript`` alone where speakers are told apart.
- Google Speech-to-Text: ``results``, each a stretch of speech whose top
  alternative holds its ``transcript``; with diarisation the last result holds
  every word with its ``speakerTag`` (``speakerLabel`` in v2), and those are
  read instead; a long-running operation's ``response.results`` alike.
- Azure batch transcription: ``recognizedPhrases``, each a ``speaker`` (or a
  ``channel``), an ``offsetInTicks`` and the ``display`` text of its first of
  ``nBest``; not ``combinedRecognizedPhrases``, the whole text again.
- Speechmatics: ``results``, one per word or punctuation mark, the speaker
  (``S1``; ``UU`` for none) in its first alternative, or its ``channel``.
- IBM Watson: ``results`` whose words are timed in ``timestamps``, each word's
  speaker found by its start in the top-level ``speaker_labels``.
- whisper.cpp (``-oj``): ``transcription`` segments, timed by ``offsets`` in
  milliseconds; read by `turn_list` they had no times, and were never merged.

And AssemblyAI, read by `turn_list` too, times its utterances in
milliseconds: its ``utterances`` are read here with their times in seconds.

Each reader returns rows as `rows` reads them (``speaker``, ``text``,
``start``, ``end``): runs of one speaker's words are joined here into one row,
and the rows, timed with a start and an end, are a tool's segments, which
`assemble` merges where one speaker goes on. Where channels and no speakers
are told apart (a phone call recorded on two channels), the channel's number
is the speaker. A service's speaker labels (``spk_0``, ``1``, ``A``) are slots,
tied to their transcript by `speakers`.
"""
from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

Row = dict[str, Any]
# One word as a service times it: who says it, the word, its start and end (None where untimed), and
# whether it is a punctuation mark, written without a space before it.
_Word = tuple[Any, str, float | None, float | None, bool]


def service_rows(document: Any) -> list[Row] | None:
    """Rows of a speech-to-text service's JSON that `rows.turn_list` would misread, or None for any other.

    Examples
    --------
    >>> aws = {"results": {"transcripts": [{"transcript": "Why? Cost."}], "items": [
    ...     {"type": "pronunciation", "start_time": "0.1", "end_time": "0.4", "speaker_label": "spk_0",
    ...      "alternatives": [{"content": "Why"}]},
    ...     {"type": "punctuation", "speaker_label": "spk_0", "alternatives": [{"content": "?"}]},
    ...     {"type": "pronunciation", "start_time": "0.9", "end_time": "1.2", "speaker_label": "spk_1",
    ...      "alternatives": [{"content": "Cost"}]}]}}
    >>> [(row["speaker"], row["text"]) for row in service_rows(aws)]
    [('spk_0', 'Why?'), ('spk_1', 'Cost')]
    >>> service_rows({"segments": [{"text": "We agreed."}]}) is None
    True
    """
    if not isinstance(document, dict):
        return None
    for reader in (_aws, _deepgram, _speechmatics, _watson, _google, _azure, _assemblyai, _whisper_cpp):
        rows = reader(document)
        if rows is not None:
            return rows
    return None


def _aws(document: Mapping[str, Any]) -> list[Row] | None:
    """Amazon Transcribe's job output: ``results.items`` with their speakers, or each channel's items."""
    results = document.get("results")
    if not isinstance(results, dict) or not isinstance(results.get("transcripts"), list):
        return None
    channels = _dig(results, "channel_labels", "channels")
    if isinstance(channels, list) and len(channels) > 1 and not _aws_speakers(results.get("items")):
        # Channel identification: each channel is one voice (a call's two sides); its number is the speaker.
        words = [word for number, channel in enumerate(channels) if isinstance(channel, dict)
                 for word in _aws_words(channel.get("items"), {}, default=str(number))]
        return _runs(sorted(words, key=_start_key)) or None
    items = results.get("items")
    if not isinstance(items, list) or not items:
        return None
    # Older outputs name the speaker only in speaker_labels.segments, by each word's start time.
    by_time = {str(item.get("start_time")): item.get("speaker_label")
               for segment in _list(_dig(results, "speaker_labels", "segments"))
               for item in _list(segment.get("items") if isinstance(segment, dict) else None)
               if isinstance(item, dict)}
    return _runs(_aws_words(items, by_time)) or None


def _aws_speakers(items: Any) -> bool:
    return any(isinstance(item, dict) and item.get("speaker_label") for item in _list(items))


def _aws_words(items: Any, by_time: Mapping[str, Any], default: Any = None) -> list[_Word]:
    words: list[_Word] = []
    for item in _list(items):
        if not isinstance(item, dict):
            continue
        alternatives = _list(item.get("alternatives"))
        content = alternatives[0].get("content") if alternatives and isinstance(alternatives[0], dict) else None
        if not isinstance(content, str) or not content.strip():
            continue
        punctuation = item.get("type") == "punctuation"
        speaker = item.get("speaker_label") or by_time.get(str(item.get("start_time")))
        start, end = _seconds(item.get("start_time")), _seconds(item.get("end_time"))
        if punctuation and words:
            # A punctuation mark has no time and often no speaker: it belongs to the word before it, and keeps
            # its place after it when two channels' words are put in time order.
            speaker = words[-1][0] if speaker is None else speaker
            start, end = (words[-1][2], words[-1][3]) if start is None else (start, end)
        words.append((default if speaker is None else speaker, content.strip(), start, end, punctuation))
    return words


def _deepgram(document: Mapping[str, Any]) -> list[Row] | None:
    """Deepgram's response: its utterances, else each channel's paragraphs, words or transcript."""
    results = document.get("results")
    channels = results.get("channels") if isinstance(results, dict) else None
    if not isinstance(channels, list) or not channels:
        return None
    several = len(channels) > 1
    utterances = results.get("utterances")
    if isinstance(utterances, list) and utterances:
        # On a call recorded on two channels, without diarisation, the channel is who speaks.
        return [{"speaker": _first(item.get("speaker"), item.get("channel") if several else None),
                 "text": str(item.get("transcript") or ""), "start": item.get("start"), "end": item.get("end")}
                for item in utterances if isinstance(item, dict)] or None
    rows: list[Row] = []
    for number, channel in enumerate(channels):
        alternatives = _list(channel.get("alternatives") if isinstance(channel, dict) else None)
        if not alternatives or not isinstance(alternatives[0], dict):
            continue
        best = alternatives[0]
        voice = str(number) if several else None
        paragraphs = _list(_dig(best, "paragraphs", "paragraphs"))
        words = [word for word in _list(best.get("words")) if isinstance(word, dict)]
        if paragraphs:
            rows += [{"speaker": _first(paragraph.get("speaker"), voice),
                      "text": " ".join(str(sentence.get("text", "")).strip()
                                       for sentence in _list(paragraph.get("sentences")) if isinstance(sentence, dict)),
                      "start": paragraph.get("start"), "end": paragraph.get("end")}
                     for paragraph in paragraphs if isinstance(paragraph, dict)]
        elif words and (several or any(word.get("speaker") is not None for word in words)):
            rows += _runs([(_first(word.get("speaker"), voice),
                            str(word.get("punctuated_word") or word.get("word") or ""),
                            _seconds(word.get("start")), _seconds(word.get("end")), False) for word in words])
        elif isinstance(best.get("transcript"), str):
            start, end = (words[0].get("start"), words[-1].get("end")) if words else (None, None)
            rows.append({"speaker": voice, "text": best["transcript"], "start": start, "end": end})
    if several:
        rows.sort(key=lambda row: _start_key((None, "", _seconds(row.get("start")), None, False)))
    return rows or None


# Speechmatics' label for a word it could not give to any speaker.
_SPEECHMATICS_UNKNOWN = "UU"


def _speechmatics(document: Mapping[str, Any]) -> list[Row] | None:
    """Speechmatics' JSON: ``results``, one per word or punctuation mark, each its speaker (``S1``) or channel."""
    results = document.get("results")
    if not isinstance(results, list) or not results or not all(
            isinstance(result, dict) and result.get("type") in ("word", "punctuation", "entity")
            and isinstance(result.get("alternatives"), list) for result in results):
        return None
    words: list[_Word] = []
    for result in results:
        best = next((a for a in result["alternatives"] if isinstance(a, dict)), {})
        content = best.get("content")
        if result["type"] == "entity" or not isinstance(content, str) or not content.strip():
            continue  # an entity repeats the words it spans, which are results of their own
        speaker = best.get("speaker") or result.get("channel")
        punctuation = result["type"] == "punctuation" and result.get("attaches_to", "previous") == "previous"
        words.append((None if speaker == _SPEECHMATICS_UNKNOWN else speaker, content.strip(),
                      _seconds(result.get("start_time")), _seconds(result.get("end_time")), punctuation))
    return _runs(words) or None


def _watson(document: Mapping[str, Any]) -> list[Row] | None:
    """IBM Watson's response: ``results`` whose words are timed in ``timestamps``, their speakers in the
    top-level ``speaker_labels`` (each a word's ``from`` time and its ``speaker``)."""
    results = document.get("results")
    if not isinstance(results, list) or not results or not any(
            isinstance(alternative, dict) and isinstance(alternative.get("timestamps"), list)
            for result in results if isinstance(result, dict) for alternative in _list(result.get("alternatives"))):
        return None
    speakers = {_seconds(label.get("from")): label.get("speaker")
                for label in _list(document.get("speaker_labels")) if isinstance(label, dict)}
    words: list[_Word] = []
    for result in results:
        alternatives = _list(result.get("alternatives") if isinstance(result, dict) else None)
        best = alternatives[0] if alternatives and isinstance(alternatives[0], dict) else {}
        for stamp in _list(best.get("timestamps")):
            if isinstance(stamp, list) and len(stamp) == 3 and isinstance(stamp[0], str):
                start = _seconds(stamp[1])
                words.append((speakers.get(start), stamp[0], start, _seconds(stamp[2]), False))
    return _runs(words) or None


def _whisper_cpp(document: Mapping[str, Any]) -> list[Row] | None:
    """whisper.cpp's ``-oj`` output: ``transcription`` segments timed by ``offsets`` in milliseconds."""
    segments = document.get("transcription")
    if not isinstance(segments, list) or not segments or not all(
            isinstance(segment, dict) and isinstance(segment.get("offsets"), dict) for segment in segments):
        return None
    return [{"speaker": None, "text": str(segment.get("text") or ""),
             "start": _milliseconds(segment["offsets"].get("from")), "end": _milliseconds(segment["offsets"].get("to"))}
            for segment in segments]


def _google(document: Mapping[str, Any]) -> list[Row] | None:
    """Google Speech-to-Text's response (or a long-running operation's): its results, by speaker if diarised."""
    response = document.get("response") if isinstance(document.get("response"), dict) else document
    results = response.get("results")
    if not isinstance(results, list) or not results or not all(
            isinstance(result, dict) and isinstance(result.get("alternatives"), list) for result in results):
        return None
    best = [result["alternatives"][0] if result["alternatives"] and isinstance(result["alternatives"][0], dict)
            else {} for result in results]
    # Diarised: the last result repeats every word of the audio with its speaker; the others have none.
    tagged = max(best, key=lambda alternative: sum(_google_speaker(word) is not None
                                                  for word in _list(alternative.get("words"))))
    if any(_google_speaker(word) is not None for word in _list(tagged.get("words"))):
        return _runs([(_google_speaker(word), str(word.get("word", "")), _seconds(_offset(word, "start")),
                       _seconds(_offset(word, "end")), False)
                      for word in _list(tagged.get("words")) if isinstance(word, dict)]) or None
    if not any(isinstance(alternative.get("transcript"), str) for alternative in best):
        return None
    channels = {result.get("channelTag") for result in results} - {None}
    rows = []
    ended: dict[Any, float] = {}  # where each channel's last result ended: the next one starts there
    for result, alternative in zip(results, best):
        words = [word for word in _list(alternative.get("words")) if isinstance(word, dict)]
        channel = result.get("channelTag")
        start = _seconds(_offset(words[0], "start")) if words else ended.get(channel, 0.0)
        end = _seconds(result.get("resultEndTime") or result.get("resultEndOffset"))
        ended[channel] = end if end is not None else ended.get(channel, 0.0)
        rows.append({"speaker": channel if len(channels) > 1 else None,
                     "text": str(alternative.get("transcript") or ""), "start": start, "end": end})
    if len(channels) > 1:
        rows.sort(key=lambda row: row["start"])
    return rows


def _google_speaker(word: Any) -> Any:
    if not isinstance(word, dict):
        return None
    return _first(word.get("speakerLabel") or None, word.get("speakerTag") or None)


def _offset(word: Mapping[str, Any], edge: str) -> Any:
    """A Google word's start or end: ``startTime`` in v1, ``startOffset`` in v2."""
    return _first(word.get(f"{edge}Time"), word.get(f"{edge}Offset"))


def _azure(document: Mapping[str, Any]) -> list[Row] | None:
    """Azure's batch transcription result: ``recognizedPhrases``, each its speaker's (or channel's) best text."""
    phrases = document.get("recognizedPhrases")
    if not isinstance(phrases, list) or not phrases:
        return None
    phrases = [phrase for phrase in phrases if isinstance(phrase, dict)]
    several = len({phrase.get("channel") for phrase in phrases} - {None}) > 1
    rows = []
    for phrase in phrases:
        if str(phrase.get("recognitionStatus", "Success")).casefold() != "success":
            continue  # "NoMatch" and the like: nothing recognised
        best = next((n for n in _list(phrase.get("nBest")) if isinstance(n, dict)), {})
        text = _first(best.get("display") or None, best.get("itn") or None, best.get("lexical") or None)
        start = _ticks(phrase.get("offsetInTicks"))
        duration = _ticks(phrase.get("durationInTicks"))
        rows.append({"speaker": _first(phrase.get("speaker"), phrase.get("channel") if several else None),
                     "text": str(text or ""), "start": start,
                     "end": None if start is None or duration is None else start + duration})
    # The phrases of two channels come one channel after the other: in time order, the call is read as it went.
    rows.sort(key=lambda row: math.inf if row["start"] is None else row["start"])
    return rows or None


def _assemblyai(document: Mapping[str, Any]) -> list[Row] | None:
    """AssemblyAI's transcript: its ``utterances``, timed in milliseconds, with their times in seconds."""
    utterances = document.get("utterances")
    if not isinstance(utterances, list) or not utterances or not (
            "audio_url" in document or "audio_duration" in document):
        return None
    return [{"speaker": item.get("speaker"), "text": str(item.get("text") or ""),
             "start": _milliseconds(item.get("start")), "end": _milliseconds(item.get("end"))}
            for item in utterances if isinstance(item, dict)] or None


def _runs(words: Iterable[_Word]) -> list[Row]:
    """Rows of consecutive words of one speaker, each word after a space, a punctuation mark without."""
    rows: list[Row] = []
    for speaker, word, start, end, punctuation in words:
        if not word:
            continue
        if rows and rows[-1]["speaker"] == speaker:
            row = rows[-1]
            row["text"] = f"{row['text']}{word}" if punctuation else f"{row['text']} {word}"
            row["end"] = end if end is not None else row["end"]
        else:
            rows.append({"speaker": speaker, "text": word, "start": start, "end": end})
    return rows


def _start_key(word: _Word) -> float:
    return math.inf if word[2] is None else word[2]


def _seconds(value: Any) -> float | None:
    """Seconds from a number or a string of one (``"4.87"``, Google's ``"1.400s"``); None when neither."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return float(value) if math.isfinite(value) else None
    text = str(value).strip().removesuffix("s")
    try:
        number = float(text)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _ticks(value: Any) -> float | None:
    """Seconds from Azure's ticks (ten million to the second)."""
    number = _seconds(value)
    return None if number is None else number / 10_000_000


def _milliseconds(value: Any) -> float | None:
    number = _seconds(value)
    return None if number is None else number / 1000


def _first(*values: Any) -> Any:
    """The first value that is not None (0 is a speaker: Deepgram's first)."""
    return next((value for value in values if value is not None), None)


def _dig(node: Any, *keys: str) -> Any:
    for key in keys:
        node = node.get(key) if isinstance(node, dict) else None
    return node


def _list(value: Any) -> list:
    return value if isinstance(value, list) else []

"""WebVTT (.vtt) and SubRip (.srt) subtitle transcripts.

One small block parser serves both, rather than webvtt-py: webvtt-py rejects
a file without the ``WEBVTT`` line and silently drops a cue whose timing line
it dislikes, while we want to read what Teams and Zoom actually write and to
say why when there is nothing to read. Understood:

- cue identifiers (Teams' ``3f2a.../12-0``, SRT's numbers), settings after
  the timing (``align:start``), ``NOTE``, ``STYLE`` and ``REGION`` blocks;
- the speaker as a voice tag ``<v Anna Smith>`` (with or without ``</v>``,
  several per cue), or as Zoom's ``Anna Smith: words`` at the start of a line;
- other tags (``<c>``, ``<i>``, ``<font>``, inline ``<00:00:01.000>``) and
  HTML entities are removed.

A cue without a speaker continues the previous speaker, as a wrapped line
does in a text transcript. Cues of one speaker are merged into a turn later,
in `assemble`; the turn keeps the first cue's start.
"""
from __future__ import annotations

import html
import logging
import re

from pipeline.errors import InputFileError

from .encoding import decode_text
from .labels import normalise_name, split_speaker_line
from .records import ParsedTurn, ParseOptions
from .timecode import TIMECODE, parse_timecode

logger = logging.getLogger(__name__)

_BLOCK_SPLIT = re.compile(r"\n[ \t]*\n")
_TIMING = re.compile(rf"^\s*(?P<start>{TIMECODE})\s*-->\s*(?P<end>{TIMECODE})")
_NON_CUE_BLOCK = re.compile(r"^(?:WEBVTT|NOTE|STYLE|REGION)(?:[ \t]|$)")
_VOICE = re.compile(r"<v(?:\.[^\s>]*)?(?:[ \t]+(?P<name>[^>]*))?>", re.IGNORECASE)
_TAG = re.compile(r"</?[A-Za-z][^<>]*>|<\d[\d:.]*>|</v>")
_DIALOGUE_DASH = re.compile(r"^[-–]\s*")

NO_SPEAKER_HINT = ("name the speaker in each cue, as a voice tag '<v Name>' or as "
                   "'Name: ' at the start of the text")


def parse_vtt(data: bytes, options: ParseOptions) -> list[ParsedTurn]:
    """Turns of a WebVTT file; raises `InputFileError` if it has no cues or no speakers."""
    return _parse_subtitles(data, options, "WebVTT", "00:00:01.000 --> 00:00:04.000")


def parse_srt(data: bytes, options: ParseOptions) -> list[ParsedTurn]:
    """Turns of a SubRip file; raises `InputFileError` if it has no cues or no speakers.

    Examples
    --------
    >>> srt = b"1\\n00:00:01,000 --> 00:00:02,000\\nAnna: Hello.\\n"
    >>> [(t.speaker, t.text, t.start) for t in parse_srt(srt, ParseOptions("a.srt"))]
    [('Anna', 'Hello.', 1.0)]
    """
    return _parse_subtitles(data, options, "SubRip", "00:00:01,000 --> 00:00:04,000")


def _parse_subtitles(data: bytes, options: ParseOptions, kind: str,
                     example: str) -> list[ParsedTurn]:
    text = decode_text(data, options.name, options.fallback_encoding)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    turns: list[ParsedTurn] = []
    speaker: str | None = None
    n_cues = unattributed = 0
    for block in _BLOCK_SPLIT.split(text.strip("\n")):
        cue = _split_cue(block)
        if cue is None:
            continue
        start, payload = cue
        n_cues += 1
        for name, words in _speaker_segments(payload, options.known_speakers):
            speaker = name or speaker
            if speaker is None:
                unattributed += 1  # before the first named speaker: nobody to give it to
                continue
            turns.append(ParsedTurn(speaker, words, start))
    if n_cues == 0:
        raise InputFileError(f"no {kind} cues found",
                             f"a cue needs a timing line such as '{example}'", path=options.name)
    if not turns:
        raise InputFileError(f"no speaker names found in the {n_cues} cue(s)", NO_SPEAKER_HINT,
                             path=options.name)
    if unattributed:
        logger.info("%s: %d cue text(s) before the first named speaker ignored",
                    options.name, unattributed)
    return turns


def _split_cue(block: str) -> tuple[float, str] | None:
    """(start seconds, payload) of a cue block, or None for headers, notes and debris."""
    lines = block.split("\n")
    if _NON_CUE_BLOCK.match(lines[0]) and not any("-->" in line for line in lines):
        return None
    for index, line in enumerate(lines):
        # The timing line comes first, after an identifier, or after the
        # header's metadata when a tool wrote no blank line after "WEBVTT".
        timing = _TIMING.match(line)
        if timing:
            return parse_timecode(timing.group("start")), "\n".join(lines[index + 1:])
    return None


def _speaker_segments(payload: str, known: frozenset[str]) -> list[tuple[str | None, str]]:
    """Split a cue's text into (speaker or None, words) at voice tags and ``Name:`` prefixes."""
    pieces: list[tuple[str | None, str]] = []
    position, voice = 0, None
    for match in _VOICE.finditer(payload):
        pieces.append((voice, payload[position:match.start()]))
        voice = normalise_name(html.unescape(match.group("name") or "")) or None
        position = match.end()
    pieces.append((voice, payload[position:]))

    segments: list[tuple[str | None, str]] = []
    for name, raw in pieces:
        for line in html.unescape(_TAG.sub("", raw)).split("\n"):
            line = _DIALOGUE_DASH.sub("", line.strip())
            if not line:
                continue
            split = split_speaker_line(line, known) if name is None else None
            if split:
                segments.append((split[0], split[1]))
            elif segments and (name is None or segments[-1][0] == name):
                # A further line of the same cue: same speaker as the line above.
                segments[-1] = (segments[-1][0], f"{segments[-1][1]} {line}".strip())
            else:
                segments.append((name, line))
    return segments

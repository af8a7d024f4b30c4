"""WebVTT (.vtt) and SubRip (.srt) subtitle transcripts.

One small block parser serves both, rather than webvtt-py: webvtt-py rejects
a file without the ``WEBVTT`` line and silently drops a cue whose timing line
it dislikes, while we want to read what Teams and Zoom actually write and to
say why when there is nothing to read. Understood:

- cue identifiers (Teams' ``3f2a.../12-0``, SRT's numbers), settings after
  the timing (``align:start``), ``NOTE``, ``STYLE`` and ``REGION`` blocks, and
  metadata lines after the ``WEBVTT`` header (``Kind:``, ``Language:``);
- the speaker as a voice tag ``<v Anna Smith>`` (with or without ``</v>``,
  several per cue; the name is taken as written), as Zoom's ``Anna Smith:
  words`` at the start of a line, as a ``(Anna Smith)`` or ``[Anna Smith]``
  line alone, as WhisperX's ``[SPEAKER_00]: words`` (its diarised .srt and
  .vtt), or after a caption's ``>>`` or ``-`` speaker-change mark;
- other tags (``<c>``, ``<i>``, ``<font>``, inline ``<00:00:01.000>``) and
  HTML entities are removed.

Zoom labels a cue with the participant's display name, which may be a device
("iPhone") or lower-case ("sam"); such a label counts when it recurs in the
file (`census`). A cue without a speaker continues the previous speaker, as
a wrapped line does in a text transcript. A file where no cue names a
speaker (Whisper's captions, automatic subtitles) is read as the words of one
unnamed speaker, with a warning: nobody can be told apart as the interviewer.
Cues of one speaker are merged into a turn later, in `assemble`; the turn
keeps the first cue's start.

A captioner's ``>>`` says the speaker changed, whether or not a name follows
it; inside a line too (``we did. >> ANNA: Yes.``). So in captions that name
their speakers (``>> ANNA: ...``), a ``>>`` that names nobody (``>> and then
we ...``) starts a turn of an unnamed speaker (`UNNAMED_SPEAKER`, the label of
captions that name no one) rather than going on with the previous speaker's
turn, which would put someone else's words in ANNA's mouth; the cues after
it without a speaker continue the unnamed speaker, as after a name. Who it
is cannot be known: the unnamed speaker is never taken for the interviewer
(`roles` skips an empty label), is tied to its transcript (``unnamed@...``,
`speakers.scoped`) so that it is nobody across transcripts, and unnamed
turns next to each other are one turn, as `assemble` merges any run of one
speaker's cues. The log says how many such ``>>`` there were, never their
words. A ``-`` at a line's start is read as a change only with a name after
it (``- ANNA: Yes.``): without one it is as often a dash, an aside or a list
item as a change of speaker, and the line continues the previous speaker.
YouTube's .sbv captions (`sbv`) are read here, and so read alike. Roll-up
captions (YouTube's automatic ones), where each cue repeats the line the cue
before ended with, are read once (`_unrolled`).
"""
from __future__ import annotations

import html
import logging
import re
from dataclasses import dataclass

from pipeline.errors import InputFileError

from .census import FORM_COLON, FORM_MARKED, Candidate, accepted_labels, canonical_spellings
from .encoding import decode_text
from .labels import normalise_name, split_label
from .noise import is_event
from .records import ParsedTurn, ParseOptions
from .timecode import TIMECODE, parse_timecode

logger = logging.getLogger(__name__)

_BLOCK_SPLIT = re.compile(r"\n[ \t]*\n")
_TIMING = re.compile(rf"^\s*(?P<start>{TIMECODE})\s*-->\s*(?P<end>{TIMECODE})")
_NON_CUE_BLOCK = re.compile(r"^(?:WEBVTT|NOTE|STYLE|REGION)(?:[ \t]|$)")
_VOICE = re.compile(r"<v(?:\.[^\s>]*)?(?:[ \t]+(?P<name>[^>]*))?>", re.IGNORECASE)
_TAG = re.compile(r"</?[A-Za-z][^<>]*>|<\d[\d:.]*>|</v>")
_CHANGE_MARK = re.compile(r"^(?:>>+|[-–])\s*")
# A captioner's ">>" inside a line: the speaker changes there ("we did. >> ANNA: Yes."), as at a line's start.
_MID_LINE_CHANGE = re.compile(r"\s+(?=>>)")
_NAME_ALONE = re.compile(r"^[(\[](?P<name>[^()\[\]]{1,60})[)\]]:?$")
# WhisperX's diarised captions: "[SPEAKER_00]: words". The colon is required, so a
# transcriber's "[the council] decided" at the start of a line is never a speaker.
_BRACKET_LABEL = re.compile(r"^\[(?P<name>[^\[\]]{1,60})\]:\s*(?P<rest>.*)$")

# Who speaks after a ">>" that names nobody: the label of captions that name no one (`_unnamed_turns`),
# which `roles` never takes for the interviewer and `speakers.scoped` ties to its transcript ("unnamed@...").
UNNAMED_SPEAKER = ""
NO_SPEAKER_HINT = ("name the speaker in each cue, as a voice tag '<v Name>' or as "
                   "'Name: ' at the start of the text")


@dataclass(frozen=True)
class _Line:
    """One line of cue text: the label that may open it, the words after it, the whole line."""

    label: str | None
    form: str
    words: str
    line: str
    voice: bool = False  # a voice tag names its speaker outright; the spec gives no other reading
    changed: bool = False  # opened by a caption's ">>": whoever speaks, it is not the previous speaker


def parse_vtt(data: bytes, options: ParseOptions) -> list[ParsedTurn]:
    """Turns of a WebVTT file; raises `InputFileError` if it has no cues or no words."""
    return _parse_subtitles(data, options, "WebVTT", "00:00:01.000 --> 00:00:04.000")


def parse_srt(data: bytes, options: ParseOptions) -> list[ParsedTurn]:
    """Turns of a SubRip file; raises `InputFileError` if it has no cues or no words.

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
    cues = _cues(_BLOCK_SPLIT.split(text.strip("\n")))
    if not cues:
        raise InputFileError(f"no {kind} cues found",
                             f"a cue needs a timing line such as '{example}'", path=options.name)
    cues = _unrolled(cues, options.name)
    lines = [(start, _cue_lines(payload)) for start, payload in cues]
    candidates = [Candidate(line.label, line.form)
                  for _, cue_lines in lines for line in cue_lines if line.label]
    accepted = accepted_labels(candidates, options.known_speakers)
    canonical = canonical_spellings((c.label for c in candidates), accepted)

    turns: list[ParsedTurn] = []
    speaker: str | None = None
    unattributed = unnamed_changes = 0
    for start, cue_lines in lines:
        current: ParsedTurn | None = None
        for line in cue_lines:
            if line.label and (line.voice or line.label.casefold() in accepted):
                speaker = canonical.get(line.label.casefold(), line.label)
                current = ParsedTurn(speaker, line.words, start)
                turns.append(current)
            elif line.changed:
                # ">>" says someone else speaks, but not who: an unnamed speaker's turn, never the last one's.
                speaker = UNNAMED_SPEAKER
                current = ParsedTurn(speaker, line.line, start)
                turns.append(current)
                unnamed_changes += 1
            elif current is not None:
                current.text = f"{current.text} {line.line}".strip()
            elif speaker is not None:
                # A cue without a label continues the previous speaker.
                current = ParsedTurn(speaker, line.line, start)
                turns.append(current)
            else:
                unattributed += 1  # before the first named speaker: nobody to give it to
    if not any(turn.speaker for turn in turns):
        turns = _unnamed_turns(lines)
        if not turns:
            raise InputFileError(f"no words found in the {len(cues)} cue(s)", NO_SPEAKER_HINT, path=options.name)
        logger.warning("%s: no cue names its speaker: read as the words of one unnamed speaker, so no "
                       "interviewer can be told apart (%s)", options.name, NO_SPEAKER_HINT)
    elif unnamed_changes:
        logger.info("%s: %d '>>' speaker change(s) name no speaker: read as an unnamed speaker's turns",
                    options.name, unnamed_changes)
    if unattributed and any(turn.speaker for turn in turns):
        logger.info("%s: %d cue line(s) before the first named speaker ignored",
                    options.name, unattributed)
    return turns


def _unnamed_turns(lines: list[tuple[float, list[_Line]]]) -> list[ParsedTurn]:
    """One turn per cue, no speaker: captions a speech-to-text tool wrote without telling voices apart.

    Whisper's and most automatic captions name nobody; the words are still
    what was said. `assemble` merges them into one turn, as it does any run of
    one speaker's cues.
    """
    turns = []
    for start, cue_lines in lines:
        words = " ".join(line.line for line in cue_lines if line.line).strip()
        if words:
            turns.append(ParsedTurn("", words, start))
    return turns


def _unrolled(cues: list[tuple[float, str]], name: str) -> list[tuple[float, str]]:
    """Cues without the lines they repeat from the cue before, where the captions roll up.

    YouTube's automatic captions (and other roll-up captions) show two lines:
    each cue opens with the line the cue before ended with, then adds the next;
    a cue of a few milliseconds in between holds the old line alone. Read cue by
    cue, every line of speech would be said two or three times, and quoted as
    often. The repeat is dropped only where most cues open with the last line
    of the cue before, so a speaker who says the same thing twice keeps it.

    >>> rolled = [(0.0, "we had to"), (2.0, "we had to"), (2.1, "we had to\\nchoose between"),
    ...           (4.0, "choose between\\ncover and rest")]
    >>> [payload for _, payload in _unrolled(rolled, "a.vtt")]
    ['we had to', '', 'choose between', 'cover and rest']
    """
    overlaps = [0] + [_overlap(before, after) for (_, before), (_, after) in zip(cues, cues[1:])]
    rolled = sum(overlap > 0 for overlap in overlaps)
    if rolled < 2 or 2 * rolled < len(cues) - 1:
        return cues
    logger.info("%s: roll-up captions: the line each of %d cue(s) repeats from the cue before was read once",
                name, rolled)
    return [(start, _without_leading_lines(payload, overlap))
            for (start, payload), overlap in zip(cues, overlaps)]


def _plain_lines(payload: str) -> list[str]:
    """A cue's lines of words, tags and entities removed, blank lines left out."""
    lines = (" ".join(html.unescape(_TAG.sub("", line)).split()) for line in payload.split("\n"))
    return [line for line in lines if line]


def _overlap(before: str, after: str) -> int:
    """How many lines `after` opens with that `before` ends with (its last lines, in order), 0 when none."""
    last, first = _plain_lines(before), _plain_lines(after)
    return next((n for n in range(min(len(last), len(first)), 0, -1) if last[-n:] == first[:n]), 0)


def _without_leading_lines(payload: str, count: int) -> str:
    """`payload` without its first `count` lines of words (and the blank lines among them)."""
    lines = payload.split("\n")
    while count and lines:
        if " ".join(html.unescape(_TAG.sub("", lines.pop(0))).split()):
            count -= 1
    return "\n".join(lines)


def _cues(blocks: list[str]) -> list[tuple[float, str]]:
    """(start, payload) of every cue. A block without a timing line that follows a cue
    continues it: the spec ends a cue only at an empty line, and some tools write a
    line holding a single space inside a cue."""
    cues: list[tuple[float, str]] = []
    for block in blocks:
        cue = _split_cue(block)
        if cue is not None:
            cues.append(cue)
        elif cues and not _NON_CUE_BLOCK.match(block):
            cues[-1] = (cues[-1][0], f"{cues[-1][1]}\n{block}")
    return cues


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


def _cue_lines(payload: str) -> list[_Line]:
    """The lines of a cue's text, each with the speaker label that may open it."""
    pieces: list[tuple[str | None, str]] = []
    position, voice = 0, None
    for match in _VOICE.finditer(payload):
        pieces.append((voice, payload[position:match.start()]))
        voice = normalise_name(html.unescape(match.group("name") or "")) or None
        position = match.end()
    pieces.append((voice, payload[position:]))

    result: list[_Line] = []
    for name, raw in pieces:
        opened = name is None
        for text_line in html.unescape(_TAG.sub("", raw)).split("\n"):
            for piece in _MID_LINE_CHANGE.split(text_line.strip()):
                changed = piece.startswith(">>")
                line = _CHANGE_MARK.sub("", piece)
                if not line and not (changed and opened):
                    continue
                if not opened:
                    result.append(_Line(name, FORM_MARKED, line, line, voice=True))
                    opened = True
                elif not line:
                    # ">>" alone, its words on the next line or in the next cue: the change is still made.
                    result.append(_Line(None, FORM_COLON, "", "", changed=True))
                else:
                    result.append(_label_line(line, changed))
        if not opened:
            result.append(_Line(name, FORM_MARKED, "", "", voice=True))  # "<v Anna></v>": no words
    return result


def _label_line(line: str, changed: bool = False) -> _Line:
    alone = _NAME_ALONE.match(line)
    if alone and not is_event(alone.group("name")):
        return _Line(normalise_name(alone.group("name")), FORM_MARKED, "", line, changed=changed)
    bracket = _BRACKET_LABEL.match(line)
    if bracket and not is_event(bracket.group("name")):
        return _Line(normalise_name(bracket.group("name")), FORM_COLON, bracket.group("rest").strip(), line,
                     changed=changed)
    split = split_label(line)
    if split:
        return _Line(split[0], FORM_COLON, split[1], line, changed=changed)
    return _Line(None, FORM_COLON, line, line, changed=changed)

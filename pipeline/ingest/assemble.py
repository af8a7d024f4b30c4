"""From a parser's raw turns to clean, numbered transcripts.

Order matters here: noise is removed first, turns left empty are dropped,
and only then are consecutive turns of one speaker merged, so that
``Anna: ... / Bob: {vocalsound} / Anna: ...`` becomes one turn of Anna's.
Turns are then numbered from 0. Rows (.csv/.jsonl/.json) are the exception: they
are never merged and keep their row index as their turn number, except a
transcription tool's timed segments (Whisper's, AssemblyAI's), which the row
reader hands over without a row index to be merged like cues (`rows`).

Merged pieces are joined with a space, but none before punctuation that
opens the next piece (`joined`): a tool that cuts "It went well" from
", mostly." should not print "well , mostly.".
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .noise import clean_text, is_empty
from .records import ParsedTurn, Transcript, Turn


@dataclass(frozen=True)
class FileDefaults:
    """What a file's turns get unless the rows say otherwise."""

    source_file: str
    transcript_id: str
    team: str


def assemble(parsed: list[ParsedTurn], defaults: FileDefaults) -> list[Transcript]:
    """Group, clean, merge and number; transcripts left with no turns are left out.

    Examples
    --------
    >>> raw = [ParsedTurn("Anna", "We {disfmarker} agreed"), ParsedTurn("Bob", "(laughs)"),
    ...        ParsedTurn("Anna", "on Monday.")]
    >>> [t.turns[0].text for t in assemble(raw, FileDefaults("a.txt", "a.txt", "unknown"))]
    ['We agreed on Monday.']
    """
    groups: dict[str, list[ParsedTurn]] = {}
    for turn in parsed:
        groups.setdefault(turn.transcript_id or defaults.transcript_id, []).append(turn)
    transcripts = []
    for transcript_id, turns in groups.items():
        numbered = _numbered(turns, defaults.team)
        if numbered:
            transcripts.append(Transcript(transcript_id, defaults.source_file, numbered))
    return transcripts


def _numbered(parsed: list[ParsedTurn], default_team: str) -> list[Turn]:
    turns: list[Turn] = []
    for raw in parsed:
        text = clean_text(raw.text)
        if is_empty(text):
            continue
        team = raw.team or default_team
        if raw.row is not None:
            turns.append(Turn(raw.row, raw.speaker, text, raw.start, team, raw.role))
            continue
        previous = turns[-1] if turns else None
        if (previous is not None and previous.speaker.casefold() == raw.speaker.casefold()
                and (previous.team, previous.row_role) == (team, raw.role)):
            previous.text = joined(previous.text, text)
            continue
        turns.append(Turn(len(turns), raw.speaker, text, raw.start, team, raw.role))
    return turns


# What opens a piece that goes on from the one before without a space: closing punctuation, but not
# an ellipsis, which marks a caption that goes on from a cut ("the..." then "...shop").
_CLOSING = re.compile(r"(?!\.\.)[,.;:!?%)\]}”’]")


def joined(before: str, after: str) -> str:
    """`before` and `after`, one piece of a turn after the other: a space between, none before punctuation.

    Examples
    --------
    >>> joined("It went well", ", mostly.")
    'It went well, mostly.'
    >>> joined("We agreed.", "Then we stopped.")
    'We agreed. Then we stopped.'
    >>> joined("we went to the...", "...shop"), joined("and then…", "…nothing")
    ('we went to the... ...shop', 'and then… …nothing')
    """
    return f"{before}{after}" if _CLOSING.match(after) else f"{before} {after}"

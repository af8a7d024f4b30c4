"""The small data types the ingest modules pass between them.

`InputRecord` and `Corpus` are what `read_corpus` hands to the rest of the
pipeline. `ParsedTurn` is what a file parser returns: raw turns, before noise
removal, merging and numbering, so every parser stays a pure
``bytes -> list[ParsedTurn]`` function that is easy to test on its own.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

STATUS_OK = "ok"
STATUS_FAILED = "failed"
STATUS_SKIPPED = "skipped"

# How the interviewer of a transcript was found, strongest evidence first.
# "labels" is the Q:/A: and I:/R: convention written in the transcript itself.
METHOD_MANIFEST = "manifest"
METHOD_CONFIG = "config"
METHOD_ROWS = "rows"
METHOD_LABELS = "labels"
METHOD_MOST_CONVERSATIONS = "heuristic:most-conversations"
METHOD_MOST_QUESTIONS = "heuristic:most-questions"
METHOD_NONE = "none"
METHODS_BY_STRENGTH = [
    METHOD_MANIFEST, METHOD_CONFIG, METHOD_ROWS, METHOD_LABELS,
    METHOD_MOST_CONVERSATIONS, METHOD_MOST_QUESTIONS, METHOD_NONE,
]


@dataclass
class InputRecord:
    """One file seen under INPUT; becomes an entry of run.json "inputs".

    `reason` says what went wrong and what to do. It never holds transcript
    text or names, because run.json is shared with the report.
    """

    file: str
    sha256: str
    status: str
    reason: str
    transcript_ids: list[str] = field(default_factory=list)
    interviewer_method: str = METHOD_NONE
    language: str = ""  # ISO 639-1 code where the file is confidently not in English (`language`), else ""


@dataclass
class Corpus:
    """Everything ingest read: the turns table plus what happened to each file."""

    turns: pd.DataFrame
    inputs: list[InputRecord]
    roster: list[str]
    manifest_found: bool


@dataclass(frozen=True)
class ParseOptions:
    """What a parser needs besides the bytes.

    `name` is the path relative to INPUT, used only in log lines and error
    messages. `known_speakers` (roster, configured and manifest interviewers)
    lets the line parser accept a label it would otherwise find too unusual,
    such as a lower-case name. `max_bytes` caps what a .docx part unpacks to.
    """

    name: str
    fallback_encoding: str = "cp1252"
    known_speakers: frozenset[str] = frozenset()
    # What a compressed part (a .docx body) may unpack to. `read_corpus` passes
    # ingest.max_file_mb; this default only serves a parser called on its own.
    max_bytes: int = 50 * 1024 * 1024


@dataclass
class ParsedTurn:
    """One turn as a parser found it. The row-only fields stay None elsewhere."""

    speaker: str
    text: str
    start: float = math.nan
    transcript_id: str | None = None  # rows: the row's own transcript id
    team: str | None = None  # rows: the row's own team
    role: str | None = None  # rows: "interviewer" | "participant"
    row: int | None = None  # rows: the row's 0-based index within its transcript


@dataclass
class Turn:
    """A cleaned, numbered turn of one transcript."""

    turn: int
    speaker: str
    text: str
    start: float
    team: str
    row_role: str | None = None


@dataclass
class Transcript:
    """The cleaned turns of one transcript and the file they came from."""

    transcript_id: str
    source_file: str
    turns: list[Turn]

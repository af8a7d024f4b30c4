"""Table transcripts: .csv and .jsonl, one row per turn.

Column ``text`` is required; ``transcript_id``, ``speaker``, ``team``, ``role``
and ``start`` are optional, and other columns are ignored. Column names are
matched case-insensitively, and the names transcription tools and
spreadsheets use for them are understood too (``Transcript`` or
``Utterance`` for text, ``Speaker Name`` for speaker, ``Start Time`` for
start: `COLUMN_ALIASES`); a column with the contract's own name wins. Rows
are never merged: a row's ``turn`` is its index within its transcript,
counting every row, so it still points at the source row (and at AMI's turn
ids) after empty rows are dropped.

The CSV delimiter is the first of ``, ; TAB |`` that makes a text column
appear in the header row. Excel writes ``;`` in many European locales, and
guessing from the header is predictable where a sniffer is not.
"""
from __future__ import annotations

import csv
import io
import json
import logging
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from pipeline import schema
from pipeline.errors import InputFileError

from .encoding import decode_text
from .records import ParsedTurn, ParseOptions
from .timecode import parse_start

logger = logging.getLogger(__name__)

_DELIMITERS = [",", ";", "\t", "|"]
_INTERVIEWER_ROLES = {"interviewer", "consultant", "moderator", "facilitator"}
_PARTICIPANT_ROLES = {"participant", "interviewee", "respondent", "spokesperson"}
_HINT = ("a .csv transcript needs a header row with a 'text' column "
         "(optional: transcript_id, speaker, team, role)")
COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    schema.TEXT: ("transcript", "transcription", "utterance", "content", "speech", "dialogue",
                  "dialog", "verbatim"),
    schema.SPEAKER: ("speaker name", "speaker_name", "speaker label", "speaker_label", "who"),
    schema.START: ("start time", "start_time", "starttime", "timestamp", "time", "begin"),
    schema.TRANSCRIPT_ID: ("conversation_id", "interview_id", "meeting_id", "session_id"),
    schema.TEAM: ("team name", "team_name"),
    schema.ROLE: ("speaker role", "speaker_role", "speaker type", "speaker_type"),
}


def parse_csv(data: bytes, options: ParseOptions) -> list[ParsedTurn]:
    """Turns of a .csv file, one per row with text.

    Examples
    --------
    >>> turns = parse_csv(b"speaker;text\\nAnna;We agreed.\\n", ParseOptions("a.csv"))
    >>> [(t.speaker, t.text, t.row) for t in turns]
    [('Anna', 'We agreed.', 0)]
    """
    text = decode_text(data, options.name, options.fallback_encoding)
    return _rows_to_turns(csv_records(text, schema.TEXT, options.name, _HINT, COLUMN_ALIASES),
                          options.name)


def parse_jsonl(data: bytes, options: ParseOptions) -> list[ParsedTurn]:
    """Turns of a .jsonl file: one JSON object per line, with a "text" key."""
    text = decode_text(data, options.name, options.fallback_encoding)
    return _rows_to_turns(_jsonl_records(text, options.name), options.name)


def csv_records(text: str, required: str, name: str, hint: str,
                aliases: Mapping[str, Sequence[str]] | None = None
                ) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, row with case-folded column names) for each data row of a CSV text.

    Shared with the manifest reader. `aliases` maps a column name to other
    names it may have. Raises `InputFileError` when no delimiter yields the
    `required` column, or when the CSV is malformed.
    """
    aliases = aliases or {}
    header_line = text.split("\n", 1)[0].rstrip("\r")
    accepted = {required, *aliases.get(required, ())}
    delimiter = next((d for d in _DELIMITERS if accepted & set(_header(header_line, d))), None)
    if delimiter is None:
        raise InputFileError(f"no '{required}' column in the header row", hint, path=name)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        columns = canonical_columns([c.strip().casefold() for c in next(reader)], aliases)
        for fields in reader:
            if not any(field.strip() for field in fields):
                continue
            yield reader.line_num, dict(zip(columns, fields))
    except csv.Error as exc:
        raise InputFileError(f"malformed CSV near line {reader.line_num} ({exc})",
                             "check for an unclosed quote and save the file again",
                             path=name) from None


def canonical_columns(columns: list[str], aliases: Mapping[str, Sequence[str]]) -> list[str]:
    """Rename the first alias found of each column the header lacks under its own name.

    Examples
    --------
    >>> canonical_columns(["speaker name", "start time", "transcript"], COLUMN_ALIASES)
    ['speaker', 'start', 'text']
    """
    columns = list(columns)
    for canonical, names in aliases.items():
        if canonical in columns:
            continue
        position = next((columns.index(n) for n in names if n in columns), None)
        if position is not None:
            columns[position] = canonical
    return columns


def _header(line: str, delimiter: str) -> list[str]:
    try:
        fields = next(csv.reader([line], delimiter=delimiter), [])
    except csv.Error:
        return []
    return [field.strip().casefold() for field in fields]


def _jsonl_records(text: str, name: str) -> Iterator[tuple[int, dict[str, Any]]]:
    columns: dict[tuple[str, ...], list[str]] = {}  # every line usually has the same keys
    # split("\n"), not splitlines(): U+2028 and friends are legal inside JSON strings.
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except (json.JSONDecodeError, RecursionError):
            raise InputFileError(f"line {number} is not valid JSON",
                                 "write one JSON object per line", path=name) from None
        if not isinstance(record, dict):
            raise InputFileError(f"line {number} is not a JSON object",
                                 'write one object per line: {"speaker": "...", "text": "..."}',
                                 path=name)
        raw_keys = tuple(record)
        if raw_keys not in columns:
            columns[raw_keys] = canonical_columns([str(k).strip().casefold() for k in raw_keys],
                                                  COLUMN_ALIASES)
        record = dict(zip(columns[raw_keys], record.values()))
        if schema.TEXT not in record:
            raise InputFileError(f"line {number} has no \"text\" key",
                                 "give every line a \"text\" key", path=name)
        yield number, record


def _rows_to_turns(records: Iterable[tuple[int, dict[str, Any]]], name: str) -> list[ParsedTurn]:
    turns: list[ParsedTurn] = []
    next_row: dict[str | None, int] = {}
    n_rows = unknown_roles = 0
    for number, record in records:
        n_rows += 1
        transcript_id = _scalar(record.get(schema.TRANSCRIPT_ID), number, name) or None
        row = next_row.get(transcript_id, 0)
        next_row[transcript_id] = row + 1
        role_value = _scalar(record.get(schema.ROLE), number, name).casefold()
        role = _role(role_value)
        unknown_roles += bool(role_value) and role is None
        turns.append(ParsedTurn(
            speaker=" ".join(_scalar(record.get(schema.SPEAKER), number, name).split()),
            text=_scalar(record.get(schema.TEXT), number, name),
            start=parse_start(record.get(schema.START)),
            transcript_id=transcript_id,
            team=_scalar(record.get(schema.TEAM), number, name) or None,
            role=role,
            row=row,
        ))
    if n_rows == 0:
        raise InputFileError("the file has no rows", "add one row per turn", path=name)
    if unknown_roles:
        logger.warning("%s: %d row(s) have a role other than interviewer/participant; "
                       "their role is decided as if the column were empty", name, unknown_roles)
    return turns


def _scalar(value: Any, number: int, name: str) -> str:
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        raise InputFileError(f"row at line {number} holds a list or object where text is expected",
                             "use plain strings for text, speaker, team, role and transcript_id",
                             path=name)
    return str(value).strip()


def _role(value: str) -> str | None:
    if value in _INTERVIEWER_ROLES:
        return schema.ROLE_INTERVIEWER
    if value in _PARTICIPANT_ROLES:
        return schema.ROLE_PARTICIPANT
    return None

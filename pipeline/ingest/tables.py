"""Transcripts laid out as tables, in Word or Markdown: one row per turn.

A table is a speaker table when its header row names a speaker column and a
text column (``Speaker | Text``, optionally ``Time``; the names below, in any
case), or, without such a header, when its first column holds short labels
that recur (``Interviewer | How did it go?``), which is how people type a
transcript into a two-column Word table. A time or time range in the speaker
cell, after or before the name (``Anna (00:00:01 - 00:00:04)``, ``00:01:02
Anna``), is the turn's start, not part of the name, or each row would be a
new speaker. A row with an empty speaker cell continues the previous turn.
Any other table is read cell by cell as lines, since some transcripts are
typed into a one-column table.
"""
from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

from .labels import is_loose_label, is_speaker_label, normalise_name
from .records import ParsedTurn
from .timecode import parse_start, split_timed_name

SPEAKER_HEADERS = frozenset({"speaker", "speaker name", "name", "who", "person", "speaker label"})
# What the column of what was said is headed in a transcript typed as a table: a Word, Markdown or RTF
# table here, and a hand-typed interview log in a .csv or .xlsx too (`rows.COLUMN_ALIASES` takes every one
# of these), so the two readers cannot drift apart. Only names of what people say: not the names of a
# ticket queue's or a consultation form's text that `rows` adds ("Description", "Details", "Remarks"),
# which in a Word table beside a "Name" column describe people or note their apologies rather than quote them.
SPOKEN_TEXT_HEADERS: tuple[str, ...] = (
    "text", "transcript", "transcription", "utterance", "content", "speech", "dialogue", "dialog", "verbatim",
    "comment", "response", "what was said", "said", "statement", "quote", "words")
TEXT_HEADERS = frozenset(SPOKEN_TEXT_HEADERS)
TIME_HEADERS = frozenset({"time", "timestamp", "timecode", "start", "start time", "begin", "in"})


def table_items(rows: Sequence[Sequence[str]]) -> list[str | ParsedTurn]:
    """Turns of a speaker table, or the table's cells as lines when it is not one.

    Examples
    --------
    >>> rows = [["Time", "Speaker", "Text"], ["0:01", "Sam", "Why?"], ["", "", "Go on."]]
    >>> items = table_items(rows)
    >>> [(t.speaker, t.text, t.start) for t in items]
    [('Sam', 'Why? Go on.', 1.0)]
    """
    rows = [[cell.strip() for cell in row] for row in rows if any(cell.strip() for cell in row)]
    if not rows:
        return []
    header = [" ".join(cell.casefold().replace(":", " ").split()) for cell in rows[0]]
    speaker_col, text_col = _find(header, SPEAKER_HEADERS), _find(header, TEXT_HEADERS)
    if speaker_col is not None and text_col is not None and speaker_col != text_col:
        return _turns(rows[1:], speaker_col, text_col, _find(header, TIME_HEADERS))
    layout = _headerless_layout(rows)
    if layout is not None:
        return _turns(rows, *layout)
    return [line for row in rows for cell in row for line in cell.split("\n")]


def _turns(rows: list[list[str]], speaker_col: int, text_col: int,
           time_col: int | None) -> list[str | ParsedTurn]:
    turns: list[ParsedTurn] = []
    for row in rows:
        if max(speaker_col, text_col) >= len(row):
            continue
        speaker, cell_start = _speaker(row[speaker_col])
        words = " ".join(row[text_col].split())
        if not speaker:
            # An empty speaker cell means the previous speaker goes on.
            if turns:
                turns[-1].text = f"{turns[-1].text} {words}".strip()
            continue
        start = math.nan
        if time_col is not None and time_col < len(row):
            start = parse_start(row[time_col])
        turns.append(ParsedTurn(speaker, words, cell_start if math.isnan(start) else start))
    return list(turns)


def _headerless_layout(rows: list[list[str]]) -> tuple[int, int, int | None] | None:
    """(speaker, text, time) columns of a table without a header, if its rows look like turns."""
    width = min(len(row) for row in rows)
    if width < 2 or len(rows) < 2:
        return None
    time_col = 0 if all(not math.isnan(parse_start(row[0])) or not row[0] for row in rows) else None
    speaker_col = 1 if time_col == 0 else 0
    if speaker_col + 1 >= width:
        return None
    labels = [_speaker(row[speaker_col])[0] for row in rows]
    counts = Counter(label.casefold() for label in labels if label)
    plausible = all(not label or is_speaker_label(label)
                    or (is_loose_label(label) and counts[label.casefold()] > 1) for label in labels)
    if not plausible or not any(n > 1 for n in counts.values()):
        return None
    return speaker_col, width - 1, time_col


def _speaker(cell: str) -> tuple[str, float]:
    """The speaker's name in a speaker cell, and the start time written beside it (NaN if none).

    >>> _speaker("Olu Ade (00:00:01 - 00:00:04):")
    ('Olu Ade', 1.0)
    """
    name, start = split_timed_name(cell.rstrip(":"))
    return normalise_name(name.rstrip(":")), start


def _find(header: list[str], names: frozenset[str]) -> int | None:
    return next((index for index, value in enumerate(header) if value in names), None)

"""Turn the lines of a text, Markdown or Word transcript into speaker turns.

Layouts understood (each may start with a timestamp such as ``[00:01:02]``):

- ``Name: words`` and Markdown ``**Name:** words`` / ``**Name**: words``;
- ``Q:``/``A:`` and ``I:``/``R:`` (the roles are decided later, in `roles`);
- Rev's ``Name (00:01:02):`` with the words on the same or the next lines;
- Otter and Teams: a line ``Name  0:03`` (or ``Name 00:01:03``), words below;
- older Teams Word exports: ``0:0:0.0 --> 0:0:3.5``, then the name alone on a
  line, then the words.

A line without a speaker continues the current turn, because exports wrap
long turns over several lines. Lines before the first speaker (a title, a
date) are ignored and counted in the log. Consecutive turns of one speaker
are merged later, after noise removal, in `assemble`.
"""
from __future__ import annotations

import logging
import math
import re
from typing import Iterable

from .labels import is_speaker_label, normalise_name, split_speaker_line
from .records import ParsedTurn
from .timecode import TIMECODE, parse_timecode

logger = logging.getLogger(__name__)

_RANGE = rf"(?:\s*(?:-|–|-->)\s*{TIMECODE})?"
_LEADING_TIMESTAMP = re.compile(
    rf"^(?:\[(?P<a>{TIMECODE}){_RANGE}\]|\((?P<b>{TIMECODE}){_RANGE}\)|(?P<c>{TIMECODE}){_RANGE})"
    r"\s+(?P<rest>\S.*)$")
_TIMESTAMP_LINE = re.compile(rf"^[\[(]?{TIMECODE}{_RANGE}[\])]?$")
_CUE_RANGE = re.compile(rf"^(?P<tc>{TIMECODE})\s*-->\s*{TIMECODE}")
# Otter/Teams speaker header; the time must be the whole end of the line.
_HEADER = re.compile(r"^(?P<name>.+?)\s+[\[(]?(?P<tc>\d{1,2}:\d{2}(?::\d{2})?)[\])]?$")


def parse_lines(items: Iterable[str | ParsedTurn], known: frozenset[str] = frozenset(),
                name: str = "") -> list[ParsedTurn]:
    """Parse lines (and turns already found, e.g. from a Word table) into turns.

    `known` holds case-folded speaker names to accept whatever their case;
    `name` is the file, for the log only.

    Examples
    --------
    >>> [(t.speaker, t.text) for t in parse_lines(["Anna: We said", "yes.", "Bob 0:03", "Fine."])]
    [('Anna', 'We said yes.'), ('Bob', 'Fine.')]
    """
    items = list(items)
    # First pass: labels that pass the strict rules. Knowing them lets the
    # second pass accept "anna:" in a file that also writes "Anna:".
    canonical: dict[str, str] = {}
    for item in items:
        if isinstance(item, str):
            found = _speaker_start(item.strip(), known)
            if found:
                canonical.setdefault(found[0].casefold(), found[0])
    known = known | frozenset(canonical)

    turns: list[ParsedTurn] = []
    current: ParsedTurn | None = None
    cue_start: float | None = None  # set by a "0:0:0.0 --> ..." line; a name should follow
    ignored = 0
    for item in items:
        if isinstance(item, ParsedTurn):
            current = item
            turns.append(item)
            continue
        line = item.strip()
        if not line:
            continue
        found = _speaker_start(line, known)
        if found is None and cue_start is not None and is_speaker_label(line, known):
            found = (normalise_name(line), "", cue_start)
        if found is not None:
            speaker, words, start = found
            if math.isnan(start) and cue_start is not None:
                start = cue_start
            current = ParsedTurn(canonical.setdefault(speaker.casefold(), speaker), words, start)
            turns.append(current)
            cue_start = None
            continue
        cue = _CUE_RANGE.match(line)
        cue_start = parse_timecode(cue.group("tc")) if cue else None
        if cue or _TIMESTAMP_LINE.match(line):
            continue
        if current is None:
            ignored += 1
            continue
        current.text = f"{current.text} {line}" if current.text else line
    if ignored:
        logger.info("%s: %d line(s) before the first speaker label ignored", name, ignored)
    return turns


def _speaker_start(line: str, known: frozenset[str]) -> tuple[str, str, float] | None:
    """(speaker, words on this line, start) if `line` opens a turn, else None."""
    split = split_speaker_line(line, known)
    if split:
        return split
    stamped = _LEADING_TIMESTAMP.match(line)
    if stamped:
        split = split_speaker_line(stamped.group("rest"), known)
        if split:
            stamp = stamped.group("a") or stamped.group("b") or stamped.group("c")
            start = split[2] if not math.isnan(split[2]) else parse_timecode(stamp)
            return split[0], split[1], start
    header = _HEADER.match(line)
    if header and is_speaker_label(header.group("name"), known):
        return normalise_name(header.group("name")), "", parse_timecode(header.group("tc"))
    return None

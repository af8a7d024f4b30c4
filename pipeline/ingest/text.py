"""Plain-text (.txt) and Markdown (.md) transcripts.

Both are lines of ``Name: words`` in one of the layouts `lines` knows. What
differs is what to skip before that: ``# `` lines in a .txt file are comments
(``# participant: ...`` notes a consultant keeps at the top), and in a .md
file ``#`` headings, front matter and horizontal rules are structure, not
speech. Markdown list bullets and quote marks in front of a turn are dropped.
"""
from __future__ import annotations

import re

from pipeline.errors import InputFileError

from .encoding import decode_text
from .lines import parse_lines
from .records import ParsedTurn, ParseOptions

_TXT_COMMENT = re.compile(r"^#(?:\s|$)")
_MD_HEADING = re.compile(r"^#{1,6}(?:\s|$)")
_MD_RULE = re.compile(r"^(?:(?:-\s*){3,}|(?:\*\s*){3,}|(?:_\s*){3,})$")
_MD_PREFIX = re.compile(r"^(?:>\s?)*(?:[-*+]\s+)?")

NO_TURNS_HINT = ("write each turn as 'Name: words' (optionally after a timestamp), "
                 "or put the speaker's name on its own line with a time ('Name  0:03')")


def parse_txt(data: bytes, options: ParseOptions) -> list[ParsedTurn]:
    """Turns of a .txt transcript; raises `InputFileError` if there are none."""
    text = decode_text(data, options.name, options.fallback_encoding)
    lines = [line for line in text.splitlines() if not _TXT_COMMENT.match(line.strip())]
    return _require_turns(parse_lines(lines, options.known_speakers, options.name), options)


def parse_md(data: bytes, options: ParseOptions) -> list[ParsedTurn]:
    """Turns of a .md transcript; raises `InputFileError` if there are none.

    Examples
    --------
    >>> turns = parse_md(b"# Interview\\n\\n**Anna:** We agreed.\\n", ParseOptions("a.md"))
    >>> [(t.speaker, t.text) for t in turns]
    [('Anna', 'We agreed.')]
    """
    text = decode_text(data, options.name, options.fallback_encoding)
    return _require_turns(
        parse_lines(_markdown_lines(text.splitlines()), options.known_speakers, options.name),
        options)


def _markdown_lines(lines: list[str]) -> list[str]:
    kept = []
    in_front_matter = bool(lines) and lines[0].strip() == "---"
    for index, raw in enumerate(lines):
        line = raw.strip()
        if in_front_matter:
            # YAML front matter (title, date) ends at the next "---".
            if index > 0 and line in ("---", "..."):
                in_front_matter = False
            continue
        if _MD_HEADING.match(line) or _MD_RULE.match(line):
            continue
        kept.append(_MD_PREFIX.sub("", line))
    return kept


def _require_turns(turns: list[ParsedTurn], options: ParseOptions) -> list[ParsedTurn]:
    if not turns:
        raise InputFileError("no speaker turns found", NO_TURNS_HINT, path=options.name)
    return turns

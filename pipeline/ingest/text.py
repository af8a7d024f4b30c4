"""Plain-text (.txt) and Markdown (.md) transcripts.

Both are lines of ``Name: words`` in one of the layouts `lines` knows. What
differs is what to skip before that: ``# `` lines in a .txt file are comments
(``# participant: ...`` notes a consultant keeps at the top), and in a .md
file ``#`` headings, front matter and horizontal rules are structure, not
speech. Markdown list bullets and quote marks in front of a turn are dropped,
and a pipe table (``| Speaker | Text |``) is read as rows of turns
(`tables`). Only when no turn is found that way do headings count: as the
questions of notes that name no speaker (``## What changed in your team?``,
``**What changed?**`` or ``1. What changed?``, the answer below; see
`notes`), else as the names of speakers standing alone above their words
(``## Anna``). A .txt file's notes may number their questions too.

A Zoom chat log (``00:01:23 From Sam Jones to Everyone:``), which Zoom saves
beside the transcript, is not a conversation: it is listed as skipped.
"""
from __future__ import annotations

import re

from pipeline.errors import InputFileError

from .encoding import decode_text
from .lines import first_reading, names_above_words, parse_lines
from .mail import looks_like_mail, mail_turns
from .notes import MARK_BOLD, heading_mark, line_blocks, numbered_line, numbered_mark, question_turns
from .records import STATUS_SKIPPED, ParsedTurn, ParseOptions
from .tables import table_items

_TXT_COMMENT = re.compile(r"^#(?:\s|$)")
_MD_HEADING = re.compile(r"^#{1,6}(?:\s|$)")
_MD_RULE = re.compile(r"^(?:(?:-\s*){3,}|(?:\*\s*){3,}|(?:_\s*){3,})$")
_MD_PREFIX = re.compile(r"^(?:>\s?)*(?:[-*+]\s+)?")
_MD_TABLE_DELIMITER = re.compile(r"^\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?$")
_MD_CELL_SPLIT = re.compile(r"(?<!\\)\|")
_MD_EMPHASIS = re.compile(r"^(\*\*|__|\*|_)(?P<inner>.+)\1$")
_ZOOM_CHAT = re.compile(r"^\d{1,2}:\d{2}:\d{2}\s+From\s+.+?:", re.IGNORECASE)

NO_TURNS_HINT = ("write each turn as 'Name: words' (optionally after a timestamp), "
                 "or put the speaker's name on its own line with a time ('Name  0:03'), "
                 "or set each question apart (numbered, in bold or as a heading, ending with '?') "
                 "with the answer below it")


def parse_txt(data: bytes, options: ParseOptions) -> list[ParsedTurn]:
    """Turns of a .txt transcript; raises `InputFileError` if there are none."""
    text = decode_text(data, options.name, options.fallback_encoding)
    lines = [line for line in text.splitlines() if not _TXT_COMMENT.match(line.strip())]
    _refuse_chat_log(lines, options)
    if looks_like_mail(lines):  # a mailbox or a thread saved as text: each message its sender's (`mail`)
        return _require_turns(mail_turns(text.splitlines(), options.name), options)
    turns = first_reading(lambda: parse_lines(lines, options.known_speakers, options.name),
                          lambda: question_turns(line_blocks(lines, numbered_line), options.name))
    return _require_turns(turns, options)


def parse_md(data: bytes, options: ParseOptions) -> list[ParsedTurn]:
    """Turns of a .md transcript; raises `InputFileError` if there are none.

    Examples
    --------
    >>> turns = parse_md(b"# Interview\\n\\n**Anna:** We agreed.\\n", ParseOptions("a.md"))
    >>> [(t.speaker, t.text) for t in turns]
    [('Anna', 'We agreed.')]
    """
    text = decode_text(data, options.name, options.fallback_encoding)
    lines = text.splitlines()
    if looks_like_mail(lines):
        return _require_turns(mail_turns(lines, options.name), options)
    turns = first_reading(
        lambda: parse_lines(_markdown_items(lines), options.known_speakers, options.name),
        lambda: question_turns(line_blocks(_without_front_matter(lines), _markdown_mark), options.name),
        # "## Anna" above her words: with no other layout found, headings may name the speakers.
        lambda: names_above_words(_markdown_items(lines, keep_headings=True), options.known_speakers, options.name))
    return _require_turns(turns, options)


def _markdown_items(lines: list[str], keep_headings: bool = False) -> list[str | ParsedTurn]:
    """Lines without Markdown structure, with each pipe table replaced by its turns or cells;
    `keep_headings` keeps a heading's text (without its marks) as a line."""
    kept: list[str | ParsedTurn] = []
    lines = _without_front_matter(lines)
    index = 0
    while index < len(lines):
        line = lines[index].strip()
        if _starts_table(lines, index):
            rows, index = _read_table(lines, index)
            kept.extend(table_items(rows))
            continue
        if keep_headings and _MD_HEADING.match(line):
            kept.append(line.lstrip("#").strip())
        elif not (_MD_HEADING.match(line) or _MD_RULE.match(line)):
            kept.append(_MD_PREFIX.sub("", line))
        index += 1
    return kept


def _markdown_mark(line: str) -> tuple[str | None, str]:
    """A Markdown line's mark (a heading of its level, a line all in bold, a number) and its text without the marks."""
    line = line.strip()
    heading = _MD_HEADING.match(line)
    if heading:
        level = len(line) - len(line.lstrip("#"))
        return heading_mark(str(level)), line.lstrip("#").strip()
    if _MD_RULE.match(line):
        return None, ""
    line = _MD_PREFIX.sub("", line)
    emphasis = _MD_EMPHASIS.match(line)
    if emphasis and emphasis.group(1) in ("**", "__"):
        return MARK_BOLD, emphasis.group("inner").strip()
    return numbered_mark(line), line


def _without_front_matter(lines: list[str]) -> list[str]:
    """`lines` without the YAML front matter (title, date) between "---" lines at the top."""
    if not lines or lines[0].strip() != "---":
        return lines
    end = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None)
    return lines if end is None else lines[end + 1:]


def _starts_table(lines: list[str], index: int) -> bool:
    # GitHub's rule: a header row with pipes, then a delimiter row such as |---|:--:|.
    return (index + 1 < len(lines) and "|" in lines[index]
            and "-" in lines[index + 1] and "|" in lines[index + 1]
            and bool(_MD_TABLE_DELIMITER.match(lines[index + 1].strip())))


def _read_table(lines: list[str], index: int) -> tuple[list[list[str]], int]:
    rows = [_cells(lines[index])]
    index += 2
    while index < len(lines) and "|" in lines[index] and lines[index].strip():
        rows.append(_cells(lines[index]))
        index += 1
    return rows, index


def _cells(line: str) -> list[str]:
    line = line.strip()
    if line.startswith("|"):
        line = line[1:]
    if line.endswith("|") and not line.endswith("\\|"):
        line = line[:-1]
    cells = []
    for cell in _MD_CELL_SPLIT.split(line):
        cell = cell.replace("\\|", "|").strip()
        emphasis = _MD_EMPHASIS.match(cell)
        cells.append(emphasis.group("inner").strip() if emphasis else cell)
    return cells


def _refuse_chat_log(lines: list[str], options: ParseOptions) -> None:
    stamped = [line for line in lines if line[:1].isdigit()]
    chat = sum(bool(_ZOOM_CHAT.match(line.strip())) for line in stamped)
    if chat >= 2 and chat * 2 >= len(stamped):
        raise InputFileError("a Zoom chat log, not a conversation transcript",
                             "move it out of INPUT (the transcript is the .vtt or the "
                             "closed-caption file)",
                             path=options.name, status=STATUS_SKIPPED)


def _require_turns(turns: list[ParsedTurn], options: ParseOptions) -> list[ParsedTurn]:
    if not turns:
        raise InputFileError("no speaker turns found", NO_TURNS_HINT, path=options.name)
    return turns

"""Word (.docx) transcripts: paragraphs in the line layouts, and speaker/text tables.

The body is read in document order (`docx_text`, from a package opened with
size limits by `docx_package`). Paragraph text goes through the same line
parser as a .txt file (a soft line break inside a paragraph is a line
break); heading and title paragraphs are skipped, as in Markdown, unless
nothing else gives a turn: then they may be the speakers' names standing
above their words (`lines._headed_turns`). Tables go
through `tables`: a speaker table gives one turn per row, any other table is
read cell by cell as lines. A paragraph below a speaker table that names no
speaker ("End of transcript.") is not added to its last row's turn (`lines`).

Consultants' notes name nobody: each question is set apart (in bold, in a
Heading style, or numbered, by Word's list numbering or typed) and its answer
is the plain paragraphs below; some transcription services likewise set the
moderator's words in bold. When no speaker label is found at all, the
questions are the ``Moderator``'s and the answers the ``Respondent``'s
(`notes`, which says when a mark counts as the questions').
"""
from __future__ import annotations

from lxml import etree

from pipeline.errors import InputFileError

from .docx_package import read_parts
from .docx_text import Paragraph, Table, read_body
from .lines import first_reading, names_above_words, parse_lines
from .notes import MARK_BOLD, MARK_NUMBERED, NoteBlock, heading_mark, numbered_mark, question_turns
from .records import ParsedTurn, ParseOptions
from .tables import table_items
from .text import NO_TURNS_HINT


def parse_docx(data: bytes, options: ParseOptions) -> list[ParsedTurn]:
    """Turns of a .docx transcript; raises `InputFileError` for damaged or empty files."""
    parts = read_parts(data, options.name, options.max_bytes)
    try:
        body = read_body(parts)
    except (etree.XMLSyntaxError, ValueError, RecursionError):
        raise InputFileError("the .docx file is damaged (its text is not well-formed XML)",
                             "open it in Word, check it, and save it again as .docx",
                             path=options.name) from None
    turns = first_reading(
        lambda: parse_lines(block_items(body.blocks), options.known_speakers, options.name),
        lambda: question_turns(note_blocks(body.blocks), options.name),
        # Speakers' names as headings above their words: only when no other layout finds a turn.
        lambda: names_above_words(block_items(body.blocks, keep_headings=True), options.known_speakers,
                                  options.name))
    if not turns:
        hint = NO_TURNS_HINT + ", or use a table with 'Speaker' and 'Text' columns"
        if body.has_alt_chunk:
            hint = ("the text is an embedded HTML or RTF chunk that only Word can lay out; "
                    "open the file in Word and save it again as .docx")
        raise InputFileError("no speaker turns found", hint, path=options.name)
    return turns


def block_items(blocks: list[Paragraph | Table], keep_headings: bool = False) -> list[str | ParsedTurn]:
    """Lines of the paragraphs (headings only with `keep_headings`) and the rows of the tables, in reading order.

    A Word body's blocks and an OpenDocument's (`odt_reader`) are read alike.
    """
    items: list[str | ParsedTurn] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            if keep_headings or not block.heading:
                items.extend(block.text.split("\n"))
        else:
            items.extend(table_items(block.rows))
    return items


def note_blocks(blocks: list[Paragraph | Table]) -> list[NoteBlock]:
    """The paragraphs as notes (`notes`), each marked by how it is set apart; table cells are plain text.

    A heading's mark holds its style, so a title and the questions below it differ; a paragraph in a
    heading style is a heading whatever its weight, a bold one is bold whether numbered or not.
    """
    result: list[NoteBlock] = []
    for block in blocks:
        if isinstance(block, Table):
            result.extend(NoteBlock(text) for row in block.rows for text in row)
        elif block.heading:
            result.append(NoteBlock(block.text, heading_mark(block.style or "")))
        elif block.bold:
            result.append(NoteBlock(block.text, MARK_BOLD))
        else:
            result.append(NoteBlock(block.text, MARK_NUMBERED if block.numbered else numbered_mark(block.text)))
    return result

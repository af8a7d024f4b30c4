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

Some transcription services name nobody and set the moderator's words in
bold instead. When no speaker label is found at all, but the document
alternates bold and plain paragraphs, bold paragraphs are the
``Moderator``'s and plain ones the ``Respondent``'s.
"""
from __future__ import annotations

from lxml import etree

from pipeline.errors import InputFileError

from .docx_package import read_parts
from .docx_text import Body, Paragraph, Table, read_body
from .lines import parse_lines
from .records import ParsedTurn, ParseOptions
from .tables import table_items
from .text import NO_TURNS_HINT

BOLD_SPEAKER = "Moderator"
PLAIN_SPEAKER = "Respondent"
# Bold-marked transcripts need this many paragraphs of each kind to be believed.
MIN_BOLD_PARAGRAPHS = 2


def parse_docx(data: bytes, options: ParseOptions) -> list[ParsedTurn]:
    """Turns of a .docx transcript; raises `InputFileError` for damaged or empty files."""
    parts = read_parts(data, options.name, options.max_bytes)
    try:
        body = read_body(parts)
    except (etree.XMLSyntaxError, ValueError, RecursionError):
        raise InputFileError("the .docx file is damaged (its text is not well-formed XML)",
                             "open it in Word, check it, and save it again as .docx",
                             path=options.name) from None
    turns = (parse_lines(block_items(body.blocks), options.known_speakers, options.name) or _bold_turns(body)
             # Speakers' names as headings above their words: only when no other layout finds a turn.
             or parse_lines(block_items(body.blocks, keep_headings=True), options.known_speakers, options.name))
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


def _bold_turns(body: Body) -> list[ParsedTurn]:
    paragraphs = [block for block in body.blocks if isinstance(block, Paragraph)
                  and not block.heading and block.text.strip()]
    n_bold = sum(paragraph.bold for paragraph in paragraphs)
    if n_bold < MIN_BOLD_PARAGRAPHS or len(paragraphs) - n_bold < MIN_BOLD_PARAGRAPHS:
        return []
    return [ParsedTurn(BOLD_SPEAKER if paragraph.bold else PLAIN_SPEAKER,
                       " ".join(paragraph.text.split()))
            for paragraph in paragraphs]

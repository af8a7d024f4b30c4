"""Interview notes that name no speaker: each question set apart, its answer below.

Consultants and note-takers seldom type ``Name:`` before every turn. They set
each question apart, in bold, as a heading (``## What changed in your
team?``, a Word Heading style) or numbered (``1. How did ...?``, typed or
Word's own list numbering), and type the answer as plain paragraphs below it.
Some transcription services do the same with the moderator's words in bold.
Tried only when no speaker layout finds a turn (`lines`), this reads such a
file as the ``Moderator``'s questions and the ``Respondent``'s answers, labels
that `roles` and `speakers` already know.

A mark is the questions' when it heads at least `MIN_ANSWERS` answers (a
paragraph not of its own mark below it) and asks: at least half of its
paragraphs hold a question mark. Section headings
("Background", "Findings") head prose too, but ask nothing; such a file is
refused with a hint rather than a consultant's own summary quoted as a
participant's words. A numbered paragraph is a question only when it asks
itself, since an answer may hold a numbered list of its own. Where several
marks qualify, the one heading most answers wins; headings of another kind
are the document's structure (a title, a section), never speech, and are
dropped; bold or numbered paragraphs of another kind are answer text.

Paragraphs above the first question (a title, a date, a note on how the call
went) answer nothing and are dropped; a warning names the file when one of
them reads as a sentence, in case it was the participant speaking first.

A document may gather several interviews, each under its own heading
("Interview with ...", "Site visit 3") above the same guide's questions.
Where a question already asked is asked again after such a heading, the
guide has started again: the next interview, a conversation of its own
(``<file>#2``, numbered, never named after the heading, which may hold a
name). Without a heading between them, a question asked twice is a
follow-up in the same interview.
"""
from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from .records import ParsedTurn
from .roles import asks, ends_asking

logger = logging.getLogger(__name__)

MODERATOR = "Moderator"
RESPONDENT = "Respondent"
# A mark must head this many answers to be the questions'; one bold or numbered paragraph above
# plain text is as often an emphasised line or a list of one. Fixed by the layout, not tuned.
MIN_ANSWERS = 2

MARK_BOLD = "bold"
MARK_NUMBERED = "numbered"
MARK_HEADING = "heading"  # alone, or followed by the level or style: "heading 2", "heading Heading2"

# "1. How ...?", "2) Why ...?", "Q3. What ...?": a question's number typed in front of it.
_NUMBER = re.compile(r"^(?:(?:Q|Question)\s?)?\d{1,3}\s?[.)]\s+(?=\S)")
_ENDS_SENTENCE = re.compile(r"[.!?…][\s\"'”’)\]]*$")


@dataclass(frozen=True)
class NoteBlock:
    """A paragraph of notes and how it is set apart: a `MARK_*` value, or None for plain text."""

    text: str
    mark: str | None = None


def heading_mark(level: str = "") -> str:
    """The mark of a heading of one level or style, so a title and the questions below it differ."""
    return f"{MARK_HEADING} {level}".strip()


def numbered_mark(text: str) -> str | None:
    """`MARK_NUMBERED` for a paragraph typed with its number in front ("1. How ...?"), else None.

    >>> numbered_mark("1. How did it go?"), numbered_mark("Q2) Why?"), numbered_mark("2020 was hard.")
    ('numbered', 'numbered', None)
    """
    return MARK_NUMBERED if _NUMBER.match(text) else None


def numbered_line(line: str) -> tuple[str | None, str]:
    """A plain-text line's mark for `line_blocks`: only a typed number sets a question apart there."""
    return numbered_mark(line), line


def question_turns(blocks: Iterable[NoteBlock], name: str = "") -> list[ParsedTurn]:
    """The questions as the ``Moderator``'s turns and the answers as the ``Respondent``'s; [] if no
    mark qualifies. `name` is the file, for the log only.

    Examples
    --------
    >>> blocks = [NoteBlock("Interview 4", heading_mark("1")), NoteBlock("Why did it change?", heading_mark("2")),
    ...           NoteBlock("The backlog grew."), NoteBlock("So what did you do?", heading_mark("2")),
    ...           NoteBlock("We cut the phone hours."), NoteBlock("1. Mornings only.", MARK_NUMBERED)]
    >>> [(t.speaker, t.text) for t in question_turns(blocks)]  # doctest: +NORMALIZE_WHITESPACE
    [('Moderator', 'Why did it change?'), ('Respondent', 'The backlog grew.'),
     ('Moderator', 'So what did you do?'), ('Respondent', 'We cut the phone hours.'),
     ('Respondent', '1. Mornings only.')]
    """
    blocks = [NoteBlock(" ".join(block.text.split()), block.mark) for block in blocks if block.text.strip()]
    mark = _question_mark(blocks)
    if mark is None:
        return []
    turns: list[ParsedTurn] = []
    above: list[str] = []
    headings = 0
    interview, asked, after_heading = 1, set(), False  # the interviews told apart (`_guide_key`)
    # Paragraphs after a heading, held until the next question says whether the heading opened the next
    # interview (then they are its preamble: "Recorded 26 June, by phone") or a part of the answer.
    held: list[str] = []
    for block in blocks:
        if block.mark == mark and (mark != MARK_NUMBERED or asks(block.text)):
            question = _guide_key(block.text)
            if after_heading and question in asked:  # the guide starts again under a heading: the next interview
                interview, asked = interview + 1, set()
                above.extend(held)
            else:
                turns.extend(ParsedTurn(RESPONDENT, text, transcript_id=str(interview)) for text in held)
            held, after_heading = [], False
            asked.add(question)
            turns.append(ParsedTurn(MODERATOR, block.text, transcript_id=str(interview)))
        elif not turns:
            above.append(block.text)
        elif _is_heading(block.mark):
            headings += 1
            after_heading = True
        elif after_heading:
            held.append(block.text)
        else:
            turns.append(ParsedTurn(RESPONDENT, block.text, transcript_id=str(interview)))
    turns.extend(ParsedTurn(RESPONDENT, text, transcript_id=str(interview)) for text in held)
    for turn in turns:  # one interview keeps the file's own id; several are the file's, numbered
        turn.transcript_id = f"{name}#{turn.transcript_id}" if interview > 1 else None
    logger.info("%s: read as questions set apart (%s), each answer below its question", name, mark)
    if interview > 1:
        logger.info("%s: read as %d interviews, each under a heading above the same questions", name, interview)
        headings -= interview - 1
    if any(_ENDS_SENTENCE.search(text) for text in above):
        logger.warning("%s: %d paragraph(s) above the first question%s ignored, as notes rather than answers; "
                       "if the participant spoke first, put a question above their words", name, len(above),
                       " of an interview" if interview > 1 else "")
    elif above:
        logger.info("%s: %d title line(s) above the first question ignored", name, len(above))
    if headings:
        logger.info("%s: %d heading(s) between the answers ignored, as the document's sections", name, headings)
    return turns


def line_blocks(lines: Iterable[str], mark_of: Callable[[str], tuple[str | None, str]]) -> list[NoteBlock]:
    """The lines of a plain-text file as blocks: each marked line a question, the lines between them answers.

    `mark_of` gives a line's mark and its text without the mark's syntax
    (``## Why?`` -> ``("heading 2", "Why?")``). A question typed over two
    lines runs on to the line that ends it with a question mark, when one in
    its paragraph (up to the next blank line) does; the answer may start on
    the next line or after a blank one.

    >>> lines = ["1. How did the", "pilot go?", "It went well.", "", "2. Why?", "", "Cost."]
    >>> [(b.mark, b.text) for b in line_blocks(lines, lambda line: (numbered_mark(line), line))]
    [('numbered', '1. How did the pilot go?'), (None, 'It went well.'), ('numbered', '2. Why?'), (None, 'Cost.')]
    """
    blocks: list[NoteBlock] = []
    for paragraph in _paragraphs(lines):
        marked = [mark_of(line) for line in paragraph]
        index = 0
        while index < len(paragraph):
            mark, text = marked[index]
            end = index + 1
            if mark is not None:
                if not ends_asking(text):
                    # A question wrapped over lines: it runs on to the line that ends it, if one does.
                    closing = next((i for i in range(index + 1, len(paragraph)) if marked[i][0] is not None
                                    or ends_asking(paragraph[i])), None)
                    if closing is not None and marked[closing][0] is None:
                        end = closing + 1
                        text = " ".join([text, *(line for _, line in marked[index + 1:end])])
            else:
                while end < len(paragraph) and marked[end][0] is None:
                    end += 1
                text = " ".join(line for _, line in marked[index:end])
            blocks.append(NoteBlock(text, mark))
            index = end
    return blocks


def _question_mark(blocks: list[NoteBlock]) -> str | None:
    """The mark that sets the questions apart: it heads `MIN_ANSWERS` answers or more, and asks."""
    heads: Counter[str] = Counter()
    asking: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for block, following in zip(blocks, [*blocks[1:], None]):
        if block.mark is None:
            continue
        asked = asks(block.text) > 0
        total[block.mark] += 1
        asking[block.mark] += asked
        # What follows a question is its answer, whatever its mark; another question of the same mark is not.
        if following is not None and following.mark != block.mark and (block.mark != MARK_NUMBERED or asked):
            heads[block.mark] += 1
    qualified = [mark for mark, n in heads.items() if n >= MIN_ANSWERS and 2 * asking[mark] >= total[mark]]
    # A tie goes to the mark that asks more often, then to the name, so that a re-run reads the file alike.
    return max(qualified, key=lambda mark: (heads[mark], asking[mark] / total[mark], mark), default=None)


def _guide_key(question: str) -> str:
    """A question as an interview guide asks it again: its words, case-folded, without a typed number.

    >>> _guide_key("2. What changed  in your team?") == _guide_key("what changed in your team?")
    True
    """
    return " ".join(_NUMBER.sub("", question).casefold().split())


def _is_heading(mark: str | None) -> bool:
    return mark is not None and mark.split()[0] == MARK_HEADING


def _paragraphs(lines: Iterable[str]) -> list[list[str]]:
    """Runs of non-blank lines, stripped."""
    paragraphs: list[list[str]] = [[]]
    for line in lines:
        line = line.strip()
        if line:
            paragraphs[-1].append(line)
        elif paragraphs[-1]:
            paragraphs.append([])
    return [paragraph for paragraph in paragraphs if paragraph]

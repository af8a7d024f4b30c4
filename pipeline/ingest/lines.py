"""Turn the lines of a text, Markdown or Word transcript into speaker turns.

Layouts understood (each may start with a timestamp such as ``[00:01:02]``):

- ``Name: words`` and Markdown ``**Name:** words`` / ``**Name**: words``;
- ``Q:``/``A:``, ``I:``/``R:``, ``M:``/``R:`` (the roles are decided later, in `roles`); the
  questions may be numbered (``Q1:``/``A1:``, ``Question 2:``, one speaker each way however many
  questions), and Q and A may take a full stop for the colon (``Q. words``) where both recur
  (`_question_and_answer_labels`); where only the questions are labelled (``Q: Why?``, then
  the answer unlabelled below), the lines after a question that ends with a question mark
  are the ``Respondent``'s answer (`_answers_unlabelled`);
- Rev's ``Name (00:01:02):`` with the words on the same or the next lines;
- Otter, Teams and Word: a line ``Name  0:03`` (or ``Name 00:01:03``, ``Name - 0:03``,
  or with a range ``Moderator (00:00:11 - 00:00:30)``), the words below;
- Zoom's saved captions: ``[Name] 10:02:33``, the words below;
- the time first, then the name, the words below: Word's Transcribe
  (``00:00:03 Speaker 1``), Trint and Happy Scribe (``[00:00:03] Anna``,
  ``00:00:03 - Anna``), when the name heads two turns or more (`_lead_headers`);
- ``[Name] words``; tab-separated ``00:01:02<TAB>Name<TAB>words``;
- a WebVTT voice line ``<v Name>words</v>`` (a .vtt pasted into a document);
- a WhatsApp chat export: ``12/03/2024, 10:15 - Name: words`` (Android) or
  ``[12/03/2024, 10:15:22] Name: words`` (iPhone); a dated line without a
  speaker ("Anna added Sam", the encryption notice) is the app's, not speech;
- older Teams Word exports: ``0:0:0.0 --> 0:0:3.5``, then the name alone on a
  line, then the words;
- chat apps' copies and exports (`chat`): a header of the sender and a time of
  day above the words (Slack's ``Anna  10:32 AM``, Google Chat's ``Anna, 10:32 AM``,
  Telegram's ``Anna, [12.03.24 10:15]``, Discord's ``Anna — Today at 10:32 AM``,
  Teams' ``[12/03/2024 10:32] Anna``), the name above its time (Slack), the
  date and time above the name (iMessage), IRC's ``<anna> words``; a time alone
  is the next message of the sender above, and the apps' own lines are dropped;
- a play script's ``ANNA. words``, where two speakers or more each speak twice;
  a description or direction in brackets (``ANNA (laughing):``, ``Ilse (Housing
  officer):``) is dropped from the label where the name alone labels other lines;
- when none of these finds a turn: the name alone on a line, with no time,
  the words below (``INTERVIEWER`` / question / ``PARTICIPANT`` / answer),
  if at least two names each head two turns or more (`_headed_turns`).

Before the layouts are read, line numbers are taken off the front of the
lines when most lines have one (`without_line_numbers`: agencies' and NVivo's
numbered transcripts), and metadata lines such as ``Location: Leeds`` or
``Date: 3 May`` are dropped, with ``Interviewer: Sam Jones`` in a header block
above the first turn (`_without_metadata`), so they end no answer and name no
speaker.

Whether a label names a speaker is decided over the whole file (`census`), so
"iPhone: hello" is a turn where iPhone speaks throughout, and a one-off
"Housing First: it works" stays in the turn it belongs to. Lines that export
tools add (`boilerplate`) are dropped. A line without a speaker continues the
current turn, because exports wrap long turns over several lines, but not a
turn read from a table, whose row holds all its words. Lines before the
first speaker (a title, a date) and lines without a speaker after a table
(a closing note) are ignored and counted in the log. Consecutive turns of
one speaker are merged later, in `assemble`.
"""
from __future__ import annotations

import logging
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from .boilerplate import is_boilerplate, transcript_part
from .census import (
    FORM_COLON,
    FORM_MARKED,
    FORM_STAMPED,
    MIN_RECURRENCE,
    Candidate,
    accepted_labels,
    canonical_spellings,
)
from .chat import chat_header, clock_line, is_app_message, nick_line, stamp_line, without_app_lines
from .labels import (
    INTERVIEWER_LABELS,
    is_speaker_label,
    normalise_name,
    question_number,
    role_tag,
    split_dotted_label,
    split_label,
    split_play_label,
    without_descriptor,
)
from .noise import is_event
from .notes import RESPONDENT
from .records import ParsedTurn
from .roles import ends_asking
from .timecode import TIMECODE, parse_timecode

logger = logging.getLogger(__name__)

_RANGE = rf"(?:\s*(?:-|–|-->)\s*{TIMECODE})?"
_LEADING_TIMESTAMP = re.compile(
    rf"^(?:\[(?P<a>{TIMECODE}){_RANGE}\]|\((?P<b>{TIMECODE}){_RANGE}\)|(?P<c>{TIMECODE}){_RANGE})"
    r"\s+(?P<rest>\S.*)$")
_TIMESTAMP_LINE = re.compile(rf"^[\[(]?{TIMECODE}{_RANGE}[\])]?$")
_CUE_RANGE = re.compile(rf"^(?P<tc>{TIMECODE})\s*-->\s*{TIMECODE}")
_TIMECODE_ONLY = re.compile(rf"^{TIMECODE}$")
_LEAD_SEPARATOR = re.compile(r"^[-–—|]\s*")  # "00:00:03 - Anna"
# WhatsApp's message stamp: a date, a time of day, then " - " (Android) or inside brackets (iPhone).
_CHAT_STAMP = re.compile(
    r"^\u200e?(?P<open>\[)?\d{1,4}[./-]\d{1,2}[./-]\d{2,4},?\s+"
    r"(?P<time>\d{1,2}:\d{2}(?::\d{2})?)(?:\s*(?P<half>[AaPp]\.?\s?[Mm]\.?))?"
    r"(?(open)\]\s+|\s+[-–]\s+)(?P<rest>\S.*)$")
# What WhatsApp writes in place of a message it left out of the export; nobody said it.
_CHAT_PLACEHOLDER = re.compile(
    r"^\u200e?(?:<media omitted>|<attached: [^<>]+>|(?:image|video|audio|sticker|gif|document) omitted"
    r"|this message was deleted|you deleted this message|<this message was edited>|null)$", re.IGNORECASE)
# Otter/Teams speaker header; the time (or time range) must be the whole end of the line.
# A dash may stand between the name and the time ("Anna Smith - 00:03", as Fireflies writes it), or a comma
# ("Anna Smith, 10:32", as Teams' chat is copied), which is not part of the name.
_HEADER = re.compile(
    rf"^(?P<name>.+?),?\s+(?:[-–|]\s+)?[\[(]?(?P<tc>\d{{1,2}}:\d{{2}}(?::\d{{2}})?(?:[.,]\d{{1,3}})?){_RANGE}[\])]?$")
# Zoom's saved closed captions: "[Sam Jones] 10:02:33", the words on the next lines.
_BRACKET_HEADER = re.compile(rf"^\[(?P<name>[^\[\]]{{1,60}})\]\s*(?P<tc>{TIMECODE})$")
_BRACKET_LABEL = re.compile(r"^\[(?P<name>[^\[\]]{1,60})\]\s*:?\s+(?P<rest>\S.*)$")
_VOICE_LINE = re.compile(r"^<v(?:\.[^\s>]*)?\s+(?P<name>[^>]+)>(?P<rest>.*)$", re.IGNORECASE)
_TAG = re.compile(r"</?[A-Za-z][^<>]*>|<\d[\d:.]*>")
# A line number in front of a line ("12   Anna: words", "13\tmore words"), or alone on a line left empty.
_LINE_NUMBER = re.compile(r"^(?P<n>\d{1,5})(?:[ \t]+(?P<rest>\S.*))?$")
# Numbers in front of lines are line numbers when this share of the lines has one, at least this many ...
LINE_NUMBERED_SHARE = 0.6
MIN_NUMBERED_LINES = 3
# ... and they rise from one numbered line to the next (or start again at 1, as Word's do on each page) this often.
LINE_NUMBERS_RISING = 0.8
# Words that head a line of metadata ("Location: Leeds"), not of speech; a gathered document puts them under
# each interview's heading. Compared case-folded; a value this long or longer is speech (`_without_metadata`).
_METADATA_KEYS = frozenset({"date", "time", "location", "place", "duration", "field", "project", "recorded",
                            "recorded on", "transcribed by", "transcriber", "transcription", "file", "venue"})
MAX_METADATA_WORDS = 8
# Labels that name who spoke in a turn, but name the person in a header block: "Interviewer: Sam Jones".
_HEADER_KEYS = frozenset({"interviewer", "interviewee", "participant", "respondent"})
# A header block stands within this many lines of the top (a title, a date, who, where, how long, by whom).
MAX_HEADER_LINES = 15
# A stage direction alone on a line, in brackets: "(pausing)", "(to Sam, quietly)".
_DIRECTION = re.compile(r"^\([^()]{1,40}\)$")
# A name in Markdown bold, "**Anna**" or "__Anna:__", alone on its line.
_EMPHASIS = re.compile(r"^(?P<mark>\*\*|__)(?P<inner>.+?)(?P=mark)$")


@dataclass(frozen=True)
class _Opening:
    """One way a line could open a turn: the label, the words after it, the start, the form."""

    label: str
    words: str
    start: float
    form: str
    clock: bool = False  # the start is a time of day (Zoom's saved captions), not an offset
    lead: bool = False  # a "00:00:03 Name" header: the time first, the words below
    dotted: bool = False  # "Q. words": the Q/A convention with a full stop for the colon
    play: bool = False  # "ANNA. words": a play script's speaker, in capitals with a full stop


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
    items, metadata = _prepared(items)
    openings = _play_labels(_described_labels(_question_and_answer_labels(_lead_headers(_openings_of(items)))))
    accepted = accepted_labels(
        (Candidate(o.label, o.form) for options in openings for o in options), known)
    canonical = canonical_spellings((o.label for options in openings for o in options), accepted)
    answers_unlabelled = _answers_unlabelled(accepted)

    turns: list[ParsedTurn] = []
    current: ParsedTurn | None = None
    ignored = after_table = 0
    in_table = False  # the last turn came from a table
    clock_origin: float | None = None  # the first time of day, which becomes 0
    for item, options in zip(items, openings):
        if isinstance(item, ParsedTurn):
            # A table row holds all of its turn's words: a line below the table
            # ("End of transcript.") is not more of them, only a new label opens a turn.
            current, in_table = None, True
            turns.append(item)
            continue
        opening = next((o for o in options if o.label.casefold() in accepted), None)
        if opening is not None:
            start = opening.start
            if opening.clock:
                clock_origin = start if clock_origin is None else clock_origin
                start = max(start - clock_origin, 0.0)
            current, in_table = ParsedTurn(canonical[opening.label.casefold()], opening.words, start), False
            turns.append(current)
        elif (_CUE_RANGE.match(item) or _TIMESTAMP_LINE.match(item) or _CHAT_STAMP.match(item)
              or clock_line(item) is not None):
            continue  # a time without words: a cue's, or a chat message's whose sender is named above or below
        elif in_table:
            after_table += 1
        elif current is None:
            ignored += 1
        elif answers_unlabelled and current.speaker != RESPONDENT and ends_asking(current.text):
            current = ParsedTurn(RESPONDENT, item)
            turns.append(current)
        else:
            current.text = f"{current.text} {item}" if current.text else item
    if metadata:
        logger.info("%s: %d metadata line(s) such as 'Date: ...' or 'Location: ...' ignored", name, metadata)
    if ignored:
        logger.info("%s: %d line(s) before the first speaker label ignored", name, ignored)
    if after_table:
        logger.info("%s: %d line(s) without a speaker label after a speaker table ignored", name, after_table)
    if not speaks_twice(turns):
        headed = _headed_turns(items, known)
        if headed:
            logger.info("%s: read as speaker names alone on a line above their words", name)
            return headed
    return turns


def names_above_words(items: Iterable[str | ParsedTurn], known: frozenset[str] = frozenset(),
                      name: str = "") -> list[ParsedTurn]:
    """Only the layout of names alone above their words (`_headed_turns`), over lines prepared as `parse_lines`
    prepares them: for the headings of a Markdown, Word or OpenDocument file, which may be such names but
    are never ``Name: words`` turns ("Interview 4: notes" is a title).

    >>> [t.speaker for t in names_above_words(["Interview 4: notes", "Sam", "Why?", "Anna", "Cost.", "Sam", "So?",
    ...                                         "Anna", "We cut."])]
    ['Sam', 'Anna', 'Sam', 'Anna']
    """
    turns = _headed_turns(_prepared(items)[0], known)
    if turns:
        logger.info("%s: read as speaker names alone on a line above their words", name)
    return turns


def _prepared(items: Iterable[str | ParsedTurn]) -> tuple[list[str | ParsedTurn], int]:
    """Stripped lines without line numbers, export-tool lines and metadata lines; and how many metadata lines."""
    items = without_line_numbers([item if isinstance(item, ParsedTurn) else item.strip()
                                  for item in transcript_part(list(items))])
    items = [item for item in items
             if isinstance(item, ParsedTurn) or (item and not is_boilerplate(item))]
    return _without_metadata(without_app_lines(items))


def speaks_twice(turns: list[ParsedTurn]) -> bool:
    """Whether a speaker heads two turns or more: in a conversation people speak more than once.

    A file read into turns none of whose speakers comes back is as often notes with one ``Budget: cut
    by a tenth`` line, whose "speaker" swallows every line below it, as a two-line exchange.
    """
    return max(Counter(turn.speaker.casefold() for turn in turns).values(), default=0) >= MIN_RECURRENCE


def first_reading(*readings: Callable[[], list[ParsedTurn]]) -> list[ParsedTurn]:
    """The turns of the first reading of a file in which a speaker speaks twice (`speaks_twice`), else of the
    first that finds any: the readings are the layouts to try, the likeliest first.

    >>> first_reading(lambda: [ParsedTurn("Budget", "cut. Why? Cost.")],
    ...               lambda: [ParsedTurn("Q", "Why?"), ParsedTurn("A", "Cost."), ParsedTurn("Q", "So?")])[0].speaker
    'Q'
    >>> first_reading(lambda: [], lambda: [ParsedTurn("Anna", "One.")], lambda: [])[0].speaker
    'Anna'
    """
    fallback: list[ParsedTurn] = []
    for read in readings:
        turns = read()
        if speaks_twice(turns):
            return turns
        fallback = fallback or turns
    return fallback


def _answers_unlabelled(accepted: frozenset[str]) -> bool:
    """Whether the file labels only the interviewer's turns (``Q:``, ``Interviewer:``), so the answers are unlabelled.

    A line without a label continues the turn above it, as a wrapped line does; but where no label
    names anyone but the interviewer, the line after a question is the answer, and read as more of
    the question it would be lost from the quotes.

    >>> _answers_unlabelled(frozenset({"q"})), _answers_unlabelled(frozenset({"q", "a"}))
    (True, False)
    """
    return bool(accepted) and accepted <= INTERVIEWER_LABELS


def without_line_numbers(items: list[str | ParsedTurn]) -> list[str | ParsedTurn]:
    """`items` without the line number in front of each line, when most lines have one.

    Transcription agencies and NVivo number the lines of a transcript
    (``  12   Anna: We ...``), and a number in front of the label hides it. The
    numbers are line numbers only when at least `LINE_NUMBERED_SHARE` of the
    lines have one and they go up from one line to the next at least
    `LINE_NUMBERS_RISING` of the time, or start again at 1 (Word's, on each page); a
    turn's own "2 of us went", a ``00:01:02`` time and a ``1.`` list item
    never qualify. Items are expected stripped; a line that held only its
    number becomes empty.

    Examples
    --------
    >>> without_line_numbers(["1   Sam: Why?", "2\tAnna: 3 reasons.", "3", "4   1. Cost"])
    ['Sam: Why?', 'Anna: 3 reasons.', '', '1. Cost']
    >>> without_line_numbers(["Sam: Why?", "2 of us went.", "Anna: Fine."])
    ['Sam: Why?', '2 of us went.', 'Anna: Fine.']
    """
    lines = [item for item in items if isinstance(item, str) and item]
    numbers = [int(match.group("n")) for match in map(_LINE_NUMBER.match, lines) if match]
    rising = sum(later > earlier or later == 1 for earlier, later in zip(numbers, numbers[1:]))  # 1: a new page
    if (len(numbers) < MIN_NUMBERED_LINES or len(numbers) < LINE_NUMBERED_SHARE * len(lines)
            or rising < LINE_NUMBERS_RISING * (len(numbers) - 1)):
        return items
    return [item if isinstance(item, ParsedTurn) else _LINE_NUMBER.sub(r"\g<rest>", item) for item in items]


def _without_metadata(items: list[str | ParsedTurn]) -> tuple[list[str | ParsedTurn], int]:
    """`items` without the metadata lines (``Location: Leeds``), and how many there were.

    A document that gathers interviews puts ``Location: Leeds`` or
    ``Date: 3 May`` under each one's heading; read as a line without a speaker,
    it would end the previous answer, and ``Field: SC`` would even be a
    speaker. A metadata line is a `_METADATA_KEYS` word, a colon and a short
    value (`MAX_METADATA_WORDS` words, no question), and only where no line of the
    file gives that word a longer value: a speaker surnamed Field says more.
    ``Interviewer: Sam Jones`` and ``Participant: P07`` are metadata only in a
    header block (metadata lines and titles at the top, with at least one
    `_METADATA_KEYS` line), since everywhere else they are how turns are
    labelled; ``Interviewer:`` with nothing after it heads the words below. The
    block ends at the first line that may be a turn (a label that recurs, or a
    value that is long or ends a sentence), or at `MAX_HEADER_LINES`.

    Examples
    --------
    >>> lines = ["Interview 3", "Date: 3 May", "Interviewer: Sam Jones", "Interviewer: Why?", "Anna: Cost.",
    ...          "Location: Leeds", "Interviewer: So?"]
    >>> _without_metadata(lines)
    (['Interview 3', 'Interviewer: Why?', 'Anna: Cost.', 'Interviewer: So?'], 3)
    """
    fields = [split_label(item) if isinstance(item, str) else None for item in items]
    keys = [field[0].casefold() if field else "" for field in fields]
    long_keys = {key for key, field in zip(keys, fields) if field and field[1] and not _short_value(field[1])}
    dropped = {i for i, (key, field) in enumerate(zip(keys, fields))
               if key in _METADATA_KEYS and key not in long_keys and field and field[1]}
    seen = Counter(keys)
    header: list[int] = []
    end = min(len(items), MAX_HEADER_LINES)  # where the header block ends: the first line that may be a turn
    for i, (key, field) in enumerate(zip(keys[:end], fields)):
        if i in dropped or field is None and isinstance(items[i], str):
            continue  # a metadata line, or a title
        if (field and _short_value(field[1]) and not field[1].endswith((".", "!", ","))
                and (key in _HEADER_KEYS or seen[key] == 1)):
            if key in _HEADER_KEYS:
                header.append(i)
            continue  # "Interviewer: Sam Jones", or a title with a colon ("Interview 3: Housing")
        end = i
        break
    if any(i in dropped for i in range(end)):
        dropped.update(header)
    return [item for i, item in enumerate(items) if i not in dropped], len(dropped)


def _short_value(value: str) -> bool:
    """Whether a value after a colon is short enough for metadata, and not a question (nor empty)."""
    return 0 < len(value.split()) <= MAX_METADATA_WORDS and "?" not in value


def _headed_turns(items: list[str | ParsedTurn], known: frozenset[str]) -> list[ParsedTurn]:
    """Turns of a file that names each speaker alone on a line above the words, with no time.

    ``INTERVIEWER`` / the question / ``PARTICIPANT`` / the answer: the layout
    of many transcription services. Tried only when no other layout found a
    turn, and a heading counts only when it is a strict speaker label
    (`labels.is_speaker_label`, an optional colon after it, Markdown bold
    around it), is followed by
    a line that is not one, and recurs: at least two such labels, each
    heading two turns or more, so a title or a one-off heading above a
    paragraph is never taken for a speaker.

    A line all in brackets straight under a name is a screenplay's direction ("(pausing)"), not words.

    >>> lines = ["Interview 3", "INTERVIEWER", "Why?", "PARTICIPANT", "(pausing)", "Cost.", "It was.", "INTERVIEWER",
    ...          "So?", "PARTICIPANT", "We cut."]
    >>> [(t.speaker, t.text) for t in _headed_turns(lines, frozenset())]
    [('INTERVIEWER', 'Why?'), ('PARTICIPANT', 'Cost. It was.'), ('INTERVIEWER', 'So?'), ('PARTICIPANT', 'We cut.')]
    """
    if any(isinstance(item, ParsedTurn) for item in items):
        return []
    lines = [str(item) for item in items]
    names = [normalise_name(_EMPHASIS.sub(r"\g<inner>", line).strip().rstrip(":").strip()) for line in lines]
    heading = [is_speaker_label(name, known) for name in names]
    heads = [i for i in range(len(lines) - 1) if heading[i] and not heading[i + 1]]
    counts = Counter(names[i].casefold() for i in heads)
    accepted = {label for label, n in counts.items() if n >= 2}
    if len(accepted) < 2:
        return []
    starts = {i for i in heads if names[i].casefold() in accepted}
    turns: list[ParsedTurn] = []
    for i, line in enumerate(lines):
        if i in starts:
            turns.append(ParsedTurn(names[i], ""))
        elif i - 1 in starts and _DIRECTION.match(line):
            continue  # a screenplay's "(pausing)" under the name: how it was said, not what
        elif turns:
            turns[-1].text = f"{turns[-1].text} {line}" if turns[-1].text else line
    return turns


def _lead_headers(openings: list[list[_Opening]]) -> list[list[_Opening]]:
    """`openings` without the time-first headers (``00:00:03 Speaker 1``) whose name heads
    fewer than two of them.

    A line of a time and a few capitalised words is also what a transcript of
    timed utterances without speakers holds ("00:00:05 Right"); a speaker's
    name comes back, an utterance seldom does, and never with words below it.
    """
    counts = Counter(o.label.casefold() for options in openings for o in options if o.lead)
    return [[o for o in options if not o.lead or counts[o.label.casefold()] >= MIN_RECURRENCE]
            for options in openings]


def _question_and_answer_labels(openings: list[list[_Opening]]) -> list[list[_Opening]]:
    """`openings` with the Q/A convention's variants made one label each way.

    ``Q. words`` (a full stop for the colon) is kept only where questions and
    answers both open that way at least `MIN_RECURRENCE` times: a lone
    ``A. Background`` is a list's first item. Where the questions are numbered
    (``Q1:``, ``Question 2.``), the number is dropped from every Q and A label, so
    the interviewer is one speaker and the participant another, not one per question;
    a number after any other label (``P2``, ``Speaker 2``) still tells people apart.

    >>> labels = lambda lines: [[o.label for o in options]
    ...                         for options in _question_and_answer_labels(_openings_of(lines))]
    >>> labels(["Q1. Why?", "A1. Cost.", "Q2. And?", "A2. Time."])
    [['Q'], ['A'], ['Q'], ['A']]
    >>> labels(["A. Background", "B. Scope"])
    [[], []]
    """
    dotted = Counter(_asks_first(o.label) for options in openings for o in options if o.dotted)
    keep_dotted = min(dotted[True], dotted[False]) >= MIN_RECURRENCE
    numbered_questions = any((question_number(o.label) or ("", False))[1]
                             for options in openings for o in options if keep_dotted or not o.dotted)
    result = []
    for options in openings:
        kept = []
        for option in options:
            if option.dotted and not keep_dotted:
                continue
            unnumbered = question_number(option.label) if numbered_questions else None
            kept.append(replace(option, label=unnumbered[0]) if unnumbered else option)
        result.append(kept)
    return result


def _play_labels(openings: list[list[_Opening]]) -> list[list[_Opening]]:
    """`openings` without the play script's ``ANNA. words`` unless two labels or more so opened each open
    `MIN_RECURRENCE` lines or more (in any form: ``ANNA (laughing): words`` too): a line of speech may start
    with a word in capitals and a full stop ("NHS. They ...").

    >>> labels = lambda lines: [[o.label for o in options] for options in _play_labels(_openings_of(lines))]
    >>> labels(["SAM. Why?", "ANNA. Cost.", "SAM. And?", "ANNA. Time."])
    [['SAM'], ['ANNA'], ['SAM'], ['ANNA']]
    >>> labels(["Sam: Why?", "NHS. They paid.", "Anna: Cost.", "NHS. Again."])
    [['Sam'], [], ['Anna'], []]
    """
    played = {o.label.casefold() for options in openings for o in options if o.play}
    counts = Counter(o.label.casefold() for options in openings for o in options)
    if sum(counts[label] >= MIN_RECURRENCE for label in played) >= 2:
        return openings
    return [[o for o in options if not o.play] for options in openings]


def _described_labels(openings: list[list[_Opening]]) -> list[list[_Opening]]:
    """`openings` with a speaker's description or a stage direction in brackets dropped from the label, where
    the name alone labels other lines of the file: ``Ilse (Housing officer): ...`` and later ``Ilse: ...``,
    or a play's ``ANNA (laughing): ...`` among ``ANNA. ...``, are one speaker, not two.

    Left alone, the described label is a speaker of its own, or, seen once among recurring speakers, a
    one-off taken for prose (`census`), and its words are lost. A role in brackets (``Sam (Interviewer)``)
    is kept: it says who asks.

    >>> labels = lambda lines: [[o.label for o in options] for options in _described_labels(_openings_of(lines))]
    >>> labels(["Ilse (Housing officer): We cut it.", "Sam: Why?", "Ilse: Money."])
    [['Ilse'], ['Sam'], ['Ilse']]
    """
    names = {o.label.casefold() for options in openings for o in options}
    result = []
    for options in openings:
        kept = []
        for option in options:
            core = without_descriptor(option.label)
            if core != option.label and core.casefold() in names and role_tag(option.label) is None:
                option = replace(option, label=core)
            kept.append(option)
        result.append(kept)
    return result


def _asks_first(label: str) -> bool:
    """Whether a Q/A label (numbered or not) is the question's: "Q", "Q1", "Question 2"."""
    return label.casefold().startswith("q")


def _openings_of(items: list[str | ParsedTurn]) -> list[list[_Opening]]:
    """For each item, the ways it could open a turn, most specific first."""
    result: list[list[_Opening]] = []
    cue_start: float | None = None  # set by a "0:0:0.0 --> ..." line; a name alone may follow
    stamp: float | None = None  # set by a line of a date and a time alone (iMessage); the sender follows
    for index, item in enumerate(items):
        if isinstance(item, ParsedTurn):
            result.append([])
            cue_start = stamp = None
            continue
        options = _line_openings(item)
        following = items[index + 1] if index + 1 < len(items) else None
        later = clock_line(following) if isinstance(following, str) else None
        if options or clock_line(item) is not None:
            pass  # "10:33 AM" alone is a Slack message's time, not a header of a speaker called AM
        elif stamp is not None and not split_label(item):
            options = [_Opening(normalise_name(item), "", stamp, FORM_COLON, clock=True)]
        elif later is not None:
            # "Anna Smith" above "10:32 AM" (Slack, copied): weak evidence alone, so a colon's, which
            # must recur or stand among fewer than two other speakers (`census`).
            options = [_Opening(normalise_name(item), "", later, FORM_COLON, clock=True)]
        elif isinstance(following, str) and not _LEADING_TIMESTAMP.match(following):
            options = _lead_header(item)
        stamp = stamp_line(item)
        if cue_start is not None:
            options = [_Opening(o.label, o.words, o.start if not math.isnan(o.start) else cue_start,
                                o.form) for o in options]
            if not split_label(item):
                options.append(_Opening(normalise_name(item), "", cue_start, FORM_STAMPED))
        result.append(options)
        cue = _CUE_RANGE.match(item)
        cue_start = parse_timecode(cue.group("tc")) if cue else None
    return result


def _line_openings(line: str) -> list[_Opening]:
    voice = _VOICE_LINE.match(line)
    if voice:
        words = " ".join(_TAG.sub("", voice.group("rest")).split())
        return [_Opening(normalise_name(voice.group("name")), words, math.nan, FORM_MARKED)]
    bracket = _BRACKET_HEADER.match(line)
    if bracket and not is_event(bracket.group("name")):
        return [_Opening(normalise_name(bracket.group("name")), "",
                         parse_timecode(bracket.group("tc")), FORM_MARKED, clock=True)]
    header = chat_header(line)
    if header:
        # A colon's strength: one header alone ("Board meeting, 10:30 AM" in notes) is not a speaker.
        return [_Opening(normalise_name(header[0]), "", header[1], FORM_COLON, clock=True)]
    chat = _CHAT_STAMP.match(line)
    if chat:
        return _chat_openings(chat)
    options: list[_Opening] = []
    if "\t" in line:
        options.extend(_tab_openings(line))
    stamped = _LEADING_TIMESTAMP.match(line)
    if stamped:
        stamp = parse_timecode(stamped.group("a") or stamped.group("b") or stamped.group("c"))
        for option in _label_openings(stamped.group("rest")):
            start = option.start if not math.isnan(option.start) else stamp
            options.append(_Opening(option.label, option.words, start, FORM_STAMPED))
    options.extend(_label_openings(line))
    header = _HEADER.match(line)
    if header:
        options.append(_Opening(normalise_name(header.group("name").rstrip(":")), "",
                                parse_timecode(header.group("tc")), FORM_STAMPED))
    return options


def _chat_openings(chat: re.Match[str]) -> list[_Opening]:
    """``12/03/2024, 10:15 - Name: words``: the message's sender and words, at its time of day."""
    hours, minutes, *seconds = (int(part) for part in chat.group("time").split(":"))
    half = (chat.group("half") or "").replace(".", "").replace(" ", "").casefold()
    if half:
        hours = hours % 12 + (12 if half == "pm" else 0)  # "12:05 AM" is five past midnight
    start = float(hours * 3600 + minutes * 60 + sum(seconds))
    # The app's own messages ("Messages and calls are end-to-end encrypted") open no turn: on an iPhone they
    # are the chat's messages, in the name of the other person, who said none of it.
    return [_Opening(o.label, "" if _CHAT_PLACEHOLDER.match(o.words) else o.words, start, FORM_STAMPED, clock=True)
            for o in _label_openings(chat.group("rest")) if not is_app_message(o.words)]


def _lead_header(line: str) -> list[_Opening]:
    """``00:00:03 Speaker 1``, ``[00:00:03] Anna`` or ``00:00:03 - Anna``: a time, then a name
    alone, the words on the next lines (Word's Transcribe, Trint, Happy Scribe)."""
    stamped = _LEADING_TIMESTAMP.match(line)
    if not stamped:
        return []
    label = normalise_name(_LEAD_SEPARATOR.sub("", stamped.group("rest")))
    if not label or split_label(label):
        return []
    stamp = parse_timecode(stamped.group("a") or stamped.group("b") or stamped.group("c"))
    return [_Opening(label, "", stamp, FORM_STAMPED, lead=True)]


def _label_openings(text: str) -> list[_Opening]:
    """``Name: words`` and ``[Name] words`` at the start of `text`."""
    options = []
    split = split_label(text)
    if split:
        label, words, start = split
        form = FORM_COLON if math.isnan(start) else FORM_STAMPED
        options.append(_Opening(label, words, start, form))
    dotted = split_dotted_label(text)
    if dotted:
        options.append(_Opening(dotted[0], dotted[1], math.nan, FORM_COLON, dotted=True))
    played = split_play_label(text) if not dotted else None
    if played:
        options.append(_Opening(played[0], played[1], math.nan, FORM_COLON, play=True))
    nick = nick_line(text)
    if nick:  # an IRC log's "<anna> words"
        options.append(_Opening(nick[0], nick[1], math.nan, FORM_COLON))
    bracket = _BRACKET_LABEL.match(text)
    # "[00:00:03] Anna" is a time, not a speaker called 00:00:03.
    if bracket and not is_event(bracket.group("name")) and not _TIMECODE_ONLY.match(bracket.group("name")):
        options.append(_Opening(normalise_name(bracket.group("name")), bracket.group("rest"),
                                math.nan, FORM_COLON))
    return options


def _tab_openings(line: str) -> list[_Opening]:
    """``00:01:02<TAB>Name<TAB>words`` (InqScribe, Zoom and spreadsheet exports)."""
    fields = [field.strip() for field in line.split("\t") if field.strip()]
    start = math.nan
    while fields and _TIMECODE_ONLY.match(fields[0]):
        start = parse_timecode(fields[0]) if math.isnan(start) else start
        fields = fields[1:]
    if len(fields) < 2 or math.isnan(start) and not fields[0].endswith(":"):
        return []  # without a time, a tab is often just indentation
    label = normalise_name(fields[0].rstrip(":"))
    return [_Opening(label, " ".join(fields[1:]), start,
                     FORM_COLON if math.isnan(start) else FORM_STAMPED)] if label else []

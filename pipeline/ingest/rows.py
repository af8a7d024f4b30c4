"""Table transcripts: .csv (and .tsv) and .jsonl, one row per turn; .json exports holding a list of turns.

Column ``text`` is required; ``transcript_id``, ``speaker``, ``team``, ``role``
and ``start`` are optional, and other columns are ignored. Column names are
matched case-insensitively, with spaces, underscores and hyphens alike
(`column_key`: "Speaker Name", "speaker_name" and "speaker-name" are one
name), and the names transcription tools, spreadsheets and the exports of
ticket queues and consultations use for them are understood too
(``Transcript`` or ``Utterance`` for text, and every name a Word table's
words column goes by, ``What was said`` or ``Said`` in an interview log
typed by hand: `tables.SPOKEN_TEXT_HEADERS`; ``Speaker Name`` for speaker,
``Start Time`` for start; ``Description``, ``Response``, ``Message`` or
``Comment`` for the text of a request, a response or a comment, ``Submitted
By``, ``Requester``, ``Respondent Name``, ``Author`` or ``User`` for who
wrote it, ``Department`` or ``Stakeholder Group`` for the team:
`COLUMN_ALIASES`); a column with the contract's own name wins, and among
aliases the one listed first.

What a conversation is. Rows with a ``transcript_id`` (or ``Meeting``,
``Session``...) belong to that conversation; a file whose rows have none is
one conversation, the turns of a meeting, an interview or a chat, unless its
rows are submissions: requests, tickets, responses to a consultation, each
written on its own by the person it names. Then each person's rows are a
conversation of their own (``<file>#<n>``, n counting people in the order
of their first row: never a name, which would show in every output), so a
theme raised by forty people counts forty voices, not one, and one person's
seventeen tickets count once. Rows are submissions (`_submissions`) when the
column naming the person is a submitter's (``Submitted By``, ``Requester``,
``Respondent``, ``Caller``...: `SUBMITTER`; a turn table says ``Speaker``),
or when ten people or more write and most write at most two rows, nobody a
third of them: the shape of a comment board (the Polis consultation in the
evaluation data: 97 authors, three in four writing one or two comments). A
meeting or a chat is a few people taking many turns each (the 137 AMI
meetings: 4 speakers, 22 turns each or more; the bundled sample: 2), with a
chair who speaks between the others. The count alone cannot tell a small
consultation from a meeting (8 respondents of 19 responses each look like
an 8-person meeting), which is why the header is asked first.

Rows are never merged, except a transcription tool's timed segments: a row's
``turn`` is its index within its transcript, counting every row, so it still
points at the source row (and at AMI's turn ids) after empty rows are
dropped. Rows timed with both a start and an end (Whisper's ``segments``,
AssemblyAI's ``utterances``, Deepgram's, a subtitle tool's table) are cut
where the tool paused, not where the speaker changed: consecutive segments
of one speaker are merged into one turn by `assemble`, as the cues of a
.vtt are (`_segments`). A table of turns typed or exported by turn has no
end times, and keeps two rows of one speaker as two turns.

The CSV delimiter is the first of ``, ; TAB |`` that makes a text column
appear in the header row. Excel writes ``;`` in many European locales, and
guessing from the header is predictable where a sniffer is not. The
``sep=;`` line Excel reads and some exports write above the header is
dropped (`drop_separator_line`), so the header is the header.

A .json file is what transcription services and scripts export: a list of
turn objects, at the top or under a key (Whisper's ``segments``,
AssemblyAI's ``utterances``, Deepgram's ``results.utterances``, QMSum's
``meeting_transcripts``), or Rev.ai's ``monologues`` of word elements
(`monologues`). The list read is the shallowest list of objects
of which at least half have a text key, at equal depth the one naming
speakers, then the longest (`turn_list`); its objects are rows as above. A
.json file with no such list (settings, metadata, a previous run's
``run.json``) is skipped with the reason, not failed. The services that
write their speakers beside their words (Amazon Transcribe, Deepgram's
paragraphs, Google, Azure, Speechmatics, IBM Watson) are read first by
`asr_json`, as each writes them.
"""
from __future__ import annotations

import csv
import io
import itertools
import json
import logging
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from pipeline import schema
from pipeline.errors import InputFileError

from . import asr_json, surveys
from .encoding import decode_text
from .records import ParsedTurn, ParseOptions
from .tables import SPOKEN_TEXT_HEADERS
from .timecode import parse_start

logger = logging.getLogger(__name__)

_DELIMITERS = [",", ";", "\t", "|"]
_SEPARATOR_LINE = re.compile(r'^"?sep=.?"?\r?$', re.IGNORECASE)
_INTERVIEWER_ROLES = {"interviewer", "consultant", "moderator", "facilitator"}
_PARTICIPANT_ROLES = {"participant", "interviewee", "respondent", "spokesperson"}
_NO_SPEAKER_HINT = ("transcribe it with speaker labels (diarisation: WhisperX, or the service's speaker "
                    "option), or name the speaker of each segment in a 'speaker' key")
_HINT = ("a .csv transcript needs a header row with a 'text' column "
         "(optional: transcript_id, speaker, team, role)")


def _after(first: tuple[str, ...], more: Iterable[str], canonical: str) -> tuple[str, ...]:
    """`first`, then the names of `more` it lacks (and that are not the `canonical` name itself), in order."""
    return (*first, *(name for name in dict.fromkeys(more) if name not in first and name != canonical))


# Who wrote a row of submissions (a ticket, a request, a consultation response): the person column
# of a ticket queue's or a consultation portal's export. Never a turn table's, which says "speaker";
# a row with one of these as its person column is a submission (`_submissions`). Not "contact" alone:
# a survey's "Contact" is as often a yes/no ("may we contact you?"), and a yes would become a person.
SUBMITTER = "submitter"
# An interview log's question column: each row is a question and its answer, the text column the answer.
QUESTION = "question"
# What an interview log calls the interviewer who asks its questions.
LOG_INTERVIEWER = "Interviewer"
COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    # Matched by `column_key`: "comment-body" is also "Comment Body" and "comment_body". Order is priority:
    # a ticket's "Description" before the "Comments" agents add to it. Not "Summary" (Jira's, a ticket's
    # title, short beside its description), "Subject" (an e-mail's) or "Notes" (a service desk's work
    # notes are the agent's, not the requester's words): taking one would quote the wrong voice.
    # Then a hand-typed interview log's "What was said", "Said", "Statement", "Quote" or "Words" and a
    # consultation form's "Your response" or "Remarks" ("Words" last: elsewhere it may be a word count), and
    # any other name a Word table's words column goes by (`tables.SPOKEN_TEXT_HEADERS`), so that a table
    # typed in Word and the same table typed in Excel are read alike.
    # First of all, what a research repository or a coding tool calls the participant's words in its export
    # of excerpts (`EXCERPT_MARKS`): NVivo's "Coded text", ATLAS.ti's "Quotation (Content)", Dovetail's
    # "Highlight". Beside them, "Comment" is the analyst's memo on the excerpt, never the participant's words.
    schema.TEXT: _after(("coded text", "coded segment", "coded content", "coded reference", "quotation content",
                         "quotation", "highlight", "highlight text", "excerpt", "excerpt text", "segment text",
                         "transcript", "transcription", "utterance", "content", "speech", "dialogue", "dialog",
                         "verbatim", "description", "details", "message", "comment", "comments", "comment body",
                         "body", "request", "query", "feedback", "response", "answer", "sentence",
                         "what was said", "said", "statement", "your response", "quote", "remarks", "words"),
                        SPOKEN_TEXT_HEADERS, schema.TEXT),
    schema.SPEAKER: ("speaker name", "speaker label", "who", "name", "author", "author id", "participant",
                     "participant id", "user", "user id"),
    # Who raised a ticket before who logged it for them ("Created By" is often the service desk's agent).
    SUBMITTER: ("submitted by", "requester", "requestor", "requester name", "caller", "reporter", "customer",
                "customer name", "respondent name", "respondent", "respondent id", "contact name", "created by",
                "interviewee", "interviewee name", "interviewee id"),
    schema.START: ("start time", "starttime", "timestamp", "time", "begin"),
    # A coding tool's or research repository's export of excerpts names the document each comes from: the
    # interview (NVivo's and ATLAS.ti's "Document", a repository's "Interview" or "Transcript name").
    schema.TRANSCRIPT_ID: ("conversation id", "interview id", "meeting id", "meeting", "session id", "session",
                           "dialogue id", "dialog id", "call id", "ticket id", "thread id", "doc id", "document id",
                           "document", "document name", "source document", "interview", "interview name",
                           "transcript name", "transcript title"),
    # What an organisation's export calls the team ("Department", "Directorate"), the group a comment's
    # author belongs to (Polis's opinion groups, a survey's "Group") and a consultation's kind of respondent
    # ("Stakeholder Group"). Not "Category" or "Queue" (what a ticket is about, and who handles it: not who
    # raised it), nor "Segment" (a transcription tool's segment number) or "Stakeholder" alone (a
    # stakeholder register's name of each organisation: a team per row).
    schema.TEAM: ("team name", "team id", "department", "directorate", "division", "unit", "business unit",
                  "service area", "group", "group id", "stakeholder group", "stakeholder type", "respondent type",
                  "customer segment"),
    schema.ROLE: ("speaker role", "speaker type"),
    # An interview log's question beside its answer (the text): the interviewer's words (`_asked`).
    QUESTION: ("interview question", "question asked", "question text", "prompt"),
}
# The person a row is by: a turn table's speaker, else a submission's submitter.
_PERSON_COLUMNS = (schema.SPEAKER, SUBMITTER)
_SEPARATORS = re.compile(r"[\s_\-]+")
# A segment's end time: with a start, the mark of a transcription tool's segments (`_segments`).
_END_COLUMNS = frozenset({"end", "end time", "endtime", "stop", "stop time"})


def parse_csv(data: bytes, options: ParseOptions) -> list[ParsedTurn]:
    """Turns of a .csv file, one per row with text.

    Examples
    --------
    >>> turns = parse_csv(b"speaker;text\\nAnna;We agreed.\\n", ParseOptions("a.csv"))
    >>> [(t.speaker, t.text, t.row) for t in turns]
    [('Anna', 'We agreed.', 0)]
    """
    text = drop_separator_line(decode_text(data, options.name, options.fallback_encoding))
    aliases = _aliases_for(text)
    if (_delimiter(text, {schema.TEXT, *aliases[schema.TEXT]}) is None or _survey_header(text)
            or _respondent_rows(text, aliases)):
        wide = _wide_turns(text, options.name, aliases)
        if wide:
            return wide
    return _rows_to_turns(csv_records(text, schema.TEXT, options.name, _HINT, aliases), options.name,
                          respondents=_anonymous_form(text, aliases))


def _survey_header(text: str) -> bool:
    """Whether the table opens with a survey tool's header of several rows (`surveys.header_rows`): then a
    question id named like a text column (a Qualtrics question renamed "Comments") does not make it a turn table.
    """
    header = text.split("\n", 1)[0].rstrip("\r")
    delimiter = max(_DELIMITERS, key=lambda d: len(_header(header, d)))
    try:
        top = list(itertools.islice(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), 4))
    except csv.Error:
        return False
    return len(top) > 1 and surveys.header_rows(top).rows > 1


# Who wrote a form's response when the form did not ask: Microsoft Forms writes "anonymous" for a name it hid.
_NO_ONE = frozenset({"", "anonymous"})


def _respondent_rows(text: str, aliases: Mapping[str, Sequence[str]]) -> bool:
    """Whether a table with a text column by name ("Comments", "Feedback", "Response") is a form's export of one
    row per respondent (Google Forms, Microsoft Forms, Typeform, Jotform) rather than a table of turns or
    tickets; then it is read as a survey (`_wide_turns`), every open question's column with the text column,
    instead of the text column alone. All of these must hold, so that a ticket export is never taken for one:

    - a form tool's time of the response (`surveys.response_time`: "Timestamp", "Start time",
      "Completion time"; a ticket queue says "Created" or "Opened");
    - no ticket queue's own column (`surveys.ticket_column`: a status, a priority, an assignee, an agent's
      resolution or work notes, beside which a second long column is the agent's words, not the requester's);
    - no column naming the conversation, a role, an interview question, an end time (a transcription tool's
      segments) or a code (excerpts): each of those makes the rows turns;
    - nobody writes two rows: the speaker or submitter column and the respondent's name and e-mail (where
      the form recorded them, "anonymous" aside) never repeat, where a ticket queue's requester and a
      meeting's speakers come back;
    - two columns or more hold open answers (`surveys.open_column`), the tool's metadata and the names aside.

    >>> form = "Timestamp,Email Address,Comments,What would you change?\\n" + "".join(
    ...     f"3/4/2024 10:0{n}:11,p{n}@example.org,The rota should be set by the team itself,Open the phone "
    ...     f"line later for those who work days\\n" for n in range(3))
    >>> _respondent_rows(form, COLUMN_ALIASES), _respondent_rows(form.replace("Timestamp", "Created"), COLUMN_ALIASES)
    (True, False)
    """
    table = _header_and_body(text)
    if table is None:
        return False
    names, body = table
    if not body or not any(map(surveys.response_time, names)) or any(map(surveys.ticket_column, names)):
        return False
    columns = canonical_columns([name.casefold() for name in names], aliases)
    keys = {column_key(name) for name in names}
    if ({schema.TRANSCRIPT_ID, schema.ROLE, QUESTION} & set(columns) or keys & (_END_COLUMNS | EXCERPT_MARKS)):
        return False
    who = surveys.identity_columns(names)
    people = who.columns() | {columns.index(person) for person in _PERSON_COLUMNS if person in columns}
    for j in people:
        said = [" ".join(row[j].split()).casefold() for row in body if j < len(row)]
        said = [value for value in said if value not in _NO_ONE]
        if len(set(said)) < len(said):
            return False
    never = people | {j for j, name in enumerate(names) if surveys.is_metadata(name)}
    open_columns = [j for j in range(len(names)) if j not in never and columns[j] != schema.TEAM
                    and surveys.open_column([row[j] if j < len(row) else "" for row in body])]
    return len(open_columns) >= 2


def _header_and_body(text: str) -> tuple[list[str], list[list[str]]] | None:
    """A CSV text's column names and its non-empty rows, split at the delimiter that gives most columns;
    None when it is no well-formed CSV."""
    header = text.split("\n", 1)[0].rstrip("\r")
    delimiter = max(_DELIMITERS, key=lambda d: len(_header(header, d)))
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error:
        return None
    names = [cell.strip() for cell in rows[0]] if rows else []
    return names, [row for row in rows[1:] if any(cell.strip() for cell in row)]


# A date in a cell, as form tools write the time of a response ("3/4/2024 10:02:11", "2024-03-04 10:02",
# "04.03.2024", "4 Mar 2024"): a transcription tool's "Timestamp" or "Start time" is a clock time alone.
_DATE = re.compile(r"\b\d{1,4}[/.\-]\d{1,2}[/.\-]\d{1,4}\b|\b\d{1,2}\s+[a-z]{3,9}\.?,?\s+\d{4}\b"
                   r"|\b[a-z]{3,9}\.?\s+\d{1,2},?\s+\d{4}\b", re.IGNORECASE)


def _anonymous_form(text: str, aliases: Mapping[str, Sequence[str]]) -> bool:
    """Whether a table with a text column by name is an anonymous form's export, one respondent per row, that
    `_respondent_rows` leaves to the rows (one open column only): then each row is a conversation of its own,
    as each anonymous submission is (`_by_person`), not every respondent's answer one conversation. All must hold:

    - a form tool's time of the response (`surveys.response_time`) whose cells hold a date, most of them (a
      transcription tool's "Timestamp" or "Start time" is a clock time: its rows are one conversation's turns);
    - no ticket queue's own column (`surveys.ticket_column`), no column naming the conversation, a role, an
      interview question, an end time or a code: each of those says what the rows are;
    - no column naming a person (a speaker, a submitter, the respondent's name or e-mail) that names anyone:
      where the rows name their people, they are read by person as before (`_submissions`); but a column whose
      every cell is empty or "anonymous" (`_names_nobody`: Microsoft Forms' Name and Email of an anonymous
      form) names nobody, and each row is its respondent's own.

    >>> form = "Timestamp,Comments\\n" + "".join(f"3/4/2024 10:0{n}:11,The rota is set too late\\n" for n in range(3))
    >>> _anonymous_form(form, COLUMN_ALIASES), _anonymous_form(form.replace("3/4/2024 ", ""), COLUMN_ALIASES)
    (True, False)
    >>> hidden = form.replace("Timestamp,", "Timestamp,Name,").replace(":11,", ":11,anonymous,")
    >>> _anonymous_form(hidden, COLUMN_ALIASES), _anonymous_form(hidden.replace("anonymous", "Ana"), COLUMN_ALIASES)
    (True, False)
    """
    table = _header_and_body(text)
    if table is None:
        return False
    names, body = table
    times = [j for j, name in enumerate(names) if surveys.response_time(name)]
    if not body or not times or any(map(surveys.ticket_column, names)):
        return False
    canonical = canonical_columns([name.casefold() for name in names], aliases)
    columns = set(canonical)
    keys = {column_key(name) for name in names}
    if (schema.TEXT not in columns or {schema.TRANSCRIPT_ID, schema.ROLE, QUESTION} & columns
            or keys & (_END_COLUMNS | EXCERPT_MARKS)):
        return False
    people = surveys.identity_columns(names).columns() | {j for j, column in enumerate(canonical)
                                                          if column in _PERSON_COLUMNS}
    if not all(_names_nobody([row[j] if j < len(row) else "" for row in body]) for j in people):
        return False
    stamps = [row[times[0]].strip() for row in body if times[0] < len(row) and row[times[0]].strip()]
    return 2 * sum(bool(_DATE.search(stamp)) for stamp in stamps) > len(body)


def _names_nobody(cells: Sequence[str]) -> bool:
    """Whether a person column names nobody: every cell empty or "anonymous", whatever its case (`_NO_ONE`).

    >>> _names_nobody(["anonymous", "Anonymous", " ", "ANONYMOUS"]), _names_nobody(["anonymous", "Ana"])
    (True, False)
    """
    return all(" ".join(cell.split()).casefold() in _NO_ONE for cell in cells)


# The columns that mark a table of excerpts: a coding tool's coded segments (NVivo, ATLAS.ti, MAXQDA,
# QualCoder) or a research repository's highlights (Dovetail, Condens, EnjoyHQ), each row a piece of an
# interview with the codes or tags an analyst gave it. Beside them a "Comment" or "Memo" is the analyst's.
EXCERPT_MARKS = frozenset({"code", "codes", "code name", "codes applied", "node", "nodes", "tag", "tags"})
_ANALYST_COLUMNS = frozenset({"comment", "comments", "memo", "memos", "remarks"})


def _aliases_for(text: str) -> Mapping[str, Sequence[str]]:
    """`COLUMN_ALIASES`, but in a table of excerpts (`EXCERPT_MARKS` in its header) without the analyst's
    columns among the text's names: there a "Comment" is a memo on the excerpt, and taken for the text it
    would quote the analyst as the participant (or, empty, lose every excerpt)."""
    header = text.split("\n", 1)[0].rstrip("\r")
    names = {column_key(cell) for delimiter in _DELIMITERS for cell in _header(header, delimiter)}
    if not names & EXCERPT_MARKS:
        return COLUMN_ALIASES
    return {**COLUMN_ALIASES, schema.TEXT: tuple(name for name in COLUMN_ALIASES[schema.TEXT]
                                                 if name not in _ANALYST_COLUMNS)}


# A column holds answers when at least half its rows say something and their median is this many words.
_ANSWER_WORDS = 8


def _wide_turns(text: str, name: str, aliases: Mapping[str, Sequence[str]] = COLUMN_ALIASES) -> list[ParsedTurn]:
    """Turns of a table with one row per person and one column per question (a survey or
    interview export), or [] when the table is not one.

    Each row is a conversation of its own (``<file>#<row>``, never a name, which
    would show in every output); each answer column, in order, one turn of the
    person's, spoken by the row's speaker column (`COLUMN_ALIASES`) if it has one.
    A column holds answers when at least half of the rows fill it and its cells
    run to `_ANSWER_WORDS` words or more (the median); once the table is a
    survey's, any other open question's column is read too ("Anything else?",
    answered by a few), while closed questions, the tool's metadata and the
    respondent's name and e-mail never are (`surveys`). A survey tool's extra
    header rows (Qualtrics' question texts and ImportIds, SurveyMonkey's
    "Open-Ended Response") are the header, not respondents; each question that
    reads as one is asked by the interviewer before its answer; "No" and
    "N/A" are not quoted; the row's name (a name column, a first and a last
    name, else its e-mail address) is the speaker. A table whose one answer
    column is spoken by speakers who come back row after row is a turn per row
    under a text column of another name ("Said"), read as `parse_csv` reads rows.

    Examples
    --------
    >>> table = "Name,Field,Q1\\nAnna,SC,We will appreciate the people we did not appreciate enough before.\\n"
    >>> [(t.transcript_id, t.speaker, t.row, t.text[:14]) for t in _wide_turns(table, "a.csv")]
    [('a.csv#1', 'Anna', 0, 'We will apprec')]
    """
    header = text.split("\n", 1)[0].rstrip("\r")
    delimiter = max(_DELIMITERS, key=lambda d: len(_header(header, d)))
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error:
        return []
    if len(rows) < 2:
        return []
    # A survey tool's header may take two or three rows (Qualtrics, SurveyMonkey): none is a respondent.
    survey = surveys.header_rows(rows)
    columns = canonical_columns([c.strip().casefold() for c in rows[0]], aliases)
    body = [row for row in rows[survey.rows:] if any(cell.strip() for cell in row)]
    excerpts = bool({column_key(column) for column in columns} & EXCERPT_MARKS)
    who = surveys.identity_columns(rows[0], survey.questions)
    never = who.columns() | {j for j, name in enumerate(rows[0]) if surveys.is_metadata(name)}

    def may_answer(j: int) -> bool:
        return (j not in never and columns[j] not in (*_PERSON_COLUMNS, schema.TEAM, schema.TRANSCRIPT_ID)
                and not (excerpts and column_key(columns[j]) in _ANALYST_COLUMNS))

    def cells(j: int) -> list[str]:
        return [row[j] if j < len(row) else "" for row in body]

    answers = [j for j in range(len(columns)) if may_answer(j) and _holds_answers(cells(j))]
    if not answers:
        return []
    person = schema.SPEAKER if schema.SPEAKER in columns else SUBMITTER
    at = {column: columns.index(source) for column, source in ((schema.SPEAKER, person), (schema.TEAM, schema.TEAM))
          if source in columns}
    if len(answers) == 1 and survey.rows == 1 and (excerpts or schema.TRANSCRIPT_ID in columns
                                                   or schema.SPEAKER in at):
        speakers = [row[at[schema.SPEAKER]].strip() if at[schema.SPEAKER] < len(row) else ""
                    for row in body] if schema.SPEAKER in at else []
        # A table of excerpts, or rows that name their conversation, is a row per turn whatever its speakers.
        if excerpts or schema.TRANSCRIPT_ID in columns or len(set(speakers)) < len(speakers):
            # Speakers who come back row after row: a turn per row under a text column of another name.
            return _rows_to_turns(((number, {**dict(zip(columns, row)), schema.TEXT: row[answers[0]]})
                                   for number, row in enumerate(rows[1:], start=2)
                                   if any(cell.strip() for cell in row) and answers[0] < len(row)), name)
    # Once the table is a survey's, an optional question few answered ("Anything else?") is read too.
    # The column named as a text column ("Comments", "Feedback") is read whatever its answers' length: never lost.
    answers = [j for j in range(len(columns)) if j in answers or may_answer(j) and (
        surveys.open_column(cells(j)) or columns[j] == schema.TEXT and any(cell.strip() for cell in cells(j)))]
    turns = []
    skipped = 0
    for number, row in enumerate(body, start=1):
        cell = {column: row[j].strip() if j < len(row) else "" for column, j in at.items()}
        speaker = who.speaker(row) or " ".join(cell.get(schema.SPEAKER, "").split())
        conversation, team, place = f"{name}#{number}", cell.get(schema.TEAM) or None, 0
        for j in answers:
            words = row[j].strip() if j < len(row) else ""
            if not words or surveys.non_answer(words):
                skipped += bool(words)
                continue
            question = " ".join(survey.questions[j].split()) if j < len(survey.questions) else ""
            if surveys.asks(question):
                turns.append(ParsedTurn(LOG_INTERVIEWER, question, transcript_id=conversation, team=team,
                                        role=schema.ROLE_INTERVIEWER, row=place))
                place += 1
            turns.append(ParsedTurn(speaker=speaker, text=words, transcript_id=conversation, team=team,
                                    role=schema.ROLE_PARTICIPANT, row=place))
            place += 1
    logger.info("%s: read as one row per person and one column per question (%d answer columns, %d header "
                "row(s); %d answer(s) such as 'No' or 'N/A' not quoted)", name, len(answers), survey.rows, skipped)
    return turns


def _holds_answers(cells: list[str]) -> bool:
    filled = [len(cell.split()) for cell in cells if cell.strip()]
    return 2 * len(filled) >= len(cells) > 0 and sorted(filled)[len(filled) // 2] >= _ANSWER_WORDS


def parse_jsonl(data: bytes, options: ParseOptions) -> list[ParsedTurn]:
    """Turns of a .jsonl file: one JSON object per line, with a "text" key."""
    text = decode_text(data, options.name, options.fallback_encoding)
    return _rows_to_turns(_jsonl_records(text, options.name), options.name)


def parse_json(data: bytes, options: ParseOptions) -> list[ParsedTurn]:
    """Turns of a .json file: the objects of its list of turns (`turn_list`), each a row.

    Examples
    --------
    >>> data = b'{"text": "All of it.", "segments": [{"start": 0.0, "text": "We agreed."}]}'
    >>> [(t.text, t.start, t.row) for t in parse_json(data, ParseOptions("a.json"))]
    [('We agreed.', 0.0, 0)]
    """
    text = decode_text(data, options.name, options.fallback_encoding)
    try:
        document = json.loads(text)
    except (json.JSONDecodeError, RecursionError):
        raise InputFileError("it is not valid JSON", "check that the export finished, or export it as .vtt or .docx",
                             path=options.name) from None
    # A service that writes its speakers beside its words first: read as a list of turns, its whole text
    # (Amazon's results.transcripts, Deepgram's transcript) would be one turn of everyone's words.
    turns = asr_json.service_rows(document)
    if turns is None:
        turns = turn_list(document)
    if turns is None:
        turns = monologues(document)
    if turns is None:
        raise InputFileError("it holds no list of turns (objects with a 'text' key)",
                             "a transcript export lists one object per turn, such as "
                             '{"speaker": "...", "text": "..."}; move other .json files out of INPUT',
                             path=options.name, status="skipped")
    columns: dict[tuple[str, ...], list[str]] = {}
    parsed = _rows_to_turns(((number, _canonical(_with_sender_name(record), columns))
                             for number, record in enumerate(turns, start=1) if isinstance(record, dict)),
                            options.name)
    if len(parsed) > 1 and all(turn.row is None and not turn.speaker for turn in parsed):
        # A tool's segments that name nobody (Whisper's): as captions without speakers are (`vtt`), one
        # unnamed speaker's words, and the consultant's questions among them cannot be set apart.
        logger.warning("%s: no segment names its speaker: read as the words of one unnamed speaker, so no "
                       "interviewer can be told apart (%s)", options.name, _NO_SPEAKER_HINT)
    return parsed


# Chat exports name a message's sender in an object of its own: Slack's "user_profile" beside
# the user's id, Discord's "author", Microsoft Graph's "from": {"user": {"displayName": ...}}.
_SENDER_OBJECTS = ("user_profile", "author", "from", "sender", "user")
_NAME_KEYS = ("real_name", "display_name", "displayname", "name", "username")


def _with_sender_name(record: dict[str, Any]) -> dict[str, Any]:
    """`record` with its sender's name as its speaker, where an object in it names the sender and
    no key of its own is the speaker; else `record` as it is.

    Without it, Slack's messages are spoken by user ids ("U0AB12CD") and a
    Discord author by the text of a whole object.

    Examples
    --------
    >>> _with_sender_name({"user": "U01", "text": "Yes.", "user_profile": {"real_name": "Anna Smith"}})
    {'user': 'U01', 'text': 'Yes.', 'speaker': 'Anna Smith'}
    >>> _with_sender_name({"from": {"user": {"displayName": "Sam"}}, "body": "No."})
    {'body': 'No.', 'speaker': 'Sam'}
    """
    if any(column_key(key) == schema.SPEAKER for key in record):
        return record
    for key in _SENDER_OBJECTS:
        name = _name_in(record.get(key))
        if name:
            return {**{k: v for k, v in record.items() if k != key}, schema.SPEAKER: name}
    return record


def _name_in(value: Any, depth: int = 2) -> str:
    """The sender object's name, the fullest kind first (`_NAME_KEYS`), looking `depth` objects deep; "" if none."""
    if not isinstance(value, dict) or depth == 0:
        return ""
    named = {str(key).casefold(): inner for key, inner in value.items() if isinstance(inner, str) and inner.strip()}
    for key in _NAME_KEYS:
        if key in named:
            return named[key].strip()
    return next((name for inner in value.values() if (name := _name_in(inner, depth - 1))), "")


def monologues(document: Any) -> list[dict[str, Any]] | None:
    """Rev.ai's JSON as turns, or None: ``monologues``, each a speaker and a list of
    ``elements`` (words, spaces and punctuation, each a ``value``) that spell its text.

    No object in it has a text key, so `turn_list` finds no turns; left
    unread, the file would be skipped as holding none.

    Examples
    --------
    >>> monologues({"monologues": [{"speaker": 1, "elements": [
    ...     {"type": "text", "value": "Yes", "ts": 0.5}, {"type": "punct", "value": "."}]}]})
    [{'speaker': 1, 'text': 'Yes.', 'start': 0.5}]
    """
    items = document.get("monologues") if isinstance(document, dict) else None
    if not isinstance(items, list) or not items:
        return None
    turns = []
    for item in items:
        elements = item.get("elements") if isinstance(item, dict) else None
        if not isinstance(elements, list):
            return None
        parts = [element for element in elements if isinstance(element, dict)]
        timed = [part["ts"] for part in parts if isinstance(part.get("ts"), (int, float))]
        turns.append({"speaker": item.get("speaker_name") or item.get("speaker"),
                      "text": "".join(str(part.get("value", "")) for part in parts).strip(),
                      "start": timed[0] if timed else None})
    return turns


# How deep `turn_list` looks for the list of turns: Deepgram's sits at results.utterances.
_MAX_JSON_DEPTH = 4


def turn_list(document: Any) -> list | None:
    """The list of turn objects in a parsed JSON document, or None.

    Breadth first, to `_MAX_JSON_DEPTH` levels: the first level holding a
    list of which at least half the items are objects with a text key (the
    contract's ``text`` or an alias, any case) gives its list whose items
    name their speakers, else its longest, but never a list of words where
    a list of turns stands beside it. A list of words inside each turn lies
    deeper than the turns; one beside them (AssemblyAI's top-level ``words``)
    names its speakers too where the speakers were told apart, and is the
    longest: taken for the turns, each word would be a segment of its own.

    Examples
    --------
    >>> turn_list({"results": {"utterances": [{"speaker": 0, "transcript": "Hi."}]}})
    [{'speaker': 0, 'transcript': 'Hi.'}]
    >>> turn_list({"inputs": [{"file": "a.vtt", "status": "ok"}]}) is None
    True
    """
    level = [document]
    for _ in range(_MAX_JSON_DEPTH + 1):
        found = [node for node in level if isinstance(node, list) and _lists_turns(node)]
        if found:
            return max(found, key=lambda node: (_names_speakers(node), not _lists_words(node), len(node)))
        level = [child for node in level if isinstance(node, (dict, list))
                 for child in (node.values() if isinstance(node, dict) else node)
                 if isinstance(child, (dict, list))]
        if not level:
            return None
    return None


def _names_speakers(items: list) -> bool:
    """Whether most items have a speaker key: the turns, where a list of words beside them has none."""
    speakers = {column_key(name) for column in _PERSON_COLUMNS for name in (column, *COLUMN_ALIASES[column])}
    return 2 * sum(isinstance(item, dict) and any(column_key(key) in speakers for key in item)
                   for item in items) > len(items)


def _lists_words(items: list) -> bool:
    """Whether most items' text is one word: a service's list of words, each timed, not a list of turns.

    >>> _lists_words([{"text": "Yes,"}, {"text": "please."}]), _lists_words([{"text": "Yes, please."}])
    (True, False)
    """
    texts = {column_key(name) for name in (schema.TEXT, *COLUMN_ALIASES[schema.TEXT])}
    single = sum(isinstance(item, dict) and any(column_key(key) in texts and isinstance(value, str)
                                                 and len(value.split()) == 1 for key, value in item.items())
                 for item in items)
    return 2 * single > len(items)


def _lists_turns(items: list) -> bool:
    texts = {column_key(name) for name in (schema.TEXT, *COLUMN_ALIASES[schema.TEXT])}
    with_text = sum(isinstance(item, dict) and any(column_key(key) in texts for key in item)
                    for item in items)
    return with_text > 0 and 2 * with_text >= len(items)


def _canonical(record: dict[str, Any], columns: dict[tuple[str, ...], list[str]]) -> dict[str, Any]:
    """A JSON object with its keys case-folded and aliased as a CSV header's (`canonical_columns`)."""
    raw_keys = tuple(record)
    if raw_keys not in columns:  # every object of a file usually has the same keys
        columns[raw_keys] = canonical_columns([str(k).strip().casefold() for k in raw_keys], COLUMN_ALIASES)
    return dict(zip(columns[raw_keys], record.values()))


def csv_records(text: str, required: str, name: str, hint: str,
                aliases: Mapping[str, Sequence[str]] | None = None
                ) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, row with case-folded column names) for each data row of a CSV text.

    Shared with the manifest reader. `aliases` maps a column name to other
    names it may have. Raises `InputFileError` when no delimiter yields the
    `required` column, or when the CSV is malformed.
    """
    aliases = aliases or {}
    text = drop_separator_line(text)
    delimiter = _delimiter(text, {required, *aliases.get(required, ())})
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


def drop_separator_line(text: str) -> str:
    """`text` without Excel's ``sep=;`` first line, which names the delimiter above the header.

    Left in, it is taken for the header: the file is refused for want of a
    text column, or worse, read as a survey with one conversation per row.

    Examples
    --------
    >>> drop_separator_line('sep=;\\r\\nspeaker;text\\n')
    'speaker;text\\n'
    """
    first, newline, rest = text.partition("\n")
    return rest if newline and _SEPARATOR_LINE.match(first) else text


def canonical_columns(columns: list[str], aliases: Mapping[str, Sequence[str]]) -> list[str]:
    """Rename each column of `aliases` found under its own name or, failing that, under its first alias found.

    Names are compared by `column_key`; other columns keep their names.

    Examples
    --------
    >>> canonical_columns(["speaker name", "start time", "transcript"], COLUMN_ALIASES)
    ['speaker', 'start', 'text']
    >>> canonical_columns(["Ticket Number", "Submitted By", "Description", "Transcript ID"], COLUMN_ALIASES)
    ['Ticket Number', 'submitter', 'text', 'transcript_id']
    """
    columns = list(columns)
    keys: list[str | None] = [column_key(c) for c in columns]  # None once a column is renamed
    for canonical, names in aliases.items():
        position = next((keys.index(key) for key in map(column_key, (canonical, *names)) if key in keys), None)
        if position is not None:
            columns[position], keys[position] = canonical, None
    return columns


def column_key(name: Any) -> str:
    """A column name as aliases are matched: case-folded, runs of spaces, underscores and hyphens one space.

    Examples
    --------
    >>> [column_key(n) for n in ("Submitted By", "respondent_name", " comment-body ")]
    ['submitted by', 'respondent name', 'comment body']
    """
    return _SEPARATORS.sub(" ", str(name).casefold()).strip()


def _delimiter(text: str, accepted: set[str]) -> str | None:
    """The first of `_DELIMITERS` that makes one of the `accepted` column names appear in the header row."""
    header_line = text.split("\n", 1)[0].rstrip("\r")
    wanted = {column_key(name) for name in accepted}
    return next((d for d in _DELIMITERS if wanted & {column_key(c) for c in _header(header_line, d)}), None)


def _header(line: str, delimiter: str) -> list[str]:
    try:
        fields = next(csv.reader([line], delimiter=delimiter), [])
    except csv.Error:
        return []
    return [field.strip().casefold() for field in fields]


def _jsonl_records(text: str, name: str) -> Iterator[tuple[int, dict[str, Any]]]:
    columns: dict[tuple[str, ...], list[str]] = {}
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
        record = _canonical(record, columns)
        if schema.TEXT not in record:
            raise InputFileError(f"line {number} has no \"text\" key",
                                 "give every line a \"text\" key", path=name)
        yield number, record


def _rows_to_turns(records: Iterable[tuple[int, dict[str, Any]]], name: str,
                   respondents: bool = False) -> list[ParsedTurn]:
    """Turns of canonical rows: a conversation per person where the rows are submissions (`_submissions`)
    or an anonymous form's responses (`respondents`, `_anonymous_form`: each row a conversation of its own),
    and with no row index where they are a transcription tool's segments (`_segments`), to be merged.

    Examples
    --------
    >>> rows = [(2, {"submitter": "Ana", "text": "Fix the lift."}), (3, {"submitter": "Bo", "text": "Lights."}),
    ...         (4, {"submitter": "ana", "text": "Still broken."})]
    >>> [(t.transcript_id, t.row, t.speaker) for t in _rows_to_turns(rows, "t.csv")]
    [('t.csv#1', 0, 'Ana'), ('t.csv#2', 0, 'Bo'), ('t.csv#1', 1, 'ana')]
    """
    turns: list[ParsedTurn] = []
    questions: list[str] = []  # each row's question, in an interview log (`_asked`)
    next_row: dict[str | None, int] = {}
    n_rows = unknown_roles = by_submitter = timed = 0
    excerpts = False
    for number, record in records:
        n_rows += 1
        excerpts = excerpts or any(column_key(key) in EXCERPT_MARKS for key in record)
        questions.append(" ".join(_scalar(record.get(QUESTION), number, name).split()))
        # A turn table's speaker wins over a submitter column beside it (who logged a call, say).
        person = schema.SPEAKER if schema.SPEAKER in record else SUBMITTER
        by_submitter += person == SUBMITTER and SUBMITTER in record
        timed += _timed(record)
        transcript_id = _scalar(record.get(schema.TRANSCRIPT_ID), number, name) or None
        row = next_row.get(transcript_id, 0)
        next_row[transcript_id] = row + 1
        role_value = _scalar(record.get(schema.ROLE), number, name).casefold()
        role = _role(role_value)
        unknown_roles += bool(role_value) and role is None
        turns.append(ParsedTurn(
            speaker=" ".join(_scalar(record.get(person), number, name).split()),
            text=_scalar(record.get(schema.TEXT), number, name),
            start=parse_start(record.get(schema.START)),
            transcript_id=transcript_id,
            team=_scalar(record.get(schema.TEAM), number, name) or None,
            role=role,
            row=row,
        ))
    if n_rows == 0:
        raise InputFileError("the file has no rows", "add one row per turn", path=name)
    if not any(turn.text for turn in turns):
        raise InputFileError("the column read as the text is empty in every row",
                             "name the column holding what was said 'text' (a column named like a text column, "
                             "such as Comment, may be another one's notes)", path=name)
    if unknown_roles:
        logger.warning("%s: %d row(s) have a role other than interviewer/participant; "
                       "their role is decided as if the column were empty", name, unknown_roles)
    if not any(turn.transcript_id for turn in turns) and (
            respondents or _submissions([t.speaker for t in turns], by_submitter == n_rows)
            or any(questions) and _interviews_in_turn([t.speaker for t in turns])
            or excerpts and len({t.speaker.casefold() for t in turns if t.speaker}) > 1):
        if respondents:
            # An anonymous form's person columns name nobody (`_anonymous_form`): "anonymous" is no one's name.
            for turn in turns:
                if turn.speaker.casefold() in _NO_ONE:
                    turn.speaker = ""
        _by_person(turns, name)
        logger.info("%s: read as %s: each person's rows a conversation (%d)", name,
                    "an interview log" if any(questions) else "excerpts" if excerpts
                    else "a form's responses" if respondents else "submissions",
                    len({turn.transcript_id for turn in turns}))
    if excerpts:
        turns, questions = _without_repeats(turns, questions, name)
    if any(questions):
        turns = _asked(turns, questions)
    if _segments(timed, n_rows):
        for turn in turns:
            turn.row = None  # `assemble` merges consecutive segments of one speaker, and numbers the turns
    return turns


def _without_repeats(turns: list[ParsedTurn], questions: list[str], name: str
                     ) -> tuple[list[ParsedTurn], list[str]]:
    """A table of excerpts without the rows that repeat one already read: the same words of the same
    person in the same conversation. A coding tool exports a segment coded twice once under each code;
    read twice, the participant would say it twice, and count twice in every theme.

    >>> rows = [ParsedTurn("Ana", "Cost.", row=0), ParsedTurn("Ana", "Cost.", row=1), ParsedTurn("Bo", "Cost.", row=2)]
    >>> [(t.speaker, t.row) for t in _without_repeats(rows, ["", "", ""], "a.csv")[0]]
    [('Ana', 0), ('Bo', 1)]
    """
    seen: set[tuple[str | None, str, str]] = set()
    kept: list[tuple[ParsedTurn, str]] = []
    for turn, question in zip(turns, questions):
        key = (turn.transcript_id, turn.speaker.casefold(), " ".join(turn.text.split()))
        if turn.text and key in seen:
            continue
        seen.add(key)
        kept.append((turn, question))
    if len(kept) < len(turns):
        logger.info("%s: %d excerpt row(s) repeat another of the same person in the same conversation (one "
                    "segment under several codes) and were read once", name, len(turns) - len(kept))
        rows: Counter[str | None] = Counter()
        for turn, _ in kept:
            if turn.row is not None:
                turn.row = rows[turn.transcript_id]
                rows[turn.transcript_id] += 1
    return [turn for turn, _ in kept], [question for _, question in kept]


# Submissions by the count (`_submissions`): this many people or more, most writing at most `_FEW_ROWS` rows.
_MANY_WRITERS = 10
_FEW_ROWS = 2


def _submissions(speakers: list[str], by_submitter: bool) -> bool:
    """Whether rows by these `speakers` (one per row, "" for none) are submissions, each person's their
    own conversation, rather than the turns of one conversation; see the module docstring.

    `by_submitter`: every row's person is in a submitter's column (`SUBMITTER`).
    A chair or moderator, who speaks between the others, says a third of a
    meeting's turns or more: rows where one person writes that many are turns.

    Examples
    --------
    >>> _submissions(["Ana", "Bo"], by_submitter=True)
    True
    >>> _submissions([f"P{n // 2}" for n in range(30)], by_submitter=False)  # 15 people, two rows each
    True
    >>> _submissions(["Sam", "Ana"] * 15, by_submitter=False)  # an interview
    False
    >>> _submissions(["Chair", "P1", "Chair", "P2"] * 6, by_submitter=False)  # a town hall
    False
    """
    if by_submitter:
        return True  # even when no row names its writer: anonymous responses are as many people
    counts = Counter(speaker.casefold() for speaker in speakers if speaker)
    return (len(counts) >= _MANY_WRITERS and 2 * sum(n <= _FEW_ROWS for n in counts.values()) > len(counts)
            and 3 * max(counts.values()) < len(speakers))


def _interviews_in_turn(speakers: list[str]) -> bool:
    """Whether an interview log's rows are interviews one after another: two people or more, each
    person's rows together (a focus group's log interleaves its people under each question).

    >>> _interviews_in_turn(["Ana", "Ana", "Bo", "Bo"]), _interviews_in_turn(["Ana", "Bo", "Ana", "Bo"])
    (True, False)
    """
    blocks = [speaker.casefold() for speaker, _ in itertools.groupby(speakers) if speaker]
    return len(blocks) >= 2 and len(blocks) == len(set(blocks))


def _asked(turns: list[ParsedTurn], questions: list[str]) -> list[ParsedTurn]:
    """An interview log's turns with each row's question asked before its answer, by the interviewer.

    A log of one row per answer (Interviewee, Question, Answer) holds the
    interviewer's words in its question column; read as a turn of their own,
    the question is the prompt its answer replies to (the signals stage reads
    "Why ...?" there) and is never quoted. A question is asked once for the
    rows that follow it in one conversation with the same question (one
    answer typed over several rows). Turn numbers count the questions too.

    >>> answers = [ParsedTurn("Ana", "Cost.", row=0), ParsedTurn("Ana", "And time.", row=1)]
    >>> [(t.speaker, t.text, t.row) for t in _asked(answers, ["Why?", "Why?"])]
    [('Interviewer', 'Why?', 0), ('Ana', 'Cost.', 1), ('Ana', 'And time.', 2)]
    """
    out: list[ParsedTurn] = []
    last: dict[str | None, str] = {}
    rows: Counter[str | None] = Counter()
    for turn, question in zip(turns, questions):
        conversation = turn.transcript_id
        if question and question != last.get(conversation):
            out.append(ParsedTurn(LOG_INTERVIEWER, question, transcript_id=conversation, team=turn.team,
                                  role=schema.ROLE_INTERVIEWER, row=None if turn.row is None else rows[conversation]))
            rows[conversation] += 1
        last[conversation] = question or last.get(conversation, "")
        if turn.row is not None:
            turn.row = rows[conversation]
        rows[conversation] += 1
        out.append(turn)
    return out


def _by_person(turns: list[ParsedTurn], name: str) -> None:
    """Give each person's turns a conversation of their own, ``<name>#<n>`` in the order of their first row.

    A row without a name is a person of its own: an anonymous response. Each
    turn's row is its index among its person's rows.
    """
    number: dict[str, int] = {}
    rows: Counter[int] = Counter()
    for place, turn in enumerate(turns):
        key = turn.speaker.casefold() or f"\0{place}"  # never equal to a name
        conversation = number.setdefault(key, len(number) + 1)
        turn.transcript_id, turn.row = f"{name}#{conversation}", rows[conversation]
        rows[conversation] += 1


def _timed(record: dict[str, Any]) -> bool:
    """Whether a row has a start and an end time, as a transcription tool's segment has."""
    return record.get(schema.START) not in (None, "") and any(
        value not in (None, "") and column_key(key) in _END_COLUMNS for key, value in record.items())


def _segments(timed: int, n_rows: int) -> bool:
    """Whether rows of which `timed` have a start and an end are a transcription tool's segments: most are."""
    return 2 * timed > n_rows


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

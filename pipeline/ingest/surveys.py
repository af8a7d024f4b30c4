"""What survey tools write around the answers of a table of one row per respondent.

`rows._wide_turns` reads a survey or interview export (one row per person,
one column per question) as a conversation per row. The survey tools a
consultant receives exports from each add their own furniture, and read
naively it is quoted as answers or loses them:

- Header rows. Qualtrics writes three: the question ids (``Q1``,
  ``Q2_TEXT``), the question texts, and ``{"ImportId":"QID1_TEXT"}``
  JSON (its legacy export the first two, its metadata names restated with
  spaces: ``StartDate`` above ``Start Date``). SurveyMonkey writes two: the
  question, and under it ``Open-Ended Response`` or ``Response`` (or an
  option's label, the question standing over its first option only). Read as
  respondents, the question texts become a respondent's answers
  (`header_rows`).
- Metadata and identity. Start and end times, IP addresses, progress,
  response and collector ids, the distribution channel and language are the
  tool's (`is_metadata`); names and e-mail addresses (``RecipientFirstName``,
  ``First Name``/``Last Name``, ``Email Address``, a form's own "What is your
  name?") say who the respondent is (`identity_columns`): never an answer,
  and the respondent's name is the speaker, so the anonymiser knows it.
- The questions. Each is the interviewer's prompt before its answer, as in
  an interview log, so the signals stage sees "Why ...?" (`asks`).
- Non-answers. "No", "N/A", "Nothing to add" to an optional question say
  nothing to quote (`non_answer`); a column of them with a few real answers
  ("Anything else you would like to add?") is still read for those answers
  (`open_column`). A closed question (a Likert scale, a rating, a yes/no) is
  the tool's numbers, not words to theme: its cells are short and repeat, and
  it is never read.
"""
from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass

# A column holds answers when its answers' median runs to this many words (`rows._ANSWER_WORDS` is the same).
ANSWER_WORDS = 8
# A column of shorter answers is still an open question's when they run to this many words and most differ.
_SHORT_ANSWER_WORDS = 4
_IMPORT_ID = re.compile(r'^\s*\{\s*"ImportId"\s*:', re.IGNORECASE)
# SurveyMonkey's second header row under a question with one answer.
_SUBHEADERS = frozenset({"response", "open-ended response", "open ended response"})
_NOT_KEY = re.compile(r"[^0-9a-z#]+")
# The survey tools' own columns, as a compact key (`compact`): when, how, from where, which response.
_METADATA = frozenset({
    "startdate", "enddate", "status", "responsetype", "ipaddress", "progress", "durationinseconds", "duration",
    "finished", "recordeddate", "responseid", "externalreference", "externaldatareference", "locationlatitude",
    "locationlongitude", "distributionchannel", "userlanguage", "respondentid", "collectorid", "id", "#",
    "starttime", "completiontime", "lastmodifiedtime", "timestamp", "startdateutc", "submitdateutc",
    "networkid", "tags", "useragent", "browser", "operatingsystem", "screenresolution", "language",
    "responseurl", "referer", "referrer", "token", "submissionid", "submittedat", "createdat", "updatedat"})
_CUSTOM_DATA = re.compile(r"^customdata\d*$")
# When a form tool says the response was given (a compact key): Google Forms' "Timestamp", Microsoft Forms' "Start
# time", "Completion time" and "Last modified time", Typeform's "Start Date (UTC)" and "Submit Date (UTC)",
# SurveyMonkey's and Qualtrics' "Start Date" and "End Date", Jotform's "Submission Date", Tally's "Submitted at".
# Not "Created", "Created at" or "Opened": a ticket queue's (ServiceNow, Zendesk, Freshdesk, Jira) say that.
_RESPONSE_TIMES = frozenset({"timestamp", "starttime", "completiontime", "lastmodifiedtime", "startdate", "enddate",
                             "startdateutc", "submitdateutc", "submitdate", "submissiondate", "submittedat",
                             "recordeddate"})
# A ticket queue's own columns: who handles the ticket, how urgent, where it stands, how it was closed (ServiceNow's
# "Assignment group", "Resolution notes", "Work notes", "State"; Zendesk's "Assignee", "Priority"; Freshdesk's
# "Agent"; Jira's "Status", "Resolution"). No form tool writes one; beside them a long column is an agent's notes.
_TICKET_COLUMNS = frozenset({
    "status", "state", "priority", "urgency", "impact", "severity", "assignee", "assignedto", "assignmentgroup",
    "agent", "agentname", "owner", "queue", "resolution", "resolutionnotes", "resolutioncode", "closenotes",
    "closecode", "worknotes", "internalnotes", "agentnotes", "notes", "resolvedat", "resolvedby", "closedat",
    "duedate", "dueby", "sla", "tickettype", "issuetype", "issuekey", "ticketnumber", "ticketid", "incident",
    "incidentnumber", "caseid", "casenumber"})
_FULL_NAME = re.compile(r"^(?:whatis|whats|pleaseenter|pleasegive|pleasetellus|enter)?(?:your)?(?:full)?name$"
                        r"|^(?:respondent|participant|recipient|interviewee)(?:full)?name$")
_FIRST_NAME = re.compile(r"^(?:recipient|your)?(?:first|given)name$")
_LAST_NAME = re.compile(r"^(?:recipient|your)?(?:last|family|sur)name$|^surname$")
_EMAIL = re.compile(r"^(?:recipient|respondent|your|whatisyour|whatsyour)?e?mail(?:address)?$")
# What a respondent writes to an optional question to say they have nothing to say.
_NON_ANSWER = re.compile(
    r"^(?:no|none|nope|nil|nothing|n/?a|na|not applicable|no comments?|no further comments?|nothing (?:else|more|"
    r"further|to add|to say)|nothing else to add|not really|not sure|don'?t know|dk|no thanks?|x|-+|\.+|\?+)"
    r"(?:[\s,.;:!-]+(?:thanks|thank you|at this (?:time|stage)|really))*[\s.!]*$", re.IGNORECASE)


@dataclass(frozen=True)
class SurveyHeader:
    """How many rows the header takes (1: only the column names), and each column's question text."""

    rows: int
    questions: list[str]


def compact(name: str) -> str:
    """A column name as metadata and identity columns are matched: case-folded, letters, digits and ``#`` only.

    >>> compact("Duration (in seconds)"), compact("What's your name?")
    ('durationinseconds', 'whatsyourname')
    """
    return _NOT_KEY.sub("", name.casefold().replace("\u2019", "'").replace("'", ""))


def header_rows(rows: Sequence[Sequence[str]]) -> SurveyHeader:
    """The header rows of a survey export at the top of `rows` (the first is the column names).

    Examples
    --------
    >>> qualtrics = [["StartDate", "Q1"], ["Start Date", "Why did it change?"],
    ...              ['{"ImportId":"startDate"}', '{"ImportId":"QID1_TEXT"}'], ["2024-03-01", "Money."]]
    >>> header_rows(qualtrics)
    SurveyHeader(rows=3, questions=['Start Date', 'Why did it change?'])
    >>> monkey = [["Respondent ID", "Why did it change?", "Which team?", ""], ["", "Open-Ended Response", "Housing",
    ...           "Other (please specify)"], ["114", "Money.", "Housing", ""]]
    >>> header_rows(monkey).questions
    ['Respondent ID', 'Why did it change?', 'Which team?: Housing', 'Which team?: Other (please specify)']
    """
    first = [cell.strip() for cell in rows[0]]
    below = [[cell.strip() for cell in row] for row in rows[1:4]]
    # Qualtrics: a row of ImportId JSON closes the header; the question texts are the row above it.
    for index, row in enumerate(below):
        filled = [cell for cell in row if cell]
        if filled and 2 * sum(bool(_IMPORT_ID.match(cell)) for cell in filled) >= len(filled):
            texts = below[index - 1] if index else first
            return SurveyHeader(index + 2, _filled_from(texts, first))
    if not below:
        return SurveyHeader(1, first)
    second = below[0]
    # Qualtrics' legacy export: the second row restates the metadata's names with spaces ("Start Date").
    restated = sum(bool(a) and compact(a) == compact(b) and a != b for a, b in zip(first, second))
    if restated >= 2:
        return SurveyHeader(2, _filled_from(second, first))
    # SurveyMonkey: "Response" or "Open-Ended Response" under the questions, nothing under its own columns.
    if second and not second[0] and any(cell.casefold() in _SUBHEADERS for cell in second):
        questions, current = [], ""
        for j, name in enumerate(first):
            current = name or current
            label = second[j] if j < len(second) else ""
            questions.append(current if not label or label.casefold() in _SUBHEADERS or not current
                             else f"{current}: {label}")
        return SurveyHeader(2, questions)
    return SurveyHeader(1, first)


def response_time(name: str) -> bool:
    """Whether a column is a form tool's time of the response (Google Forms' "Timestamp", Microsoft Forms'
    "Start time"): the mark of one row per respondent, which no ticket queue writes.

    >>> response_time("Timestamp"), response_time("Completion time"), response_time("Created at")
    (True, True, False)
    """
    return compact(name) in _RESPONSE_TIMES


def ticket_column(name: str) -> bool:
    """Whether a column is a ticket queue's own (status, priority, assignee, resolution, work notes).

    >>> ticket_column("Assigned To"), ticket_column("Resolution notes"), ticket_column("Why did it change?")
    (True, True, False)
    """
    return compact(name) in _TICKET_COLUMNS


def _filled_from(texts: Sequence[str], names: Sequence[str]) -> list[str]:
    """Each column's question text, its name where the text row leaves it empty."""
    return [(texts[j] if j < len(texts) and texts[j] else name) for j, name in enumerate(names)]


def is_metadata(name: str) -> bool:
    """Whether a column is one a survey tool adds about the response (when, where from, which): never an answer.

    >>> is_metadata("IP Address"), is_metadata("Submit Date (UTC)"), is_metadata("Why did it change?")
    (True, True, False)
    """
    key = compact(name)
    return key in _METADATA or bool(_CUSTOM_DATA.match(key))


@dataclass(frozen=True)
class Identity:
    """The columns naming a respondent: a full name, a first and a last name, an e-mail address (-1: none)."""

    full: int = -1
    first: int = -1
    last: int = -1
    email: int = -1

    def columns(self) -> set[int]:
        return {j for j in (self.full, self.first, self.last, self.email) if j >= 0}

    def speaker(self, row: Sequence[str]) -> str:
        """The respondent's name from `row` (a full name, else first and last, else the e-mail), or ""."""
        def cell(j: int) -> str:
            return " ".join(row[j].split()) if 0 <= j < len(row) else ""
        name = cell(self.full) or " ".join(part for part in (cell(self.first), cell(self.last)) if part)
        if name:
            return name
        email = cell(self.email)
        return email if "@" in email else ""  # Microsoft Forms writes "anonymous"


def identity_columns(*names: Sequence[str]) -> Identity:
    """Where each kind of name of the respondent is, by the column names or the question texts in `names`.

    >>> identity_columns(["RecipientLastName", "RecipientFirstName", "RecipientEmail", "Q1"])
    Identity(full=-1, first=1, last=0, email=2)
    >>> identity_columns(["#", "What's your name?", "Why?"]).full
    1
    """
    found: dict[str, int] = {}
    for header in names:
        for j, name in enumerate(header):
            key = compact(name)
            for kind, pattern in (("full", _FULL_NAME), ("first", _FIRST_NAME), ("last", _LAST_NAME),
                                  ("email", _EMAIL)):
                if kind not in found and pattern.match(key):
                    found[kind] = j
    return Identity(**found)


def asks(question: str) -> bool:
    """Whether a column's name or question text reads as a question to put before its answer (not ``Q1``).

    >>> asks("Q2_TEXT"), asks("Why did it change?"), asks("Your ideas for the service")
    (False, True, True)
    """
    return "?" in question or len(re.findall(r"[^\W\d_]{2,}", question)) >= 2 and not _IMPORT_ID.match(question)


def non_answer(cell: str) -> bool:
    """Whether an answer says there is nothing to say ("No", "N/A", "Nothing to add, thanks").

    >>> [non_answer(c) for c in ("No", "n/a", "Nothing more, thanks", "No, the rota")]
    [True, True, True, False]
    """
    return bool(_NON_ANSWER.match(cell.strip()))


def open_column(cells: Sequence[str]) -> bool:
    """Whether a column holds an open question's answers: what respondents wrote, "No" and "N/A" aside, runs to
    `ANSWER_WORDS` words (the median), or to `_SHORT_ANSWER_WORDS` with most answers unlike each other (a
    closed question's labels, "Strongly agree", repeat and are short). Figures are never answers.

    >>> open_column(["No", "N/A", "No", "The youth should be heard on every plan for the coast."])
    True
    >>> open_column(["Agree", "Strongly agree", "Agree", "Disagree"]), open_column(["3", "10", "7"])
    (False, False)
    """
    said = [" ".join(cell.split()) for cell in cells if cell.strip() and not non_answer(cell)]
    said = [cell for cell in said if re.search(r"[^\W\d_]", cell) and not _json(cell)]
    if not said:
        return False
    words = sorted(len(cell.split()) for cell in said)
    median = words[len(words) // 2]
    if median >= ANSWER_WORDS:
        return True
    distinct = len({cell.casefold() for cell in said})
    return median >= _SHORT_ANSWER_WORDS and 4 * distinct >= 3 * len(said) and len(said) >= 2


def _json(cell: str) -> bool:
    if not cell.lstrip().startswith("{"):
        return False
    try:
        json.loads(cell)
    except ValueError:
        return False
    return True

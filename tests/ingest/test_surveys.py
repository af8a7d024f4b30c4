"""Survey-tool exports of open answers: each tool's header rows, metadata and names, read as one row per person."""
import csv
import io

import pytest

from pipeline.ingest.records import ParseOptions
from pipeline.ingest.rows import parse_csv
from pipeline.ingest.surveys import header_rows, non_answer, open_column

ANSWERS = [
    ("We would keep the phone line open in the evenings for the people who work days.",
     "Because the backlog grew every week and nobody could clear it before the next one came in."),
    ("The rota should be set by the team that carries the caseload, not by a manager far away.",
     "Because they know which cases are urgent and which can wait until the morning."),
    ("Moving the drop-in to the library made it easier for tenants without a car to reach us.",
     "We asked the tenants, and most of them said the bus to the old office was the problem."),
]
WHAT = "What would you change about the service next year?"
WHY = "Why would you change it?"
MORE = "Is there anything else you would like to add?"
LIKERT = "My team was consulted before the change"
EXTRA = ["No", "N/A", "The youth should be heard on every plan for the coast, since it is their future we decide."]
NAMES = [("Orla", "Quennell"), ("Tamsin", "Vossberg"), ("Bertrand", "Aldous")]
SCALE = ["Agree", "Strongly agree", "Neither agree nor disagree"]


def as_csv(rows):
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode("utf-8")


def qualtrics():
    meta = ["StartDate", "EndDate", "Status", "IPAddress", "Progress", "Duration (in seconds)", "Finished",
            "RecordedDate", "ResponseId", "RecipientLastName", "RecipientFirstName", "RecipientEmail",
            "LocationLatitude", "DistributionChannel", "UserLanguage"]
    spaced = ["Start Date", "End Date", "Response Type", "IP Address", "Progress", "Duration (in seconds)",
              "Finished", "Recorded Date", "Response ID", "Recipient Last Name", "Recipient First Name",
              "Recipient Email", "Location Latitude", "Distribution Channel", "User Language"]
    rows = [meta + ["Q1", "Q2", "Q3", "Q4_TEXT"], spaced + [WHAT, WHY, LIKERT, MORE],
            [f'{{"ImportId":"{m}"}}' for m in meta] + ['{"ImportId":"QID1_TEXT"}', '{"ImportId":"QID2_TEXT"}',
                                                      '{"ImportId":"QID3"}', '{"ImportId":"QID4_TEXT"}']]
    for n, ((first, last), (what, why)) in enumerate(zip(NAMES, ANSWERS)):
        rows.append([f"2024-03-04 10:0{n}:11", f"2024-03-04 10:2{n}:59", "IP Address", f"81.2.0.{n}", "100",
                     "900", "True", "2024-03-04 11:00:00", f"R_3kQ{n}xZ8pLmN", last, first,
                     f"{first.lower()}@example.org", "51.5", "email", "EN", what, why, SCALE[n], EXTRA[n]])
    return rows


def survey_monkey():
    rows = [["Respondent ID", "Collector ID", "Start Date", "End Date", "IP Address", "Email Address", "First Name",
             "Last Name", WHAT, WHY, LIKERT, MORE],
            [""] * 8 + ["Open-Ended Response", "Open-Ended Response", "Response", "Open-Ended Response"]]
    for n, ((first, last), (what, why)) in enumerate(zip(NAMES, ANSWERS)):
        rows.append([str(11400000000 + n), "405212345", "03/04/2024 10:02:11 AM", "03/04/2024 10:22:59 AM",
                     f"81.2.0.{n}", f"{first.lower()}@example.org", first, last, what, why, SCALE[n], EXTRA[n]])
    return rows


def google_forms():
    rows = [["Timestamp", "Email Address", "Your name", WHAT, WHY, LIKERT, MORE]]
    for n, ((first, last), (what, why)) in enumerate(zip(NAMES, ANSWERS)):
        rows.append([f"3/4/2024 10:0{n}:11", f"{first.lower()}@example.org", f"{first} {last}", what, why, SCALE[n],
                     EXTRA[n]])
    return rows


def typeform():
    rows = [["#", "What's your name?", WHAT, WHY, LIKERT, MORE, "Start Date (UTC)", "Submit Date (UTC)",
             "Network ID"]]
    for n, ((first, last), (what, why)) in enumerate(zip(NAMES, ANSWERS)):
        rows.append([f"a8f{n}c9e2b71d04f5", f"{first} {last}", what, why, SCALE[n], EXTRA[n],
                     "2024-03-04 10:02:11", "2024-03-04 10:22:59", f"5b1e{n}a7f2"])
    return rows


def check_read_as_respondents(turns, name):
    """Each respondent a conversation; the questions the interviewer's; only the open answers quoted, by name."""
    said = [t for t in turns if t.role == "participant"]
    asked = [t for t in turns if t.role == "interviewer"]
    expected = [text for (what, why), extra in zip(ANSWERS, EXTRA) for text in (what, why)
                + ((extra,) if extra not in ("No", "N/A") else ())]
    assert [t.text for t in said] == expected  # no question text, JSON, "Open-Ended Response", "No" or scale
    assert [t.transcript_id for t in said] == [f"{name}#1"] * 2 + [f"{name}#2"] * 2 + [f"{name}#3"] * 3
    assert [t.speaker for t in said] == ["Orla Quennell"] * 2 + ["Tamsin Vossberg"] * 2 + ["Bertrand Aldous"] * 3
    assert {t.text for t in asked} == {WHAT, WHY, MORE} and all(t.speaker == "Interviewer" for t in asked)
    # Each answer follows its own question in its respondent's conversation.
    for before, after in zip(turns, turns[1:]):
        if after.role == "participant":
            assert before.role == "interviewer" and before.transcript_id == after.transcript_id
    everything = " ".join(t.text for t in turns)
    for leak in ("@", "81.2.0", "ImportId", "Open-Ended Response", "Agree", "R_3kQ", "2024"):
        assert leak not in everything


@pytest.mark.parametrize("tool", [qualtrics, survey_monkey, google_forms, typeform])
def test_each_survey_tools_export_is_read_as_its_respondents_open_answers(tool):
    check_read_as_respondents(parse_csv(as_csv(tool()), ParseOptions("s.csv")), "s.csv")


def test_qualtrics_legacy_export_of_two_header_rows():
    rows = qualtrics()
    del rows[2]  # the legacy export has no ImportId row; its second row restates the metadata's names
    check_read_as_respondents(parse_csv(as_csv(rows), ParseOptions("s.csv")), "s.csv")


def test_a_qualtrics_question_id_named_like_a_text_column_does_not_make_it_a_turn_table():
    rows = qualtrics()
    rows[0][rows[0].index("Q4_TEXT")] = "Comments"
    check_read_as_respondents(parse_csv(as_csv(rows), ParseOptions("s.csv")), "s.csv")


def test_survey_monkeys_multiple_choice_options_name_their_question():
    first = ["Respondent ID", WHAT, "Which team are you in?", ""]
    second = ["", "Open-Ended Response", "Housing", "Other (please specify)"]
    survey = header_rows([first, second, ["114", "Because.", "Housing", ""]])
    assert survey.rows == 2
    assert survey.questions[2:] == ["Which team are you in?: Housing", "Which team are you in?: Other (please specify)"]


def test_a_one_header_table_keeps_its_first_data_row():
    rows = [["Name", WHAT], ["Response", ANSWERS[0][0]], ["Bo Lind", ANSWERS[1][0]]]  # "Response" is a person here
    assert header_rows(rows).rows == 1


@pytest.mark.parametrize("cell", ["No", "n/a", "N/A.", "None", "Nothing more, thanks", "nothing to add", "-"])
def test_non_answers(cell):
    assert non_answer(cell)


@pytest.mark.parametrize("cell", ["No, the rota", "Nothing works on Mondays", "None of the managers asked us", "Not now"])
def test_answers_that_start_like_non_answers_are_answers(cell):
    assert not non_answer(cell)


def test_an_optional_question_few_answered_is_read_and_closed_questions_are_not():
    assert open_column(EXTRA)
    assert not open_column(SCALE * 3)
    assert not open_column(["3", "10", "7", "8"])
    assert open_column(["More buses to the estate", "Late opening on Thursdays", "A named caseworker for everyone"])


def test_a_survey_tools_own_columns_are_never_answers_however_long():
    agent = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0 Safari/537.36"
    rows = [["Your name", WHAT, "User Agent"]] + [[f"{first} {last}", what, agent.replace("122", str(120 + n))]
                                                  for n, ((first, last), (what, _)) in enumerate(zip(NAMES, ANSWERS))]
    turns = parse_csv(as_csv(rows), ParseOptions("s.csv"))
    assert [t.text for t in turns if t.role == "participant"] == [what for what, _ in ANSWERS]


def test_a_name_question_is_the_speaker_never_an_answer_however_long_the_names():
    long_names = ["Maria Luisa de Souza", "Jan Willem van Dijk", "Ana Sofia dos Santos"]
    rows = [["What's your name?", WHAT]] + [[person, what] for person, (what, _) in zip(long_names, ANSWERS)]
    turns = [t for t in parse_csv(as_csv(rows), ParseOptions("s.csv")) if t.role == "participant"]
    assert [(t.speaker, t.text) for t in turns] == [(person, what) for person, (what, _) in zip(long_names, ANSWERS)]


# A form's open question headed like a text column ("Comments", "Feedback"): a survey, not a turn table.
SHORT_COMMENTS = ["More staff please", "N/A", "Fine"]  # short: read because the column is named as the text


def _google_forms_with(heading):
    rows = [["Timestamp", "Email Address", "Your name", WHAT, WHY, LIKERT, heading]]
    for n, ((first, last), (what, why)) in enumerate(zip(NAMES, ANSWERS)):
        rows.append([f"3/4/2024 10:0{n}:11", f"{first.lower()}@example.org", f"{first} {last}", what, why, SCALE[n],
                     EXTRA[n]])
    return rows


def _microsoft_forms_with(heading):
    rows = [["ID", "Start time", "Completion time", "Email", "Name", WHAT, LIKERT, WHY, heading]]
    for n, (what, why) in enumerate(ANSWERS):
        rows.append([str(n + 1), f"3/4/24 10:0{n}:00", f"3/4/24 10:2{n}:00", "anonymous", "", what, SCALE[n], why,
                     SHORT_COMMENTS[n]])
    return rows


@pytest.mark.parametrize("heading", ["Comments", "Feedback", "Response"])
def test_a_google_forms_export_whose_open_question_is_headed_comments_is_read_as_a_survey(heading):
    turns = parse_csv(as_csv(_google_forms_with(heading)), ParseOptions("s.csv"))
    said = [t for t in turns if t.role == "participant"]
    expected = [text for (what, why), extra in zip(ANSWERS, EXTRA) for text in (what, why)
                + ((extra,) if extra not in ("No", "N/A") else ())]
    assert [t.text for t in said] == expected  # every question's answers, not the "Comments" column alone
    assert [t.transcript_id for t in said] == ["s.csv#1"] * 2 + ["s.csv#2"] * 2 + ["s.csv#3"] * 3
    assert [t.speaker for t in said] == ["Orla Quennell"] * 2 + ["Tamsin Vossberg"] * 2 + ["Bertrand Aldous"] * 3
    assert {t.text for t in turns if t.role == "interviewer"} == {WHAT, WHY}  # a heading is not a question


@pytest.mark.parametrize("heading", ["Comments", "Feedback"])
def test_a_microsoft_forms_export_keeps_every_open_answer_and_its_short_comments(heading):
    turns = parse_csv(as_csv(_microsoft_forms_with(heading)), ParseOptions("s.csv"))
    said = [t for t in turns if t.role == "participant"]
    expected = [text for (what, why), comment in zip(ANSWERS, SHORT_COMMENTS)
                for text in (what, why) + ((comment,) if comment != "N/A" else ())]
    assert [t.text for t in said] == expected
    assert [t.transcript_id for t in said] == ["s.csv#1"] * 3 + ["s.csv#2"] * 2 + ["s.csv#3"] * 3
    assert not any(t.speaker == "anonymous" for t in said)


AGENT_NOTES = ["Passed to the second line team for a decision on the rota change next week.",
               "Called the requester back and agreed to review the service hours with the team lead.",
               "Logged against the repairs queue while we wait for the contractor to confirm a visit."]
REQUESTS = [what for what, _ in ANSWERS] + [why for _, why in ANSWERS]


def _tickets(header, requesters):
    """A ticket export: `header` names the time, the requester, the requester's text and the agent's notes (in that
    order), then any ticket queue's own columns."""
    rows = [header]
    for n, (who, text) in enumerate(zip(requesters, REQUESTS)):
        rows.append([f"2024-03-0{n + 1} 09:15", who, text, AGENT_NOTES[n % 3]] + ["P3"] * (len(header) - 4))
    return rows


UNIQUE = ["Orla Quennell", "Tamsin Vossberg", "Bertrand Aldous", "Ilse Harrow", "Caspian Oake", "Wren Tallis"]
REPEATING = ["Orla Quennell", "Tamsin Vossberg", "Orla Quennell", "Bertrand Aldous", "Tamsin Vossberg", "Ilse Harrow"]


@pytest.mark.parametrize("header, requesters", [
    # No form tool's response time: "Created" is a ticket queue's (the "Comments" agents add after the Description).
    (["Created", "Requester", "Description", "Comments"], UNIQUE),
    # A form's "Timestamp", but a ticket queue's own column (a priority) beside the agent's reply.
    (["Timestamp", "Submitted By", "Comments", "Staff reply", "Priority"], UNIQUE),
    # A "Timestamp", but the requester comes back: one person's tickets, not one row per respondent.
    (["Timestamp", "Requester", "Comments", "Staff reply"], REPEATING),
], ids=["created", "ticket-column", "repeating-requester"])
def test_a_ticket_export_with_agent_notes_keeps_its_text_column_and_never_quotes_the_agent(header, requesters):
    turns = parse_csv(as_csv(_tickets(header, requesters)), ParseOptions("t.csv"))
    assert [t.text for t in turns] == REQUESTS  # every ticket's text, as a turn of its requester
    assert [t.speaker for t in turns] == requesters
    assert not any(note in t.text for t in turns for note in AGENT_NOTES)
    assert all(t.role is None for t in turns)  # rows, not a survey's interviewer and participants

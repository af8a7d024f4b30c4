"""E-mail read as e-mail (`pipeline.ingest.mail`): each message a turn of its sender, quotes and signatures out."""
import logging

import pytest

from pipeline import schema
from pipeline.errors import InputFileError
from pipeline.ingest import read_corpus
from pipeline.ingest.mail import looks_like_mail, mail_turns, parse_eml
from pipeline.ingest.records import ParseOptions
from pipeline.ingest.text import parse_txt

MAILBOX = """From: Orla Penhale <orla.penhale@example.org>
Sent: Monday, 4 March 2024 10:02
To: Programme Office <office@example.gov>
Subject: Opening hours

Hi all,

The phone line closes before shift workers finish, so they never reach us.

We moved the call-backs to the evening and complaints fell.

Kind regards,
Orla
Senior Officer | Repairs
Tel: 01632 960 001

From: Tomasz Brill <t.brill@example.net>
Sent: Monday, 4 March 2024 11:40
To: Programme Office <office@example.gov>
Subject: RE: Opening hours

We stopped the drop-in sessions because nobody came, but older tenants now cannot reach anyone.

Thanks,
Tomasz

-----Original Message-----
From: Programme Office <office@example.gov>
Sent: Monday, 4 March 2024 09:00
To: Tomasz Brill <t.brill@example.net>
Subject: Opening hours

Dear colleague, what changed in your team this year?

From: Orla Penhale <orla.penhale@example.org>
Sent: Tuesday, 5 March 2024 08:15
To: Programme Office <office@example.gov>
Subject: One more thing

The evening shift is now paid as overtime, which the budget cannot carry for long.

On Mon, 4 Mar 2024 at 10:02, Programme Office <office@example.gov> wrote:
> Thank you, could you say more about the cost?
> Programme Office
"""


def test_a_mailbox_saved_as_text_gives_each_message_to_its_sender():
    turns = parse_txt(MAILBOX.encode(), ParseOptions("inbox.txt"))
    said = [(t.speaker, t.role, t.transcript_id, t.text) for t in turns]
    assert said == [
        ("Orla Penhale", "participant", "inbox.txt#1",
         "The phone line closes before shift workers finish, so they never reach us.\n"
         "We moved the call-backs to the evening and complaints fell."),
        ("Tomasz Brill", "participant", "inbox.txt#2",
         "We stopped the drop-in sessions because nobody came, but older tenants now cannot reach anyone."),
        # The mailbox's owner (most messages are sent to it) asks: the interviewer, in the conversation
        # of the person asked.
        ("Programme Office", "interviewer", "inbox.txt#2", "Dear colleague, what changed in your team this year?"),
        ("Orla Penhale", "participant", "inbox.txt#1",
         "The evening shift is now paid as overtime, which the budget cannot carry for long."),
    ]
    words = " ".join(t.text for t in turns)
    for left_out in ("From", "Sent:", "Subject", "Kind regards", "01632", "Hi all", "could you say more", "wrote"):
        assert left_out not in words


def test_a_mailbox_in_the_corpus_names_no_header_as_a_speaker(tmp_path, ingest_config):
    (tmp_path / "inbox.txt").write_text(MAILBOX, encoding="utf-8")
    turns = read_corpus(tmp_path, ingest_config()).turns
    assert set(turns[schema.SPEAKER]) == {"Orla Penhale", "Tomasz Brill", "Programme Office"}
    quoted = turns[turns[schema.ROLE] == schema.ROLE_PARTICIPANT]
    # Orla's two messages are one conversation (hers), merged as consecutive turns of one speaker are.
    assert len(quoted) == 2 and quoted[schema.TRANSCRIPT_ID].nunique() == 2


def test_outlook_text_export_without_addresses_and_a_signature_without_a_sign_off():
    text = ("From:\tPenhale, Orla\nSent:\t04 March 2024 10:02\nTo:\tProgramme Office\nSubject:\tHours\n\n"
            "We need a second repairs van.\n\nOrla Penhale\nRepairs\n\n"
            "From:\tProgramme Office\nSent:\t04 March 2024 09:00\nTo:\tPenhale, Orla\nSubject:\tHours\n\n"
            "What would help most?\n")
    turns = parse_txt(text.encode(), ParseOptions("saved.txt"))
    assert [(t.speaker, t.role, t.text) for t in turns] == [
        ("Orla Penhale", "participant", "We need a second repairs van."),
        ("Programme Office", "interviewer", "What would help most?"),
    ]
    assert {t.transcript_id for t in turns} == {None}  # one correspondent: the file is the conversation


@pytest.mark.parametrize("lines", [
    ["From: Housing team", "Date: 3 May", "", "Sam: Why?", "Anna: Because."],
    ["Sam: We met from: nine", "Anna: To: ten"],
])
def test_a_transcript_with_from_and_date_notes_is_not_mail(lines):
    assert not looks_like_mail(lines)


def test_a_transcript_that_starts_with_from_and_date_notes_is_still_read_as_turns():
    text = "From: Housing team\nDate: 3 May\n\nSam: Why did you stop?\nAnna: Nobody came.\nSam: And then?\nAnna: We closed.\n"
    turns = parse_txt(text.encode(), ParseOptions("a.txt"))
    assert [t.speaker for t in turns] == ["Sam", "Anna", "Sam", "Anna"]


def eml(body, sender="Orla Penhale <orla.penhale@example.org>", html=None):
    from email.message import EmailMessage
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = sender, "office@example.gov", "Views"
    message.set_content(body)
    if html is not None:
        message.add_alternative(html, subtype="html")
    return bytes(message)


def test_eml_is_read_with_its_quoted_reply_and_signature_left_out():
    body = ("Hello,\n\nThe repairs backlog doubled after we cut the visits.\n\nBest wishes,\nOrla\n\n"
            "On Sun, 3 Mar 2024, Programme Office <office@example.gov> wrote:\n> Please send your views.\n")
    turns = parse_eml(eml(body), ParseOptions("a.eml"))
    assert [(t.speaker, t.role, t.text) for t in turns] == [
        ("Orla Penhale", "participant", "The repairs backlog doubled after we cut the visits.")]
    body = ("The repairs backlog doubled after we cut the visits.\n\n"
            "On Sun, 3 Mar 2024, Programme Office <office@example.gov> wrote:\n"
            "> Please send us your views on the strategy, and on what your team would change first in it.\n"
            "> We will read every answer before the workshop in April and come back to you.\n")
    turns = parse_eml(eml(body), ParseOptions("b.eml"))
    assert [t.text for t in turns] == ["The repairs backlog doubled after we cut the visits."]


def test_eml_with_only_an_html_body():
    from email.message import EmailMessage
    message = EmailMessage()
    message["From"], message["To"] = "Tomasz Brill <t.brill@example.net>", "office@example.gov"
    message.set_content("<html><head><style>p {color: red}</style></head><body><p>We merged the two "
                        "queues.</p><p>It saved a day a week.</p></body></html>", subtype="html")
    turns = parse_eml(bytes(message), ParseOptions("a.eml"))
    assert [t.text for t in turns] == ["We merged the two queues. It saved a day a week."]


def test_eml_files_in_a_folder_are_read_not_skipped(tmp_path, ingest_config):
    (tmp_path / "one.eml").write_bytes(eml("The repairs backlog doubled."))
    (tmp_path / "two.eml").write_bytes(eml("We merged the queues.", sender="Tomasz Brill <t.brill@example.net>"))
    corpus = read_corpus(tmp_path, ingest_config())
    assert [r.status for r in corpus.inputs] == ["ok", "ok"]
    assert list(corpus.turns[schema.SPEAKER]) == ["Orla Penhale", "Tomasz Brill"]


def test_a_file_named_eml_that_is_no_message_fails_with_a_reason(caplog):
    with pytest.raises(InputFileError, match="no From: header"):
        parse_eml(b"just some words\n", ParseOptions("a.eml"))


def test_a_thread_repeating_a_message_reads_it_once(caplog):
    block = ("From: Orla Penhale <orla.penhale@example.org>\nDate: 4 Mar 2024\nTo: office@example.gov\n\n"
             "We need a second repairs van.\n\n")
    with caplog.at_level(logging.INFO):
        turns = mail_turns((block + block).splitlines(), "t.txt")
    assert [t.text for t in turns] == ["We need a second repairs van."]
    assert "repairs" not in caplog.text and "Orla" not in caplog.text

"""The chat apps' layouts (`chat`): their headers, and the lines they add that nobody said."""
from __future__ import annotations

import pytest

from pipeline.ingest.chat import chat_header, clock_line, is_app_message, nick_line, without_app_lines
from pipeline.ingest.lines import parse_lines


def turns_of(lines):
    return [(t.speaker, t.text, t.start) for t in parse_lines(lines)]


@pytest.mark.parametrize(("line", "expected"), [
    ("Anna Smith  10:32 AM", ("Anna Smith", 37920.0)),  # Slack
    ("Anna Smith, 10:32\u202fPM", ("Anna Smith", 81120.0)),  # Google Chat, a narrow no-break space before PM
    ("Anna Smith, [12.03.24 10:15]", ("Anna Smith", 36900.0)),  # Telegram Desktop
    ("Anna Smith — Yesterday at 9:05 PM", ("Anna Smith", 75900.0)),  # Discord
    ("Anna Smith — 12/03/2024 10:32", ("Anna Smith", 37920.0)),
    ("[12/03/2024 10:32] Anna Smith", ("Anna Smith", 37920.0)),  # Teams
])
def test_chat_headers_name_the_sender_and_the_time_of_day(line, expected):
    assert chat_header(line) == expected


@pytest.mark.parametrize("line", [
    "Anna Smith  0:03",  # Otter: an offset into the recording, read by `lines` as such
    "[00:03] Anna Smith",  # Trint
    "Mar 12, 2024  10:32:11 AM",  # iMessage's stamp: the sender is on the next line
    "Anna: we met at 10:30 AM",
])
def test_lines_that_are_not_chat_headers(line):
    assert chat_header(line) is None


def test_a_time_alone_is_a_later_message_never_a_speaker_called_am():
    # Slack puts a later message of the same sender under its time alone; read as "a time, then a name", "AM"
    # was a speaker who said every message of the file.
    turns = turns_of(["Sam Jones  10:32 AM", "Why?", "Anna Smith  10:35 AM", "Cost.", "10:36 AM", "And time.",
                      "Sam Jones  10:37 AM", "So?", "Anna Smith  10:38 AM", "We cut."])
    assert turns == [("Sam Jones", "Why?", 0.0), ("Anna Smith", "Cost. And time.", 180.0), ("Sam Jones", "So?", 300.0),
                     ("Anna Smith", "We cut.", 360.0)]
    assert clock_line("10:36 AM") == 38160.0 and clock_line("10:36") is None


def test_a_one_off_chat_header_in_notes_names_no_speaker():
    turns = turns_of(["Board meeting, 10:30 AM", "Sam: Why?", "Anna: Cost.", "Board meeting, 11:30 AM was moved.",
                      "Sam: So?", "Anna: We cut."])
    assert [t[0] for t in turns] == ["Sam", "Anna", "Sam", "Anna"]


def test_whatsapp_system_messages_are_the_apps():
    assert is_app_message("\u200eMessages and calls are end-to-end encrypted. No one outside of this chat can read them.")
    assert is_app_message("Messages to this group are now secured with end-to-end encryption.")
    assert not is_app_message("We missed the call twice, and the tenant gave up.")


def test_app_lines_are_dropped_but_speech_that_looks_like_them_stays():
    lines = ["[10:35] * anna nods", "10:30 -!- anna [~a@host] has joined #pilot", "--- Day changed Wed Mar 13 2024",
             "Reactions:", "Loved by Me", "Liked by Anna Smith", "[In reply to Sam Jones]", ":tada: :heart:", "3",
             "/Users/sam/Library/Messages/Attachments/ab/IMG_0001.jpeg"]
    speech = ["* we wrote it down as a bullet", "Liked by everyone in the office, the plan went ahead.",
              "3", "--> then we stopped", "[the council] agreed"]
    assert without_app_lines(lines + speech) == speech


def test_irc_nicks():
    assert nick_line("<@anna_k> we tried it") == ("anna_k", "we tried it")
    assert nick_line("< anna> we tried it") == ("anna", "we tried it")
    assert nick_line("<Media omitted>") is None


def test_imessage_sender_below_the_stamp():
    turns = turns_of(["Mar 12, 2024  10:32:11 AM", "Me", "Why?", "",
                      "Mar 12, 2024  10:35:40 AM (Read by you after 1 minute)", "+44 7700 900123", "Cost.", "",
                      "Mar 12, 2024  10:37:02 AM", "Me", "So?", "Mar 12, 2024  10:38:15 AM", "+44 7700 900123",
                      "We cut."])
    assert [(speaker, text) for speaker, text, _ in turns] == [
        ("Me", "Why?"), ("+44 7700 900123", "Cost."), ("Me", "So?"), ("+44 7700 900123", "We cut.")]

"""Chat and messaging layouts: what chat apps write around a message, and what they add that nobody said.

Messages copied out of a chat app, or exported from it, name the sender and
the time in a header line above the words; which header depends on the app:

- Slack: ``Anna Smith  10:32 AM`` (a later message of the same sender under
  its time alone, ``10:33 AM``);
- Google Chat: ``Anna Smith, 10:32 AM``; Teams: ``Anna Smith, 10:32``;
- Telegram Desktop: ``Anna Smith, [12.03.24 10:15]``;
- Discord: ``Anna Smith — 12/03/2024 10:32``, ``Anna Smith — Today at 10:32 AM``;
- Teams: ``[12/03/2024 10:32] Anna Smith`` (the time first);
- iMessage, as imessage-exporter writes it: the date and time alone on a line
  (``Mar 12, 2024  9:59:37 AM``, maybe ``(Read by you after 1 minute)``), the
  sender alone on the next, the words below;
- IRC logs: ``[10:32] <anna> words``, irssi's ``10:32 <@anna> words``.

`lines` reads these as it reads the Otter layout (a name with a time above
the words); this module only recognises them. A header whose time carries a
date, ``AM``/``PM`` or ``Today at`` is a time of day, never an offset into a
recording.

What the apps add is not speech, and left in it would be quoted as the last
sender's words: WhatsApp's system messages (on an iPhone written as a message
of the chat itself, its words starting with an invisible left-to-right mark:
``[12/03/2024, 09:58:03] Anna Smith: ‎Messages and calls are end-to-end
encrypted.``), iMessage's reactions (``Reactions:`` / ``Loved by Me``) and
reply notes, Telegram's ``[In reply to Sam]`` and ``[Forwarded from Sam]``,
IRC's joins, quits and actions (``* anna has joined #team``), Slack's emoji
reactions (``:+1:`` above its count) and attachment paths.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TypeVar

Item = TypeVar("Item")

# A time of day, with the 12-hour clock's mark (a narrow no-break space before it on recent phones).
CLOCK = r"\d{1,2}[:.]\d{2}(?:[:.]\d{2})?(?:[\s\u202f]?[AaPp]\.?[Mm]\.?)?"
# A date as the apps write it: 12/03/2024, 12.03.24, 2024-03-12, Mar 12, 2024, 12 March 2024, Tuesday, March 12th.
_MONTH = (r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?")
_DAY = r"(?:(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)[a-z]*,?\s+)?"
DATE = (rf"(?:\d{{1,4}}[./-]\d{{1,2}}[./-]\d{{2,4}}|\d{{1,2}}[./]\d{{1,2}}"
        rf"|{_DAY}{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?"
        rf"|{_DAY}\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH}(?:,?\s+\d{{4}})?)")
_WHEN = rf"(?:(?:{DATE})(?:,?\s+|\s+at\s+)|(?:today|yesterday)\s+at\s+)?(?P<time>{CLOCK})"
_HALF = re.compile(r"[AaPp]\.?[Mm]\.?$")
_DAY_WORDS = re.compile(r"today|yesterday", re.IGNORECASE)
_DATED = re.compile(DATE, re.IGNORECASE)

# "Anna Smith  10:32 AM", "Anna Smith, [12.03.24 10:15]", "Anna Smith — Today at 10:32 AM": the name, then
# a comma, a dash or spaces, then the time (with its date, in brackets or not), the whole end of the line.
_NAME_FIRST = re.compile(
    rf"^(?P<name>[^\[\]<>:]{{1,60}}?)(?:\s*,|\s+[-–—|]|\s)\s*(?P<open>[\[(])?{_WHEN}(?(open)[\])])$",
    re.IGNORECASE)
# "[12/03/2024 10:32] Anna Smith" (Teams, copied): the date and time in brackets, then the name alone.
_TIME_FIRST = re.compile(rf"^\[(?:(?P<date>{DATE})[,\s]+)?(?P<time>{CLOCK})\]\s*(?P<name>[^\[\]<>:]{{1,60}})$",
                         re.IGNORECASE)
# A line that is only a date and a time, with iMessage's read receipt maybe after it.
_STAMP_ONLY = re.compile(
    rf"^[\[(]?(?:(?P<date>{DATE})(?:,?\s+|\s+at\s+)|(?:today|yesterday)\s+at\s+)(?P<time>{CLOCK})[\])]?"
    r"(?:\s*\((?:read|delivered|sent)\b[^()]*\))?$", re.IGNORECASE)
# A time of day alone: a later message of the sender above (Slack).
_CLOCK_ONLY = re.compile(rf"^[\[(]?(?P<time>{CLOCK})[\])]?$")

# An IRC line's sender: "<anna> words", "<@anna> words", "< anna> words" (irssi pads the mode).
_NICK = re.compile(r"^<[ @+%~&]?(?P<name>[A-Za-z_\[\]\\^{}|`][\w\[\]\\^{}|`.-]{0,29})>\s+(?P<rest>\S.*)$")

# What WhatsApp writes as a message: the encryption notice, calls, group changes. On an iPhone they are the
# chat's own messages, with a left-to-right mark in front of the words.
_LRM = "\u200e"
_WHATSAPP_SYSTEM = re.compile(
    r"^(?:messages (?:and calls )?(?:to this (?:chat|group) )?(?:are|and calls are now) (?:now )?"
    r"(?:end-to-end encrypted|secured with end-to-end encryption)\b.*"
    r"|missed (?:voice|video) call|(?:voice|video) call(?:, \S.*)?|your security code with .+ changed\..*"
    r"|waiting for this message\..*)$", re.IGNORECASE)

# Lines the apps add between messages; each must be the whole line.
_APP_LINES = [re.compile(pattern, re.IGNORECASE) for pattern in (
    # iMessage (imessage-exporter): reactions and their givers, reply notes, effects.
    r"^reactions:$",
    r"^this message responded to an earlier message\.$",
    r"^sent with (?:confetti|echo|fireworks|balloons|heart|lasers|shooting sta\w+|sparkles|spotlight|slam|loud"
    r"|gentle|invisible ink)$",
    r"^attachment missing!$",
    # Telegram Desktop's copies: the message replied to or forwarded, media placeholders.
    r"^\[(?:in reply to|forwarded from)\s[^\[\]]{1,80}\]$",
    r"^\[\s*(?:photo|video|sticker|voice message|audio|file|gif|album|poll)\s*\]$",
    # IRC clients' events: after the time, "*" (an action, a join), "-!-", "-->", "<--", "---" (irssi, HexChat,
    # WeeChat), never a cue's "00:00:01 --> 00:00:04"; without a time, only a join, part, quit or nick change,
    # so a typed "* item" bullet stays.
    r"^[\[(]?\d{1,2}:\d{2}(?::\d{2})?[\])]?\s+(?:\*{1,3}|-!-|-->|<--|---?)\s+(?!\d)\S.*$",
    r"^(?:\*{1,3}|-!-|-->|<--)\s+\S+\s+(?:[\[(][^\])]*[\])]\s+)?(?:has\s+)?(?:joined|left|quit|is now known as)\b.*$",
    r"^---\s+(?:log (?:opened|closed)|day changed)\b.*$",
    # A file's path on a line of its own (an attachment).
    r"^(?:~?/|[a-z]:\\)\S+\.[a-z0-9]{2,5}$",
)]
# iMessage's reaction lines under "Reactions:" ("Loved by Me", "Liked by Anna Smith"): the giver is "Me", a name
# or a number, and nothing follows it, so a wrapped line of speech ("Liked by everyone, it ...") stays.
_TAPBACK = re.compile(r"^(?:Loved|Liked|Disliked|Laughed at|Emphasi[sz]ed|Questioned) by "
                      r"(?:Me|[A-Z][\w'’-]*(?: [A-Z][\w'’-]*){0,3}|\+?[\d ()-]{6,})$")
# Slack's emoji reactions (":+1:", ":tada: :heart:") on a line of their own, and the count below one.
_REACTION = re.compile(r"^(?::[\w+-]{1,40}:\s*)+$")
_COUNT = re.compile(r"^\d{1,3}$")  # the count below a Slack reaction


def clock_seconds(time: str) -> float:
    """Seconds since midnight of "10:32", "10:32:11" or "10:32 PM" (12 AM is midnight).

    >>> clock_seconds("10:32 PM"), clock_seconds("12:05 AM"), clock_seconds("9.58")
    (81120.0, 300.0, 35880.0)
    """
    half = _HALF.search(time.strip())
    digits = time[:half.start()] if half else time
    hours, minutes, *seconds = (int(part) for part in re.split(r"[:.]", digits.strip()))
    if half:
        hours = hours % 12 + (12 if half.group(0).casefold().startswith("p") else 0)
    return float(hours * 3600 + minutes * 60 + sum(seconds))


def chat_header(line: str) -> tuple[str, float] | None:
    """The sender and the time of day of a chat app's header line, whose words follow on the next lines.

    Only headers whose time is a time of day (with a date, ``AM``/``PM`` or ``Today at``) are read here;
    ``Anna  0:03`` is an offset into a recording, read as the Otter layout.

    >>> chat_header("Anna Smith  10:32 AM"), chat_header("Anna Smith, [12.03.24 10:15]")
    (('Anna Smith', 37920.0), ('Anna Smith', 36900.0))
    >>> chat_header("Anna Smith — Today at 9:05 PM"), chat_header("[12/03/2024 10:32] Anna Smith")
    (('Anna Smith', 75900.0), ('Anna Smith', 37920.0))
    >>> chat_header("Anna  0:03") is None, chat_header("[00:03] Anna") is None
    (True, True)
    """
    match = _TIME_FIRST.match(line) or _NAME_FIRST.match(line)
    if match is None or stamp_line(line) is not None:
        return None
    time = match.group("time")
    # Without a date or the 12-hour clock's mark, "Anna  10:32" may as well be an offset: not a chat's.
    when = line[:match.start("name")] if match.re is _TIME_FIRST else line[match.end("name"):]
    if not (_HALF.search(time) or _DATED.search(when.replace(time, " ")) or _DAY_WORDS.search(when)):
        return None
    return match.group("name").strip(), clock_seconds(time)


def stamp_line(line: str) -> float | None:
    """The time of day of a line that is only a date and a time (iMessage writes the sender below it).

    >>> stamp_line("Mar 12, 2024  9:59:37 AM (Read by you after 1 minute)"), stamp_line("12/03/2024 10:32")
    (35977.0, 37920.0)
    >>> stamp_line("10:32") is None
    True
    """
    match = _STAMP_ONLY.match(line)
    return clock_seconds(match.group("time")) if match else None


def clock_line(line: str) -> float | None:
    """The time of day of a line that is a time alone with the 12-hour clock's mark, or a date and a time:
    the time of a message whose sender is named on the line above (Slack) or below (iMessage); not words.

    >>> clock_line("10:33 AM"), clock_line("[10:33 PM]"), clock_line("10:33")
    (37980.0, 81180.0, None)
    """
    clock = _CLOCK_ONLY.match(line)
    if clock and _HALF.search(clock.group("time")):
        return clock_seconds(clock.group("time"))
    return stamp_line(line)


def nick_line(text: str) -> tuple[str, str] | None:
    """An IRC line's nick and words: ``<anna> words``, ``<@anna> words``.

    >>> nick_line("<@anna_k> we tried it"), nick_line("<Media omitted>")
    (('anna_k', 'we tried it'), None)
    """
    match = _NICK.match(text)
    return (match.group("name"), match.group("rest")) if match else None


def is_app_message(words: str) -> bool:
    """Whether a WhatsApp message's words are the app's (a system message), not the sender's.

    >>> is_app_message("\\u200eMessages and calls are end-to-end encrypted. No one outside of this chat can read them.")
    True
    >>> is_app_message("Missed voice call"), is_app_message("We missed the call twice.")
    (True, False)
    """
    return words.startswith(_LRM) or bool(_WHATSAPP_SYSTEM.match(words.strip()))


def without_app_lines(items: Sequence[Item]) -> list[Item]:
    """`items` (stripped lines) without the lines chat apps add between messages (`_APP_LINES`), nor the count
    under a Slack reaction. Only strings are inspected; other items (turns from a table) pass through.

    >>> without_app_lines(["Good point.", ":+1:", "2", "Reactions:", "Loved by Me", "* anna has quit", "Yes."])
    ['Good point.', 'Yes.']
    """
    kept: list[Item] = []
    after_reaction = False
    for item in items:
        if not isinstance(item, str):
            kept.append(item)
            after_reaction = False
            continue
        if after_reaction and _COUNT.match(item):
            after_reaction = False
            continue
        after_reaction = bool(_REACTION.match(item))
        if not (after_reaction or _TAPBACK.match(item) or any(pattern.match(item) for pattern in _APP_LINES)):
            kept.append(item)
    return kept

"""E-mail: a mailbox or a thread saved as text, and `.eml` files.

A consultant is sent requests and comments by e-mail as often as in
meetings: a mailbox folder saved as text (Outlook's "Save as" of several
messages), a forwarded thread, or the messages themselves (`.eml`). Read as
lines, the header lines (``From: Anna <anna@...>``, ``Sent: ...``,
``To: ...``) looked like speakers, and every message's words were spoken
by ``To``. Here each message is a turn of its sender:

- a message starts at a header block: consecutive ``Key: value`` lines with
  a ``From:`` and at least one of ``Sent:``, ``Date:``, ``To:``, ``Subject:``
  (`_HEADER`); Outlook's ``-----Original Message-----`` and Gmail's
  ``---------- Forwarded message ---------`` lines above it are dropped;
- the sender is the ``From:`` display name, else the address;
- what the sender did not write is dropped: lines quoted with ``>`` and the
  ``On ... wrote:`` line above them (the quoted message is its own sender's,
  and where the mailbox holds it, it is read there), a greeting line at the
  top ("Hi all,"), and a signature (from a sign-off such as "Kind regards,"
  or a ``--`` line, when only a few short lines follow it: a name, a job
  title, a phone number), and "Sent from my iPhone";
- a message repeated in a thread (each reply carries the ones before it) is
  read once;
- whose mailbox it is: the recipient most messages are sent to (the first
  message's, when two are sent to as many). That person's own messages (the
  consultant's questions) are the interviewer's, context never quoted, and
  belong to the conversation of the person they were sent to; every other
  message is a participant's. Each correspondent's messages are a
  conversation of their own (``file#n``, numbered in order of appearance,
  never named), as each writer's rows of a comment table are.

A `.eml` file is read with the standard library's `email` package: its
headers and its plain-text body (the HTML body, its tags removed, where there
is no plain text), then split as above, so a forwarded thread inside it
gives each message to its sender. Attachments are not read.
"""
from __future__ import annotations

import html
import logging
import re
from collections import Counter
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import getaddresses, parseaddr

from pipeline import schema
from pipeline.errors import InputFileError

from .records import ParsedTurn, ParseOptions

logger = logging.getLogger(__name__)

_HEADER = re.compile(r"^\s*\*{0,2}(?P<key>from|sent|date|to|cc|bcc|subject|reply-to|importance|attachments)"
                     r"\s*:\s*\*{0,2}\s*(?P<value>.*)$", re.IGNORECASE)
_NEEDED_BESIDE_FROM = frozenset({"sent", "date", "to", "subject"})
_SEPARATOR = re.compile(r"^\s*(?:-{2,}\s*(?:original message|forwarded message|forwarded by .*)\s*-{2,}"
                        r"|begin forwarded message:?|_{10,}|-{10,})\s*$", re.IGNORECASE)
_ATTRIBUTION = re.compile(r"^\s*(?:on\s.{4,160}\swrote:|.{1,80}\swrote:)\s*$", re.IGNORECASE)
_QUOTED = re.compile(r"^\s*>")
_GREETING = re.compile(r"^\s*(?:hi|hello|hey|dear|good (?:morning|afternoon|evening)|morning|afternoon)\b"
                       r"[^.?!]{0,40}[,!:]?\s*$", re.IGNORECASE)
_SIGN_OFF = re.compile(
    r"^\s*(?:(?:kind|best|warm|warmest|many|with)?\s*(?:regards|wishes|thanks|thank you)"
    r"|best|cheers|sincerely|yours(?: sincerely| faithfully| truly)?|all the best|speak soon|thanks again"
    r"|with thanks|many thanks|ta)[\s,.!]*$", re.IGNORECASE)
_SIGNATURE_MARK = re.compile(r"^--\s*$")
_MOBILE_FOOTER = re.compile(r"^\s*(?:sent from my \w+|get outlook for \w+|sent from outlook for \w+|"
                            r"sent from (?:mail|yahoo mail|samsung \w+) for \w+)\b.*$", re.IGNORECASE)
_SURNAME_FIRST = re.compile(r"^([^\W\d_][\w'’-]*), ([^\W\d_][\w'’-]*)$")
_MAILTO = re.compile(r"\s*\[mailto:[^\]]*\]", re.IGNORECASE)
# A signature is this many lines or fewer after the sign-off, each this many words or fewer.
MAX_SIGNATURE_LINES = 6
MAX_SIGNATURE_WORDS = 10
_TAG = re.compile(r"<[^<>]+>")
_BLOCK_TAGS = re.compile(r"<\s*(?:br|/p|/div|/li|/tr|/h\d)\b[^>]*>", re.IGNORECASE)
_HIDDEN = re.compile(r"<(style|script|head)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)


def header_starts(lines: list[str]) -> list[tuple[int, int, dict[str, str]]]:
    """(first line, line after, headers) of each message header block in `lines`.

    >>> header_starts(["From: Ana <a@x.org>", "To: b@x.org", "", "Yes."])
    [(0, 2, {'from': 'Ana <a@x.org>', 'to': 'b@x.org'})]
    >>> header_starts(["From: the start, we knew.", "Then we went."])
    []
    """
    blocks = []
    index = 0
    while index < len(lines):
        match = _HEADER.match(lines[index])
        if not match:
            index += 1
            continue
        start, headers = index, {}
        key = ""
        while index < len(lines):
            match = _HEADER.match(lines[index])
            if match:
                key = match.group("key").casefold()
                headers.setdefault(key, match.group("value").strip())
            elif key in ("to", "cc", "bcc") and lines[index][:1] in (" ", "\t") and lines[index].strip():
                headers[key] += " " + lines[index].strip()  # a folded list of recipients
            else:
                break
            index += 1
        if "from" in headers and headers.keys() & _NEEDED_BESIDE_FROM:
            blocks.append((start, index, headers))
    return blocks


def looks_like_mail(lines: list[str]) -> bool:
    """Whether text lines are e-mail: two message header blocks or more, or one at the top whose sender has an
    address or that has three headers or more (a transcript's notes may start "From: Housing" and "Date: ...").

    >>> looks_like_mail(["From: Housing team", "Date: 3 May", "", "Sam: Why?"])
    False
    >>> looks_like_mail(["From: Ana <ana@example.org>", "Date: 3 May", "", "We need more staff."])
    True
    """
    blocks = header_starts(lines)
    if len(blocks) >= 2:
        return True
    if not blocks or any(line.strip() for line in lines[:blocks[0][0]]):
        return False
    # One block, at the top: a message when it says more than a transcript's "From:" and "Date:" notes would.
    headers = blocks[0][2]
    return len(headers) >= 3 or "@" in headers["from"]


def mail_turns(lines: list[str], name: str) -> list[ParsedTurn]:
    """Each message of e-mail text lines as a turn of its sender, by correspondent (module docstring)."""
    blocks = header_starts(lines)
    messages: list[tuple[str, str, list[str], str]] = []  # sender, address, recipients, words
    seen: set[tuple[str, str]] = set()
    repeats = quoted = 0
    for number, (_, body_at, headers) in enumerate(blocks):
        end = blocks[number + 1][0] if number + 1 < len(blocks) else len(lines)
        sender, address = _sender(headers.get("from", ""))
        words, dropped = _own_words(lines[body_at:end], sender)
        quoted += dropped
        key = (address or sender.casefold(), " ".join(words.split()))
        if key in seen:
            repeats += 1
            continue
        seen.add(key)
        messages.append((sender, address or sender.casefold(), _recipients(headers.get("to", "")), words))
    owner = _owner([recipients for _, _, recipients, _ in messages])
    conversations: dict[str, int] = {}
    turns = []
    for sender, address, recipients, words in messages:
        own = bool(owner) and address == owner
        other = next((r for r in recipients if r != owner), "") if own else (address or sender.casefold())
        conversation = conversations.setdefault(other or "\0", len(conversations) + 1)
        turns.append(ParsedTurn(sender, words, transcript_id=f"{name}#{conversation}",
                                role=schema.ROLE_INTERVIEWER if own else schema.ROLE_PARTICIPANT))
    if len(conversations) == 1:
        for turn in turns:
            turn.transcript_id = None  # one correspondent: the file is the conversation
    logger.info("%s: read as e-mail: %d message(s) from %d correspondent(s)%s%s", name, len(messages),
                len(conversations), f"; {repeats} repeated in the thread read once" if repeats else "",
                f"; {quoted} quoted line(s) left out" if quoted else "")
    return turns


def parse_eml(data: bytes, options: ParseOptions) -> list[ParsedTurn]:
    """Turns of a `.eml` message: its headers and body as e-mail text (`mail_turns`).

    >>> eml = b"From: Ana Lee <ana@example.org>\\r\\nTo: team@example.org\\r\\n\\r\\nOpen later.\\r\\n"
    >>> [(t.speaker, t.text, t.role) for t in parse_eml(eml, ParseOptions("a.eml"))]
    [('Ana Lee', 'Open later.', 'participant')]
    """
    try:
        message = BytesParser(policy=policy.default).parsebytes(data)
    except Exception:  # the parser is lenient; anything it raises is a broken file
        raise InputFileError("it is not a readable e-mail message", "save the message again from the mail program",
                             path=options.name) from None
    if not isinstance(message, EmailMessage) or not message.get("from"):
        raise InputFileError("it has no From: header, so it is not an e-mail message",
                             "save the message again from the mail program (File > Save As, .eml)",
                             path=options.name)
    lines = [f"{key}: {' '.join(str(message.get(key, '')).split())}" for key in ("From", "To", "Date", "Subject")
             if message.get(key)]
    lines += [""] + _body(message).splitlines()
    turns = mail_turns(lines, options.name)
    if not any(turn.text.strip() for turn in turns):
        raise InputFileError("the message has no text body", "save the message again, or copy its text into a .txt",
                             path=options.name)
    return turns


def _body(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    try:
        content = part.get_content()
    except (LookupError, ValueError):  # an unknown charset: decode it as Latin-1 rather than lose it
        content = (part.get_payload(decode=True) or b"").decode("latin-1")
    if part.get_content_subtype() == "html":
        content = _BLOCK_TAGS.sub("\n", _HIDDEN.sub("", content))
        content = html.unescape(_TAG.sub("", content))
    return content


def _own_words(lines: list[str], sender: str = "") -> tuple[str, int]:
    """A message body's lines without what its sender did not write, joined; and how many quoted lines went."""
    kept: list[str] = []
    quoted = 0
    for line in lines:
        if _QUOTED.match(line):
            quoted += 1
            continue
        if _SEPARATOR.match(line) or _ATTRIBUTION.match(line) or _MOBILE_FOOTER.match(line):
            continue
        kept.append(line.rstrip())
    while kept and not kept[-1].strip():
        kept.pop()
    first = next((i for i, line in enumerate(kept) if line.strip()), None)
    if first is not None and _GREETING.match(kept[first]) and len(kept[first].split()) <= 6:
        kept = kept[first + 1:]
    kept = _without_signature(kept, sender)
    paragraphs, current = [], []
    for line in kept:
        if line.strip():
            current.append(line.strip())
        elif current:
            paragraphs.append(" ".join(current))
            current = []
    if current:
        paragraphs.append(" ".join(current))
    return "\n".join(paragraphs), quoted


def _without_signature(lines: list[str], sender: str = "") -> list[str]:
    """`lines` without a sign-off and the few short lines after it (a name, a title, a number), or
    without a last paragraph of such lines that starts with a word of the `sender`'s name.

    >>> _without_signature(["We need more staff.", "", "Kind regards,", "Ana", "Housing Officer"])
    ['We need more staff.', '']
    >>> _without_signature(["Thanks,", "but we still need more staff, all of us, every single week of the year."])
    ['Thanks,', 'but we still need more staff, all of us, every single week of the year.']
    >>> _without_signature(["We need more staff.", "", "Ana Lee", "Finance"], "Lee, Ana")
    ['We need more staff.', '']
    """
    def short(rest: list[str]) -> bool:
        return (len(rest) <= MAX_SIGNATURE_LINES
                and all(len(line.split()) <= MAX_SIGNATURE_WORDS for line in rest))

    for index, line in enumerate(lines):
        if index and (_SIGN_OFF.match(line) or _SIGNATURE_MARK.match(line)):
            if short([rest for rest in lines[index + 1:] if rest.strip()]):
                return lines[:index]
    names = {word.casefold() for word in re.findall(r"[^\W\d_]{2,}", sender)}
    blank = max((i for i, line in enumerate(lines) if not line.strip()), default=None)
    if names and blank:
        last = [line for line in lines[blank + 1:] if line.strip()]
        first_words = {word.casefold() for word in re.findall(r"[^\W\d_]{2,}", last[0])} if last else set()
        if last and first_words & names and len(last[0].split()) <= 4 and short(last):
            return lines[:blank + 1]
    return lines


def _sender(value: str) -> tuple[str, str]:
    """The display name (else the address) and the case-folded address of a From: value."""
    value = _MAILTO.sub("", value).strip()
    name, address = parseaddr(value)
    if "@" not in address:
        return _display_name(value), ""
    return " ".join((name or address).strip('"').split()), address.casefold()


def _display_name(value: str) -> str:
    """A name as Outlook writes it without an address, surname first ("Lee, Ana"), in speaking order.

    >>> _display_name("Lee, Ana"), _display_name('"Programme Office"')
    ('Ana Lee', 'Programme Office')
    """
    name = " ".join(value.strip().strip('"').split())
    surname_first = _SURNAME_FIRST.match(name)
    return f"{surname_first.group(2)} {surname_first.group(1)}" if surname_first else name


def _recipients(value: str) -> list[str]:
    """The case-folded addresses of a To: value, or its names where it gives none (Outlook's text export).

    >>> _recipients("Ana <ana@x.org>, bo@x.org"), _recipients("Lee, Ana; Programme Team")
    (['ana@x.org', 'bo@x.org'], ['ana lee', 'programme team'])
    """
    value = _MAILTO.sub("", value)
    if "@" not in value:
        return [_display_name(name).casefold() for name in value.split(";") if name.strip()]
    return [address.casefold() for _, address in getaddresses([value]) if "@" in address]


def _owner(recipients: list[list[str]]) -> str:
    """The mailbox's owner: the address most messages are sent to, the first message's on a tie; "" if none."""
    counts = Counter(address for addresses in recipients for address in set(addresses))
    if not counts:
        return ""
    most = max(counts.values())
    first = next((a for addresses in recipients for a in addresses if counts[a] == most), "")
    return first

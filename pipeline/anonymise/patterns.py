"""Contact details and identifiers found by pattern, each checked before it counts.

Emails (written, and spoken: "sarah dot jones at council dot gov dot uk"),
URLs and bare web addresses, phone numbers in UK and international layouts,
UK postcodes, NHS numbers (mod-11 check digit), National Insurance numbers,
payment card numbers (Luhn) and other long digit runs. A phone candidate
must hold 7 to 15 digits and not be a date, a year range or an amount.
IBANs (ISO 13616 mod-97 check), social media handles ("@fen_hargreaves"),
IP addresses (v4 and v6, checked by `ipaddress`) and dates said as a birth
date ("born on 14 March 1981", "DOB: 2/19/1956"; other dates stay).

>>> [(kind, surface) for _, _, kind, surface in pattern_spans("IBAN GB82 WEST 1234 5698 7654 32, ping @jo_b")]
[('IBAN', 'GB82 WEST 1234 5698 7654 32'), ('HANDLE', '@jo_b')]
"""
from __future__ import annotations

import ipaddress
import re

PERSON, PLACE, EMAIL, PHONE, URL, POSTCODE, ID_NUMBER = (
    "PERSON", "PLACE", "EMAIL", "PHONE", "URL", "POSTCODE", "ID")
IBAN, HANDLE, IP_ADDRESS, BIRTH_DATE = "IBAN", "HANDLE", "IP", "DOB"

Span = tuple[int, int, str, str]  # start, end, kind, surface

# Last labels of a web or email address. Bare domains ("eastbrook.gov.uk") only end in
# one that is not also an English word, so "good.it was" stays text.
_TLDS = ("com|org|net|uk|gov|nhs|ac|edu|io|info|biz|eu|co|tv|ca|au|de|fr|es|nl|ie|se|dk|fi|pl|cz|hu|ch|pt|gr|"
         "ru|jp|cn|nz|za|br|mx|hk|sg|app|dev|online|site|tech|me|us|it|be|no|at|in")
_BARE_TLDS = _TLDS.removesuffix("|me|us|it|be|no|at|in")
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# "jo dot bloggs at eastbrook dot gov dot uk": at least one "dot" after "at", a known last label.
_SPOKEN_EMAIL = re.compile(
    rf"\b[a-z0-9][\w-]*(?:\s+(?:dot|underscore|hyphen|dash)\s+[\w-]+)*\s+at\s+[a-z0-9][\w-]*"
    rf"(?:\s+dot\s+[a-z0-9][\w-]*)*\s+dot\s+(?:{_TLDS})\b", re.IGNORECASE)
_URL = re.compile(r"\b(?:https?://|www\.)[^\s<>\"'()\[\]]+[^\s<>\"'()\[\].,;:!?]", re.IGNORECASE)
_DOMAIN = re.compile(rf"(?<![@\w.-])(?:[a-z0-9][a-z0-9-]*\.)+(?:{_BARE_TLDS})(?:/[^\s<>\"'()\[\]]*)?(?![\w@-])",
                     re.IGNORECASE)
# Digits in groups joined by single spaces, dots, dashes or a bracketed area code,
# an optional +country code or 00 prefix, an optional (0), an optional extension.
_PHONE = re.compile(
    r"(?<![\w+/.:-])"
    r"(?:\+\d{1,3}[ \t.-]?(?:\(0\)[ \t]?)?|\(\+?\d{1,5}\)[ \t.-]?)?"
    r"\d{1,12}(?:(?:[ \t.-]|\)[ \t]?)\(?\d{1,8}\)?){0,5}"
    r"(?:[ \t]?(?:x|ext\.?|extension)[ \t]?\d{1,5})?"
    r"(?![\w/]|[-.:]\d)", re.IGNORECASE)
_EXTENSION = re.compile(r"\s?(?:x|ext\.?|extension)\s?\d{1,5}$", re.IGNORECASE)
_ISO_DATE = re.compile(r"^\d{4}[-./]\d{1,2}[-./]\d{1,2}$|^\d{1,2}[-./]\d{1,2}[-./]\d{2,4}$")
_YEAR = re.compile(r"^(?:19|20)\d\d$")
_MONEY_BEFORE = re.compile(r"(?:[£$€¥]|\b(?:gbp|usd|eur))\s?$", re.IGNORECASE)
# Outward code, space optional, inward code; any letter case when the space is there.
_POSTCODE = re.compile(r"\b(?:[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}|(?i:[a-z]{1,2}\d[a-z\d]?\s\d[a-z]{2}))\b")
_NI = re.compile(r"\b(?:QQ|(?!BG|GB|NK|KN|TN|NT|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z])"
                 r"\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D]\b",
                 re.IGNORECASE)
_CARD = re.compile(r"(?<![\w-])\d{4}(?:[ -]?\d{4}){2}[ -]?\d{1,7}(?![\w-])")
_LONG_DIGITS = re.compile(r"(?<![\w-])\d{9,}(?![\w-])")
# Country code, two check digits, 11-30 letters and digits, unbroken or in groups of four; mod-97 decides.
_IBAN = re.compile(r"(?<![\w-])[A-Z]{2}\d{2}(?:[A-Z0-9]{11,30}|(?: [A-Z0-9]{4}){2,7}(?: [A-Z0-9]{1,4})?)(?![\w-])")
# "@fen_hargreaves": nothing word-like before the @ (else it is an email), a letter first (not "@2pm"),
# and nothing word-like after (a 31st character makes it no handle, not a shorter one).
_HANDLE = re.compile(r"(?<![\w.+@-])@(?=[A-Za-z_])\w{2,30}(?![\w@-]|\.\w)")
_IPV4 = re.compile(r"(?<![\w.:])\d{1,3}(?:\.\d{1,3}){3}(?!\.?\d|\w)")
# Candidates only: `ipaddress` decides, so "10:30:45" and "std::vector" stay.
_IPV6 = re.compile(r"(?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9A-Fa-f]{1,4})?(?![\w:]|\.\d)")
# A four-part version number is an IPv4 address in shape; its word before tells it apart.
_VERSION_BEFORE = re.compile(r"\b(?:version|ver|v|release|build|firmware)\.?\s*$", re.IGNORECASE)
_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?"
          r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
# A date said as a birth date: the cue, a few linking words ("It's", "was", "the"), then the date, which
# alone is replaced. A year alone ("born in 1981") is no date here and stays.
_BIRTH_DATE = re.compile(
    r"\b(?:born|date\s+of\s+birth|d\.?o\.?b\b\.?|birth\s?date|birthday)"
    r"(?:[\s:,.\-–—]+|\s+(?:on|is|was|it|it'?s|it’s|the|of|in)\b)*?[\s:,.\-–—]*"
    rf"(?P<date>\d{{4}}[-/.]\d{{1,2}}[-/.]\d{{1,2}}|\d{{1,2}}[-/.]\d{{1,2}}[-/.](?:\d{{4}}|\d{{2}})"
    rf"|{_DAY}(?:\s+of)?\s+{_MONTH}(?:,?\s+\d{{4}})?|{_MONTH}\s+{_DAY}(?:,?\s+\d{{4}})?|{_MONTH}\s+\d{{4}})"
    r"(?![\w/])", re.IGNORECASE)


def pattern_spans(text: str) -> list[Span]:
    """Every validated contact detail or identifier in `text`, possibly overlapping."""
    spans: list[Span] = []
    for m in _IBAN.finditer(text):
        if _iban_valid(m.group()):
            spans.append((m.start(), m.end(), IBAN, m.group()))
    for m in _BIRTH_DATE.finditer(text):
        spans.append((m.start("date"), m.end("date"), BIRTH_DATE, m.group("date")))
    for m in _EMAIL.finditer(text):
        spans.append((m.start(), m.end(), EMAIL, m.group()))
    for m in _SPOKEN_EMAIL.finditer(text):
        spans.append((m.start(), m.end(), EMAIL, m.group()))
    for m in _URL.finditer(text):
        spans.append((m.start(), m.end(), URL, m.group()))
    for m in _DOMAIN.finditer(text):
        if not _inside(m.start(), spans):
            spans.append((m.start(), m.end(), URL, m.group()))
    for m in _HANDLE.finditer(text):
        spans.append((m.start(), m.end(), HANDLE, m.group()))
    for m in _IPV4.finditer(text):
        if _ip_valid(m.group()) and not _VERSION_BEFORE.search(text[:m.start()]):
            spans.append((m.start(), m.end(), IP_ADDRESS, m.group()))
    for m in _IPV6.finditer(text):
        if m.group().count(":") >= 2 and len(re.findall(r"[0-9A-Fa-f]+", m.group())) >= 3 and _ip_valid(m.group()):
            spans.append((m.start(), m.end(), IP_ADDRESS, m.group()))
    for m in _POSTCODE.finditer(text):
        spans.append((m.start(), m.end(), POSTCODE, m.group()))
    for m in _NI.finditer(text):
        spans.append((m.start(), m.end(), ID_NUMBER, m.group()))
    for m in _CARD.finditer(text):
        if _luhn(m.group()) and not _inside(m.start(), spans):
            spans.append((m.start(), m.end(), ID_NUMBER, m.group()))
    for m in _PHONE.finditer(text):
        surface = m.group().rstrip(" .-")
        kind = _number_kind(surface, text[:m.start()])
        if kind and not _inside(m.start(), spans):
            spans.append((m.start(), m.start() + len(surface), kind, surface))
    for m in _LONG_DIGITS.finditer(text):
        if not _inside(m.start(), spans):
            spans.append((m.start(), m.end(), ID_NUMBER, m.group()))
    return spans


def _number_kind(surface: str, before: str) -> str | None:
    """PHONE, ID (an NHS number) or None for a run of digit groups."""
    body = _EXTENSION.sub("", surface)
    digits = re.sub(r"\D", "", body)
    groups = re.findall(r"\d+", body)
    if _ISO_DATE.match(body) or _MONEY_BEFORE.search(before):
        return None
    if len(groups) > 1 and all(_YEAR.match(g) for g in groups):  # "2019 2020"
        return None
    if re.fullmatch(r"\d{3}[ -]?\d{3}[ -]?\d{4}", body) and _nhs_valid(digits) and not digits.startswith("0"):
        return ID_NUMBER
    if body.startswith(("+", "00")):
        return PHONE if 8 <= len(digits) <= 15 else None
    if len(groups) == 1:
        # One unbroken run: a UK number starts with 0 and has 10-11 digits; otherwise 10 digits.
        return PHONE if (digits.startswith("0") and len(digits) in (10, 11)) or len(digits) == 10 else None
    return PHONE if 7 <= len(digits) <= 13 else None


def _iban_valid(candidate: str) -> bool:
    """The ISO 13616 check: the first four characters moved to the end, letters as 10-35, mod 97 is 1.

    >>> _iban_valid("GB82 WEST 1234 5698 7654 32"), _iban_valid("GB82 WEST 1234 5698 7654 33")
    (True, False)
    """
    compact = candidate.replace(" ", "").upper()
    if not 15 <= len(compact) <= 34:
        return False
    digits = "".join(str(int(c, 36)) for c in compact[4:] + compact[:4])
    return int(digits) % 97 == 1


def _ip_valid(candidate: str) -> bool:
    """An IPv4 address (each part 0-255, no leading zeros) or an IPv6 address in any of its forms.

    >>> _ip_valid("192.168.0.12"), _ip_valid("300.1.1.1"), _ip_valid("fe80::1ff:fe23:4567:890a"), _ip_valid("10:30:45")
    (True, False, True, False)
    """
    try:
        ipaddress.ip_address(candidate)
    except ValueError:
        return False
    return True


def _nhs_valid(digits: str) -> bool:
    if len(digits) != 10:
        return False
    total = sum(int(d) * (10 - i) for i, d in enumerate(digits[:9]))
    check = 11 - total % 11
    check = 0 if check == 11 else check
    return check != 10 and check == int(digits[9])


def _luhn(number: str) -> bool:
    digits = [int(d) for d in re.sub(r"\D", "", number)]
    if not 13 <= len(digits) <= 19:
        return False
    total = 0
    for i, d in enumerate(reversed(digits)):
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def _inside(position: int, spans: list[Span]) -> bool:
    return any(start <= position < end for start, end, _, _ in spans)

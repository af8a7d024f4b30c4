"""Replace people, places and contact details with consistent pseudonyms.

Three detectors feed one run-wide register of originals:

1. Patterns with validation for emails, URLs, UK phone numbers, postcodes,
   NHS and National Insurance numbers.
2. spaCy entities (by default PERSON, GPE, LOC, FAC).
3. Known names: every speaker, the roster, and the parts of every detected
   person's name, matched in any letter case and with a possessive.

The register is built over the whole run before anything is replaced, so a
first name that the entity recogniser caught once is replaced everywhere,
and "Sarah Jones", "Sarah", "sarah" and "Sarah's" share one placeholder.
Placeholders are numbered in the order originals first occur in the sorted
transcripts, which makes them stable across re-runs of the same inputs.
"""
from __future__ import annotations

import hashlib
import logging
import re
from collections import Counter
from dataclasses import dataclass, field

import pandas as pd

from . import schema
from .config import AnonymiseConfig

logger = logging.getLogger(__name__)

REDACTIONS = "redactions"  # per turn: list of (start, end, placeholder) in the original text

PERSON, PLACE, EMAIL, PHONE, URL, POSTCODE, ID_NUMBER = (
    "PERSON", "PLACE", "EMAIL", "PHONE", "URL", "POSTCODE", "ID")

_ENTITY_KIND = {"PERSON": PERSON, "GPE": PLACE, "LOC": PLACE, "FAC": PLACE, "ORG": PLACE}

PLACEHOLDER_RE = re.compile(r"\[(PERSON|PLACE|EMAIL|PHONE|URL|POSTCODE|ID)(?: \d+)?\]")

# What the embedder and the key-phrase extractor see instead of a placeholder,
# so that quotes are not pulled together by sharing "[PERSON 3]".
NEUTRAL_WORD = {PERSON: "someone", PLACE: "somewhere", EMAIL: "an email address",
                PHONE: "a phone number", URL: "a website", POSTCODE: "an area", ID_NUMBER: "a number"}

_PATTERNS: list[tuple[str, re.Pattern]] = [
    (EMAIL, re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")),
    (URL, re.compile(r"\b(?:https?://|www\.)[^\s<>\"']+", re.I)),
    # UK numbers: +44 or 0, then 9-10 digits in the usual groupings, with an
    # optional bracketed area code. Validated below by digit count.
    (PHONE, re.compile(r"(?<![\w+])(?:\+44\s?\(?0?\)?\s?|\(?0)\d{2,4}\)?[\s-]?\d{3,4}[\s-]?\d{3,4}\b")),
    (POSTCODE, re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}\b")),
    (ID_NUMBER, re.compile(r"\b(?:\d{3}\s?\d{3}\s?\d{4}|[A-CEGHJ-PR-TW-Z]{2}\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D])\b")),
]

# Streets, estates and buildings: a capitalised name followed by one of these.
_PLACE_SUFFIXES = ("Road|Rd|Street|St|Lane|Avenue|Close|Court|Terrace|Row|Way|Drive|Crescent|Place|Gardens|"
                   "Grove|Park|Estate|Fields|Green|Hill|Square|Walk|Mews|Rise|View|Parade|Hospital|Surgery|"
                   "Library|School|Academy|College|House|Towers|Heights|Village|Bridge|Wharf")
_PLACE_RE = re.compile(rf"\b(?:[A-Z][a-z'’]+\s+){{1,3}}(?:{_PLACE_SUFFIXES})\b"
                       rf"|\b(?:[A-Z][a-z'’]+\s+){{1,2}}(?:estate|ward|village|road|street)\b")
# Prepositions after which a capitalised proper noun is nearly always a place in speech
# ("came over from Galway", "out at Whitmore"), even when the recogniser misses it.
_LOCATIVE = frozenset({"in", "at", "from", "near", "around", "outside", "towards", "to", "round", "past", "via"})
# Capitalised words that follow those prepositions without being places.
_NOT_PLACES = frozenset("""
january february march april may june july august september october november december
monday tuesday wednesday thursday friday saturday sunday christmas easter i teams zoom excel
""".split())

# Words the small English model sometimes tags as PERSON or GPE in speech.
_NOT_NAMES = frozenset("""
um uh er erm mm hmm yeah yep yes no okay ok right so well like sort kind anyway
covid teams zoom monday tuesday wednesday thursday friday saturday sunday
god christ lord brexit excel outlook word google
""".split())


def _valid(kind: str, text: str) -> bool:
    if kind == PHONE:
        digits = re.sub(r"\D", "", text)
        if digits.startswith("44"):
            digits = "0" + digits[2:].lstrip("0")
        return len(digits) in (10, 11) and digits.startswith("0")
    return True


@dataclass
class Register:
    """Run-wide map from originals (casefolded) to placeholders."""

    counters: Counter = field(default_factory=Counter)
    person_of_alias: dict[str, str] = field(default_factory=dict)
    place_of_text: dict[str, str] = field(default_factory=dict)
    originals: dict[str, str] = field(default_factory=dict)  # original -> pseudonym (the key)
    case_sensitive: set[str] = field(default_factory=set)  # aliases replaced only where capitalised

    def new(self, kind: str) -> str:
        self.counters[kind] += 1
        return f"[{kind} {self.counters[kind]}]"


@dataclass
class AnonymisedTurns:
    turns: pd.DataFrame  # speaker pseudonymised, text redacted, plus REDACTIONS
    key: dict[str, str]  # original -> pseudonym; never written unless asked for
    counts: dict[str, int]  # replacements by type, for the report
    aliases: dict[str, str] = field(default_factory=dict)  # every name form (casefolded) -> placeholder

    def redact(self, text: str) -> str:
        """Replace every known name or original in a short string such as a file path."""
        return _replace_known(text, {**self.aliases, **self.key})


def speaker_pseudonyms(turns: pd.DataFrame) -> dict[str, str]:
    """'Participant N' / 'Interviewer N' in order of first appearance in sorted transcripts."""
    mapping: dict[str, str] = {}
    counts = Counter()
    ordered = turns.sort_values([schema.TRANSCRIPT_ID, schema.TURN])
    for name, role in zip(ordered[schema.SPEAKER], ordered[schema.ROLE]):
        key = _norm(name)
        if key in mapping:
            continue
        label = "Interviewer" if role == schema.ROLE_INTERVIEWER else "Participant"
        counts[label] += 1
        mapping[key] = f"{label} {counts[label]}"
    return mapping


def anonymise(turns: pd.DataFrame, docs: list, config: AnonymiseConfig,
              roster: list[str] = (), common_words: frozenset[str] = frozenset()) -> AnonymisedTurns:
    """Pseudonymise speakers and redact personal data in every turn.

    Parameters
    ----------
    turns : DataFrame with `schema.TURN_COLUMNS`, positionally aligned with `docs`.
    docs : parsed spaCy documents of `turns[text]`.
    config : the [anonymise] settings.
    roster : extra names that must always be replaced (roster.txt, --roster).
    common_words : lower-case English words (see `nlp.common_words`). A detected
        name that is also a common word ("Housing", "Green", "Mark") is replaced
        in any letter case only if this corpus writes it capitalised at least as
        often as not; otherwise only where it is capitalised, and a lone
        capitalised common word the recogniser calls a name is ignored. Speaker
        and roster names are always replaced in any case.
    """
    schema.require_columns(turns, schema.TURN_COLUMNS, "anonymise")
    if len(docs) != len(turns):
        raise ValueError(f"anonymise got {len(turns)} turns but {len(docs)} parsed documents")
    keep = {_norm(k) for k in config.keep}
    register = Register()
    speakers = speaker_pseudonyms(turns)

    name_like = _name_like_test(docs, common_words)
    known_names = [n for n in turns[schema.SPEAKER].unique()] + list(roster) + list(config.roster)
    for name in sorted(set(known_names), key=_norm):
        _register_person(register, name, keep, config.min_name_length, lambda word: True)

    # First pass: collect every detected original, in reading order.
    detections: list[list[tuple[int, int, str, str]]] = []
    for text, doc in zip(turns[schema.TEXT], docs):
        spans = _pattern_spans(text)
        for ent in doc.ents:
            kind = _ENTITY_KIND.get(ent.label_)
            if kind is None or ent.label_ not in config.entity_labels:
                continue
            surface = _strip_possessive(ent.text)
            if _norm(surface) in keep or not _looks_like_name(surface, config.min_name_length):
                continue
            spans.append((ent.start_char, ent.start_char + len(surface), kind, surface))
        spans.extend(_place_spans(text, doc, keep))
        # A single capitalised common word ("Housing", "Bin") is not evidence of a name.
        spans = [sp for sp in spans if sp[2] not in (PERSON, PLACE) or " " in sp[3].strip() or name_like(_norm(sp[3]))]
        detections.append(spans)
        for start, end, kind, surface in sorted(spans):
            if kind == PERSON:
                _register_person(register, surface, keep, config.min_name_length, name_like)
            elif kind == PLACE:
                _register_place(register, surface, name_like)

    names = list(register.person_of_alias) + list(register.place_of_text)
    alias_res = [r for r in (
        _alias_regex([a for a in names if a not in register.case_sensitive], ignore_case=True),
        _alias_regex([a for a in names if a in register.case_sensitive], ignore_case=False),
    ) if r is not None]

    redacted_texts, all_redactions, counts = [], [], Counter()
    for text, spans in zip(turns[schema.TEXT], detections):
        found = [(s, e, k) for s, e, k, _ in spans if k not in (PERSON, PLACE)]
        for alias_re in alias_res:
            for m in alias_re.finditer(text):
                alias = _norm(m.group("name"))
                kind = PERSON if alias in register.person_of_alias else PLACE
                found.append((m.start("name"), m.end("name"), kind))
        replacements = []
        for start, end, kind in _merge_overlaps(found):
            original = text[start:end]
            placeholder = _placeholder(register, kind, original)
            register.originals[original] = placeholder
            replacements.append((start, end, placeholder))
            counts[kind] += 1
        redacted_texts.append(apply_redactions(text, replacements))
        all_redactions.append(replacements)

    out = turns.copy()
    for name in turns[schema.SPEAKER].unique():
        register.originals[str(name)] = speakers[_norm(name)]
    out[schema.SPEAKER] = [speakers[_norm(s)] for s in turns[schema.SPEAKER]]
    out[schema.TEXT] = redacted_texts
    out[REDACTIONS] = all_redactions
    logger.info("anonymised %d turns: %s", len(out), dict(sorted(counts.items())))
    aliases = {**register.place_of_text, **register.person_of_alias}
    result = AnonymisedTurns(turns=out, key=dict(register.originals), counts=dict(sorted(counts.items())),
                             aliases=aliases)
    # Transcript ids are file paths, and files are often named after the person.
    ids = {t: result.redact(t) for t in turns[schema.TRANSCRIPT_ID].unique()}
    out[schema.TRANSCRIPT_ID] = turns[schema.TRANSCRIPT_ID].map(ids)
    return result


def apply_redactions(text: str, replacements, offset: int = 0, end: int | None = None) -> str:
    """Text of `text[offset:end]` with each (start, end, placeholder) applied.

    A replacement that only partly overlaps the window still replaces the
    overlapping part: better a clipped placeholder than half a name.
    """
    end = len(text) if end is None else end
    pieces, cursor = [], offset
    for r_start, r_end, placeholder in sorted(replacements):
        if r_end <= offset or r_start >= end:
            continue
        pieces.append(text[cursor:max(r_start, offset)])
        pieces.append(placeholder)
        cursor = min(r_end, end)
    pieces.append(text[cursor:end])
    return "".join(pieces)


def neutralise_placeholders(text: str) -> str:
    """Text for the embedder: placeholders become plain, identical words."""
    return PLACEHOLDER_RE.sub(lambda m: NEUTRAL_WORD[m.group(1)], text)


def _pattern_spans(text: str) -> list[tuple[int, int, str, str]]:
    spans = []
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(text):
            if _valid(kind, m.group()):
                spans.append((m.start(), m.end(), kind, m.group()))
    return spans


def _place_spans(text: str, doc, keep: set[str]) -> list[tuple[int, int, str, str]]:
    """Places the recogniser missed: street-like names, and proper nouns after a locative preposition."""
    spans = []
    for m in _PLACE_RE.finditer(text):
        surface = re.sub(r"^(?:The|the)\s+", "", m.group())
        start = m.end() - len(surface)
        if _norm(surface) not in keep:
            spans.append((start, m.end(), PLACE, surface))
    for token in doc:
        if (token.pos_ == "PROPN" and token.is_title and token.i > 0 and token.nbor(-1).lower_ in _LOCATIVE
                and token.lower_ not in _NOT_PLACES and token.ent_type_ not in {"PERSON", "DATE", "TIME"}):
            end = token
            while end.i + 1 < len(doc) and doc[end.i + 1].pos_ == "PROPN" and doc[end.i + 1].is_title:
                end = doc[end.i + 1]
            surface = text[token.idx:end.idx + len(end)]
            if _norm(surface) not in keep and _looks_like_name(surface, 3):
                spans.append((token.idx, end.idx + len(end), PLACE, surface))
    return spans


def _name_like_test(docs: list, common_words: frozenset[str]):
    """A test: is this lower-case word (or any word of a phrase) used as a name in this corpus?

    Not a common English word, or written capitalised (away from the start of
    a sentence) at least as often as in lower case.
    """
    lower, title = Counter(), Counter()
    for doc in docs:
        for token in doc:
            if token.is_lower:
                lower[token.text] += 1
            elif token.is_title and not token.is_sent_start:
                title[token.lower_] += 1

    def name_like(words: str) -> bool:
        # One distinctive word makes a phrase a name: "beechwood estate", "hadley green".
        return any(w not in common_words or title[w] >= lower[w] for w in words.split())

    return name_like


def _register_person(register: Register, name: str, keep: set[str], min_len: int, name_like) -> None:
    """One placeholder for a full name and each of its parts, unless a part is taken."""
    name = _strip_possessive(name.strip())
    full = _norm(name)
    if not full or full in keep:
        return
    placeholder = register.person_of_alias.get(full)
    parts = [p for p in re.split(r"[\s\-]+", name) if len(p) >= max(min_len, 2)]
    if placeholder is None:
        placeholder = next((register.person_of_alias[_norm(p)] for p in parts
                            if _norm(p) in register.person_of_alias and len(parts) == 1), None)
    if placeholder is None:
        placeholder = register.new(PERSON)
    register.person_of_alias[full] = placeholder
    if not name_like(full):
        register.case_sensitive.add(full)
    for part in parts:
        alias = _norm(part)
        if alias not in keep and alias not in _NOT_NAMES and alias not in register.person_of_alias:
            register.person_of_alias[alias] = placeholder
            if not name_like(alias):
                register.case_sensitive.add(alias)


def _register_place(register: Register, text: str, name_like) -> None:
    key = _norm(text)
    if key and key not in register.place_of_text and key not in register.person_of_alias:
        register.place_of_text[key] = register.new(PLACE)
        if not name_like(key):
            register.case_sensitive.add(key)


def _placeholder(register: Register, kind: str, original: str) -> str:
    if kind == PERSON:
        return register.person_of_alias[_norm(original)]
    if kind == PLACE:
        return register.place_of_text[_norm(original)]
    return f"[{kind}]"


def _alias_regex(aliases: list[str], ignore_case: bool) -> re.Pattern | None:
    """One pattern for all aliases; case-sensitive ones match their capitalised form only."""
    if not aliases:
        return None
    forms = set(aliases) if ignore_case else {_title(a) for a in aliases}
    # Longest first so "sarah jones" wins over "sarah"; possessive kept outside the name.
    body = "|".join(re.escape(a).replace(r"\ ", r"\s+") for a in sorted(forms, key=lambda a: (-len(a), a)))
    return re.compile(rf"(?<![\w@.])(?P<name>{body})(?:['’]s)?(?![\w@])", re.IGNORECASE if ignore_case else 0)


def _title(alias: str) -> str:
    return " ".join(w[:1].upper() + w[1:] for w in alias.split())


def _merge_overlaps(spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Keep the earliest, then longest, of overlapping spans."""
    merged: list[tuple[int, int, str]] = []
    for start, end, kind in sorted(spans, key=lambda s: (s[0], -(s[1] - s[0]))):
        if merged and start < merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end, merged[-1][2])
            continue
        merged.append((start, end, kind))
    return merged


def _replace_known(text: str, key: dict[str, str]) -> str:
    for original in sorted(key, key=len, reverse=True):
        if len(original) >= 2:
            pattern = re.compile(rf"(?<![A-Za-z]){re.escape(original)}(?![A-Za-z])", re.IGNORECASE)
            text = pattern.sub(key[original].strip("[]").replace(" ", "-"), text)
    return text


def _strip_possessive(text: str) -> str:
    return re.sub(r"['’]s?$", "", text.strip())


def _looks_like_name(text: str, min_len: int) -> bool:
    letters = re.sub(r"[^A-Za-z]", "", text)
    return len(letters) >= min_len and _norm(text) not in _NOT_NAMES and any(c.isalpha() for c in text)


def _norm(text: str) -> str:
    return " ".join(str(text).casefold().split())


def stable_short_hash(text: str, n: int = 6) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:n]

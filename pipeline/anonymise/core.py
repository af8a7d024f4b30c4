"""The anonymise stage: pseudonymous speakers, redacted text, one placeholder per person across the run."""
from __future__ import annotations

import hashlib
import logging
import re
from collections import Counter
from dataclasses import dataclass, field

import pandas as pd

from .. import schema
from ..config import AnonymiseConfig
from .cache import FindingsCache, settings_digest
from .lexicon import load_lexicon
from .names import PLACE_SUFFIX_WORDS, find_names
from .patterns import (
    EMAIL,
    ID_NUMBER,
    PERSON,
    PHONE,
    PLACE,
    POSTCODE,
    URL,
    pattern_spans,
)
from .register import ANY, Register, alias_key, could_be_name, norm

logger = logging.getLogger(__name__)

REDACTIONS = "redactions"  # per turn: list of (start, end, placeholder) in the original text

PLACEHOLDER_RE = re.compile(r"\[(PERSON|PLACE|EMAIL|PHONE|URL|POSTCODE|ID)(?: \d+)?\]")

# What the embedder and the key-phrase extractor see instead of a placeholder,
# so that quotes are not pulled together by sharing "[PERSON 3]".
NEUTRAL_WORD = {PERSON: "someone", PLACE: "somewhere", EMAIL: "an email address",
                PHONE: "a phone number", URL: "a website", POSTCODE: "an area", ID_NUMBER: "a number"}

# The kind of datum a leak check names (never the datum itself).
LEAK_KIND = {PERSON: "person name", PLACE: "place", EMAIL: "email address", PHONE: "phone number",
             URL: "web address", POSTCODE: "postcode", ID_NUMBER: "identifying number"}


@dataclass
class AnonymisedTurns:
    """The anonymised turns, the key and what the leak check must look for.

    Attributes
    ----------
    turns : speaker pseudonymised, text redacted, plus `REDACTIONS`.
    key : original -> pseudonym; never written unless asked for.
    counts : replacements by type, for the report.
    aliases : every registered name form (case-folded) -> placeholder.
    leak_terms : original -> kind of datum, for `pipeline.leakcheck.find_leaks`:
        every detected original, every speaker and roster name, and each of
        their parts that is not an ordinary word (a part such as "Will" would
        match "will" everywhere).
    """

    turns: pd.DataFrame
    key: dict[str, str]
    counts: dict[str, int]
    aliases: dict[str, str] = field(default_factory=dict)
    leak_terms: dict[str, str] = field(default_factory=dict)

    def redact(self, text: str) -> str:
        """Replace every known name or original in a short string such as a file path.

        Matching ignores letter case and treats anything but a letter as a
        boundary, so "housing/priya_shah.vtt" loses "priya" and "shah".
        """
        if not hasattr(self, "_redactor"):
            self._redactor = _Redactor({**self.aliases, **self.key})
        return self._redactor(text)


def speaker_pseudonyms(turns: pd.DataFrame) -> dict[str, str]:
    """'Participant N' / 'Interviewer N' in order of first appearance in sorted transcripts."""
    mapping: dict[str, str] = {}
    counts: Counter = Counter()
    ordered = turns.sort_values([schema.TRANSCRIPT_ID, schema.TURN])
    for name, role in zip(ordered[schema.SPEAKER], ordered[schema.ROLE]):
        key = norm(name)
        if key in mapping:
            continue
        label = "Interviewer" if role == schema.ROLE_INTERVIEWER else "Participant"
        counts[label] += 1
        mapping[key] = f"{label} {counts[label]}"
    return mapping


def anonymise(turns: pd.DataFrame, docs: list, config: AnonymiseConfig,
              roster: list[str] = (), common_words: frozenset[str] = frozenset(),
              cache: FindingsCache | None = None) -> AnonymisedTurns:
    """Pseudonymise speakers and redact personal data in every turn.

    Parameters
    ----------
    turns : DataFrame with `schema.TURN_COLUMNS`, positionally aligned with `docs`.
    docs : parsed spaCy documents of `turns[text]`.
    config : the [anonymise] settings.
    roster : extra names that must always be replaced (roster.txt, --roster).
    common_words : lower-case English lemmas (`nlp.common_words`), added to the
        pinned dictionary so that modern and inflected words ("email",
        "euros") are not taken for names. Pass it: without it more ordinary
        capitalised words are replaced.
    cache : a `FindingsCache`, or None. With one, each turn's first-pass
        findings (offsets and kinds, no text) are read from it when the
        text and settings were seen before, and stored otherwise; the
        result is the same either way.

    Returns
    -------
    AnonymisedTurns. Every speaker and roster name is replaced wherever it
    appears, as a full name, a part or a possessive, in any letter case
    (a part that is an ordinary word, such as "Will", wherever it is
    capitalised or read as a proper noun). Detected names are registered over
    the whole run before anything is replaced, so "Sarah Jones", "Sarah",
    "sarah" and "Sarah's" share one placeholder, numbered in reading order of
    the sorted transcripts.

    Examples
    --------
    >>> from pipeline.config import load_config
    >>> from pipeline.nlp import common_words, load_spacy
    >>> nlp = load_spacy()
    >>> turns = pd.DataFrame({"transcript_id": ["a"], "turn": [0], "speaker": ["Priya Shah"],
    ...     "role": ["participant"], "team": ["x"], "start": [None],
    ...     "text": ["I asked Dave Pritchard; dave said no."], "source_file": ["a.txt"]})
    >>> anonymise(turns, [nlp(t) for t in turns.text], load_config().anonymise,
    ...           common_words=common_words(nlp)).turns.text[0]
    'I asked [PERSON 2]; [PERSON 2] said no.'
    """
    schema.require_columns(turns, schema.TURN_COLUMNS, "anonymise")
    if len(docs) != len(turns):
        raise ValueError(f"anonymise got {len(turns)} turns but {len(docs)} parsed documents")
    lexicon = load_lexicon(frozenset(common_words))
    # Team names (folder or manifest names such as "social_care") are what the report is about.
    teams = {norm(re.sub(r"[_\-]+", " ", str(t))) for t in turns[schema.TEAM].unique()} - {schema.UNKNOWN_TEAM}
    keep = frozenset(f(k) for k in config.keep for f in (norm, alias_key)) | frozenset(teams)
    labels = frozenset(config.entity_labels)
    register = Register(lexicon, keep, config.min_name_length, place_suffixes=PLACE_SUFFIX_WORDS)
    speakers = speaker_pseudonyms(turns)
    known = [str(n) for n in turns[schema.SPEAKER].unique()] + [str(n) for n in roster] + list(config.roster)
    for name in sorted({n.strip() for n in known if _is_name(n)}, key=norm):
        register.add_person(name, strong=True, known=True)

    texts = [str(t) for t in turns[schema.TEXT]]
    ids = [str(t) for t in turns[schema.TRANSCRIPT_ID]]
    turn_numbers = turns[schema.TURN].tolist()
    order = sorted(range(len(turns)), key=lambda i: (ids[i], turn_numbers[i], i))
    contacts: list[list] = [[] for _ in texts]
    findings: list[list] = [[] for _ in texts]
    cased = {t for t, text in zip(ids, texts) if any(c.isupper() for c in text)}
    keys, known = [], {}
    if cache is not None:
        settings = settings_digest(cache.parse_fingerprint, frozenset(common_words), keep, labels)
        keys = [cache.key(settings, text, transcript not in cased) for text, transcript in zip(texts, ids)]
        known = cache.get_many(keys, texts)
    fresh = {}
    for i in order:  # first pass: every original
        if i in known:
            contacts[i], findings[i] = known[i]
            continue
        contacts[i] = pattern_spans(texts[i])
        taken = [(s, e) for s, e, _, _ in contacts[i]]
        findings[i] = [f for f in find_names(docs[i], lexicon, keep, labels, ids[i] not in cased)
                       if not any(s < f.end and f.start < e for s, e in taken)
                       and (f.kind != PERSON or could_be_name(f.surface))]
        if cache is not None:
            fresh[keys[i]] = (texts[i], contacts[i], findings[i])
    if fresh:
        cache.put_many(fresh)
    # Registered in reading order, full names before lone words, so that "Imran" joins
    # "Imran Hussain" wherever either comes first; strong findings before weak ones.
    everything = [(f, n) for n, i in enumerate(order) for f in sorted(findings[i], key=lambda f: f.start)]
    for f, _ in sorted(everything, key=lambda fn: (len(fn[0].surface.split()) < 2, not fn[0].strong, fn[1])):
        if f.kind == PERSON:
            register.add_person(f.surface, strong=f.strong)
        else:
            register.add_place(f.surface, strong=f.strong)

    redacted, all_redactions, counts = [], [], Counter()
    for i, text in enumerate(texts):  # second pass: replace every registered form
        spans = [(s, e, k) for s, e, k, _ in contacts[i]] + [(f.start, f.end, f.kind) for f in findings[i]]
        spans += register.matches(text, docs[i])
        replacements = []
        for start, end, kind in _merge_overlaps(spans):
            original = text[start:end]
            placeholder = register.placeholder(kind, original)
            register.originals[original] = placeholder
            replacements.append((start, end, placeholder))
            counts[PLACEHOLDER_RE.match(placeholder).group(1)] += 1
        redacted.append(apply_redactions(text, replacements))
        all_redactions.append(replacements)

    out = turns.copy()
    key = dict(register.originals)
    for name in turns[schema.SPEAKER].unique():
        key[str(name)] = speakers[norm(name)]
    out[schema.SPEAKER] = [speakers[norm(s)] for s in turns[schema.SPEAKER]]
    out[schema.TEXT] = redacted
    out[REDACTIONS] = all_redactions
    logger.info("anonymised %d turns: %s", len(out), dict(sorted(counts.items())))
    result = AnonymisedTurns(turns=out, key=key, counts=dict(sorted(counts.items())),
                             aliases={a: v.placeholder for a, v in register.aliases.items()},
                             leak_terms=_leak_terms(register, key, turns[schema.SPEAKER].unique(), roster, config))
    # Transcript ids are file paths, and files are often named after the person.
    ids = {t: result.redact(str(t)) for t in turns[schema.TRANSCRIPT_ID].unique()}
    out[schema.TRANSCRIPT_ID] = turns[schema.TRANSCRIPT_ID].map(ids)
    return result


def _leak_terms(register: Register, key: dict[str, str], speakers, roster, config) -> dict[str, str]:
    """What must not survive in any output, and the kind of each, for the leak check."""
    terms: dict[str, str] = {}
    for original, placeholder in key.items():
        kind = PLACEHOLDER_RE.match(placeholder)
        if kind is None:
            continue  # a speaker: added below
        alias = register.aliases.get(alias_key(original))
        if kind.group(1) in (PERSON, PLACE) and (alias is None or alias.mode != ANY):
            continue  # an ordinary word ("Brown", "Will") would match everywhere
        terms[original] = LEAK_KIND[kind.group(1)]
    for names, kind in ((speakers, "speaker name"), (list(roster) + list(config.roster), "roster name")):
        for name in names:
            name = str(name).strip()
            alias = register.aliases.get(alias_key(name))
            if not _is_name(name) or alias is None or alias.mode != ANY:
                continue  # a generic label, or one ordinary word ("Marketing") that would match everywhere
            terms[name] = kind
            for alias, entry in register.aliases.items():
                if entry.known and entry.mode == ANY and alias in alias_key(name).split():
                    terms.setdefault(alias, kind)
    return terms


# A generic speaker label tied to its transcript by ingest ("Speaker_2@cfc7b4", "A@3f9c2a") names no one.
_SCOPED_LABEL = re.compile(r"@[0-9a-f]{6}$")


def _is_name(name) -> bool:
    name = str(name).strip() if name is not None else ""
    return sum(c.isalpha() for c in name) >= 2 and not _SCOPED_LABEL.search(name)


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


def stable_short_hash(text: str, n: int = 6) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:n]


def _merge_overlaps(spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Keep the earliest, then longest, of overlapping spans, stretched over the others."""
    merged: list[tuple[int, int, str]] = []
    for start, end, kind in sorted(spans, key=lambda s: (s[0], -(s[1] - s[0]))):
        if merged and start < merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end, merged[-1][2])
            continue
        merged.append((start, end, kind))
    return merged


class _Redactor:
    """One pattern for every original, longest first; each replaced by its pseudonym as one token."""

    def __init__(self, key: dict[str, str]):
        self.replacement: dict[str, str] = {}
        for original in sorted(key, key=len, reverse=True):
            if len(original) >= 2:
                self.replacement.setdefault(original.casefold(), key[original].strip("[]").replace(" ", "-"))
        body = "|".join(re.escape(o) for o in sorted(self.replacement, key=lambda o: (-len(o), o)))
        self.pattern = re.compile(rf"(?<![^\W\d_])(?:{body})(?![^\W\d_])", re.IGNORECASE) if body else None

    def __call__(self, text: str) -> str:
        if self.pattern is None:
            return text
        return self.pattern.sub(lambda m: self.replacement.get(m.group().casefold(), "REDACTED"), text)

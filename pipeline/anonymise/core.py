"""The anonymise stage: pseudonymous speakers, redacted text, one placeholder per person across the run."""
from __future__ import annotations

import hashlib
import itertools
import logging
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import pandas as pd

from .. import schema
from ..config import AnonymiseConfig
from .cache import FindingsCache, settings_digest
from .corpus import CorpusEvidence, technology_names
from .docs import anonymised_docs, apply_redactions
from .file_names import FileNamePeople, fold, tidy_placeholders
from .lexicon import FILLERS, PARTICLES, Lexicon, load_lexicon
from .names import PLACE_SUFFIX_WORDS, find_names
from .patterns import (
    BIRTH_DATE,
    EMAIL,
    HANDLE,
    IBAN,
    ID_NUMBER,
    IP_ADDRESS,
    PERSON,
    PHONE,
    PLACE,
    POSTCODE,
    URL,
    pattern_spans,
)
from .register import ANY, Register, alias_key, could_be_name, norm
from .speakers import COMMON_SURNAME_RANK, is_person_label, speaker_pseudonyms, team_pseudonyms

logger = logging.getLogger(__name__)

REDACTIONS = "redactions"  # per turn: list of (start, end, placeholder) in the original text

PLACEHOLDER_RE = re.compile(r"\[(PERSON|PLACE|EMAIL|PHONE|URL|POSTCODE|ID|IBAN|HANDLE|IP|DOB)(?: \d+)?\]")

# What the embedder and the key-phrase extractor see instead of a placeholder,
# so that quotes are not pulled together by sharing "[PERSON 3]".
NEUTRAL_WORD = {PERSON: "someone", PLACE: "somewhere", EMAIL: "an email address",
                PHONE: "a phone number", URL: "a website", POSTCODE: "an area", ID_NUMBER: "a number",
                IBAN: "a bank account", HANDLE: "a social media handle", IP_ADDRESS: "an address",
                BIRTH_DATE: "a date"}

# The kind of datum a leak check names (never the datum itself).
LEAK_KIND = {PERSON: "person name", PLACE: "place", EMAIL: "email address", PHONE: "phone number",
             URL: "web address", POSTCODE: "postcode", ID_NUMBER: "identifying number",
             IBAN: "bank account number", HANDLE: "social media handle", IP_ADDRESS: "IP address",
             BIRTH_DATE: "date of birth"}


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
    leak_placeholders : leak term -> the placeholder the register gave it, so
        that a term found in a staged output can be masked as the text was.
    not_names : words one turn took for a name that the corpus shows are not,
        counted by reason ("technology", "ordinary noun", "organisation").
    known_names : every form of a speaker's or roster name (case-folded) -> its
        placeholder, ordinary words included ("Chomsky" is in WordNet): file
        names and transcript ids lose them.
    docs : the parse of each anonymised turn, aligned with `turns`
        (`docs.anonymised_docs`): what every later stage reads instead of the
        parse of the original text.
    distinctive : the names matched in any letter case (case-folded) -> their
        placeholder. No key phrase may be built from their words, whatever
        their form in the text, and file names lose them.
    file_name_forms : what a file name loses besides (`FileNameRedactor`): each
        word of a person's name found on strong evidence, a speaker's or a
        roster name, ordinary words included ("thorn" for Paul Thorn), and the
        words of each full name joined ("holtcarver"), case-folded and
        without accents -> the placeholder.
    paths : the transcript ids and source files of the run, and every input
        file's path and name, read or not, which `redact` reads as file names
        whatever characters they hold.
    file_name_people : the names found in those file names without their
        text (`file_names.FileNamePeople`: "Kim Farrow" in the name of a file
        that could not be read), each with its placeholder: the run's for a
        person the text names, else one numbered after the text's.
    """

    turns: pd.DataFrame
    key: dict[str, str]
    counts: dict[str, int]
    aliases: dict[str, str] = field(default_factory=dict)
    leak_terms: dict[str, str] = field(default_factory=dict)
    leak_placeholders: dict[str, str] = field(default_factory=dict)
    not_names: dict[str, int] = field(default_factory=dict)
    distinctive: dict[str, str] = field(default_factory=dict)
    docs: list = field(default_factory=list)
    known_names: dict[str, str] = field(default_factory=dict)
    file_name_forms: dict[str, str] = field(default_factory=dict)
    paths: frozenset[str] = frozenset()
    file_name_people: FileNamePeople | None = None

    def redact(self, text: str) -> str:
        """Replace every distinctive name or datum in a short string such as a file path.

        What the leak check looks for is replaced (a speaker's or roster name,
        a name matched in any case, a contact detail). Matching ignores letter
        case and treats anything but a letter as a boundary, so
        "housing/priya_shah.vtt" loses "priya" and "shah". A file name (the
        whole string when it is one of the run's transcript ids or has no
        space, else each word of it shaped like one) also loses the words of
        the run's people found on strong evidence, in any case, as a word
        part or joined ("thorn_notes.json", "VanDalen-rev.json",
        "holtcarver.json"): see `FileNameRedactor`, and the names a file
        name shows without its text ("Interview 2 - Kim Farrow.pdf"), with
        an initial left before one ("R Mendes"): see `FileNamePeople`. An
        ordinary word or a meeting id ("TS3003a", "interview_notes.txt")
        stays. One of the run's paths inside a message ("the same
        conversation as Housing/Interview 3 - R Mendes.pdf") is masked as a
        file name, spaces and all.
        """
        if not hasattr(self, "_redactor"):
            self._redactor = _Redactor({**self.distinctive, **self.known_names,
                                        **{term: self.key.get(term, placeholder)
                                           for term, placeholder in self.leak_placeholders.items()}})
            self._file_names = FileNameRedactor(self.file_name_forms, self.file_name_people)
            spaced = sorted((p for p in self.paths if any(c.isspace() for c in p)), key=lambda p: (-len(p), p))
            self._spaced_paths = re.compile("|".join(map(re.escape, spaced))) if spaced else None
        if text in self.paths or not any(c.isspace() for c in text):
            return self._file_name(text)
        if self._spaced_paths is not None:
            text = self._spaced_paths.sub(lambda m: self._file_name(m.group()), text)
        return _FILE_NAME.sub(lambda m: self._file_names(m.group()) if _FILE_NAME_SHAPE.search(m.group())
                              else m.group(), self._redactor(text))

    def _file_name(self, text: str) -> str:
        # The names a file name shows go first, whole: a distinctive surname replaced alone would split "Kim Farrow".
        return self._file_names(self._redactor(self._file_names.mask_people(text)))


def anonymise(turns: pd.DataFrame, docs: list, config: AnonymiseConfig,
              roster: list[str] = (), common_words: frozenset[str] = frozenset(),
              cache: FindingsCache | None = None, file_names: Iterable[str] = ()) -> AnonymisedTurns:
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
    file_names : every input file's path, read or not (run.json's `inputs`):
        a file that failed or was skipped has no turn, but its name is shown
        and may name a person (`AnonymisedTurns.file_name_people`).

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
    teams = team_pseudonyms(turns, roster, config, lexicon)
    keep = _names_to_keep(turns, teams, config)
    register = _register_known_names(turns, roster, config, lexicon, keep)

    texts = [str(t) for t in turns[schema.TEXT]]
    ids = [str(t) for t in turns[schema.TRANSCRIPT_ID]]
    numbers = turns[schema.TURN].tolist()  # read once: a pandas lookup per comparison took 1.5 s on AMI-137
    order = sorted(range(len(turns)), key=lambda i: (ids[i], numbers[i], i))
    cased = {t for t, text in zip(ids, texts) if any(c.isupper() for c in text)}
    contacts, findings = _first_pass(texts, ids, order, docs, lexicon, keep, cased, config, common_words, cache)
    findings, not_names = _filter_by_corpus(findings, texts, ids, cased, lexicon, config)
    _register_findings(register, findings, order)
    redacted, all_redactions, counts = _replace(register, texts, docs, contacts, findings)
    paths = frozenset(str(p) for column in (schema.TRANSCRIPT_ID, schema.SOURCE_FILE) for p in turns[column].unique())
    paths |= frozenset(map(str, file_names))
    paths |= frozenset(p.replace("\\", "/").rsplit("/", 1)[-1] for p in paths)
    # After the text's names, so that a name only a file name shows is numbered after them and changes none.
    people = _file_name_people(register, paths, lexicon)

    speakers = speaker_pseudonyms(turns)
    out = _pseudonymised_turns(turns, speakers, teams, redacted, all_redactions)
    key = _key(register, turns, speakers, teams)
    logger.info("anonymised %d turns: %s", len(out), dict(sorted(counts.items())))
    if not_names:
        logger.info("kept as not names: %s", dict(sorted(not_names.items())))
    leak_terms, placeholders = _leak_terms(register, key, turns[schema.SPEAKER].unique(), roster, config, lexicon)
    for name, placeholder in people.originals.items():  # "Kim Farrow" anywhere else in the outputs is found too
        leak_terms.setdefault(name, LEAK_KIND[PERSON])
        placeholders.setdefault(name, placeholder)
    team_words = _shown_team_words(turns, teams)
    result = AnonymisedTurns(turns=out, key=key, counts=dict(sorted(counts.items())),
                             aliases={a: v.placeholder for a, v in register.aliases.items()},
                             leak_terms=leak_terms, leak_placeholders=placeholders,
                             not_names=dict(sorted(not_names.items())),
                             distinctive={a: v.placeholder for a, v in register.aliases.items() if v.mode == ANY},
                             docs=anonymised_docs(docs, all_redactions),
                             known_names={a: v.placeholder for a, v in register.aliases.items() if v.known},
                             file_name_forms={**people.forms(team_words), **file_name_forms(register, team_words)},
                             paths=paths, file_name_people=people)
    # Transcript ids are file paths, and files are sometimes named after the person.
    ids = {t: result.redact(str(t)) for t in turns[schema.TRANSCRIPT_ID].unique()}
    out[schema.TRANSCRIPT_ID] = turns[schema.TRANSCRIPT_ID].map(ids)
    # A file name that held a name is a leak term as written, so the leak check finds it in any output that
    # took the id from elsewhere than these turns; masked with its redacted form.
    for path in sorted(result.paths):
        for original in {path, path.replace("\\", "/").rsplit("/", 1)[-1]}:
            if len(original) >= 2 and (redacted := result.redact(original)) != original:
                result.leak_terms.setdefault(original, LEAK_KIND[PERSON])
                result.leak_placeholders.setdefault(original, redacted)
    return result


def _file_name_people(register: Register, paths: Iterable[str], lexicon: Lexicon) -> FileNamePeople:
    """The names the run's file names show (`FileNamePeople`), with the register's placeholder for a person it knows.

    A name is the register's person when its full form is registered, or its
    surname as a name found on strong evidence, a speaker's or a roster name
    ("R Mendes" for a speaker Rosa Mendes). Forms are compared as file names
    type them, folded and with a hyphen as a space ("Ruiz Pena" is the text's
    "Ruiz-Peña"). Each new one is added to the key.
    """
    people = {fold(alias).replace("-", " "): entry for alias, entry in sorted(register.aliases.items(), reverse=True)
              if entry.kind == PERSON}

    def known(words: list[str]) -> str | None:
        full, surname = fold(" ".join(words)).replace("-", " "), fold(words[-1])
        for form, whole in ((full, True), (surname, False)):
            entry = people.get(form)
            if entry is not None and (whole or entry.strong or entry.known or entry.mode == ANY):
                return entry.placeholder
        return None

    found = FileNamePeople(lexicon, technology_names(), next_number=register.counters[PERSON] + 1)
    for path in sorted(paths):
        found.learn(path, known)
    for name, placeholder in found.originals.items():
        register.originals.setdefault(name, placeholder)
    register.counters[PERSON] = found.next_number - 1
    return found


def _names_to_keep(turns: pd.DataFrame, teams: dict[str, str], config: AnonymiseConfig) -> frozenset[str]:
    """The config's names to keep, and the team names, each in the forms the register compares."""
    # Team names (folder or manifest names such as "social_care") are what the report is about,
    # unless they are a person's name, which then stands as "Team N".
    team_names = {norm(re.sub(r"[_\-]+", " ", str(t))) for t in turns[schema.TEAM].unique()}
    team_names -= {schema.UNKNOWN_TEAM} | {norm(re.sub(r"[_\-]+", " ", t)) for t in teams}
    # Each word of a team's name too: "north_america" shows "America" wherever the team is named,
    # so the word is no more identifying in a quote.
    team_words = {word for name in team_names for word in name.split() if len(word) >= 3}
    return frozenset(f(k) for k in config.keep for f in (norm, alias_key)) | frozenset(team_names | team_words)


def _register_known_names(turns: pd.DataFrame, roster, config: AnonymiseConfig, lexicon: Lexicon,
                          keep: frozenset[str]) -> Register:
    """A register holding every speaker and roster name that could be a person's, as known and strong."""
    register = Register(lexicon, keep, config.min_name_length, place_suffixes=PLACE_SUFFIX_WORDS)
    known = [str(n) for n in turns[schema.SPEAKER].unique()] + [str(n) for n in roster] + list(config.roster)
    for name in sorted({n.strip() for n in known if is_person_label(n, lexicon)}, key=norm):
        register.add_person(name, strong=True, known=True)
    return register


def _filter_by_corpus(findings: list[list], texts: list[str], ids: list[str], cased: set[str],
                      lexicon: Lexicon, config: AnonymiseConfig) -> tuple[list[list], Counter]:
    """Each turn's findings less those the whole corpus shows are a product or an ordinary noun.

    What one turn took for a name, the rest of the run may show is not one.
    Returns the filtered findings and the dropped ones counted by reason.
    """
    # Texts written without capitals say nothing about how a word is written, so they are not counted.
    evidence = CorpusEvidence.from_texts(
        (text for text, transcript in zip(texts, ids) if transcript in cased), technology_names(),
        frozenset(w for w, rank in lexicon.first_names.items() if rank <= COMMON_GIVEN_RANK),
        ((ids[i], f) for i, found in enumerate(findings) for f in found),
        surnames=frozenset(w for w, rank in lexicon.surnames.items() if rank <= COMMON_SURNAME_RANK),
        keep_organisations=not config.redact_organisations)
    not_names: Counter = Counter()
    return [evidence.filter(found, not_names, text) for found, text in zip(findings, texts)], not_names


# First names up to this census rank keep their own evidence against the word lists: "Julia" and
# "Ruby" are people more often than languages; "Dell" (rank 2,523) and "Sage" are products.
COMMON_GIVEN_RANK = 1_000


def _pseudonymised_turns(turns: pd.DataFrame, speakers: dict[str, str], teams: dict[str, str],
                         redacted: list[str], all_redactions: list[list]) -> pd.DataFrame:
    """A copy of `turns` with speakers and teams pseudonymised and the redacted text with its redactions."""
    out = turns.copy()
    out[schema.SPEAKER] = [speakers[norm(s)] for s in turns[schema.SPEAKER]]
    out[schema.TEAM] = turns[schema.TEAM].map(lambda t: teams.get(str(t), t))
    out[schema.TEXT] = redacted
    out[REDACTIONS] = all_redactions
    return out


def _key(register: Register, turns: pd.DataFrame, speakers: dict[str, str], teams: dict[str, str]) -> dict[str, str]:
    """Original -> pseudonym: every replaced original, then every speaker, then the teams named after a person."""
    key = dict(register.originals)
    for name in turns[schema.SPEAKER].unique():
        key[str(name)] = speakers[norm(name)]
    key.update(teams)
    return key


def _first_pass(texts, ids, order, docs, lexicon, keep, cased, config, common_words, cache):
    """Contact details and names found in each turn on its own, read from the cache where it has them."""
    labels = frozenset(config.entity_labels)
    contacts: list[list] = [[] for _ in texts]
    findings: list[list] = [[] for _ in texts]
    keys, known = [], {}
    if cache is not None:
        settings = settings_digest(cache.parse_fingerprint, frozenset(common_words), keep, labels)
        keys = [cache.key(settings, text, transcript not in cased) for text, transcript in zip(texts, ids)]
        known = cache.get_many(keys, texts)
    fresh = {}
    for i in order:
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
    return contacts, findings


def _register_findings(register: Register, findings: list[list], order: list[int]) -> None:
    """Register every finding over the whole run before anything is replaced.

    In reading order, full names before lone words, so that "Imran" joins
    "Imran Hussain" wherever either comes first; strong findings before weak ones.
    """
    everything = [(f, n) for n, i in enumerate(order) for f in sorted(findings[i], key=lambda f: f.start)]
    # A lone word only guessed to be a person ("the rivers of Aotearoa") that the run also finds as a place
    # ("farmers in Aotearoa") is the place.
    places = {alias_key(f.surface) for f, _ in everything if f.kind == PLACE}
    people = {alias_key(f.surface) for f, _ in everything if f.kind == PERSON and (f.strong or f.certain)}
    for f, _ in sorted(everything, key=lambda fn: (len(fn[0].surface.split()) < 2, not fn[0].strong, fn[1])):
        key = alias_key(f.surface)
        if f.kind == PERSON and not (len(key.split()) == 1 and key in places and key not in people):
            register.add_person(f.surface, strong=f.strong)
        else:
            register.add_place(f.surface, strong=f.strong)


def _replace(register: Register, texts, docs, contacts, findings):
    """Second pass: every registered form in every turn becomes its placeholder."""
    redacted, all_redactions, counts = [], [], Counter()
    for i, text in enumerate(texts):
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
    return redacted, all_redactions, counts


def _leak_terms(register: Register, key: dict[str, str], speakers, roster, config,
                lexicon: Lexicon) -> tuple[dict[str, str], dict[str, str]]:
    """What must not survive in any output, with the kind and the placeholder of each."""
    terms: dict[str, str] = {}
    placeholders: dict[str, str] = {}
    for original, placeholder in key.items():
        kind = PLACEHOLDER_RE.match(placeholder)
        if kind is None:
            continue  # a speaker or a team: added below
        alias = register.aliases.get(alias_key(original))
        if kind.group(1) in (PERSON, PLACE) and (alias is None or alias.mode != ANY):
            continue  # an ordinary word ("Brown", "Will") would match everywhere
        terms[original] = LEAK_KIND[kind.group(1)]
        placeholders[original] = placeholder
    for names, kind in ((speakers, "speaker name"), (list(roster) + list(config.roster), "roster name")):
        for name in names:
            name = str(name).strip()
            alias = register.aliases.get(alias_key(name))
            if not is_person_label(name, lexicon) or alias is None or alias.mode != ANY:
                continue  # a generic label, or one ordinary word ("Marketing") that would match everywhere
            terms[name] = kind
            placeholders[name] = alias.placeholder
            for part, entry in register.aliases.items():
                if entry.known and entry.mode == ANY and part in alias_key(name).split():
                    terms.setdefault(part, kind)
                    placeholders.setdefault(part, entry.placeholder)
    for team, pseudonym in key.items():
        if pseudonym.startswith("Team ") and team not in terms:
            terms[team] = "team named after a person"
            placeholders[team] = pseudonym
    return terms, placeholders


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


_FILE_NAME = re.compile(r"[^\s'\"()\[\]<>,;]+")  # a file name in a message: "could not read thorn_notes.json"
_FILE_NAME_SHAPE = re.compile(r"[/\\_]|[^\W\d_]\.[A-Za-z0-9]{1,5}$|[a-z][A-Z]")
_LETTERS = re.compile(r"[^\W\d_]+")


def file_name_forms(register: Register, team_words: frozenset[str] = frozenset()) -> dict[str, str]:
    """Each form a person's name may take in a file name (folded) -> its placeholder; see `AnonymisedTurns`.

    Every word of a person's name found on strong evidence, or of a speaker's
    or roster name (the words of "Ruiz-Peña" apart too), and the words of
    each full name joined: each run of two or more in order, the first with
    the last, and the last with the first ("nadiaholtcarver",
    "holtcarver", "nadiacarver", "carvernadia"). Particles and fillers
    alone are no name ("van", "mm"), nor is a word of a team's name as the
    outputs show it (`team_words`): a speaker labelled by role, "Housing
    Officer", would otherwise take the team folder out of every transcript
    id, when the team column shows it anyway.

    Examples
    --------
    >>> from pipeline.anonymise.lexicon import load_lexicon
    >>> register = Register(load_lexicon())
    >>> _ = register.add_person("Joost van Dalen"), register.add_person("Crystal", strong=False)
    >>> sorted(file_name_forms(register))
    ['dalen', 'dalenjoost', 'joost', 'joostdalen', 'joostvan', 'joostvandalen', 'vandalen']
    """
    forms: dict[str, str] = {}
    for alias, entry in sorted(register.aliases.items()):
        if entry.kind != PERSON or not (entry.strong or entry.known or entry.mode == ANY):
            continue
        words = [fold(w) for w in _LETTERS.findall(alias)]
        for word in words:
            if len(word) >= 2 and word not in PARTICLES and word not in FILLERS and word not in team_words:
                forms.setdefault(word, entry.placeholder)
        if 1 < len(words) <= _MAX_JOINED:
            runs = [words[i:j] for i in range(len(words)) for j in range(i + 2, len(words) + 1)]
            for run in runs + [[words[0], words[-1]], [words[-1], words[0]]]:
                forms.setdefault("".join(run), entry.placeholder)
    return forms


_MAX_JOINED = 5  # words of a name whose joined forms are made; a longer alias is no one's name


def _shown_team_words(turns: pd.DataFrame, pseudonyms: dict[str, str]) -> frozenset[str]:
    """The words (folded) of the team names the outputs show as they are: not those named after a person.

    >>> sorted(_shown_team_words(pd.DataFrame({"team": ["Housing Options", "anna_smith"]}), {"anna_smith": "Team 1"}))
    ['housing', 'options']
    """
    return frozenset(fold(word) for team in turns[schema.TEAM].astype(str).unique() if team not in pseudonyms
                     for word in _LETTERS.findall(team))


class FileNameRedactor:
    """Replace the name forms of `file_name_forms` in a file name, as word parts or joined.

    A file name's words are its runs of letters (anything else separates
    them: "/", "_", "-", ".", digits, spaces); a word that is not a form as a
    whole is read in its camel-case parts, and a run of parts that is a form
    is replaced ("interviewVanDalen" -> "interview" + placeholder). With
    `people`, the names a file name shows on the word lists' evidence go
    first (`FileNamePeople`); an initial or a first name left before a
    placeholder then goes with it ("R PERSON-18" -> "PERSON-18").

    Examples
    --------
    >>> redact = FileNameRedactor({"thorn": "[PERSON 1]", "dalen": "[PERSON 2]", "vandalen": "[PERSON 2]",
    ...                            "holtcarver": "[PERSON 3]"})
    >>> redact("housing/Thorn_notes.json"), redact("VanDalen-rev.json"), redact("a/holtcarver01.txt")
    ('housing/PERSON-1_notes.json', 'PERSON-2-rev.json', 'a/PERSON-301.txt')
    >>> redact("interview_thornfield.txt"), redact("ES2005a_kick-off_meeting.docx")
    ('interview_thornfield.txt', 'ES2005a_kick-off_meeting.docx')
    >>> from pipeline.anonymise.lexicon import load_lexicon
    >>> redact = FileNameRedactor({"mendes": "[PERSON 4]"}, FileNamePeople(load_lexicon(), next_number=5))
    >>> redact("Housing/Interview 2 - Kim Farrow.pdf"), redact("Interview 3 - R mendes.pdf")
    ('Housing/Interview 2 - PERSON-5.pdf', 'Interview 3 - PERSON-4.pdf')
    """

    def __init__(self, forms: dict[str, str], people: FileNamePeople | None = None):
        self.forms = {form: placeholder.strip("[]").replace(" ", "-") for form, placeholder in forms.items()}
        self.people = people

    def __call__(self, text: str) -> str:
        text = self.mask_people(text)
        if self.forms:
            text = _LETTERS.sub(lambda m: self._word(m.group()), text)
        return tidy_placeholders(text, self.people.lexicon) if self.people is not None else text

    def mask_people(self, text: str) -> str:
        """`text` with the names `people` finds in it replaced; the whole of it when there are none."""
        return self.people.mask(text) if self.people is not None else text

    def _word(self, word: str) -> str:
        if fold(word) in self.forms:
            return self.forms[fold(word)]
        parts = _camel_parts(word)
        out, i = [], 0
        while i < len(parts):
            for j in range(len(parts), i, -1):  # the longest run of parts that is a form
                form = fold("".join(parts[i:j]))
                if form in self.forms and (j - i > 1 or len(parts) > 1):
                    out.append(self.forms[form])
                    i = j
                    break
            else:
                out.append(parts[i])
                i += 1
        return "".join(out)


def file_name_masker(paths: Iterable[str]) -> Callable[[str], str]:
    """Mask file names by their own evidence alone, before (or without) any text: `FileNamePeople`.

    For what is shown when a run stops before its anonymise stage: the log's
    held records, the error that names the files no reader could read. The
    names of `paths` are numbered in sorted order, so two maskers of the same
    files agree.

    >>> mask = file_name_masker(["Housing/Interview 2 - Kim Farrow.pdf", "notes.txt"])
    >>> mask("Housing/Interview 2 - Kim Farrow.pdf"), mask("Interview 2 - Kim Farrow.pdf"), mask("notes.txt")
    ('Housing/Interview 2 - PERSON-1.pdf', 'Interview 2 - PERSON-1.pdf', 'notes.txt')
    """
    people = FileNamePeople(load_lexicon(), technology_names())
    for path in sorted(set(paths)):
        people.learn(path)
    return FileNameRedactor(people.forms(), people)


def _camel_parts(word: str) -> list[str]:
    """ "VanDalen" -> ["Van", "Dalen"], "interviewXMLNotes" -> ["interview", "XML", "Notes"]."""
    cuts = [i for i in range(1, len(word)) if word[i].isupper() and (
        word[i - 1].islower() or (i + 1 < len(word) and word[i + 1].islower() and word[i - 1].isupper()))]
    return [word[a:b] for a, b in itertools.pairwise([0, *cuts, len(word)])]


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

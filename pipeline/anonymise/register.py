"""The run-wide register: every form of every name found, and its one placeholder.

A person's full name and each distinctive part of it ("Sarah Jones",
"Sarah", "Jones") share one placeholder; a possessive ("Sarah's") is matched
too. How a form may be matched depends on what it is:

- ANY: in any letter case ("sarah", "SARAH").
- CAPITALISED: only written with a capital, and not at the start of a
  sentence unless the parser reads it as a proper noun ("Young" the surname,
  not "Young people ..."). For parts that are ordinary words, and for names
  found on weak evidence.
- KNOWN_WORD: a speaker's or roster name that is also a word ("Will",
  "Rose"): wherever it is capitalised, and in lower case where the parser
  reads it as a proper noun.
"""
from __future__ import annotations

import itertools
import re
from collections import Counter
from dataclasses import dataclass, field

from .lexicon import FILLERS, PARTICLES, TITLES, Lexicon
from .patterns import PERSON, PLACE

ANY, CAPITALISED, KNOWN_WORD = "any", "capitalised", "known-word"

_TOKEN = re.compile(r"\w+(?:[-‑]\w+)*(?:['’]\w+)*", re.UNICODE)
_PART = re.compile(r"[^\W_]+")  # a word as the leak check reads it: hyphens and apostrophes split
_POSSESSIVE = re.compile(r"['’]s?$")
_MAX_WORDS = 6


def norm(text: str) -> str:
    return " ".join(str(text).casefold().split())


def strip_possessive(text: str) -> str:
    return _POSSESSIVE.sub("", text.strip())


@dataclass
class Alias:
    placeholder: str
    kind: str  # PERSON or PLACE
    mode: str  # ANY, CAPITALISED or KNOWN_WORD
    known: bool = False  # a speaker's or roster name
    strong: bool = False  # found on strong evidence at least once: a name, even when it is also a word ("Thorn")


@dataclass
class Register:
    """Run-wide map from every form of a name (case-folded) to its placeholder."""

    lexicon: Lexicon
    keep: frozenset[str] = frozenset()
    min_length: int = 2
    place_suffixes: frozenset[str] = frozenset()  # "court", "estate": a place's name stands without them
    counters: Counter = field(default_factory=Counter)
    aliases: dict[str, Alias] = field(default_factory=dict)
    originals: dict[str, str] = field(default_factory=dict)  # original surface -> placeholder (the key)
    _longest: tuple[int, int] = (-1, 1)  # (number of aliases when measured, most words in one)
    # (number of aliases when collected, the first word of every alias): aliases are only ever added.
    _first_words: tuple[int, frozenset[str]] = (-1, frozenset())

    def new(self, kind: str) -> str:
        self.counters[kind] += 1
        return f"[{kind} {self.counters[kind]}]"

    def add_person(self, name: str, strong: bool = True, known: bool = False) -> str | None:
        """Register a person's full name and its parts; return the placeholder."""
        words = [w for w in _TOKEN.findall(strip_possessive(name)) if w.lower().rstrip(".") not in TITLES]
        words = _drop_edge_particles(words)
        full = alias_key(" ".join(words))
        if not full or full in self.keep:
            return None
        if not known and not could_be_name(" ".join(words)):
            return None  # a detected "I. Yeah" or "Mm-mm": initials and fillers name no one
        parts = [w for w in words if len(w) >= max(self.min_length, 2) and w.lower() not in PARTICLES]
        current = self.aliases.get(full)
        if current is not None and current.kind == PERSON:
            placeholder = current.placeholder
        else:
            placeholder = None
            if len(parts) == 1:  # "Sarah" after "Sarah Jones": the same person
                same = self.aliases.get(norm(parts[0]))
                placeholder = same.placeholder if same is not None and same.kind == PERSON else None
            placeholder = placeholder or self.new(PERSON)
        self._set(full, placeholder, PERSON, self._mode(full, strong, known), known, strong or known)
        if len(parts) > 1:
            for k, part in enumerate(parts):
                alias = norm(part)
                if alias in self.keep or (not known and (
                        (not strong and self.lexicon.is_word(alias))
                        or (self.lexicon.in_dictionary(alias) and not self.lexicon.is_common_name(alias)))):
                    # A weak finding's ordinary word is no evidence on its own; nor, of a strong one, a word the
                    # dictionary lists that is no common name: "Chair" of "Judiciary Chair Jerrold Nadwell", "World"
                    # of a "World Health Organization" taken for a person, masked every chair and world of the
                    # run. WordNet's lemmas name people too ("Chomsky"): those stay parts, as "Brown" does.
                    continue
                if not known and k + 1 < len(parts) and norm(parts[k + 1]).startswith(alias):
                    continue  # a stutter, "Ve Velmira", "Gab Gabriel": "ve" alone names no one
                current = self.aliases.get(alias)
                # A part already taken keeps its person, but may be matched more widely now.
                self._set(alias, current.placeholder if current is not None and current.kind == PERSON
                          else placeholder, PERSON, self._mode(alias, strong, known), known, strong or known)
        return placeholder

    def add_place(self, text: str, strong: bool = True) -> str | None:
        """Register a place; a street's or estate's name without its "Court" or "estate" too."""
        key = alias_key(strip_possessive(text))
        if not key or key in self.keep:
            return None
        current = self.aliases.get(key)
        if current is not None:
            return current.placeholder
        placeholder = self.new(PLACE)
        self._set(key, placeholder, PLACE, self._mode(key, strong, False, PLACE), False)
        words = key.split()
        if len(words) > 1 and words[-1] in self.place_suffixes and not words[0].isdigit():
            name = " ".join(words[:-1])  # "Brookside Court" -> "Brookside", matched where capitalised
            if name not in self.keep and name not in self.aliases:
                self._set(name, placeholder, PLACE, self._mode(name, False, False, PLACE), False)
        return placeholder

    def placeholder(self, kind: str, original: str) -> str:
        """The placeholder of a replaced original; registers it first if it is new (merged spans)."""
        if kind not in (PERSON, PLACE):
            return f"[{kind}]"
        alias = self.aliases.get(alias_key(strip_possessive(original)))
        if alias is not None:
            return alias.placeholder
        made = self.add_person(original) if kind == PERSON else self.add_place(original)
        return made or self.new(kind)

    def _mode(self, alias: str, strong: bool, known: bool, kind: str = PERSON) -> str:
        """A full name is distinctive even when each word is a word ("Melody Chao"); a place of words is not."""
        words = alias.split()
        if len(words) > 1:  # "Tanners Row" is one street in any case; "Industrial Area" may not be
            ordinary = kind == PLACE and all(self.lexicon.is_word(w) for w in words) \
                and words[-1] not in self.place_suffixes
        else:
            ordinary = self.lexicon.is_word(alias)
        if known:
            return KNOWN_WORD if ordinary else ANY
        return ANY if strong and not ordinary else CAPITALISED

    def _set(self, alias: str, placeholder: str, kind: str, mode: str, known: bool, strong: bool = False) -> None:
        current = self.aliases.get(alias)
        if current is None or (known and not current.known) or (current.kind == PLACE and kind == PERSON):
            self.aliases[alias] = Alias(placeholder, kind, mode, known, strong)
        elif current.kind == kind:
            current.strong = current.strong or strong
            if _looser(mode, current.mode):
                current.mode = mode

    # ------------------------------------------------------------------ matching

    def matches(self, text: str, doc=None) -> list[tuple[int, int, str]]:
        """(start, end, kind) of every registered form in `text`, longest first, possessives outside."""
        tokens = [(m.start(), m.end()) for m in _TOKEN.finditer(text)]
        # spaced[k]: tokens k and k+1 are separated by white space only (or ". " after an initial).
        spaced = [_spaced(text[a[1]:b[0]], b[0] - a[1], a[1] - a[0]) for a, b in itertools.pairwise(tokens)]
        if self._longest[0] != len(self.aliases):
            self._longest = (len(self.aliases), min(_MAX_WORDS, max((len(a.split()) for a in self.aliases),
                                                                    default=1)))
        longest = self._longest[1]
        if self._first_words[0] != len(self.aliases):
            self._first_words = (len(self.aliases), frozenset(a.split(" ", 1)[0] for a in self.aliases))
        first_words = self._first_words[1]
        out, i = [], 0
        while i < len(tokens):
            # A stretch's key is its tokens case-folded and joined by spaces, and only a lone
            # word is stripped of a possessive: no alias can start at a token whose word starts none.
            word = text[tokens[i][0]:tokens[i][1]].casefold()
            if word not in first_words and strip_possessive(word) not in first_words:
                out.extend(self._inside_compound(text, *tokens[i]))
                i += 1
                continue
            hit = None
            reach = 1
            while reach < longest and i + reach < len(tokens) and spaced[i + reach - 1]:
                reach += 1
            for n in range(reach, 0, -1):
                start, end = tokens[i][0], tokens[i + n - 1][1]
                surface = text[start:end]
                alias = self.aliases.get(alias_key(surface))
                if alias is None:
                    stem = strip_possessive(surface)
                    if stem != surface:
                        alias, end = self.aliases.get(alias_key(stem)), start + len(stem)
                if alias is not None and self._allowed(alias, text, start, end, doc):
                    hit = (start, end, alias.kind, n)
                    break
            if hit:
                out.append(hit[:3])
                i += hit[3]
            else:
                out.extend(self._inside_compound(text, *tokens[i]))
                i += 1
        return out

    def _inside_compound(self, text: str, start: int, end: int) -> list[tuple[int, int, str]]:
        """Distinctive names inside a word joined by a hyphen, apostrophe or underscore.

        "Shah-Jones", "Uh-hu", "Hal'll", "sarah_jones": the leak check reads
        the parts of such a word as words, so a name it would find there must
        be replaced here too; only names matched in any case (mode ANY)
        qualify, as only those are leak terms.
        """
        surface = text[start:end]
        parts = list(_PART.finditer(surface))
        if len(parts) < 2:
            return []
        found = []
        for part in parts:
            alias = self.aliases.get(part.group().casefold())
            if alias is not None and alias.mode == ANY:
                found.append((start + part.start(), start + part.end(), alias.kind))
        return found

    def _allowed(self, alias: Alias, text: str, start: int, end: int, doc) -> bool:
        if alias.mode == ANY:
            return True
        capitalised = all(w[:1].isupper() for w in text[start:end].split())
        token = _token_at(doc, start)
        proper = token is not None and token.pos_ == "PROPN"
        if alias.mode == KNOWN_WORD:  # "daisy" the speaker, not "will" the verb
            return capitalised or (token is not None and token.pos_ in {"PROPN", "NOUN"})
        if not capitalised:
            # "so lucy built it": a first name in lower case, used as a name (not "the mark", "my bill")
            return (alias.kind == PERSON and token is not None and token.pos_ in {"PROPN", "NOUN"}
                    and " " not in text[start:end] and self.lexicon.is_given_name(text[start:end])
                    and not _after_determiner(token))
        return proper or not _sentence_initial(text, start, token)

    def forms(self) -> dict[str, Alias]:
        return dict(self.aliases)


def _could_name(word: str) -> bool:
    """Whether a word could be part of a name: some piece of two letters or more that is no filler."""
    return any(len(piece) >= 2 and piece.lower() not in FILLERS for piece in _PART.findall(word))


def could_be_name(surface: str) -> bool:
    """False for a stretch made only of initials and fillers ("I. Yeah", "Mm-mm-mm"), which names no one.

    Examples
    --------
    >>> could_be_name("I. Yeah"), could_be_name("Uh-hu"), could_be_name("J. Okonkwo")
    (False, False, True)
    """
    return any(_could_name(w) for w in _TOKEN.findall(surface))


def _after_determiner(token) -> bool:
    if token.i == 0:
        return False
    previous = token.doc[token.i - 1]
    return previous.pos_ in {"DET", "ADJ", "NUM"} or previous.dep_ == "poss"


def alias_key(surface: str) -> str:
    """The register's key for a stretch of text: its words, case-folded.

    "Katie A. McLaughlin" -> "katie a mclaughlin", "Sarah  Jones" -> "sarah jones".
    """
    return " ".join(_TOKEN.findall(surface)).casefold()


def _spaced(gap: str, length: int, previous_length: int) -> bool:
    return gap.isspace() or (previous_length == 1 and length > 1 and gap[0] == "." and gap[1:].isspace())


def _looser(new: str, old: str) -> bool:
    order = {CAPITALISED: 0, KNOWN_WORD: 1, ANY: 2}
    return order[new] > order[old]


def _drop_edge_particles(words: list[str]) -> list[str]:
    while words and words[0].lower() in PARTICLES and len(words) > 1 and words[0].islower():
        words = words[1:]
    return words


def _token_at(doc, start: int):
    if doc is None:
        return None
    span = doc.char_span(start, start + 1, alignment_mode="expand")
    return span[0] if span is not None and len(span) else None


def _sentence_initial(text: str, start: int, token) -> bool:
    if token is not None and token.is_sent_start:
        return True
    head = text[:start]
    before = head.rstrip()
    return not before or "\n" in head[len(before):] or before[-1] in '.!?:;"“”‘’\'()[]—–-'

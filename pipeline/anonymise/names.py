"""People and places in one parsed turn.

The small English model misses lone first names, lower-case names and names
it does not know, and calls some people places or organisations. So its
entities are one kind of evidence among several, weighed per run of
capitalised words (a "chunk", e.g. "Mr Dustin Wirth", "Iva D. Grusová",
"Leaf van Boven"):

- the entity label over the chunk (PERSON, GPE/LOC/FAC; ORG only when the
  chunk starts with a first name);
- titles and context: "Mr", "my manager", "my name is", "call me", "asked",
  "spoke to", a vocative ("Warrane, can I ..."), "said", "and I", a
  possessive family word ("Asya's kid"), a speaker label ("Éva:");
- the word lists (census first names and surnames; dictionary words);
- shape: a capitalised word that is no dictionary word, inside a sentence,
  is a proper noun; an initial or particle between capitalised words makes a
  name; a run of them in a list with a known person is people too.

Each finding is "strong" (its forms are replaced everywhere, in any case,
unless a part is an ordinary word) or "weak" (replaced where it is written
capitalised).

This module holds `find_names`, which runs the sources in turn, and the
sources that read a turn without chunking it: entities outside every chunk,
place names in capitals, speaker labels, lower-case names and street
patterns. The chunks and their evidence are in `name_chunks`; the word lists
all of them weigh are in `name_words`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .lexicon import TITLES, Lexicon
from .name_chunks import (
    cut_off,
    decide,
    entity_label,
    find_chunks,
    is_certain,
    person_context,
    spread_over_lists,
    words_before,
)
from .name_words import (
    FIELD_NAMES,
    LOCATIVE,
    NAME_INTRODUCERS,
    NOT_NAMES,
    PLACE_SUFFIX_WORDS,
    PLACE_SUFFIXES,
    POSSESSIVES,
    RELATION_WORDS,
)
from .patterns import PERSON, PLACE

__all__ = ["PLACE_SUFFIX_WORDS", "Found", "find_names"]

# Census first names up to this rank count as names when written in lower case (the rarer ones
# include "hang" and "numbers").
_LOWER_CASE_GIVEN_RANK = 1000
# A street, estate or building: up to three capitalised words before a suffix ("14 Tanners Row"),
# or one or two before a lower-case "estate", "ward", "village", "road" or "street".
_PLACE_RE = re.compile(rf"\b(?:\d{{1,5}}[A-Za-z]?,?[ \t]+)?(?:[A-Z][\w'’]+[ \t]+){{1,3}}(?:{PLACE_SUFFIXES})\b"
                       rf"|\b(?P<lower>(?:[A-Z][\w'’]+[ \t]+){{1,2}})(?:estate|ward|village|road|street)\b")
# A speaker label: up to three words at the start of a line, before a colon not followed by a digit.
_LABEL_RE = re.compile(r"^[ \t>*•?\-]*([^\W\d_][^\W\d_'’.\-]*(?:[ \t]+[^\W\d_][^\W\d_'’.\-]*){0,2})[ \t]*:(?!\d)",
                       re.MULTILINE)


@dataclass(frozen=True)
class Found:
    """One name in one turn.

    `strong`: replaced everywhere, in any case. `certain`: the text itself
    says it is a person or a place (a title, "my manager X", "X said", a
    speaker label, "my name is", a street's suffix), which outweighs what the
    rest of the corpus suggests (see `corpus.CorpusEvidence`). `label`: the
    spaCy entity label over it, or "".
    """

    start: int
    end: int
    kind: str  # PERSON or PLACE
    surface: str
    strong: bool
    certain: bool = False
    label: str = ""


def find_names(doc, lexicon: Lexicon, keep: frozenset[str], entity_labels: frozenset[str],
               lower_case_text: bool | None = None) -> list[Found]:
    """People and places in one parsed text, by entity, shape, context and word list.

    `lower_case_text`: the whole transcript is written without capitals, so
    a word that is in no dictionary is taken for a name. None: judge this
    text alone.
    """
    text = doc.text  # spaCy rebuilds it on every access
    if lower_case_text is None:
        lower_case_text = not any(c.isupper() for c in text)
    chunks = find_chunks(doc, lexicon)
    found = _chunk_findings(doc, text, chunks, lexicon, keep, entity_labels)
    seen = [(c[0].idx, c[-1].idx + len(c[-1])) for c in chunks]
    found.extend(_entities(doc, lexicon, keep, entity_labels, seen, lower_case_text))
    found.extend(_capitals_after_locative(doc, lexicon, keep, found))
    found.extend(_speaker_labels(doc, text, lexicon, keep, lower_case_text, found))
    found.extend(_lower_case_names(doc, lexicon, keep, lower_case_text, found))
    found.extend(_place_patterns(doc, text, lexicon, keep))
    return found


def _chunk_findings(doc, text: str, chunks: list[list], lexicon: Lexicon, keep,
                    entity_labels: frozenset[str]) -> list[Found]:
    """The chunks decided to be people or places, each decided alone and then as part of a list."""
    found: list[Found] = []
    decided: dict[int, tuple[str, bool] | None] = {}
    for n, chunk in enumerate(chunks):
        decided[n] = decide(doc, chunk, lexicon)
    spread_over_lists(doc, chunks, decided, lexicon)
    for n, chunk in enumerate(chunks):
        verdict = decided[n]
        if verdict is None:
            continue
        kind, strong = verdict
        if kind == PLACE and "GPE" not in entity_labels and "LOC" not in entity_labels:
            continue
        start, end = chunk[0].idx, chunk[-1].idx + len(chunk[-1])
        surface = text[start:end]
        if _norm(surface) not in keep:
            found.append(Found(start, end, kind, surface, strong, is_certain(doc, chunk, kind), entity_label(chunk)))
    return found


# ----------------------------------------------------------------------------- other sources

def _entities(doc, lexicon: Lexicon, keep, entity_labels, taken, lower_case_text: bool) -> list[Found]:
    """Entities outside every chunk: all-capitals places ("OULU"), people in a lower-case text."""
    out = []
    for ent in doc.ents:
        if ent.label_ not in entity_labels or ent.label_ not in {"PERSON", "GPE", "LOC", "FAC", "ORG"}:
            continue
        start, end = ent.start_char, ent.end_char
        surface = re.sub(r"['’]s$", "", ent.text).strip()
        end = start + len(surface)
        if any(a < end and start < b for a, b in taken) or _norm(surface) in keep:
            continue
        letters = re.sub(r"[^\w]", "", surface)
        if len(letters) < 2 or _norm(surface) in NOT_NAMES or not letters.isalpha() or "_" in surface:
            continue
        if surface.islower() and not lower_case_text:
            continue  # the model's guesses on lower-case words in a cased text are noise
        words = surface.split()
        if all(lexicon.is_word(w.lower()) or w.lower() in NOT_NAMES for w in words):
            continue  # "Euro", "Rhubarb": a word the model mislabelled
        if ent.label_ == "ORG":
            continue
        kind = PERSON if ent.label_ == "PERSON" else PLACE
        out.append(Found(start, end, kind, surface, True, label=ent.label_))
    return out


def _capitals_after_locative(doc, lexicon: Lexicon, keep, found: list[Found]) -> list[Found]:
    """'flew to LEPPEN', 'grew up in SUND': a place in capitals (an acronym has few vowels)."""
    taken = [(f.start, f.end) for f in found]
    out = []
    for token in doc:
        text = token.text
        if not (text.isupper() and text.isalpha() and len(text) >= 4) or token.i == 0:
            continue
        if doc[token.i - 1].lower_ not in LOCATIVE | {"to"} or any(a <= token.idx < b for a, b in taken):
            continue
        if sum(c in "AEIOUYÅÄÖØÆ" for c in text) < 2 or lexicon.is_word(text.lower()) or _norm(text) in keep:
            continue
        out.append(Found(token.idx, token.idx + len(text), PLACE, text, True))
    return out




def _speaker_labels(doc, text: str, lexicon: Lexicon, keep, lower_case_text: bool,
                    found: list[Found]) -> list[Found]:
    """'Éva: What a wife.', 'mika: "who are you?"': a name at the start of a line, before a colon."""
    taken = [(f.start, f.end) for f in found]
    out = []
    for m in _LABEL_RE.finditer(text):
        start, end = m.span(1)
        words = m.group(1).split()
        if any(a < end and start < b for a, b in taken) or _norm(m.group(1)) in keep:
            continue
        lowers = [w.lower().strip(".") for w in words]
        if any(w in FIELD_NAMES or w in NOT_NAMES for w in lowers):
            continue
        if not lower_case_text and not all(w[0].isupper() for w in words):
            continue
        if all(lexicon.is_word(w) and not lexicon.is_given_name(w) for w in lowers):
            continue
        out.append(Found(start, end, PERSON, m.group(1), True, certain=True))
    return out


def _lower_case_names(doc, lexicon: Lexicon, keep, lower_case_text: bool, found: list[Found]) -> list[Found]:
    """Names written in lower case: after "my name is", next to a said-verb, or in an all lower-case text."""
    taken = [(f.start, f.end) for f in found]
    out = []
    i = 0
    while i < len(doc):
        token = doc[i]
        if not (token.is_lower and token.is_alpha) or any(a <= token.idx < b for a, b in taken):
            i += 1
            continue
        lower = token.lower_
        before = words_before(doc, token, 2)
        function = token.is_stop or lower in NOT_NAMES
        word = lexicon.is_word(lower, token.lemma_)
        introduced = (before[-1:] in NAME_INTRODUCERS or before[-2:] in NAME_INTRODUCERS) and not (function or word)
        # After "my colleague" a rarer first name ("tobias", rank 1013) is as sure as a common one.
        rank = 0 if related(doc, token) else _LOWER_CASE_GIVEN_RANK
        given = lexicon.is_given_name(lower, rank) and not function
        article = token.i > 0 and doc[token.i - 1].pos_ == "DET"
        cue = given and (not word or (token.pos_ in {"PROPN", "NOUN"} and not article)) \
            and person_context(doc, [token]) and not (word and _false_start(doc, token))
        # In a text without capitals, a word in no dictionary is a name: "leone mazzi", "bártová".
        unknown = lower_case_text and not word and not function and len(lower) >= 3
        if not (introduced or cue or unknown):
            i += 1
            continue
        j = i
        while j + 1 < len(doc) and "\n" not in doc[j].whitespace_:
            nxt = doc[j + 1]
            if nxt.is_lower and nxt.is_alpha and not nxt.is_stop and not lexicon.is_word(nxt.lower_, nxt.lemma_):
                j += 1  # the surname: "patricia desrosiers"
            elif (len(nxt.text) == 1 and nxt.is_alpha and j + 2 < len(doc) and doc[j + 2].is_alpha
                  and not doc[j + 2].is_stop and not lexicon.is_word(doc[j + 2].lower_, doc[j + 2].lemma_)):
                j += 2  # an initial: "benjamin a seiler"
            else:
                break
        start, end = token.idx, doc[j].idx + len(doc[j])
        surface = doc.text[start:end]
        if _norm(surface) not in keep:
            out.append(Found(start, end, PERSON, surface, True, certain=introduced or cue))
        i = j + 1
    return out


def _false_start(doc, token) -> bool:
    """A word broken off: said whole a few words on ("saying earl you were saying earlier"), or the words
    before it said again right after it ("it's earl it's pretty old"), as a speaker restarts."""
    before = words_before(doc, token, 2)
    return cut_off(doc, token) or (len(before) == 2 and _words_after(doc, token, 2) == before)


def _words_after(doc, token, n: int) -> tuple[str, ...]:
    return tuple(t.lower_ for t in doc[token.i + 1:] if not t.is_space)[:n]


def related(doc, token) -> bool:
    """Whether `token` follows a possessive and a relation word: "my colleague", "our co-worker".

    >>> from spacy.lang.en import English
    >>> doc = English()("with my co-worker tobias and her friend ana")
    >>> related(doc, doc[5]), related(doc, doc[9]), related(doc, doc[0])
    (True, True, False)
    """
    before = words_before(doc, token, 4)
    if before[-3:] == ("co", "-", "worker"):
        before = (*before[:-3], "co-worker")
    return len(before) >= 2 and before[-1] in RELATION_WORDS and before[-2] in POSSESSIVES


def _place_patterns(doc, text: str, lexicon: Lexicon, keep) -> list[Found]:
    """Streets, estates and buildings the recogniser missed: "Tanners Row", "the Beechwood estate"."""
    out = []
    for m in _PLACE_RE.finditer(text):
        surface = m.group()
        while True:  # "So Tanners Row": the sentence's first word is not part of the name
            head, _, rest = surface.partition(" ")
            if rest and (doc.vocab[head.lower()].is_stop or head.lower() in NOT_NAMES):
                surface = rest.lstrip()
            else:
                break
        start = m.end() - len(surface)
        head, _, rest = surface.partition(" ")
        if head.lower().rstrip(".") in TITLES and " " not in rest.strip():
            continue  # "Professor Park", "Mrs Green": a person whose surname is a street's suffix
        if m.group("lower"):
            name = surface.rsplit(None, 1)[0]
            opening = not text[:start].strip() or text[:start].rstrip()[-1] in ".!?:;\"“"
            if opening and all(lexicon.is_word(w) for w in name.split()):
                continue  # "Industrial estate at ...": an ordinary word that opens a sentence
        if surface.split()[0].lower() not in PLACE_SUFFIX_WORDS and _norm(surface) not in keep:
            out.append(Found(start, m.end(), PLACE, surface, True, certain=True))
    return out


def _norm(text: str) -> str:
    return " ".join(str(text).casefold().split())

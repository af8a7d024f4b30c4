"""Key-phrase candidates of each quote, kept as the speakers said them.

A candidate is a `Phrase`: its `key` (lemmas, lower case) groups the ways
one phrase is said ("phone hours", "the phone hour"), its `text` is one of
them, verbatim from the quote. The labeller ranks keys and shows the most
frequent text of the winner, so a label reads "cut the phone hours", never
"cut phone hour".

Three kinds of candidate, read from the anonymised parse of the quote's turn:

- noun chunks, trimmed to their first and last content word ("our duty
  rota" -> "duty rota"), optionally with an "of" phrase ("cost of agency
  staff");
- verb phrases: a verb and its object ("cut the phone hours", "set up a
  rota"), the words between them kept as said;
- single nouns, the fallback of a theme whose quotes share no longer phrase;
- in a quote with none of these, its adjectives ("sure" in "I am not
  sure"), so that a theme of such quotes still has a name (verbs alone,
  "write", "stick", would crowd the other themes' key phrases).

A phrase is never a candidate when any of its words is a placeholder or a
word of a name (`AnonymisedTurns.distinctive`), written or as a lemma, or
when its first or last word is a stop word or a filler. The stop words are
spaCy's, less those that name a thing, an act or a time ("my user name",
"call my mum", "the next bank holiday": `NAMING_STOP_WORDS`). The same rule as
the segment stage's key-phrase candidates, so no label can show a name.
"""
from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass

import pandas as pd

from .. import schema
from ..anonymise import PLACEHOLDER_RE
from ..segment import FILLERS

# Verbs too light to name what a theme is about: "have a problem", "get a call".
LIGHT_VERBS = frozenset("be have do get go make give take want need let see look use try come put".split())
# Words on spaCy's stop list that name a thing, an act or a time: "my name", "call the bank", "the next
# holiday", "the top floor". They may open or close a phrase; the callers let only nouns, verbs and adjectives
# do that, so "back" in "went back" still cannot.
NAMING_STOP_WORDS = frozenset("name call part side top bottom front back amount show move last next first empty "
                              "full serious".split())
MAX_WORDS = 5  # a label is a short phrase
_WORD_RE = re.compile(r"^[a-z][a-z\-']+$")
_OBJECT_DEPS = {"dobj", "obj"}
_OPENERS = {"ADJ", "NOUN", "PROPN", "VERB", "NUM"}  # parts of speech that may open a noun phrase
# Words of an object noun phrase before its head: "the", "our", "new", "phone" in "our new phone hours".
_MODIFIER_DEPS = {"det", "poss", "amod", "compound", "nummod", "nmod"}


@dataclass(frozen=True, order=True)
class Phrase:
    """A key-phrase candidate: `key` groups its forms (lemmas), `text` is one form as said."""

    key: str
    text: str


def quote_phrases(quotes: pd.DataFrame, docs: Sequence, names: Collection[str] = frozenset()) -> list[list[Phrase]]:
    """Per quote, its key-phrase candidates, read from the parse of its turn.

    Parameters
    ----------
    quotes : quote units with `_doc`, `char_start` and `char_end` (as segment makes them).
    docs : the anonymised parses (`AnonymisedTurns.docs`), indexed by `_doc`.
    names : case-folded names (`AnonymisedTurns.distinctive`); no candidate holds one of their words.
    """
    schema.require_columns(quotes, [schema.DOC_POSITION, schema.CHAR_START, schema.CHAR_END], "themes")
    name_words = frozenset(w for name in names for w in name.split())
    out = []
    for position, start, end in zip(quotes[schema.DOC_POSITION], quotes[schema.CHAR_START], quotes[schema.CHAR_END]):
        span = docs[int(position)].char_span(int(start), int(end), alignment_mode="expand")
        out.append(span_phrases(span, name_words))
    return out


def span_phrases(span, name_words: frozenset[str] = frozenset()) -> list[Phrase]:
    """Noun chunks, verb phrases and single nouns of one quote's span (see the module docstring).

    Examples
    --------
    >>> from pipeline.nlp import load_spacy
    >>> doc = load_spacy()("So we cut the phone hours.")
    >>> Phrase("cut phone hour", "cut the phone hours") in span_phrases(doc[:])
    True
    """
    if span is None:
        return []
    allowed = _Words(name_words)
    found = [Phrase(t.lemma_.lower(), t.text) for t in span if t.pos_ == "NOUN" and allowed.content(t)]
    if span.doc.has_annotation("DEP"):
        for chunk in span.noun_chunks:
            found.extend(_noun_phrases(chunk, span, allowed))
        for token in span:
            if token.pos_ == "VERB" and allowed.content(token) and token.lemma_.lower() not in LIGHT_VERBS:
                phrase = _verb_phrase(token, span, allowed)
                if phrase is not None:
                    found.append(phrase)
    if not found:  # "I am really not sure": no noun, no phrase; its adjectives, so its theme can be named
        found = [Phrase(t.lemma_.lower(), t.text) for t in span if t.pos_ == "ADJ" and allowed.content(t)]
    return found


class _Words:
    """Which tokens a phrase may hold: `content` at its edges, `inner` anywhere."""

    def __init__(self, name_words: frozenset[str]):
        self.name_words = name_words

    def inner(self, token) -> bool:
        """No placeholder and no word of a name, anywhere in a phrase."""
        if PLACEHOLDER_RE.search(token.text):
            return False
        return token.lower_ not in self.name_words and token.lemma_.lower() not in self.name_words

    def content(self, token) -> bool:
        """A word that can open or close a phrase: no stop word, filler, number or fragment."""
        lemma = token.lemma_.lower()
        # A stop word's inflection is no stop word itself: "ones" is, by its lemma "one".
        stop = (token.is_stop or token.vocab[lemma].is_stop) and lemma not in NAMING_STOP_WORDS
        return (self.inner(token) and not stop and token.is_alpha
                and lemma not in FILLERS and bool(_WORD_RE.match(lemma)) and len(lemma) > 2)


def _noun_phrases(chunk, span, allowed: _Words) -> list[Phrase]:
    tokens = [t for t in chunk if span.start <= t.i < span.end]
    # "Specifically surveyors", "newly qualified workers": an adverb opens no phrase.
    while tokens and (not allowed.content(tokens[0]) or tokens[0].pos_ not in _OPENERS):
        tokens = tokens[1:]
    while tokens and not allowed.content(tokens[-1]):
        tokens = tokens[:-1]
    if not tokens or tokens[-1].pos_ not in {"NOUN", "PROPN"}:
        return []
    found = []
    if len(tokens) >= 2:
        found.append(_phrase(tokens, allowed))
    # "cost of agency staff": the chunk, "of", and the chunk right after it.
    after = chunk.doc[chunk.end] if chunk.end < len(chunk.doc) else None
    if after is not None and after.lower_ == "of" and after.head.i == chunk.root.i:
        objects = [c for c in after.children if c.dep_ == "pobj" and c.pos_ == "NOUN"]
        if objects and objects[0].i < span.end:
            tail = [t for t in chunk.doc[after.i + 1:objects[0].i + 1]]
            if all(t.dep_ in _MODIFIER_DEPS or t.i == objects[0].i for t in tail):
                found.append(_phrase(tokens + [after] + tail, allowed))
    return [p for p in found if p is not None]


def _verb_phrase(verb, span, allowed: _Words) -> Phrase | None:
    """The verb, an optional particle and its object's noun phrase, when they are contiguous."""
    objects = [c for c in verb.rights if c.dep_ in _OBJECT_DEPS and c.pos_ in {"NOUN", "PROPN"}]
    if not objects:
        return None
    head = objects[0]
    first = head
    for left in reversed(list(head.lefts)):
        if left.i == first.i - 1 and left.dep_ in _MODIFIER_DEPS:
            first = left
    between = verb.doc[verb.i + 1:first.i]
    if any(t.dep_ != "prt" for t in between) or head.i >= span.end or verb.i < span.start:
        return None
    if not allowed.content(head):
        return None
    return _phrase(list(verb.doc[verb.i:head.i + 1]), allowed)


def _phrase(tokens: list, allowed: _Words) -> Phrase | None:
    """A Phrase of `tokens` as written, or None when one holds a name or placeholder or it is too long."""
    words = [t for t in tokens if not t.is_punct]
    if not 2 <= len(words) <= MAX_WORDS or not all(allowed.inner(t) for t in tokens):
        return None
    # Inside a phrase only words, hyphens and apostrophes: "phones, emails" is a list, not a phrase.
    if any(t.is_space or (t.is_punct and t.text not in {"-", "'"}) for t in tokens):
        return None
    # A word said twice in a row is a stutter ("the biggest Indie Indie bookstore"), not how a label reads.
    if any(a.lower_ == b.lower_ for a, b in zip(words, words[1:])):
        return None
    text = " ".join("".join(t.text_with_ws for t in tokens).split())
    key = " ".join(t.lemma_.lower() for t in tokens if allowed.content(t))
    if " " not in key:  # "have a go": one content word is a noun, not a phrase
        return None
    return Phrase(key, text)

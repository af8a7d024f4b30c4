"""Parsed documents of the anonymised text: what every stage after anonymise reads.

The parse is made once, of the original text (its names help the parser), and
serves the anonymiser. The stages after it must see only the anonymised text,
so each turn's Doc is rebuilt around its redactions: the tokens a redaction
touches become one token holding the placeholder ("[PERSON 3]"), which takes
the syntactic place of the name (the dependency label and head of the group's
root, its part of speech), and every other token keeps its annotations. The
rebuilt Doc's text is exactly the anonymised turn; no original string is in
it. A turn without redactions keeps its Doc.

`doc.user_data[SOURCE_WORDS]` maps each placeholder token to the number of
words it stands for, so that a stage counting words (segment's quote units)
counts as it would have on the original.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from spacy.attrs import DEP, HEAD, LEMMA, MORPH, NORM, POS, TAG
from spacy.tokens import Doc

SOURCE_WORDS = "source_words"  # user_data key: placeholder token index -> words it stands for

_ATTRS = [TAG, POS, MORPH, LEMMA, NORM, DEP, HEAD]
_HEAD = _ATTRS.index(HEAD)
_LEMMA, _NORM = _ATTRS.index(LEMMA), _ATTRS.index(NORM)


def anonymised_docs(docs: Sequence[Doc], redactions: Sequence[Sequence[tuple[int, int, str]]]) -> list[Doc]:
    """One Doc per turn whose text is the turn's anonymised text; see the module docstring.

    Examples
    --------
    >>> from pipeline.nlp import load_spacy
    >>> doc = load_spacy()("I asked Sarah Jones about it.")
    >>> new = anonymised_docs([doc], [[(8, 19, "[PERSON 1]")]])[0]
    >>> [t.text for t in new], new[2].dep_ == doc[3].dep_, new.user_data[SOURCE_WORDS]
    (['I', 'asked', '[PERSON 1]', 'about', 'it', '.'], True, {2: 2})
    """
    return [doc if not replacements else _rebuilt(doc, replacements) for doc, replacements in zip(docs, redactions)]


def _rebuilt(doc: Doc, replacements: Sequence[tuple[int, int, str]]) -> Doc:
    groups = _token_groups(doc, replacements)
    words, spaces, rows, source_words, new_index = [], [], [], {}, {}
    array = doc.to_array(_ATTRS).view(np.int64)  # relative heads are negative; hashes keep their bits
    for members in groups:
        position = len(words)
        for i in members:
            new_index[i] = position
        first, last = doc[members[0]], doc[members[-1]]
        trailing = bool(last.whitespace_)
        if len(members) == 1 and not _touched(first, replacements):
            words.append(first.text)
            rows.append(array[members[0]].copy())
        else:
            start, end = first.idx, last.idx + len(last)
            reach = max([end] + [b for a, b, _ in replacements if a < end + len(last.whitespace_) and start < b])
            if reach > end:  # the redaction swallowed the space after the group
                end, trailing = reach, False
            word = apply_redactions(doc.text, replacements, start, end)
            words.append(word)
            root = next((i for i in members if not members[0] <= doc[i].head.i <= members[-1]), members[0])
            row = array[root].copy()
            row[_LEMMA] = row[_NORM] = np.uint64(doc.vocab.strings.add(word)).view(np.int64)
            rows.append(row)
            source_words[position] = sum(not doc[i].is_punct and not doc[i].is_space for i in members)
        spaces.append(trailing)
    for position, members in enumerate(groups):  # heads: the old head's new place, relative
        root = next((i for i in members if new_index[doc[i].head.i] != position), members[0])
        rows[position][_HEAD] = new_index[doc[root].head.i] - position
    rebuilt = Doc(doc.vocab, words=words, spaces=spaces)
    rebuilt.from_array(_ATTRS, np.array(rows, dtype=np.int64).view(np.uint64))
    rebuilt.user_data[SOURCE_WORDS] = source_words
    if rebuilt.text != apply_redactions(doc.text, replacements):
        raise ValueError("the anonymised parse does not spell the anonymised text")  # a bug, never data
    return rebuilt


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


def _token_groups(doc: Doc, replacements: Sequence[tuple[int, int, str]]) -> list[list[int]]:
    """Token indices in order, those a redaction touches gathered into one group per redaction (or chain of them)."""
    spans = sorted((start, end) for start, end, _ in replacements)
    groups: list[list[int]] = []
    open_until = -1  # the end of the redaction the current group belongs to
    for token in doc:  # a token's extent includes its trailing space, which a redaction may swallow
        start, end = token.idx, token.idx + len(token) + len(token.whitespace_)
        hit = [(a, b) for a, b in spans if a < end and start < b]
        if hit and groups and start < open_until:
            groups[-1].append(token.i)
            open_until = max(open_until, *(b for _, b in hit))
        elif hit:
            groups.append([token.i])
            open_until = max(b for _, b in hit)
        elif groups and start < open_until:  # a space token inside a redaction ("Sarah  Jones")
            groups[-1].append(token.i)
        else:
            groups.append([token.i])
    return groups


def _touched(token, replacements: Sequence[tuple[int, int, str]]) -> bool:
    start, end = token.idx, token.idx + len(token) + len(token.whitespace_)
    return any(a < end and start < b for a, b, _ in replacements)

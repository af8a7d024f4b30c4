"""A headline per theme: one short sentence, or a clause of one, verbatim from its most central quotes.

A label names a theme in two or three words; a headline says what it is
about in a speaker's own sentence ("we stopped putting names on the
wallboard."). Candidates are the sentences of the theme's `n_central` quotes
closest to its centre, long ones cut into clauses at a comma, semicolon or
dash, each stripped of the fillers that open spoken sentences ("Yeah, so"),
and a clause that opens like the tail of a sentence ("is pass the debt ...") dropped.
A candidate is kept when it has `min_words` to `max_words` words, asks no
question and holds no placeholder. The headline is the one that says most
of the words of the theme's label (each counting twice) and key phrases
(`content_words`: no stop words, a plural as its singular), ties going to
the more central quote, then the shorter sentence; but a clause of words
that name nothing ("At the same time though", "that's what it was like,
yeah") comes after every one that names something (`MIN_CONTENT_WORDS`).
Words, not whole phrases: a central quote that says "a couple of Polish
families" says what the theme "Polish families" is about, where the most
central quote of all may be about something near it.

What is left is a substring of the quote's text, so the headline occurs in
it as written and keeps the quote's id for the report.
"""
from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import pandas as pd

from .. import schema
from ..anonymise import PLACEHOLDER_RE

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_CLAUSE_BREAK = re.compile(r"(?<=[,;:])\s+|\s+(?=[-–—]\s)")
# Spoken openers that carry nothing: "Yeah, so", "Um, well, I mean".
_OPENERS = re.compile(r"^(?:(?:yeah|yes|yep|so|and|but|well|um|uh|er|erm|oh|okay|ok|right|like|i mean|you know|"
                      r"honestly|basically|actually|anyway)\b[,.]?\s+)+", re.IGNORECASE)
_EDGE_PUNCTUATION = re.compile(r"^[\s,;:\-–—]+|[\s,;:\-–—]+$")
# A clause opening on one of these is the tail of a sentence cut at a comma ("is pass the debt to ..."),
# not something a reader can take on its own.
_TAIL_OPENERS = frozenset("is was are were be been being has have had does did which who whom whose that than to "
                          "of or nor".split())


# A headline names what the theme is about: at least this many of its words are no stop word.
MIN_CONTENT_WORDS = 2


def theme_headlines(quotes: pd.DataFrame, embeddings: np.ndarray, centroids: dict[int, np.ndarray],
                    key_phrases: dict[int, Sequence[str]], labels: dict[int, str], *, n_central: int,
                    min_words: int, max_words: int) -> dict[int, tuple[str, str]]:
    """Theme id -> (headline, id of the quote it comes from); ("", "") for a theme with no candidate.

    Parameters
    ----------
    quotes : with `theme_id`, `quote_id` and `text`, positionally aligned with `embeddings`.
    centroids : theme id -> unit centre (`cluster.theme_centroids`).
    key_phrases, labels : per theme, its key phrases and label as shown.

    Examples
    --------
    >>> quotes = pd.DataFrame({"theme_id": [0, 0], "quote_id": ["a-1-0", "a-2-0"],
    ...     "text": ["Yeah, so we set up a duty rota for the phones. It was hard.", "Right."]})
    >>> theme_headlines(quotes, np.eye(2), {0: np.array([0.8, 0.6])}, {0: ["phones"]}, {0: "duty rota"},
    ...                 n_central=2, min_words=4, max_words=20)
    {0: ('we set up a duty rota for the phones.', 'a-1-0')}
    """
    themes = quotes[schema.THEME_ID].to_numpy()
    texts = quotes[schema.TEXT].astype(str).to_numpy()
    ids = quotes[schema.QUOTE_ID].astype(str).to_numpy()
    norms = np.maximum(np.linalg.norm(embeddings, axis=1), 1e-12)
    out = {}
    for theme, centre in centroids.items():
        members = np.flatnonzero(themes == theme)
        closeness = (embeddings[members] @ centre) / norms[members]
        central = members[np.lexsort((members, -closeness))][:n_central]
        label_words = content_words(labels.get(theme, ""))
        phrase_words = set().union(*map(content_words, key_phrases.get(theme, []))) - label_words
        best, best_rank = ("", ""), None
        for place, row in enumerate(central):
            for piece in candidates(texts[row], min_words, max_words):
                words = content_words(piece)
                said = 2 * len(words & label_words) + len(words & phrase_words)
                rank = (not names_something(piece), -said, place, len(piece), piece)
                if best_rank is None or rank < best_rank:
                    best, best_rank = (piece, ids[row]), rank
        out[theme] = best
    return out


def candidates(text: str, min_words: int, max_words: int) -> list[str]:
    """The sentences and clauses of `text` that could be a headline, each a substring of it.

    >>> candidates("Um, we cut the phone hours. Did it help? Yes, a lot, honestly, I think it did", 5, 6)
    ['we cut the phone hours.']
    """
    pieces = []
    for sentence in _SENTENCE_END.split(text):
        sentence = _trimmed(sentence)
        parts = [sentence] if len(sentence.split()) <= max_words else map(_trimmed, _CLAUSE_BREAK.split(sentence))
        for part in parts:
            words = len(part.split())
            if (min_words <= words <= max_words and not part.endswith("?") and not PLACEHOLDER_RE.search(part)
                    and part.split()[0].lower() not in _TAIL_OPENERS):
                pieces.append(part)
    return pieces


def names_something(text: str) -> bool:
    """Whether `text` holds `MIN_CONTENT_WORDS` words or more that are no stop word.

    >>> names_something("At the same time though"), names_something("We stopped putting names on the board")
    (False, True)
    """
    from spacy.lang.en.stop_words import STOP_WORDS

    words = re.findall(r"[^\W\d_]+(?:['’][^\W\d_]+)?", text.lower())
    return sum(word not in STOP_WORDS and len(word) > 2 for word in words) >= MIN_CONTENT_WORDS


def content_words(text: str) -> set[str]:
    """The words of `text` that are no stop word, each without a plural's or possessive's ending.

    A headline that says "agency worker" says the label "agency workers".

    >>> sorted(content_words("The agency workers' rota, and the duties"))
    ['agency', 'duty', 'rota', 'worker']
    """
    from spacy.lang.en.stop_words import STOP_WORDS

    found = set()
    for word in re.findall(r"[^\W\d_]+(?:['’][^\W\d_]+)?", text.lower()):
        word = re.sub(r"['’]s$", "", word)
        if word in STOP_WORDS or len(word) <= 2:
            continue
        if word.endswith("ies") and len(word) > 4:
            word = word[:-3] + "y"
        elif word.endswith("s") and not word.endswith("ss") and len(word) > 3:
            word = word[:-1]
        found.add(word)
    return found


def _trimmed(text: str) -> str:
    return _EDGE_PUNCTUATION.sub("", _OPENERS.sub("", text.strip()))

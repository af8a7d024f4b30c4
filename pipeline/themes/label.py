"""Key phrases and a short label per theme, in the speakers' words: c-TF-IDF, then MMR.

Candidates are `phrases.Phrase`s: noun chunks, verb phrases and nouns read
from the quotes (names, placeholders, stop words and fillers already
excluded). c-TF-IDF (Grootendorst, 2022) scores each word (a lemma) by the
share of the theme's quotes that use it against its use across themes. A
phrase scores the mean of its words' scores, times 1 + log of the number of
the theme's quotes that say it, so "missed bins", said in three quotes of a
theme about bins and crews, outranks "recycling bin", said once; each word
beyond the first adds `phrase_boost`. Maximal marginal relevance then picks
key phrases that are relevant but unlike the ones already chosen, so they do
not read "phone line, phone, lines".

Lemmas only group ("missed bins" and "the missed bin" are one phrase): every
key phrase and label is shown in its most frequent form as said in the
theme's quotes, so it occurs there verbatim.

The label must carry what the theme is about, so it is built around the
theme's most distinctive words (its three best by c-TF-IDF, the anchors):
the multi-word phrase holding an anchor that most of the theme's quotes say
(ties to the one whose words score more), else the best word alone. A phrase
chosen for its length or its average score alone read "denver's timezone"
for a theme about time zones, "good places" for one about restaurants,
"bank accounts" for one about balances. No two themes share a label: each
theme ranks its options (`label_options`: the anchors' phrases said twice
or more, then those said once, then the words alone), and the pairs of
theme and option are taken first choices first, a contested one going to
the theme where it scores more; the loser moves to its next option.
"""
from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

import numpy as np

from ..embed import embed_texts
from ..schema import NO_THEME
from .phrases import Phrase

NO_LABEL = "(no label)"
ANCHORS = 3  # a label holds one of its theme's three most distinctive words


class CTfidfLabeller:
    """Key phrases and a label per theme from per-quote candidate phrases.

    `fit(terms, labels)` takes, per quote, its `Phrase`s (a plain string is
    its own key and form) and its theme (-1: none).

    Parameters
    ----------
    n_keywords : key phrases kept per theme.
    n_candidates : best c-TF-IDF terms considered by MMR.
    mmr_relevance : weight of relevance against diversity in MMR, in [0, 1].
    phrase_boost : extra weight per additional word of a phrase; "casework
        backlog" tells a workshop more than "casework" at equal frequency.
    embedder : optional; embeds candidate phrases so MMR can judge similarity
        by meaning. Without it, similarity is word overlap.
    cache : optional `pipeline.embed.EmbeddingCache` for the phrase vectors
        (a re-run labels from it without the encoder).

    Attributes
    ----------
    scores_ : dict theme -> {key: score}, every phrase of the theme, best first.
    forms_ : dict theme -> {key: its most said form in the theme}.
    keywords_ : dict theme -> key phrases (forms as said), MMR order.
    labels_ : dict theme -> label, a form as said, unique across themes.

    Examples
    --------
    >>> lab = CTfidfLabeller(n_keywords=2).fit([["phone line", "phone"], ["phone line"], ["budget"], ["budget"]],
    ...                                         np.array([0, 0, 1, 1]))
    >>> lab.keywords_[0][0], lab.keywords_[1][0]
    ('phone line', 'budget')
    """

    def __init__(self, n_keywords=8, n_candidates=40, mmr_relevance=0.6, phrase_boost=0.25, embedder=None,
                 cache=None):
        self.n_keywords = n_keywords
        self.phrase_boost = phrase_boost
        self.n_candidates = n_candidates
        self.mmr_relevance = mmr_relevance
        self.embedder = embedder
        self.cache = cache

    def fit(self, terms: Sequence[Sequence[Phrase | str]], labels: np.ndarray):
        labels = np.asarray(labels)
        themes = sorted(set(labels.tolist()) - {NO_THEME})
        words = {t: Counter() for t in themes}  # quotes of the theme using each word
        saying = {t: Counter() for t in themes}  # quotes of the theme saying each phrase
        said = {t: {} for t in themes}  # theme -> key -> Counter of the forms said
        for quote_terms, label in zip(terms, labels):
            if label == NO_THEME:
                continue
            phrases = [_as_phrase(term) for term in quote_terms]
            words[label].update({w for p in phrases for w in p.key.split()})
            saying[label].update({p.key for p in phrases})
            for p in phrases:
                said[label].setdefault(p.key, Counter())[p.text] += 1
        word_scores = ctfidf(words, {t: int((labels == t).sum()) for t in themes})
        self.scores_ = {}
        for theme in themes:
            scores = {key: float(np.mean([word_scores[theme][w] for w in key.split()]))
                      * (1 + math.log(count)) * (1 + self.phrase_boost * key.count(" "))
                      for key, count in saying[theme].items()}
            self.scores_[theme] = dict(sorted(scores.items(), key=lambda kv: (-kv[1], kv[0])))
        # Key phrases from one quote are anecdotes, not what the theme is about (a label may still fall back on one).
        best = {theme: dict([(k, v) for k, v in ranked.items() if saying[theme][k] >= 2][: self.n_candidates]
                            or list(ranked.items())[: self.n_candidates])
                for theme, ranked in self.scores_.items()}
        vectors = self._phrase_vectors(sorted({p for ranked in best.values() for p in ranked}))
        keys = {theme: self._mmr(list(ranked.items()), vectors) for theme, ranked in best.items()}
        self.forms_ = {theme: {key: most_said(forms) for key, forms in said[theme].items()} for theme in themes}
        self.keywords_ = {theme: list(dict.fromkeys(self.forms_[theme][k] for k in keys[theme])) for theme in themes}
        options = {theme: label_options(word_scores[theme], saying[theme]) for theme in themes}
        self.labels_ = unique_labels(options, self.scores_, self.forms_)
        return self

    def _phrase_vectors(self, phrases: list[str]) -> dict[str, np.ndarray]:
        """Every theme's candidates embedded in one pass (one call per theme cost 4 s on 115 themes)."""
        if self.embedder is None or not phrases:
            return {}
        matrix, _ = embed_texts(phrases, self.embedder, self.cache)
        return dict(zip(phrases, matrix))

    def _mmr(self, ranked: list[tuple[str, float]], vectors: dict[str, np.ndarray]) -> list[str]:
        if not ranked:
            return []
        phrases = [p for p, _ in ranked]
        relevance = np.array([s for _, s in ranked], dtype=float)
        relevance = relevance / relevance.max() if relevance.max() > 0 else relevance
        similarity = _word_overlap(phrases)
        if vectors:
            matrix = np.stack([vectors[p] for p in phrases])
            similarity = np.maximum(similarity, matrix @ matrix.T)
        chosen = [0]
        while len(chosen) < min(self.n_keywords, len(phrases)):
            rest = [i for i in range(len(phrases)) if i not in chosen]
            mmr = [self.mmr_relevance * relevance[i] - (1 - self.mmr_relevance) * similarity[i, chosen].max()
                   for i in rest]
            chosen.append(rest[int(np.argmax(mmr))])
        return [phrases[i] for i in chosen]


def _as_phrase(term: Phrase | str) -> Phrase:
    """A plain string (a notebook's or benchmark's own terms) is its own key and form."""
    return term if isinstance(term, Phrase) else Phrase(term, term)


def most_said(forms: Counter) -> str:
    """The form said most often; ties to one written mid-sentence (lower case first), then the shorter, then A-Z.

    >>> most_said(Counter({"Phone hours": 2, "phone hours": 2, "phone hour": 1}))
    'phone hours'
    """
    return min(forms, key=lambda form: (-forms[form], not form[:1].islower(), len(form), form))


def ctfidf(quote_counts: dict[int, Counter], sizes: dict[int, int]) -> dict[int, dict[str, float]]:
    """Theme -> word -> c-TF-IDF: the share of the theme's quotes using the word, times log(1 + A / f).

    f is the number of quotes of all themes using the word and A the mean,
    over themes, of the theme's total of such counts (Grootendorst, 2022).

    >>> scores = ctfidf({0: Counter(rota=2, team=2), 1: Counter(team=2)}, {0: 2, 1: 2})
    >>> scores[0]["rota"] > scores[0]["team"]
    True
    """
    total = Counter()
    for counts in quote_counts.values():
        total.update(counts)
    average = float(np.mean([sum(c.values()) for c in quote_counts.values()])) if quote_counts else 0.0
    return {t: {w: (c / max(sizes[t], 1)) * math.log(1 + average / total[w]) for w, c in counts.items()}
            for t, counts in quote_counts.items()}


def label_options(word_scores: dict[str, float], saying: Counter, n_anchors: int = ANCHORS) -> list[str]:
    """A theme's label candidates (keys), best first, each holding one of its most distinctive words.

    The anchors are the theme's `n_anchors` best words by c-TF-IDF. First
    the multi-word phrases holding an anchor that two quotes or more say,
    best anchor first; then those said once (an anecdote, but one that
    names the theme); then each word alone, best first, so a theme says
    "duty rota" rather than "rota", but "rota" rather than a phrase without
    it. An anchor's phrases go by the number of quotes saying them, then by
    the sum of their words' scores (a phrase with two distinctive words says
    more), then A-Z. A phrase that is only a number and what it counts
    ("fourteen weeks") comes after every other phrase: it names an amount,
    not a matter.

    >>> label_options({"rota": 0.9, "duty": 0.5, "phones": 0.2},
    ...               Counter({"rota": 3, "duty rota": 2, "new duty rota": 1, "duty": 2, "phones": 1}))
    ['duty rota', 'new duty rota', 'rota', 'duty', 'phones']
    """
    holding: dict[str, list[str]] = {}
    for key in saying:
        if " " in key:
            for word in set(key.split()):
                holding.setdefault(word, []).append(key)
    words = sorted(word_scores, key=lambda w: (-word_scores[w], w))

    def phrases(word: str, repeated: bool) -> list[str]:
        found = [k for k in holding.get(word, []) if (saying[k] >= 2) == repeated]
        return sorted(found, key=lambda k: (-saying[k], -sum(word_scores.get(w, 0.0) for w in k.split()), k))

    options = [k for repeated in (True, False) for word in words[:n_anchors] for k in phrases(word, repeated)]
    # A phrase that only counts its anchor ("fourteen weeks", "ninety days") names an amount, not
    # what the theme is about: after every phrase that names something.
    options = [k for k in options if not _counts_only(k)] + [k for k in options if _counts_only(k)]
    options += [word for word in words if word in saying]
    return list(dict.fromkeys(options))


def _counts_only(key: str) -> bool:
    """Whether a multi-word key is a number and what it counts ("fourteen week", "two hundred pound").

    >>> _counts_only("fourteen week"), _counts_only("two hundred pound"), _counts_only("duty rota")
    (True, True, False)
    """
    from spacy.lang.en.lex_attrs import like_num

    words = key.split()
    return len(words) > 1 and all(like_num(word) for word in words[:-1])


def unique_labels(options: dict[int, list[str]], scores: dict[int, dict[str, float]],
                  forms: dict[int, dict[str, str]]) -> dict[int, str]:
    """Theme -> label, no two alike: every theme's first choice before any theme's second.

    The pairs of theme and option are taken in order of the option's place
    in its theme's list, then its score there (best first), then the smaller
    theme id (the larger theme), then the key A-Z. A pair is taken when its
    theme has no label yet and no theme took the phrase, by key or by form
    (any case). A theme left with nothing gets `NO_LABEL`.

    >>> unique_labels({0: ["duty rota", "rota"], 1: ["duty rota", "rota"]},
    ...               {0: {"duty rota": 0.9, "rota": 0.5}, 1: {"duty rota": 0.4, "rota": 0.3}},
    ...               {0: {"duty rota": "duty rota", "rota": "rota"},
    ...                1: {"duty rota": "the duty rota", "rota": "rotas"}})
    {0: 'duty rota', 1: 'rotas'}
    """
    pairs = sorted((place, -scores[theme].get(key, 0.0), theme, key)
                   for theme, ranked in options.items() for place, key in enumerate(ranked))
    labels: dict[int, str] = {}
    taken_keys: set[str] = set()
    taken_forms: set[str] = set()
    for _, _, theme, key in pairs:
        form = forms[theme][key]
        if theme in labels or key in taken_keys or form.lower() in taken_forms:
            continue
        labels[theme] = form
        taken_keys.add(key)
        taken_forms.add(form.lower())
    return {theme: labels.get(theme, NO_LABEL) for theme in sorted(options)}


def _word_overlap(phrases: list[str]) -> np.ndarray:
    sets = [set(p.split()) for p in phrases]
    n = len(phrases)
    out = np.eye(n)
    for i in range(n):
        for j in range(i + 1, n):
            out[i, j] = out[j, i] = len(sets[i] & sets[j]) / len(sets[i] | sets[j])
    return out

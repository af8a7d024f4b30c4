"""Key phrases and a short label per theme: c-TF-IDF, then MMR for diversity.

Candidates are the noun chunks and content lemmas found at segmentation
(stop words, fillers, names and placeholders already excluded). c-TF-IDF
(Grootendorst, 2022) scores a term by its frequency in the theme against its
frequency across themes; maximal marginal relevance then picks phrases that
are relevant but unlike the ones already chosen, so a label does not read
"phone line · phone · lines".
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import numpy as np

from ..embed import embed_texts
from ..schema import NO_THEME


class CTfidfLabeller:
    """Label themes from per-quote candidate terms.

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

    def fit(self, terms: Sequence[Sequence[str]], labels: np.ndarray):
        labels = np.asarray(labels)
        themes = sorted(set(labels.tolist()) - {NO_THEME})
        per_theme = {t: Counter() for t in themes}
        quote_freq = {t: Counter() for t in themes}
        for quote_terms, label in zip(terms, labels):
            if label == NO_THEME:
                continue
            per_theme[label].update(quote_terms)
            quote_freq[label].update(set(quote_terms))
        total = Counter()
        for counts in per_theme.values():
            total.update(counts)
        avg_terms = np.mean([sum(c.values()) for c in per_theme.values()]) if themes else 0.0
        self.scores_ = {}
        for theme in themes:
            size = sum(per_theme[theme].values()) or 1
            scores = {
                term: (count / size) * np.log(1 + avg_terms / total[term])
                * (1 + self.phrase_boost * term.count(" "))
                # A term from a single quote is an anecdote, not what the theme is about.
                for term, count in per_theme[theme].items() if quote_freq[theme][term] >= 2
            } or {term: count / size for term, count in per_theme[theme].items()}
            self.scores_[theme] = dict(sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))[: self.n_candidates])
        vectors = self._phrase_vectors(sorted({p for ranked in self.scores_.values() for p in ranked}))
        self.keywords_ = {theme: self._mmr(list(ranked.items()), vectors) for theme, ranked in self.scores_.items()}
        self.labels_ = {theme: make_label(keywords) for theme, keywords in self.keywords_.items()}
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


def make_label(keywords: list[str]) -> str:
    """Two key phrases, a multi-word one first when there is one near the top."""
    if not keywords:
        return "(no label)"
    head = next((k for k in keywords[:3] if " " in k), keywords[0])
    second = next((k for k in keywords if k != head and not set(k.split()) & set(head.split())), None)
    label = head if second is None else f"{head} · {second}"
    return label[:1].upper() + label[1:]


def _word_overlap(phrases: list[str]) -> np.ndarray:
    sets = [set(p.split()) for p in phrases]
    n = len(phrases)
    out = np.eye(n)
    for i in range(n):
        for j in range(i + 1, n):
            out[i, j] = out[j, i] = len(sets[i] & sets[j]) / len(sets[i] | sets[j])
    return out

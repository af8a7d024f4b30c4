import numpy as np

from pipeline.embed import EmbeddingCache, HashingEmbedder
from pipeline.themes.label import CTfidfLabeller, make_label


def test_distinctive_terms_win_over_terms_every_theme_shares():
    terms = [["phone line", "staff", "call"], ["phone line", "staff", "call"],
             ["agency staff", "staff", "cost"], ["agency staff", "staff", "cost"]]
    labeller = CTfidfLabeller(n_keywords=3).fit(terms, np.array([0, 0, 1, 1]))
    assert labeller.keywords_[0][0] == "phone line"
    assert labeller.keywords_[1][0] == "agency staff"
    assert labeller.labels_[0].startswith("Phone line")


def test_outliers_get_no_keywords_and_single_quote_terms_are_not_key_phrases():
    terms = [["budget", "anecdote"], ["budget"], ["other"]]
    labeller = CTfidfLabeller().fit(terms, np.array([0, 0, -1]))
    assert set(labeller.keywords_) == {0}
    assert "anecdote" not in labeller.keywords_[0]


def test_mmr_prefers_a_different_second_phrase():
    terms = [["phone line", "phone", "line", "backlog"]] * 3 + [["budget"]] * 3
    labeller = CTfidfLabeller(n_keywords=2, mmr_relevance=0.5).fit(terms, np.array([0, 0, 0, 1, 1, 1]))
    assert labeller.keywords_[0] == ["phone line", "backlog"]


def test_label_joins_two_distinct_phrases():
    assert make_label(["casework backlog", "casework", "phone"]) == "Casework backlog · phone"
    assert make_label([]) == "(no label)"


class _CountingEmbedder(HashingEmbedder):
    """The deterministic fake embedder, recording each call's texts."""

    def __init__(self):
        super().__init__()
        self.calls = []

    def encode(self, texts):
        self.calls.append(list(texts))
        return super().encode(texts)


def test_every_themes_candidates_are_embedded_in_one_call_and_then_read_from_the_cache(tmp_path):
    terms = [["phone line", "backlog", "queue"]] * 3 + [["budget", "agency staff", "queue"]] * 3
    labels = np.array([0, 0, 0, 1, 1, 1])
    first = _CountingEmbedder()
    fitted = CTfidfLabeller(n_keywords=2, embedder=first, cache=EmbeddingCache(tmp_path)).fit(terms, labels)
    assert len(first.calls) == 1 and sorted(first.calls[0]) == sorted(set(sum(terms, [])))
    again = _CountingEmbedder()
    refitted = CTfidfLabeller(n_keywords=2, embedder=again, cache=EmbeddingCache(tmp_path)).fit(terms, labels)
    assert again.calls == [] and refitted.keywords_ == fitted.keywords_

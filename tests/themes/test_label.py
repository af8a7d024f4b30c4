from collections import Counter

import numpy as np

from pipeline.embed import EmbeddingCache, HashingEmbedder
from pipeline.themes.label import NO_LABEL, CTfidfLabeller, label_options, most_said, unique_labels
from pipeline.themes.phrases import Phrase


def test_distinctive_terms_win_over_terms_every_theme_shares():
    terms = [["phone line", "staff", "call"], ["phone line", "staff", "call"],
             ["agency staff", "staff", "cost"], ["agency staff", "staff", "cost"]]
    labeller = CTfidfLabeller(n_keywords=3).fit(terms, np.array([0, 0, 1, 1]))
    assert labeller.keywords_[0][0] == "phone line"
    assert labeller.keywords_[1][0] == "agency staff"
    assert labeller.labels_ == {0: "phone line", 1: "agency staff"}


def test_outliers_get_no_keywords_and_single_quote_terms_are_not_key_phrases():
    terms = [["budget", "anecdote"], ["budget"], ["other"]]
    labeller = CTfidfLabeller().fit(terms, np.array([0, 0, -1]))
    assert set(labeller.keywords_) == {0}
    assert "anecdote" not in labeller.keywords_[0]


def test_mmr_prefers_a_different_second_phrase():
    terms = [["phone line", "phone", "line", "backlog"]] * 3 + [["budget"]] * 3
    labeller = CTfidfLabeller(n_keywords=2, mmr_relevance=0.5).fit(terms, np.array([0, 0, 0, 1, 1, 1]))
    assert labeller.keywords_[0] == ["phone line", "backlog"]


def test_labels_and_key_phrases_show_the_form_said_most_never_the_lemmas():
    said = [[Phrase("cut phone hour", "cut the phone hours"), Phrase("rota", "rotas")],
            [Phrase("cut phone hour", "cut the phone hours"), Phrase("rota", "rota")],
            [Phrase("cut phone hour", "cutting the phone hour"), Phrase("rota", "rotas")],
            [Phrase("budget", "budget")], [Phrase("budget", "budgets")]]
    labeller = CTfidfLabeller().fit(said, np.array([0, 0, 0, 1, 1]))
    assert labeller.labels_[0] == "cut the phone hours"
    assert set(labeller.keywords_[0]) == {"cut the phone hours", "rotas"}
    texts = {p.text for quote in said for p in quote}
    assert all(k in texts for keywords in labeller.keywords_.values() for k in keywords)
    assert labeller.labels_[1] in {"budget", "budgets"}


def test_a_multi_word_phrase_is_the_label_even_when_a_single_word_scores_higher():
    terms = [["rota", "duty rota"], ["rota"], ["rota", "duty rota"], ["budget"], ["budget"]]
    labeller = CTfidfLabeller().fit(terms, np.array([0, 0, 0, 1, 1]))
    assert labeller.keywords_[0][0] == "rota"
    assert labeller.labels_[0] == "duty rota"


def test_no_two_themes_share_a_label_the_phrase_goes_where_it_says_most():
    # "duty rota" is the only phrase of themes 0 and 1; theme 1 says it less often, so it takes its next best.
    terms = [["shifts"], ["duty rota", "shifts"], ["duty rota", "shifts"]] + [["duty rota", "phones"]] * 3
    labeller = CTfidfLabeller().fit(terms, np.array([0, 0, 0, 1, 1, 1]))
    assert labeller.labels_ == {0: "shifts", 1: "duty rota"}


def test_unique_labels_compare_forms_in_any_case_and_fall_back_in_order():
    # Theme 1's "duty rotum" (a lemmatiser's slip) is said "Duty Rota": the same label as theme 0's.
    scores = {0: {"duty rota": 2.0, "rota": 1.0}, 1: {"duty rotum": 1.5, "phone": 0.1}, 2: {"duty rota": 1.0}}
    forms = {0: {"duty rota": "duty rota", "rota": "rota"}, 1: {"duty rotum": "Duty Rota", "phone": "phones"},
             2: {"duty rota": "the duty rota"}}
    options = {theme: list(ranked) for theme, ranked in scores.items()}
    assert unique_labels(options, scores, forms) == {0: "duty rota", 1: "phones", 2: NO_LABEL}


def test_every_theme_gets_its_first_choice_before_any_theme_its_second():
    # Theme 0's second choice scores highest of all, but theme 1 wants it first: each keeps its first choice.
    options = {0: ["casework", "duty rota"], 1: ["duty rota", "phones"]}
    scores = {0: {"casework": 0.5, "duty rota": 2.0}, 1: {"duty rota": 1.0, "phones": 0.9}}
    forms = {theme: {key: key for key in ranked} for theme, ranked in options.items()}
    assert unique_labels(options, scores, forms) == {0: "casework", 1: "duty rota"}


def test_the_label_holds_the_themes_most_distinctive_word():
    # Every quote of theme 0 says "traffic"; a longer phrase said more often holds only lesser words.
    terms = ([["traffic", "heavy traffic", "new jersey turnpike"]] * 2 + [["traffic", "new jersey turnpike"]]
             + [["traffic"]] * 2 + [["budget"]] * 5)
    labeller = CTfidfLabeller().fit(terms, np.array([0] * 5 + [1] * 5))
    assert labeller.labels_[0] == "heavy traffic"


def test_of_the_phrases_holding_the_word_the_one_most_quotes_say_wins():
    # "weekend duty rota" holds more of the theme's words, but fewer quotes say it.
    terms = [["rota", "duty rota"]] * 3 + [["rota", "weekend duty rota"]] * 2 + [["budget"]] * 5
    labeller = CTfidfLabeller().fit(terms, np.array([0] * 5 + [1] * 5))
    assert labeller.labels_[0] == "duty rota"


def test_the_distinctive_word_alone_when_no_phrase_holds_one():
    # "nice chat" is said twice, but none of the three best words ("queue", "inbox", "website") is in it.
    terms = ([["queue", "inbox", "website", "nice chat"]] * 2 + [["queue", "inbox", "website"]]
             + [["queue"]] + [["budget"]] * 4)
    labeller = CTfidfLabeller().fit(terms, np.array([0] * 4 + [1] * 4))
    assert labeller.labels_[0] == "queue"


def test_label_options_put_repeated_phrases_of_any_anchor_before_an_anecdote_of_the_first():
    scores = {"traffic": 0.9, "jam": 0.5, "turnpike": 0.4, "budget": 0.1}
    saying = Counter({"traffic": 4, "traffic jam": 2, "traffic turnpike": 1, "jam turnpike": 2, "jam": 2,
                      "turnpike": 1, "budget": 1})
    # The second anchor's repeated phrase comes before the first anchor's phrase said once.
    assert label_options(scores, saying) == ["traffic jam", "jam turnpike", "traffic turnpike", "traffic", "jam",
                                             "turnpike", "budget"]



def test_a_number_and_what_it_counts_is_the_label_only_when_nothing_else_holds_a_distinctive_word():
    # Every quote of theme 0 says "weeks"; three say "fourteen weeks", two "payment arrangement".
    terms = ([["week", "fourteen week", "arrangement", "payment arrangement"]] * 2 + [["week", "fourteen week"]]
             + [["week", "arrangement"]] + [["budget"]] * 4)
    labeller = CTfidfLabeller().fit(terms, np.array([0] * 4 + [1] * 4))
    assert labeller.labels_[0] == "payment arrangement"
    alone = CTfidfLabeller().fit([["week", "fourteen week"]] * 3 + [["budget"]] * 3, np.array([0] * 3 + [1] * 3))
    assert alone.labels_[0] == "fourteen week"

def test_the_form_said_most_wins_ties_to_the_mid_sentence_form():
    assert most_said(Counter({"Missed bins": 3, "missed bins": 2})) == "Missed bins"
    assert most_said(Counter({"Missed bins": 2, "missed bins": 2})) == "missed bins"


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

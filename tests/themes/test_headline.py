import numpy as np
import pandas as pd

from pipeline import schema
from pipeline.themes.headline import candidates, theme_headlines

SETTINGS = {"n_central": 2, "min_words": 5, "max_words": 14}


def _quotes(texts, themes):
    return pd.DataFrame({schema.THEME_ID: themes, schema.QUOTE_ID: [f"q-{i}" for i in range(len(texts))],
                         schema.TEXT: texts})


def test_the_headline_is_verbatim_from_a_central_quote_and_names_its_quote():
    texts = ["Yeah, so we stopped putting names on the wallboard. It took a while to stick.",
             "The wallboard was a fight, honestly, for about a month or so in the spring.",
             "We stopped putting names on the wallboard and the league table went too.",
             "Budgets again."]
    vectors = np.array([[1.0, 0.0], [0.9, 0.1], [0.1, 1.0], [0.0, 1.0]])
    centre = np.array([1.0, 0.0])
    found = theme_headlines(_quotes(texts, [0, 0, 0, -1]), vectors, {0: centre}, {0: ["wallboard"]},
                            {0: "putting names"}, **SETTINGS)
    headline, quote_id = found[0]
    assert headline == "we stopped putting names on the wallboard."  # the far quote says it too, but is not central
    assert quote_id == "q-0" and headline in texts[0]


def test_questions_placeholders_and_sentence_tails_are_never_headlines():
    text = ("Did we ever ask the tenants what they wanted? [PERSON 2] said the rota would never work here, "
            "is what the board heard from the managers in the spring review.")
    assert candidates(text, 5, 14) == []


def test_a_long_sentence_gives_its_clauses_each_a_substring():
    text = ("We cut the phone hours on Wednesday afternoons, and the casework backlog came down in about "
            "six weeks, which nobody had expected.")
    found = candidates(text, 5, 12)
    assert found and all(piece in text for piece in found)
    assert "We cut the phone hours on Wednesday afternoons" in found


def test_a_theme_without_a_usable_sentence_gets_an_empty_headline():
    found = theme_headlines(_quotes(["Yes.", "Okay then."], [0, 0]), np.eye(2), {0: np.array([1.0, 0.0])},
                            {0: []}, {0: ""}, **SETTINGS)
    assert found == {0: ("", "")}


def test_a_clause_that_names_nothing_comes_after_a_less_central_one_that_does():
    texts = ["At the same time though, I do.", "We moved the duty rota to Monday mornings."]
    found = theme_headlines(_quotes(texts, [0, 0]), np.array([[1.0, 0.0], [0.8, 0.6]]), {0: np.array([1.0, 0.0])},
                            {0: []}, {0: ""}, **SETTINGS)
    assert found == {0: ("We moved the duty rota to Monday mornings.", "q-1")}


def test_a_central_quote_saying_the_labels_words_wins_over_the_most_central_one():
    # The label's words count, not only the label whole: "a couple of Polish families" says "Polish families",
    # a plural the key phrase's singular ("form"), where the most central quote is about something near it.
    texts = ["It's the widow clearing out the shed who hasn't got a computer.",
             "A couple of Polish families where the English in the forms just wasn't working.",
             "Nobody reads the letters we send anyway, honestly."]
    vectors = np.array([[1.0, 0.0], [0.95, 0.31], [0.9, 0.44]])
    found = theme_headlines(_quotes(texts, [0, 0, 0]), vectors, {0: np.array([1.0, 0.0])}, {0: ["form"]},
                            {0: "Polish families"}, n_central=3, min_words=5, max_words=20)
    assert found[0] == ("A couple of Polish families where the English in the forms just wasn't working.", "q-1")

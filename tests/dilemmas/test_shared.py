"""Shared dilemmas: dilemma units grouped across teams, titled by their sides, ranked among dilemmas."""
import numpy as np
import pandas as pd

from pipeline import schema
from pipeline.config import load_config
from pipeline.dilemmas.shared import group_by_meaning, read_in_theme, shared_dilemmas

CONFIG = load_config().dilemmas
SMOOTHING = load_config().ground.smoothing

# Directions of meaning: the phone queue, spending limits, data sharing, small talk.
PHONES, SPENDING, SHARING, OTHER = np.eye(4)


def _units(units):
    """Quote units: (team, conversation, vector, is_dilemma, text) each; vectors made unit length."""
    rows = [{schema.QUOTE_ID: f"q{i}", schema.TRANSCRIPT_ID: f"{team}/{conversation}", schema.TEAM: team,
             schema.TEXT: text, schema.IS_DILEMMA: flag}
            for i, (team, conversation, _, flag, text) in enumerate(units)]
    vectors = np.array([vector for _, _, vector, _, _ in units], dtype=float)
    return pd.DataFrame(rows), vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def test_dilemma_units_of_several_teams_about_one_matter_form_one_shared_dilemma_and_the_rest_none():
    quotes, vectors = _units([
        ("housing", "c1", PHONES, 1, "We could answer the phones, but then the casework piles up."),
        ("revenues", "c1", PHONES + 0.1 * OTHER, 1, "Either we pick up every call or we clear the backlog."),
        ("waste", "c1", PHONES, 0, "The phones ring all day."),  # about it, but voices no tension
        ("waste", "c1", SPENDING, 1, "A team leader signs it, but it never goes to finance."),
    ])
    table, dilemma_of = shared_dilemmas(quotes, vectors, CONFIG, SMOOTHING)
    assert table[schema.DILEMMA_ID].tolist() == ["D1"]  # one team's single unit is below min_units
    assert table[schema.TEAMS].tolist() == ["housing; revenues"] and table[schema.N_TEAMS].tolist() == [2]
    assert dilemma_of.tolist() == ["D1", "D1", "", ""]
    assert sorted(table[schema.QUOTE_IDS].iloc[0].split("; ")) == ["q0", "q1"]


def test_one_teams_dilemma_is_listed_after_the_shared_ones_when_it_holds_min_units():
    quotes, vectors = _units([
        ("waste", "c1", SPENDING, 1, "A team leader signs it, but it never goes to finance."),
        ("waste", "c2", SPENDING, 1, "We could wait for sign-off or just fix it."),
        ("housing", "c1", PHONES, 1, "We could answer the phones, but then the casework piles up."),
        ("revenues", "c1", PHONES, 1, "Either we pick up every call or we clear the backlog."),
    ])
    table, dilemma_of = shared_dilemmas(quotes, vectors, CONFIG, SMOOTHING)
    assert table[schema.N_TEAMS].tolist() == [2, 1]
    assert dilemma_of.tolist() == ["D2", "D2", "D1", "D1"]
    assert CONFIG.min_units == 2


def test_among_shared_dilemmas_the_broader_across_teams_ranks_first():
    quotes, vectors = _units(
        [(team, "c1", SHARING, 1, "We want to share the records, but consent comes first.") for team in "ab"]
        + [(team, "c1", PHONES, 1, "We could answer the phones, but then the casework piles up.") for team in "abcd"])
    table, dilemma_of = shared_dilemmas(quotes, vectors, CONFIG, SMOOTHING)
    assert table[schema.N_TEAMS].tolist() == [4, 2]
    assert table[schema.COMMON_GROUND].iloc[0] > table[schema.COMMON_GROUND].iloc[1]
    assert dilemma_of.tolist() == ["D2"] * 2 + ["D1"] * 4


def test_the_title_names_both_sides_in_the_words_of_the_most_central_unit_that_names_two():
    quotes, vectors = _units([
        ("housing", "c1", PHONES + 0.5 * OTHER, 1, "We had to choose between the paper forms and the portal."),
        ("revenues", "c1", PHONES, 1, "We had to choose between answering the phones and clearing the backlog."),
        ("waste", "c1", PHONES + 0.01 * OTHER, 1, "It is hard, honestly."),  # central, but names no sides
    ])
    table, _ = shared_dilemmas(quotes, vectors, CONFIG, SMOOTHING)
    row = table.iloc[0]
    assert (row[schema.SIDE_A], row[schema.SIDE_B]) == ("answering the phones", "clearing the backlog")
    assert row[schema.TITLE] == "answering the phones · clearing the backlog"
    # Quotes by centrality: the most central names no sides, so the next one gives the title.
    assert row[schema.QUOTE_IDS].split("; ") == ["q2", "q1", "q0"]


def _titled(texts_and_vectors):
    """The title of the one dilemma of units of four teams, each (text, vector)."""
    quotes, vectors = _units([(team, "c1", vector, 1, text)
                              for team, (text, vector) in zip(["housing", "revenues", "waste", "digital"],
                                                              texts_and_vectors)])
    table, dilemma_of = shared_dilemmas(quotes, vectors, CONFIG, SMOOTHING)
    assert (dilemma_of == "D1").all()  # one dilemma of all the units, most central first
    return table[schema.TITLE].iloc[0]


def test_a_plain_choice_titles_the_dilemma_before_a_more_central_but():
    assert _titled([
        ("Longer calls, but fewer of them.", PHONES),  # the most central: two remarks, no choice
        ("Do we answer every call, or do we clear the backlog?", PHONES + 0.2 * OTHER),
        ("It is hard, honestly.", PHONES - 0.25 * OTHER),
    ]) == "answer every call · clear the backlog"


def test_a_but_between_whole_clauses_titles_the_dilemma_before_a_more_central_cut_one():
    assert _titled([
        ("And so, well, basically the thing is that we always used to answer every single call that came "
         "in, but the backlog kept growing and growing all through the long winter months.", PHONES),
        ("The phones come first, but the casework piles up.", PHONES + 0.2 * OTHER),
        ("It is hard, honestly.", PHONES - 0.25 * OTHER),
    ]) == "The phones come first · the casework piles up"


def test_a_plain_choice_at_the_edge_of_the_dilemma_does_not_title_it():
    # The least central unit is about spending limits, a neighbouring dilemma merged into this one.
    assert _titled([
        ("It is hard, honestly.", PHONES),
        ("The phones come first, but the casework piles up.", PHONES + 0.2 * OTHER),
        ("Tough one, really.", PHONES - 0.25 * OTHER),
        ("Either we wait for finance or we just fix it.", PHONES + 0.6 * SPENDING),
    ]) == "The phones come first · the casework piles up"


def test_a_fluent_contrast_titles_the_dilemma_before_more_central_ones_that_stumble():
    # The central half (two of four units) only stumbles; the fluent "but" further out titles it.
    assert _titled([
        ("Do we go um for the the rubber, or the wh the plastic?", PHONES),
        ("It is hard, honestly.", PHONES + 0.1 * OTHER),
        ("The phones come first, but the casework piles up.", PHONES + 0.2 * OTHER),
        ("Tough one, really.", PHONES - 0.25 * OTHER),
    ]) == "The phones come first · the casework piles up"


def test_a_dilemma_whose_every_contrast_stumbles_is_still_titled_by_its_sides():
    assert _titled([
        ("Do we go for the the rubber, or the plastic?", PHONES),
        ("It is hard, honestly.", PHONES + 0.1 * OTHER),
    ]) == "go for the the rubber · the plastic"


def test_without_a_unit_naming_two_sides_the_title_is_the_most_central_unit_shortened():
    words = "It is hard honestly because everybody wants something different from us every single day of the week"
    quotes, vectors = _units([("housing", "c1", PHONES, 1, words), ("revenues", "c1", PHONES, 1, "Tough one.")])
    row = shared_dilemmas(quotes, vectors, CONFIG, SMOOTHING)[0].iloc[0]
    assert row[schema.SIDE_A] == row[schema.SIDE_B] == ""
    assert row[schema.TITLE] == " ".join(words.split()[:2 * CONFIG.side_words]) + " …"


def test_a_dilemma_unit_is_read_mostly_as_its_theme():
    quotes = pd.DataFrame({schema.THEME_ID: [0, 0, 0, 1, schema.NO_THEME]})
    vectors = np.array([PHONES, PHONES, OTHER, SPENDING, OTHER])
    pulled = read_in_theme(vectors, quotes, weight=3.0)
    assert pulled[2] @ PHONES > pulled[2] @ OTHER  # the generic sentence now leans to its theme's matter
    assert np.allclose(pulled[4], OTHER)  # a quote in no theme keeps its own vector
    assert np.allclose(np.linalg.norm(pulled, axis=1), 1.0)


def test_groups_are_numbered_in_order_of_first_appearance_and_split_at_the_distance():
    v = np.array([PHONES, SPENDING, PHONES + 0.2 * OTHER, SPENDING])
    v /= np.linalg.norm(v, axis=1, keepdims=True)
    assert group_by_meaning(v, 0.1).tolist() == [0, 1, 0, 1]
    assert group_by_meaning(v, 1.01).tolist() == [0, 0, 0, 0]  # orthogonal: cosine distance 1
    assert group_by_meaning(v[:1], 0.1).tolist() == [0] and group_by_meaning(v[:0], 0.1).tolist() == []

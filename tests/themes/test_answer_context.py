import numpy as np
import pandas as pd
import pytest

from pipeline import schema
from pipeline.themes.answer_context import answer_blocks, blend_neighbours, reading_order, vectors_in_context
from tests.helpers import make_turns

I, P = schema.ROLE_INTERVIEWER, schema.ROLE_PARTICIPANT


def _interview():
    """Two conversations: 'a' has two questions (turns 0 and 3), 'b' has none."""
    turns = make_turns([
        ("a", "Kim", I, "", "First question?"),
        ("a", "Ola", P, "x", "one"),
        ("a", "Ola", P, "x", "two"),
        ("a", "Kim", I, "", "Second question?"),
        ("a", "Ola", P, "x", "three"),
        ("b", "Ade", P, "y", "four"),
        ("b", "Ade", P, "y", "five"),
    ])
    # Quote units: two in turn a/1, one in a/2, one in a/4, one in each of b/0 and b/1.
    quotes = pd.DataFrame({schema.TRANSCRIPT_ID: ["a", "a", "a", "a", "b", "b"],
                           schema.TURN: [1, 1, 2, 4, 0, 1],
                           schema.CHAR_START: [0, 10, 0, 0, 0, 0]})
    return quotes, turns


def _random_unit_vectors(n, dim=8, seed=0):
    v = np.random.default_rng(seed).normal(size=(n, dim)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def test_an_answer_block_runs_from_one_question_to_the_next():
    quotes, turns = _interview()
    blocks = answer_blocks(quotes, turns)
    assert blocks[0] == blocks[1] == blocks[2]  # both turns answer the first question
    assert blocks[3] != blocks[0]  # after the second question
    assert blocks[4] == blocks[5] and blocks[4] not in blocks[:4]  # no interviewer: one block per conversation


def test_blending_never_crosses_a_question():
    quotes, turns = _interview()
    vectors = _random_unit_vectors(len(quotes))
    blended = vectors_in_context(vectors, quotes, turns, weight=0.5, window=2)
    np.testing.assert_allclose(blended[3], vectors[3], atol=1e-6)  # alone in its answer: unchanged
    changed = np.abs(blended - vectors).max(axis=1) > 1e-3
    assert changed[[0, 1, 2, 4, 5]].all()


def test_a_near_neighbour_counts_twice_as_much_as_one_two_units_away():
    vectors = np.eye(3, dtype=np.float32)
    blended = blend_neighbours(vectors, np.zeros(3, dtype=int), np.arange(3), weight=0.5, window=2)
    # Unit 0 gains 0.5 x unit 1 / 1 and 0.5 x unit 2 / 2, before renormalising.
    expected = np.array([1.0, 0.5, 0.25]) / np.linalg.norm([1.0, 0.5, 0.25])
    np.testing.assert_allclose(blended[0], expected, atol=1e-6)
    np.testing.assert_allclose(np.linalg.norm(blended, axis=1), 1.0, atol=1e-6)


def test_neighbours_are_found_in_spoken_order_whatever_the_row_order():
    quotes, turns = _interview()
    vectors = _random_unit_vectors(len(quotes))
    expected = vectors_in_context(vectors, quotes, turns, weight=0.5, window=2)
    shuffled = np.random.default_rng(1).permutation(len(quotes))
    got = vectors_in_context(vectors[shuffled], quotes.iloc[shuffled].reset_index(drop=True), turns, 0.5, 2)
    np.testing.assert_allclose(got, expected[shuffled], atol=1e-6)


def test_units_of_one_turn_are_ordered_by_where_they_start():
    quotes = pd.DataFrame({schema.TRANSCRIPT_ID: ["a", "a", "a"], schema.TURN: [2, 1, 1],
                           schema.CHAR_START: [0, 40, 0]})
    assert reading_order(quotes).tolist() == [2, 1, 0]


@pytest.mark.parametrize("weight, window", [(0.0, 2), (0.5, 0)])
def test_weight_or_window_zero_leaves_the_vectors_as_they_are(weight, window):
    quotes, turns = _interview()
    vectors = _random_unit_vectors(len(quotes))
    out = vectors_in_context(vectors, quotes, turns, weight, window)
    np.testing.assert_array_equal(out, vectors)
    assert out is not vectors


def test_a_wider_window_reaches_further():
    vectors = np.eye(4, dtype=np.float32)
    blocks, order = np.zeros(4, dtype=int), np.arange(4)
    assert blend_neighbours(vectors, blocks, order, 0.5, 2)[0, 3] == 0
    assert blend_neighbours(vectors, blocks, order, 0.5, 3)[0, 3] > 0

"""Each team's decision point and reason: tied to the dilemma it resolves, not only to what is near."""
import numpy as np
import pandas as pd

from pipeline import schema
from pipeline.dilemmas.decisions import decision_points

# Three directions of meaning: the phone queue, spending limits, small talk.
PHONES, SPENDING, OTHER = np.eye(3)


def _conversation(units):
    """One team's conversation: (vector, dilemma id, decision score, rationale score) per quote unit.

    The units of a dilemma are flagged as such with a dilemma score of 0.8; the others score 0.1.
    """
    rows = [{schema.QUOTE_ID: f"q{i}", schema.TRANSCRIPT_ID: "t1", schema.TEAM: "housing", schema.TEXT: f"unit {i}",
             schema.IS_DILEMMA: int(bool(dilemma)), schema.DILEMMA_SCORE: 0.8 if dilemma else 0.1,
             schema.IS_DECISION: int(decision >= 0.5), schema.DECISION_SCORE: decision,
             schema.IS_RATIONALE: int(rationale >= 0.5), schema.RATIONALE_SCORE: rationale,
             schema.RATIONALE_QUOTE_ID: ""} for i, (_, dilemma, decision, rationale) in enumerate(units)]
    vectors = np.array([vector for vector, *_ in units], dtype=float)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    return pd.DataFrame(rows), vectors, pd.Series([dilemma for _, dilemma, *_ in units], dtype=object)


def test_the_decision_point_is_the_decision_about_the_dilemma_not_the_likeliest_one_nearby():
    quotes, vectors, dilemma_of = _conversation([
        (PHONES, "D1", 0.1, 0.1),          # the dilemma: answer the phones or do the casework
        (PHONES + 0.1 * OTHER, "", 0.6, 0.1),  # "so we set up a duty rota"
        (OTHER, "", 0.1, 0.1),
        (SPENDING, "", 0.9, 0.1),          # "officers can now spend up to 250 pounds": another dilemma's decision
    ])
    table = decision_points(quotes, vectors, dilemma_of, window=8)
    assert table[schema.DECISION_QUOTE_ID].tolist() == ["q1"]
    assert table[schema.DECISION_SCORE].tolist() == [0.6]


def test_a_decision_out_of_the_window_or_not_flagged_is_no_decision_point():
    quotes, vectors, dilemma_of = _conversation([
        (PHONES, "D1", 0.1, 0.1),
        (PHONES, "", 0.4, 0.1),            # about the dilemma, but not flagged
        (OTHER, "", 0.1, 0.1),
        (PHONES, "", 0.9, 0.1),            # flagged, but three units away
    ])
    table = decision_points(quotes, vectors, dilemma_of, window=2)
    assert table[schema.DECISION_QUOTE_ID].tolist() == [""]
    assert table[schema.RATIONALE_QUOTE_ID].tolist() == [""]


def test_the_reason_is_the_likeliest_rationale_about_the_dilemma_even_when_another_is_paired():
    quotes, vectors, dilemma_of = _conversation([
        (PHONES, "D1", 0.1, 0.1),
        (PHONES, "", 0.9, 0.1),            # the decision
        (SPENDING, "", 0.1, 0.95),         # a reason, for something else
        (PHONES + 0.2 * OTHER, "", 0.1, 0.7),  # "because every call you don't pick up turns into two"
    ])
    quotes.loc[1, schema.RATIONALE_QUOTE_ID] = "q2"  # the detector paired the nearest "because"
    table = decision_points(quotes, vectors, dilemma_of, window=8)
    assert table[[schema.DECISION_QUOTE_ID, schema.RATIONALE_QUOTE_ID]].values.tolist() == [["q1", "q3"]]


def test_a_paired_rationale_out_of_the_window_is_still_a_candidate():
    quotes, vectors, dilemma_of = _conversation([
        (PHONES, "D1", 0.1, 0.1),
        (PHONES, "", 0.9, 0.1),
        (OTHER, "", 0.1, 0.1),
        (PHONES, "", 0.1, 0.3),            # not flagged, out of the window, but the decision's paired reason
    ])
    quotes.loc[1, schema.RATIONALE_QUOTE_ID] = "q3"
    table = decision_points(quotes, vectors, dilemma_of, window=1)
    assert table[schema.RATIONALE_QUOTE_ID].tolist() == ["q3"]


def test_each_team_row_names_the_conversation_that_dwells_on_the_dilemma_most():
    first, vectors_1, dilemmas_1 = _conversation([(PHONES, "D1", 0.1, 0.1), (PHONES, "", 0.9, 0.1)])
    second, vectors_2, dilemmas_2 = _conversation([(PHONES, "D1", 0.1, 0.1), (PHONES, "D1", 0.1, 0.1),
                                                    (PHONES, "", 0.8, 0.1)])
    second[schema.TRANSCRIPT_ID] = "t2"
    second[schema.QUOTE_ID] = ["r0", "r1", "r2"]
    quotes = pd.concat([first, second], ignore_index=True)
    table = decision_points(quotes, np.vstack([vectors_1, vectors_2]),
                            pd.concat([dilemmas_1, dilemmas_2], ignore_index=True), window=8)
    assert table[[schema.TRANSCRIPT_ID, schema.DECISION_QUOTE_ID]].values.tolist() == [["t2", "r2"]]


def test_the_dilemma_as_voiced_is_the_unit_that_voices_the_tension_not_the_most_central_one():
    quotes, vectors, dilemma_of = _conversation([
        (PHONES, "D1", 0.1, 0.1),                  # "It is a good idea. Everyone loved it.": the matter, no tension
        (PHONES + 0.3 * OTHER, "D1", 0.1, 0.1),    # "But equally the person on the phone is frightened"
        (SPENDING, "", 0.9, 0.1),
    ])
    quotes.loc[1, schema.DILEMMA_SCORE] = 0.95
    table = decision_points(quotes, vectors, dilemma_of, window=8)
    assert table[schema.DILEMMA_QUOTE_ID].tolist() == ["q1"]


def test_with_flags_alone_the_dilemma_as_voiced_is_its_most_central_unit():
    quotes, vectors, dilemma_of = _conversation([
        (PHONES + 0.5 * SPENDING, "D1", 0.1, 0.1),
        (PHONES, "D1", 0.1, 0.1),
        (PHONES + 0.4 * OTHER, "D1", 0.1, 0.1),
    ])
    table = decision_points(quotes.drop(columns=[schema.DILEMMA_SCORE]), vectors, dilemma_of, window=8)
    assert table[schema.DILEMMA_QUOTE_ID].tolist() == ["q1"]


def _asked(quotes, *rows):
    """Mark units as the first of an answer to "So what did you do?" (the signals stage's cue)."""
    quotes[schema.CUES] = ""
    for row in rows:
        quotes.loc[row, schema.CUES] = "decision:answers_change"
        quotes.loc[row, schema.IS_DECISION] = 1
    return quotes


def test_the_answer_to_what_did_you_do_is_the_decision_point_however_far_and_however_scored():
    quotes, vectors, dilemma_of = _conversation([
        (PHONES, "D1", 0.1, 0.1),          # the dilemma
        (PHONES, "", 0.75, 0.1),           # flagged, near: "we talked about a duty rota"
        *[(OTHER, "", 0.1, 0.1)] * 10,
        (PHONES, "", 0.05, 0.1),           # "So what did you do?" - "We kept the phones, mornings only."
    ])
    quotes = _asked(quotes, 12)
    assert decision_points(quotes, vectors, dilemma_of, window=8, asked_score=0.7)[
        schema.DECISION_QUOTE_ID].tolist() == ["q1"]  # scored at the threshold, the surer flagged one still wins
    quotes.loc[1, [schema.DECISION_SCORE, schema.IS_DECISION]] = [0.6, 1]
    table = decision_points(quotes, vectors, dilemma_of, window=8, asked_score=0.7)
    assert table[schema.DECISION_QUOTE_ID].tolist() == ["q12"]
    assert table[schema.DECISION_SCORE].tolist() == [0.05]  # the detector's own score, as it is


def test_of_two_answers_to_what_did_you_do_each_dilemma_takes_the_one_about_it():
    quotes, vectors, dilemma_of = _conversation([
        (PHONES, "D1", 0.1, 0.1),
        (OTHER, "", 0.1, 0.1),
        (SPENDING + 0.3 * PHONES, "", 0.1, 0.1),   # the answer about spending limits
        (SPENDING, "D2", 0.1, 0.1),
        (OTHER, "", 0.1, 0.1),
        (PHONES + 0.3 * SPENDING, "", 0.1, 0.1),   # the answer about the phones
    ])
    quotes = _asked(quotes, 2, 5)
    table = decision_points(quotes, vectors, dilemma_of, window=8, asked_score=0.7)
    assert dict(zip(table[schema.DILEMMA_ID], table[schema.DECISION_QUOTE_ID])) == {"D1": "q5", "D2": "q2"}


def _principles(quotes, *rows):
    """Mark units as stating a principle (the signals stage's `rationale:principle` cue)."""
    if schema.CUES not in quotes:
        quotes[schema.CUES] = ""
    for row in rows:
        quotes.loc[row, schema.CUES] = "rationale:principle"
    return quotes


def test_a_principle_near_the_decision_is_its_reason_before_a_likelier_rationale():
    quotes, vectors, dilemma_of = _conversation([
        (PHONES, "D1", 0.1, 0.1),
        (PHONES, "", 0.9, 0.1),                # the decision
        (PHONES, "", 0.1, 0.95),               # "because the calls took three times as long"
        (PHONES + 0.3 * OTHER, "", 0.1, 0.2),  # "people who can't get online still need a person to pick up"
    ])
    assert decision_points(quotes, vectors, dilemma_of, window=8)[schema.RATIONALE_QUOTE_ID].tolist() == ["q2"]
    table = decision_points(_principles(quotes, 3), vectors, dilemma_of, window=8)
    assert table[schema.RATIONALE_QUOTE_ID].tolist() == ["q3"]


def test_a_principle_told_far_from_the_decision_is_its_reason_when_it_bears_on_that_dilemma():
    quotes, vectors, dilemma_of = _conversation([
        (PHONES, "D1", 0.1, 0.1),
        (PHONES, "", 0.9, 0.1),
        (PHONES, "", 0.1, 0.95),
        *[(OTHER, "", 0.1, 0.1)] * 10,
        (PHONES + 0.2 * OTHER, "", 0.1, 0.1),  # asked at the end what others should learn
    ])
    quotes = _principles(quotes, 13)
    assert decision_points(quotes, vectors, dilemma_of, window=8)[schema.RATIONALE_QUOTE_ID].tolist() == ["q13"]
    # Too loosely linked to the dilemma: the reason told with the decision stays.
    table = decision_points(quotes, vectors, dilemma_of, window=8, principle_min_link=1.01)
    assert table[schema.RATIONALE_QUOTE_ID].tolist() == ["q2"]


def test_a_principle_told_far_away_goes_to_the_dilemma_it_bears_on_not_to_every_dilemma():
    quotes, vectors, dilemma_of = _conversation([
        (PHONES, "D1", 0.1, 0.1),
        (PHONES, "", 0.9, 0.1),
        (PHONES, "", 0.1, 0.95),
        *[(OTHER, "", 0.1, 0.1)] * 10,
        (SPENDING, "D2", 0.1, 0.1),
        (SPENDING, "", 0.9, 0.1),
        (SPENDING, "", 0.1, 0.95),
        *[(OTHER, "", 0.1, 0.1)] * 10,
        (SPENDING + 0.6 * PHONES, "", 0.1, 0.1),  # "staff who know the case should make the call": spending
    ])
    quotes = _principles(quotes, 26)
    table = decision_points(quotes, vectors, dilemma_of, window=8, principle_min_link=0.3)
    assert dict(zip(table[schema.DILEMMA_ID], table[schema.RATIONALE_QUOTE_ID])) == {"D1": "q2", "D2": "q26"}


def test_a_dilemma_unit_that_states_a_principle_is_the_reason_and_another_voices_the_dilemma():
    quotes, vectors, dilemma_of = _conversation([
        (PHONES, "D1", 0.1, 0.1),              # "the phones or the casework, that's the choice"
        (PHONES, "", 0.9, 0.1),                # the decision
        (PHONES + 0.1 * OTHER, "", 0.1, 0.9),  # "because the calls took three times as long"
        (PHONES, "D1", 0.1, 0.1),              # "if you can't get online you should still reach a person"
    ])
    quotes.loc[3, schema.DILEMMA_SCORE] = 0.9  # it reads as the tension, by the detector
    assert decision_points(quotes, vectors, dilemma_of, window=8)[
        [schema.DILEMMA_QUOTE_ID, schema.RATIONALE_QUOTE_ID]].values.tolist() == [["q3", "q2"]]
    table = decision_points(_principles(quotes, 3), vectors, dilemma_of, window=8)
    assert table[[schema.DILEMMA_QUOTE_ID, schema.RATIONALE_QUOTE_ID]].values.tolist() == [["q0", "q3"]]


def test_another_unit_that_tells_what_the_team_did_is_no_reason():
    quotes, vectors, dilemma_of = _conversation([
        (PHONES, "D1", 0.1, 0.1),
        (PHONES, "", 0.9, 0.1),                 # the decision
        (PHONES, "", 0.6, 0.95),                # "and we changed the notice, because ..." : what they did
        (PHONES + 0.2 * OTHER, "", 0.1, 0.7),   # "because every call you don't pick up turns into two"
    ])
    table = decision_points(quotes, vectors, dilemma_of, window=8)
    assert table[[schema.DECISION_QUOTE_ID, schema.RATIONALE_QUOTE_ID]].values.tolist() == [["q1", "q3"]]
    # Unless it states a principle: then it is the reason that travels.
    table = decision_points(_principles(quotes, 2), vectors, dilemma_of, window=8)
    assert table[schema.RATIONALE_QUOTE_ID].tolist() == ["q2"]


def test_a_reason_named_as_such_comes_before_a_likelier_because():
    quotes, vectors, dilemma_of = _conversation([
        (PHONES, "D1", 0.1, 0.1),
        (PHONES, "", 0.9, 0.1),                 # the decision
        (PHONES, "", 0.1, 0.95),                # "because it was a mess, honestly"
        (PHONES + 0.2 * OTHER, "", 0.1, 0.7),   # "if you want the official reason, it was the complaints"
        (OTHER, "", 0.1, 0.1),
    ])
    quotes[schema.CUES] = ["", "", "rationale:because", "rationale:the_reason", ""]
    assert decision_points(quotes, vectors, dilemma_of, window=8)[schema.RATIONALE_QUOTE_ID].tolist() == ["q3"]
    quotes.loc[3, schema.CUES] = "rationale:because"
    assert decision_points(quotes, vectors, dilemma_of, window=8)[schema.RATIONALE_QUOTE_ID].tolist() == ["q2"]
    # A principle still comes first, however the detector scores it.
    quotes.loc[2, [schema.CUES, schema.RATIONALE_SCORE, schema.IS_RATIONALE]] = ["rationale:principle", 0.1, 0]
    quotes.loc[3, schema.CUES] = "rationale:thats_why"
    assert decision_points(quotes, vectors, dilemma_of, window=8)[schema.RATIONALE_QUOTE_ID].tolist() == ["q2"]


def test_where_only_a_principle_voices_the_dilemma_in_a_conversation_it_voices_it():
    quotes, vectors, dilemma_of = _conversation([
        (PHONES, "D1", 0.1, 0.1),              # "people who can't get online should still reach a person"
        (PHONES, "", 0.9, 0.1),
        (PHONES + 0.1 * OTHER, "", 0.1, 0.9),
    ])
    table = decision_points(_principles(quotes, 0), vectors, dilemma_of, window=8)
    assert table[[schema.DILEMMA_QUOTE_ID, schema.DECISION_QUOTE_ID, schema.RATIONALE_QUOTE_ID]].values.tolist() == [
        ["q0", "q1", "q2"]]


def test_without_a_paired_rationale_column_the_reason_is_still_found():
    quotes, vectors, dilemma_of = _conversation([
        (PHONES, "D1", 0.1, 0.1),
        (PHONES, "", 0.9, 0.1),
        (PHONES + 0.2 * OTHER, "", 0.1, 0.8),
    ])
    table = decision_points(quotes.drop(columns=[schema.RATIONALE_QUOTE_ID]), vectors, dilemma_of, window=8)
    assert table[[schema.DECISION_QUOTE_ID, schema.RATIONALE_QUOTE_ID]].values.tolist() == [["q1", "q2"]]


def test_by_default_an_answer_to_what_did_you_do_counts_as_a_sure_decision_and_no_more():
    quotes, vectors, dilemma_of = _conversation([
        (PHONES, "D1", 0.1, 0.1),
        (PHONES, "", 0.9, 0.1),                   # flagged, about the phones
        (OTHER, "", 0.1, 0.1),
        (PHONES + 1.0 * OTHER, "", 0.05, 0.1),    # the answer to "So what did you do?", half about the phones
    ])
    table = decision_points(_asked(quotes, 3), vectors, dilemma_of, window=8)
    assert table[schema.DECISION_QUOTE_ID].tolist() == ["q1"]


def test_of_two_rationales_equally_about_the_dilemma_the_likelier_is_the_reason():
    quotes, vectors, dilemma_of = _conversation([
        (PHONES, "D1", 0.1, 0.1),
        (PHONES, "", 0.9, 0.1),
        (PHONES, "", 0.1, 0.6),                   # nearer the decision, less likely a reason
        (PHONES, "", 0.1, 0.9),
    ])
    assert decision_points(quotes, vectors, dilemma_of, window=8)[schema.RATIONALE_QUOTE_ID].tolist() == ["q3"]


def test_the_conversation_that_dwells_on_the_dilemma_most_is_read_whatever_its_name():
    first, vectors_1, dilemmas_1 = _conversation([(PHONES, "D1", 0.1, 0.1), (PHONES, "D1", 0.1, 0.1),
                                                   (PHONES, "", 0.9, 0.1)])
    first[schema.TRANSCRIPT_ID] = "a-first"
    second, vectors_2, dilemmas_2 = _conversation([(PHONES, "D1", 0.1, 0.1), (PHONES, "", 0.8, 0.1)])
    second[schema.TRANSCRIPT_ID] = "z-second"
    second[schema.QUOTE_ID] = ["r0", "r1"]
    quotes = pd.concat([first, second], ignore_index=True)
    table = decision_points(quotes, np.vstack([vectors_1, vectors_2]),
                            pd.concat([dilemmas_1, dilemmas_2], ignore_index=True), window=8)
    assert table[[schema.TRANSCRIPT_ID, schema.DECISION_QUOTE_ID]].values.tolist() == [["a-first", "q2"]]


def test_at_equal_score_the_dilemma_is_voiced_by_its_telling_nearest_the_decision_else_the_first():
    quotes, vectors, dilemma_of = _conversation([
        (PHONES, "D1", 0.1, 0.1),
        (PHONES, "D1", 0.1, 0.1),
        (PHONES, "", 0.9, 0.1),
    ])
    assert decision_points(quotes, vectors, dilemma_of, window=8)[schema.DILEMMA_QUOTE_ID].tolist() == ["q1"]
    no_decision = quotes.assign(**{schema.IS_DECISION: 0})
    assert decision_points(no_decision, vectors, dilemma_of, window=8)[schema.DILEMMA_QUOTE_ID].tolist() == ["q0"]


def test_a_row_reads_as_one_story_the_dilemma_voiced_near_its_decision():
    quotes, vectors, dilemma_of = _conversation([
        (PHONES, "D1", 0.1, 0.1),          # told plainly at the start of a long meeting
        *[(OTHER, "", 0.1, 0.1)] * 20,
        (PHONES, "D1", 0.1, 0.1),          # told again, just before what they decided
        (PHONES, "", 0.9, 0.1),
    ])
    quotes.loc[0, schema.DILEMMA_SCORE] = 0.95
    table = decision_points(quotes, vectors, dilemma_of, window=8)
    assert table[[schema.DILEMMA_QUOTE_ID, schema.DECISION_QUOTE_ID]].values.tolist() == [["q21", "q22"]]


def test_a_unit_of_the_dilemma_is_not_its_decision_point_however_it_scores():
    quotes, vectors, dilemma_of = _conversation([
        (PHONES, "D1", 0.1, 0.1),
        (PHONES, "D1", 0.95, 0.1),                # "we had to choose, so we chose the phones": flagged both ways
        (PHONES + 0.2 * OTHER, "", 0.7, 0.1),
    ])
    quotes.loc[1, schema.DILEMMA_SCORE] = 0.5     # the other voices the tension more plainly
    table = decision_points(quotes, vectors, dilemma_of, window=8)
    assert table[[schema.DILEMMA_QUOTE_ID, schema.DECISION_QUOTE_ID]].values.tolist() == [["q0", "q2"]]


def test_the_reasons_window_is_counted_from_the_decision_wherever_it_is_told():
    quotes, vectors, dilemma_of = _conversation([
        *[(OTHER, "", 0.1, 0.1)] * 10,
        (PHONES, "D1", 0.1, 0.1),
        (PHONES, "", 0.9, 0.1),                   # the decision, eleventh unit
        (OTHER, "", 0.1, 0.1),
        (PHONES, "", 0.1, 0.8),                   # two units after it: in a window of two
        (PHONES, "", 0.1, 0.9),                   # three units after it: out
    ])
    table = decision_points(quotes, vectors, dilemma_of, window=2)
    assert table[[schema.DECISION_QUOTE_ID, schema.RATIONALE_QUOTE_ID]].values.tolist() == [["q11", "q13"]]


def test_a_principle_as_close_to_the_dilemma_as_the_least_link_asked_is_taken():
    quotes, vectors, dilemma_of = _conversation([
        (PHONES, "D1", 0.1, 0.1),
        (PHONES, "", 0.9, 0.1),
        (PHONES + 0.2 * OTHER, "", 0.1, 0.95),
        *[(OTHER, "", 0.1, 0.1)] * 10,
        (PHONES, "", 0.1, 0.1),                   # the principle, as near the dilemma as any unit: link 1
    ])
    quotes = _principles(quotes, 13)
    table = decision_points(quotes, vectors, dilemma_of, window=8, principle_min_link=1.0)
    assert table[schema.RATIONALE_QUOTE_ID].tolist() == ["q13"]


def test_a_decision_without_a_reason_leaves_the_reason_empty_and_its_score_is_rounded():
    quotes, vectors, dilemma_of = _conversation([
        (PHONES, "D1", 0.1, 0.1),
        (PHONES, "", 0.876543, 0.1),
    ])
    table = decision_points(quotes, vectors, dilemma_of, window=8)
    assert table[[schema.DECISION_QUOTE_ID, schema.RATIONALE_QUOTE_ID, schema.DECISION_SCORE]].values.tolist() == [
        ["q1", "", 0.8765]]
    no_decision = decision_points(quotes.assign(**{schema.IS_DECISION: 0}), vectors, dilemma_of, window=8)
    assert no_decision[schema.DECISION_QUOTE_ID].tolist() == [""]
    assert no_decision[schema.DECISION_SCORE].isna().all()  # a missing number, so the column compares as numbers


def test_rows_come_in_dilemma_order_by_number_then_team_with_the_files_columns():
    quotes, vectors, dilemma_of = _conversation([
        (SPENDING, "D10", 0.1, 0.1),
        (PHONES, "D2", 0.1, 0.1),
    ])
    table = decision_points(quotes, vectors, dilemma_of, window=8)
    assert list(table.columns) == schema.DILEMMA_DECISION_COLUMNS
    assert table[schema.DILEMMA_ID].tolist() == ["D2", "D10"]
    assert table.index.tolist() == [0, 1]
    empty = decision_points(quotes, vectors, pd.Series([""] * 2, dtype=object), window=8)
    assert empty.empty and list(empty.columns) == schema.DILEMMA_DECISION_COLUMNS

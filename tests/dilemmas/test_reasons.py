"""Common ground: the reasons several teams gave behind decisions on different dilemmas."""
import dataclasses

import numpy as np
import pandas as pd

from pipeline import schema
from pipeline.config import load_config
from pipeline.dilemmas.reasons import common_ground

CONFIG = load_config().dilemmas

# Directions of meaning: "people who cannot get online must still reach a person",
# "the staff closest to the work should decide", and unrelated talk.
OFFLINE, CLOSEST, OTHER = np.eye(3)


def _rows(reasons):
    """(team, dilemma id, reason vector or None) per dilemma_decisions row; the reason units and that table."""
    quotes, vectors, table = [], [], []
    for n, (team, dilemma, vector) in enumerate(reasons):
        quote_id = ""
        if vector is not None:
            quote_id = f"r{n}"
            quotes.append({schema.QUOTE_ID: quote_id, schema.TEAM: team, schema.TEXT: f"reason {n}"})
            vectors.append(vector)
        table.append({schema.DILEMMA_ID: dilemma, schema.TEAM: team, schema.RATIONALE_QUOTE_ID: quote_id})
    vectors = np.array(vectors, dtype=float)
    return pd.DataFrame(quotes), vectors / np.linalg.norm(vectors, axis=1, keepdims=True), pd.DataFrame(table)


def test_a_reason_three_teams_gave_over_two_dilemmas_is_common_ground_with_its_most_central_statement():
    quotes, vectors, decisions = _rows([
        ("housing", "D1", OFFLINE + 0.1 * OTHER),
        ("revenues", "D1", OFFLINE),
        ("contact_centre", "D2", OFFLINE + 0.05 * CLOSEST),
        ("waste", "D3", OTHER),
    ])
    ground = common_ground(quotes, vectors, decisions, CONFIG)
    assert ground[schema.GROUND_ID].tolist() == ["G1"]
    row = ground.iloc[0]
    assert row[schema.STATEMENT] == "reason 1"  # the most central reason, verbatim
    assert row[schema.N_TEAMS] == 3 and row[schema.TEAMS] == "contact_centre; housing; revenues"
    assert row[schema.DILEMMA_IDS] == "D1; D2"
    assert row[schema.QUOTE_IDS].split("; ")[0] == "r1" and sorted(row[schema.QUOTE_IDS].split("; ")) == \
        ["r0", "r1", "r2"]


def test_a_reason_shared_within_one_dilemma_or_by_two_teams_is_no_common_ground():
    one_dilemma = _rows([(team, "D1", OFFLINE) for team in ("housing", "revenues", "waste")])
    two_teams = _rows([("housing", "D1", CLOSEST), ("revenues", "D2", CLOSEST), ("housing", "D3", CLOSEST)])
    assert common_ground(*one_dilemma, CONFIG).empty
    assert common_ground(*two_teams, CONFIG).empty
    looser = dataclasses.replace(CONFIG, ground_min_teams=2, ground_min_dilemmas=1)
    assert len(common_ground(*one_dilemma, looser)) == len(common_ground(*two_teams, looser)) == 1


def test_rows_without_a_reason_are_skipped_and_different_reasons_do_not_group():
    quotes, vectors, decisions = _rows([
        ("housing", "D1", OFFLINE), ("revenues", "D2", CLOSEST), ("waste", "D3", None), ("digital", "D1", OTHER),
    ])
    assert common_ground(quotes, vectors, decisions, CONFIG).empty


def test_the_broadest_ground_comes_first():
    quotes, vectors, decisions = _rows(
        [(team, dilemma, CLOSEST) for team, dilemma in (("a", "D1"), ("b", "D2"), ("c", "D1"))]
        + [(team, dilemma, OFFLINE) for team, dilemma in (("a", "D1"), ("b", "D2"), ("c", "D3"), ("d", "D2"))])
    ground = common_ground(quotes, vectors, decisions, CONFIG)
    assert ground[schema.N_TEAMS].tolist() == [4, 3]
    assert ground[schema.GROUND_ID].tolist() == ["G1", "G2"]


def _stating(quotes, principles):
    """The reason units with the principle each states ("" for none), as the signals stage keeps it."""
    return quotes.assign(**{schema.PRINCIPLE: principles})


def test_only_reasons_that_state_a_principle_are_compared_and_the_statement_is_that_sentence():
    quotes, vectors, decisions = _rows([
        ("housing", "D1", OFFLINE), ("revenues", "D2", OFFLINE), ("waste", "D3", OFFLINE), ("digital", "D1", OFFLINE),
    ])
    stated = _stating(quotes, ["", "They should reach a person.", "A person should answer.", "People should be heard."])
    ground = common_ground(stated, vectors, decisions, CONFIG)
    assert ground[schema.N_TEAMS].tolist() == [3]  # housing's reason is a story, not a principle
    assert ground[schema.STATEMENT].iloc[0] in {"They should reach a person.", "A person should answer.",
                                               "People should be heard."}
    assert "r0" not in ground[schema.QUOTE_IDS].iloc[0]
    assert common_ground(_stating(quotes, [""] * 4), vectors, decisions, CONFIG).empty


def test_principles_are_compared_as_their_own_sentences_not_as_the_units_around_them():
    # The units read alike (all about the phones), the principles they state do not, and vice versa.
    quotes, vectors, decisions = _rows([
        ("housing", "D1", OFFLINE), ("revenues", "D2", OFFLINE), ("waste", "D3", OFFLINE),
    ])
    stated = _stating(quotes, ["Staff should decide.", "Residents should reach a person.", "Targets should go."])
    meaning = {"Staff should decide.": CLOSEST, "Residents should reach a person.": OFFLINE,
               "Targets should go.": OTHER}
    seen = []

    def encode(texts):
        seen.extend(texts)
        return np.array([meaning[text] for text in texts])

    assert common_ground(stated, vectors, decisions, CONFIG, encode).empty
    assert sorted(seen) == sorted(meaning)
    assert len(common_ground(stated, vectors, decisions, CONFIG)) == 1  # read as their units, they would group
    alike = _stating(quotes, ["Staff should decide."] * 3)
    assert len(common_ground(alike, np.array([CLOSEST, OFFLINE, OTHER]), decisions, CONFIG, encode)) == 1


def test_no_common_ground_is_still_a_table_with_the_files_columns():
    ground = common_ground(*_rows([("housing", "D1", OFFLINE), ("revenues", "D2", CLOSEST)]), CONFIG)
    assert ground.empty and list(ground.columns) == schema.COMMON_GROUND_COLUMNS


def test_a_reason_whose_principle_cell_is_missing_states_none():
    # A quote table read back from a CSV gives NaN where the column was left empty.
    quotes, vectors, decisions = _rows([("housing", "D1", OFFLINE), ("revenues", "D2", OFFLINE),
                                        ("waste", "D3", OFFLINE)])
    stated = _stating(quotes, [np.nan, "A person should answer.", "People should reach a person."])
    assert common_ground(stated, vectors, decisions, CONFIG).empty


def test_a_group_that_falls_short_does_not_stop_the_search_and_dilemmas_are_listed_by_number():
    quotes, vectors, decisions = _rows([
        ("waste", "D3", OTHER),                   # first said, and alone
        ("housing", "D10", OFFLINE), ("revenues", "D2", OFFLINE), ("contact_centre", "D10", OFFLINE),
    ])
    ground = common_ground(quotes, vectors, decisions, CONFIG)
    assert ground[schema.DILEMMA_IDS].tolist() == ["D2; D10"]


def test_at_equal_breadth_the_ground_over_more_dilemmas_comes_first():
    quotes, vectors, decisions = _rows(
        [(team, dilemma, CLOSEST) for team, dilemma in (("a", "D1"), ("b", "D2"), ("c", "D1"))]
        + [(team, dilemma, OFFLINE) for team, dilemma in (("a", "D1"), ("b", "D2"), ("c", "D3"))])
    ground = common_ground(quotes, vectors, decisions, CONFIG)
    assert ground[schema.DILEMMA_IDS].tolist() == ["D1; D2; D3", "D1; D2"]

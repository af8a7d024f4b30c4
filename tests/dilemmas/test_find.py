"""The dilemmas stage as a whole: what forms a dilemma, and what the common ground compares."""
import numpy as np
import pandas as pd

from pipeline import schema
from pipeline.config import load_config
from pipeline.dilemmas import find_dilemmas

CONFIG = load_config()


def _quotes(themes, dilemma, teams):
    return pd.DataFrame([{schema.QUOTE_ID: f"q{i}", schema.TRANSCRIPT_ID: f"t-{team}", schema.TEAM: team,
                          schema.TEXT: "We could do this, but then that.", schema.THEME_ID: theme,
                          schema.IS_DILEMMA: int(flag), schema.IS_DECISION: 0, schema.IS_RATIONALE: 0,
                          schema.RATIONALE_QUOTE_ID: ""}
                         for i, (theme, flag, team) in enumerate(zip(themes, dilemma, teams))])


def _themes(scaffolding):
    return pd.DataFrame({schema.THEME_ID: list(range(len(scaffolding))), schema.SCAFFOLDING: scaffolding})


def test_tensions_voiced_in_the_openings_and_closings_form_no_dilemma():
    # "I'd email you, but my inbox is always full": said by three teams, in the closing talk.
    quotes = _quotes(themes=[0, 0, 0, 1, 1, 1], dilemma=[1] * 6, teams=["a", "b", "c", "a", "b", "c"])
    vectors = np.repeat(np.eye(2), 3, axis=0)
    found = find_dilemmas(quotes, vectors, CONFIG, _themes(scaffolding=[0, 1]))
    assert found.dilemmas[schema.N_TEAMS].tolist() == [3]
    assert found.dilemma_of.tolist() == ["D1"] * 3 + [""] * 3
    without_themes = find_dilemmas(quotes, vectors, CONFIG)
    assert len(without_themes.dilemmas) == 2


def test_common_ground_compares_reasons_as_said_not_as_their_dilemmas_themes():
    # Four teams, two dilemmas in two themes; each team's reason says the same thing.
    rows = []
    for team, theme in (("a", 0), ("b", 0), ("c", 1), ("d", 1)):
        for k, (dilemma, decision, rationale) in enumerate(((1, 0, 0), (0, 1, 0), (0, 0, 1))):
            rows.append({schema.QUOTE_ID: f"{team}{k}", schema.TRANSCRIPT_ID: f"t-{team}", schema.TEAM: team,
                         schema.TEXT: f"{team} {k}", schema.THEME_ID: theme, schema.IS_DILEMMA: dilemma,
                         schema.IS_DECISION: decision, schema.IS_RATIONALE: rationale,
                         schema.RATIONALE_QUOTE_ID: ""})
    quotes = pd.DataFrame(rows)
    topic = {0: np.array([1.0, 0, 0, 0]), 1: np.array([0, 1.0, 0, 0])}
    reason = np.array([0, 0, 1.0, 0])
    vectors = np.array([topic[r[schema.THEME_ID]] + (2 * reason if r[schema.IS_RATIONALE] else 0)
                        + (0.3 * np.array([0, 0, 0, 1.0]) if r[schema.IS_DECISION] else 0) for r in rows])
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    found = find_dilemmas(quotes, vectors, CONFIG, _themes(scaffolding=[0, 0]))
    assert len(found.dilemmas) == 2
    assert found.common_ground[schema.QUOTE_IDS].tolist() == ["a2; b2; c2; d2"]
    assert found.common_ground[schema.N_TEAMS].tolist() == [4]


def test_a_principle_said_in_the_closing_talk_is_no_reason():
    # "If anyone wants to know what the front line thinks, they should ask him": a principle by its
    # words, said while the conversation closes.
    rows = [(0, 1, 0, 0, ""), (0, 1, 0, 0, ""), (0, 0, 1, 0, ""), (0, 0, 0, 1, ""),
            (1, 0, 0, 1, "rationale:principle")]
    quotes = pd.DataFrame([{schema.QUOTE_ID: f"q{i}", schema.TRANSCRIPT_ID: "t", schema.TEAM: "a",
                            schema.TEXT: f"unit {i}", schema.THEME_ID: theme, schema.IS_DILEMMA: dilemma,
                            schema.IS_DECISION: decision, schema.IS_RATIONALE: rationale,
                            schema.RATIONALE_QUOTE_ID: "", schema.CUES: cues,
                            schema.PRINCIPLE: "They should ask him." if cues else ""}
                           for i, (theme, dilemma, decision, rationale, cues) in enumerate(rows)])
    vectors = np.array([[1.0, 0.1 * i] for i in range(5)])
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    assert find_dilemmas(quotes, vectors, CONFIG).decisions[schema.RATIONALE_QUOTE_ID].tolist() == ["q4"]
    closing = find_dilemmas(quotes, vectors, CONFIG, _themes(scaffolding=[0, 1]))
    assert closing.decisions[schema.RATIONALE_QUOTE_ID].tolist() == ["q3"]
    assert quotes[schema.CUES].iloc[4] == "rationale:principle"  # the caller's table is left as it was

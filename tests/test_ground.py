import numpy as np
import pandas as pd
import pytest

from pipeline import schema
from pipeline.config import load_config
from pipeline.ground import common_ground_scores, pair_decisions, summarise_theme, summarise_themes


def test_a_theme_every_team_raises_outranks_a_bigger_one_team_theme():
    sizes = pd.Series({"a": 3, "b": 3, "c": 3, "d": 3})
    coverage = pd.DataFrame({"a": [1, 3], "b": [1, 0], "c": [1, 0], "d": [1, 0]}, index=["broad", "big"])
    scores = common_ground_scores(coverage, sizes, smoothing=1.0)
    assert scores["broad"] > scores["big"]


def test_scores_span_zero_to_one():
    sizes = pd.Series({"a": 2, "b": 5})
    coverage = pd.DataFrame({"a": [2, 0], "b": [5, 0]}, index=["all", "none"])
    scores = common_ground_scores(coverage, sizes, smoothing=1.0)
    assert scores["all"] == 1.0 and scores["none"] == 0.0


def test_smoothing_keeps_a_one_person_team_from_vetoing():
    sizes = pd.Series({"big": 10, "solo": 1})
    with_solo = common_ground_scores(pd.DataFrame({"big": [10], "solo": [0]}), sizes, 1.0)[0]
    assert with_solo > 0.4


def test_scores_are_the_rescaled_geometric_mean_of_smoothed_coverage():
    # Teams of unequal size, so that floor and ceiling too differ between a geometric and an
    # arithmetic mean. With a = 1 the shares are (s + 1) / (S + 2). For "a alone":
    # raw = (3/4 * 1/6 * 1/3)^(1/3), floor = (1/4 * 1/6 * 1/3)^(1/3), ceiling = (3/4 * 5/6 * 2/3)^(1/3),
    # so (raw - floor) / (ceiling - floor) = 0.2099. The arithmetic mean would give 0.3333.
    sizes = pd.Series({"a": 2, "b": 4, "c": 1})
    coverage = pd.DataFrame({"a": [2, 0, 2, 1, 2, 0], "b": [0, 4, 4, 2, 4, 0], "c": [0, 0, 0, 1, 1, 0]},
                            index=["a alone", "b alone", "a and b", "half of each", "everyone", "no one"])
    scores = common_ground_scores(coverage, sizes, smoothing=1.0)
    assert scores.to_dict() == {"a alone": 0.2099, "b alone": 0.3369, "a and b": 0.6958,
                                "half of each": 0.6119, "everyone": 1.0, "no one": 0.0}


def _quotes():
    rows = []
    for i, (team, transcript, theme, dil, dec) in enumerate([
        ("a", "t1", 0, 1, 0), ("a", "t1", 0, 0, 1), ("b", "t2", 0, 1, 0), ("c", "t3", 0, 0, 0),
        ("a", "t1", 1, 0, 0), ("a", "t4", 1, 0, 0), ("a", "t4", 1, 0, 0), ("b", "t2", -1, 0, 0),
    ]):
        rows.append({schema.QUOTE_ID: f"q{i}", schema.THEME_ID: theme, schema.TEAM: team,
                     schema.TRANSCRIPT_ID: transcript, schema.SPEAKER: f"P{transcript}", schema.TURN: i,
                     schema.IS_DILEMMA: dil, schema.IS_DECISION: dec, schema.RATIONALE_QUOTE_ID: "",
                     schema.TEXT: f"quote {i}"})
    return pd.DataFrame(rows)


def test_theme_table_counts_orders_and_renumbers():
    quotes = _quotes()
    emb = np.eye(8, dtype=np.float32)
    centroids = {0: np.ones(8) / np.sqrt(8), 1: np.ones(8) / np.sqrt(8)}
    themes, renumbered, decisions, outliers = summarise_themes(
        quotes, emb, {0: ["k0"], 1: ["k1"]}, {0: "L0", 1: "L1"}, centroids, load_config())
    assert themes[schema.THEME_ID].tolist() == [0, 1]
    assert themes.iloc[0][schema.LABEL] == "L0" and themes.iloc[0][schema.N_TEAMS] == 3
    assert themes.iloc[0][schema.TEAMS] == "a; b; c"
    assert themes[schema.COMMON_GROUND].is_monotonic_decreasing
    assert themes.iloc[0][schema.N_DILEMMAS] == 2 and themes.iloc[0][schema.N_DECISIONS] == 1
    assert outliers == {"a": 0.0, "b": 0.5, "c": 0.0}
    assert set(themes.iloc[0][schema.REPRESENTATIVE_QUOTES]) <= set(renumbered[schema.QUOTE_ID])
    team_a = decisions[(decisions[schema.THEME_ID] == 0) & (decisions[schema.TEAM] == "a")].iloc[0]
    assert (team_a[schema.DILEMMA_QUOTE_ID], team_a[schema.DECISION_QUOTE_ID]) == ("q0", "q1")


def test_a_dilemma_without_a_decision_in_its_theme_takes_the_next_one_in_its_conversation():
    quotes = _quotes()
    quotes.loc[1, schema.THEME_ID] = 1  # the decision now sits in another theme
    emb = np.eye(8, dtype=np.float32)
    table = pair_decisions(quotes, emb, {0: np.ones(8) / np.sqrt(8)}, decision_window=3)
    row = table[table[schema.TEAM] == "a"].iloc[0]
    assert row[schema.DECISION_QUOTE_ID] == "q1"


def _conversation(team, transcript, themes, decisions, dilemmas=()):
    return pd.DataFrame([{schema.QUOTE_ID: f"{transcript}-{i}", schema.THEME_ID: theme, schema.TEAM: team,
                          schema.TRANSCRIPT_ID: transcript, schema.SPEAKER: f"P{transcript}", schema.TURN: i,
                          schema.IS_DILEMMA: int(i in dilemmas), schema.IS_DECISION: int(i in decisions),
                          schema.RATIONALE_QUOTE_ID: "", schema.TEXT: f"quote {i}"} for i, theme in enumerate(themes)])


def test_a_team_without_a_decision_in_the_theme_takes_the_most_central_one_told_nearby():
    # Team a speaks of theme 0 twice; its decisions were told around that talk but clustered
    # into theme 1 (quotes 2 and 3) or said far away (quote 9).
    quotes = _conversation("a", "t1", [0, 0, 1, 1, 1, 1, 1, 1, 1, 1], decisions={2, 3, 9})
    emb = np.eye(10, dtype=np.float32)
    centre = (emb[0] + emb[1] + 2 * emb[3] + 3 * emb[9]) / np.sqrt(15)  # quote 9 is closest, but out of reach
    table = pair_decisions(quotes, emb, {0: centre}, decision_window=2)
    assert table[schema.DECISION_QUOTE_ID].tolist() == ["t1-3"]
    assert table[schema.DILEMMA_QUOTE_ID].tolist() == [""]


def test_a_dilemma_voiced_just_before_the_talk_of_the_theme_is_the_teams_dilemma_in_it():
    quotes = _conversation("a", "t1", [1, 0, 0, 1, 1, 1, 1, 1, 1, 1], decisions={1}, dilemmas={0, 9})
    emb = np.eye(10, dtype=np.float32)
    table = pair_decisions(quotes, emb, {0: np.ones(10) / np.sqrt(10)}, decision_window=2)
    assert table[[schema.DILEMMA_QUOTE_ID, schema.DECISION_QUOTE_ID]].values.tolist() == [["t1-0", "t1-1"]]


def test_a_passing_mention_borrows_neither_dilemma_nor_decision():
    quotes = _conversation("a", "t1", [1, 0, 1, 1], decisions={2}, dilemmas={0})
    emb = np.eye(4, dtype=np.float32)
    table = pair_decisions(quotes, emb, {0: np.ones(4) / 2}, decision_window=3)
    assert table.empty


def test_a_team_of_several_conversations_shows_the_dilemma_and_decision_of_one_of_them():
    # Team a speaks of theme 0 in two meetings: its dilemma is told in t1 (three quotes), the quote
    # nearest the theme's centre flagged a decision in t2 (two quotes): the row is t1's alone.
    first = _conversation("a", "t1", [0, 0, 0, 1], decisions={3}, dilemmas={0})
    second = _conversation("a", "t2", [0, 0, 1, 1], decisions={1})
    quotes = pd.concat([first, second], ignore_index=True)
    emb = np.eye(8, dtype=np.float32)
    centre = (emb[0] + emb[1] + emb[2] + 3 * emb[5]) / np.sqrt(12)
    table = pair_decisions(quotes, emb, {0: centre}, decision_window=2)
    assert table[[schema.TRANSCRIPT_ID, schema.DILEMMA_QUOTE_ID, schema.DECISION_QUOTE_ID]].values.tolist() == [
        ["t1", "t1-0", "t1-3"]]
    # Where the conversation that speaks of the theme most tells neither, the next one does.
    quiet = pd.concat([_conversation("a", "t1", [0, 0, 0, 1, 1, 1, 1], decisions=set()), second], ignore_index=True)
    table = pair_decisions(quiet, np.eye(11, dtype=np.float32), {0: np.ones(11) / np.sqrt(11)}, decision_window=2)
    assert table[[schema.TRANSCRIPT_ID, schema.DECISION_QUOTE_ID]].values.tolist() == [["t2", "t2-1"]]


def test_a_quote_flagged_as_dilemma_and_decision_is_shown_once():
    quotes = _conversation("a", "t1", [0, 0, 1], decisions={0, 2}, dilemmas={0})
    emb = np.eye(3, dtype=np.float32)
    table = pair_decisions(quotes, emb, {0: np.ones(3) / np.sqrt(3)}, decision_window=2)
    assert table[[schema.DILEMMA_QUOTE_ID, schema.DECISION_QUOTE_ID]].values.tolist() == [["t1-0", "t1-2"]]


def test_a_decision_paired_with_its_own_sentence_shows_the_nearest_other_reason():
    quotes = _conversation("a", "t1", [0, 0, 0, 0], decisions={1}, dilemmas={0})
    quotes[schema.IS_RATIONALE] = [0, 1, 0, 1]
    quotes.loc[1, schema.RATIONALE_QUOTE_ID] = "t1-1"  # "so we stopped it, because ...": paired with itself
    emb = np.eye(4, dtype=np.float32)
    table = pair_decisions(quotes, emb, {0: np.ones(4) / 2}, decision_window=2, reason_window=2)
    assert table[schema.RATIONALE_QUOTE_ID].tolist() == ["t1-3"]
    # No other reason near it: the cell is left empty rather than repeat the decision.
    table = pair_decisions(quotes, emb, {0: np.ones(4) / 2}, decision_window=2, reason_window=1)
    assert table[schema.RATIONALE_QUOTE_ID].tolist() == [""]


def test_openings_and_closings_voiced_by_every_team_rank_after_the_substance():
    rows = []
    for team in ("a", "b", "c"):
        for unit in range(20):
            at_edge = unit < 3 or unit >= 17
            theme = 9 if at_edge else (5 if team in "ab" else 7)  # 9: small talk, 5: shared, 7: team c alone
            rows.append({schema.QUOTE_ID: f"{team}{unit}", schema.THEME_ID: theme, schema.TEAM: team,
                         schema.TRANSCRIPT_ID: f"t-{team}", schema.SPEAKER: f"P{team}", schema.TURN: unit,
                         schema.IS_DILEMMA: 0, schema.IS_DECISION: 0, schema.RATIONALE_QUOTE_ID: "",
                         schema.TEXT: f"quote {team}{unit}"})
    quotes = pd.DataFrame(rows)
    emb = np.eye(60, dtype=np.float32)
    centroids = {t: np.ones(60) / np.sqrt(60) for t in (5, 7, 9)}
    themes, renumbered, _, _ = summarise_themes(quotes, emb, {}, {5: "shared", 7: "team c", 9: "small talk"},
                                                centroids, load_config())
    assert themes[schema.LABEL].tolist() == ["shared", "team c", "small talk"]
    assert themes[schema.SCAFFOLDING].tolist() == [0, 0, 1]
    assert themes.iloc[2][schema.SCAFFOLDING_SHARE] == 1.0 and themes.iloc[2][schema.N_TEAMS] == 3
    assert themes.iloc[2][schema.COMMON_GROUND] > themes.iloc[0][schema.COMMON_GROUND]  # broader, still last
    assert renumbered.loc[renumbered[schema.QUOTE_ID] == "a0", schema.THEME_ID].item() == 2


def test_the_smoothing_enters_every_share_the_floor_and_the_ceiling():
    # a = 0.5, so that "2 * a" and "2 / a" differ. For "a alone": raw = (2.5/3 * 0.5/5 * 0.5/2)^(1/3),
    # floor = (0.5/3 * 0.5/5 * 0.5/2)^(1/3) = 0.1609, ceiling = (2.5/3 * 4.5/5 * 1.5/2)^(1/3) = 0.8255.
    sizes = pd.Series({"a": 2, "b": 4, "c": 1})
    coverage = pd.DataFrame({"a": [2, 0, 1], "b": [0, 4, 2], "c": [0, 0, 1]},
                            index=["a alone", "b alone", "half of each"])
    scores = common_ground_scores(coverage, sizes, smoothing=0.5)
    assert scores.to_dict() == {"a alone": 0.1719, "b alone": 0.2615, "half of each": 0.6191}


def test_teams_are_read_by_name_whatever_the_column_order_and_a_silent_team_counts_as_zero():
    sizes = pd.Series({"a": 2, "b": 4, "c": 1})
    in_order = pd.DataFrame({"a": [1], "b": [2], "c": [1]})
    shuffled_and_short = pd.DataFrame({"c": [1], "a": [1], "b": [2]})[["c", "a", "b"]]
    assert common_ground_scores(shuffled_and_short, sizes, 1.0).tolist() == \
        common_ground_scores(in_order, sizes, 1.0).tolist() == [0.6119]
    assert common_ground_scores(pd.DataFrame({"a": [2]}), sizes, 1.0).tolist() == [0.2099]


def test_a_smoothing_so_large_that_floor_and_ceiling_meet_scores_every_theme_one():
    # Every team's share is then 1/2 whatever it raised: the themes cannot be told apart.
    sizes = pd.Series({"a": 1, "b": 1})
    scores = common_ground_scores(pd.DataFrame({"a": [1, 0], "b": [1, 0]}), sizes, smoothing=1e17)
    assert scores.tolist() == [1.0, 1.0]


def test_a_theme_with_no_members_scores_zero():
    summary = summarise_theme(_quotes().iloc[:0], pd.Series({"a": 2, "b": 1}), load_config())
    assert summary[schema.COMMON_GROUND] == 0.0
    assert (summary[schema.N_QUOTES], summary[schema.N_TEAMS], summary[schema.SHARED]) == (0, 0, False)


def test_a_theme_is_scaffolding_only_when_more_than_the_share_lies_at_the_edges():
    config = load_config()
    assert config.themes.scaffolding_share == 0.6  # the default the share below meets exactly
    members = _quotes().iloc[:5]
    positions = pd.Series([0.0, 1.0, 0.05, 0.5, 0.5], index=members.index)  # 3 of 5 at the edges
    summary = summarise_theme(members, pd.Series({"a": 2, "b": 1, "c": 1}), config, positions)
    assert summary[schema.SCAFFOLDING_SHARE] == 0.6 and summary[schema.SCAFFOLDING] == 0


def test_the_theme_table_has_its_columns_labels_keywords_and_shared_flags():
    quotes = _quotes()
    quotes.loc[quotes[schema.THEME_ID] == -1, schema.TEAM] = "c"
    quotes.loc[len(quotes)] = {**quotes.iloc[7].to_dict(), schema.QUOTE_ID: "q8"}  # team c: 2 of its 3 in no theme
    emb = np.eye(9, dtype=np.float32)
    centroids = {0: np.ones(9) / 3, 1: np.ones(9) / 3}
    themes, renumbered, _, outliers = summarise_themes(
        quotes, emb, {0: ["rota", "cover"]}, {0: "L0"}, centroids, load_config())
    assert list(themes.columns) == schema.THEME_OUTPUT_COLUMNS + [
        schema.SCAFFOLDING_SHARE, schema.SCAFFOLDING, schema.REPRESENTATIVE_QUOTES, schema.SHARED]
    assert themes[schema.LABEL].tolist() == ["L0", "(no label)"]
    assert themes[schema.KEYWORDS].tolist() == ["rota; cover", ""]
    assert themes[schema.SHARED].tolist() == [True, False]  # three teams; team a alone
    assert themes.index.tolist() == [0, 1]
    assert renumbered[schema.THEME_ID].dtype.kind == "i"
    assert outliers == {"a": 0.0, "b": 0.0, "c": 0.6667}


def test_a_table_without_the_signal_columns_is_refused_naming_the_stage():
    with pytest.raises(KeyError, match="stage 'ground' needs columns \\['is_decision'\\]"):
        summarise_themes(_quotes().drop(columns=[schema.IS_DECISION]), np.eye(8), {}, {}, {}, load_config())


def test_two_teams_make_a_theme_shared_and_each_theme_gets_its_own_representatives():
    quotes = _quotes()  # theme 0: teams a, b and c; theme 1: team a alone
    quotes.loc[4, schema.TEAM] = "b"  # theme 1 now: teams a and b
    emb = np.eye(8, dtype=np.float32)
    centroids = {0: emb[:4].sum(axis=0) / 2, 1: emb[4:7].sum(axis=0) / np.sqrt(3)}
    themes, _, _, _ = summarise_themes(quotes, emb, {}, {}, centroids, load_config())
    assert themes[schema.N_TEAMS].tolist() == [3, 2] and themes[schema.SHARED].tolist() == [True, True]
    assert [sorted(r) for r in themes[schema.REPRESENTATIVE_QUOTES]] == [["q0", "q1", "q2", "q3"], ["q4", "q5", "q6"]]

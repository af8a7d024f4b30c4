"""Applying a curation (`curation.apply`): what each action does, what the summary says, how themes re-rank.

On the hand-built tables of `test_curation.tables`: three themes (repairs, agency, phones) over
two teams, housing with three conversations (h1-h3) and finance with two (f1, f2).
"""
from __future__ import annotations

import pandas as pd
import pytest

from pipeline import schema
from pipeline.config import load_config
from pipeline.curation import THEME_KEY, Curation, Hide, Merge, Rename, Split, apply_curation, curate
from pipeline.curation.apply import _apply, _representatives, _split
from pipeline.curation.keys import theme_keys_snapshot

from .test_curation import tables


def _view(themes: pd.DataFrame) -> list[tuple]:
    return [(r[THEME_KEY], r[schema.THEME_ID], r[schema.LABEL], r[schema.KEYWORDS], r[schema.N_QUOTES],
             r[schema.COMMON_GROUND], list(r[schema.REPRESENTATIVE_QUOTES])) for r in themes.to_dict("records")]


def test_curate_keys_the_themes_applies_in_order_and_reports_every_action():
    themes, quotes, decisions = tables()
    curation = Curation(
        merges=(Merge(("tAGENCY", "tOLD"), "Staffing and phones"), Merge(("tAGENCY", "tGONE"))),
        splits=(Split("tREPAIR", phrase="boiler", label="Boilers"), Split("tREPAIR", phrase="zebra"),
                Split("tGONE", phrase="x")),
        renames=(Rename("tREPAIR", "Repairs"), Rename("tGONE", "Lost")),
        hides=(Hide("tNOPE", "duplicate"), Hide("tREPAIR/boiler", "not now")),
        anchors={"tREPAIR": ("aa-1-0", "aa-2-0", "bb-1-0"), "tAGENCY": ("bb-2-0", "cc-1-0")})
    done = curate(themes.drop(columns=[THEME_KEY]), quotes, decisions, curation,
                  previous={"tOLD": ("dd-1-0", "dd-2-0")}, source="curation.toml")
    assert done.summary == {
        "file": "curation.toml",
        "applied": [
            {"action": "merge", "theme": "tAGENCY, tOLD", "label": "Staffing and phones", "theme_key": "tAGENCY",
             "status": "applied"},
            {"action": "split", "theme": "tREPAIR", "label": "Boilers", "theme_key": "tREPAIR/boiler", "n_quotes": 2,
             "status": "applied"},
            {"action": "rename", "theme": "tREPAIR", "label": "Repairs", "theme_key": "tREPAIR", "status": "applied"},
            {"action": "hide", "theme": "tREPAIR/boiler", "reason": "not now", "theme_key": "tREPAIR/boiler",
             "label": "Boilers", "n_quotes": 2, "status": "applied"},
        ],
        "not_applied": [
            {"action": "merge", "theme": "tAGENCY, tGONE", "label": "",
             "status": "fewer than two of these themes are in this run"},
            {"action": "split", "theme": "tREPAIR", "label": "", "status": "no quote of the theme matches"},
            {"action": "split", "theme": "tGONE", "label": "", "status": "theme not in this run"},
            {"action": "rename", "theme": "tGONE", "label": "Lost", "status": "theme not in this run"},
            {"action": "hide", "theme": "tNOPE", "reason": "duplicate", "status": "theme not in this run"},
        ],
        "keys": {"kept_from_curation": 2, "kept_from_previous_run": 1, "new": 0},
    }
    # Finance: 2 of 2 conversations, housing: 1 of 3 -> 0.5882; finance 1 of 2 alone -> 0.1681.
    assert _view(done.themes) == [
        ("tAGENCY", 0, "Staffing and phones", "agency; phone; staff; backlog", 4, 0.5882,
         ["bb-2-0", "dd-2-0", "cc-1-0", "dd-1-0"]),
        ("tREPAIR", 1, "Repairs", "repair; boiler; budget", 1, 0.1681, ["bb-1-0"]),
    ]
    by_quote = dict(zip(done.quotes[schema.QUOTE_ID], zip(done.quotes[schema.THEME_ID], done.quotes[schema.PLACED_BY])))
    assert by_quote == {"aa-1-0": (-1, "hidden"), "aa-2-0": (-1, "hidden"), "bb-1-0": (1, "cluster"),
                        "bb-2-0": (0, "cluster"), "cc-1-0": (0, "cluster"), "dd-1-0": (0, "cluster"),
                        "dd-2-0": (0, "cluster"), "ee-1-0": (-1, "")}
    # Housing's repairs decision went with its quotes into the hidden theme; the merged theme has two rows.
    assert done.decisions[[schema.THEME_ID, schema.TEAM, schema.DILEMMA_QUOTE_ID]].values.tolist() == [
        [0, "finance", "bb-2-0"], [0, "housing", "dd-2-0"]]
    keyed = themes.assign(**{THEME_KEY: ["tREPAIR", "tAGENCY", "tOLD"]})
    assert done.snapshot == theme_keys_snapshot(keyed, quotes, decisions)  # the tables before curation


def test_splits_name_label_and_key_their_new_themes_and_a_whole_split_replaces_its_parent():
    themes, quotes, decisions = tables()
    curation = Curation(merges=(Merge(("tAGENCY", "tPHONES")),),
                        splits=(Split("tPHONES", phrase="phones"),  # merged away: its child is named under tAGENCY
                                Split("tREPAIR", quote_ids=("aa-1-0", "aa-2-0", "bb-1-0"))))  # every member
    new_themes, _, new_decisions = apply_curation(themes, quotes, decisions, curation,
                                                  config=load_config(**{"label.n_keywords": 2}))
    assert _view(new_themes) == [
        ("tREPAIR/q81f6ea", 0, "Part of Repair · boiler", "repair", 3, 0.4058, ["aa-1-0", "bb-1-0", "aa-2-0"]),
        ("tAGENCY", 1, "Agency · staff", "agency; phone", 2, 0.2971, ["bb-2-0", "cc-1-0"]),
        ("tAGENCY/phones", 2, "phones", "phones; phone", 2, 0.1681, ["dd-2-0", "dd-1-0"]),
    ]
    assert new_decisions[[schema.THEME_ID, schema.DILEMMA_QUOTE_ID]].values.tolist() == [
        [0, "aa-1-0"], [1, "bb-2-0"], [2, "dd-2-0"]]


def test_a_split_into_a_key_that_exists_is_refused_and_a_child_ranks_right_after_its_parent_on_a_tie():
    themes, quotes, decisions = tables()
    themes.loc[2, THEME_KEY] = "tREPAIR/boiler"
    done = curate(themes, quotes, decisions, Curation(
        splits=(Split("tREPAIR", phrase="boiler"), Split("tAGENCY", quote_ids=("cc-1-0",))),
        anchors={"tREPAIR": ("aa-1-0", "aa-2-0", "bb-1-0"), "tAGENCY": ("bb-2-0", "cc-1-0"),
                 "tREPAIR/boiler": ("dd-1-0", "dd-2-0")}), config=load_config(**{"label.n_keywords": 2}))
    assert [e["status"] for e in done.summary["not_applied"]] == ["tREPAIR/boiler already exists"]
    # Agency and its child both hold one finance quote (0.1681): the parent's rank breaks the tie.
    assert _view(done.themes) == [
        ("tREPAIR", 0, "Repair · boiler", "repair; boiler; budget", 3, 0.5, ["aa-1-0", "bb-1-0"]),
        ("tAGENCY", 1, "Agency · staff", "agency; staff", 1, 0.1681, ["bb-2-0"]),
        ("tAGENCY/q051f0b", 2, "Part of Agency · staff", "agency", 1, 0.1681, ["cc-1-0"]),
        ("tREPAIR/boiler", 3, "Phone · backlog", "phone; backlog", 2, 0.1, ["dd-2-0"]),
    ]


def test_without_a_curation_every_key_is_new_and_the_summary_names_no_file():
    themes, quotes, decisions = tables()
    done = curate(themes.drop(columns=[THEME_KEY]), quotes, decisions)
    assert done.summary == {"file": "", "applied": [], "not_applied": [],
                            "keys": {"kept_from_curation": 0, "kept_from_previous_run": 0, "new": 3}}


def test_a_split_of_a_split_nests_its_key_and_a_phrase_of_two_words_matches_as_written():
    themes, quotes, decisions = tables()
    curation = Curation(splits=(Split("tREPAIR", phrase="boiler"), Split("tREPAIR/boiler", quote_ids=("aa-1-0",)),
                                Split("tREPAIR", phrase="budget repairs"), Split("tREPAIR", phrase="repairs  budget")))
    _, _, _, log = _apply(themes, quotes, decisions, curation, load_config())
    assert [(e.get("theme_key"), e["status"]) for e in log] == [
        ("tREPAIR/boiler", "applied"), ("tREPAIR/boiler/q7980dc", "applied"),
        (None, "no quote of the theme matches"), ("tREPAIR/repairs-budget", "applied")]


def test_a_split_of_a_theme_merged_away_keeps_the_rest_of_its_key_under_the_theme_it_joined():
    themes, quotes, decisions = tables()
    themes.loc[2, THEME_KEY] = "tPHONES/old"
    curation = Curation(merges=(Merge(("tAGENCY", "tPHONES/old")),), splits=(Split("tPHONES/old", phrase="phones"),))
    _, _, _, log = _apply(themes, quotes, decisions, curation, load_config())
    assert log[1]["theme_key"] == "tAGENCY/old/phones"


def test_a_split_keeps_the_order_of_the_representatives_on_each_side_and_its_place_in_a_tie():
    themes, quotes, decisions = tables()
    extra = {**quotes.iloc[2].to_dict(), schema.QUOTE_ID: "ff-1-0", schema.TRANSCRIPT_ID: "f2",
             schema.TEXT: "Budget cuts hit the repairs."}
    quotes = pd.concat([quotes, pd.DataFrame([extra])], ignore_index=True)
    themes.at[0, schema.REPRESENTATIVE_QUOTES] = ["aa-2-0", "ff-1-0", "aa-1-0", "bb-1-0"]  # not the fill order
    # The untouched agency theme (ranked second before) ties with the new one, two quotes at 0.1681:
    # the new theme takes its parent's place in the order, just after it.
    themes.loc[1, [schema.COMMON_GROUND, schema.N_QUOTES]] = [0.1681, 2]
    new_themes, _, _ = apply_curation(themes, quotes, decisions, Curation(splits=(Split("tREPAIR", phrase="boiler"),)))
    assert [(k, c, list(r)) for k, c, r in zip(new_themes[THEME_KEY], new_themes[schema.COMMON_GROUND],
                                               new_themes[schema.REPRESENTATIVE_QUOTES])] == [
        ("tREPAIR", 0.2971, ["ff-1-0", "bb-1-0"]), ("tREPAIR/boiler", 0.1681, ["aa-2-0", "aa-1-0"]),
        ("tAGENCY", 0.1681, ["bb-2-0"]), ("tPHONES", 0.1, ["dd-2-0"])]


def test_a_table_without_theme_keys_is_refused_naming_the_stage_and_actions_not_applied_are_logged(caplog):
    themes, quotes, decisions = tables()
    with pytest.raises(KeyError, match="stage 'curation' needs columns \\['theme_key'\\]"):
        apply_curation(themes.drop(columns=[THEME_KEY]), quotes, decisions, Curation(renames=(Rename("tX", "x"),)))
    with caplog.at_level("WARNING", logger="pipeline.curation"):
        apply_curation(themes, quotes, decisions, Curation(renames=(Rename("tREPAIR", "R"), Rename("tGONE", "G"))))
    # The warning names the file and the entry, and says what to do.
    assert caplog.messages == ['curation.toml: [[rename]] 2 (theme = "tGONE") not applied: theme not in this run; '
                               "point it at a key of themes.csv's theme_key column, or delete it"]


def test_a_decision_row_follows_the_quote_it_cites_whether_dilemma_or_decision():
    themes, quotes, decisions = tables()
    new_themes, _, new_decisions = apply_curation(themes, quotes, decisions,
                                                  Curation(splits=(Split("tREPAIR", quote_ids=("aa-2-0",)),)))
    child = int(new_themes.loc[new_themes[THEME_KEY] == Split("tREPAIR", quote_ids=("aa-2-0",)).child_key,
                               schema.THEME_ID].item())
    assert new_decisions.loc[new_decisions[schema.DECISION_QUOTE_ID] == "aa-2-0", schema.THEME_ID].item() == child
    assert list(new_decisions.columns) == schema.DECISION_COLUMNS  # no stray index column


def test_themes_tied_on_common_ground_rank_by_size_and_a_scaffolding_flag_needs_no_turns():
    themes, quotes, decisions = tables()
    themes.loc[1, [schema.COMMON_GROUND, schema.N_QUOTES]] = [0.5, 9]  # agency ties with repairs, and is bigger
    themes["scaffolding"] = 0  # the quotes carry no turns: the flag of a changed theme is left as it was
    new_themes, _, _ = apply_curation(themes, quotes, decisions, Curation(renames=(Rename("tPHONES", "Phones"),),
                                                                          merges=(Merge(("tPHONES", "tREPAIR")),)))
    assert new_themes[THEME_KEY].tolist() == ["tPHONES", "tAGENCY"]
    themes, quotes, decisions = tables()
    themes.loc[1, [schema.COMMON_GROUND, schema.N_QUOTES]] = [0.5, 9]
    ranked, _, _ = apply_curation(themes, quotes, decisions, Curation(renames=(Rename("tPHONES", "Phones"),)))
    assert ranked[THEME_KEY].tolist() == ["tAGENCY", "tREPAIR", "tPHONES"]


def test_representatives_are_the_preferred_then_new_teams_then_signals_then_first_said():
    members = pd.DataFrame({schema.QUOTE_ID: ["m1", "a1", "b1", "z9"], schema.TEAM: ["A", "A", "A", "B"],
                            schema.IS_DILEMMA: [0, 0, 1, 0], schema.IS_DECISION: [0, 0, 0, 0]})
    assert _representatives(members, ["gone", "m1"], 4) == ["m1", "z9", "b1", "a1"]
    assert _representatives(members, [], 2) == ["b1", "z9"]  # a dilemma first, then a team not yet shown
    assert _split(["a", "b"]) == ["a", "b"] and _split("a; b ;") == ["a", "b"]


def test_decision_rows_keep_their_order_within_a_theme_however_many_there_are():
    themes, quotes, _ = tables()
    decisions = pd.DataFrame([(n % 2, f"team{n:02d}", "h1", "", "", "") for n in range(40)],
                             columns=schema.DECISION_COLUMNS)  # more rows than a sort stable by accident keeps
    _, _, new_decisions = apply_curation(themes, quotes, decisions, Curation(renames=(Rename("tREPAIR", "R"),)))
    assert new_decisions[schema.TEAM].tolist() == [f"team{n:02d}" for n in range(0, 40, 2)] + \
        [f"team{n:02d}" for n in range(1, 40, 2)]

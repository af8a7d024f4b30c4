"""The dilemma sections: shared dilemmas first in rank order, each team's row, common ground linked to its dilemmas."""
from __future__ import annotations

import pandas as pd
import pytest

from pipeline import schema
from pipeline.report.data import ReportData
from pipeline.report.view_dilemmas import (
    BEFORE_DILEMMAS_NOTE,
    NO_DILEMMA_NOTE,
    NO_GROUND_NOTE,
    ONE_TEAM_INPUT_NOTE,
    ONLY_ONE_TEAM_NOTE,
    TEAMLESS_NOTE,
    build_dilemma_sections,
    dilemma_title,
    no_ground_note,
)

from .conftest import GROUND_STATEMENT, without_dilemmas


def _ids(row) -> tuple:
    return tuple(None if q is None else q.quote_id for q in (row.dilemma, row.decision, row.reason))


def test_shared_dilemmas_come_first_in_the_tables_rank_then_those_of_one_team(report_data: ReportData) -> None:
    # A one-team dilemma listed first must still come after the shared ones; ranks keep the table's order.
    report_data.dilemmas = report_data.dilemmas.iloc[[2, 0, 1]].reset_index(drop=True)
    sections = build_dilemma_sections(report_data)
    assert [c.dilemma_id for c in sections.shared] == ["D1", "D2"]
    assert [c.dilemma_id for c in sections.one_team] == ["D3"]
    assert [c.dilemma_id for c in sections.cards] == ["D1", "D2", "D3"]
    assert [c.anchor for c in sections.cards] == ["dilemma-2", "dilemma-3", "dilemma-1"]
    assert sections.empty_note == ""


def test_a_card_holds_title_teams_score_and_each_teams_dilemma_decision_and_reason(report_data: ReportData) -> None:
    first = build_dilemma_sections(report_data).shared[0]
    assert (first.title, first.teams, first.n_teams, first.common_ground, first.n_quotes) == (
        "clear the waiting list · do urgent repairs first", ["Contact centre", "Housing"], 2, 0.74, 3)
    assert first.sides == ""  # the title already names both sides
    assert [(row.team, _ids(row)) for row in first.rows] == [
        ("Contact centre", ("Q005", "Q006", None)), ("Housing", ("Q001", "Q002", "Q003"))]
    assert first.rows[1].decision.text == "So we decided to triage every repair by risk to the tenant."


def test_team_rows_do_not_depend_on_the_order_of_the_decisions_table(report_data: ReportData) -> None:
    forward = build_dilemma_sections(report_data)
    report_data.dilemma_decisions = report_data.dilemma_decisions.iloc[::-1].reset_index(drop=True)
    assert build_dilemma_sections(report_data) == forward


def test_sides_are_shown_when_they_add_to_the_title(report_data: ReportData) -> None:
    report_data.dilemmas.at[0, schema.TITLE] = ""
    card = build_dilemma_sections(report_data).shared[0]
    assert card.sides == "clear the waiting list · do urgent repairs first"
    assert dilemma_title(card) == "Dilemma D1"


def test_a_dangling_quote_id_is_shown_as_not_found(report_data: ReportData) -> None:
    report_data.dilemma_decisions.at[0, schema.RATIONALE_QUOTE_ID] = "Q999"
    housing = build_dilemma_sections(report_data).shared[0].rows[1]
    assert (housing.reason.quote_id, housing.reason.found) == ("Q999", False)


def test_common_ground_shows_its_statement_with_its_quote_id_and_links_its_dilemmas(report_data: ReportData) -> None:
    report_data.common_ground.at[0, schema.DILEMMA_IDS] = "D1; D3; D9"
    ground = build_dilemma_sections(report_data).grounds[0]
    assert ground.statement == GROUND_STATEMENT
    assert ground.statement_quote is not None and ground.statement_quote.quote_id == "Q003"
    assert [q.quote_id for q in ground.quotes] == ["Q004", "Q012"]  # the statement's quote is not shown twice
    assert (ground.teams, ground.n_teams, ground.anchor) == (["Contact centre", "Finance", "Housing"], 3, "ground-1")
    assert [(link.dilemma_id, link.anchor) for link in ground.dilemmas] == [
        ("D1", "dilemma-1"), ("D3", "dilemma-3"), ("D9", "")]  # D9 has no card: no link
    assert ground.dilemmas[1].title == "approve small repairs now · wait for the panel"


def test_a_statement_that_is_none_of_its_quotes_has_no_source(report_data: ReportData) -> None:
    report_data.common_ground.at[0, schema.STATEMENT] = "Residents who cannot get online must still be served."
    ground = build_dilemma_sections(report_data).grounds[0]
    assert ground.statement_quote is None
    assert [q.quote_id for q in ground.quotes] == ["Q003", "Q004", "Q012"]


@pytest.mark.parametrize("empty", ["no rows", "no columns", "none"])
def test_a_run_without_dilemma_tables_gets_empty_sections_and_their_notes(report_data: ReportData, empty) -> None:
    if empty == "no rows":
        without_dilemmas(report_data)
    else:
        for name in ("dilemmas", "dilemma_decisions", "common_ground"):
            setattr(report_data, name, pd.DataFrame() if empty == "no columns" else None)
    sections = build_dilemma_sections(report_data)
    assert (sections.shared, sections.one_team, sections.grounds) == ([], [], [])
    assert sections.empty_note == NO_DILEMMA_NOTE


def test_a_run_made_before_the_dilemmas_stage_says_so_rather_than_that_none_was_found(
        report_data: ReportData) -> None:
    without_dilemmas(report_data)
    report_data.summary["settings"] = {"themes": {"min_cluster_size": 10}}  # an old run.json's config
    assert build_dilemma_sections(report_data).empty_note == BEFORE_DILEMMAS_NOTE
    report_data.summary["settings"]["dilemmas"] = {"ground_min_teams": 3}
    assert build_dilemma_sections(report_data).empty_note == NO_DILEMMA_NOTE


@pytest.mark.parametrize("team, note", [
    (schema.UNKNOWN_TEAM, TEAMLESS_NOTE),
    ("housing", ONE_TEAM_INPUT_NOTE.format(team="housing")),
])
def test_a_run_whose_conversations_are_all_in_one_team_says_why_nothing_is_shared_and_what_to_do(
        report_data: ReportData, team, note) -> None:
    report_data.dilemmas = report_data.dilemmas[report_data.dilemmas[schema.N_TEAMS] < 2]
    report_data.quotes = report_data.quotes.assign(**{schema.TEAM: team})
    assert build_dilemma_sections(report_data).empty_note == note
    if team == schema.UNKNOWN_TEAM:
        assert "manifest.csv" in note and "sub-folder" in note
    # One conversation could share nothing whatever its team: the layout is not the reason.
    report_data.quotes = report_data.quotes.assign(**{schema.TRANSCRIPT_ID: "only.txt"})
    assert build_dilemma_sections(report_data).empty_note == ONLY_ONE_TEAM_NOTE


def test_only_one_teams_dilemmas_say_that_none_is_shared(report_data: ReportData) -> None:
    report_data.dilemmas = report_data.dilemmas[report_data.dilemmas[schema.N_TEAMS] < 2]
    sections = build_dilemma_sections(report_data)
    assert sections.shared == [] and [c.dilemma_id for c in sections.one_team] == ["D3"]
    assert sections.empty_note == ONLY_ONE_TEAM_NOTE


def test_a_table_lacking_a_column_is_an_error_naming_it(report_data: ReportData) -> None:
    report_data.dilemma_decisions = report_data.dilemma_decisions.drop(columns=[schema.DECISION_QUOTE_ID])
    with pytest.raises(KeyError, match=schema.DECISION_QUOTE_ID):
        build_dilemma_sections(report_data)


def test_tables_read_back_from_csv_give_the_same_sections(report_data: ReportData, tmp_path) -> None:
    in_memory = build_dilemma_sections(report_data)
    for name in ("dilemmas", "dilemma_decisions", "common_ground"):
        table = getattr(report_data, name).map(lambda cell: "; ".join(cell) if isinstance(cell, list) else cell)
        table.to_csv(tmp_path / f"{name}.csv", index=False)
        # As a finished run's folder is read: every cell text, empty cells "" (scores and counts too).
        setattr(report_data, name, pd.read_csv(tmp_path / f"{name}.csv", keep_default_na=False, dtype=str))
    assert build_dilemma_sections(report_data) == in_memory


def test_the_empty_common_ground_line_names_the_runs_thresholds() -> None:
    settings = {"dilemmas": {"ground_min_teams": 4, "ground_min_dilemmas": 3}}
    assert no_ground_note(settings) == ("No common ground was found: no principle was given as a reason by 4 or more teams "
                                        "across 3 or more dilemmas.")
    assert no_ground_note({}) == no_ground_note({"dilemmas": {"ground_min_teams": "3"}}) == NO_GROUND_NOTE

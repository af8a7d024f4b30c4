"""Theme cards: one per theme, decision rows in a stable order, dangling quote ids shown, not dropped."""
from __future__ import annotations

import pandas as pd

from pipeline import schema
from pipeline.report.data import ReportData
from pipeline.report.view_cards import build_theme_cards


def test_one_card_per_theme_in_the_themes_order_and_none_for_no_theme(report_data: ReportData) -> None:
    themes = report_data.themes
    no_theme = themes.iloc[[0]].assign(**{schema.THEME_ID: schema.NO_THEME})
    report_data.themes = pd.concat([themes, no_theme], ignore_index=True)
    assert [c.theme_id for c in build_theme_cards(report_data)] == [0, 1, 2]


def test_decision_rows_do_not_depend_on_the_order_of_the_decisions_table(report_data: ReportData) -> None:
    forward = build_theme_cards(report_data)
    report_data.decisions = report_data.decisions.iloc[::-1].reset_index(drop=True)
    assert build_theme_cards(report_data) == forward
    assert [row.team for row in forward[0].decisions] == ["Contact centre", "Housing"]


def test_a_dangling_quote_id_is_shown_as_not_found(report_data: ReportData) -> None:
    report_data.themes.at[0, schema.REPRESENTATIVE_QUOTES] = ["Q001", "Q999"]
    card = build_theme_cards(report_data)[0]
    assert [(q.quote_id, q.found) for q in card.representative] == [("Q001", True), ("Q999", False)]


def test_a_missing_shared_flag_is_two_teams_or_more(report_data: ReportData) -> None:
    report_data.themes = report_data.themes.drop(columns=[schema.SHARED])
    assert [c.shared for c in build_theme_cards(report_data)] == [True, True, False]


def _with_firmness(report_data: ReportData) -> ReportData:
    report_data.themes[schema.HEADLINE] = ["We stopped promising dates on the phone.", "", None]
    report_data.themes[schema.HEADLINE_QUOTE_ID] = ["Q006", "", None]
    report_data.themes[schema.STABILITY] = [0.4, 0.9, float("nan")]
    report_data.themes[schema.COHESION] = [0.61, 0.7, 0.5]
    report_data.themes[schema.LOOSE] = [1, 0, 0]
    return report_data


def test_loose_themes_follow_the_firm_ones_and_scaffolding_stays_last(report_data: ReportData) -> None:
    _with_firmness(report_data)
    assert [c.theme_id for c in build_theme_cards(report_data)] == [1, 2, 0]
    report_data.themes[schema.SCAFFOLDING] = [0, 1, 0]
    assert [c.theme_id for c in build_theme_cards(report_data)] == [2, 0, 1]


def test_a_card_carries_its_headline_and_how_well_it_holds_together(report_data: ReportData) -> None:
    cards = {c.theme_id: c for c in build_theme_cards(_with_firmness(report_data))}
    assert (cards[0].headline, cards[0].headline_quote_id) == ("We stopped promising dates on the phone.", "Q006")
    assert cards[0].loose and cards[0].firmness == "Loose theme: comes back 40% whole when re-clustered, cohesion 0.61"
    assert cards[1].firmness.startswith("Firm: comes back 90% whole")
    assert cards[2].headline == "" and cards[2].firmness == "Firm: cohesion 0.50"  # stability not measured


def test_a_run_without_the_columns_shows_no_headline_and_flags_nothing(report_data: ReportData) -> None:
    cards = build_theme_cards(report_data)
    assert [c.theme_id for c in cards] == [0, 1, 2]
    assert all(c.headline == "" and c.firmness == "" and not c.loose for c in cards)

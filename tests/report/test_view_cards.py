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

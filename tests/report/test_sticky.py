"""sticky_notes.csv: the quotes a workshop board needs, in the report's order, safe to open in a spreadsheet."""
from __future__ import annotations

from pipeline import schema
from pipeline.report.data import ReportData
from pipeline.report.sticky import STICKY_COLUMNS, neutralise_formula, sticky_notes

from .conftest import DILEMMA_TITLES, GROUND_STATEMENT, without_dilemmas

THEME_SECTIONS = ("Shared across teams", "Team-specific themes")


def test_notes_follow_the_cards_representative_quotes_then_decisions(report_data: ReportData) -> None:
    notes = sticky_notes(report_data)
    assert list(notes.columns) == STICKY_COLUMNS
    themes = notes[notes.section.isin(THEME_SECTIONS)]
    first = themes[themes.theme == "Waiting lists versus urgent repairs"]
    # Decision rows by team: Contact centre's decision, then Housing's decision and reason.
    assert first.quote_id.tolist() == ["Q001", "Q004", "Q005", "Q006", "Q002", "Q003"]
    assert first.kind.tolist() == ["representative"] * 3 + ["decision", "decision", "reason"]
    assert themes.theme.drop_duplicates().tolist() == [
        "Waiting lists versus urgent repairs", "Forms & <b>phone</b> scripts", "Budget sign_off *approvals*"]
    q004 = themes[themes.quote_id == "Q004"].iloc[0]
    assert q004.quote == report_data.quotes.set_index(schema.QUOTE_ID).text["Q004"] and q004.team == "Housing"


def test_dilemma_and_common_ground_notes_come_first_in_the_reports_order(report_data: ReportData) -> None:
    notes = sticky_notes(report_data)
    assert notes.section.drop_duplicates().tolist() == [
        "Shared dilemmas", "Raised by one team", "Common ground for the workshop", *THEME_SECTIONS]
    assert notes.theme.drop_duplicates().tolist()[:4] == DILEMMA_TITLES + [GROUND_STATEMENT]
    first = notes[notes.theme == DILEMMA_TITLES[0]]
    # By team: Contact centre's dilemma and decision (no reason), then Housing's all three.
    assert list(zip(first.team, first.kind, first.quote_id)) == [
        ("Contact centre", "dilemma", "Q005"), ("Contact centre", "decision", "Q006"),
        ("Housing", "dilemma", "Q001"), ("Housing", "decision", "Q002"), ("Housing", "reason", "Q003")]
    ground = notes[notes.section == "Common ground for the workshop"]
    assert ground.quote_id.tolist() == ["Q003", "Q004", "Q012"] and set(ground.kind) == {"common ground"}
    assert ground.team.tolist() == ["Housing", "Housing", "Finance"]


def test_a_quote_shown_twice_on_one_dilemma_is_one_note(report_data: ReportData) -> None:
    report_data.dilemma_decisions.at[0, schema.RATIONALE_QUOTE_ID] = "Q001"  # Housing's reason is its dilemma
    notes = sticky_notes(report_data)
    housing = notes[(notes.theme == DILEMMA_TITLES[0]) & (notes.team == "Housing")]
    assert housing.kind.tolist() == ["dilemma", "decision"]


def test_without_dilemmas_only_the_themes_notes(report_data: ReportData) -> None:
    notes = sticky_notes(without_dilemmas(report_data))
    assert set(notes.section) == set(THEME_SECTIONS) and len(notes) == 12


def test_a_cell_a_spreadsheet_would_run_as_a_formula_is_neutralised(report_data: ReportData) -> None:
    report_data.quotes.loc[report_data.quotes[schema.QUOTE_ID] == "Q001", schema.TEXT] = "=cmd|' /C calc'!A0"
    report_data.dilemmas.at[0, schema.TITLE] = "+keep the phones · -clear the backlog"
    report_data.common_ground.at[0, schema.STATEMENT] = "@staff closest to the work should decide"
    notes = sticky_notes(report_data)
    assert set(notes[notes.quote_id == "Q001"].quote) == {"'=cmd|' /C calc'!A0"}
    assert notes.theme.drop_duplicates().tolist()[0] == "'+keep the phones · -clear the backlog"
    assert "'@staff closest to the work should decide" in notes.theme.tolist()
    for start in "=+-@":
        assert neutralise_formula(f"{start}1") == f"'{start}1"
    assert neutralise_formula("1 + 1") == "1 + 1"

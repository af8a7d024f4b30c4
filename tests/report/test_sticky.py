"""sticky_notes.csv: the quotes a workshop board needs, safe to open in a spreadsheet."""
from __future__ import annotations

from pipeline import schema
from pipeline.report.data import ReportData
from pipeline.report.sticky import STICKY_COLUMNS, neutralise_formula, sticky_notes


def test_notes_follow_the_cards_representative_quotes_then_decisions(report_data: ReportData) -> None:
    notes = sticky_notes(report_data)
    assert list(notes.columns) == STICKY_COLUMNS
    first = notes[notes.theme == "Waiting lists versus urgent repairs"]
    # Decision rows by team: Contact centre's decision, then Housing's decision and reason.
    assert first.quote_id.tolist() == ["Q001", "Q004", "Q005", "Q006", "Q002", "Q003"]
    assert first.kind.tolist() == ["representative"] * 3 + ["decision", "decision", "reason"]
    assert notes.theme.drop_duplicates().tolist() == [
        "Waiting lists versus urgent repairs", "Forms & <b>phone</b> scripts", "Budget sign_off *approvals*"]
    q004 = notes[notes.quote_id == "Q004"].iloc[0]
    assert q004.quote == report_data.quotes.set_index(schema.QUOTE_ID).text["Q004"] and q004.team == "Housing"


def test_a_cell_a_spreadsheet_would_run_as_a_formula_is_neutralised(report_data: ReportData) -> None:
    report_data.quotes.loc[report_data.quotes[schema.QUOTE_ID] == "Q001", schema.TEXT] = "=cmd|' /C calc'!A0"
    notes = sticky_notes(report_data)
    assert notes[notes.quote_id == "Q001"].quote.item() == "'=cmd|' /C calc'!A0"
    for start in "=+-@":
        assert neutralise_formula(f"{start}1") == f"'{start}1"
    assert neutralise_formula("1 + 1") == "1 + 1"

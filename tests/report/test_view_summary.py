"""The run-wide sections: settings without names or home folders, the matrix, outliers and hidden quotes."""
from __future__ import annotations

from pipeline import schema
from pipeline.report.data import ReportData
from pipeline.report.view_cards import build_theme_cards
from pipeline.report.view_summary import (
    HIDDEN_LABEL,
    build_matrix,
    curation_notes,
    failed_input_rows,
    language_rows,
    report_teams,
    settings_rows,
    team_outliers,
)


def test_settings_show_a_count_of_names_and_only_the_last_part_of_a_path():
    rows = dict(settings_rows({
        "anonymise": {"roster": ["Anna Smith", "Bob Jones"], "keep": []},
        "ingest": {"interviewers": ["Carol White"]},
        "embed": {"model": "/home/dave.brown/models/minilm", "cache": "C:\\Users\\dave\\cache", "dir": "~/x"},
        "report": {"open": True, "title": "Repairs"},
    }))
    assert rows["anonymise.roster"] == "2 names (not shown)"
    assert rows["ingest.interviewers"] == "1 name (not shown)"
    assert rows["anonymise.keep"] == "(none)"
    assert [rows[f"embed.{k}"] for k in ("model", "cache", "dir")] == ["…/minilm", "…/cache", "…/x"]
    assert rows["report.open"] == "true" and rows["report.title"] == "Repairs"
    assert list(rows) == sorted(rows)


def test_hidden_quotes_get_a_row_of_their_own_and_count_as_not_shown(report_data: ReportData) -> None:
    quotes = report_data.quotes
    hidden = quotes[schema.QUOTE_ID].isin(["Q012", "Q018"])  # both Finance, theme 2
    quotes.loc[hidden, schema.THEME_ID] = schema.NO_THEME
    quotes.loc[hidden, schema.PLACED_BY] = schema.PLACED_HIDDEN
    teams = report_teams(report_data)
    rows, outlier_row, hidden_row = build_matrix(report_data, build_theme_cards(report_data), teams)
    finance = teams.index("Finance")
    assert hidden_row.label == HIDDEN_LABEL and hidden_row.counts[finance] == 2
    assert outlier_row.counts[finance] == 2 and rows[2].counts[finance] == 1
    outliers = {o.team: o for o in team_outliers(report_data, teams)}["Finance"]
    assert (outliers.n_outliers, outliers.n_hidden, outliers.n_quotes) == (2, 2, 6)
    assert outliers.share == 4 / 6


def test_teams_named_only_by_the_quotes_are_still_reported(report_data: ReportData) -> None:
    report_data.summary["teams"] = ["Finance"]
    assert report_teams(report_data) == ["Contact centre", "Finance", "Housing"]


def test_failed_inputs_and_curation_read_in_a_stable_order() -> None:
    assert failed_input_rows([{"file": "b.txt", "reason": "x"}, {"file": "a.txt"}]) == [("a.txt", ""), ("b.txt", "x")]
    notes = curation_notes({"applied": [{"action": "hide", "theme": "t2", "label": "Parking", "n_quotes": 3,
                                         "reason": "off topic"}],
                            "not_applied": [{"action": "merge", "theme": "t9", "status": "unknown theme"}]})
    assert [(n.text, n.applied) for n in notes] == [
        ("Theme “Parking” (t2, 3 quotes) hidden: off topic.", True),
        ("Not applied: merge of t9 (unknown theme).", False),
    ]


def test_files_in_another_language_read_sorted_with_the_language_named() -> None:
    rows = language_rows([{"file": "care/sgwrs-3.txt", "language": "cy"}, {"file": "care/gespraech-1.docx",
                                                                          "language": "de"}])
    assert rows == [("care/gespraech-1.docx", "German (de)"), ("care/sgwrs-3.txt", "Welsh (cy)")]
    assert language_rows([]) == []
    assert language_rows(None) is None  # not checked: not the same as "every file is in English"


def test_the_view_keeps_not_checked_apart_from_none_found(report_data: ReportData) -> None:
    from pipeline.report.view import build_report_view

    assert build_report_view(report_data).other_language_inputs is None  # a summary without the key
    report_data.summary["other_language_inputs"] = []
    assert build_report_view(report_data).other_language_inputs == []
    report_data.summary["other_language_inputs"] = [{"file": "finance/call-9.txt", "language": "pl"}]
    assert build_report_view(report_data).other_language_inputs == [("finance/call-9.txt", "Polish (pl)")]

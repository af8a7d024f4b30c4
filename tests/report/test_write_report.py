"""write_report: every file, atomically, with theme keys when the themes have them."""
from __future__ import annotations

import json

import pandas as pd
import pytest

from pipeline import schema
from pipeline.report import OUTPUT_FILES, write_report
from pipeline.report.data import ReportData, build_report_data
from pipeline.report.view import LANGUAGE_ALL_ENGLISH, LANGUAGE_NOT_CHECKED

from .conftest import build_report_data as build_fixture_data


@pytest.fixture
def report_data(report_data: ReportData) -> ReportData:
    """The shared fixture, with the quote column quotes.csv adds that the renderers do not need."""
    report_data.quotes[schema.RATIONALE_QUOTE_ID] = ""
    return report_data


def test_writes_every_file_and_the_theme_keys_when_given(report_data: ReportData, tmp_path) -> None:
    report_data.themes["theme_key"] = ["tA", "tB", "tC"]
    report_data.theme_keys = {"format": 1, "themes": [], "decisions": []}
    written = write_report(tmp_path / "out", report_data, {"version": "0.1.0"})
    assert sorted(p.name for p in written) == sorted(OUTPUT_FILES + ("theme_keys.json",))
    themes = pd.read_csv(tmp_path / "out" / "themes.csv", keep_default_na=False)
    assert themes.columns[-1] == "theme_key" and themes.theme_key.tolist() == ["tA", "tB", "tC"]
    assert json.loads((tmp_path / "out" / "theme_keys.json").read_text())["format"] == 1
    notes = pd.read_csv(tmp_path / "out" / "sticky_notes.csv", keep_default_na=False)
    assert len(notes) > 0
    assert [p.name for p in tmp_path.iterdir()] == ["out"]  # no staging folder left


def test_without_keys_no_theme_key_column_and_no_keys_file(report_data: ReportData, tmp_path) -> None:
    written = write_report(tmp_path / "out", report_data, {})
    assert "theme_keys.json" not in [p.name for p in written]
    assert "theme_key" not in pd.read_csv(tmp_path / "out" / "themes.csv").columns


def test_build_report_data_counts_from_the_tables_and_lists_skipped_files(report_data: ReportData) -> None:
    summary = {"counts": {"transcripts": 6, "themes": 99}, "version": "0.1.0", "seed": 42, "config": {},
               "anonymisation": {"PERSON": 1}, "common_ground_formula": "f",
               "inputs": [{"file": "a.txt", "status": "failed", "reason": "empty"},
                          {"file": "README.md", "status": "skipped", "reason": "a README"},
                          {"file": "b.txt", "status": "ok", "reason": ""}]}
    data = build_report_data(report_data.themes, report_data.quotes, report_data.decisions, summary, "T")
    assert data.summary["n_themes"] == 3 and data.summary["n_teams"] == 3
    assert data.summary["failed_inputs"] == [{"file": "a.txt", "reason": "empty"}]
    assert data.summary["skipped_inputs"] == [{"file": "README.md", "reason": "a README"}]


def test_a_run_from_before_the_dilemmas_stage_still_renders_every_file(report_data: ReportData, tmp_path) -> None:
    summary = {"counts": {"transcripts": 6}, "version": "0.1.0", "seed": 42, "config": {}, "anonymisation": {},
               "common_ground_formula": "f", "inputs": []}
    data = build_report_data(report_data.themes, report_data.quotes, report_data.decisions, summary, "T")
    assert data.dilemmas.empty and list(data.common_ground.columns) == schema.COMMON_GROUND_COLUMNS
    write_report(tmp_path / "out", data, {})
    out = tmp_path / "out"
    assert pd.read_csv(out / "dilemmas.csv").columns.tolist() == schema.DILEMMA_COLUMNS
    markdown = (out / "theme_report.md").read_text(encoding="utf-8")
    assert markdown.index("No shared dilemma was found") < markdown.index("## Shared across teams")
    notes = pd.read_csv(out / "sticky_notes.csv", keep_default_na=False)
    assert "Shared dilemmas" not in set(notes.section) and len(notes) > 0


def test_the_same_data_gives_the_same_rendered_bytes(report_data: ReportData, tmp_path) -> None:
    write_report(tmp_path / "a", report_data, {"version": "0.1.0"})
    again = build_fixture_data()
    again.quotes[schema.RATIONALE_QUOTE_ID] = ""
    # Same content, the team rows in another order: the renderings sort them (the CSV keeps its table's order).
    again.dilemma_decisions = again.dilemma_decisions.iloc[::-1].reset_index(drop=True)
    write_report(tmp_path / "b", again, {"version": "0.1.0"})
    for name in ("theme_report.html", "theme_report.md", "theme_cards.docx", "sticky_notes.csv"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_the_headline_and_firmness_columns_come_after_every_older_column(report_data: ReportData, tmp_path) -> None:
    report_data.themes["theme_key"] = ["tA", "tB", "tC"]
    report_data.themes[schema.HEADLINE] = ["We stopped promising dates on the phone.", "", ""]
    report_data.themes[schema.HEADLINE_QUOTE_ID] = ["Q006", "", ""]
    report_data.themes[schema.COHESION] = [0.61, 0.7, 0.5]
    report_data.themes[schema.LOOSE] = [1, 0, None]
    write_report(tmp_path / "out", report_data, {"version": "0.1.0"})
    themes = pd.read_csv(tmp_path / "out" / "themes.csv", keep_default_na=False)
    assert list(themes.columns[:len(schema.THEME_OUTPUT_COLUMNS)]) == schema.THEME_OUTPUT_COLUMNS
    assert list(themes.columns[-5:]) == ["theme_key", schema.COHESION, schema.LOOSE, schema.HEADLINE,
                                         schema.HEADLINE_QUOTE_ID]
    assert themes[schema.LOOSE].astype(str).tolist() == ["1", "0", ""]  # a whole number, blank when unknown
    assert themes[schema.HEADLINE].iloc[0] == "We stopped promising dates on the phone."


def _summary_with_inputs(inputs: list[dict]) -> dict:
    return {"counts": {"transcripts": 6}, "version": "0.1.0", "seed": 42, "config": {}, "anonymisation": {},
            "common_ground_formula": "f", "inputs": inputs}


def test_build_report_data_lists_the_files_in_another_language(report_data: ReportData) -> None:
    summary = _summary_with_inputs([
        {"file": "housing/sgwrs-3.txt", "status": "ok", "reason": "", "language": "cy"},
        {"file": "finance/call-2.txt", "status": "ok", "reason": "", "language": ""},
        {"file": "finance/call-3.txt", "status": "ok", "reason": "", "language": "en"},  # English is no warning
        {"file": "care/gespraech-1.docx", "status": "ok", "reason": "", "language": "de"},
        {"file": "care/empty.txt", "status": "failed", "reason": "empty", "language": ""}])
    data = build_report_data(report_data.themes, report_data.quotes, report_data.decisions, summary, "T")
    assert data.summary["other_language_inputs"] == [{"file": "housing/sgwrs-3.txt", "language": "cy"},
                                                     {"file": "care/gespraech-1.docx", "language": "de"}]
    every_file_checked = _summary_with_inputs([{"file": "a.txt", "status": "ok", "reason": "", "language": ""}])
    data = build_report_data(report_data.themes, report_data.quotes, report_data.decisions, every_file_checked, "T")
    assert data.summary["other_language_inputs"] == []


def test_a_run_json_from_before_the_language_check_renders_and_says_it_was_not_checked(
        report_data: ReportData, tmp_path) -> None:
    # run.json's inputs as written before `language` existed: nothing says the files are English.
    summary = _summary_with_inputs([{"file": "a.txt", "status": "ok", "reason": "", "interviewer": "manifest"},
                                    {"file": "README.md", "status": "skipped", "reason": "a README"}])
    data = build_report_data(report_data.themes, report_data.quotes, report_data.decisions, summary, "T")
    assert data.summary["other_language_inputs"] is None
    write_report(tmp_path / "out", data, {})
    for name in ("theme_report.md", "theme_report.html"):
        text = (tmp_path / "out" / name).read_text(encoding="utf-8")
        assert LANGUAGE_NOT_CHECKED in text.replace("&#39;", "'"), name
        assert LANGUAGE_ALL_ENGLISH not in text, name


def test_a_file_in_another_language_reaches_every_summary_with_its_language(report_data: ReportData, tmp_path) -> None:
    summary = _summary_with_inputs([{"file": "care/gespraech-1.docx", "status": "ok", "reason": "", "language": "de"},
                                    {"file": "care/talk-2.txt", "status": "ok", "reason": "", "language": ""}])
    data = build_report_data(report_data.themes, report_data.quotes, report_data.decisions, summary, "T")
    write_report(tmp_path / "out", data, {})
    for name in ("theme_report.md", "theme_report.html"):
        text = (tmp_path / "out" / name).read_text(encoding="utf-8")
        assert "care/gespraech-1.docx" in text and "German (de)" in text, name
        assert "care/talk-2.txt" not in text, name

"""The wordings every renderer shares: here, why files in another language matter."""
from __future__ import annotations

from pipeline.report.data import ReportData
from pipeline.report.view import build_report_view
from pipeline.report.view_types import language_why


def test_one_file_in_another_language_is_spoken_of_in_the_singular() -> None:
    assert language_why(1).startswith("This file was read, but the name finder")
    assert "names in it may have been missed" in language_why(1) and "Read its quotes before sharing" in language_why(1)
    assert language_why(2).startswith("These files were read")
    assert "names in them" in language_why(2) and "Read their quotes before sharing" in language_why(2)


def test_the_view_says_why_only_when_there_is_such_a_file(report_data: ReportData) -> None:
    report_data.summary["other_language_inputs"] = []
    assert build_report_view(report_data).language_why == ""
    report_data.summary["other_language_inputs"] = [{"file": "care/sgwrs-3.txt", "language": "cy"}]
    assert build_report_view(report_data).language_why == language_why(1)

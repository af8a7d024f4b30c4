"""The report stage: the only stage that writes outputs.

`write_report` renders every file of the contract into a staging folder and
swaps them into OUT at the end (see `writer`).
"""
from __future__ import annotations

import logging
from pathlib import Path

from .data import ReportData
from .writer import quotes_table, staging_folder, themes_table, write_csv, write_json

logger = logging.getLogger(__name__)

OUTPUT_FILES = ("themes.csv", "quotes.csv", "decisions.csv", "theme_report.html", "theme_report.md",
                "theme_cards.docx", "run.json")


def write_report(out_dir: str | Path, data: ReportData, run_info: dict) -> list[Path]:
    """Write every output of a run into `out_dir`; returns the paths written."""
    from .cards import write_theme_cards
    from .html import render_html
    from .markdown import render_markdown

    out_dir = Path(out_dir)
    with staging_folder(out_dir) as staging:
        write_csv(themes_table(data.themes), staging / "themes.csv")
        write_csv(quotes_table(data.quotes), staging / "quotes.csv")
        write_csv(data.decisions, staging / "decisions.csv")
        (staging / "theme_report.html").write_text(render_html(data), encoding="utf-8")
        (staging / "theme_report.md").write_text(render_markdown(data), encoding="utf-8")
        write_theme_cards(data, staging / "theme_cards.docx")
        write_json(run_info, staging / "run.json")
    logger.info("wrote %d files to %s", len(OUTPUT_FILES), out_dir)
    return [out_dir / name for name in OUTPUT_FILES]


__all__ = ["ReportData", "write_report", "OUTPUT_FILES"]

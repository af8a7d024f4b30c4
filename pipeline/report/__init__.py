"""The report stage: the only stage that writes outputs.

`write_report` renders every file of the contract into a staging folder and
swaps them into OUT at the end (see `writer`). It renders only the tables it
is given, from one view built once; `pipeline.runner` decides what to render
(a fresh run, or a finished one re-curated by `runner.rerender`).
"""
from __future__ import annotations

import logging
from pathlib import Path

from .. import schema
from .data import ReportData, build_report_data
from .writer import quotes_table, staging_folder, themes_table, write_csv, write_json

logger = logging.getLogger(__name__)

OUTPUT_FILES = ("themes.csv", "quotes.csv", "dilemmas.csv", "dilemma_decisions.csv", "common_ground.csv",
                "decisions.csv", "theme_report.html", "theme_report.md", "theme_cards.docx", "sticky_notes.csv",
                "run.json")
THEME_KEYS_FILE = "theme_keys.json"  # written when `ReportData.theme_keys` is given


def write_report(out_dir: str | Path, data: ReportData, run_info: dict, check=None) -> list[Path]:
    """Write every output of a run into `out_dir`; returns the paths written.

    `check(staging_folder)` runs before anything is published (the leak
    check). It may mask what it finds and return {kind: occurrences masked}
    (`leakcheck.secure_staged_outputs`); run.json's `anonymisation` then
    records them as `masked_after_check`, counts only, and so does `run_info`.
    """
    from .cards import write_theme_cards
    from .html import render_html
    from .markdown import render_markdown
    from .sticky import sticky_notes
    from .view import build_report_view

    out_dir = Path(out_dir)
    names = list(OUTPUT_FILES)
    view = build_report_view(data)  # what every renderer lays out, built once
    def check_and_record(staging: Path) -> None:
        masked = check(staging) if check is not None else None
        if masked is not None:
            # Kinds of datum and counts only: nothing the check has not already passed.
            run_info.setdefault("anonymisation", {})["masked_after_check"] = dict(masked)
            write_json(run_info, staging / "run.json")

    with staging_folder(out_dir, check=check_and_record) as staging:
        write_csv(themes_table(data.themes), staging / "themes.csv")
        write_csv(quotes_table(data.quotes), staging / "quotes.csv")
        write_csv(data.dilemmas[schema.DILEMMA_COLUMNS], staging / "dilemmas.csv")
        write_csv(data.dilemma_decisions[schema.DILEMMA_DECISION_COLUMNS], staging / "dilemma_decisions.csv")
        write_csv(data.common_ground[schema.COMMON_GROUND_COLUMNS], staging / "common_ground.csv")
        write_csv(data.decisions, staging / "decisions.csv")
        (staging / "theme_report.html").write_text(render_html(data, view), encoding="utf-8")
        (staging / "theme_report.md").write_text(render_markdown(data, view), encoding="utf-8")
        write_theme_cards(data, staging / "theme_cards.docx", view)
        write_csv(sticky_notes(data, view), staging / "sticky_notes.csv")
        if data.theme_keys is not None:
            write_json(data.theme_keys, staging / THEME_KEYS_FILE)
            names.append(THEME_KEYS_FILE)
        write_json(run_info, staging / "run.json")
    logger.info("wrote %d files to %s", len(names), out_dir)
    return [out_dir / name for name in names]


__all__ = ["ReportData", "build_report_data", "write_report", "OUTPUT_FILES", "THEME_KEYS_FILE"]

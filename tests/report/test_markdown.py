"""The Markdown report: same content as the HTML, inert quote text, stable tables."""
from __future__ import annotations

import re

from pipeline import schema
from pipeline.report.data import ReportData
from pipeline.report.markdown import escape_markdown, render_markdown
from pipeline.report.view import LANGUAGE_ALL_ENGLISH, LANGUAGE_HEADING, LANGUAGE_NOT_CHECKED

from .conftest import without_dilemmas


def _table_rows(markdown: str) -> list[str]:
    return [line for line in markdown.splitlines() if line.startswith("| ")]


def _cells(row: str) -> list[str]:
    # A cell boundary is a `|` not preceded by a backslash.
    return re.split(r"(?<!\\)\|", row.strip())[1:-1]


def test_contains_labels_teams_and_representative_quote_ids(report_data: ReportData) -> None:
    text = render_markdown(report_data)
    assert "### Waiting lists versus urgent repairs" in text
    assert "### Forms & &lt;b&gt;phone&lt;/b&gt; scripts" in text
    assert r"### Budget sign\_off \*approvals\*" in text
    for team in report_data.summary["teams"]:
        assert team in text
    for ids in report_data.themes[schema.REPRESENTATIVE_QUOTES]:
        for quote_id in ids:
            assert quote_id in text


def test_shared_before_team_specific(report_data: ReportData) -> None:
    text = render_markdown(report_data)
    assert (text.index("## Shared across teams")
            < text.index("### Waiting lists")
            < text.index("### Forms")
            < text.index("## Team-specific themes")
            < text.index("### Budget"))


def test_summary_failed_files_outliers_method_and_anonymisation(
        report_data: ReportData) -> None:
    text = render_markdown(report_data)
    assert r"finance/broken.docx" in text
    assert "not a valid .docx file (the zip is damaged)" in text
    assert "undecodable bytes at offset 12; save it as UTF-8" in text
    for share in ("17%", "33%", "14%"):
        assert share in text
    assert "## Method and settings" in text and "smoothed share" in text
    assert "| PERSON | 14 |" in text
    for name in ("Anna Smith", "Carol White", "dave.brown"):
        assert name not in text


def test_matrix_is_a_table_with_a_column_per_team(report_data: ReportData) -> None:
    text = render_markdown(report_data)
    matrix = text[text.index("## Common-ground matrix"):text.index("## Shared across teams")]
    rows = _table_rows(matrix)
    assert _cells(rows[0])[2:] == [" Contact centre ", " Finance ", " Housing "]
    first = [c.strip() for c in _cells(rows[2])]
    assert first == ["Waiting lists versus urgent repairs (shared)", "0.82", "2", "1", "5"]
    assert [c.strip() for c in _cells(rows[-1])][2:] == ["1", "2", "1"]


def test_quote_text_cannot_inject_markup(report_data: ReportData) -> None:
    text = render_markdown(report_data)
    assert "<script" not in text
    assert "<img" not in text
    assert "<b>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "&lt;img src=x onerror=alert(1)&gt;" in text
    assert "[click]" not in text
    assert r"\[click\](javascript:alert(1))" in text
    assert r"Costs \| time \*really\* \_mattered\_ \`rm -rf\`" in text


def test_every_table_row_has_as_many_cells_as_its_header(report_data: ReportData) -> None:
    text = render_markdown(report_data)
    for block in text.split("\n\n"):
        rows = _table_rows(block)
        if rows:
            widths = {len(_cells(row)) for row in rows}
            assert len(widths) == 1, block


def test_decision_row_lists_ids_in_order(report_data: ReportData) -> None:
    text = render_markdown(report_data)
    row = next(r for r in _table_rows(text) if "Q001" in r and "Q002" in r)
    cells = [c.strip() for c in _cells(row)]
    assert cells[0] == "Housing"
    assert cells[1].endswith("(Q001)") and cells[2].endswith("(Q002)")
    assert cells[3].endswith("(Q003)")


def test_escape_markdown() -> None:
    assert escape_markdown("a|b") == r"a\|b"
    assert escape_markdown("line\nbreak") == "line break"
    assert escape_markdown("&lt;b&gt;") == "&amp;lt;b&amp;gt;"
    assert escape_markdown("R&D") == "R&D"
    assert escape_markdown("# not a heading") == r"\# not a heading"


def test_rendering_is_deterministic(report_data: ReportData) -> None:
    assert render_markdown(report_data) == render_markdown(report_data)


def test_renders_a_run_with_no_themes(report_data: ReportData) -> None:
    data = report_data
    data.themes = data.themes.iloc[0:0]
    data.decisions = data.decisions.iloc[0:0]
    data.quotes = data.quotes.assign(**{schema.THEME_ID: -1})
    text = render_markdown(data)
    assert text.count("_This run found no themes._") == 2


def test_skipped_files_map_legend_and_theme_keys(report_data: ReportData) -> None:
    data = report_data
    data.summary["skipped_inputs"] = [{"file": "README.md", "reason": "a README, not a transcript"}]
    data.themes["theme_key"] = ["tAAA", "tBBB", "tCCC"]
    text = render_markdown(data)
    assert "- Files skipped: 1" in text and "| README.md | a README, not a transcript |" in text
    legend = text[text.index("## Map of quotes"):text.index("## Shared across teams")]
    assert "theme_report.html" in legend and "- Waiting lists versus urgent repairs: 8 quotes" in legend
    assert "- No theme (outliers): 4 quotes" in legend  # one of them has no map position
    assert "_Theme 0 · key tAAA_" in text


def test_curation_is_listed_and_hidden_quotes_get_their_own_column(report_data: ReportData) -> None:
    data = report_data
    hidden = data.quotes[schema.QUOTE_ID].isin(["Q011", "Q012", "Q018"])
    data.quotes.loc[hidden, schema.THEME_ID] = -1
    data.quotes.loc[hidden, schema.PLACED_BY] = "hidden"
    data.themes = data.themes[data.themes[schema.THEME_ID] != 2]
    data.decisions = data.decisions[data.decisions[schema.THEME_ID] != 2]
    data.summary["curation"] = {"applied": [{"action": "merge", "theme": "tA, tB", "label": "Both *of* them"}],
                                "not_applied": []}
    text = render_markdown(data)
    assert "| Team | Quotes in no theme | Hidden by curation | Of the team's quotes | Share |" in text
    assert "| Finance | 2 | 3 | 6 | 83% |" in text
    assert "_Hidden by curation_" in text
    assert r"- Themes tA, tB merged as “Both \*of\* them”." in text



def _between(text: str, start: str, end: str) -> str:
    return text[text.index(start):text.index(end)]


def test_shared_dilemmas_then_common_ground_then_the_rest(report_data: ReportData) -> None:
    text = render_markdown(report_data)
    sections = [line for line in text.splitlines() if line.startswith("## ")]
    assert sections[:3] == ["## Shared dilemmas", "## Common ground for the workshop", "## Run summary"]
    assert sections.index("## Run summary") < sections.index("## Shared across teams")
    dilemmas = _between(text, "## Shared dilemmas", "## Common ground for the workshop")
    assert (dilemmas.index("### clear the waiting list · do urgent repairs first")
            < dilemmas.index("### the &lt;b&gt;online&lt;/b&gt; form · the phone script")
            < dilemmas.index("### Raised by one team")
            < dilemmas.index("approve small repairs now · wait for the panel (D3, 0.20)"))
    assert "- **Teams:** Contact centre, Housing (2)" in dilemmas and "- **Common-ground score:** 0.74" in dilemmas


def test_dilemma_rows_read_team_dilemma_decision_reason_or_not_said(report_data: ReportData) -> None:
    text = render_markdown(report_data)
    dilemmas = _between(text, "## Shared dilemmas", "### Raised by one team")
    rows = [[c.strip() for c in _cells(row)] for row in _table_rows(dilemmas)]
    assert rows[0] == ["Team", "Dilemma, as the team voiced it", "Decision point (what the team changed)", "Reason"]
    contact = rows[2]
    assert contact[0] == "Contact centre" and contact[1].endswith("(Q005)") and contact[2].endswith("(Q006)")
    assert contact[3] == "_not said_"


def test_every_quote_in_the_dilemmas_and_the_common_ground_carries_its_id(report_data: ReportData) -> None:
    text = render_markdown(report_data)
    first_sections = _between(text, "## Shared dilemmas", "## Run summary")
    assert first_sections.count("“") == 10 + 1 + 2  # the dilemmas' rows, the ground's statement and quotes
    after_each = re.findall(r"”(?=(.{0,45}))", first_sections, flags=re.S)
    assert len(after_each) == 10 + 1 + 2
    for after in after_each:
        # In a table cell "(Q001)", in a list "— Housing, Q004", the statement's on the line below it.
        assert re.match(r" \(Q\d{3}\)| — [A-Za-z ]+, Q\d{3}|\n\n_Common ground 1 · G1_ — Housing, Q003", after), after


def test_common_ground_names_its_statement_teams_dilemmas_and_quotes(report_data: ReportData) -> None:
    text = render_markdown(report_data)
    ground = _between(text, "## Common ground for the workshop", "## Run summary")
    assert "### “Because the worst cases were waiting as long as the cosmetic ones.”" in ground
    assert "- **Teams:** Contact centre, Finance, Housing (3)" in ground
    assert ("- **Dilemmas:** clear the waiting list · do urgent repairs first (D1); "
            "approve small repairs now · wait for the panel (D3)") in ground
    assert "- “Sign-off takes three signatures for anything over a small amount.” — Finance, Q012" in ground


def test_markup_in_a_dilemma_title_or_statement_is_inert(report_data: ReportData) -> None:
    report_data.common_ground.at[0, schema.STATEMENT] = "Staff <script>alert(3)</script> | *decide*"
    text = render_markdown(report_data)
    first_sections = _between(text, "## Shared dilemmas", "## Run summary")
    assert "<script" not in text and "<b>" not in text
    assert "### the &lt;b&gt;online&lt;/b&gt; form · the phone script" in first_sections
    assert "“We were told &lt;script&gt;alert(1)&lt;/script&gt; was fine by the supplier.” (Q004)" in first_sections
    assert r"### “Staff &lt;script&gt;alert(3)&lt;/script&gt; \| \*decide\*”" in first_sections


def test_a_run_without_dilemmas_says_so_first(report_data: ReportData) -> None:
    text = render_markdown(without_dilemmas(report_data))
    assert text.split("\n\n")[2:6] == [
        "## Shared dilemmas", "_No shared dilemma was found in these conversations._",
        "## Common ground for the workshop",
        "_No common ground was found: no principle was given as a reason by 3 or more teams across 2 or more dilemmas._"]
    assert "### Waiting lists versus urgent repairs" in text


def test_a_theme_card_shows_its_headline_with_its_quote_id_and_flags_a_loose_theme(report_data: ReportData) -> None:
    report_data.themes[schema.HEADLINE] = ["We stopped *promising* dates on the phone.", "", ""]
    report_data.themes[schema.HEADLINE_QUOTE_ID] = ["Q006", "", ""]
    report_data.themes[schema.STABILITY] = [0.4, 0.9, 0.8]
    report_data.themes[schema.COHESION] = [0.61, 0.7, 0.5]
    report_data.themes[schema.LOOSE] = [1, 0, 0]
    text = render_markdown(report_data)
    card = text[text.index("### Waiting lists"):]
    assert card.startswith("### Waiting lists versus urgent repairs\n\n_Theme 0 · loose theme_\n\n"
                           r"> “We stopped \*promising\* dates on the phone.” (Q006)")
    assert "- **Loose theme: comes back 40% whole when re-clustered, cohesion 0.61**" in card
    assert text.index("### Forms") < text.index("### Waiting lists")


def test_the_size_under_the_title_counts_in_the_singular_where_there_is_one(report_data: ReportData) -> None:
    assert f"6 conversations · 3 teams · {len(report_data.quotes)} quotes · 3 themes" in render_markdown(report_data)
    report_data.summary.update(n_transcripts=1, n_teams=1, n_themes=1)
    assert f"1 conversation · 1 team · {len(report_data.quotes)} quotes · 1 theme" in render_markdown(report_data)


def _run_summary(markdown: str) -> str:
    return markdown[markdown.index("## Run summary"):markdown.index("## Common-ground matrix")]


def test_files_in_another_language_are_listed_with_their_language_and_why_it_matters(
        report_data: ReportData) -> None:
    report_data.summary["other_language_inputs"] = [{"file": "care/sgwrs_3.txt", "language": "cy"},
                                                    {"file": "care/gespraech-1.docx", "language": "de"}]
    summary = _run_summary(render_markdown(report_data))
    assert "- Files in another language: 2" in summary
    section = summary[summary.index(f"### {LANGUAGE_HEADING}"):summary.index("### Files skipped")]
    assert [_cells(row) for row in _table_rows(section)] == [
        [" File ", " Language "], [" --- ", " --- "], [" care/gespraech-1.docx ", " German (de) "],
        [r" care/sgwrs\_3.txt ", " Welsh (cy) "]]
    assert "name finder" in section and "Read their quotes before sharing" in section
    assert LANGUAGE_ALL_ENGLISH not in section


def test_no_file_in_another_language_says_so_in_one_line(report_data: ReportData) -> None:
    report_data.summary["other_language_inputs"] = []
    summary = _run_summary(render_markdown(report_data))
    assert f"### {LANGUAGE_HEADING}\n\n{LANGUAGE_ALL_ENGLISH}\n" in summary
    assert "- Files in another language" not in summary


def test_a_summary_from_before_the_language_check_does_not_claim_english(report_data: ReportData) -> None:
    summary = _run_summary(render_markdown(report_data))  # the fixture's summary has no such key
    assert f"_{LANGUAGE_NOT_CHECKED}_" in summary and LANGUAGE_ALL_ENGLISH not in summary

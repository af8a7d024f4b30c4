"""The HTML report: content, escaping, self-containment and determinism."""
from __future__ import annotations

import re
from html.parser import HTMLParser

import markupsafe

from pipeline import schema
from pipeline.report.data import ReportData
from pipeline.report.html import render_html


class _TagCollector(HTMLParser):
    """Collect start tags and <title> texts inside the SVG, as a browser would parse them."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.svg_titles: list[str] = []
        self._in_svg = False
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.tags.append(tag)
        self._in_svg = self._in_svg or tag == "svg"
        self._in_title = self._in_svg and tag == "title"

    def handle_endtag(self, tag: str) -> None:
        if tag == "svg":
            self._in_svg = False
        if tag == "title":
            self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.svg_titles.append(data)


def _parse(html: str) -> _TagCollector:
    parser = _TagCollector()
    parser.feed(html)
    return parser


def test_contains_every_theme_label_team_and_representative_quote_id(
        report_data: ReportData) -> None:
    html = render_html(report_data)
    assert "Waiting lists versus urgent repairs" in html
    assert "Forms &amp; &lt;b&gt;phone&lt;/b&gt; scripts" in html
    assert "Budget sign_off *approvals*" in html
    for team in report_data.summary["teams"]:
        assert team in html
    for ids in report_data.themes[schema.REPRESENTATIVE_QUOTES]:
        for quote_id in ids:
            assert quote_id in html


def test_shared_themes_come_before_team_specific(report_data: ReportData) -> None:
    html = render_html(report_data)
    shared = html.index('<h2>Shared across teams</h2>')
    specific = html.index('<h2>Team-specific themes</h2>')
    assert shared < html.index('id="theme-0"') < html.index('id="theme-1"') < specific
    assert specific < html.index('id="theme-2"')


def test_summary_shows_failed_files_and_outlier_shares(report_data: ReportData) -> None:
    html = render_html(report_data)
    for item in report_data.summary["failed_inputs"]:
        assert item["file"] in html
        assert item["reason"] in html
    for share in ("17%", "33%", "14%"):
        assert share in html


def test_decision_table_pairs_dilemma_decision_and_reason(report_data: ReportData) -> None:
    html = render_html(report_data)
    card = html[html.index('id="theme-0"'):html.index('id="theme-1"')]
    row = card[card.index("<th scope=\"row\">Housing</th>"):]
    row = row[:row.index("</tr>")]
    assert row.index("Q001") < row.index("Q002") < row.index("Q003")
    assert "risk to the tenant" in row


def test_matrix_counts_quotes_per_team_and_theme(report_data: ReportData) -> None:
    html = render_html(report_data)
    matrix = html[html.index('class="matrix"'):html.index('id="map"')]
    # Theme 0: Contact centre 2, Finance 1, Housing 5 (teams in sorted order).
    row = matrix[matrix.index('href="#theme-0"'):]
    row = row[:row.index("</tr>")]
    assert re.findall(r'class="cell"[^>]*>(\d+)<', row) == ["2", "1", "5"]
    outliers = matrix[matrix.index("No theme (outliers)"):]
    assert re.findall(r'class="cell"[^>]*>(\d+)<', outliers[:outliers.index("</tr>")]) == [
        "1", "2", "1"]


def test_script_and_img_in_quotes_are_escaped(report_data: ReportData) -> None:
    html = render_html(report_data)
    assert "<script" not in html.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    tags = _parse(html).tags
    assert "script" not in tags
    assert "img" not in tags
    assert "b" not in tags  # from the label "Forms & <b>phone</b> scripts"


def test_map_has_one_point_per_placed_quote_with_its_id_and_text(
        report_data: ReportData) -> None:
    html = render_html(report_data)
    placed = report_data.quotes.dropna(subset=[schema.X_2D, schema.Y_2D])
    assert html.count("<circle ") == len(placed)
    titles = _parse(html).svg_titles
    assert len(titles) == len(placed)
    assert any("Q004" in t and "<script>alert(1)</script>" in t for t in titles)
    assert "1 quote has no map position" in html
    assert 'fill="#A6A6A6"' in html  # grey for quotes in no theme


def test_no_external_resources(report_data: ReportData) -> None:
    html = render_html(report_data)
    without_svg_namespace = html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "http://" not in without_svg_namespace
    assert "https://" not in without_svg_namespace
    assert "@import" not in html
    assert "url(" not in html
    assert "<link" not in html


def test_has_print_stylesheet_with_one_card_per_page(report_data: ReportData) -> None:
    html = render_html(report_data)
    print_css = html[html.index("@media print"):]
    assert ".theme-card { break-before: page" in print_css


def test_method_settings_and_anonymisation_without_names(report_data: ReportData) -> None:
    html = render_html(report_data)
    assert str(markupsafe.escape(report_data.summary["common_ground_formula"])) in html
    assert "0.1.0" in html and "cluster.method" in html
    for count in ("14", "EMAIL", "GPE", "PERSON"):
        assert count in html
    for name in ("Anna Smith", "Bob Jones", "Carol White", "dave.brown"):
        assert name not in html
    assert "…/minilm" in html


def test_rendering_is_deterministic_and_has_no_dates(report_data: ReportData) -> None:
    first = render_html(report_data)
    assert first == render_html(ReportData(**vars(report_data)))
    assert not re.search(r"\b20\d\d-\d\d-\d\d", first)


def test_renders_a_run_with_no_themes(report_data: ReportData) -> None:
    data = report_data
    data.themes = data.themes.iloc[0:0]
    data.decisions = data.decisions.iloc[0:0]
    data.quotes = data.quotes.assign(**{schema.THEME_ID: -1})
    html = render_html(data)
    assert "This run found no themes." in html
    assert html.count("<circle ") == data.quotes[schema.X_2D].notna().sum()

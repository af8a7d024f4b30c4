"""The HTML report: content, escaping (HTML and script contexts), self-containment and determinism."""
from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import markupsafe

from pipeline import schema
from pipeline.report.data import ReportData
from pipeline.report.html import PRINTED_QUOTES, printed_quotes, render_html
from pipeline.report.view import LANGUAGE_ALL_ENGLISH, LANGUAGE_HEADING, LANGUAGE_NOT_CHECKED, build_report_view
from pipeline.vendored import plotly_js

from .conftest import without_dilemmas


class _Page(HTMLParser):
    """Start tags, script elements and the text outside scripts, as a browser's parser sees them."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.scripts: list[tuple[dict, str]] = []
        self.text_outside_scripts: list[str] = []
        self._script: dict | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "script":
            self._script = dict(attrs)
            self.scripts.append((self._script, ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._script = None

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            attrs, body = self.scripts[-1]
            self.scripts[-1] = (attrs, body + data)
        else:
            self.text_outside_scripts.append(data)


def _parse(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    return page


def _outside_scripts(html: str) -> str:
    """The page with every script body removed: what the HTML itself says."""
    return re.sub(r"(<script[^>]*>).*?(</script>)", r"\1\2", html, flags=re.S)


def _map_spec(html: str) -> dict:
    page = _parse(html)
    body = next(body for attrs, body in page.scripts if attrs.get("id") == "quote-map-data")
    return json.loads(body)


def _points(spec: dict) -> dict[str, str]:
    """quote id -> hover text, over every trace."""
    return {qid: hover for trace in spec["data"] for qid, hover in zip(trace["customdata"], trace["hovertext"])}


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


def test_script_and_img_in_quotes_are_escaped(report_data: ReportData) -> None:
    html = render_html(report_data)
    page_html = _outside_scripts(html)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page_html
    assert "&lt;img src=x onerror=alert(1)&gt;" in page_html
    assert "<script>alert" not in html and "<img" not in html
    page = _parse(html)
    tags = [tag for tag, _ in page.tags]
    assert "img" not in tags and "b" not in tags  # "b" from the label "Forms & <b>phone</b> scripts"
    # Exactly our three scripts: the map's data, plotly.js, the set-up.
    assert [attrs for attrs, _ in page.scripts] == [{"type": "application/json", "id": "quote-map-data"}, {}, {}]


def test_map_data_is_escaped_for_a_script_context(report_data: ReportData) -> None:
    data = report_data
    nasty = "Ends here </script><script>alert(2)</script> <!-- <script> and \u2028 \u2029 & done"
    data.quotes.loc[data.quotes[schema.QUOTE_ID] == "Q009", schema.TEXT] = nasty
    html = render_html(data)
    body = next(b for a, b in _parse(html).scripts if a.get("id") == "quote-map-data")
    for raw in ("<", ">", "&", "\u2028", "\u2029"):
        assert raw not in body, repr(raw)
    hover = _points(json.loads(body))["Q009"]
    # Escaped for Plotly's HTML subset too: the text shows as written, nothing parses as a tag.
    assert "&lt;/script&gt;&lt;script&gt;alert(2)&lt;/script&gt;" in hover
    assert "\u2029" in hover and "&amp; done" in hover  # (U+2028 is whitespace to the line wrapping)


def test_map_has_one_point_per_placed_quote_with_its_id_and_text(report_data: ReportData) -> None:
    html = render_html(report_data)
    spec = _map_spec(html)
    placed = report_data.quotes.dropna(subset=[schema.X_2D, schema.Y_2D])
    points = _points(spec)
    assert sorted(points) == sorted(placed[schema.QUOTE_ID])
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in points["Q004"] and "Housing · Q004" in points["Q004"]
    names = [trace["name"] for trace in spec["data"]]
    assert names[0] == "No theme (outliers)" and spec["data"][0]["marker"]["color"] == "#A6A6A6"
    assert "Forms &amp; &lt;b&gt;phone&lt;/b&gt; scripts" in names
    assert "1 quote has no map position" in html
    assert 'id="quote-map"' in html and "Plotly.newPlot" in html


def test_plotly_is_inlined_from_the_pinned_package(report_data: ReportData) -> None:
    html = render_html(report_data)
    source = plotly_js()
    assert source in html and len(source) > 1_000_000
    assert "</script" not in source.lower() and "<!--" not in source


def test_no_external_resources(report_data: ReportData) -> None:
    html = render_html(report_data)
    page_html = _outside_scripts(html)
    assert "http://" not in page_html and "https://" not in page_html
    assert "@import" not in page_html and "url(" not in page_html
    tags = _parse(html).tags
    assert not [(t, a) for t, a in tags if "src" in a or "href" in a and not a["href"].startswith("#")]
    assert "<link" not in page_html
    assert json.dumps(_map_spec(html)).count("http") == 0


def test_rendering_is_deterministic_and_has_no_dates(report_data: ReportData) -> None:
    first = render_html(report_data)
    assert first == render_html(ReportData(**vars(report_data)))
    assert not re.search(r"\b20\d\d-\d\d-\d\d", _outside_scripts(first))


def test_renders_a_run_with_no_themes(report_data: ReportData) -> None:
    data = report_data
    data.themes = data.themes.iloc[0:0]
    data.decisions = data.decisions.iloc[0:0]
    data.quotes = data.quotes.assign(**{schema.THEME_ID: -1})
    html = render_html(data)
    assert "This run found no themes." in html
    assert len(_points(_map_spec(html))) == data.quotes[schema.X_2D].notna().sum()


def test_renders_without_a_map_when_no_quote_has_a_position(report_data: ReportData) -> None:
    data = report_data
    data.quotes = data.quotes.assign(**{schema.X_2D: float("nan")})
    html = render_html(data)
    assert "No quote has a position on the map." in html
    assert "<script" not in html


def test_skipped_files_are_listed(report_data: ReportData) -> None:
    report_data.summary["skipped_inputs"] = [{"file": "README.md", "reason": "a README, not a transcript"}]
    html = render_html(report_data)
    skipped = html[html.index("<h4>Files skipped</h4>"):html.index('<section id="matrix">')]
    assert "README.md" in skipped and "a README, not a transcript" in skipped


def test_curation_shows_hidden_quotes_apart_and_lists_what_was_done(report_data: ReportData) -> None:
    data = report_data
    hidden = data.quotes[schema.QUOTE_ID].isin(["Q011", "Q012", "Q018"])
    data.quotes.loc[hidden, schema.THEME_ID] = -1
    data.quotes.loc[hidden, schema.PLACED_BY] = "hidden"
    data.themes = data.themes[data.themes[schema.THEME_ID] != 2].assign(theme_key=["tAAA", "tBBB"])
    data.decisions = data.decisions[data.decisions[schema.THEME_ID] != 2]
    data.summary["curation"] = {"applied": [
        {"action": "rename", "theme": "tAAA", "label": "Repairs <first>"},
        {"action": "hide", "theme": "tCCC", "theme_key": "tCCC", "label": "Budget", "n_quotes": 3,
         "reason": "not for today"}],
        "not_applied": [{"action": "merge", "theme": "tX, tY", "status": "theme not in this run"}]}
    html = render_html(data)
    outliers = html[html.index('class="outliers compact"'):]
    finance = outliers[outliers.index("<th scope=\"row\">Finance</th>"):]
    cells = re.findall(r'class="num">([^<]+)<', finance[:finance.index("</tr>")])
    assert cells == ["2", "3", "6", "83%"]  # 2 outliers, 3 hidden, of 6: 5 of 6 in no theme
    matrix = html[html.index('class="matrix"'):html.index('id="map"')]
    assert "Hidden by curation" in matrix
    method = html[html.index('id="method"'):]
    assert "Theme tAAA renamed “Repairs &lt;first&gt;”." in method
    assert "Theme “Budget” (tCCC, 3 quotes) hidden: not for today." in method
    assert "Not applied: merge of tX, tY (theme not in this run)." in method
    assert "tAAA" in html[html.index('id="theme-0"'):html.index('id="theme-1"')]
    assert "Hidden by curation" in [t["name"] for t in _map_spec(html)["data"]]


def test_print_stylesheet_fits_the_map_to_the_page(report_data: ReportData) -> None:
    html = render_html(report_data)
    print_css = html[html.index("@media print"):html.index("</style>")]
    assert "#matrix, #map, #method { break-before: page" in print_css
    assert ".modebar-container { display: none" in print_css
    assert 'addEventListener("beforeprint"' in html



def _section(html: str, section_id: str) -> str:
    start = html.index(f'<section id="{section_id}"')
    return html[start:html.index("</section>", start)]


def test_shared_dilemmas_then_common_ground_then_the_rest_on_the_page_and_in_the_contents(
        report_data: ReportData) -> None:
    html = render_html(report_data)
    sections = re.findall(r'<section id="([^"]+)"', html)
    assert sections[:3] == ["dilemmas", "common-ground", "summary"]
    assert sections.index("common-ground") < sections.index("shared") < sections.index("team-specific")
    nav = html[html.index("<nav"):html.index("</nav>")]
    assert re.findall(r'href="#([^"]+)"', nav) == sections
    dilemmas = _section(html, "dilemmas")
    # Shared cards in rank order, then the one team's dilemma under its own heading.
    assert (dilemmas.index('id="dilemma-1"') < dilemmas.index('id="dilemma-2"')
            < dilemmas.index("<h3 id=\"one-team\">Raised by one team</h3>") < dilemmas.index('id="dilemma-3"'))
    assert "<h3>clear the waiting list · do urgent repairs first</h3>" in dilemmas
    assert "Contact centre, Housing" in dilemmas and "0.74" in dilemmas


def test_each_team_row_of_a_dilemma_reads_dilemma_decision_reason_or_not_said(report_data: ReportData) -> None:
    card = _section(render_html(report_data), "dilemmas")
    card = card[card.index('id="dilemma-1"'):card.index('id="dilemma-2"')]
    contact = card[card.index('<th scope="row">Contact centre</th>'):]
    cells = re.findall(r"<td>(.*?)</td>", contact[:contact.index("</tr>")])
    assert [re.findall(r'class="qid">([^<]+)<', cell) for cell in cells] == [["Q005"], ["Q006"], []]
    assert cells[2] == '<span class="none">not said</span>'


def test_every_quote_in_the_dilemmas_and_the_common_ground_carries_its_id(report_data: ReportData) -> None:
    html = render_html(report_data)
    for section_id, n_quotes in (("dilemmas", 10), ("common-ground", 2)):
        section = _section(html, section_id)
        assert section.count("<q>") == n_quotes
        after_each = re.findall(r"</q>(?=(.{0,30}))", section)
        assert len(after_each) == n_quotes
        assert all(re.match(r' <span class="qid">Q\d{3}</span>', after) for after in after_each), after_each
    ground = _section(html, "common-ground")
    statement = ground[ground.index('<blockquote class="statement">'):]
    assert re.search(r'</blockquote>\s*<p class="source">Housing · <span class="qid">Q003</span>', statement)


def test_common_ground_links_to_the_dilemma_cards_it_spans(report_data: ReportData) -> None:
    html = render_html(report_data)
    ground = _section(html, "common-ground")
    assert "<blockquote class=\"statement\">Because the worst cases were waiting" in ground
    links = re.findall(r'<a href="#(dilemma-\d+)">([^<]+)</a>', ground)
    assert links == [("dilemma-1", "clear the waiting list · do urgent repairs first"),
                     ("dilemma-3", "approve small repairs now · wait for the panel")]
    for anchor, _ in links:
        assert html.count(f'id="{anchor}"') == 1
    assert "Contact centre, Finance, Housing" in ground


def test_markup_in_a_dilemma_title_or_quote_is_shown_as_text(report_data: ReportData) -> None:
    report_data.common_ground.at[0, schema.STATEMENT] = "Staff <script>alert(3)</script> should decide"
    html = render_html(report_data)
    dilemmas, ground = _section(html, "dilemmas"), _section(html, "common-ground")
    assert "<h3>the &lt;b&gt;online&lt;/b&gt; form · the phone script</h3>" in dilemmas
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in dilemmas and "&lt;img src=x" in dilemmas
    assert "Staff &lt;script&gt;alert(3)&lt;/script&gt; should decide" in ground
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in ground  # a supporting quote
    assert "<script>alert" not in html and "<b>" not in html
    assert [attrs for attrs, _ in _parse(html).scripts] == [{"type": "application/json", "id": "quote-map-data"}, {}, {}]


def test_a_run_without_dilemmas_says_so_and_still_renders_its_themes(report_data: ReportData) -> None:
    html = render_html(without_dilemmas(report_data))
    assert '<p class="none">No shared dilemma was found in these conversations.</p>' in _section(html, "dilemmas")
    assert "No common ground was found" in _section(html, "common-ground")
    assert 'class="dilemma-card"' not in html and "Raised by one team" not in html
    assert html.index('id="common-ground"') < html.index('id="theme-0"')


def test_dilemmas_of_one_team_only_say_none_is_shared(report_data: ReportData) -> None:
    report_data.dilemmas = report_data.dilemmas[report_data.dilemmas[schema.N_TEAMS] < 2]
    dilemmas = _section(render_html(report_data), "dilemmas")
    assert "No shared dilemma was found: each dilemma below was raised by one team alone." in dilemmas
    assert dilemmas.index("No shared dilemma") < dilemmas.index("Raised by one team") < dilemmas.index("Q011")


def test_a_theme_card_shows_its_headline_with_its_quote_id_and_flags_a_loose_theme(report_data: ReportData) -> None:
    report_data.themes[schema.HEADLINE] = ["We stopped <b>promising</b> dates on the phone.", "", ""]
    report_data.themes[schema.HEADLINE_QUOTE_ID] = ["Q006", "", ""]
    report_data.themes[schema.STABILITY] = [0.4, 0.9, 0.8]
    report_data.themes[schema.COHESION] = [0.61, 0.7, 0.5]
    report_data.themes[schema.LOOSE] = [1, 0, 0]
    html = render_html(report_data)
    card = html[html.index('id="theme-0"'):]
    card = card[:card.index("</article>")]
    assert '<q>We stopped &lt;b&gt;promising&lt;/b&gt; dates on the phone.</q> <span class="qid"' in card
    assert "Q006" in card and "loose theme" in card
    assert "Loose theme: comes back 40% whole when re-clustered, cohesion 0.61" in card
    assert html.index('id="theme-1"') < html.index('id="theme-0"')  # the loose theme after the firm one


def _summary_section(html: str) -> str:
    return _section(html, "summary")


def test_files_in_another_language_are_listed_with_their_language_and_why_it_matters(
        report_data: ReportData) -> None:
    report_data.summary["other_language_inputs"] = [{"file": "care/sgwrs-3.txt", "language": "cy"},
                                                    {"file": "care/gespraech-1.docx", "language": "de"}]
    summary = _summary_section(render_html(report_data))
    section = summary[summary.index(f"<h4>{LANGUAGE_HEADING}</h4>"):summary.index("<h4>Files skipped</h4>")]
    rows = re.findall(r"<tr><td>([^<]*)</td><td>([^<]*)</td></tr>", section)
    assert rows == [("care/gespraech-1.docx", "German (de)"), ("care/sgwrs-3.txt", "Welsh (cy)")]
    assert "name finder" in section and "Read their quotes before sharing" in section
    assert LANGUAGE_ALL_ENGLISH not in section
    # The count stands beside "files not read" and "files skipped".
    assert re.search(r'class="n">2</span><span class="what">files in another language<', summary)


def test_no_file_in_another_language_says_so_in_one_line(report_data: ReportData) -> None:
    report_data.summary["other_language_inputs"] = []
    summary = _summary_section(render_html(report_data))
    assert f"<h4>{LANGUAGE_HEADING}</h4>" in summary and f"<p>{LANGUAGE_ALL_ENGLISH}</p>" in summary
    assert "in another language</span>" not in summary  # no stat for none
    assert 'class="languages' not in summary


def test_a_summary_from_before_the_language_check_does_not_claim_english(report_data: ReportData) -> None:
    summary = _summary_section(render_html(report_data))  # the fixture's summary has no such key
    assert str(markupsafe.escape(LANGUAGE_NOT_CHECKED)) in summary
    assert LANGUAGE_ALL_ENGLISH not in summary


def test_a_file_name_in_another_language_is_escaped(report_data: ReportData) -> None:
    report_data.summary["other_language_inputs"] = [{"file": "<b>x</b>.txt", "language": "<i>de</i>"}]
    summary = _summary_section(render_html(report_data))
    assert "&lt;b&gt;x&lt;/b&gt;.txt" in summary and "<b>x" not in summary and "<i>de" not in summary


def _card(html: str, theme_id: int) -> str:
    start = html.index(f'<article class="theme-card" id="theme-{theme_id}"')
    return html[start:html.index("</article>", start)]


def test_a_printed_card_leaves_out_quotes_its_table_shows_and_keeps_at_most_three(
        report_data: ReportData) -> None:
    themes = report_data.themes
    # Theme 0's table quotes Q001, Q002, Q003, Q005 and Q006: of these seven, Q004, Q007, Q019 and Q012 are not.
    themes.at[0, schema.REPRESENTATIVE_QUOTES] = ["Q001", "Q004", "Q005", "Q007", "Q019", "Q012"]
    card = build_report_view(report_data).shared_cards[0]
    assert PRINTED_QUOTES == 3
    assert printed_quotes(card) == [False, True, False, True, True, False]
    html = render_html(report_data)
    figures = re.findall(r'<figure class="quote( screen-only)?">\s*<blockquote>.*?</blockquote>\s*'
                         r'<figcaption>[^<]*<span class="qid">([^<]*)</span>', _card(html, 0), flags=re.S)
    assert [(qid, hidden == "") for hidden, qid in figures] == [
        ("Q001", False), ("Q004", True), ("Q005", False), ("Q007", True), ("Q019", True), ("Q012", False)]
    assert "Printed: 3 of 6 representative quotes" in _card(html, 0)
    # Every quote is still on the page for the screen; only print hides some.
    print_css = html[html.index("@media print"):html.index("</style>")]
    screen_css = html[html.index("<style>"):html.index("@media print")]
    assert ".screen-only { display: none; }" in print_css and ".print-only { display: block; }" in print_css
    assert ".screen-only" not in screen_css and ".print-only { display: none; }" in screen_css


def test_a_card_whose_quotes_are_all_in_its_table_prints_no_quote_heading(report_data: ReportData) -> None:
    report_data.themes.at[0, schema.REPRESENTATIVE_QUOTES] = ["Q001", "Q005"]
    card = _card(render_html(report_data), 0)
    assert '<h4 class="screen-only">Representative quotes</h4>' in card
    assert "Its representative quotes are all in the table above." in card
    assert card.count('<figure class="quote screen-only">') == 2


def test_a_card_that_prints_every_quote_has_no_print_note(report_data: ReportData) -> None:
    card = _card(render_html(report_data), 1)  # Q008 is in its table, Q009 is not
    assert "Printed: 1 of 2 representative quotes" in card
    report_data.themes.at[2, schema.REPRESENTATIVE_QUOTES] = ["Q012"]  # not in theme 2's table
    card = _card(render_html(report_data), 2)
    assert "print-note" not in card and "screen-only" not in card


def test_print_stylesheet_fits_a_card_to_its_page(report_data: ReportData) -> None:
    html = render_html(report_data)
    print_css = html[html.index("@media print"):html.index("</style>")]
    # Every theme and dilemma card starts a page; the card's tables and quotes print smaller.
    assert ".theme-card { break-before: page" in print_css and ".dilemma-card { break-before: page" in print_css
    assert re.search(r"table\.decisions, table\.one-team \{ font-size: 8pt;", print_css)
    assert re.search(r"\.theme-card blockquote \{ font-size: 9pt;", print_css)
    assert "#one-team { break-before: page" in print_css
    # A section without cards follows on rather than printing a near-empty page.
    assert ".theme-group.empty { break-before: auto" in print_css
    report_data.themes = report_data.themes[report_data.themes[schema.THEME_ID] != 2]
    html = render_html(report_data)
    assert '<section id="team-specific" class="theme-group empty">' in html
    assert '<section id="shared" class="theme-group">' in html

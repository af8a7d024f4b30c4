"""How a run shows itself in a notebook: its summary, its theme and dilemma cards, its offline Plotly figures.

The run is the report tests' hand-built one (tests/report/conftest.py): three
teams, three themes, three dilemmas, one piece of common ground, two failed
files, and quote text that tries to inject HTML.
"""
from __future__ import annotations

import json
import re

import pytest
from report.conftest import DILEMMA_MARKUP_TITLE, FAILED_REASONS, GROUND_STATEMENT, IMG_TEXT, SCRIPT_TEXT
from report.conftest import build_report_data as hand_built

from pipeline import schema
from pipeline.runner import Run, figures
from pipeline.runner.display import TOP
from pipeline.vendored import plotly_js


@pytest.fixture
def result() -> Run:
    data = hand_built()
    inputs = [{"file": f, "sha256": "", "status": "failed", "reason": r} for f, r in FAILED_REASONS.items()]
    inputs.append({"file": "housing/t1.txt", "sha256": "", "status": "ok", "reason": ""})
    # As every run's config now holds its [dilemmas] settings (one without predates the stage).
    summary = {"counts": {"transcripts": 6}, "inputs": inputs,
               "config": {"report": {"title": data.title}, "dilemmas": {"ground_min_teams": 3}}}
    return Run(themes=data.themes, quotes=data.quotes, decisions=data.decisions, summary=summary,
               dilemmas=data.dilemmas, dilemma_decisions=data.dilemma_decisions, common_ground=data.common_ground)


@pytest.fixture(autouse=True)
def _fresh_kernel(monkeypatch):
    """Each test starts as a new kernel would: no figure has carried plotly.js yet."""
    monkeypatch.setattr(figures, "_plotly_js_shown", False)


def cells(html: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<t[dh]>(.*?)</t[dh]>", html, re.S)]


def test_a_run_shows_its_counts_shared_dilemmas_common_ground_themes_and_failed_files(result):
    html = result._repr_html_()
    header = cells(html)[:14]
    counts = dict(zip(header[:7], header[7:]))
    assert counts == {"conversations": "6", "teams": "3", "quotes": "19", "themes": "3", "shared dilemmas": "2",
                      "common ground": "1", "failed files": "2"}
    assert html.index("clear the waiting list") < html.index("the &lt;b&gt;online&lt;/b&gt; form")  # by rank
    assert "approve small repairs now" not in html  # one team's dilemma: not a shared one
    assert GROUND_STATEMENT in html
    assert "Waiting lists versus urgent repairs" in html
    for file, reason in FAILED_REASONS.items():
        assert file in html and reason in html


def test_a_run_without_failures_or_dilemmas_says_so(result):
    result.summary["inputs"] = [i for i in result.summary["inputs"] if i["status"] == "ok"]
    result.dilemmas = result.dilemmas.iloc[0:0]
    result.dilemma_decisions = result.dilemma_decisions.iloc[0:0]
    result.common_ground = result.common_ground.iloc[0:0]
    html = result._repr_html_()
    assert "None: every transcript was read." in html
    assert "No shared dilemma was found in these conversations." in html
    assert "<h4>Common ground</h4>" not in html


def test_a_run_lists_only_its_top_themes(result):
    many = result.themes.loc[[0] * (TOP + 2)].reset_index(drop=True)
    many[schema.THEME_ID] = range(len(many))
    many[schema.LABEL] = [f"Theme label {i}" for i in range(len(many))]
    result.themes = many
    html = result._repr_html_()
    assert f"(top {TOP} of {TOP + 2})" in html
    assert f"Theme label {TOP - 1}" in html and f"Theme label {TOP}" not in html


def test_text_from_transcripts_is_escaped_everywhere(result):
    shown = result._repr_html_() + result.theme(0)._repr_html_() + result.theme(1)._repr_html_() \
        + result.dilemma("D2")._repr_html_()
    assert "<script>alert" not in shown and "<img src=x" not in shown and "<b>online</b>" not in shown
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in shown and "&lt;img src=x onerror=alert(1)&gt;" in shown


def test_a_theme_card_shows_what_the_report_card_shows(result):
    card = result.theme(0)
    html = card._repr_html_()
    assert card.view.theme_id == 0 and card.view.label == "Waiting lists versus urgent repairs"
    assert "Shared across teams · theme 0" in html
    assert "waiting list · urgent repairs · triage" in html
    # The decisions table: Housing's dilemma, decision and reason, each with its quote id.
    row = next(r for r in re.findall(r"<tr>(.*?)</tr>", html, re.S) if "<th>Housing</th>" in r)
    assert [q in row for q in ("Q001", "Q002", "Q003")] == [True, True, True]
    assert "Contact centre" in html and "not said" in html  # Contact centre gave no reason
    # Representative quotes, in the themes table's order.
    quotes = html[html.index("Representative quotes"):]
    assert quotes.index("Q001") < quotes.index(SCRIPT_TEXT.split("<")[0]) < quotes.index("Q005")
    assert repr(card) == "Theme 0: Waiting lists versus urgent repairs (common ground 0.82, 3 teams, 8 quotes)"


def test_an_unknown_theme_names_the_ids_there_are(result):
    with pytest.raises(KeyError, match=r"no theme 7 in this run; its theme ids are \[0, 1, 2\]"):
        result.theme(7)


def test_a_dilemma_card_by_position_or_by_id(result):
    first, by_id = result.dilemma(0), result.dilemma("D1")
    assert first.view.dilemma_id == "D1" and first.html == by_id.html
    assert result.dilemma(2).view.dilemma_id == "D3"  # one team's dilemmas follow the shared ones
    html = result.dilemma("D2")._repr_html_()
    assert "Shared dilemma 2" in html and "D2" in html
    assert "the &lt;b&gt;online&lt;/b&gt; form · the phone script" in html
    assert html.count("not said") == 3  # Contact centre: no decision, no reason; Housing: no reason
    assert IMG_TEXT.split("<")[0] in html
    assert repr(result.dilemma("D2")) == f"Dilemma D2: {DILEMMA_MARKUP_TITLE} (common ground 0.51, 2 teams)"


def test_an_unknown_dilemma_says_what_there_is(result):
    with pytest.raises(IndexError, match=r"this run has 3 dilemmas \(0 to 2\)"):
        result.dilemma(3)
    with pytest.raises(KeyError, match=r"\['D1', 'D2', 'D3'\]"):
        result.dilemma("D9")


def test_said_puts_the_words_beside_the_ids_in_the_dilemmas_order(result):
    result.dilemma_decisions = result.dilemma_decisions.iloc[::-1]  # the table's order must not matter
    said = result.said()
    assert said[schema.DILEMMA_ID].tolist() == ["D1", "D1", "D2", "D2", "D3"]
    housing = result.said("Housing")
    assert housing[schema.DILEMMA_ID].tolist() == ["D1", "D2"]
    first = housing.iloc[0]
    assert first["title"] == "clear the waiting list · do urgent repairs first"
    assert first["decision"] == "So we decided to triage every repair by risk to the tenant."
    assert first["reason"] == GROUND_STATEMENT
    assert housing.iloc[1]["reason"] == ""  # the conversation gave none


def test_theme_team_counts_count_quotes_per_theme_and_team_with_the_outliers_last(result):
    counts = figures.theme_team_counts(result.themes, result.quotes)
    assert list(counts.columns) == ["Contact centre", "Finance", "Housing"]
    assert list(counts.index) == ["0 · Waiting lists versus urgent repairs", "1 · Forms & <b>phone</b> scripts",
                                  "2 · Budget sign_off *approvals*", figures.NO_THEME_ROW]
    assert counts.loc["0 · Waiting lists versus urgent repairs"].tolist() == [2, 1, 5]
    assert counts.loc[figures.NO_THEME_ROW].tolist() == [1, 2, 1]
    assert int(counts.to_numpy().sum()) == len(result.quotes)


def test_the_heat_map_draws_those_counts_with_escaped_labels(result):
    figure = result.heatmap()
    trace = figure.data[0]
    assert trace.type == "heatmap"
    assert [list(row) for row in trace.z] == figures.theme_team_counts(result.themes, result.quotes).to_numpy().tolist()
    assert "1 · Forms &amp; &lt;b&gt;phone&lt;/b&gt; scripts" in trace.y


def test_theme_overlap_is_the_jaccard_of_the_quotes(result):
    other_quotes = result.quotes.copy()
    other_quotes.loc[other_quotes[schema.QUOTE_ID] == "Q019", schema.THEME_ID] = 1  # one quote moves
    overlap = figures.theme_overlap(result.themes, result.quotes, result.themes, other_quotes)
    assert overlap.iloc[0, 0] == pytest.approx(7 / 8)
    assert overlap.iloc[0, 1] == pytest.approx(1 / 12)  # Q019 is now in theme 1: 1 shared of 8 + 5 - 1
    assert overlap.iloc[2, 2] == 1.0 and overlap.iloc[2, 0] == 0.0
    figure = result.compare_figure(result, names=("a", "b"))
    assert [list(row) for row in figure.data[0].z] == [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]


def test_a_figure_carries_the_vendored_plotly_js_once_and_no_script_from_the_web(result):
    first = result.map()._repr_mimebundle_()
    second = result.heatmap()._repr_mimebundle_()
    assert set(first) == set(second) == {"application/vnd.plotly.v1+json", "text/html"}
    assert plotly_js() in first["text/html"]
    assert plotly_js()[:2000] not in second["text/html"]  # the page keeps the first one's
    for bundle in (first, second):
        assert not re.search(r"<script[^>]+src=", bundle["text/html"])
        assert "Plotly.newPlot" in bundle["text/html"]
        json.dumps(bundle["application/vnd.plotly.v1+json"])  # what the kernel sends is plain JSON


def test_the_map_is_the_report_map(result):
    figure = result.map()
    bundle = figure._repr_mimebundle_()["application/vnd.plotly.v1+json"]
    names = [trace["name"] for trace in bundle["data"]]
    assert names[0] == "No theme (outliers)"
    assert "Forms &amp; &lt;b&gt;phone&lt;/b&gt; scripts" in names
    placed = sum(len(trace["x"]) for trace in bundle["data"])
    assert placed == len(result.quotes) - 1  # Q014 has no position
    assert isinstance(figure.update_layout(title="x"), figures.OfflineFigure)  # still a Plotly figure


def write_run_folder(result: Run, folder, **theme_columns):
    """The run's tables as a finished run's folder holds them, with `theme_columns` as written cells."""
    folder.mkdir()
    themes = result.themes.assign(**theme_columns)
    themes[schema.REPRESENTATIVE_QUOTES] = themes[schema.REPRESENTATIVE_QUOTES].map("; ".join)
    themes[schema.KEYWORDS] = themes[schema.KEYWORDS].map(lambda k: k if isinstance(k, str) else "; ".join(k))
    themes[schema.TEAMS] = themes[schema.TEAMS].map(lambda t: t if isinstance(t, str) else "; ".join(t))
    themes[schema.SHARED] = themes[schema.SHARED].astype(int)
    themes.to_csv(folder / "themes.csv", index=False)
    result.quotes.to_csv(folder / "quotes.csv", index=False)
    result.decisions.to_csv(folder / "decisions.csv", index=False)
    (folder / "run.json").write_text(json.dumps(result.summary), encoding="utf-8")
    return folder


def test_a_loaded_run_whose_merged_theme_lacks_its_measures_still_shows_its_cards(result, tmp_path):
    from pipeline.runner import load_run

    # A merged theme has no stability and no scaffolding share: the CSV leaves the cells empty.
    folder = write_run_folder(result, tmp_path / "run", stability=["0.9", "", "0.4"],
                              scaffolding_share=["0.1", "", "0.2"], scaffolding=["0", "", "0"])
    loaded = load_run(folder)
    assert loaded.themes[schema.STABILITY].isna().tolist() == [False, True, False]
    assert loaded.themes[schema.STABILITY].iloc[0] == pytest.approx(0.9)
    assert loaded.theme(1).view.label == "Forms & <b>phone</b> scripts"
    assert "Forms &amp; &lt;b&gt;phone&lt;/b&gt; scripts" in loaded._repr_html_()


def test_a_loaded_run_refuses_a_measure_that_is_not_a_number(result, tmp_path):
    from pipeline.runner import load_run

    folder = write_run_folder(result, tmp_path / "run", stability=["0.9", "high", "0.4"])
    with pytest.raises(ValueError, match="high"):
        load_run(folder)


def test_a_theme_card_shows_its_headline_and_how_well_it_holds_together(result):
    result.themes[schema.HEADLINE] = ["", "The online form and the phone script ask different questions.", ""]
    result.themes[schema.HEADLINE_QUOTE_ID] = ["", "Q009", ""]
    result.themes[schema.STABILITY] = [0.9, 0.3, None]
    result.themes[schema.COHESION] = [0.61, 0.2, None]
    result.themes[schema.LOOSE] = [0, 1, 0]
    firm, loose = result.theme(0)._repr_html_(), result.theme(1)._repr_html_()
    assert "Firm: comes back 90% whole when re-clustered, cohesion 0.61" in firm and "loose theme" not in firm
    assert "<q>The online form and the phone script ask different questions.</q> <span class=\"qid\">Q009</span>" in loose
    assert "theme 1 · loose theme" in loose and "Loose theme: comes back 30% whole" in loose
    assert "Firm:" not in result.theme(2)._repr_html_()  # not measured: nothing said

"""The map's Plotly spec and the JSON that carries it into the page."""
from __future__ import annotations

import json

import pytest

from pipeline import schema
from pipeline.report.data import ReportData
from pipeline.report.quote_map import (
    build_map_spec,
    hover_text,
    map_figure,
    script_json,
    theme_colours,
    validate_spec,
)


def test_script_json_escapes_what_could_end_or_change_a_script_element() -> None:
    value = {"text": "</script><!--<script>\u2028\u2029 & 'quotes' \"double\"", "n": [1, 2.5]}
    text = script_json(value)
    for raw in ("<", ">", "&", "\u2028", "\u2029"):
        assert raw not in text
    assert json.loads(text) == value


def test_script_json_refuses_not_a_number() -> None:
    with pytest.raises(ValueError):
        script_json({"x": float("nan")})


def test_hover_text_escapes_for_plotly_and_wraps_long_quotes() -> None:
    text = hover_text("q-1", "Housing & care", "<b>Theme</b>", "word " * 40 + "<script>")
    assert text.startswith("<b>&lt;b&gt;Theme&lt;/b&gt;</b><br>Housing &amp; care · q-1<br>")
    assert text.count("<br>") >= 4 and text.endswith("&lt;script&gt;")


def test_spec_has_a_trace_per_theme_in_report_order_and_validates(report_data: ReportData) -> None:
    themes = [(0, "Waiting lists"), (1, "Forms"), (2, "Budget")]
    spec = build_map_spec(report_data.quotes, themes, theme_colours([0, 1, 2]))
    validate_spec(spec)
    assert [t["name"] for t in spec["data"]] == ["No theme (outliers)", "Waiting lists", "Forms", "Budget"]
    assert [t["marker"]["color"] for t in spec["data"][1:]] == ["#0072B2", "#D55E00", "#009E73"]
    assert sum(len(t["x"]) for t in spec["data"]) == report_data.quotes[schema.X_2D].notna().sum()
    assert spec["layout"]["yaxis"]["scaleanchor"] == "x"  # distances mean similarity: one scale


def test_validation_catches_a_misspelt_property(report_data: ReportData) -> None:
    spec = build_map_spec(report_data.quotes, [(0, "A")], {0: "#000000"})
    spec["data"][0]["markr"] = {}
    with pytest.raises(ValueError):
        validate_spec(spec)


def test_validation_catches_a_value_of_the_wrong_kind_in_a_points_array(report_data: ReportData) -> None:
    spec = build_map_spec(report_data.quotes, [(0, "A")], {0: "#000000"})
    spec["data"][0]["x"] = {"not": "an array"}
    with pytest.raises(ValueError):
        validate_spec(spec)
    spec = build_map_spec(report_data.quotes, [(0, "A")], {0: "#000000"})
    spec["data"][0]["hoverinfo"] = ["not a flag"] * 3
    with pytest.raises(ValueError):
        validate_spec(spec)


def test_map_figure_for_the_notebook(report_data: ReportData) -> None:
    figure = map_figure(report_data.themes, report_data.quotes)
    assert len(figure.data) == 4

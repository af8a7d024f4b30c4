"""The interactive map of quotes: a Plotly figure, and how it travels inside the page.

The report opens offline from disk, so plotly.js (from the pinned `plotly`
package) is inlined, and the figure travels as JSON in a
`<script type="application/json">` block. Quote text is untrusted twice
over: Plotly draws hover text and legend names as a small subset of HTML, so
each string is HTML-escaped for Plotly (only our own `<br>` and `<b>` stay
markup); and the JSON sits in a script element, so `script_json` escapes
`<`, `>`, `&` and the JavaScript line separators U+2028/U+2029.
"""
from __future__ import annotations

import html
import json
import math
import textwrap
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from .. import schema
from ..schema import PLACED_HIDDEN

# Okabe-Ito (colour-blind safe) first, then Tableau 10, all dark enough to
# read as dots on white on a washed-out projector. Cycled past the end; the
# hover names the theme, so a repeated colour is never ambiguous.
THEME_PALETTE = (
    "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9",
    "#4E79A7", "#E15759", "#59A14F", "#B07AA1", "#9C755F", "#76B7B2",
    "#F28E2B", "#EDC948", "#FF9DA7",
)
NO_THEME_COLOUR = "#A6A6A6"
HIDDEN_COLOUR = "#D9D9D9"
NO_THEME_NAME = "No theme (outliers)"
HIDDEN_NAME = "Hidden by curation"

MAP_HEIGHT = 760  # tall enough for a legend of 30 themes without scrolling
HOVER_WRAP = 64     # characters per hover line: a quote stays readable beside the cursor
COORDINATE_DECIMALS = 4  # as in quotes.csv, so a re-rendered run draws the same bytes
_FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif'

# Characters that may never appear raw inside a <script> element's JSON.
_SCRIPT_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026",
                   "\u2028": "\\u2028", "\u2029": "\\u2029"}
_SCRIPT_TRANSLATION = str.maketrans(_SCRIPT_ESCAPES)  # one C pass over the page's megabytes of JSON


def theme_colours(theme_ids: Sequence[int]) -> dict[int, str]:
    """A colour per theme id, in the given (report) order, cycling through the palette."""
    return {int(t): THEME_PALETTE[i % len(THEME_PALETTE)] for i, t in enumerate(theme_ids)}


def build_map_spec(quotes: pd.DataFrame, themes: Sequence[tuple[int, str]],
                   colours: Mapping[int, str]) -> dict[str, Any]:
    """The map as a Plotly figure spec: `{"data": [...], "layout": {...}, "config": {...}}`.

    Parameters
    ----------
    quotes : the quote table with `x`, `y`; quotes without a finite position are left off.
    themes : (theme_id, label) in report order; the legend follows it.
    colours : theme_id -> colour.

    Returns
    -------
    dict
        One trace per theme, drawn after (above) the grey traces of quotes in
        no theme and quotes hidden by curation. Every string is already
        escaped for Plotly's HTML subset; `customdata` holds the quote ids.

    Examples
    --------
    >>> spec = build_map_spec(quotes, [(0, "Phones")], {0: "#0072B2"})  # doctest: +SKIP
    >>> [trace["name"] for trace in spec["data"]]  # doctest: +SKIP
    ['No theme (outliers)', 'Phones']
    """
    schema.require_columns(quotes, [schema.QUOTE_ID, schema.THEME_ID, schema.TEAM, schema.TEXT,
                                    schema.X_2D, schema.Y_2D], "report (map)")
    placed = quotes[_finite(quotes[schema.X_2D]) & _finite(quotes[schema.Y_2D])]
    theme_of = placed[schema.THEME_ID].astype(int)
    hidden = (placed[schema.PLACED_BY].astype(str) == PLACED_HIDDEN) if schema.PLACED_BY in placed \
        else pd.Series(False, index=placed.index)
    labels = dict(themes)
    groups = [(NO_THEME_NAME, NO_THEME_COLOUR, placed[(theme_of == schema.NO_THEME) & ~hidden]),
              (HIDDEN_NAME, HIDDEN_COLOUR, placed[hidden])]
    groups += [(label, colours.get(theme_id, NO_THEME_COLOUR), placed[theme_of == theme_id])
               for theme_id, label in themes]
    traces = [_trace(name, colour, members, labels) for name, colour, members in groups if len(members)]
    return {"data": traces, "layout": _layout(), "config": _config()}


def map_figure(themes: pd.DataFrame, quotes: pd.DataFrame):
    """The report's map as a `plotly.graph_objects.Figure`, for a notebook.

    Examples
    --------
    >>> map_figure(run.themes, run.quotes).show()  # doctest: +SKIP
    """
    import plotly.graph_objects as go

    order = [(int(t), str(label)) for t, label in zip(themes[schema.THEME_ID], themes[schema.LABEL])]
    spec = build_map_spec(quotes, order, theme_colours([t for t, _ in order]))
    return go.Figure(data=spec["data"], layout=spec["layout"])


def validate_spec(spec: Mapping[str, Any]) -> None:
    """Raise ValueError if Plotly does not know a property of the spec (a typo, a renamed option).

    Each trace is checked with its per-quote arrays cut to their first two
    entries: the properties and the kind of their values are what can be
    wrong, and checking every point took seconds on a large corpus, each run.
    """
    import copy

    import plotly.graph_objects as go

    # A copy: plotly's constructor takes trace dicts apart as it checks them.
    traces = [{key: value[:_CHECKED_POINTS] if isinstance(value, list) else copy.deepcopy(value)
               for key, value in trace.items()} for trace in spec["data"]]
    go.Figure(data=traces, layout=copy.deepcopy(spec["layout"]))


_CHECKED_POINTS = 2


def script_json(value: Any) -> str:
    """JSON that is safe inside a `<script>` element.

    `</script>` or `<!--` in a quote would otherwise end the element or
    change how the HTML parser reads it, and U+2028/U+2029 end a line in
    older JavaScript. These characters only occur inside JSON strings, so
    their `\\uXXXX` escapes change no value.

    Examples
    --------
    >>> script_json({"q": "</script><!-- & \\u2028"})
    '{"q":"\\\\u003c/script\\\\u003e\\\\u003c!-- \\\\u0026 \\\\u2028"}'
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return text.translate(_SCRIPT_TRANSLATION)


def hover_text(quote_id: str, team: str, theme: str, text: str) -> str:
    """A point's hover: theme in bold, team and quote id, then the quote wrapped; all escaped for Plotly.

    Examples
    --------
    >>> hover_text("q1", "Housing", "Repairs", "<img src=x onerror=alert(1)>")
    '<b>Repairs</b><br>Housing · q1<br>&lt;img src=x onerror=alert(1)&gt;'
    """
    lines = textwrap.wrap(text, HOVER_WRAP) or [""]
    return (f"<b>{_plotly_escape(theme)}</b><br>{_plotly_escape(team)} · {_plotly_escape(quote_id)}<br>"
            + "<br>".join(map(_plotly_escape, lines)))


def _trace(name: str, colour: str, members: pd.DataFrame, labels: Mapping[int, str]) -> dict[str, Any]:
    hovers = [hover_text(str(quote_id), _plain(team), labels.get(int(theme_id), name), _plain(text))
              for quote_id, team, theme_id, text in zip(*(members[column].tolist() for column in (
                  schema.QUOTE_ID, schema.TEAM, schema.THEME_ID, schema.TEXT)))]
    return {
        "type": "scatter",
        "mode": "markers",
        "name": _plotly_escape(name),
        "x": [round(float(v), COORDINATE_DECIMALS) for v in members[schema.X_2D]],
        "y": [round(float(v), COORDINATE_DECIMALS) for v in members[schema.Y_2D]],
        "customdata": [str(q) for q in members[schema.QUOTE_ID]],
        "hovertext": hovers,
        "hoverinfo": "text",
        "marker": {"color": colour, "size": 9, "opacity": 0.9, "line": {"color": "#FFFFFF", "width": 0.5}},
    }


def _layout() -> dict[str, Any]:
    return {
        "height": MAP_HEIGHT,
        "margin": {"l": 8, "r": 8, "t": 36, "b": 8},  # the top margin keeps the tool bar off the legend
        # Map coordinates mean nothing on their own; only distances do.
        "xaxis": {"visible": False},
        "yaxis": {"visible": False, "scaleanchor": "x", "scaleratio": 1},
        "hovermode": "closest",
        "paper_bgcolor": "#FFFFFF",
        "plot_bgcolor": "#FFFFFF",
        "font": {"family": _FONT, "size": 14, "color": "#111111"},
        "hoverlabel": {"align": "left", "font": {"family": _FONT, "size": 15}},
        "legend": {"itemsizing": "constant", "font": {"size": 13}},
    }


def _config() -> dict[str, Any]:
    return {"displaylogo": False, "responsive": True, "scrollZoom": False,
            "modeBarButtonsToRemove": ["select2d", "lasso2d"]}


def _plotly_escape(text: str) -> str:
    # Plotly turns entities back into characters when it draws, and treats
    # only a few tags as markup: escaped, a quote shows as the text it is.
    return html.escape(str(text), quote=False)


def _finite(values: pd.Series) -> pd.Series:
    return pd.to_numeric(values, errors="coerce").map(lambda v: math.isfinite(v) if v == v else False)


def _plain(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)

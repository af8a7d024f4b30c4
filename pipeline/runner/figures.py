"""A run's Plotly figures for a notebook, drawn with no network: the map, themes × teams, two runs compared.

JupyterLab draws a figure from its Plotly JSON with the jupyterlab-plotly
extension that the `plotly` package installs (it carries its own plotly.js).
A notebook exported to HTML has no extension and shows the figure's
`text/html` instead, which Plotly's own notebook renderer fills with a
MathJax script from a CDN. So `OfflineFigure` gives both itself: the JSON,
and an HTML div drawn by the pinned plotly.js that the report inlines
(`pipeline.vendored`). The first figure a kernel shows carries that script;
the later ones reuse it, since the page keeps it (as Plotly's own
`init_notebook_mode` does), so an exported notebook holds it once.

Labels come from transcripts: they are HTML-escaped for Plotly, which reads
a few tags in text as markup.
"""
from __future__ import annotations

import html
import json

import pandas as pd
import plotly.graph_objects as go

from .. import schema
from ..curation import theme_members
from ..report.quote_map import map_figure as report_map_figure
from ..vendored import plotly_js

NO_THEME_ROW = "No theme (outliers)"
ROW_HEIGHT = 26  # pixels per theme row of a heat map: a 30-theme run stays readable without zooming
_CONFIG = {"displaylogo": False, "responsive": True}
_plotly_js_shown = False  # whether this kernel has already shown a figure carrying plotly.js
# plotly.js registers itself as an AMD module where a page has `define` (require.js), and then sets no
# `window.Plotly` for the figures to draw with: hide `define` while it loads.
_PLOTLY_SCRIPT = ('<script type="text/javascript">window._commongroundDefine = window.define; '
                  'window.define = undefined;</script>\n<script type="text/javascript">{source}</script>\n'
                  '<script type="text/javascript">window.define = window._commongroundDefine;</script>\n')


class OfflineFigure(go.Figure):
    """A `plotly.graph_objects.Figure` that shows itself offline in JupyterLab and in exported HTML.

    Everything else is Plotly's: `update_layout`, `write_html`, `show` work as usual.
    """

    def _repr_mimebundle_(self, include=None, exclude=None, **kwargs):
        global _plotly_js_shown
        figure = json.loads(self.to_json())
        div = self.to_html(full_html=False, include_plotlyjs=False, include_mathjax=False, config=_CONFIG)
        script = "" if _plotly_js_shown else _PLOTLY_SCRIPT.format(source=plotly_js())
        _plotly_js_shown = True
        return {"application/vnd.plotly.v1+json": {**figure, "config": _CONFIG},
                "text/html": script + div}

    def _ipython_display_(self):
        # Plotly's own hook would show the figure through its default renderer; show ours.
        from IPython.display import display

        display(self._repr_mimebundle_(), raw=True)


def map_figure(themes: pd.DataFrame, quotes: pd.DataFrame) -> OfflineFigure:
    """The report's map of quotes: one dot per quote, coloured by theme; hover reads the quote."""
    return OfflineFigure(report_map_figure(themes, quotes))


def heatmap_figure(themes: pd.DataFrame, quotes: pd.DataFrame) -> OfflineFigure:
    """Quotes per theme and team, themes in the run's order (broadest first), then the quotes in no theme."""
    counts = theme_team_counts(themes, quotes)
    labels = [_escape(label) for label in counts.index]
    figure = go.Heatmap(z=counts.to_numpy(), x=[_escape(team) for team in counts.columns], y=labels,
                        colorscale="Blues", text=counts.to_numpy(), texttemplate="%{text}",
                        hovertemplate="%{y}<br>%{x}: %{z} quotes<extra></extra>", colorbar={"title": "quotes"})
    return OfflineFigure(figure, layout={
        "title": "Quotes per theme and team",
        "height": 160 + ROW_HEIGHT * len(labels),
        "yaxis": {"autorange": "reversed", "automargin": True},
        "xaxis": {"side": "top", "automargin": True},
        "margin": {"t": 90},
    })


def theme_team_counts(themes: pd.DataFrame, quotes: pd.DataFrame) -> pd.DataFrame:
    """Quotes per theme (rows: "id · label", in the themes' order, then no theme) and team (columns, sorted)."""
    teams = sorted(quotes[schema.TEAM].astype(str).unique())
    counts = pd.crosstab(quotes[schema.THEME_ID].astype(int), quotes[schema.TEAM].astype(str))
    order = [int(t) for t in themes[schema.THEME_ID]] + [schema.NO_THEME]
    counts = counts.reindex(index=order, columns=teams, fill_value=0)
    names = [f"{int(t)} · {label}" for t, label in zip(themes[schema.THEME_ID], themes[schema.LABEL])]
    counts.index = pd.Index(names + [NO_THEME_ROW], name="theme")
    counts.columns.name = "team"
    return counts


def comparison_figure(themes: pd.DataFrame, quotes: pd.DataFrame, other_themes: pd.DataFrame,
                      other_quotes: pd.DataFrame, names: tuple[str, str] = ("this run", "other run")) -> OfflineFigure:
    """How the themes of two runs of the same transcripts match: the Jaccard overlap of their quotes.

    Rows are this run's themes, columns the other's, both in their run's order;
    a theme that comes back whole is a dark cell of 1.0 on its row.
    """
    overlap = theme_overlap(themes, quotes, other_themes, other_quotes)
    figure = go.Heatmap(z=overlap.to_numpy(), x=[_escape(c) for c in overlap.columns],
                        y=[_escape(r) for r in overlap.index], zmin=0, zmax=1, colorscale="Blues",
                        hovertemplate=f"{_escape(names[0])}: %{{y}}<br>{_escape(names[1])}: %{{x}}"
                                      "<br>overlap %{z:.2f}<extra></extra>",
                        colorbar={"title": "overlap"})
    return OfflineFigure(figure, layout={
        "title": f"Themes of {_escape(names[0])} (rows) against {_escape(names[1])} (columns)",
        "height": 200 + ROW_HEIGHT * len(overlap.index),
        "yaxis": {"autorange": "reversed", "automargin": True, "title": _escape(names[0])},
        "xaxis": {"side": "top", "automargin": True, "tickangle": -45, "title": _escape(names[1])},
        "margin": {"t": 160},
    })


def theme_overlap(themes: pd.DataFrame, quotes: pd.DataFrame, other_themes: pd.DataFrame,
                  other_quotes: pd.DataFrame) -> pd.DataFrame:
    """Jaccard overlap of quote ids between every theme of one run (rows) and of another (columns)."""
    mine, theirs = theme_members(quotes), theme_members(other_quotes)
    rows = [int(t) for t in themes[schema.THEME_ID]]
    columns = [int(t) for t in other_themes[schema.THEME_ID]]
    values = [[_jaccard(set(mine.get(r, ())), set(theirs.get(c, ()))) for c in columns] for r in rows]
    return pd.DataFrame(values, index=_names(themes), columns=_names(other_themes))


def _names(themes: pd.DataFrame) -> list[str]:
    return [f"{int(t)} · {label}" for t, label in zip(themes[schema.THEME_ID], themes[schema.LABEL])]


def _jaccard(a: set, b: set) -> float:
    return len(a & b) / len(a | b) if a or b else 0.0


def _escape(text: object) -> str:
    # Plotly draws a few tags in text as markup; escaped, a label shows as the text it is.
    return html.escape(str(text), quote=False)

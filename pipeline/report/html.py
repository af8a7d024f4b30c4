"""The self-contained HTML workshop report.

One file that opens from disk with no network: CSS inline, the quote map an
inline SVG computed here from the `x`, `y` columns, no fonts, scripts or
external URLs. Text comes from transcripts and is untrusted, so the Jinja2
template escapes everything (autoescape on; nothing is marked safe).

The content is `cards.build_report_view`, shared with the Markdown report
and the handout; this module adds only what HTML shows beyond them: heat-map
shading and the map.
"""
from __future__ import annotations

import functools
import logging
import math
from dataclasses import dataclass
from pathlib import Path

import jinja2

from .. import schema
from .data import ReportData
from .view import (
    NO_THEME_LABEL,
    SHARED_HEADING,
    TEAM_SPECIFIC_HEADING,
    MatrixRow,
    ReportView,
    ThemeCard,
    build_report_view,
    format_score,
    format_share,
    theme_title,
)

logger = logging.getLogger(__name__)

TEMPLATE_DIR = Path(__file__).with_name("templates")
TEMPLATE_NAME = "report.html.j2"

# Okabe-Ito (colour-blind safe) first, then Tableau 10, all dark enough to
# read as dots on white on a washed-out projector. Cycled past the end; the
# tooltip names the theme, so a repeated colour is never ambiguous.
THEME_PALETTE = (
    "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9",
    "#4E79A7", "#E15759", "#59A14F", "#B07AA1", "#9C755F", "#76B7B2",
    "#F28E2B", "#EDC948", "#FF9DA7",
)
NO_THEME_COLOUR = "#A6A6A6"

# Heat-map scale: from near-white to a deep blue that keeps white text legible.
HEAT_LOW = (0xF2, 0xF6, 0xFC)
HEAT_HIGH = (0x08, 0x30, 0x6B)
HEAT_WHITE_TEXT_FROM = 0.5  # intensity above which cell text turns white

MAP_WIDTH = 960
MAP_HEIGHT = 600
MAP_PADDING = 20
MAP_RADIUS = 6


@dataclass(frozen=True)
class HeatCell:
    """One matrix cell: its count and the colours that shade it."""

    count: int
    background: str
    foreground: str


@dataclass(frozen=True)
class MapPoint:
    """One quote on the map, in SVG user units."""

    cx: str
    cy: str
    colour: str
    tooltip: str


@dataclass(frozen=True)
class LegendItem:
    """One theme's colour on the map."""

    label: str
    colour: str
    n_points: int
    anchor: str


@dataclass(frozen=True)
class QuoteMap:
    """The map's points (outliers first, so themes draw on top) and legend."""

    width: int
    height: int
    points: list[MapPoint]
    legend: list[LegendItem]
    n_unplaced: int


def render_html(data: ReportData) -> str:
    """Render the workshop report as one self-contained HTML page.

    Parameters
    ----------
    data : ReportData
        The finished tables and run summary.

    Returns
    -------
    str
        The page. The same `data` always gives the same string: no dates,
        and every collection is iterated in a fixed order.

    Examples
    --------
    >>> html = render_html(data)  # doctest: +SKIP
    >>> Path("out/theme_report.html").write_text(html, encoding="utf-8")  # doctest: +SKIP
    """
    view = build_report_view(data)
    colours = theme_colours(view.cards)
    return _environment().get_template(TEMPLATE_NAME).render(
        view=view,
        colours=colours,
        no_theme_colour=NO_THEME_COLOUR,
        heat_rows=[(row, heat_cells(row, view.matrix_max)) for row in view.matrix],
        outlier_cells=heat_cells(view.outlier_row, view.matrix_max, grey=True),
        quote_map=build_quote_map(data, view, colours),
        shared_heading=SHARED_HEADING,
        team_specific_heading=TEAM_SPECIFIC_HEADING,
        no_theme_label=NO_THEME_LABEL,
    )


@functools.lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    # Built on first use, not at import. Autoescape is on for every template
    # whatever its file name ("report.html.j2" would not match the usual
    # extension check), and StrictUndefined turns a template typo into an error
    # instead of an empty cell.
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATE_DIR),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["score"] = format_score
    env.filters["share"] = format_share
    env.filters["theme_title"] = theme_title
    env.filters["bar_width"] = bar_width
    return env


def theme_colours(cards: list[ThemeCard]) -> dict[int, str]:
    """A colour per theme id, in card order, cycling through the palette."""
    return {card.theme_id: THEME_PALETTE[i % len(THEME_PALETTE)]
            for i, card in enumerate(cards)}


def bar_width(score: float) -> str:
    """A score in [0, 1] as a CSS width, clamped so a bad score cannot overflow the bar."""
    clamped = min(max(float(score), 0.0), 1.0) if _finite(score) else 0.0
    return f"{100.0 * clamped:.0f}%"


def heat_cells(row: MatrixRow, maximum: int, grey: bool = False) -> list[HeatCell]:
    """Shade a matrix row's counts relative to the largest count of any theme.

    The outlier row is shaded on a grey scale so nobody reads it as a theme.
    """
    cells = []
    for count in row.counts:
        intensity = count / maximum if maximum > 0 else 0.0
        intensity = min(intensity, 1.0)
        high = (0x59, 0x59, 0x59) if grey else HEAT_HIGH
        background = "#FFFFFF" if count == 0 else _mix(HEAT_LOW, high, intensity)
        foreground = "#FFFFFF" if intensity > HEAT_WHITE_TEXT_FROM else "#111111"
        cells.append(HeatCell(count, background, foreground))
    return cells


def build_quote_map(data: ReportData, view: ReportView,
                    colours: dict[int, str]) -> QuoteMap:
    """Place every quote with finite `x`, `y` on an SVG canvas of fixed size.

    The aspect ratio is kept (one scale for both axes) because distances on
    the map mean similarity; y grows upwards as on a chart.
    """
    schema.require_columns(data.quotes, [schema.X_2D, schema.Y_2D], "report (map)")
    quotes = data.quotes
    labels = {card.theme_id: theme_title(card) for card in view.cards}
    anchors = {card.theme_id: card.anchor for card in view.cards}
    placed = [r for r in quotes.itertuples(index=False) if _finite(r.x) and _finite(r.y)]
    n_unplaced = len(quotes) - len(placed)
    if n_unplaced:
        logger.info("report: %d quotes have no map position and are left off the map",
                    n_unplaced)
    order = {theme_id: i for i, theme_id in enumerate(colours)}
    placed.sort(key=lambda r: (int(r.theme_id) != schema.NO_THEME,
                               order.get(int(r.theme_id), len(order)), str(r.quote_id)))
    project = _projection([float(r.x) for r in placed], [float(r.y) for r in placed])
    points = []
    for r in placed:
        theme_id = int(r.theme_id)
        cx, cy = project(float(r.x), float(r.y))
        theme = labels.get(theme_id, NO_THEME_LABEL)
        points.append(MapPoint(
            cx=f"{cx:.1f}", cy=f"{cy:.1f}",
            colour=colours.get(theme_id, NO_THEME_COLOUR),
            tooltip=f"{r.quote_id} · {_plain(r.team)} · {theme}\n{_plain(r.text)}",
        ))
    counts = {theme_id: 0 for theme_id in colours}
    for r in placed:
        if int(r.theme_id) in counts:
            counts[int(r.theme_id)] += 1
    legend = [LegendItem(labels[t], colours[t], counts[t], anchors[t]) for t in colours]
    n_outliers = sum(1 for r in placed if int(r.theme_id) == schema.NO_THEME)
    if n_outliers:
        legend.append(LegendItem(NO_THEME_LABEL, NO_THEME_COLOUR, n_outliers, ""))
    return QuoteMap(MAP_WIDTH, MAP_HEIGHT, points, legend, n_unplaced)


def _projection(xs: list[float], ys: list[float]):
    """A function mapping data coordinates to SVG coordinates inside the padding."""
    if not xs:
        return lambda x, y: (MAP_WIDTH / 2, MAP_HEIGHT / 2)
    x_min, x_max, y_min, y_max = min(xs), max(xs), min(ys), max(ys)
    inner_w = MAP_WIDTH - 2 * MAP_PADDING
    inner_h = MAP_HEIGHT - 2 * MAP_PADDING
    # A single point or a line has zero span on an axis: avoid dividing by it.
    scale = min(inner_w / (x_max - x_min) if x_max > x_min else math.inf,
                inner_h / (y_max - y_min) if y_max > y_min else math.inf)
    if math.isinf(scale):
        scale = 0.0
    x_offset = (MAP_WIDTH - scale * (x_max - x_min)) / 2
    y_offset = (MAP_HEIGHT - scale * (y_max - y_min)) / 2

    def project(x: float, y: float) -> tuple[float, float]:
        return x_offset + scale * (x - x_min), MAP_HEIGHT - (y_offset + scale * (y - y_min))

    return project


def _mix(low: tuple[int, int, int], high: tuple[int, int, int], t: float) -> str:
    return "#" + "".join(f"{round(a + (b - a) * t):02X}" for a, b in zip(low, high))


def _finite(value: object) -> bool:
    try:
        return math.isfinite(float(value))
    except (TypeError, ValueError):
        return False


def _plain(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)

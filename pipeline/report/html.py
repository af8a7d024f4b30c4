"""The self-contained HTML workshop report.

One file that opens from disk with no network: CSS inline, plotly.js and
the map's data inline (see `quote_map`), no fonts or external URLs. Text
comes from transcripts and is untrusted: the Jinja2 template escapes every
value (autoescape on), and the only strings passed in as markup are the
three script bodies, each built for a script context (`quote_map.script_json`,
the pinned plotly.js, and a constant).

The content is `view.build_report_view`, shared with the Markdown report
and the handout: the shared dilemmas and the common ground first, then the
run summary and the themes. This module adds only what HTML shows beyond
them: links from the common ground to its dilemmas, heat-map shading and
the interactive map.
"""
from __future__ import annotations

import functools
import logging
import math
from dataclasses import dataclass
from pathlib import Path

import jinja2
import markupsafe

from ..vendored import plotly_js, plotly_version
from .data import ReportData
from .quote_map import (
    HIDDEN_COLOUR,
    NO_THEME_COLOUR,
    build_map_spec,
    script_json,
    validate_spec,
)
from .quote_map import (
    theme_colours as _colours_for,
)
from .view import (
    DILEMMA_TABLE_HEADINGS,
    DILEMMAS_HEADING,
    GROUND_HEADING,
    GROUND_INTRO,
    LANGUAGE_ALL_ENGLISH,
    LANGUAGE_HEADING,
    LANGUAGE_NOT_CHECKED,
    NO_ROWS_NOTE,
    NO_THEME_LABEL,
    NOT_SAID,
    ONE_TEAM_HEADING,
    ONE_TEAM_TABLE_HEADINGS,
    SHARED_DILEMMA_KICKER,
    SHARED_HEADING,
    TEAM_SPECIFIC_HEADING,
    MatrixRow,
    ReportView,
    ThemeCard,
    build_report_view,
    dilemma_title,
    format_score,
    format_share,
    theme_title,
)

logger = logging.getLogger(__name__)

TEMPLATE_DIR = Path(__file__).with_name("templates")
TEMPLATE_NAME = "report.html.j2"

# Heat-map scale: from near-white to a deep blue that keeps white text legible.
HEAT_LOW = (0xF2, 0xF6, 0xFC)
HEAT_HIGH = (0x08, 0x30, 0x6B)
HEAT_WHITE_TEXT_FROM = 0.5  # intensity above which cell text turns white

# Printed, a theme card is one page: it shows at most this many representative
# quotes, and none that its decision table already shows (the screen shows all).
PRINTED_QUOTES = 3


# The dilemma sections' fixed wording (`view_dilemmas`), as the template reads it.
DILEMMA_WORDING = {
    "dilemmas_heading": DILEMMAS_HEADING, "one_team_heading": ONE_TEAM_HEADING, "ground_heading": GROUND_HEADING,
    "ground_intro": GROUND_INTRO, "shared_dilemma_kicker": SHARED_DILEMMA_KICKER, "not_said": NOT_SAID,
    "no_rows_note": NO_ROWS_NOTE, "dilemma_table_headings": DILEMMA_TABLE_HEADINGS,
    "one_team_table_headings": ONE_TEAM_TABLE_HEADINGS,
}
# The run summary's fixed wording on files in another language (`view_summary`).
SUMMARY_WORDING = {
    "language_heading": LANGUAGE_HEADING,
    "language_all_english": LANGUAGE_ALL_ENGLISH, "language_not_checked": LANGUAGE_NOT_CHECKED,
}


@dataclass(frozen=True)
class HeatCell:
    """One matrix cell: its count and the colours that shade it."""

    count: int
    background: str
    foreground: str


@dataclass(frozen=True)
class LegendItem:
    """One theme's colour on the map (the legend shown without JavaScript)."""

    label: str
    colour: str
    n_points: int
    anchor: str


def render_html(data: ReportData, view: ReportView | None = None) -> str:
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
    view = view or build_report_view(data)
    colours = theme_colours(view.cards)
    spec = build_map_spec(data.quotes, [(c.theme_id, theme_title(c)) for c in view.cards], colours)
    validate_spec(spec)
    n_points = sum(len(trace["x"]) for trace in spec["data"])
    return _environment().get_template(TEMPLATE_NAME).render(
        view=view,
        colours=colours,
        no_theme_colour=NO_THEME_COLOUR,
        hidden_colour=HIDDEN_COLOUR,
        heat_rows=[(row, heat_cells(row, view.matrix_max)) for row in view.matrix],
        outlier_cells=heat_cells(view.outlier_row, view.matrix_max, grey=True),
        hidden_cells=heat_cells(view.hidden_row, view.matrix_max, grey=True) if view.hidden_row else [],
        legend=_legend(view.cards, colours, spec),
        n_points=n_points,
        n_unplaced=len(data.quotes) - n_points,
        # Markup only for script bodies, each made safe for a script context.
        map_json=markupsafe.Markup(script_json(spec)),
        plotly_source=markupsafe.Markup(plotly_js()),
        plotly_version=plotly_version(),
        shared_heading=SHARED_HEADING,
        team_specific_heading=TEAM_SPECIFIC_HEADING,
        no_theme_label=NO_THEME_LABEL,
        text={**DILEMMA_WORDING, **SUMMARY_WORDING},
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
    env.filters["dilemma_title"] = dilemma_title
    env.filters["bar_width"] = bar_width
    env.filters["printed_quotes"] = printed_quotes
    return env


def printed_quotes(card: ThemeCard, limit: int = PRINTED_QUOTES) -> list[bool]:
    """For each of the card's representative quotes, whether the printed card shows it.

    A printed card must fit its page, and its decision table already quotes
    each team: so the first `limit` representative quotes that the table
    does not show are printed, in their order, and the screen shows them all.

    Examples
    --------
    >>> printed_quotes(card)  # doctest: +SKIP
    [True, False, True, True, False]
    """
    in_table = {quote.quote_id for row in card.decisions for quote in (row.dilemma, row.decision, row.reason)
                if quote is not None}
    flags, n = [], 0
    for quote in card.representative:
        shown = n < limit and quote.quote_id not in in_table
        n += shown
        flags.append(shown)
    return flags


def theme_colours(cards: list[ThemeCard]) -> dict[int, str]:
    """A colour per theme id, in card order, cycling through the palette."""
    return _colours_for([card.theme_id for card in cards])


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


def _legend(cards: list[ThemeCard], colours: dict[int, str], spec: dict) -> list[LegendItem]:
    counts = {trace["name"]: len(trace["x"]) for trace in spec["data"]}
    items = [LegendItem(theme_title(c), colours[c.theme_id], c.n_quotes, c.anchor) for c in cards]
    return items + [LegendItem(NO_THEME_LABEL, NO_THEME_COLOUR, counts.get(NO_THEME_LABEL, 0), "")]


def _mix(low: tuple[int, int, int], high: tuple[int, int, int], t: float) -> str:
    return "#" + "".join(f"{round(a + (b - a) * t):02X}" for a, b in zip(low, high))


def _finite(value: object) -> bool:
    try:
        return math.isfinite(float(value))
    except (TypeError, ValueError):
        return False

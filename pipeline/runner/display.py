"""How a run shows itself in a notebook: a summary of the run, and a card per theme or dilemma.

The cards say what the report's cards say: their content is the report's
own view (`pipeline.report.view`), built from the run's tables, laid out
here as a small HTML fragment for a notebook's output. Text comes from
transcripts and is untrusted: the template escapes every value.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import jinja2

from ..report import ReportData, build_report_data
from ..report.view import (
    DILEMMA_TABLE_HEADINGS,
    NO_ROWS_NOTE,
    NOT_SAID,
    SHARED_DILEMMA_KICKER,
    SHARED_HEADING,
    TEAM_SPECIFIC_HEADING,
    build_dilemma_sections,
    build_theme_cards,
    dilemma_title,
    format_score,
    theme_title,
)

if TYPE_CHECKING:
    from .result import Run

TOP = 5  # rows of each list in a run's summary; the tables hold the rest

_STYLE = """<style>
.cg { font-family: system-ui, sans-serif; line-height: 1.45; max-width: 60rem; }
.cg .kicker { color: #4A4A4A; font-size: 0.85em; margin: 0; }
.cg h3 { margin: 0.2em 0 0.4em; } .cg h4 { margin: 1em 0 0.3em; }
.cg table { border-collapse: collapse; margin: 0.3em 0; } div.cg table th, div.cg table td { text-align: left;
  vertical-align: top; padding: 0.25em 0.6em; border-bottom: 1px solid #D0D0D0; }
.cg .qid { font-family: ui-monospace, monospace; font-size: 0.8em; color: #4A4A4A; }
.cg .none { color: #6A6A6A; font-style: italic; } .cg .sides { font-style: italic; }
.cg blockquote { margin: 0.3em 0 0.6em; padding-left: 0.8em; border-left: 3px solid #0B3D91; }
</style>"""

_QUOTE = """{% macro quote(q) -%}
{% if q is none %}<span class="none">{{ not_said }}</span>
{%- elif not q.found %}<span class="none">quote not found</span> <span class="qid">{{ q.quote_id }}</span>
{%- else %}<q>{{ q.text }}</q> <span class="qid">{{ q.quote_id }}</span>{% endif %}
{%- endmacro %}
{% macro rows_table(rows, headings) -%}
<table><tr>{% for h in headings %}<th>{{ h }}</th>{% endfor %}</tr>
{% for row in rows %}<tr><th>{{ row.team }}</th><td>{{ quote(row.dilemma) }}</td><td>{{ quote(row.decision) }}</td>
<td>{{ quote(row.reason) }}</td></tr>
{% endfor %}</table>
{%- endmacro %}
"""

_RUN = _QUOTE + """<div class="cg">
<p class="kicker">Common Ground run{% if out_dir %} · {{ out_dir }}{% endif %}</p>
<table><tr>{% for name, _ in counts %}<th>{{ name }}</th>{% endfor %}</tr>
<tr>{% for _, value in counts %}<td>{{ value }}</td>{% endfor %}</tr></table>
<h4>Shared dilemmas{% if dilemmas|length > top %} (top {{ top }} of {{ dilemmas|length }}){% endif %}</h4>
{% if dilemmas %}<table><tr><th>#</th><th>Dilemma</th><th>Teams</th><th>Common ground</th></tr>
{% for d in dilemmas[:top] %}<tr><td>{{ loop.index0 }}</td>
<td>{{ d | dilemma_title }} <span class="qid">{{ d.dilemma_id }}</span></td>
<td>{{ d.teams | join(", ") }} ({{ d.n_teams }})</td><td>{{ d.common_ground | score }}</td></tr>
{% endfor %}</table>{% else %}<p class="none">{{ no_dilemma_note }}</p>{% endif %}
{% if grounds %}<h4>Common ground</h4>
{% for g in grounds[:top] %}<blockquote>{{ g.statement }}<br><span class="qid">{{ g.ground_id }}</span>
· {{ g.teams | join(", ") }} ({{ g.n_teams }} teams)</blockquote>
{% endfor %}{% endif %}
<h4>Themes{% if themes|length > top %} (top {{ top }} of {{ themes|length }}){% endif %}</h4>
{% if themes %}<table><tr><th>id</th><th>Theme</th><th>Teams</th><th>Quotes</th><th>Common ground</th></tr>
{% for t in themes[:top] %}<tr><td>{{ t.theme_id }}</td><td>{{ t | theme_title }}</td>
<td>{{ t.teams | join(", ") }} ({{ t.n_teams }})</td><td>{{ t.n_quotes }}</td>
<td>{{ t.common_ground | score }}</td></tr>
{% endfor %}</table>{% else %}<p class="none">No themes.</p>{% endif %}
<h4>Failed files</h4>
{% if failed %}<table><tr><th>File</th><th>Reason</th></tr>
{% for file, reason in failed %}<tr><td>{{ file }}</td><td>{{ reason }}</td></tr>{% endfor %}</table>
{% else %}<p class="none">None: every transcript was read.</p>{% endif %}
<p class="kicker">result.dilemma(0) and result.theme(0) show a card; result.map() and result.heatmap() draw the
figures; help(result) lists the rest.</p>
</div>"""

_THEME = _QUOTE + """<div class="cg">
<p class="kicker">{{ shared_heading if c.shared else team_specific_heading }} · theme {{ c.theme_id }}
{%- if c.theme_key %} · <span class="qid">{{ c.theme_key }}</span>{% endif %}
{%- if c.loose %} · loose theme{% endif %}</p>
<h3>{{ c | theme_title }}</h3>
{% if c.headline %}<p><q>{{ c.headline }}</q> <span class="qid">{{ c.headline_quote_id }}</span></p>{% endif %}
<p>Common ground <b>{{ c.common_ground | score }}</b> · teams: {{ c.teams | join(", ") or "—" }} ({{ c.n_teams }})
· {{ c.n_speakers }} people · {{ c.n_quotes }} quotes from {{ c.n_transcripts }} conversations
· {{ c.n_dilemmas }} dilemmas · {{ c.n_decisions }} decisions</p>
<p>Key phrases: {{ c.keywords | join(" · ") or "—" }}</p>
{% if c.firmness %}<p class="kicker">{{ c.firmness }}</p>{% endif %}
<h4>Dilemmas and decisions, by team</h4>
{% if c.decisions %}{{ rows_table(c.decisions, ("Team", "Dilemma, as the team voiced it", "Decision", "Reason")) }}
{% else %}<p class="none">No dilemma or decision was paired for this theme.</p>{% endif %}
<h4>Representative quotes</h4>
{% for q in c.representative %}<blockquote>
{% if q.found %}{{ q.text }}<br><span class="qid">{{ q.team or "team unknown" }} · {{ q.quote_id }}</span>
{% else %}<span class="none">Quote not found in this run.</span> <span class="qid">{{ q.quote_id }}</span>
{% endif %}</blockquote>
{% else %}<p class="none">No representative quotes.</p>{% endfor %}
</div>"""

_DILEMMA = _QUOTE + """<div class="cg">
<p class="kicker">{% if c.shared %}{{ shared_dilemma_kicker }}{% else %}Raised by one team{% endif %} {{ c.rank }}
· <span class="qid">{{ c.dilemma_id }}</span></p>
<h3>{{ c | dilemma_title }}</h3>
{% if c.sides %}<p class="sides">{{ c.sides }}</p>{% endif %}
<p>Common ground <b>{{ c.common_ground | score }}</b> · teams: {{ c.teams | join(", ") or "—" }} ({{ c.n_teams }})
· {{ c.n_quotes }} quotes</p>
{% if c.rows %}{{ rows_table(c.rows, dilemma_table_headings) }}
{% else %}<p class="none">{{ no_rows_note }}</p>{% endif %}
</div>"""


@dataclass(frozen=True)
class Card:
    """A theme's or a dilemma's card as a notebook shows it; `view` is the report's view of it."""

    view: Any  # pipeline.report.view.ThemeCard or DilemmaCard
    html: str

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:
        if hasattr(self.view, "theme_id"):
            return (f"Theme {self.view.theme_id}: {theme_title(self.view)} (common ground "
                    f"{format_score(self.view.common_ground)}, {self.view.n_teams} teams, {self.view.n_quotes} quotes)")
        return (f"Dilemma {self.view.dilemma_id}: {dilemma_title(self.view)} (common ground "
                f"{format_score(self.view.common_ground)}, {self.view.n_teams} teams)")


def run_html(result: Run) -> str:
    """The run at a glance: counts, the top shared dilemmas, common ground and themes, the failed files."""
    data = _report_data(result)
    sections = build_dilemma_sections(data)
    counts = result.summary.get("counts", {})
    failed = [(str(i["file"]), str(i.get("reason", ""))) for i in result.summary.get("inputs", [])
              if i.get("status") == "failed"]
    figures = [("conversations", counts.get("transcripts", "?")), ("teams", data.summary["n_teams"]),
               ("quotes", len(result.quotes)), ("themes", len(result.themes)),
               ("shared dilemmas", len(sections.shared)), ("common ground", len(sections.grounds)),
               ("failed files", len(failed))]
    return _STYLE + _template(_RUN).render(
        out_dir=str(result.out_dir or ""), counts=figures, dilemmas=sections.shared, grounds=sections.grounds,
        themes=build_theme_cards(data), failed=failed, top=TOP, no_dilemma_note=sections.empty_note)


def theme_card(result: Run, theme_id: int) -> Card:
    """The report's card of theme `theme_id`: teams, key phrases, decisions by team, representative quotes."""
    cards = {card.theme_id: card for card in build_theme_cards(_report_data(result))}
    if int(theme_id) not in cards:
        raise KeyError(f"no theme {theme_id} in this run; its theme ids are {sorted(cards)}")
    card = cards[int(theme_id)]
    html = _STYLE + _template(_THEME).render(c=card, shared_heading=SHARED_HEADING,
                                             team_specific_heading=TEAM_SPECIFIC_HEADING)
    return Card(card, html)


def dilemma_card(result: Run, which: int | str) -> Card:
    """The report's card of a dilemma: its sides, teams and each team's decision point and reason.

    `which` is a position in `result.dilemmas` (0 is the top shared dilemma) or a `dilemma_id`.
    """
    cards = build_dilemma_sections(_report_data(result)).cards
    if isinstance(which, str):
        found = [card for card in cards if card.dilemma_id == which]
        if not found:
            raise KeyError(f"no dilemma {which!r} in this run; its ids are {[c.dilemma_id for c in cards]}")
        card = found[0]
    else:
        if not 0 <= int(which) < len(cards):
            raise IndexError(f"dilemma {which} is out of range: this run has {len(cards)} dilemmas (0 to "
                             f"{len(cards) - 1})")
        card = cards[int(which)]
    html = _STYLE + _template(_DILEMMA).render(c=card, shared_dilemma_kicker=SHARED_DILEMMA_KICKER,
                                               dilemma_table_headings=DILEMMA_TABLE_HEADINGS,
                                               no_rows_note=NO_ROWS_NOTE)
    return Card(card, html)


def _report_data(result: Run) -> ReportData:
    title = (result.summary.get("config", {}).get("report", {}) or {}).get("title", "")
    return build_report_data(result.themes, result.quotes, result.decisions, result.summary, title,
                             dilemmas=result.dilemmas, dilemma_decisions=result.dilemma_decisions,
                             common_ground=result.common_ground)


@functools.lru_cache(maxsize=8)
def _template(source: str) -> jinja2.Template:
    # Autoescape on: every value is transcript text or derived from it.
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True,
                             lstrip_blocks=True)
    env.filters.update(score=format_score, theme_title=theme_title, dilemma_title=dilemma_title)
    env.globals["not_said"] = NOT_SAID
    return env.from_string(source)

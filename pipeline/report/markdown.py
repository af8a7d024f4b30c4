"""The workshop report as Markdown: the HTML report's content; the map is listed as its legend.

Sections in the HTML report's order: the shared dilemmas (then those one
team raised), the common ground for the workshop, the run summary, the
matrix, the map's legend, the themes, the method and the anonymisation.

Every value taken from the data (quote text, labels, key phrases, team and
file names) goes through `escape_markdown`, because transcript text is
untrusted: a quote must not be able to open a link, inject HTML, start
emphasis or add a column to a table.
"""
from __future__ import annotations

import logging
import re

from .data import ReportData
from .view import (
    DILEMMA_TABLE_HEADINGS,
    DILEMMAS_HEADING,
    GROUND_HEADING,
    GROUND_INTRO,
    LANGUAGE_ALL_ENGLISH,
    LANGUAGE_HEADING,
    LANGUAGE_NOT_CHECKED,
    NO_ROWS_NOTE,
    NOT_SAID,
    ONE_TEAM_HEADING,
    ONE_TEAM_TABLE_HEADINGS,
    SHARED_DILEMMA_KICKER,
    SHARED_HEADING,
    TEAM_SPECIFIC_HEADING,
    DecisionRowView,
    DilemmaCard,
    DilemmaSections,
    GroundCard,
    QuoteView,
    ReportView,
    ThemeCard,
    build_report_view,
    dilemma_title,
    format_score,
    format_share,
    theme_title,
)

logger = logging.getLogger(__name__)

# Backslash escapes work in every CommonMark and GFM renderer for ASCII
# punctuation. `|` matters inside tables, `#` and `~` for headings and
# strikethrough, the rest for emphasis, code and links.
_BACKSLASH_ESCAPED = re.compile(r"([\\`*_\[\]|#~])")
# An `&` that would start a character reference ("&lt;") is spelt out, so a
# quote cannot smuggle in `<` through an entity.
_ENTITY_START = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
_WHITESPACE = re.compile(r"\s+")


def render_markdown(data: ReportData, view: ReportView | None = None) -> str:
    """Render the workshop report as Markdown (GitHub-flavoured tables).

    Parameters
    ----------
    data : ReportData
        The finished tables and run summary.

    Returns
    -------
    str
        The report, ending in a newline. The same `data` always gives the
        same string.

    Examples
    --------
    >>> text = render_markdown(data)  # doctest: +SKIP
    >>> text.splitlines()[0]  # doctest: +SKIP
    '# Common ground'
    """
    view = view or build_report_view(data)
    blocks = [
        f"# {escape_markdown(view.title)}",
        view.lede,
        *_dilemmas(view.dilemmas),
        *_common_ground(view.dilemmas),
        *_summary(view),
        *_matrix(view),
        *_map(view),
        f"## {SHARED_HEADING}",
        *(_cards(view.shared_cards)
          or [_no_cards(view, "_No theme was raised by more than one team._")]),
        f"## {TEAM_SPECIFIC_HEADING}",
        *(_cards(view.team_specific_cards)
          or [_no_cards(view, "_Every theme is shared by two or more teams._")]),
        *_method(view),
        *_anonymisation(view),
    ]
    return "\n\n".join(blocks) + "\n"


def escape_markdown(value: object) -> str:
    """Make untrusted text inert in Markdown, on one line.

    Angle brackets become character references, because not every renderer
    honours a backslash before `<` (Python-Markdown does not), and raw HTML
    would otherwise pass through. Line breaks become spaces so a value can
    sit in a table cell or a list item.

    Examples
    --------
    >>> escape_markdown("a | b <script>")
    'a \\\\| b &lt;script&gt;'
    """
    text = _WHITESPACE.sub(" ", str(value)).strip()
    text = _ENTITY_START.sub("&amp;", text)
    text = _BACKSLASH_ESCAPED.sub(r"\\\1", text)
    return text.replace("<", "&lt;").replace(">", "&gt;")


def _dilemmas(sections: DilemmaSections) -> list[str]:
    blocks = [f"## {DILEMMAS_HEADING}"]
    blocks += ["\n\n".join(_dilemma_card(card)) for card in sections.shared] or [f"_{sections.empty_note}_"]
    if sections.one_team:
        rows = [[f"{escape_markdown(dilemma_title(card))} ({escape_markdown(card.dilemma_id)}, "
                 f"{format_score(card.common_ground)})", *_one_team_cells(card, row)]
                for card in sections.one_team for row in (card.rows or [None])]
        blocks += [f"### {ONE_TEAM_HEADING}", _table(list(ONE_TEAM_TABLE_HEADINGS), rows)]
    return blocks


def _dilemma_card(card: DilemmaCard) -> list[str]:
    blocks = [
        f"### {escape_markdown(dilemma_title(card))}",
        f"_{SHARED_DILEMMA_KICKER} {card.rank} · {escape_markdown(card.dilemma_id)}_",
        "\n".join([
            *([f"- **Sides:** {escape_markdown(card.sides)}"] if card.sides else []),
            f"- **Teams:** {_join(card.teams)} ({card.n_teams})",
            f"- **Common-ground score:** {format_score(card.common_ground)}",
            f"- **Quotes:** {card.n_quotes}",
        ]),
    ]
    if card.rows:
        blocks.append(_table(list(DILEMMA_TABLE_HEADINGS),
                             [[escape_markdown(r.team), *_said_cells(r)] for r in card.rows]))
    else:
        blocks.append(f"_{NO_ROWS_NOTE}_")
    return blocks


def _one_team_cells(card: DilemmaCard, row: DecisionRowView | None) -> list[str]:
    if row is None:
        return [_join(card.teams), f"_{NO_ROWS_NOTE}_", "—", "—"]
    return [escape_markdown(row.team), *_said_cells(row)]


def _said_cells(row: DecisionRowView) -> list[str]:
    return [_quote_cell(q, missing=f"_{NOT_SAID}_") for q in (row.dilemma, row.decision, row.reason)]


def _common_ground(sections: DilemmaSections) -> list[str]:
    if not sections.grounds:
        return [f"## {GROUND_HEADING}", f"_{sections.no_ground_note}_"]
    return [f"## {GROUND_HEADING}", GROUND_INTRO,
            *("\n\n".join(_ground_card(ground)) for ground in sections.grounds)]


def _ground_card(ground: GroundCard) -> list[str]:
    source = ground.statement_quote
    dilemmas = "; ".join(f"{escape_markdown(dilemma_title(link))} ({escape_markdown(link.dilemma_id)})"
                         for link in ground.dilemmas) or "—"
    blocks = [
        f"### “{escape_markdown(ground.statement)}”",
        f"_Common ground {ground.position} · {escape_markdown(ground.ground_id)}_"
        + (f" — {_quote_line_source(source)}" if source is not None else ""),
        "\n".join([f"- **Teams:** {_join(ground.teams)} ({ground.n_teams})", f"- **Dilemmas:** {dilemmas}"]),
    ]
    if ground.quotes:
        blocks += ["#### Supporting quotes", "\n".join(f"- {_quote_line(q)}" for q in ground.quotes)]
    return blocks


def _summary(view: ReportView) -> list[str]:
    blocks = [
        "## Run summary",
        "\n".join([
            f"- Conversations: {view.n_transcripts}",
            f"- Teams: {view.n_teams} ({_join(view.teams)})",
            f"- Quotes: {view.n_quotes}",
            f"- Themes: {view.n_themes}",
            f"- Files not read: {len(view.failed_inputs)}",
            f"- Files skipped: {len(view.skipped_inputs)}",
            *([f"- Files in another language: {len(view.other_language_inputs)}"]
              if view.other_language_inputs else []),
        ]),
        "### Quotes in no theme, by team",
    ]
    if view.outliers:
        hidden = bool(view.n_hidden)
        blocks.append(_table(
            ["Team", "Quotes in no theme", *(["Hidden by curation"] if hidden else []),
             "Of the team's quotes", "Share"],
            [[escape_markdown(o.team), str(o.n_outliers), *([str(o.n_hidden)] if hidden else []),
              str(o.n_quotes), format_share(o.share)] for o in view.outliers],
            align=["---", "---:", *(["---:"] if hidden else []), "---:", "---:"],
        ))
    else:
        blocks.append("_No quotes._")
    blocks.append("### Files that could not be read")
    if view.failed_inputs:
        blocks.append(_table(["File", "Reason"],
                             [[escape_markdown(f), escape_markdown(r)]
                              for f, r in view.failed_inputs]))
    else:
        blocks.append("Every file was read.")
    blocks.append(f"### {LANGUAGE_HEADING}")
    if view.other_language_inputs:
        blocks.append(view.language_why)
        blocks.append(_table(["File", "Language"], [[escape_markdown(f), escape_markdown(language)]
                                                    for f, language in view.other_language_inputs]))
    elif view.other_language_inputs is None:
        blocks.append(f"_{LANGUAGE_NOT_CHECKED}_")
    else:
        blocks.append(LANGUAGE_ALL_ENGLISH)
    blocks.append("### Files skipped")
    if view.skipped_inputs:
        blocks.append(_table(["File", "Why"], [[escape_markdown(f), escape_markdown(r)]
                                               for f, r in view.skipped_inputs]))
    else:
        blocks.append("No file was skipped.")
    return blocks


def _matrix(view: ReportView) -> list[str]:
    blocks = [
        "## Common-ground matrix",
        "Number of quotes each team contributed to each theme; themes are ordered "
        "by their common-ground score.",
    ]
    if not view.teams:
        return blocks + ["_No teams._"]
    rows = [[escape_markdown(row.label) + (" (shared)" if row.shared else ""),
             format_score(row.common_ground), *map(str, row.counts)]
            for row in view.matrix]
    for extra in (view.outlier_row, view.hidden_row):
        if extra is not None:
            rows.append([f"_{extra.label}_", "—", *map(str, extra.counts)])
    headers = ["Theme", "Common ground", *map(escape_markdown, view.teams)]
    return blocks + [_table(headers, rows, align=["---"] + ["---:"] * (len(headers) - 1))]


def _map(view: ReportView) -> list[str]:
    lines = [f"- {escape_markdown(theme_title(c))}: {c.n_quotes} quotes" for c in view.cards]
    lines.append(f"- {escape_markdown(view.outlier_row.label)}: {sum(view.outlier_row.counts)} quotes")
    return ["## Map of quotes",
            "The interactive map is in `theme_report.html`: each dot a quote, coloured by its theme. "
            "Its legend:",
            "\n".join(lines)]


def _cards(cards: list[ThemeCard]) -> list[str]:
    return ["\n\n".join(_card(card)) for card in cards]


def _no_cards(view: ReportView, message: str) -> str:
    return message if view.cards else "_This run found no themes._"


def _card(card: ThemeCard) -> list[str]:
    blocks = [
        f"### {escape_markdown(theme_title(card))}",
        f"_Theme {card.theme_id}" + (f" · key {escape_markdown(card.theme_key)}" if card.theme_key else "")
        + (" · loose theme_" if card.loose else "_"),
        *([f"> “{escape_markdown(card.headline)}” ({escape_markdown(card.headline_quote_id)})"]
          if card.headline else []),
        "\n".join([
            *([f"- **{escape_markdown(card.firmness)}**" if card.loose else f"- {escape_markdown(card.firmness)}"]
              if card.firmness else []),
            f"- **Common ground:** {format_score(card.common_ground)}",
            f"- **Key phrases:** {_join(card.keywords)}",
            f"- **Teams:** {_join(card.teams)} ({card.n_teams})",
            f"- **People:** {card.n_speakers}",
            f"- **Quotes:** {card.n_quotes} from {card.n_transcripts} conversations",
            f"- **Dilemmas:** {card.n_dilemmas} · **Decisions:** {card.n_decisions}",
        ]),
        "#### Dilemmas and decisions, by team",
    ]
    if card.decisions:
        blocks.append(_table(
            ["Team", "Dilemma, as the team voiced it", "Decision", "Reason"],
            [[escape_markdown(r.team), _quote_cell(r.dilemma), _quote_cell(r.decision),
              _quote_cell(r.reason)] for r in card.decisions],
        ))
    else:
        blocks.append("_No dilemma or decision was paired for this theme._")
    blocks.append("#### Representative quotes")
    if card.representative:
        blocks.append("\n".join(f"- {_quote_line(q)}" for q in card.representative))
    else:
        blocks.append("_No representative quotes._")
    return blocks


def _method(view: ReportView) -> list[str]:
    blocks = [
        "## Method and settings",
        f"**Common ground:** {escape_markdown(view.formula)}",
        f"**Version:** {escape_markdown(view.version)} · **Seed:** {escape_markdown(view.seed)}",
        "The same transcripts, settings and seed give the same themes and this same report.",
        "### Curation",
    ]
    if view.curation:
        blocks.append("The analyst's changes to the themes the pipeline found, applied before this "
                      "report was written:")
        blocks.append("\n".join(f"- {escape_markdown(n.text)}" for n in view.curation))
    else:
        blocks.append("The themes are shown as the pipeline found them; no curation was applied.")
    blocks.append("### Settings")
    if view.settings:
        blocks.append(_table(["Setting", "Value"],
                             [[f"`{key}`", escape_markdown(value)]
                              for key, value in view.settings]))
    else:
        blocks.append("_No settings recorded._")
    return blocks


def _anonymisation(view: ReportView) -> list[str]:
    blocks = [
        "## Anonymisation",
        "Names, places and contact details were replaced by placeholders before any "
        "analysis. Counts of replacements by type:",
    ]
    if view.anonymisation:
        blocks.append(_table(["Type", "Replacements"],
                             [[escape_markdown(k), str(n)] for k, n in view.anonymisation],
                             align=["---", "---:"]))
    else:
        blocks.append("_Nothing needed replacing._")
    return blocks


def _quote_cell(quote: QuoteView | None, missing: str = "—") -> str:
    if quote is None:
        return missing
    return f"{_quote_text(quote)} ({_quote_id(quote)})"


def _quote_line(quote: QuoteView) -> str:
    return f"{_quote_text(quote)} — {_quote_line_source(quote)}"


def _quote_line_source(quote: QuoteView) -> str:
    team = escape_markdown(quote.team) if quote.team else "team unknown"
    return f"{team}, {_quote_id(quote)}"


def _quote_text(quote: QuoteView) -> str:
    # Opening with a curly quote mark also keeps a quote that starts with
    # "1." or "- " from turning into a list.
    return f"“{escape_markdown(quote.text)}”" if quote.found else "_quote not found in this run_"


def _quote_id(quote: QuoteView) -> str:
    # Not a code span: GFM splits a table cell at `|` even inside one.
    return escape_markdown(quote.quote_id)


def _join(values: list[str]) -> str:
    return ", ".join(escape_markdown(v) for v in values) or "—"


def _table(headers: list[str], rows: list[list[str]], align: list[str] | None = None) -> str:
    align = align or ["---"] * len(headers)
    lines = ["| " + " | ".join(headers) + " |", "| " + " | ".join(align) + " |"]
    lines += ["| " + " | ".join(cells) + " |" for cells in rows]
    return "\n".join(lines)

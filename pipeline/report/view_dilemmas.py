"""The report's first two sections: the shared dilemmas, and the common ground between them.

A dilemma card carries one dilemma of the dilemmas table (its title, the two
competing sides, its teams and score) and, from the dilemma-decisions table,
each team's row: the dilemma as that team voiced it, the decision point
(what the team changed) and the reason it gave, each a quote looked up by
id. A ground card carries one row of the common-ground table: its verbatim
statement, the teams that gave it, links to the dilemmas it spans and its
supporting quotes.

Cards follow the dilemmas table's rank, split into the shared ones (two
teams or more) and those one team alone raised; rows are sorted so that
their order never depends on how an upstream stage ordered its frame. A
run made before the dilemmas stage has empty tables (or none), and gets
empty sections with the short notes worded here. Strings are raw data;
each renderer escapes them for its own format.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from .. import schema
from .data import ReportData
from .view_cards import lookup_quote, quote_index
from .view_cells import cell_text, is_missing, optional_id, split_list
from .view_types import DecisionRowView, QuoteView

# Headings and notes, worded once so every renderer says the same.
DILEMMAS_HEADING = "Shared dilemmas"
ONE_TEAM_HEADING = "Raised by one team"
GROUND_HEADING = "Common ground for the workshop"
SHARED_DILEMMA_KICKER = "Shared dilemma"
NOT_SAID = "not said"
DILEMMA_TABLE_HEADINGS = ("Team", "Dilemma, as the team voiced it", "Decision point (what the team changed)",
                          "Reason")
ONE_TEAM_TABLE_HEADINGS = ("Dilemma", "Team", "As the team voiced it", "Decision point", "Reason")
NO_DILEMMA_NOTE = "No shared dilemma was found in these conversations."
TEAMLESS_NOTE = ("No dilemma can be shared across teams: no conversation was given a team, so all of them count as "
                 "one team, \u201cunknown\u201d. Put each team's transcripts in a sub-folder named after the team, or "
                 "name each file's team in manifest.csv (file,team), and run again.")
ONE_TEAM_INPUT_NOTE = ("No dilemma can be shared across teams: every conversation is in one team, "
                       "\u201c{team}\u201d. To compare teams, run on the transcripts of several.")
ONLY_ONE_TEAM_NOTE = "No shared dilemma was found: each dilemma below was raised by one team alone."
BEFORE_DILEMMAS_NOTE = ("This run was made by a version of Common Ground that did not look for shared dilemmas; "
                        "run `commonground run` again on the transcripts to find them.")
NO_ROWS_NOTE = "No team's decision point was paired with this dilemma."
NO_GROUND_NOTE = "No common ground was found: no principle was given as a reason by enough teams across dilemmas."
GROUND_INTRO = ("Going back to the decision points: principles that several teams gave as the reason for their "
                "decisions, across different dilemmas. Each is a starting point for the workshop.")


@dataclass(frozen=True)
class DilemmaCard:
    """One dilemma as the report shows it: title, sides, teams, score and each team's row."""

    dilemma_id: str
    rank: int  # 1-based position in the dilemmas table's order
    title: str
    side_a: str
    side_b: str
    teams: list[str]
    n_teams: int
    common_ground: float | None
    n_quotes: int
    rows: list[DecisionRowView]

    @property
    def shared(self) -> bool:
        """Raised by two teams or more."""
        return self.n_teams >= 2

    @property
    def anchor(self) -> str:
        """A stable in-document link target (from the rank: an id may hold any character)."""
        return f"dilemma-{self.rank}"

    @property
    def sides(self) -> str:
        """The two sides as "A · B" when they add something to the title, else ""."""
        if not (self.side_a or self.side_b):
            return ""
        sides = f"{self.side_a or '—'} · {self.side_b or '—'}"
        return "" if sides == self.title else sides


@dataclass(frozen=True)
class DilemmaLink:
    """A dilemma a ground spans: its id, its title and its card's anchor ("" when it has no card)."""

    dilemma_id: str
    title: str
    anchor: str


@dataclass(frozen=True)
class GroundCard:
    """One piece of common ground: a reason several teams gave across dilemmas."""

    ground_id: str
    position: int  # 1-based position in the common-ground table's order
    statement: str
    statement_quote: QuoteView | None  # the supporting quote the statement is, when one is
    teams: list[str]
    n_teams: int
    dilemmas: list[DilemmaLink]
    quotes: list[QuoteView]  # the other supporting quotes, in the table's order

    @property
    def anchor(self) -> str:
        """A stable in-document link target."""
        return f"ground-{self.position}"


@dataclass(frozen=True)
class DilemmaSections:
    """The report's first two sections, ready to lay out."""

    shared: list[DilemmaCard]
    one_team: list[DilemmaCard]
    grounds: list[GroundCard]
    no_ground_note: str = NO_GROUND_NOTE
    made_before_dilemmas: bool = False  # its settings have no [dilemmas]: the tables are absent, not empty
    teams_heard: tuple[str, ...] = ()  # the teams of the run's quotes; with one, nothing can be shared

    @property
    def cards(self) -> list[DilemmaCard]:
        """Every dilemma card in rank order: shared ones first."""
        return self.shared + self.one_team

    @property
    def empty_note(self) -> str:
        """What the first section says when it has no shared dilemma card; "" when it has one."""
        if self.shared:
            return ""
        if self.made_before_dilemmas:
            return BEFORE_DILEMMAS_NOTE
        if len(self.teams_heard) == 1:  # say why, and what to do: the input's layout, not the conversations
            team = self.teams_heard[0]
            return TEAMLESS_NOTE if team == schema.UNKNOWN_TEAM else ONE_TEAM_INPUT_NOTE.format(team=team)
        return ONLY_ONE_TEAM_NOTE if self.one_team else NO_DILEMMA_NOTE


def dilemma_title(card: DilemmaCard | DilemmaLink) -> str:
    """The dilemma's title, or a stand-in naming its id when the title is empty."""
    return card.title or f"Dilemma {card.dilemma_id}"


def build_dilemma_sections(data: ReportData) -> DilemmaSections:
    """The shared dilemmas, those one team raised, and the common ground, from `data`'s tables.

    Parameters
    ----------
    data : ReportData
        The finished tables. `dilemmas`, `dilemma_decisions` and
        `common_ground` may be empty or None (a run made before them).

    Returns
    -------
    DilemmaSections
        Cards in the dilemmas table's order, shared ones first; grounds in
        the common-ground table's order.

    Raises
    ------
    KeyError
        If a non-empty table lacks a column the report needs.

    Examples
    --------
    >>> sections = build_dilemma_sections(data)  # doctest: +SKIP
    >>> [card.dilemma_id for card in sections.shared]  # doctest: +SKIP
    ['D1', 'D2']
    """
    dilemmas = _table(data.dilemmas, schema.DILEMMA_COLUMNS)
    decisions = _table(data.dilemma_decisions, schema.DILEMMA_DECISION_COLUMNS)
    grounds = _table(data.common_ground, schema.COMMON_GROUND_COLUMNS)
    quotes = quote_index(data.quotes) if len(dilemmas) or len(grounds) else {}
    rows_by_dilemma = _team_rows(decisions, quotes)
    cards = [_dilemma_card(record, rank, rows_by_dilemma.get(cell_text(record[schema.DILEMMA_ID]), []))
             for rank, record in enumerate(_records(dilemmas), start=1)]
    links = {card.dilemma_id: DilemmaLink(card.dilemma_id, card.title, card.anchor) for card in cards}
    return DilemmaSections(
        shared=[c for c in cards if c.shared],
        one_team=[c for c in cards if not c.shared],
        grounds=[_ground_card(record, position, quotes, links)
                 for position, record in enumerate(_records(grounds), start=1)],
        no_ground_note=no_ground_note(data.summary.get("settings") or {}),
        # A run's settings always hold its config; one without [dilemmas] predates the stage.
        made_before_dilemmas=bool(data.summary.get("settings")) and "dilemmas" not in data.summary["settings"],
        teams_heard=_teams_heard(data.quotes),
    )


def _teams_heard(quotes: pd.DataFrame) -> tuple[str, ...]:
    """The teams of the quotes, when two conversations or more could have shared a dilemma; else ()."""
    if schema.TEAM not in quotes or schema.TRANSCRIPT_ID not in quotes or quotes[schema.TRANSCRIPT_ID].nunique() < 2:
        return ()
    return tuple(sorted(quotes[schema.TEAM].astype(str).unique()))


def no_ground_note(settings: Mapping[str, Any]) -> str:
    """The empty common-ground section's line, naming the run's thresholds when its settings hold them.

    Examples
    --------
    >>> no_ground_note({"dilemmas": {"ground_min_teams": 3, "ground_min_dilemmas": 2}})
    'No common ground was found: no principle was given as a reason by 3 or more teams across 2 or more dilemmas.'
    """
    section = settings.get("dilemmas") if isinstance(settings, Mapping) else None
    if not isinstance(section, Mapping):
        return NO_GROUND_NOTE
    min_teams, min_dilemmas = section.get("ground_min_teams"), section.get("ground_min_dilemmas")
    if not (isinstance(min_teams, int) and isinstance(min_dilemmas, int)):
        return NO_GROUND_NOTE
    return (f"No common ground was found: no principle was given as a reason by {min_teams} or more teams "
            f"across {min_dilemmas} or more dilemmas.")


def _table(table: pd.DataFrame | None, columns: list[str]) -> pd.DataFrame:
    """The table, or an empty one with `columns` when there is none; a non-empty table must have them."""
    if table is None or len(table) == 0:
        return pd.DataFrame(columns=columns)
    schema.require_columns(table, columns, "report")
    return table


def _records(table: pd.DataFrame) -> list[dict[str, Any]]:
    return [row._asdict() for row in table.itertuples(index=False)]


def _dilemma_card(record: Mapping[str, Any], rank: int, rows: list[DecisionRowView]) -> DilemmaCard:
    teams = split_list(record[schema.TEAMS])
    quote_ids = split_list(record[schema.QUOTE_IDS])
    return DilemmaCard(
        dilemma_id=cell_text(record[schema.DILEMMA_ID]),
        rank=rank,
        title=cell_text(record[schema.TITLE]),
        side_a=cell_text(record[schema.SIDE_A]),
        side_b=cell_text(record[schema.SIDE_B]),
        teams=teams,
        n_teams=_count(record[schema.N_TEAMS], len(teams)),
        common_ground=_score(record[schema.COMMON_GROUND]),
        n_quotes=_count(record[schema.N_QUOTES], len(quote_ids)),
        rows=rows,
    )


def _team_rows(decisions: pd.DataFrame, quotes: Mapping[str, QuoteView]) -> dict[str, list[DecisionRowView]]:
    """Each dilemma's rows, sorted by team, then transcript and quote ids."""
    keyed: dict[str, list[tuple[tuple[str, ...], DecisionRowView]]] = {}
    for record in _records(decisions):
        ids = [optional_id(record[column]) for column in (schema.DILEMMA_QUOTE_ID, schema.DECISION_QUOTE_ID,
                                                          schema.RATIONALE_QUOTE_ID)]
        team = cell_text(record[schema.TEAM])
        row = DecisionRowView(team, *(None if i is None else lookup_quote(quotes, i) for i in ids))
        key = (team, cell_text(record[schema.TRANSCRIPT_ID])) + tuple(i or "" for i in ids)
        keyed.setdefault(cell_text(record[schema.DILEMMA_ID]), []).append((key, row))
    return {dilemma: [row for _, row in sorted(pairs, key=lambda pair: pair[0])]
            for dilemma, pairs in keyed.items()}


def _ground_card(record: Mapping[str, Any], position: int, quotes: Mapping[str, QuoteView],
                 links: Mapping[str, DilemmaLink]) -> GroundCard:
    statement = cell_text(record[schema.STATEMENT])
    supporting = [lookup_quote(quotes, quote_id) for quote_id in split_list(record[schema.QUOTE_IDS])]
    # The statement is the most central reason, verbatim: shown with that quote's id, and not twice.
    statement_quote = next((q for q in supporting if q.found and q.text.strip() == statement.strip()), None)
    teams = split_list(record[schema.TEAMS])
    return GroundCard(
        ground_id=cell_text(record[schema.GROUND_ID]),
        position=position,
        statement=statement,
        statement_quote=statement_quote,
        teams=teams,
        n_teams=_count(record[schema.N_TEAMS], len(teams)),
        dilemmas=[links.get(dilemma_id, DilemmaLink(dilemma_id, "", ""))
                  for dilemma_id in split_list(record[schema.DILEMMA_IDS])],
        quotes=[q for q in supporting if q is not statement_quote],
    )


def _count(value: Any, fallback: int) -> int:
    if is_missing(value) or str(value).strip() == "":
        return fallback
    return int(float(value))


def _score(value: Any) -> float | None:
    if is_missing(value) or str(value).strip() == "":
        return None
    score = float(value)
    return None if score != score else score  # NaN is no score

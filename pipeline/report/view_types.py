"""What a report shows, as frozen dataclasses, and the few wordings every renderer shares.

`ReportView` is the whole report's content; a `ThemeCard` is one theme's,
with its `DecisionRowView`s and representative `QuoteView`s. The builders
(`view_cards`, `view_summary`) fill them in and the renderers lay them out.
They are separate from the builders so that a renderer reads what it may
show without reading how it was gathered. (The dilemma and common-ground
cards are the exception: they sit with their builders in `view_dilemmas`.)
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .view_cells import is_missing

if TYPE_CHECKING:  # the dilemma sections' types live with their builders, which import this module
    from .view_dilemmas import DilemmaSections

# Section headings and row labels, worded once so every renderer says the same.
SHARED_HEADING = "Shared across teams"
TEAM_SPECIFIC_HEADING = "Team-specific themes"
NO_THEME_LABEL = "No theme (outliers)"
HIDDEN_LABEL = "Hidden by curation"
# The run summary's lines on files in another language than English.
LANGUAGE_HEADING = "Files in another language"
LANGUAGE_ALL_ENGLISH = "Every file is in English, as far as the language check can tell."
LANGUAGE_NOT_CHECKED = "The files' language was not checked: this run was made before the check existed."


def language_why(n_files: int) -> str:
    """Why files in another language matter, for `n_files` of them.

    >>> language_why(1).split(":")[0]
    'This file was read, but the name finder, the sentence model and the dilemma cues read English'
    """
    one = n_files == 1
    return (f"{'This file was' if one else 'These files were'} read, but the name finder, the sentence model "
            f"and the dilemma cues read English: names in {'it' if one else 'them'} may have been missed, and "
            f"the themes and dilemmas {'its' if one else 'their'} quotes are in are unreliable. "
            f"Read {'its' if one else 'their'} quotes before sharing this report.")


@dataclass(frozen=True)
class QuoteView:
    """One quote as shown in a report: its id, team, speaker pseudonym and text."""

    quote_id: str
    team: str
    speaker: str
    text: str
    found: bool = True  # False when the id is not in the quotes table


@dataclass(frozen=True)
class DecisionRowView:
    """One team's dilemma -> decision -> reason for a theme; any part may be None."""

    team: str
    dilemma: QuoteView | None
    decision: QuoteView | None
    reason: QuoteView | None


@dataclass(frozen=True)
class ThemeCard:
    """Everything a theme card shows."""

    theme_id: int
    label: str
    common_ground: float
    keywords: list[str]
    teams: list[str]
    n_teams: int
    n_speakers: int
    n_quotes: int
    n_transcripts: int
    n_dilemmas: int
    n_decisions: int
    shared: bool
    decisions: list[DecisionRowView]
    representative: list[QuoteView]
    theme_key: str = ""
    headline: str = ""  # a sentence from one of its central quotes, verbatim
    headline_quote_id: str = ""
    stability: float | None = None
    cohesion: float | None = None
    loose: bool = False

    @property
    def anchor(self) -> str:
        """A stable in-document link target."""
        return f"theme-{self.theme_id}"

    @property
    def firmness(self) -> str:
        """How well the theme holds together, said the same way by every renderer ("" when not measured)."""
        parts = []
        if self.stability is not None and not is_missing(self.stability):
            parts.append(f"comes back {100 * float(self.stability):.0f}% whole when re-clustered")
        if self.cohesion is not None and not is_missing(self.cohesion):
            parts.append(f"cohesion {float(self.cohesion):.2f}")
        if not parts:
            return ""
        return ("Loose theme: " if self.loose else "Firm: ") + ", ".join(parts)


@dataclass(frozen=True)
class TeamOutliers:
    """How many of a team's quotes are in no theme: left out by the pipeline, or hidden by curation."""

    team: str
    n_outliers: int
    n_quotes: int
    share: float  # (n_outliers + n_hidden) / n_quotes: the share the report's themes do not show
    n_hidden: int = 0


@dataclass(frozen=True)
class CurationNote:
    """One curation action, said the same way by every renderer."""

    text: str
    applied: bool


@dataclass(frozen=True)
class MatrixRow:
    """One theme's row of the common-ground matrix; `counts` follows `ReportView.teams`."""

    theme_id: int
    label: str
    shared: bool
    common_ground: float | None
    counts: list[int]


@dataclass(frozen=True)
class ReportView:
    """The whole report's content, ready to lay out."""

    title: str
    n_transcripts: int
    n_teams: int
    n_quotes: int
    n_themes: int
    teams: list[str]
    failed_inputs: list[tuple[str, str]]
    skipped_inputs: list[tuple[str, str]]
    # (file, language name) per file read but written in another language; None when languages were not checked.
    other_language_inputs: list[tuple[str, str]] | None
    outliers: list[TeamOutliers]
    matrix: list[MatrixRow]
    matrix_max: int
    outlier_row: MatrixRow
    hidden_row: MatrixRow | None
    shared_cards: list[ThemeCard]
    team_specific_cards: list[ThemeCard]
    formula: str
    seed: str
    version: str
    settings: list[tuple[str, str]]
    anonymisation: list[tuple[str, int]]
    curation: list[CurationNote]
    dilemmas: DilemmaSections  # the first two sections: shared dilemmas, then the common ground

    @property
    def n_hidden(self) -> int:
        """Quotes whose theme the analyst hid."""
        return sum(o.n_hidden for o in self.outliers)

    @property
    def language_why(self) -> str:
        """Why the files in another language matter ("" when there are none)."""
        return language_why(len(self.other_language_inputs)) if self.other_language_inputs else ""

    @property
    def cards(self) -> list[ThemeCard]:
        """All cards, shared first."""
        return self.shared_cards + self.team_specific_cards

    @property
    def lede(self) -> str:
        """The report's size under its title: "20 conversations · 1 team · 959 quotes · 30 themes"."""
        return " · ".join(counted(n, word) for n, word in (
            (self.n_transcripts, "conversation"), (self.n_teams, "team"), (self.n_quotes, "quote"),
            (self.n_themes, "theme")))


def counted(n: int, word: str) -> str:
    """`n` and the word, in the plural unless `n` is 1.

    >>> counted(1, "team"), counted(0, "theme"), counted(20, "conversation")
    ('1 team', '0 themes', '20 conversations')
    """
    return f"{n} {word}{'' if n == 1 else 's'}"


def format_score(value: float | None) -> str:
    """A common-ground score with two decimals, or an em dash."""
    return "—" if value is None or is_missing(value) else f"{float(value):.2f}"


def format_share(value: float) -> str:
    """A share in [0, 1] as a whole percentage."""
    return f"{100.0 * float(value):.0f}%"


def theme_title(card: ThemeCard) -> str:
    """The card's label, or a stand-in when the label is empty."""
    return card.label or f"Theme {card.theme_id}"



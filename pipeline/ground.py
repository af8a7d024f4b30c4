"""Common ground: how broadly each theme is shared across teams.

The score borrows the idea of Polis's group-aware consensus, where a
statement ranks high only if every opinion group agrees with it: the
product over groups of each group's smoothed agreement. Here the groups are
teams and "agreeing" is a team's conversations raising the theme.

For theme t and team g with S_g conversations, s_tg of which have a quote
in t, the team's smoothed coverage is

    p_tg = (s_tg + a) / (S_g + 2a)          (a = [ground] smoothing)

and the raw score is the geometric mean of p_tg over all teams (the
product, made comparable across runs with different numbers of teams).
Smoothing keeps a one-person team from vetoing or carrying a theme. The
raw score is rescaled to [0, 1] between its floor (no team raises t) and
its ceiling (every conversation of every team does), so 1 means "every
conversation in every team" and a theme voiced by one team alone stays low
however many quotes it has.
"""
from __future__ import annotations

import logging

import numpy as np
import pandas as pd

from . import schema
from .config import Config
from .signals.detect import pair_rationales
from .themes.scaffolding import quote_positions, share_at_edges

logger = logging.getLogger(__name__)

FORMULA = ("common_ground = rescaled geometric mean over teams g of (s_tg + a) / (S_g + 2a), "
           "where S_g is team g's number of conversations, s_tg how many of them raise the theme, "
           "and a the smoothing; 0 = raised by no conversation, 1 = raised by every conversation of every team.")


def common_ground_scores(coverage: pd.DataFrame, team_sizes: pd.Series, smoothing: float) -> pd.Series:
    """Score per theme from a theme x team table of conversation counts.

    Examples
    --------
    Three teams of two conversations. Theme 0 is raised in all six; theme 1
    in both of team a's and nowhere else, so it stays low: its shares are
    3/4, 1/4, 1/4, their geometric mean (3/64)^(1/3) = 0.3606, rescaled
    between the floor 1/4 and the ceiling 3/4.

    >>> cov = pd.DataFrame({"a": [2, 2], "b": [2, 0], "c": [2, 0]}, index=[0, 1])
    >>> common_ground_scores(cov, pd.Series({"a": 2, "b": 2, "c": 2}), 1.0).tolist()
    [1.0, 0.2211]
    """
    teams = list(team_sizes.index)
    coverage = coverage.reindex(columns=teams, fill_value=0)
    sizes = team_sizes.reindex(teams).to_numpy(dtype=float)
    a = smoothing
    share = (coverage.to_numpy(dtype=float) + a) / (sizes + 2 * a)
    raw = np.exp(np.log(share).mean(axis=1))
    floor = np.exp(np.log(a / (sizes + 2 * a)).mean())
    ceiling = np.exp(np.log((sizes + a) / (sizes + 2 * a)).mean())
    scaled = (raw - floor) / (ceiling - floor) if ceiling > floor else np.ones_like(raw)
    return pd.Series(np.clip(scaled, 0.0, 1.0).round(4), index=coverage.index)


# Themes in order: the conversations' scaffolding (openings and closings) after the substance,
# then by common ground, then by size.
RANKING = [schema.SCAFFOLDING, schema.COMMON_GROUND, schema.N_QUOTES, schema.THEME_ID]
RANKING_ASCENDING = [True, False, False, True]


def summarise_themes(quotes: pd.DataFrame, embeddings: np.ndarray, keywords: dict, labels: dict,
                     centroids: dict, config: Config) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, dict]:
    """The theme table, the renumbered quotes, the decisions table and per-team outlier shares.

    Themes are ordered by common ground (then size), those flagged as
    scaffolding (`themes.scaffolding`: mostly openings and closings) last,
    and renumbered so that theme 0 is the broadest of the others; quotes
    follow the new numbering.
    """
    schema.require_columns(quotes, [schema.THEME_ID, schema.TEAM, schema.TRANSCRIPT_ID, schema.SPEAKER,
                                    schema.IS_DILEMMA, schema.IS_DECISION], "ground")
    team_sizes = quotes.groupby(schema.TEAM)[schema.TRANSCRIPT_ID].nunique().sort_index()
    placed = quotes[quotes[schema.THEME_ID] != schema.NO_THEME]
    positions = quote_positions(quotes)
    rows = []
    for theme, group in placed.groupby(schema.THEME_ID):
        rows.append({schema.THEME_ID: int(theme), schema.LABEL: labels.get(theme, "(no label)"),
                     schema.KEYWORDS: schema.LIST_SEPARATOR.join(keywords.get(theme, [])),
                     **summarise_theme(group, team_sizes, config, positions)})
    themes = pd.DataFrame(rows, columns=schema.THEME_OUTPUT_COLUMNS + [schema.SCAFFOLDING_SHARE, schema.SCAFFOLDING])
    themes = themes.sort_values(RANKING, ascending=RANKING_ASCENDING, kind="mergesort")
    renumber = {old: new for new, old in enumerate(themes[schema.THEME_ID])}
    themes[schema.THEME_ID] = themes[schema.THEME_ID].map(renumber)
    themes = themes.reset_index(drop=True)
    quotes = quotes.copy()
    quotes[schema.THEME_ID] = quotes[schema.THEME_ID].map(lambda t: renumber.get(t, schema.NO_THEME)).astype(int)
    centroids = {renumber[t]: c for t, c in centroids.items() if t in renumber}

    themes[schema.REPRESENTATIVE_QUOTES] = [
        representative_quotes(quotes, embeddings, theme, centroids[theme], config.report.n_representative)
        for theme in themes[schema.THEME_ID]
    ]
    themes[schema.SHARED] = themes[schema.N_TEAMS] >= 2  # as summarise_theme says, after the representatives
    decisions = pair_decisions(quotes, embeddings, centroids, config.ground.decision_window,
                               config.signals.rationale_window)
    outlier_share = (quotes[schema.THEME_ID] == schema.NO_THEME).groupby(quotes[schema.TEAM]).mean()
    return themes, quotes, decisions, {team: round(float(v), 4) for team, v in outlier_share.sort_index().items()}


def summarise_theme(members: pd.DataFrame, team_sizes: pd.Series, config: Config,
                    positions: pd.Series | None = None) -> dict:
    """A theme's counts, teams, common-ground score, signal counts and shared flag, and its scaffolding share.

    The one summary of a theme, for the model's themes here and for the
    themes curation merges or splits (`pipeline.curation`).

    Parameters
    ----------
    members : the theme's quotes.
    team_sizes : conversations per team, over the whole run.
    config : for `[ground] smoothing` and the `[themes]` scaffolding settings.
    positions : each quote's place in its conversation (`themes.scaffolding.quote_positions`),
        indexed like `members`; None leaves the scaffolding columns out.
    """
    teams = sorted(members[schema.TEAM].astype(str).unique())
    coverage = members.groupby(schema.TEAM)[schema.TRANSCRIPT_ID].nunique().to_frame().T
    score = common_ground_scores(coverage, team_sizes, config.ground.smoothing).iloc[0] if len(members) else 0.0
    summary = {
        schema.N_QUOTES: len(members),
        schema.N_TRANSCRIPTS: int(members[schema.TRANSCRIPT_ID].nunique()),
        schema.N_SPEAKERS: int(members[schema.SPEAKER].nunique()),
        schema.N_TEAMS: len(teams),
        schema.TEAMS: schema.LIST_SEPARATOR.join(teams),
        schema.COMMON_GROUND: float(score),
        schema.N_DILEMMAS: int(members[schema.IS_DILEMMA].astype(int).sum()),
        schema.N_DECISIONS: int(members[schema.IS_DECISION].astype(int).sum()),
        schema.SHARED: len(teams) >= 2,
    }
    if positions is not None:
        share = share_at_edges(positions.loc[members.index], config.themes.scaffolding_edge)
        summary[schema.SCAFFOLDING_SHARE] = share
        summary[schema.SCAFFOLDING] = int(share > config.themes.scaffolding_share)
    return summary


def representative_quotes(quotes: pd.DataFrame, embeddings: np.ndarray, theme: int, centroid: np.ndarray,
                          n: int) -> list[str]:
    """Up to `n` quote ids: central to the theme, covering its teams, unlike each other.

    Greedy: each pick maximises similarity to the centroid, minus redundancy
    with the quotes already picked, with a bonus for a team not yet shown.
    """
    members = np.flatnonzero(quotes[schema.THEME_ID].to_numpy() == theme)
    if len(members) == 0:
        return []
    vectors = embeddings[members]
    centrality = vectors @ centroid
    teams = quotes[schema.TEAM].to_numpy()[members]
    chosen: list[int] = []
    while len(chosen) < min(n, len(members)):
        shown = {teams[c] for c in chosen}
        best, best_score = None, -np.inf
        for i in range(len(members)):
            if i in chosen:
                continue
            redundancy = max((float(vectors[i] @ vectors[c]) for c in chosen), default=0.0)
            score = centrality[i] - 0.5 * redundancy + (0.3 if teams[i] not in shown else 0.0)
            if score > best_score:
                best, best_score = i, score
        chosen.append(best)
    ids = quotes[schema.QUOTE_ID].to_numpy()
    return [str(ids[members[c]]) for c in chosen]


def pair_decisions(quotes: pd.DataFrame, embeddings: np.ndarray, centroids: dict,
                   decision_window: int, reason_window: int = 2) -> pd.DataFrame:
    """Per theme and team: the dilemma as the team voiced it, its decision and the stated reason.

    One conversation tells all three: of the team's conversations that speak
    of the theme, the one that speaks of it most (a team of several
    conversations would otherwise show one meeting's dilemma beside
    another's decision); failing a dilemma or a decision there, the next.
    In it, the dilemma is the team's dilemma quote in the theme closest to
    the theme's centre, and the decision likewise, another quote than the
    dilemma. Failing one in the theme, it is the one closest to the centre
    among those within `decision_window` units of the team's quotes in the
    theme: a dilemma or a decision is told amid the talk about its matter,
    but its own sentence ("so we took it off the wallboard") often clusters
    elsewhere. A conversation with neither of its own in the theme lends
    them only when it spoke of the theme more than once, so a passing
    mention gets no row. The reason is the decision's paired rationale, or,
    where that is the decision's or the dilemma's own sentence, the nearest
    other rationale within `reason_window` units (`[signals]
    rationale_window`): the table shows each quote once. Empty cells mean
    the conversation did not say.
    """
    ids = quotes[schema.QUOTE_ID].to_numpy()
    transcripts = quotes[schema.TRANSCRIPT_ID].to_numpy()
    is_dilemma = quotes[schema.IS_DILEMMA].to_numpy() == 1
    is_decision = quotes[schema.IS_DECISION].to_numpy() == 1
    paired = quotes[schema.RATIONALE_QUOTE_ID].astype(str).to_numpy()
    other_reason = (pair_rationales(quotes, reason_window, itself=False) if schema.IS_RATIONALE in quotes
                    else [""] * len(quotes))
    dilemmas_near = _flagged_near(quotes, is_dilemma, decision_window)
    decisions_near = _flagged_near(quotes, is_decision, decision_window)

    def told_in(said: np.ndarray, centroid: np.ndarray):
        """The dilemma and the decision one conversation's quotes in the theme (`said`) tell, or None."""
        dilemma = _most_central(said[is_dilemma[said]], embeddings, centroid)
        spoke_of_it = len(said) > 1
        if dilemma is None and (is_decision[said].any() or spoke_of_it):
            dilemma = _most_central(dilemmas_near(said), embeddings, centroid)
        decision = _most_central(said[is_decision[said] & (said != dilemma)], embeddings, centroid)
        if decision is None and (dilemma is not None or spoke_of_it):
            nearby = decisions_near(said)
            decision = _most_central(nearby[nearby != dilemma], embeddings, centroid)
        return dilemma, decision

    rows_out = []
    members = quotes[quotes[schema.THEME_ID].isin(list(centroids))]
    for (theme, team), group in members.groupby([schema.THEME_ID, schema.TEAM], sort=True):
        positions = group.index.to_numpy()  # quotes carry a RangeIndex aligned with `embeddings`
        told = pd.Series(transcripts[positions]).value_counts()
        for conversation in sorted(told.index, key=lambda t: (-told[t], str(t))):
            dilemma, decision = told_in(positions[transcripts[positions] == conversation], centroids[theme])
            if dilemma is not None or decision is not None:
                break
        if dilemma is None and decision is None:
            continue
        reason = ""
        if decision is not None:
            shown = {ids[decision]} | ({ids[dilemma]} if dilemma is not None else set())
            reason = next((r for r in (paired[decision], other_reason[decision]) if r and r not in shown), "")
        rows_out.append({
            schema.THEME_ID: int(theme), schema.TEAM: team, schema.TRANSCRIPT_ID: conversation,
            schema.DILEMMA_QUOTE_ID: "" if dilemma is None else str(ids[dilemma]),
            schema.DECISION_QUOTE_ID: "" if decision is None else str(ids[decision]),
            schema.RATIONALE_QUOTE_ID: reason,
        })
    return pd.DataFrame(rows_out, columns=schema.DECISION_COLUMNS)


def _most_central(positions: np.ndarray, embeddings: np.ndarray, centroid: np.ndarray):
    """The position (of `positions`) whose vector is most similar to `centroid`, or None."""
    if len(positions) == 0:
        return None
    return int(positions[int(np.argmax(embeddings[positions] @ centroid))])


def _flagged_near(quotes: pd.DataFrame, flagged: np.ndarray, window: int):
    """A function from quote positions to the flagged quotes within `window` units of any, in the same conversation.

    Each quote's place in its conversation is counted once, and per
    conversation the places of its flagged quotes are kept sorted, so each
    search is a binary search rather than a scan of the conversation.
    """
    transcripts = quotes[schema.TRANSCRIPT_ID].to_numpy()
    place = quotes.groupby(schema.TRANSCRIPT_ID, sort=False).cumcount().to_numpy()
    by_transcript = {transcript: (place[np.asarray(rows)], np.asarray(rows))
                     for transcript, rows in quotes.index[flagged].groupby(transcripts[flagged]).items()}

    def near(positions: np.ndarray) -> np.ndarray:
        found = set()
        for position in positions.tolist():
            places, rows = by_transcript.get(transcripts[position], (None, None))
            if places is None:
                continue
            low = int(np.searchsorted(places, place[position] - window, side="left"))
            high = int(np.searchsorted(places, place[position] + window, side="right"))
            found.update(rows[low:high].tolist())
        return np.array(sorted(found), dtype=int)

    return near

"""Shared dilemmas: the units that voice a tension, grouped across teams and ranked among themselves.

A dilemma raised once per team cannot win a ranking against the broad matters
every conversation touches, so dilemmas get their own list. The dilemma units
(quotes flagged `is_dilemma`) are grouped by meaning, each team in its own
words: agglomerative clustering of their vectors, average linkage, cosine
distance at most `[dilemmas] max_distance`. A group voiced by two teams or
more is a shared dilemma; one team's group is listed too, lower down, when it
holds `min_units` units or more. Groups are ranked by the group-aware
common-ground score (`ground.common_ground_scores`) over the teams'
conversations, shared ones first.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.cluster import AgglomerativeClustering

from .. import schema
from ..config import DilemmasConfig
from ..ground import common_ground_scores
from .sides import Contrast, contrast_of

NO_DILEMMA = ""


def read_in_theme(vectors: np.ndarray, quotes: pd.DataFrame, weight: float) -> np.ndarray:
    """Each quote's vector pulled towards its theme's centre by `weight` (a quote in no theme stays), unit length.

    A dilemma is voiced in a sentence ("so that's the trade-off, isn't it")
    whose own words are generic: what it is a dilemma about is the matter of
    the talk around it, which its theme holds.

    Examples
    --------
    >>> q = pd.DataFrame({"theme_id": [0, 0, -1]})
    >>> read_in_theme(np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 0.0]]), q, 1.0).round(3).tolist()
    [[0.924, 0.383], [0.383, 0.924], [1.0, 0.0]]
    """
    themes = quotes[schema.THEME_ID].to_numpy() if schema.THEME_ID in quotes else np.full(len(quotes), -1)
    out = np.array(vectors, dtype=float, copy=True)
    for theme in sorted(set(themes.tolist()) - {schema.NO_THEME}):
        members = themes == theme
        centre = out[members].mean(axis=0)
        out[members] += weight * centre / (np.linalg.norm(centre) or 1.0)
    return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)


def group_by_meaning(vectors: np.ndarray, max_distance: float) -> np.ndarray:
    """Group labels (0..k-1, in order of first appearance) for rows of unit vectors.

    Examples
    --------
    >>> v = np.array([[1, 0], [0.99, 0.14], [0, 1], [0.1, 0.99]], dtype=float)
    >>> group_by_meaning(v / np.linalg.norm(v, axis=1, keepdims=True), 0.2).tolist()
    [0, 0, 1, 1]
    """
    if len(vectors) == 0:
        return np.zeros(0, dtype=int)
    if len(vectors) == 1:
        return np.zeros(1, dtype=int)
    labels = AgglomerativeClustering(n_clusters=None, metric="cosine", linkage="average",
                                     distance_threshold=max_distance).fit(vectors).labels_
    first_seen = {label: n for n, label in enumerate(dict.fromkeys(labels.tolist()))}
    return np.array([first_seen[label] for label in labels.tolist()], dtype=int)


def shared_dilemmas(quotes: pd.DataFrame, vectors: np.ndarray, config: DilemmasConfig,
                    smoothing: float) -> tuple[pd.DataFrame, pd.Series]:
    """The dilemmas table (ranked) and each quote's dilemma id ("" for none).

    Parameters
    ----------
    quotes : the quote table with `is_dilemma`, positionally aligned with `vectors`.
    vectors : unit vectors of the quotes.
    config : the [dilemmas] settings.
    smoothing : `[ground] smoothing`, for the common-ground score.
    """
    flagged = np.flatnonzero(quotes[schema.IS_DILEMMA].to_numpy() == 1)
    groups = group_by_meaning(vectors[flagged], config.max_distance)
    team_sizes = quotes.groupby(schema.TEAM)[schema.TRANSCRIPT_ID].nunique().sort_index()
    candidates = []
    for group in range(int(groups.max()) + 1 if len(groups) else 0):
        members = flagged[groups == group]
        teams = quotes[schema.TEAM].to_numpy()[members]
        if len(set(teams)) < 2 and len(members) < config.min_units:
            continue
        candidates.append(members)
    rows, dilemma_of = [], pd.Series(NO_DILEMMA, index=quotes.index, dtype=object)
    for members in candidates:
        rows.append(_describe(quotes, vectors, members, team_sizes, smoothing, config.side_words))
    order = sorted(range(len(rows)), key=lambda i: (rows[i][schema.N_TEAMS] < 2, -rows[i][schema.COMMON_GROUND],
                                                     -rows[i][schema.N_QUOTES], rows[i][schema.QUOTE_IDS]))
    table = []
    for rank, i in enumerate(order, start=1):
        dilemma_id = f"D{rank}"
        table.append({schema.DILEMMA_ID: dilemma_id, **rows[i]})
        dilemma_of.iloc[candidates[i]] = dilemma_id
    return pd.DataFrame(table, columns=schema.DILEMMA_COLUMNS), dilemma_of


def _describe(quotes: pd.DataFrame, vectors: np.ndarray, members: np.ndarray, team_sizes: pd.Series,
              smoothing: float, side_words: int) -> dict:
    """One dilemma's title and sides (`_title_sides`), teams, score and quotes."""
    group = quotes.iloc[members]
    coverage = group.groupby(schema.TEAM)[schema.TRANSCRIPT_ID].nunique().to_frame().T
    score = float(common_ground_scores(coverage, team_sizes, smoothing).iloc[0])
    by_centrality = members[np.argsort(-(vectors[members] @ _centre(vectors[members])), kind="stable")]
    texts = quotes[schema.TEXT].to_numpy()
    sides = _title_sides(texts[by_centrality], side_words)
    title = f"{sides[0]} · {sides[1]}" if sides else _shortened(str(texts[by_centrality[0]]), 2 * side_words)
    teams = sorted(group[schema.TEAM].astype(str).unique())
    return {
        schema.TITLE: title,
        schema.SIDE_A: sides[0] if sides else "",
        schema.SIDE_B: sides[1] if sides else "",
        schema.N_TEAMS: len(teams),
        schema.TEAMS: schema.LIST_SEPARATOR.join(teams),
        schema.COMMON_GROUND: round(score, 4),
        schema.N_QUOTES: len(members),
        schema.QUOTE_IDS: schema.LIST_SEPARATOR.join(quotes[schema.QUOTE_ID].to_numpy()[by_centrality].astype(str)),
    }


def _title_sides(texts_by_centrality, side_words: int) -> tuple[str, str] | None:
    """The sides that title a dilemma: the strongest contrast (`Contrast.strength`) among its more
    central half of units, the most central at equal strength; else the most central unit's contrast.

    The half keeps the title about the dilemma's matter: a plain "either ... or" at its edge
    often belongs to a neighbouring dilemma merged into it. Where every contrast of that half
    stumbles (`sides.fluent`: "They n n yeah · you p minus three plus two"), the most central
    fluent contrast of the other half titles it: a title that cannot be read says nothing.
    """
    texts = list(texts_by_centrality)
    # Contrasts are looked for lazily, the central half first: the regular expressions are this
    # stage's cost, and the other half is read only when the central half gives no fluent title.
    found = []
    for text in texts[:max(1, (len(texts) + 1) // 2)]:
        found.append(contrast_of(str(text), side_words))
        if found[-1] is not None and found[-1].strength() == 0:
            break  # none can be stronger, and the first of the strongest wins
    best = min((c for c in found if c is not None), key=Contrast.strength, default=None)
    if best is None or not best.fluent:
        found += [contrast_of(str(text), side_words) for text in texts[len(found):]]
        best = next((c for c in found if c is not None and c.fluent), None) or best \
            or next((c for c in found if c is not None), None)
    return None if best is None else (best.a, best.b)


def _centre(vectors: np.ndarray) -> np.ndarray:
    mean = vectors.mean(axis=0)
    return mean / (np.linalg.norm(mean) or 1.0)


def _shortened(text: str, words: int) -> str:
    cut = text.split()
    return " ".join(cut[:words]) + (" …" if len(cut) > words else "")

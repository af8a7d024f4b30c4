"""Add the workshop structure to finished themes: groups, stability, cohesion, looseness, headline, echo.

A theme is flagged `loose` when it is not one thing a workshop can rely on:
it does not come back under resampling (`stability` below `[themes]
loose_stability`), or its quotes are hardly closer to its centre than the
run's quotes are to the run's centre (`cohesion`, their mean cosine to its
centre, less than `loose_cohesion` above that baseline). The baseline, not a
fixed cosine, because a sentence model's vectors crowd into a cone: on the
sample (all-MiniLM-L6-v2, in answer context) a random split of the quotes
into 30 groups already has cohesion 0.48 to 0.56, and the run's baseline is
0.49. Measured there, the themes' margins over it run from 0.02 to 0.24,
median 0.17; the two below 0.1 are the closing small talk ("Good luck",
"coffee machine"), whose quotes share a register rather than a matter.
Stability 0.5 is where a theme starts to come back less than half whole in a
refit; on the sample it flags three of 30 themes. `make bench-labels`
reports the share flagged per eval set.
"""
from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from .. import schema
from ..config import Config
from ..schema import NO_THEME
from .cluster import theme_centroids
from .echo import echo_shares
from .headline import theme_headlines
from .hierarchy import group_themes
from .stability import theme_stability


def add_theme_context(themes: pd.DataFrame, quotes: pd.DataFrame, embeddings: np.ndarray,
                      prompt_vectors: list[np.ndarray | None], refit: Callable[[np.ndarray], np.ndarray],
                      config: Config) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Copies of `themes` and `quotes` with the workshop columns.

    Themes gain `group`, `stability`, `echo_share`, `echoes_interviewer`,
    `cohesion`, `loose`, `headline` and `headline_quote_id`; quotes gain `group`.

    Parameters
    ----------
    themes, quotes : the ranked tables from `ground.summarise_themes` (quotes
        positionally aligned with `embeddings` and `prompt_vectors`).
    prompt_vectors : per quote, the vector of the interviewer turn just before it, or None.
    refit : clusters a subset of quotes given their positions (`ThemeModel.refit_labels`).
    config : the run's settings ([themes] and [label] sections and the seed).
    """
    labels = quotes[schema.THEME_ID].to_numpy()
    centroids = theme_centroids(labels, embeddings)
    sizes = {t: int((labels == t).sum()) for t in centroids}
    groups = group_themes(centroids, sizes, config.themes.max_groups)
    stability = theme_stability(labels, refit, config.themes.stability_refits, config.seed)
    shares = echo_shares(labels, prompt_vectors, centroids, config.themes.echo_similarity)
    closeness = theme_cohesion(labels, embeddings, centroids)
    baseline = run_cohesion(labels, embeddings)
    ids = themes[schema.THEME_ID]
    headlines = theme_headlines(
        quotes, embeddings, centroids,
        key_phrases=dict(zip(ids, themes[schema.KEYWORDS].map(lambda k: str(k).split(schema.LIST_SEPARATOR)))),
        labels=dict(zip(ids, themes[schema.LABEL].astype(str))), n_central=config.label.headline_quotes,
        min_words=config.label.headline_min_words, max_words=config.label.headline_max_words)

    themes, quotes = themes.copy(), quotes.copy()
    themes[schema.GROUP] = ids.map(groups).astype(int)
    themes[schema.STABILITY] = ids.map(stability).astype(float)
    themes[schema.ECHO_SHARE] = ids.map(shares).astype(float)
    themes[schema.ECHOES_INTERVIEWER] = (themes[schema.ECHO_SHARE] > config.themes.echo_share).astype(int)
    themes[schema.COHESION] = ids.map(closeness).astype(float)
    themes[schema.LOOSE] = [int(is_loose(s, c, baseline, config)) for s, c in zip(themes[schema.STABILITY],
                                                                                 themes[schema.COHESION])]
    themes[schema.HEADLINE] = ids.map(lambda t: headlines[t][0])
    themes[schema.HEADLINE_QUOTE_ID] = ids.map(lambda t: headlines[t][1])
    quotes[schema.GROUP] = quotes[schema.THEME_ID].map(lambda t: groups.get(t, schema.NO_THEME)).astype(int)
    return themes, quotes


def theme_cohesion(labels: np.ndarray, embeddings: np.ndarray, centroids: dict[int, np.ndarray]) -> dict[int, float]:
    """Theme id -> mean cosine of its quotes' vectors to its unit centre, in [-1, 1].

    >>> theme_cohesion(np.array([0, 0]), np.array([[1.0, 0.0], [0.0, 2.0]]), {0: np.array([0.6, 0.8])})
    {0: 0.7}
    """
    norms = np.maximum(np.linalg.norm(embeddings, axis=1), 1e-12)
    return {t: round(float(np.mean((embeddings[labels == t] @ centre) / norms[labels == t])), 4)
            for t, centre in centroids.items()}


def run_cohesion(labels: np.ndarray, embeddings: np.ndarray) -> float:
    """The mean cosine of every quote in a theme to the centre of them all: the cohesion of no theme at all.

    >>> run_cohesion(np.array([0, 1, -1]), np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]))
    0.7071
    """
    placed = np.asarray(labels) != NO_THEME
    if not placed.any():
        return float("nan")
    return next(iter(theme_cohesion(np.zeros(int(placed.sum()), dtype=int), embeddings[placed],
                                    theme_centroids(np.zeros(int(placed.sum()), dtype=int),
                                                    embeddings[placed])).values()))


def is_loose(stability: float, cohesion: float, baseline: float, config: Config) -> bool:
    """Loose: comes back less than `loose_stability` whole, or coheres less than `loose_cohesion` above `baseline`.

    A measure not taken (no refits, no baseline: NaN) flags nothing by itself.

    >>> from pipeline.config import load_config
    >>> is_loose(0.9, 0.55, 0.49, load_config()), is_loose(0.9, 0.65, 0.49, load_config())
    (True, False)
    """
    themes = config.themes
    unstable = stability == stability and stability < themes.loose_stability
    return bool(unstable or cohesion - baseline < themes.loose_cohesion)

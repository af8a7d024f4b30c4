"""Add the workshop structure to finished themes: groups, stability, cohesion, looseness, headline, echo.

A theme is flagged `loose` when it is not one thing a workshop can rely on:
either it does not come back under resampling (`stability` below
`[themes] loose_stability`) or its quotes lie far from its centre
(`cohesion`, their mean cosine to it, below `loose_cohesion`). Both cut-offs
were read off the sample's 30 themes and the eval sets' (all-MiniLM-L6-v2
vectors in answer context): stability 0.5 is where a theme starts to come
back less than half whole in a refit, the bottom quarter or so of the
sample's themes, those with the vaguest labels; cohesion 0.35 marks the
few themes whose quotes share little more than a register (greetings,
small talk), well below the sample's median of about 0.5.
"""
from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from .. import schema
from ..config import Config
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
    themes[schema.LOOSE] = [int(is_loose(s, c, config)) for s, c in zip(themes[schema.STABILITY],
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


def is_loose(stability: float, cohesion: float, config: Config) -> bool:
    """Loose: comes back less than `loose_stability` whole, or lies looser than `loose_cohesion`.

    A stability not measured (no refits: NaN) flags nothing by itself.
    """
    themes = config.themes
    return bool((stability == stability and stability < themes.loose_stability) or cohesion < themes.loose_cohesion)

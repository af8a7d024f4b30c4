"""Add the workshop structure to finished themes: groups, stability, interviewer echo."""
from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from .. import schema
from ..config import Config
from .cluster import theme_centroids
from .echo import echo_shares
from .hierarchy import group_themes
from .stability import theme_stability


def add_theme_context(themes: pd.DataFrame, quotes: pd.DataFrame, embeddings: np.ndarray,
                      prompt_vectors: list[np.ndarray | None], refit: Callable[[np.ndarray], np.ndarray],
                      config: Config) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Copies of `themes` and `quotes` with `group`, `stability`, `echo_share` and `echoes_interviewer`.

    Parameters
    ----------
    themes, quotes : the ranked tables from `ground.summarise_themes` (quotes
        positionally aligned with `embeddings` and `prompt_vectors`).
    prompt_vectors : per quote, the vector of the interviewer turn just before it, or None.
    refit : clusters a subset of quotes given their positions (`ThemeModel.refit_labels`).
    config : the run's settings ([themes] section and the seed).
    """
    labels = quotes[schema.THEME_ID].to_numpy()
    centroids = theme_centroids(labels, embeddings)
    sizes = {t: int((labels == t).sum()) for t in centroids}
    groups = group_themes(centroids, sizes, config.themes.max_groups)
    stability = theme_stability(labels, refit, config.themes.stability_refits, config.seed)
    shares = echo_shares(labels, prompt_vectors, centroids, config.themes.echo_similarity)

    themes, quotes = themes.copy(), quotes.copy()
    ids = themes[schema.THEME_ID]
    themes[schema.GROUP] = ids.map(groups).astype(int)
    themes[schema.STABILITY] = ids.map(stability).astype(float)
    themes[schema.ECHO_SHARE] = ids.map(shares).astype(float)
    themes[schema.ECHOES_INTERVIEWER] = (themes[schema.ECHO_SHARE] > config.themes.echo_share).astype(int)
    quotes[schema.GROUP] = quotes[schema.THEME_ID].map(lambda t: groups.get(t, schema.NO_THEME)).astype(int)
    return themes, quotes

"""A workshop view: themes merged into a few top-level groups.

A workshop wall holds a handful of headings, not thirty. Themes are merged
by average-linkage agglomerative clustering of their centroids (cosine), the
number of groups capped by `[themes] max_groups`. Deterministic: no
randomness, ties broken by theme order.
"""
from __future__ import annotations

import numpy as np
from sklearn.cluster import AgglomerativeClustering


def group_themes(centroids: dict[int, np.ndarray], sizes: dict[int, int], max_groups: int) -> dict[int, int]:
    """Theme id -> group id; groups numbered by total size, largest first.

    Examples
    --------
    >>> c = {0: np.array([1.0, 0.0]), 1: np.array([0.9, 0.1]), 2: np.array([0.0, 1.0])}
    >>> group_themes(c, {0: 5, 1: 4, 2: 3}, max_groups=2)
    {0: 0, 1: 0, 2: 1}
    """
    themes = sorted(centroids)
    if not themes:
        return {}
    if len(themes) <= max_groups:
        raw = np.arange(len(themes))
    else:
        matrix = np.stack([centroids[t] for t in themes])
        raw = AgglomerativeClustering(n_clusters=max_groups, metric="cosine", linkage="average").fit_predict(matrix)
    totals: dict[int, int] = {}
    first: dict[int, int] = {}
    for position, (theme, group) in enumerate(zip(themes, raw)):
        totals[group] = totals.get(group, 0) + sizes.get(theme, 0)
        first.setdefault(group, position)
    order = sorted(totals, key=lambda g: (-totals[g], first[g]))
    renumber = {old: new for new, old in enumerate(order)}
    return {theme: renumber[group] for theme, group in zip(themes, raw)}

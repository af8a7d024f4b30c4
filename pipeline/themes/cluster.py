"""Clustering of reduced quote vectors, and the outlier policy."""
from __future__ import annotations

import logging

import numpy as np
from sklearn.cluster import KMeans

from ..config import ClusterConfig, OutliersConfig
from ..schema import NO_THEME

logger = logging.getLogger(__name__)


def auto_min_cluster_size(n_quotes: int, config: ClusterConfig) -> int:
    """The smallest theme size for this corpus.

    The configured size, or with 0 a share of the quotes; either way capped
    at a fifth of the quotes (and at least 3), so a small corpus still splits
    into several themes instead of none.
    """
    if config.min_cluster_size > 0:
        size = config.min_cluster_size
    else:
        size = int(min(max(round(config.auto_fraction * n_quotes), config.auto_min), config.auto_max))
    return int(max(3, min(size, n_quotes // 5)))


def make_clusterer(config: ClusterConfig, n_quotes: int, random_state: int):
    """The clusterer named by `config.method`."""
    if config.method == "kmeans":
        return KMeans(n_clusters=min(config.n_clusters, n_quotes), n_init=10, random_state=random_state)
    import hdbscan

    size = auto_min_cluster_size(n_quotes, config)
    return hdbscan.HDBSCAN(min_cluster_size=size, min_samples=min(config.min_samples, size),
                           metric="euclidean", cluster_selection_method=config.selection,
                           prediction_data=False)


def theme_centroids(labels: np.ndarray, embeddings: np.ndarray) -> dict[int, np.ndarray]:
    """Unit-length mean vector of each theme's quotes (theme -1 excluded).

    Examples
    --------
    >>> theme_centroids(np.array([0, 0, -1]), np.array([[1.0, 0.0], [1.0, 0.0], [0.0, 1.0]]))
    {0: array([1., 0.])}
    """
    centroids = {}
    for theme in sorted(set(np.asarray(labels).tolist()) - {NO_THEME}):
        centroid = embeddings[labels == theme].mean(axis=0)
        centroids[theme] = centroid / max(np.linalg.norm(centroid), 1e-12)
    return centroids


def place_outliers(labels: np.ndarray, embeddings: np.ndarray, config: OutliersConfig) -> tuple[np.ndarray, np.ndarray]:
    """Give each outlier the theme whose centroid it is most similar to, above a threshold.

    Similarity is cosine in the original embedding space, not the reduced
    one: UMAP distances between clusters carry little meaning. Returns the
    new labels and, per quote, "cluster", "nearest" or "" (still an outlier).
    """
    labels = labels.copy()
    placed_by = np.where(labels == NO_THEME, "", "cluster").astype(object)
    themes = sorted(set(labels) - {NO_THEME})
    if config.policy == "none" or not themes or not (labels == NO_THEME).any():
        return labels, placed_by
    by_theme = theme_centroids(labels, embeddings)
    centroids = np.stack([by_theme[t] for t in themes])
    outliers = np.flatnonzero(labels == NO_THEME)
    similarity = embeddings[outliers] @ centroids.T
    best = similarity.argmax(axis=1)
    ok = similarity[np.arange(len(outliers)), best] >= config.min_similarity
    labels[outliers[ok]] = np.asarray(themes)[best[ok]]
    placed_by[outliers[ok]] = "nearest"
    logger.info("outlier policy placed %d of %d outliers", int(ok.sum()), len(outliers))
    return labels, placed_by


def merge_to_at_most(labels: np.ndarray, embeddings: np.ndarray, max_themes: int | None) -> np.ndarray:
    """Merge the smallest theme into its most similar one until at most `max_themes` remain.

    None or 0: no limit. Similarity is the cosine between theme centroids;
    quotes in no theme stay there. The big themes, which carry the run, are
    left as they are; a merged theme keeps the id of the one it joined.

    Examples
    --------
    >>> X = np.array([[1.0, 0.0], [1.0, 0.0], [0.9, 0.1], [0.0, 1.0], [0.0, 1.0]])
    >>> merge_to_at_most(np.array([0, 0, 2, 1, -1]), X, 2).tolist()
    [0, 0, 0, 1, -1]
    """
    labels = np.asarray(labels).copy()
    if not max_themes:
        return labels
    sizes = {t: int((labels == t).sum()) for t in set(labels.tolist()) - {NO_THEME}}
    if len(sizes) <= max_themes:
        return labels
    sums = {t: embeddings[labels == t].sum(axis=0) for t in sizes}
    while len(sizes) > max_themes:
        smallest = min(sizes, key=lambda t: (sizes[t], -t))  # ties: the later theme goes first
        others = sorted(t for t in sizes if t != smallest)
        centre = sums[smallest] / np.linalg.norm(sums[smallest])
        similarity = [float(centre @ sums[t]) / float(np.linalg.norm(sums[t])) for t in others]
        target = others[int(np.argmax(similarity))]
        labels[labels == smallest] = target
        sizes[target] += sizes.pop(smallest)
        sums[target] = sums[target] + sums.pop(smallest)
    logger.info("merged the smallest themes into their nearest: %d themes ([themes] max_themes)", max_themes)
    return labels

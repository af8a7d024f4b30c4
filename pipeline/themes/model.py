"""`ThemeModel`: reduce, cluster, place outliers, label, map; one estimator."""
from __future__ import annotations

import hashlib
import logging
import math
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from sklearn.base import clone

from ..config import Config
from ..embed import EmbeddingCache
from ..schema import NO_THEME
from .cache import FitCache, fit_settings
from .cluster import make_clusterer, merge_to_at_most, place_outliers, refine_boundaries, theme_centroids
from .label import CTfidfLabeller
from .reduce import SafeUMAP, SpectralReducer, cosine_neighbours, fit_reduce, make_reducer, subset_knn

logger = logging.getLogger(__name__)

# Below this many quotes there is nothing to cluster: everything is one theme.
MIN_QUOTES_TO_CLUSTER = 6


class ThemeModel:
    """Group quote vectors into themes.

    Parameters
    ----------
    reducer : estimator with fit_transform (UMAP, PCA, ...).
    clusterer : estimator with fit_predict returning -1 for noise (HDBSCAN, KMeans, ...).
    labeller : estimator with fit(terms, labels) exposing keywords_ and labels_.
    outliers : the [outliers] settings (policy and threshold).
    mapper : reducer to 2-D for the report's map, or None to skip the map.
    max_themes : at most this many themes; beyond it the smallest theme joins
        its most similar, repeatedly (`cluster.merge_to_at_most`). None: as
        many as the clusterer finds.
    cache : a `FitCache`, or None. With one, `fit` and `refit_labels` on
        vectors (and quote positions) seen before under the same settings
        return the stored themes, placements and map instead of recomputing
        them; key phrases and labels are always recomputed.
    refine_iterations : after the outlier policy and the theme limit, at most
        this many rounds of moving each quote to the theme whose centre is
        nearest in the reduced space (`cluster.refine_boundaries`); 0: none.
    approximate_from : from this many quotes on, the shared neighbour search is
        approximate (`reduce.cosine_neighbours`); 0: always exact.
    random_state : seeds the approximate search.

    Attributes
    ----------
    labels_ : ndarray of int, theme per quote (-1: no theme), themes numbered by
        size (0 the largest), ties by first quote.
    placed_by_ : ndarray of str, "cluster", "nearest" or "".
    keywords_ : dict theme -> list of key phrases.
    theme_labels_ : dict theme -> short label.
    centroids_ : dict theme -> unit vector in embedding space.
    map_ : (n, 2) array of map coordinates (zeros without a mapper).

    Examples
    --------
    >>> from sklearn.decomposition import PCA
    >>> from sklearn.cluster import KMeans
    >>> from pipeline.config import load_config
    >>> X = np.r_[np.eye(4)[[0] * 5], np.eye(4)[[1] * 5]] + 0.01
    >>> m = ThemeModel(PCA(2), KMeans(2, n_init=2, random_state=0), CTfidfLabeller(),
    ...                load_config().outliers).fit(X, [["a b"]] * 5 + [["c d"]] * 5)
    >>> sorted(set(m.labels_.tolist()))
    [0, 1]
    """

    def __init__(self, reducer, clusterer, labeller, outliers, mapper=None, cache=None, max_themes=None,
                 refine_iterations=0, approximate_from=0, random_state=0):
        self.reducer = reducer
        self.clusterer = clusterer
        self.labeller = labeller
        self.outliers = outliers
        self.mapper = mapper
        self.cache = cache
        self.max_themes = max_themes
        self.refine_iterations = refine_iterations
        self.approximate_from = approximate_from
        self.random_state = random_state

    def fit(self, embeddings: np.ndarray, terms: Sequence[Sequence[str]]):
        embeddings = np.asarray(embeddings, dtype=np.float32)
        n = embeddings.shape[0]
        if n != len(terms):
            raise ValueError(f"ThemeModel.fit got {n} vectors but {len(terms)} term lists")
        key = self.cache.key(embeddings, "fit", self._limit()) if self.cache is not None else None
        stored = self.cache.get(key) if key is not None else None
        if stored is not None:  # the same vectors under the same settings and code: the same themes
            self.labels_, self.placed_by_, self.map_ = stored["labels"], stored["placed_by"], stored["map"]
        else:
            self.labels_, self.placed_by_, self.map_ = self._cluster_and_map(embeddings)
            if key is not None:
                self.cache.put(key, {"labels": self.labels_, "placed_by": self.placed_by_, "map": self.map_})
        self.centroids_ = theme_centroids(self.labels_, embeddings)
        self.labeller.fit(terms, self.labels_)
        self.keywords_ = self.labeller.keywords_
        self.theme_labels_ = self.labeller.labels_
        logger.info("themes: %d themes, %d of %d quotes in no theme%s",
                    len(self.centroids_), int((self.labels_ == NO_THEME).sum()), n,
                    " (clustering from the cache)" if stored is not None else "")
        return self

    def _cluster_and_map(self, embeddings: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Theme per quote, how each was placed, and the 2-D map: everything that depends on the vectors alone."""
        n = embeddings.shape[0]
        if n < MIN_QUOTES_TO_CLUSTER:
            raw, knn, reduced = np.zeros(n, dtype=int), None, None
        else:
            knn = self._shared_neighbours(embeddings)
            reduced = fit_reduce(self.reducer, embeddings, knn)
            raw = np.asarray(self.clusterer.fit_predict(reduced), dtype=int)
        labels, placed_by = place_outliers(_renumber_by_size(raw), embeddings, self.outliers, self._placement_knn(knn))
        labels = merge_to_at_most(labels, embeddings, self.max_themes)
        if reduced is not None:
            labels = refine_boundaries(labels, reduced, embeddings, self.refine_iterations)
        if self.mapper is not None and n >= MIN_QUOTES_TO_CLUSTER:
            coordinates = np.asarray(fit_reduce(self.mapper, embeddings, knn), dtype=float)
        else:
            coordinates = np.zeros((n, 2))
        return _renumber_by_size(labels), np.asarray(placed_by, dtype=str), coordinates

    def _shared_neighbours(self, embeddings: np.ndarray):
        """One cosine neighbour search for every stage that builds a neighbour graph."""
        wanted = [getattr(stage, "n_neighbors", 0) for stage in (self.reducer, self.mapper)
                  if isinstance(stage, (SpectralReducer, SafeUMAP))]
        if not wanted:
            return None
        if isinstance(self.reducer, SpectralReducer) and max(wanted) <= 2 * self.reducer.n_neighbors:
            return self._refit_neighbours(embeddings)  # the wider search the stability refits read too
        return self._neighbours(embeddings, min(max(wanted), embeddings.shape[0] - 1))

    def refit_labels(self, embeddings: np.ndarray, indices: np.ndarray) -> np.ndarray:
        """Cluster only the quotes at `indices` with fresh copies of the fitted stages.

        Used for bootstrap stability; the fitted model itself is left unchanged.
        """
        embeddings = np.asarray(embeddings, dtype=np.float32)
        X = embeddings[indices]
        if len(X) < MIN_QUOTES_TO_CLUSTER:
            return np.zeros(len(X), dtype=int)
        key = (self.cache.key(embeddings, "refit", np.asarray(indices, dtype=np.int64), self._limit())
               if self.cache is not None else None)
        stored = self.cache.get(key) if key is not None else None
        if stored is not None:
            return stored["labels"]
        knn = None
        if isinstance(self.reducer, SpectralReducer):
            knn = subset_knn(embeddings, self._refit_neighbours(embeddings), np.asarray(indices),
                             self.reducer.n_neighbors)
        reduced = fit_reduce(clone(self.reducer), X, knn)
        raw = np.asarray(clone(self.clusterer).fit_predict(reduced), dtype=int)
        labels, _ = place_outliers(_renumber_by_size(raw), X, self.outliers, self._placement_knn(knn))
        labels = merge_to_at_most(labels, X, self.max_themes)  # stability matches themes by overlap, not id
        labels = refine_boundaries(labels, reduced, X, self.refine_iterations)
        if key is not None:
            self.cache.put(key, {"labels": labels})
        return labels

    def _placement_knn(self, knn):
        """The neighbours the outlier placement reads: as many as the reducer's graph links, or None."""
        if knn is None:
            return None
        k = getattr(self.reducer, "n_neighbors", knn[0].shape[1] - 1) + 1
        return knn[0][:, :k], knn[1][:, :k]

    def _limit(self) -> str:
        """The theme limit and the border refinement as a cache key part: a fit under others is another fit."""
        return f"max_themes={self.max_themes or 0};refine_iterations={self.refine_iterations}"

    def _refit_neighbours(self, embeddings: np.ndarray):
        """Twice the reducer's neighbours over all quotes, searched once for the fit and every refit.

        The fit reads the first columns; each refit reads its subsample's
        neighbours from it (`subset_knn`) instead of a quadratic search of its
        own. Kept on the model, keyed by a digest of the vectors.
        """
        tag = (embeddings.shape, hashlib.blake2b(np.ascontiguousarray(embeddings).data, digest_size=16).digest())
        if getattr(self, "_refit_knn", (None, None))[0] != tag:
            k = min(2 * self.reducer.n_neighbors, embeddings.shape[0] - 1)
            self._refit_knn = (tag, self._neighbours(embeddings, k))
        return self._refit_knn[1]

    def _neighbours(self, embeddings: np.ndarray, k: int):
        return cosine_neighbours(embeddings, k, self.approximate_from, self.random_state)


def _renumber_by_size(labels: np.ndarray) -> np.ndarray:
    """Theme ids 0..k-1 by size (largest first), ties by first occurrence: stable across runs."""
    labels = np.asarray(labels)
    themes = [t for t in dict.fromkeys(labels.tolist()) if t != NO_THEME]
    order = sorted(themes, key=lambda t: (-(labels == t).sum(), int(np.argmax(labels == t))))
    mapping = {old: new for new, old in enumerate(order)}
    return np.array([mapping.get(t, NO_THEME) for t in labels.tolist()], dtype=int)


def build_theme_model(config: Config, embedder=None, with_map: bool = True,
                      cache_dir: str | Path | None = None, n_conversations: int | None = None) -> ThemeModel:
    """The ThemeModel the config describes, every random part seeded by `config.seed`.

    With `n_conversations`, the number of themes is limited as `[themes]
    max_themes` and `max_themes_per_conversation` say (`theme_limit`);
    without it (a notebook fitting bare vectors), it is not.

    With `cache_dir`, clustering results are kept there (`FitCache`) and a
    fit on the same vectors under the same settings reuses them; so are the
    label phrases' vectors (`EmbeddingCache`).
    """
    return ThemeModel(
        cache=None if cache_dir is None else FitCache(cache_dir, fit_settings(config, with_map)),
        reducer=make_reducer(config.reduce, config.seed),
        clusterer=_LazyClusterer(config),
        labeller=CTfidfLabeller(n_keywords=config.label.n_keywords, n_candidates=config.label.n_candidates,
                                mmr_relevance=config.label.mmr_relevance,
                                phrase_boost=config.label.phrase_boost, embedder=embedder,
                                cache=None if cache_dir is None or embedder is None else EmbeddingCache(cache_dir)),
        outliers=config.outliers,
        max_themes=None if n_conversations is None else theme_limit(config, n_conversations),
        refine_iterations=config.themes.refine_iterations,
        approximate_from=config.reduce.approximate_from,
        random_state=config.seed,
        # The map is for the eye: always a seeded 2-D UMAP, whatever reduces for clustering;
        # 200 epochs (UMAP's own choice above 10,000 points) draw it at 40% of the default's cost.
        mapper=SafeUMAP(n_neighbors=config.reduce.n_neighbors, n_components=2, min_dist=0.1,
                        metric="cosine", random_state=config.seed, n_epochs=200) if with_map else None,
    )


def theme_limit(config: Config, n_conversations: int) -> int | None:
    """At most this many themes for a run of `n_conversations` conversations; None for no limit.

    A workshop reads a few dozen themes, not a hundred: `max_themes` (30) up
    to the conversations that warrant it, then `max_themes_per_conversation`
    (1.5) for each, so a 20-conversation run yields at most 30 and a
    137-meeting one at most 206. `max_themes = 0` lifts the limit.

    Examples
    --------
    >>> from pipeline.config import load_config
    >>> theme_limit(load_config(), 20), theme_limit(load_config(), 137)
    (30, 206)
    """
    themes = config.themes
    if themes.max_themes <= 0:
        return None
    return max(themes.max_themes, math.ceil(themes.max_themes_per_conversation * n_conversations))


class _LazyClusterer:
    """Builds the configured clusterer when the number of quotes is known (it sets min_cluster_size)."""

    def __init__(self, config: Config):
        self.config = config

    def get_params(self, deep: bool = True) -> dict:
        return {"config": self.config}

    def set_params(self, **params):
        for key, value in params.items():
            setattr(self, key, value)
        return self

    def fit_predict(self, X):
        self.clusterer_ = make_clusterer(self.config.cluster, X.shape[0], self.config.seed)
        return self.clusterer_.fit_predict(X)

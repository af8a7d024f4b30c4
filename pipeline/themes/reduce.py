"""Dimension reduction before clustering: spectral (default), UMAP, or PCA."""
from __future__ import annotations

import warnings

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.decomposition import PCA

from ..config import ReduceConfig


class SafeUMAP(BaseEstimator, TransformerMixin):
    """UMAP that copes with small inputs instead of failing.

    UMAP needs n_neighbors < n_samples and its spectral initialisation needs
    n_components + 1 < n_samples; on tiny corpora both are clipped, and the
    clipping is recorded in `effective_params_`. `n_jobs=1` because UMAP is
    only reproducible under a fixed `random_state` when single-threaded.
    """

    def __init__(self, n_neighbors=15, n_components=5, min_dist=0.0, metric="cosine", random_state=None):
        self.n_neighbors = n_neighbors
        self.n_components = n_components
        self.min_dist = min_dist
        self.metric = metric
        self.random_state = random_state

    def fit(self, X, y=None):
        import umap

        n = X.shape[0]
        if n < 4:
            raise ValueError(f"UMAP needs at least 4 samples, got {n}")
        self.effective_params_ = {
            "n_neighbors": int(min(self.n_neighbors, n - 1)),
            "n_components": int(min(self.n_components, n - 2)),
        }
        self.umap_ = umap.UMAP(n_neighbors=self.effective_params_["n_neighbors"],
                               n_components=self.effective_params_["n_components"],
                               min_dist=self.min_dist, metric=self.metric,
                               random_state=self.random_state, n_jobs=1,
                               init="spectral" if n > 20 else "random")
        with warnings.catch_warnings():
            # On a tiny or disconnected corpus UMAP falls back to random initialisation,
            # seeded like everything else; the warning would only alarm a user.
            warnings.filterwarnings("ignore", message="Spectral initialisation failed")
            warnings.filterwarnings("ignore", message=".*n_jobs value.*overridden")
            self.embedding_ = self.umap_.fit_transform(X)
        return self

    def fit_transform(self, X, y=None):
        return self.fit(X).embedding_

    def transform(self, X):
        return self.umap_.transform(X)


class SpectralReducer(BaseEstimator, TransformerMixin):
    """Laplacian eigenmaps of the cosine k-nearest-neighbour graph (the layout UMAP starts from).

    It keeps the manifold structure that makes UMAP good for clustering
    sentence vectors, without UMAP's stochastic layout: the eigenvectors do
    not depend on the seed, so the same quotes give the same themes under
    any seed. Rows are scaled to unit length so HDBSCAN sees directions,
    not the eigenmap's uneven radii. Clipped on tiny inputs like SafeUMAP.
    """

    def __init__(self, n_components=24, n_neighbors=15, random_state=None):
        self.n_components = n_components
        self.n_neighbors = n_neighbors
        self.random_state = random_state

    def fit(self, X, y=None):
        from sklearn.manifold import SpectralEmbedding
        from sklearn.neighbors import kneighbors_graph

        n = X.shape[0]
        if n < 4:
            raise ValueError(f"the spectral reducer needs at least 4 samples, got {n}")
        # On a small corpus 15 neighbours would reach across themes; a quarter of the quotes at most.
        # Likewise at most a quarter of the quotes as dimensions: beyond that the eigenvectors are noise.
        self.effective_params_ = {"n_neighbors": int(min(self.n_neighbors, n - 1, max(5, n // 4))),
                                  "n_components": int(min(self.n_components, n - 2, max(2, n // 4)))}
        graph = kneighbors_graph(X, self.effective_params_["n_neighbors"], metric="cosine", include_self=False)
        affinity = 0.5 * (graph + graph.T)  # symmetric, as SpectralEmbedding's own nearest_neighbors affinity
        with warnings.catch_warnings():
            # A disconnected graph is fine here: its components are already separate themes.
            warnings.filterwarnings("ignore", message="Graph is not fully connected")
            embedding = SpectralEmbedding(n_components=self.effective_params_["n_components"],
                                          affinity="precomputed",
                                          random_state=self.random_state).fit_transform(affinity)
        self.embedding_ = embedding / np.linalg.norm(embedding, axis=1, keepdims=True).clip(min=1e-12)
        return self

    def fit_transform(self, X, y=None):
        return self.fit(X).embedding_


def make_reducer(config: ReduceConfig, random_state: int, n_components: int | None = None):
    """The reducer named by `config.method`, seeded."""
    components = n_components or config.n_components
    if config.method == "pca":
        return PCA(n_components=components, random_state=random_state)
    if config.method == "spectral":
        return SpectralReducer(n_components=components, n_neighbors=config.n_neighbors, random_state=random_state)
    return SafeUMAP(n_neighbors=config.n_neighbors, n_components=components,
                    min_dist=config.min_dist, metric=config.metric, random_state=random_state)


def fit_reduce(reducer, X: np.ndarray) -> np.ndarray:
    """fit_transform, with PCA's components clipped to what the data allows."""
    if isinstance(reducer, PCA):
        reducer.set_params(n_components=min(reducer.n_components, *X.shape))
    return reducer.fit_transform(X)

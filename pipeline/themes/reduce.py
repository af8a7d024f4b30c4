"""Dimension reduction before clustering: UMAP, or PCA as a plain alternative."""
from __future__ import annotations

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
        self.embedding_ = self.umap_.fit_transform(X)
        return self

    def fit_transform(self, X, y=None):
        return self.fit(X).embedding_

    def transform(self, X):
        return self.umap_.transform(X)


def make_reducer(config: ReduceConfig, random_state: int, n_components: int | None = None):
    """The reducer named by `config.method`, seeded."""
    components = n_components or config.n_components
    if config.method == "pca":
        return PCA(n_components=components, random_state=random_state)
    return SafeUMAP(n_neighbors=config.n_neighbors, n_components=components,
                    min_dist=config.min_dist, metric=config.metric, random_state=random_state)


def fit_reduce(reducer, X: np.ndarray) -> np.ndarray:
    """fit_transform, with PCA's components clipped to what the data allows."""
    if isinstance(reducer, PCA):
        reducer.set_params(n_components=min(reducer.n_components, *X.shape))
    return reducer.fit_transform(X)

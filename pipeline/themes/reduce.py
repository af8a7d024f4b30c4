"""Dimension reduction before clustering: spectral (default), UMAP, or PCA."""
from __future__ import annotations

import logging
import warnings
from functools import lru_cache

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.decomposition import PCA

from ..config import ReduceConfig

logger = logging.getLogger(__name__)

# UMAP's own switch: below this many points it computes exact neighbours itself.
UMAP_EXACT_BELOW = 4096


def _keep_compiled(modules) -> int:
    """Have numba keep the compiled functions of `modules` on disk (see `keep_umap_compiled`)."""
    from numba.core.dispatcher import Dispatcher

    kept = 0
    for module in modules:
        for function in vars(module).values():
            if isinstance(function, Dispatcher):
                try:
                    function.enable_caching()
                    kept += 1
                except RuntimeError as exc:  # numba: "no locator available" (a read-only install)
                    logger.debug("%s's compiled code is not kept: %s", module.__name__, exc)
                    return kept
    return kept


@lru_cache(maxsize=1)
def keep_umap_compiled() -> int:
    """Have numba keep UMAP's compiled functions on disk; returns how many it will keep.

    UMAP's layout functions are numba-compiled at their first call in every
    process, and only one of them asks numba to cache the result: 7 to 9 s
    of each run went to compiling them again (6.4 s to lay out 5,000 points
    the first time, 1.6 s with the compiled code read back). Numba keeps
    the code beside the module's own bytecode (its `__pycache__`, else the
    user's cache folder or NUMBA_CACHE_DIR), keyed by the source file, so an
    upgraded UMAP compiles afresh; the compiled code is the same, so are the
    layouts. Where numba finds nowhere to write it simply compiles as before.
    """
    import umap.layouts
    import umap.umap_

    return _keep_compiled((umap.umap_, umap.layouts))


@lru_cache(maxsize=1)
def keep_nndescent_compiled() -> int:
    """Have numba keep pynndescent's compiled functions on disk; returns how many it will keep.

    Like UMAP's (`keep_umap_compiled`): a 30,000-quote search (a graph of
    the neighbours wanted, before `NN_DESCENT_BREADTH`) took 43 s in a fresh
    process, most of it compiling, and 19 s once the code was kept (4.4 s
    with everything compiled in the same process; some of its functions
    take others as arguments, which numba cannot keep).
    """
    import pynndescent.distances
    import pynndescent.graph_utils
    import pynndescent.pynndescent_
    import pynndescent.rp_trees
    import pynndescent.utils

    return _keep_compiled((pynndescent.pynndescent_, pynndescent.utils, pynndescent.distances,
                           pynndescent.rp_trees, pynndescent.graph_utils))


def _umap_init(n: int) -> str:
    """UMAP's starting layout: spectral where it is cheap, PCA on large corpora.

    On 100,000 quotes the spectral start (with UMAP's layout of every
    disconnected component) took 9.5 GB and most of 337 s; PCA is linear in
    the quotes. Tiny inputs start at random (spectral needs a few points).
    """
    if n <= 20:
        return "random"
    return "spectral" if n <= UMAP_EXACT_BELOW else "pca"


class SafeUMAP(BaseEstimator, TransformerMixin):
    """UMAP that copes with small inputs instead of failing.

    UMAP needs n_neighbors < n_samples and its spectral initialisation needs
    n_components + 1 < n_samples; on tiny corpora both are clipped, and the
    clipping is recorded in `effective_params_`. `n_jobs=1` because UMAP is
    only reproducible under a fixed `random_state` when single-threaded.
    """

    def __init__(self, n_neighbors=15, n_components=5, min_dist=0.0, metric="cosine", random_state=None,
                 n_epochs=None):
        self.n_neighbors = n_neighbors
        self.n_components = n_components
        self.min_dist = min_dist
        self.metric = metric
        self.random_state = random_state
        self.n_epochs = n_epochs  # None: UMAP's default (500 below 10,000 points, else 200)

    def fit(self, X, y=None, knn: tuple[np.ndarray, np.ndarray] | None = None):
        """Fit on X; `knn` may pass `cosine_knn(X, k)` (cosine metric only) to skip UMAP's own search.

        Above 4,096 points UMAP would build a pynndescent index, whose numba
        compilation alone takes 40+ s in a fresh process; the exact
        neighbours the spectral reducer already computed serve instead.
        Below that UMAP computes exact neighbours itself, and is left to: with
        precomputed neighbours on a small corpus of duplicate quotes its
        layout changed from one fit to the next in the same process.
        """
        import umap

        n = X.shape[0]
        if n < 4:
            raise ValueError(f"UMAP needs at least 4 samples, got {n}")
        keep_umap_compiled()
        self.effective_params_ = {
            "n_neighbors": int(min(self.n_neighbors, n - 1)),
            "n_components": int(min(self.n_components, n - 2)),
        }
        neighbours = self.effective_params_["n_neighbors"]
        precomputed = (None, None, None)
        if knn is not None and self.metric == "cosine" and knn[0].shape[1] >= neighbours and n > UMAP_EXACT_BELOW:
            precomputed = (np.ascontiguousarray(knn[0][:, :neighbours]),
                           np.ascontiguousarray(knn[1][:, :neighbours]))
        self.umap_ = umap.UMAP(n_neighbors=neighbours,
                               n_components=self.effective_params_["n_components"],
                               min_dist=self.min_dist, metric=self.metric,
                               random_state=self.random_state, n_jobs=1,
                               init=_umap_init(n), precomputed_knn=precomputed,
                               n_epochs=self.n_epochs)
        with warnings.catch_warnings():
            # On a tiny or disconnected corpus UMAP falls back to random initialisation,
            # seeded like everything else; the warning would only alarm a user.
            warnings.filterwarnings("ignore", message="Spectral initialisation failed")
            warnings.filterwarnings("ignore", message=".*n_jobs value.*overridden")
            # Precomputed neighbours come without a search index: transform() is not used here.
            warnings.filterwarnings("ignore", message=".*knn_search_index.*")
            self.embedding_ = self.umap_.fit_transform(X)
        return self

    def fit_transform(self, X, y=None, knn=None):
        return self.fit(X, knn=knn).embedding_

    def transform(self, X):
        return self.umap_.transform(X)


class SpectralReducer(BaseEstimator, TransformerMixin):
    """Laplacian eigenmaps of the cosine k-nearest-neighbour graph (the layout UMAP starts from).

    It keeps the manifold structure that makes UMAP good for clustering
    sentence vectors, without UMAP's stochastic layout: the eigenvectors do
    not depend on the seed, so the same quotes give the same themes under
    any seed. Rows are scaled to unit length so HDBSCAN sees directions,
    not the eigenmap's uneven radii. Clipped on tiny inputs like SafeUMAP.

    The eigenvectors are those of scikit-learn's `SpectralEmbedding`
    (normalised Laplacian, first vector dropped, divided by the square root
    of the degree), found as the *largest* eigenvectors of the normalised
    adjacency D^-1/2 A D^-1/2 with Lanczos iterations. scikit-learn asks
    ARPACK for the smallest eigenvectors of the Laplacian in shift-invert
    mode, which needs a sparse LU factorisation: 20+ s on 8,000 quotes against
    about 1 s here, with the same themes (benchmarks/results/quality.md). The
    starting vector is fixed, not drawn from the seed.
    """

    def __init__(self, n_components=24, n_neighbors=15, random_state=None):
        self.n_components = n_components
        self.n_neighbors = n_neighbors
        self.random_state = random_state  # kept for the estimator API: nothing here is random

    def fit(self, X, y=None, knn: tuple[np.ndarray, np.ndarray] | None = None):
        """Fit on X; `knn` may pass `cosine_knn(X, k)` for k >= n_neighbors to skip the search."""
        n = X.shape[0]
        if n < 4:
            raise ValueError(f"the spectral reducer needs at least 4 samples, got {n}")
        # On a small corpus 15 neighbours would reach across themes; a quarter of the quotes at most.
        # Likewise at most a quarter of the quotes as dimensions: beyond that the eigenvectors are noise.
        self.effective_params_ = {"n_neighbors": int(min(self.n_neighbors, n - 1, max(5, n // 4))),
                                  "n_components": int(min(self.n_components, n - 2, max(2, n // 4)))}
        k = self.effective_params_["n_neighbors"]
        indices, distances = knn if knn is not None else cosine_knn(X, k)
        graph = knn_graph(indices[:, 1:k + 1], distances[:, 1:k + 1], n)
        affinity = 0.5 * (graph + graph.T)  # symmetric, as SpectralEmbedding's own nearest_neighbors affinity
        embedding = _laplacian_eigenmap(affinity, self.effective_params_["n_components"])
        self.embedding_ = embedding / np.linalg.norm(embedding, axis=1, keepdims=True).clip(min=1e-12)
        return self

    def fit_transform(self, X, y=None, knn=None):
        return self.fit(X, knn=knn).embedding_


# Memory for one block of the brute-force neighbour search: block rows x n distances (float32) and
# argpartition's order of them (int64). It was 256 MB, and with a copy the subtraction made, 360 MB at
# the 137 AMI meetings' 28,546 quotes: the top of a cold run's memory (BENCHMARKS.md). At 64 MB the
# search is no slower (195-row blocks there). The block size does not change a distance: each
# product row is the same whatever rows share its matrix product (checked bitwise for 2 to 4,096
# rows; one row at a time, a matrix-vector product, differs in the last bit), which the test
# `test_knn_block_size_leaves_neighbours_unchanged` holds to.
KNN_BLOCK_BYTES = 64 * 2**20


def cosine_knn(X: np.ndarray, n_neighbors: int, block: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Exact cosine nearest neighbours, each point first in its own row (as UMAP expects).

    Returns (indices, distances), both (n, n_neighbors + 1), nearest first,
    ties broken by index. Brute force over blocks of rows: exact,
    deterministic, and at the sizes a programme brings (tens of thousands of
    quotes) faster than building an approximate index. Memory: one block of
    rows x n distances and their sort order at a time, `KNN_BLOCK_BYTES` by
    default (55 rows at 100,000 quotes).
    """
    X = np.asarray(X, dtype=np.float32)
    unit = X / np.linalg.norm(X, axis=1, keepdims=True).clip(min=1e-12)
    return _knn_rows(unit, np.arange(unit.shape[0]), n_neighbors, block)


def cosine_neighbours(X: np.ndarray, n_neighbors: int, approximate_from: int = 0,
                      random_state: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Cosine nearest neighbours as `cosine_knn` returns them: exact below `approximate_from` points
    (or always, when it is 0), approximate from it on (`approximate_knn`).

    The exact search costs the square of the quotes (105 s at 100,000 on
    this project's benchmark host, against about 9 s at 30,000); NN-descent
    grows about linearly and finds 99.5% of the same neighbours
    (BENCHMARKS.md, "Scale").
    """
    if approximate_from and X.shape[0] >= approximate_from:
        return approximate_knn(X, n_neighbors, random_state)
    return cosine_knn(X, n_neighbors)


# NN-descent builds a graph of this many times the neighbours wanted and keeps the nearest: on
# CLINC150's 5,500 requests it finds 98.8% of the exact 20 nearest at 1x, 99.88% at 2x and 99.97%
# at 3x, and the themes agree with the exact search's at ARI 0.87, 0.95 and 0.98 (the exact search
# on the vectors with noise of norm 0.02 added: 0.90). Its cost grows with the breadth.
NN_DESCENT_BREADTH = 3


def approximate_knn(X: np.ndarray, n_neighbors: int, random_state: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Approximate cosine nearest neighbours by NN-descent (pynndescent), in `cosine_knn`'s layout.

    Single-threaded under a fixed `random_state`, so one seed gives the same
    neighbours on every run (pynndescent's parallel build does not promise
    that). Each point is put first in its own row, as UMAP expects, even
    where an exact duplicate came first.
    """
    from pynndescent import NNDescent

    keep_nndescent_compiled()
    X = np.asarray(X, dtype=np.float32)
    k = min(n_neighbors + 1, X.shape[0])
    with warnings.catch_warnings():
        # Two of its functions take others as arguments, which numba cannot keep; it says so each run.
        warnings.filterwarnings("ignore", message="Cannot cache compiled function")
        index = NNDescent(X, n_neighbors=min(NN_DESCENT_BREADTH * k, X.shape[0]), metric="cosine",
                          random_state=random_state, n_jobs=1, low_memory=True, compressed=True, verbose=False)
        indices, distances = (np.asarray(a)[:, :k] for a in index.neighbor_graph)
    return _self_first(indices.astype(np.int64), distances.astype(np.float32))


def _self_first(indices: np.ndarray, distances: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each row's own point moved to the front at distance 0 (dropping the farthest when it was missing).

    >>> i, d = _self_first(np.array([[1, 0, 2], [0, 2, 3]]), np.array([[0.0, 0.0, 0.5], [0.1, 0.2, 0.3]]))
    >>> i.tolist(), d.tolist()
    ([[0, 1, 2], [1, 0, 2]], [[0.0, 0.0, 0.5], [0.0, 0.1, 0.2]])
    """
    indices, distances = indices.copy(), distances.copy()
    for row in np.flatnonzero(indices[:, 0] != np.arange(len(indices))):
        others = indices[row] != row
        rest_i, rest_d = indices[row][others], distances[row][others]
        indices[row] = np.r_[row, rest_i[:indices.shape[1] - 1]]
        distances[row] = np.r_[0.0, rest_d[:indices.shape[1] - 1]]
    distances[:, 0] = 0.0
    return indices, np.maximum(distances, 0.0)


def _knn_rows(unit: np.ndarray, which: np.ndarray, n_neighbors: int, block: int | None = None):
    """`cosine_knn` for the rows `which` of the unit vectors `unit` only."""
    n = unit.shape[0]
    # 12 bytes per entry: the float32 distance and argpartition's int64 index.
    block = block or max(1, min(4096, KNN_BLOCK_BYTES // (12 * max(n, 1))))
    k = min(n_neighbors + 1, n)
    indices = np.empty((len(which), k), dtype=np.int64)
    distances = np.empty((len(which), k), dtype=np.float32)
    for start in range(0, len(which), block):
        rows = which[start:start + block]
        distance = unit[rows] @ unit.T
        np.subtract(1.0, distance, out=distance)  # in place: `1.0 - product` held a second block
        distance[np.arange(len(rows)), rows] = -np.inf  # the point itself first, even beside a duplicate
        nearest = np.argpartition(distance, k - 1, axis=1)[:, :k] if k < n else np.tile(np.arange(n), (len(rows), 1))
        picked = np.take_along_axis(distance, nearest, axis=1)
        order = np.lexsort((nearest, picked), axis=1)  # by distance, then by index
        indices[start:start + len(rows)] = np.take_along_axis(nearest, order, axis=1)
        distances[start:start + len(rows)] = np.take_along_axis(picked, order, axis=1)
    distances[:, 0] = 0.0
    return indices, np.maximum(distances, 0.0)


def subset_knn(X: np.ndarray, knn: tuple[np.ndarray, np.ndarray], subset: np.ndarray,
               n_neighbors: int) -> tuple[np.ndarray, np.ndarray]:
    """The neighbours among `X[subset]` of each point of the subset, read from the whole set's search.

    A point's nearest neighbours within a subsample are the nearest of its
    neighbours in the whole set that were kept, as long as at least
    `n_neighbors` of those survive (with twice as many searched and 90% kept,
    practically always); the rows where too few survive are searched again
    within the subset. `subset` must be sorted, so ties keep their order.
    Saves the quadratic search in each bootstrap refit.
    """
    indices, distances = knn
    position = np.full(indices.shape[0], -1, dtype=np.int64)
    position[subset] = np.arange(len(subset))
    within = position[indices[subset]]
    kept = within >= 0
    k = min(n_neighbors + 1, len(subset))
    first = np.argsort(~kept, axis=1, kind="stable")[:, :k]  # kept neighbours first, in their order
    sub_indices = np.take_along_axis(within, first, axis=1)
    sub_distances = np.take_along_axis(distances[subset], first, axis=1)
    short = np.flatnonzero(kept.sum(axis=1) < k)
    if len(short):
        unit = np.asarray(X, dtype=np.float32)[subset]
        unit = unit / np.linalg.norm(unit, axis=1, keepdims=True).clip(min=1e-12)
        sub_indices[short], sub_distances[short] = _knn_rows(unit, short, n_neighbors)
    return sub_indices, sub_distances


def knn_graph(indices: np.ndarray, distances: np.ndarray, n: int):
    """The connectivity matrix of `kneighbors_graph(mode="connectivity")` from precomputed neighbours."""
    from scipy.sparse import csr_matrix

    rows = np.repeat(np.arange(n), indices.shape[1])
    return csr_matrix((np.ones(rows.size), (rows, indices.ravel())), shape=(n, n))


def _laplacian_eigenmap(affinity, n_components: int) -> np.ndarray:
    from scipy.sparse import csgraph, identity
    from scipy.sparse.linalg import eigsh

    n = affinity.shape[0]
    laplacian, sqrt_degree = csgraph.laplacian(affinity, normed=True, return_diag=True)
    adjacency = (identity(n, format="csr") - laplacian).tocsr()
    k = n_components + 1  # the first eigenvector (constant over a connected graph) is dropped
    if k >= n - 1:  # tiny input: a dense solver is exact and instant
        values, vectors = np.linalg.eigh(adjacency.toarray())
    else:
        start = np.random.default_rng(0).uniform(-1.0, 1.0, n)
        values, vectors = eigsh(adjacency, k=k, which="LA", v0=start, tol=1e-6, ncv=min(n - 1, max(2 * k + 1, 80)))
    order = np.argsort(-values)[:k]
    embedding = vectors[:, order] / sqrt_degree[:, None]
    # The sign of an eigenvector is arbitrary: fix it as scikit-learn does (largest entry positive).
    signs = np.sign(embedding[np.argmax(np.abs(embedding), axis=0), range(embedding.shape[1])])
    return (embedding * np.where(signs == 0, 1.0, signs))[:, 1:]


def make_reducer(config: ReduceConfig, random_state: int, n_components: int | None = None):
    """The reducer named by `config.method`, seeded."""
    components = n_components or config.n_components
    if config.method == "pca":
        return PCA(n_components=components, random_state=random_state)
    if config.method == "spectral":
        return SpectralReducer(n_components=components, n_neighbors=config.n_neighbors, random_state=random_state)
    return SafeUMAP(n_neighbors=config.n_neighbors, n_components=components,
                    min_dist=config.min_dist, metric=config.metric, random_state=random_state)


def fit_reduce(reducer, X: np.ndarray, knn: tuple[np.ndarray, np.ndarray] | None = None) -> np.ndarray:
    """fit_transform, with PCA's components clipped to what the data allows.

    `knn` (from `cosine_knn(X, k)`) is handed to the reducers that build a
    neighbour graph, so one search serves clustering and the map.
    """
    if isinstance(reducer, PCA):
        reducer.set_params(n_components=min(reducer.n_components, *X.shape))
        return reducer.fit_transform(X)
    if isinstance(reducer, (SpectralReducer, SafeUMAP)):
        return reducer.fit_transform(X, knn=knn)
    return reducer.fit_transform(X)

import warnings
from pathlib import Path

import numpy as np
import pytest
from sklearn.manifold import SpectralEmbedding
from sklearn.neighbors import NearestNeighbors, kneighbors_graph

from pipeline.themes.reduce import SpectralReducer, cosine_knn


def _blobs(n_per=40, n_blobs=5, dim=32, seed=0, spread=0.3):
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(n_blobs, dim))
    return np.vstack([c + spread * rng.normal(size=(n_per, dim)) for c in centres]).astype(np.float32)


def test_cosine_knn_matches_an_exact_search_and_puts_each_point_first():
    X = _blobs()
    indices, distances = cosine_knn(X, 10)
    reference_d, reference_i = NearestNeighbors(n_neighbors=11, metric="cosine", algorithm="brute").fit(X).kneighbors(X)
    assert indices.shape == distances.shape == (len(X), 11)
    assert (indices[:, 0] == np.arange(len(X))).all() and (distances[:, 0] == 0).all()
    assert np.array_equal(indices[:, 1:], reference_i[:, 1:])
    assert np.allclose(distances, reference_d, atol=1e-5)
    assert (np.diff(distances, axis=1) >= 0).all()


def test_cosine_knn_puts_the_point_first_beside_its_duplicates_and_works_in_blocks():
    X = np.repeat(_blobs(n_per=3, n_blobs=4), 3, axis=0)  # every vector three times
    indices, _ = cosine_knn(X, 4, block=5)
    assert (indices[:, 0] == np.arange(len(X))).all()
    whole, _ = cosine_knn(X, 4)
    assert np.array_equal(indices, whole)


def test_knn_block_size_leaves_neighbours_unchanged():
    # The block only bounds the search's memory (reduce.KNN_BLOCK_BYTES): every row's distances and
    # neighbours must come out bit for bit the same whatever rows share its matrix product, or a
    # change of the budget would change the themes.
    X = np.random.default_rng(3).standard_normal((1500, 384)).astype(np.float32)
    X[700:760] = X[:60]  # exact duplicates: ties broken by index in every block
    whole_i, whole_d = cosine_knn(X, 15, block=len(X))
    for block in (2, 7, 64, 195, None):
        indices, distances = cosine_knn(X, 15, block=block)
        assert np.array_equal(indices, whole_i) and np.array_equal(distances, whole_d), block


def _subspace_cosines(a, b):
    """Cosines of the principal angles between the column spaces of a and b (1 = same space)."""
    qa, _ = np.linalg.qr(a - a.mean(axis=0))
    qb, _ = np.linalg.qr(b - b.mean(axis=0))
    return np.linalg.svd(qa.T @ qb, compute_uv=False)


def test_spectral_reducer_spans_the_eigenmap_of_scikit_learn():
    # Overlapping blobs: a connected graph, so the eigenvectors are unique up to sign.
    X = _blobs(n_per=60, n_blobs=6, spread=1.0)
    ours = SpectralReducer(n_components=5, n_neighbors=10).fit(X)
    graph = kneighbors_graph(X, 10, metric="cosine", include_self=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reference = SpectralEmbedding(n_components=5, affinity="precomputed", random_state=0).fit_transform(
            0.5 * (graph + graph.T))
    # Compare before the row normalisation: the same eigenvectors, found by another solver.
    raw = _unnormalised(ours, X)
    assert _subspace_cosines(raw, reference).min() > 0.99


def _unnormalised(reducer, X):
    from pipeline.themes.reduce import _laplacian_eigenmap, knn_graph

    k = reducer.effective_params_["n_neighbors"]
    indices, distances = cosine_knn(X, k)
    graph = knn_graph(indices[:, 1:], distances[:, 1:], len(X))
    return _laplacian_eigenmap(0.5 * (graph + graph.T), reducer.effective_params_["n_components"])


@pytest.mark.parametrize("seed", [0, 1, 7])
def test_spectral_reducer_ignores_the_seed_and_a_shared_search_changes_nothing(seed):
    X = _blobs()
    alone = SpectralReducer(n_components=6, n_neighbors=10, random_state=seed).fit_transform(X)
    shared = SpectralReducer(n_components=6, n_neighbors=10, random_state=0).fit_transform(X, knn=cosine_knn(X, 15))
    assert np.array_equal(alone, shared)
    assert np.allclose(np.linalg.norm(alone, axis=1), 1.0)


@pytest.mark.parametrize("searched", [20, 4])  # 4: most rows keep too few neighbours and are searched again
def test_a_subsample_reads_its_neighbours_from_the_whole_search(searched):
    from pipeline.themes.reduce import subset_knn

    X = _blobs(n_per=30, spread=1.0)
    subset = np.sort(np.random.default_rng(3).choice(len(X), int(0.9 * len(X)), replace=False))
    indices, distances = subset_knn(X, cosine_knn(X, searched), subset, 4)
    direct_indices, direct_distances = cosine_knn(X[subset], 4)
    assert np.array_equal(indices, direct_indices)
    assert np.allclose(distances, direct_distances, atol=1e-6)


def test_umaps_compiled_code_goes_through_numbas_disk_cache():
    import umap.layouts
    import umap.umap_

    from pipeline.themes.reduce import SafeUMAP, keep_umap_compiled

    X = np.random.default_rng(0).normal(size=(60, 8))
    SafeUMAP(n_neighbors=5, n_components=2, random_state=0, n_epochs=20).fit_transform(X)
    assert keep_umap_compiled() > 5
    for function in (umap.umap_.smooth_knn_dist, umap.layouts._nb_optimize_layout_euclidean_single_epoch):
        folder = function.stats.cache_path  # None for a function numba does not cache
        assert folder is not None, function.__name__
        assert list(Path(folder).glob(f"*{function.__name__}*.nbi")), function.__name__  # the index of what it keeps


def test_the_approximate_search_finds_nearly_the_same_neighbours_in_the_same_layout_every_run():
    from pipeline.themes.reduce import approximate_knn

    X = np.repeat(_blobs(n_per=60, n_blobs=6, dim=24), [2] + [1] * 359, axis=0)  # the first vector twice
    exact_i, exact_d = cosine_knn(X, 10)
    indices, distances = approximate_knn(X, 10, random_state=0)
    assert indices.shape == distances.shape == exact_i.shape and indices.dtype == np.int64
    assert (indices[:, 0] == np.arange(len(X))).all() and (distances[:, 0] == 0).all()  # duplicate or not
    assert (np.diff(distances, axis=1) >= -1e-6).all() and (distances >= 0).all()
    found = np.mean([len(set(a[1:]) & set(b[1:])) / 10 for a, b in zip(indices, exact_i)])
    assert found > 0.95
    assert np.allclose(np.sort(distances, axis=1), np.sort(exact_d, axis=1), atol=0.05)
    again_i, again_d = approximate_knn(X, 10, random_state=0)
    assert np.array_equal(indices, again_i) and np.array_equal(distances, again_d)


def test_the_search_is_approximate_from_the_configured_size_on_and_exact_below(monkeypatch):
    import pipeline.themes.reduce as reduce

    calls = []
    monkeypatch.setattr(reduce, "approximate_knn", lambda X, k, seed: calls.append(len(X)) or cosine_knn(X, k))
    X = _blobs()
    reduce.cosine_neighbours(X, 5, approximate_from=len(X) + 1)
    reduce.cosine_neighbours(X, 5, approximate_from=0)
    assert calls == []
    reduce.cosine_neighbours(X, 5, approximate_from=len(X))
    assert calls == [len(X)]


def test_the_approximate_search_puts_each_point_first_where_nn_descent_did_not(monkeypatch):
    import pynndescent

    from pipeline.themes.reduce import approximate_knn

    class SwappedFirstTwo:  # NN-descent's answer for two duplicates: the other copy first in row 0
        def __init__(self, X, **_):
            self.neighbor_graph = (np.array([[1, 0, 2], [1, 0, 2], [2, 0, 1]]),
                                   np.array([[0.0, 0.0, 0.4], [0.0, 0.0, 0.4], [0.0, 0.4, 0.4]]))

    monkeypatch.setattr(pynndescent, "NNDescent", SwappedFirstTwo)
    indices, distances = approximate_knn(np.zeros((3, 4)), 2)
    assert indices.tolist() == [[0, 1, 2], [1, 0, 2], [2, 0, 1]]
    assert np.allclose(distances, [[0.0, 0.0, 0.4], [0.0, 0.0, 0.4], [0.0, 0.4, 0.4]])

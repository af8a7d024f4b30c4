import numpy as np

from pipeline.config import load_config
from pipeline.schema import NO_THEME
from pipeline.themes import build_theme_model
from pipeline.themes.cluster import auto_min_cluster_size, place_outliers


def _blobs(seed=0, n_per=30, k=4, dim=32):
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((k, dim)) * 4
    X = np.concatenate([c + rng.standard_normal((n_per, dim)) for c in centres]).astype(np.float32)
    X /= np.linalg.norm(X, axis=1, keepdims=True)
    truth = np.repeat(np.arange(k), n_per)
    terms = [[f"topic{t} word", f"topic{t}"] for t in truth]
    return X, terms, truth


def test_separated_groups_become_separate_themes():
    X, terms, truth = _blobs()
    model = build_theme_model(load_config()).fit(X, terms)
    from sklearn.metrics import adjusted_rand_score

    assert len(model.centroids_) == 4
    assert adjusted_rand_score(truth, model.labels_) > 0.9
    assert model.map_.shape == (len(X), 2)


def test_same_seed_same_themes_and_theme_zero_is_the_largest():
    X, terms, _ = _blobs(n_per=25)
    X = np.concatenate([X, X[:15]])
    terms = terms + terms[:15]
    a = build_theme_model(load_config(seed=3)).fit(X, terms).labels_
    b = build_theme_model(load_config(seed=3)).fit(X, terms).labels_
    assert np.array_equal(a, b)
    sizes = np.bincount(a[a != NO_THEME])
    assert sizes[0] == sizes.max()


def test_tiny_inputs_do_not_crash():
    X, terms, _ = _blobs(n_per=1, k=3)
    model = build_theme_model(load_config()).fit(X, terms)
    assert len(model.labels_) == 3


def test_pca_and_kmeans_can_replace_umap_and_hdbscan():
    X, terms, _ = _blobs()
    config = load_config(**{"reduce.method": "pca", "cluster.method": "kmeans", "cluster.n_clusters": 4})
    model = build_theme_model(config, with_map=False).fit(X, terms)
    assert len(model.centroids_) == 4


def test_outlier_policy_places_only_similar_quotes():
    X = np.array([[1, 0], [1, 0], [0, 1], [0.9, 0.1], [-1, 0]], dtype=np.float32)
    X /= np.linalg.norm(X, axis=1, keepdims=True)
    labels = np.array([0, 0, 1, NO_THEME, NO_THEME])
    placed, how = place_outliers(labels, X, load_config().outliers)
    assert placed.tolist() == [0, 0, 1, 0, NO_THEME]
    assert how.tolist() == ["cluster", "cluster", "cluster", "nearest", ""]
    kept, _ = place_outliers(labels, X, load_config(**{"outliers.policy": "none"}).outliers)
    assert kept.tolist() == labels.tolist()


def test_min_cluster_size_scales_with_the_corpus():
    config = load_config().cluster
    assert auto_min_cluster_size(100, config) == config.auto_min
    assert auto_min_cluster_size(1000, config) == round(1000 * config.auto_fraction)
    assert auto_min_cluster_size(10 ** 6, config) == config.auto_max

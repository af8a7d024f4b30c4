import numpy as np
import pytest

from pipeline.config import load_config
from pipeline.schema import NO_THEME
from pipeline.themes import build_theme_model
from pipeline.themes.cluster import auto_min_cluster_size, merge_to_at_most, place_outliers
from pipeline.themes.model import theme_limit


def _blobs(seed=0, n_per=30, k=4, dim=32):
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((k, dim)) * 4
    X = np.concatenate([c + rng.standard_normal((n_per, dim)) for c in centres]).astype(np.float32)
    X /= np.linalg.norm(X, axis=1, keepdims=True)
    truth = np.repeat(np.arange(k), n_per)
    terms = [[f"topic{t} word", f"topic{t}"] for t in truth]
    return X, terms, truth


def _pure_and_covering(truth, labels):
    """Every theme holds quotes of one group only, and every group has a theme."""
    from sklearn.metrics import homogeneity_score

    placed = labels != NO_THEME
    return homogeneity_score(truth[placed], labels[placed]) > 0.99 and set(truth[placed]) == set(truth)


def test_separated_groups_never_share_a_theme():
    X, terms, truth = _blobs()
    model = build_theme_model(load_config()).fit(X, terms)
    assert _pure_and_covering(truth, model.labels_)
    assert 4 <= len(model.centroids_) <= 8  # leaf selection may split a group, never merge two
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


def test_default_themes_do_not_depend_on_the_seed():
    X, terms, _ = _blobs(n_per=20, k=5, seed=4)
    a = build_theme_model(load_config(seed=1), with_map=False).fit(X, terms).labels_
    b = build_theme_model(load_config(seed=2), with_map=False).fit(X, terms).labels_
    assert np.array_equal(a, b)


def test_umap_remains_available_and_seeded():
    X, terms, truth = _blobs()
    config = load_config(**{"reduce.method": "umap", "reduce.n_components": 5})
    model = build_theme_model(config, with_map=False).fit(X, terms)
    assert _pure_and_covering(truth, model.labels_)


def test_refit_on_a_subset_leaves_the_model_unchanged():
    X, terms, _ = _blobs()
    model = build_theme_model(load_config(), with_map=False).fit(X, terms)
    before = model.labels_.copy()
    subset = model.refit_labels(X, np.arange(0, len(X), 2))
    assert len(subset) == (len(X) + 1) // 2
    assert np.array_equal(model.labels_, before)


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


@pytest.mark.parametrize("cosine, theme", [(0.19, NO_THEME), (0.21, 0)])
def test_an_outlier_joins_its_nearest_theme_from_the_threshold_cosine_up(cosine, theme):
    config = load_config().outliers
    assert config.min_similarity == 0.2  # the default that the two cosines straddle
    # Theme 0 lies along the first axis, theme 1 along the second; the outlier leans only towards theme 0.
    X = np.array([[1, 0, 0], [1, 0, 0], [0, 1, 0], [0, 1, 0], [cosine, 0, np.sqrt(1 - cosine ** 2)]],
                 dtype=np.float32)
    placed, how = place_outliers(np.array([0, 0, 1, 1, NO_THEME]), X, config)
    assert placed.tolist() == [0, 0, 1, 1, theme]
    assert how[-1] == ("" if theme == NO_THEME else "nearest")


def test_min_cluster_size_scales_with_the_corpus_when_set_to_zero():
    config = load_config(**{"cluster.min_cluster_size": 0}).cluster
    assert auto_min_cluster_size(100, config) == config.auto_min
    assert auto_min_cluster_size(1000, config) == round(1000 * config.auto_fraction)
    assert auto_min_cluster_size(10 ** 6, config) == config.auto_max


def test_a_small_corpus_still_gets_several_themes():
    config = load_config().cluster
    assert auto_min_cluster_size(20, config) == 4
    X, terms, _ = _blobs(n_per=6, k=4)
    assert len(build_theme_model(load_config(), with_map=False).fit(X, terms).centroids_) >= 3


def test_beyond_the_limit_the_smallest_themes_join_their_nearest():
    # Four blobs of 30 and one of 10 near blob 0: with a limit of four the small one joins blob 0.
    X, terms, truth = _blobs(k=4)
    rng = np.random.default_rng(5)
    near = X[:10] + 0.05 * rng.standard_normal((10, X.shape[1])).astype(np.float32)
    near /= np.linalg.norm(near, axis=1, keepdims=True)
    labels = np.r_[truth, np.full(10, 4)]
    labels[3] = NO_THEME
    merged = merge_to_at_most(labels, np.r_[X, near], 4)
    assert set(merged[-10:].tolist()) == {0}
    assert np.array_equal(merged[:120], labels[:120])  # the big themes and the outlier are untouched
    assert np.array_equal(merge_to_at_most(labels, np.r_[X, near], None), labels)
    assert np.array_equal(merge_to_at_most(labels, np.r_[X, near], 5), labels)


def _merge_plainly(labels, embeddings, max_themes):
    """The theme limit written plainly: each merge compares the smallest theme with every other, one by one."""
    labels = labels.copy()
    sizes = {t: int((labels == t).sum()) for t in set(labels.tolist()) - {NO_THEME}}
    sums = {t: embeddings[labels == t].astype(np.float64).sum(axis=0) for t in sizes}
    while len(sizes) > max_themes:
        smallest = min(sizes, key=lambda t: (sizes[t], -t))
        others = sorted(t for t in sizes if t != smallest)
        centre = sums[smallest] / np.linalg.norm(sums[smallest])
        target = others[int(np.argmax([centre @ sums[t] / np.linalg.norm(sums[t]) for t in others]))]
        labels[labels == smallest] = target
        sizes[target] += sizes.pop(smallest)
        sums[target] = sums[target] + sums.pop(smallest)
    return labels


@pytest.mark.parametrize("seed", range(3))
def test_the_theme_limit_merges_as_plain_one_by_one_merges_do_chains_included(seed):
    # Forty themes of 1 to 12 quotes down to six: merged themes merge again, sizes tie.
    rng = np.random.default_rng(seed)
    labels = np.repeat(np.arange(40), rng.integers(1, 13, 40))
    embeddings = rng.normal(size=(len(labels), 8)).astype(np.float32) + rng.normal(size=(40, 8))[labels]
    labels[rng.random(len(labels)) < 0.1] = NO_THEME
    merged = merge_to_at_most(labels, embeddings, 6)
    assert len(set(merged.tolist()) - {NO_THEME}) == 6
    assert np.array_equal(merged, _merge_plainly(labels, embeddings, 6))


def test_a_model_given_a_limit_finds_no_more_themes_even_when_refitting():
    X, terms, _ = _blobs(k=6, n_per=20)
    config = load_config()
    unlimited = build_theme_model(config, with_map=False).fit(X, terms)
    assert len(unlimited.centroids_) == 6
    limited = build_theme_model(config.replace(**{"themes.max_themes": 4, "themes.max_themes_per_conversation": 0.0}),
                                with_map=False, n_conversations=2).fit(X, terms)
    assert len(limited.centroids_) == 4 and sorted(set(limited.labels_.tolist())) == [0, 1, 2, 3]
    assert len(set(limited.refit_labels(X, np.arange(0, 120, 2)).tolist()) - {NO_THEME}) <= 4


def test_the_limit_grows_with_the_conversations():
    config = load_config()
    assert theme_limit(config, 1) == theme_limit(config, 20) == 30
    assert theme_limit(config, 100) == 150
    assert theme_limit(config.replace(**{"themes.max_themes": 0}), 100) is None


def test_the_map_is_seeded_so_two_fits_draw_it_alike():
    X, terms, _ = _blobs(n_per=20)
    first = build_theme_model(load_config(seed=3)).fit(X, terms).map_
    second = build_theme_model(load_config(seed=3)).fit(X, terms).map_
    assert first.shape == (80, 2) and np.ptp(first) > 0  # a real map, not the zeros drawn without one
    assert np.array_equal(first, second)


def test_fits_and_refits_alike_refine_their_borders_as_the_config_says(monkeypatch):
    from pipeline.themes import model as model_module

    rounds = []

    def counting(labels, reduced, embeddings, max_iter):
        assert len(reduced) == len(embeddings) == len(labels)  # the quotes clustered, in both spaces
        assert reduced.shape[1] != embeddings.shape[1]
        rounds.append(max_iter)
        return labels

    monkeypatch.setattr(model_module, "refine_boundaries", counting)
    X, terms, _ = _blobs(n_per=20)
    config = load_config().replace(**{"themes.refine_iterations": 17})
    model = build_theme_model(config, with_map=False).fit(X, terms)
    model.refit_labels(X, np.arange(0, 80, 2))
    assert rounds == [17, 17]  # stability measures the same method the themes come from


def test_from_the_configured_size_on_the_fit_and_its_refits_search_neighbours_approximately(monkeypatch):
    import pipeline.themes.reduce as reduce

    searched = []
    approximate = reduce.approximate_knn
    monkeypatch.setattr(reduce, "approximate_knn",
                        lambda X, k, seed: searched.append((len(X), seed)) or approximate(X, k, seed))
    X, terms, truth = _blobs()
    exact = build_theme_model(load_config(seed=3), with_map=False).fit(X, terms)
    assert searched == []
    model = build_theme_model(load_config(seed=3, **{"reduce.approximate_from": len(X)}), with_map=False)
    model.fit(X, terms)
    model.refit_labels(X, np.arange(0, len(X), 2))
    assert searched == [(len(X), 3)]  # one search, shared by the fit and the refit
    assert np.array_equal(model.labels_, exact.labels_)  # well-separated groups: the same themes


def test_fits_and_refits_alike_place_outliers_from_the_reducers_neighbour_graph(monkeypatch):
    from pipeline.themes import model as model_module

    graphs = []

    def recording(labels, embeddings, config, knn=None):
        graphs.append(None if knn is None else (len(labels), knn[0].shape, int((knn[0][:, 0] == np.arange(len(labels))).sum())))
        return place_outliers(labels, embeddings, config, knn)

    monkeypatch.setattr(model_module, "place_outliers", recording)
    X, terms, _ = _blobs(n_per=20)
    config = load_config().replace(**{"reduce.n_neighbors": 6})
    model = build_theme_model(config, with_map=False).fit(X, terms)
    model.refit_labels(X, np.arange(0, 80, 2))
    # Each quote first in its own row, then as many neighbours as the graph the reducer links.
    assert graphs == [(80, (80, 7), 80), (40, (40, 7), 40)]

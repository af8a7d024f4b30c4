"""The outlier policy, theme centroids and border refinement (`themes.cluster`), on vectors built by hand."""
from __future__ import annotations

import numpy as np
import pytest

from pipeline.config import load_config
from pipeline.schema import NO_THEME
from pipeline.themes.cluster import (
    FastHDBSCAN,
    make_clusterer,
    place_outliers,
    refine_boundaries,
    theme_centroids,
)


def _unit(*rows):
    X = np.array(rows, dtype=np.float64)
    return X / np.linalg.norm(X, axis=1, keepdims=True)


def test_an_outlier_exactly_at_the_threshold_cosine_joins():
    config = load_config().outliers
    X = np.array([[1.0, 0.0], [1.0, 0.0], [config.min_similarity, np.sqrt(1 - config.min_similarity ** 2)]])
    assert float(X[2] @ X[0]) == config.min_similarity
    placed, how = place_outliers(np.array([4, 4, NO_THEME]), X, config)
    assert placed.tolist() == [4, 4, 4] and how.tolist() == ["cluster", "cluster", "nearest"]


def test_each_outlier_joins_the_theme_it_is_closest_to_by_that_themes_own_id():
    # Theme ids need not be 0..k-1: the nearest centroid's id is given, not its position.
    X = _unit([1, 0, 0], [1, 0.1, 0], [0, 1, 0], [0, 1, 0.1], [0.1, 1, 0], [1, 0.05, 0.1], [0, 0, 1])
    labels = np.array([7, 7, 3, 3, NO_THEME, NO_THEME, NO_THEME])
    placed, how = place_outliers(labels, X, load_config().outliers)
    assert placed.tolist() == [7, 7, 3, 3, 3, 7, NO_THEME]
    assert how.tolist() == ["cluster"] * 4 + ["nearest", "nearest", ""]
    assert labels.tolist() == [7, 7, 3, 3, NO_THEME, NO_THEME, NO_THEME]  # the input is left as it was


def test_similarity_is_measured_in_the_embedding_space_against_unit_centroids():
    # Theme 0's quotes are long vectors; the outlier's cosine with their mean direction is 0.6.
    X = np.array([[10.0, 0.0, 0.0], [10.0, 0.0, 0.0], [0.6, 0.0, 0.8]])
    placed, _ = place_outliers(np.array([0, 0, NO_THEME]), X, load_config(**{"outliers.min_similarity": 0.59}).outliers)
    assert placed.tolist() == [0, 0, 0]
    kept, _ = place_outliers(np.array([0, 0, NO_THEME]), X, load_config(**{"outliers.min_similarity": 0.61}).outliers)
    assert kept.tolist() == [0, 0, NO_THEME]


def test_with_no_theme_or_no_outlier_there_is_nothing_to_place():
    X = _unit([1, 0], [0, 1], [1, 1])
    none_placed = np.array([NO_THEME] * 3)
    labels, how = place_outliers(none_placed, X, load_config().outliers)
    assert labels.tolist() == [NO_THEME] * 3 and how.tolist() == ["", "", ""]
    labels, how = place_outliers(np.array([0, 1, 1]), X, load_config().outliers)
    assert labels.tolist() == [0, 1, 1] and how.tolist() == ["cluster"] * 3


def test_the_policy_none_keeps_every_outlier_out_and_says_which_were_clustered():
    X = _unit([1, 0], [1, 0], [1, 0.01])
    labels, how = place_outliers(np.array([0, 0, NO_THEME]), X, load_config(**{"outliers.policy": "none"}).outliers)
    assert labels.tolist() == [0, 0, NO_THEME] and how.tolist() == ["cluster", "cluster", ""]



def _graph(rows):
    """A neighbour graph in `cosine_knn`'s layout from {quote: [(neighbour, cosine), ...]}, each quote first."""
    k = max(len(neighbours) for neighbours in rows.values())
    indices = np.array([[q] + [n for n, _ in rows[q]] + [q] * (k - len(rows[q])) for q in sorted(rows)])
    distances = np.array([[0.0] + [1.0 - c for _, c in rows[q]] + [1.0] * (k - len(rows[q])) for q in sorted(rows)])
    return indices, distances


# Theme 0 is broad (its centroid near the axis [1, 0]), theme 1 tight around [0.6, 0.8]; quote 6 lies
# nearer theme 1's centroid, but its nearest quotes are theme 0's far end (quotes 2, 3).
_BROAD_AND_TIGHT = _unit([1, 0], [1, 0.05], [0.45, 0.9], [0.5, 0.87], [0.6, 0.8], [0.62, 0.78], [0.5, 0.86])
_THEIR_GRAPH = _graph({0: [(1, 1.0)], 1: [(0, 1.0)], 2: [(3, 1.0), (6, 0.99)], 3: [(2, 1.0), (6, 1.0)],
                       4: [(5, 1.0)], 5: [(4, 1.0)], 6: [(3, 1.0), (2, 0.99), (4, 0.99)]})


def test_under_the_neighbours_policy_an_outlier_follows_its_nearest_quotes_not_the_nearest_centroid():
    labels = np.array([0, 0, 0, 0, 1, 1, NO_THEME])
    neighbours = load_config(**{"outliers.policy": "neighbours"}).outliers
    centroid = load_config(**{"outliers.policy": "nearest"}).outliers
    placed, how = place_outliers(labels, _BROAD_AND_TIGHT, neighbours, _THEIR_GRAPH)
    assert placed[6] == 0 and how[6] == "nearest"
    assert place_outliers(labels, _BROAD_AND_TIGHT, centroid, _THEIR_GRAPH)[0][6] == 1
    assert place_outliers(labels, _BROAD_AND_TIGHT, neighbours, None)[0][6] == 1  # no graph: the centroid


def test_the_neighbours_policy_keeps_an_outlier_out_that_resembles_no_theme_whatever_its_neighbours():
    X = _unit([1, 0, 0], [1, 0.05, 0], [0, 0, 1])
    graph = _graph({0: [(1, 1.0)], 1: [(0, 1.0)], 2: [(0, 0.9)]})  # a graph that says otherwise is overruled
    config = load_config(**{"outliers.policy": "neighbours"}).outliers
    placed, how = place_outliers(np.array([0, 0, NO_THEME]), X, config, graph)
    assert placed.tolist() == [0, 0, NO_THEME] and how.tolist() == ["cluster", "cluster", ""]


def test_the_surest_outliers_are_placed_first_and_then_count_as_neighbours():
    # Quote 3 touches theme 0 weakly (0.5) and quote 2 closely (0.95); quote 2 sits beside theme 1's core.
    # Placed all at once, quote 3 would join theme 0, the only theme among its neighbours at the time.
    X = _unit([1, 0], [0, 1], [0.1, 1], [0.5, 1])
    graph = _graph({0: [(3, 0.5)], 1: [(2, 0.9)], 2: [(1, 0.9), (3, 0.95)], 3: [(2, 0.95), (0, 0.5)]})
    config = load_config(**{"outliers.policy": "neighbours"}).outliers
    placed, _ = place_outliers(np.array([0, 1, NO_THEME, NO_THEME]), X, config, graph)
    assert placed.tolist() == [0, 1, 1, 1]


def test_an_outlier_the_spreading_cannot_reach_goes_to_its_nearest_centroid():
    X = _unit([1, 0], [1, 0.05], [0, 1], [0.05, 1], [0.2, 1])
    graph = _graph({0: [(1, 1.0)], 1: [(0, 1.0)], 2: [(3, 1.0)], 3: [(2, 1.0)], 4: [(4, 1.0)]})  # 4: only itself
    config = load_config(**{"outliers.policy": "neighbours"}).outliers
    placed, how = place_outliers(np.array([0, 0, 1, 1, NO_THEME]), X, config, graph)
    assert placed[4] == 1 and how[4] == "nearest"


def test_centroids_are_unit_mean_directions_and_a_zero_mean_stays_zero():
    X = np.array([[3.0, 0.0], [0.0, 3.0], [1.0, 0.0], [-1.0, 0.0], [5.0, 5.0]])
    centroids = theme_centroids(np.array([2, 2, 0, 0, NO_THEME]), X)
    assert sorted(centroids) == [0, 2]
    np.testing.assert_allclose(centroids[2], [np.sqrt(0.5), np.sqrt(0.5)])
    assert centroids[0].tolist() == [0.0, 0.0]  # opposite quotes cancel: no direction, and no NaN


def test_the_log_says_how_many_outliers_were_placed_and_nothing_else(caplog):
    X = _unit([1, 0, 0], [1, 0.1, 0], [1, 0.05, 0.1], [0, 0, 1])
    with caplog.at_level("INFO", logger="pipeline.themes.cluster"):
        place_outliers(np.array([0, 0, NO_THEME, NO_THEME]), X, load_config().outliers)
    assert caplog.messages == ["outlier policy placed 1 of 2 outliers (1 by centroid)"]



def _at_angles(reduced):
    """Vectors pointing the way their reduced coordinate says: both spaces agree."""
    angles = np.asarray(reduced, dtype=np.float64)[:, 0]
    return np.c_[np.cos(angles), np.sin(angles)]


def test_refinement_moves_a_border_quote_to_the_theme_whose_centre_is_nearer():
    # Theme 7 holds a quote at 0.3, nearer theme 3's centre (0.1) than its own (0.8 once it leaves).
    reduced = np.array([[0.0], [0.1], [0.2], [0.3], [0.8], [0.9], [0.7], [1.5]])
    labels = np.array([3, 3, 3, 7, 7, 7, 7, NO_THEME])
    refined = refine_boundaries(labels, reduced, _at_angles(reduced), 100)
    assert refined.tolist() == [3, 3, 3, 3, 7, 7, 7, NO_THEME]  # themes keep their ids; no theme stays none
    assert labels[3] == 7  # the input is left as it was


def test_a_quote_stays_when_its_vector_is_closer_to_its_own_theme():
    # The same reduced layout, but the border quote's vector lies with theme 7's.
    reduced = np.array([[0.0], [0.1], [0.2], [0.3], [0.8], [0.9], [0.7]])
    vectors = _at_angles(reduced)
    vectors[3] = _at_angles(np.array([[0.85]]))[0]
    labels = np.array([3, 3, 3, 7, 7, 7, 7])
    assert refine_boundaries(labels, reduced, vectors, 100).tolist() == labels.tolist()


def test_refinement_starts_from_the_themes_found_so_their_number_and_places_stay():
    rng = np.random.default_rng(0)
    reduced = np.vstack([centre + 0.05 * rng.standard_normal((10, 2)) for centre in ([0, 0], [1, 0], [0, 1])])
    labels = np.repeat([0, 1, 2], 10)
    assert np.array_equal(refine_boundaries(labels, reduced, reduced + 1.0, 300), labels)


def test_no_rounds_or_a_single_theme_leave_the_labels_as_they_are():
    reduced = np.array([[0.0], [0.1], [0.3], [0.8], [0.9]])
    labels = np.array([0, 0, 1, 1, 1])
    assert refine_boundaries(labels, reduced, _at_angles(reduced), 0).tolist() == [0, 0, 1, 1, 1]
    single = np.array([0, 0, 0, NO_THEME, 0])
    assert refine_boundaries(single, reduced, _at_angles(reduced), 100).tolist() == single.tolist()


class _EveryCentre:
    """The nearest centres by comparing every point with every centre, each round anew."""

    def __init__(self, points):
        self.points = points

    def __call__(self, centres):
        return ((self.points[:, None, :] - centres[None, :, :]) ** 2).sum(axis=2).argmin(axis=1)


def test_the_border_refinement_moves_each_quote_towards_the_centre_a_full_comparison_finds_nearest(monkeypatch):
    # The nearest centres come from a k-d tree searched only where a border may have moved (the whole
    # quotes x themes matrix of 100,000 quotes and 5,000 themes would be 4 GB); comparing every quote
    # with every centre in every round must give the same themes.
    from pipeline.themes import cluster

    rng = np.random.default_rng(0)
    reduced = rng.normal(size=(300, 5))
    embeddings = reduced @ rng.normal(size=(5, 16))
    labels = np.where(np.arange(300) % 17 == 0, -1, (reduced[:, 0] > 0).astype(int) + 2 * (reduced[:, 1] > 0))
    refined = cluster.refine_boundaries(labels, reduced, embeddings, 20)
    monkeypatch.setattr(cluster, "_NearestCentre", _EveryCentre)
    assert np.array_equal(cluster.refine_boundaries(labels, reduced, embeddings, 20), refined)
    assert not np.array_equal(refined, labels)  # the refinement moved quotes: the comparison says something


def _plain_refinement(labels, reduced, embeddings, max_iter):
    """The border refinement written plainly: every centre, closeness and comparison anew each round."""
    labels = labels.copy()
    unit = embeddings / np.linalg.norm(embeddings, axis=1, keepdims=True)
    for _ in range(max_iter):
        themes = sorted(set(labels.tolist()) - {NO_THEME})
        centres = np.array([reduced[labels == t].mean(axis=0) for t in themes])
        closeness = np.array([unit[labels == t].mean(axis=0) for t in themes])
        moves = {}
        for i in np.flatnonzero(labels != NO_THEME):
            to = int(((reduced[i] - centres) ** 2).sum(axis=1).argmin())
            own = themes.index(labels[i])
            if to != own and unit[i] @ closeness[to] > unit[i] @ closeness[own]:
                moves[i] = themes[to]
        if not moves:
            break
        for i, theme in moves.items():
            labels[i] = theme
    return labels


@pytest.mark.parametrize("seed", range(4))
def test_the_border_refinement_weighs_again_only_what_changed_and_ends_where_the_plain_rounds_end(seed):
    # Refusals are kept while neither theme changes; in 2-D with vectors that disagree with the map
    # for some quotes, the rounds run on with refusals standing and themes changing around them.
    rng = np.random.default_rng(seed)
    reduced = np.r_[rng.normal(size=(150, 2)) * 0.6 + [0, 0], rng.normal(size=(150, 2)) * 0.6 + [1.5, 0],
                    rng.normal(size=(150, 2)) * 0.6 + [0.7, 1.3]]
    embeddings = np.c_[reduced, rng.normal(size=(450, 3)) * 0.8]
    labels = np.where(np.arange(450) % 23 == 0, NO_THEME, rng.integers(0, 30, 450))
    refined = refine_boundaries(labels, reduced, embeddings, 40)
    assert np.array_equal(refined, _plain_refinement(labels, reduced, embeddings, 40))
    assert (refined != labels).mean() > 0.5  # the rounds moved most quotes: the comparison says something


def test_the_nearest_centre_is_searched_among_all_only_where_its_own_moved_and_is_always_the_true_nearest(
        monkeypatch):
    from pipeline.themes import cluster

    rng = np.random.default_rng(1)
    points = rng.normal(size=(2000, 4))
    centres = rng.normal(size=(40, 4))
    searched = []
    search = cluster._NearestCentre._search
    monkeypatch.setattr(cluster._NearestCentre, "_search",
                        lambda self, which, centres: (searched.append((len(which), len(centres))),
                                                      search(self, which, centres))[1])
    nearest, every = cluster._NearestCentre(points), _EveryCentre(points)
    for step in range(12):  # as in Lloyd's rounds, fewer and fewer centres move, and less and less far
        moving = rng.random(len(centres)) < 0.5 / (step + 1)
        centres = centres + moving[:, None] * rng.normal(scale=0.3 / (step + 1), size=centres.shape)
        assert np.array_equal(nearest(centres), every(centres)), step
    assert searched[0] == (len(points), len(centres))
    pairs = sum(n_points * n_centres for n_points, n_centres in searched[1:])
    assert pairs < 0.25 * len(points) * len(centres) * 11  # most points were compared with few centres
    nearest(centres[:-1])  # a theme gone: every point is searched again
    assert searched[-1] == (len(points), len(centres) - 1)


def test_a_point_takes_a_centre_that_came_closer_or_leaves_its_own_when_that_moved_away():
    from pipeline.themes import cluster

    nearest = cluster._NearestCentre(np.array([[4.4], [5.6]]))
    assert nearest(np.array([[0.0], [10.0], [20.0]])).tolist() == [0, 1]
    assert nearest(np.array([[0.0], [10.0], [5.0]])).tolist() == [2, 2]  # only the third moved, closer to both
    assert nearest(np.array([[-2.0], [10.0], [30.0]])).tolist() == [1, 1]  # their own moved away


def test_hdbscan_runs_as_the_parallel_one_from_fast_from_quotes_on_and_as_its_own_below_or_when_off():
    cluster = load_config().cluster.__class__(**{**load_config().cluster.__dict__, "fast_from": 1000})
    assert isinstance(make_clusterer(cluster, 1000, 0), FastHDBSCAN)
    assert type(make_clusterer(cluster, 999, 0)).__module__.startswith("hdbscan")
    off = cluster.__class__(**{**cluster.__dict__, "fast_from": 0})
    assert type(make_clusterer(off, 10**6, 0)).__module__.startswith("hdbscan")


def test_the_parallel_hdbscan_finds_the_themes_hdbscan_finds_and_clones_for_the_refits():
    from sklearn.base import clone
    from sklearn.metrics import adjusted_rand_score

    rng = np.random.default_rng(0)
    centres = rng.normal(size=(6, 5)) * 4
    X = np.vstack([c + rng.normal(scale=0.3, size=(40, 5)) for c in centres] + [rng.uniform(-8, 8, size=(20, 5))])
    cluster = load_config().cluster
    own = make_clusterer(cluster, len(X), 0).fit_predict(X)  # below fast_from: hdbscan's own
    fast = FastHDBSCAN(min_cluster_size=cluster.min_cluster_size, min_samples=cluster.min_samples,
                       selection=cluster.selection)
    labels = fast.fit_predict(X)
    assert len(set(labels.tolist()) - {NO_THEME}) == 6
    assert adjusted_rand_score(own, labels) > 0.99
    assert (clone(fast).fit_predict(X) == labels).all()


def test_where_numba_can_keep_no_compiled_code_fast_hdbscan_is_loaded_again_without_its_cache(monkeypatch):
    import os

    from pipeline.themes.cluster import _load_fast_hdbscan

    monkeypatch.setenv("FAST_HDBSCAN_NUMBA_CACHE", "true")  # its default; restored after the test
    calls = []

    def import_module(name):
        calls.append(os.environ.get("FAST_HDBSCAN_NUMBA_CACHE"))
        if len(calls) == 1:
            raise RuntimeError("cannot cache function: no locator available for file")
        return "the module"

    assert _load_fast_hdbscan(import_module) == "the module"
    assert calls == ["true", "false"]

import numpy as np
from sklearn.cluster import KMeans
from sklearn.decomposition import PCA

from pipeline.config import load_config
from pipeline.themes.cache import FitCache, fit_settings
from pipeline.themes.label import CTfidfLabeller
from pipeline.themes.model import ThemeModel, build_theme_model


class CountingKMeans(KMeans):
    calls = 0

    def fit_predict(self, X, y=None, sample_weight=None):
        CountingKMeans.calls += 1
        return super().fit_predict(X)


def _vectors(seed=0):
    rng = np.random.default_rng(seed)
    centres = np.eye(16)[:3] * 4
    return np.vstack([c + 0.1 * rng.normal(size=(10, 16)) for c in centres]).astype(np.float32)


def _model(cache):
    return ThemeModel(PCA(4), CountingKMeans(3, n_init=2, random_state=0), CTfidfLabeller(),
                      load_config().outliers, cache=cache)


TERMS = [["rota okonkwo"]] * 10 + [["casework backlog"]] * 10 + [["phone queue"]] * 10


def test_a_second_fit_on_the_same_vectors_reuses_the_clustering_but_relabels(tmp_path):
    X = _vectors()
    first = _model(FitCache(tmp_path, {"k": 3})).fit(X, TERMS)
    calls = CountingKMeans.calls
    cache = FitCache(tmp_path, {"k": 3})
    renamed = [["new words"] if t == ["rota okonkwo"] else t for t in TERMS]
    second = _model(cache).fit(X, renamed)
    assert CountingKMeans.calls == calls and cache.hits == 1
    assert np.array_equal(first.labels_, second.labels_) and np.array_equal(first.map_, second.map_)
    assert list(first.placed_by_) == list(second.placed_by_)
    theme = int(second.labels_[0])
    assert second.keywords_[theme] != first.keywords_[theme]  # key phrases come from this run's quotes


def test_other_settings_or_other_vectors_miss(tmp_path):
    X = _vectors()
    _model(FitCache(tmp_path, {"k": 3})).fit(X, TERMS)
    other_settings = FitCache(tmp_path, {"k": 4})
    _model(other_settings).fit(X, TERMS)
    other_vectors = FitCache(tmp_path, {"k": 3})
    _model(other_vectors).fit(_vectors(seed=1), TERMS)
    assert other_settings.hits == 0 and other_vectors.hits == 0


def _fit_again_with(tmp_path, **settings):
    """A fit cached under the defaults, then the same vectors fitted again with `settings` changed on the model."""
    X = _vectors()
    _model(FitCache(tmp_path, {"k": 3})).fit(X, TERMS)
    cache = FitCache(tmp_path, {"k": 3})
    model = _model(cache)
    for name, value in settings.items():
        setattr(model, name, value)
    model.fit(X, TERMS)
    return cache, model


def test_a_fit_under_another_theme_limit_misses(tmp_path):
    limited, model = _fit_again_with(tmp_path, max_themes=2)
    assert limited.hits == 0 and len(model.centroids_) == 2


def test_a_fit_under_another_border_refinement_misses(tmp_path):
    refined, _ = _fit_again_with(tmp_path, refine_iterations=10)
    assert refined.hits == 0


def test_refits_are_cached_per_subset(tmp_path):
    X = _vectors()
    model = _model(FitCache(tmp_path, {"k": 3})).fit(X, TERMS)
    subset = np.arange(0, 30, 2)
    first = model.refit_labels(X, subset)
    calls = CountingKMeans.calls
    assert np.array_equal(model.refit_labels(X, subset), first) and CountingKMeans.calls == calls
    model.refit_labels(X, np.arange(1, 30, 2))
    assert CountingKMeans.calls == calls + 1


def test_the_cache_holds_no_words(tmp_path):
    _model(FitCache(tmp_path, {"k": 3})).fit(_vectors(), TERMS)
    stored = b"".join(p.read_bytes() for p in tmp_path.iterdir())
    assert stored and not any(word.encode() in stored for word in ("okonkwo", "casework", "rota", "queue"))


def test_the_settings_a_fit_depends_on_exclude_the_report(tmp_path):
    config = load_config()
    retitled = config.replace(**{"report.title": "Another title", "label.n_keywords": 3})
    assert fit_settings(config, True) == fit_settings(retitled, True)
    assert fit_settings(config, True) != fit_settings(config.replace(seed=7), True)
    assert build_theme_model(config, cache_dir=tmp_path).cache is not None
    assert build_theme_model(config).cache is None

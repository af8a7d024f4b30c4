import numpy as np
import pandas as pd

from pipeline import schema
from pipeline.config import load_config
from pipeline.themes.cluster import theme_centroids
from pipeline.themes.context import add_theme_context, is_loose, run_cohesion, theme_cohesion
from pipeline.themes.echo import echo_shares
from pipeline.themes.hierarchy import group_themes
from pipeline.themes.stability import theme_stability


def test_groups_never_exceed_max_and_similar_themes_share_one():
    rng = np.random.default_rng(0)
    centroids = {t: v / np.linalg.norm(v) for t, v in enumerate(rng.standard_normal((12, 8)))}
    centroids[12] = centroids[0] + 0.01
    groups = group_themes(centroids, {t: 10 for t in centroids}, max_groups=4)
    assert set(groups.values()) <= {0, 1, 2, 3}
    assert groups[12] == groups[0]


def test_stability_is_low_for_a_theme_that_refits_scatter():
    labels = np.array([0] * 10 + [1] * 10)
    scattered = lambda idx: np.where(labels[idx] == 0, 0, np.arange(len(idx)) % 5 + 1)  # noqa: E731
    scores = theme_stability(labels, scattered, n_refits=3, random_state=1)
    assert scores[0] == 1.0 and scores[1] < 0.5


def test_a_theme_answering_questions_about_itself_echoes_the_interviewer():
    centroid = np.array([1.0, 0.0])
    shares = echo_shares(np.array([0, 0, 0]), [centroid, centroid, np.array([0.0, 1.0])], {0: centroid}, 0.5)
    assert shares[0] == round(2 / 3, 4)


def _tables():
    quotes = pd.DataFrame({schema.THEME_ID: [0, 0, 1, 1, -1], schema.QUOTE_ID: [f"q-{i}" for i in range(5)],
                           schema.TEXT: ["We set up a duty rota for the phones.", "The duty rota helped a lot.",
                                         "The budget was cut again this spring.", "Budget cuts hit the crews.",
                                         "Nothing much."]})
    themes = pd.DataFrame({schema.THEME_ID: [0, 1], schema.LABEL: ["duty rota", "budget"],
                           schema.KEYWORDS: ["duty rota; phones", "budget; crews"]})
    return themes, quotes


def test_context_columns_are_added_to_copies():
    themes, quotes = _tables()
    embeddings = np.array([[1, 0], [1, 0.1], [0, 1], [0.1, 1], [1, 1]], dtype=float)
    new_themes, new_quotes = add_theme_context(themes, quotes, embeddings, [None] * 5,
                                               lambda idx: quotes[schema.THEME_ID].to_numpy()[idx], load_config())
    assert list(new_quotes[schema.GROUP]) == [0, 0, 1, 1, -1] or list(new_quotes[schema.GROUP]) == [1, 1, 0, 0, -1]
    assert set(new_themes.columns) >= {schema.GROUP, schema.STABILITY, schema.ECHO_SHARE, schema.ECHOES_INTERVIEWER,
                                       schema.COHESION, schema.LOOSE, schema.HEADLINE, schema.HEADLINE_QUOTE_ID}
    assert schema.GROUP not in quotes.columns and schema.HEADLINE not in themes.columns
    # Theme 1's second quote says its label and a key phrase, the first only the label.
    assert new_themes[schema.HEADLINE].tolist() == ["We set up a duty rota for the phones.", "Budget cuts hit the crews."]
    assert new_themes[schema.HEADLINE_QUOTE_ID].tolist() == ["q-0", "q-3"]


def test_cohesion_is_the_mean_cosine_to_the_centre():
    labels = np.array([0, 0, 1, 1])
    embeddings = np.array([[1.0, 0.0], [0.0, 1.0], [3.0, 0.0], [2.0, 0.1]])
    closeness = theme_cohesion(labels, embeddings, theme_centroids(labels, embeddings))
    assert closeness[0] == round(np.cos(np.pi / 4), 4)
    assert 0.99 < closeness[1] <= 1.0


def test_a_theme_is_loose_when_it_does_not_come_back_or_does_not_cohere():
    themes, quotes = _tables()
    embeddings = np.array([[1, 0], [1, 0.1], [0, 1], [-0.2, 1], [1, 1]], dtype=float)
    labels = quotes[schema.THEME_ID].to_numpy()
    scatter_theme_1 = lambda idx: np.where(labels[idx] == 0, 0, np.arange(len(idx)) + 1)  # noqa: E731
    config = load_config(**{"themes.stability_refits": 3, "themes.loose_stability": 0.6})
    new_themes, _ = add_theme_context(themes, quotes, embeddings, [None] * 5, scatter_theme_1, config)
    assert new_themes[schema.LOOSE].tolist() == [0, 1]  # theme 1 comes back in halves at best


def test_cohesion_flags_a_theme_hardly_tighter_than_the_whole_run():
    config = load_config()
    baseline = run_cohesion(np.array([0, 0, 1, 1, -1]), np.array([[1, 0], [1, 0], [0, 1], [0, 1], [5, 5]], float))
    assert baseline == round(np.cos(np.pi / 4), 4)  # the quote in no theme does not count
    assert is_loose(1.0, baseline + 0.05, baseline, config)
    assert not is_loose(1.0, baseline + 0.2, baseline, config)
    assert not is_loose(float("nan"), baseline + 0.2, baseline, config)  # no refits: stability flags nothing
    assert is_loose(0.3, baseline + 0.2, baseline, config)

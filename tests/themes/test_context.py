import numpy as np
import pandas as pd

from pipeline import schema
from pipeline.config import load_config
from pipeline.themes.context import add_theme_context
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


def test_context_columns_are_added_to_copies():
    quotes = pd.DataFrame({schema.THEME_ID: [0, 0, 1, 1, -1]})
    themes = pd.DataFrame({schema.THEME_ID: [0, 1]})
    embeddings = np.array([[1, 0], [1, 0.1], [0, 1], [0.1, 1], [1, 1]], dtype=float)
    new_themes, new_quotes = add_theme_context(themes, quotes, embeddings, [None] * 5,
                                               lambda idx: quotes[schema.THEME_ID].to_numpy()[idx], load_config())
    assert list(new_quotes[schema.GROUP]) == [0, 0, 1, 1, -1] or list(new_quotes[schema.GROUP]) == [1, 1, 0, 0, -1]
    assert set(new_themes.columns) >= {schema.GROUP, schema.STABILITY, schema.ECHO_SHARE, schema.ECHOES_INTERVIEWER}
    assert schema.GROUP not in quotes.columns

"""Quote vectors to themes: reduce, cluster, place outliers, label.

`ThemeModel` follows the scikit-learn estimator contract; the reducer,
clusterer and labeller are passed in by role (see `build_theme_model`), so a
test can swap UMAP for PCA and a user can do the same from the config.
"""
from .model import ThemeModel, build_theme_model

__all__ = ["ThemeModel", "build_theme_model"]

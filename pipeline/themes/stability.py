"""How much a theme survives re-clustering on bootstrap samples of its quotes.

BERTopic users' first complaint is themes that change between runs. Our
default clustering does not depend on the seed, so a seed-only check would
always read 1.0; a theme's robustness to *which* quotes were collected is the
more telling question. Each refit clusters a random `fraction` of the quotes
(drawn from the run's seed); per refit, a theme scores the best Jaccard
overlap between its members in the sample and any refitted theme;
`stability` is the mean over refits, in [0, 1]. A theme at 0.9 comes back
almost whole; one at 0.3 is an artefact of these particular quotes.
"""
from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..schema import NO_THEME


def theme_stability(labels: np.ndarray, refit: Callable[[np.ndarray], np.ndarray], n_refits: int,
                    random_state: int, fraction: float = 0.9) -> dict[int, float]:
    """Theme id -> mean best Jaccard overlap with the themes of `n_refits` subsample refits.

    `refit(indices)` clusters the quotes at `indices` and returns their labels.

    Examples
    --------
    >>> labels = np.array([0, 0, 0, 1, 1, 1])
    >>> theme_stability(labels, lambda idx: labels[idx], n_refits=2, random_state=0)
    {0: 1.0, 1: 1.0}
    """
    themes = sorted(set(labels.tolist()) - {NO_THEME})
    if n_refits <= 0:
        return {t: float("nan") for t in themes}
    rng = np.random.default_rng(random_state)
    n = len(labels)
    totals = {t: 0.0 for t in themes}
    for _ in range(n_refits):
        sample = np.sort(rng.choice(n, size=max(1, int(round(fraction * n))), replace=False))
        refitted = np.asarray(refit(sample))
        for t, best in _best_jaccard(labels[sample], refitted, themes).items():
            totals[t] += best
    return {t: round(totals[t] / n_refits, 4) for t in themes}


def _best_jaccard(original: np.ndarray, refitted: np.ndarray, themes: list[int]) -> dict[int, float]:
    """Per theme present in `original`: its largest Jaccard overlap with a theme of `refitted`.

    Both label the same quotes. The overlaps come from one contingency table
    (|A ∩ B| counted, |A ∪ B| = |A| + |B| - |A ∩ B|), not from a set
    intersection per pair of themes: 376 x 376 pairs took seconds.
    """
    clusters = sorted(set(refitted.tolist()) - {NO_THEME})
    row = {t: i for i, t in enumerate(themes)}
    column = {c: j for j, c in enumerate(clusters)}
    both = np.zeros((len(themes), len(clusters)), dtype=np.int64)
    keep = np.array([o in row and r in column for o, r in zip(original.tolist(), refitted.tolist())], dtype=bool)
    np.add.at(both, ([row[o] for o in original[keep].tolist()], [column[r] for r in refitted[keep].tolist()]), 1)
    sizes = {t: int((original == t).sum()) for t in themes}
    cluster_sizes = np.array([int((refitted == c).sum()) for c in clusters], dtype=np.int64)
    best = {}
    for t in themes:
        if sizes[t]:
            shared = both[row[t]]
            best[t] = float((shared / (sizes[t] + cluster_sizes - shared)).max()) if len(clusters) else 0.0
    return best

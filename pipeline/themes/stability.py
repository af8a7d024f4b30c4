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

from typing import Callable

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
        others = [set(sample[refitted == o]) for o in set(refitted.tolist()) - {NO_THEME}]
        for t in themes:
            members = set(sample[labels[sample] == t])
            if members:
                totals[t] += max((len(members & m) / len(members | m) for m in others), default=0.0)
    return {t: round(totals[t] / n_refits, 4) for t in themes}

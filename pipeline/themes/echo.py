"""Flag themes that mostly echo the interviewer's own questions.

A theme raised in every conversation may be common ground, or just the
consultant's agenda: everyone talks about the phones because everyone was
asked about the phones. For each quote we take the interviewer turn that
came just before it in the same conversation (its prompt,
`segment.preceding_prompts`); a theme echoes
the interviewer when more than `echo_share` of its quotes answer a prompt
whose vector lies within `echo_similarity` (cosine) of the theme's centroid.
"""
from __future__ import annotations

import numpy as np


def echo_shares(labels: np.ndarray, prompt_vectors: list[np.ndarray | None], centroids: dict[int, np.ndarray],
                similarity: float) -> dict[int, float]:
    """Theme id -> share of its quotes whose prompt is close to the theme's centroid.

    Examples
    --------
    >>> c = {0: np.array([1.0, 0.0])}
    >>> echo_shares(np.array([0, 0]), [np.array([1.0, 0.0]), None], c, 0.5)
    {0: 0.5}
    """
    shares = {}
    for theme, centroid in centroids.items():
        members = np.flatnonzero(labels == theme)
        close = [prompt_vectors[i] is not None and float(prompt_vectors[i] @ centroid) >= similarity for i in members]
        shares[theme] = round(float(np.mean(close)), 4) if len(close) else 0.0
    return shares

"""Flag themes that mostly echo the interviewer's own questions.

A theme raised in every conversation may be common ground, or just the
consultant's agenda: everyone talks about the phones because everyone was
asked about the phones. For each quote we take the interviewer turn that
came just before it in the same conversation (its prompt); a theme echoes
the interviewer when more than `echo_share` of its quotes answer a prompt
whose vector lies within `echo_similarity` (cosine) of the theme's centroid.
"""
from __future__ import annotations

import bisect

import numpy as np
import pandas as pd

from .. import schema


def preceding_prompts(quotes: pd.DataFrame, turns: pd.DataFrame) -> list[int | None]:
    """For each quote, the row position in `turns` of the last interviewer turn before it, or None."""
    prompts: dict[str, list[tuple[int, int]]] = {}
    for position, row in enumerate(turns.itertuples(index=False)):
        if getattr(row, schema.ROLE) == schema.ROLE_INTERVIEWER:
            prompts.setdefault(getattr(row, schema.TRANSCRIPT_ID), []).append((int(getattr(row, schema.TURN)), position))
    for listed in prompts.values():
        listed.sort()
    turn_numbers = {transcript: [t for t, _ in listed] for transcript, listed in prompts.items()}
    found = []
    for transcript, turn in zip(quotes[schema.TRANSCRIPT_ID], quotes[schema.TURN]):
        before = bisect.bisect_left(turn_numbers.get(transcript, []), int(turn))  # prompts with turn < this one
        found.append(prompts[transcript][before - 1][1] if before else None)
    return found


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

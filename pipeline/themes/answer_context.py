"""Read each quote in the context of its answer: blend its vector with its neighbours'.

A quote unit is a sentence or two, and a sentence alone often does not say
what it is about: "we lost three in a year and the ones we kept were
exhausted" is about staffing only because of the sentences around it. A
coder reading a transcript assigns it by its context; a sentence embedding
cannot. So before clustering, each quote's vector v_i becomes

    v_i + weight * sum over neighbours j of v_j / d(i, j)

renormalised, where the neighbours are the quote units at most `window`
units away (d = 1, 2, ...) in the same **answer block**: the run of
participant speech between two interviewer turns of one conversation. A
neighbour one unit away counts twice as much as one two units away; nothing
crosses an interviewer's question, which is where the topic usually changes.
`weight = 0` turns the blending off.

On the bundled sample, weight 0.5 and window 2 let five of the six planted
shared dilemmas form a theme of their own (four without it); the quality
benchmark reports the effect on every public set (README, "Theme quality").
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .. import schema
from ..segment import preceding_prompts


def answer_blocks(quotes: pd.DataFrame, turns: pd.DataFrame) -> np.ndarray:
    """Per quote, an integer naming its answer block: its conversation and the interviewer turn before it.

    Quotes before any interviewer turn (or in a conversation without one)
    form one block per conversation.

    Examples
    --------
    >>> turns = pd.DataFrame({"transcript_id": ["a"] * 4, "turn": [0, 1, 2, 3],
    ...                       "role": ["interviewer", "participant", "interviewer", "participant"]})
    >>> quotes = pd.DataFrame({"transcript_id": ["a", "a", "a"], "turn": [1, 1, 3]})
    >>> answer_blocks(quotes, turns).tolist()
    [0, 0, 1]
    """
    prompts = preceding_prompts(quotes, turns)
    keys = pd.Series([f"{transcript}\x00{-1 if p is None else p}"
                      for transcript, p in zip(quotes[schema.TRANSCRIPT_ID], prompts)], dtype=object)
    return pd.factorize(keys)[0]


def reading_order(quotes: pd.DataFrame) -> np.ndarray:
    """Row positions of `quotes` in the order they were spoken: by conversation, turn, then place in the turn."""
    start = quotes[schema.CHAR_START] if schema.CHAR_START in quotes else pd.Series(0, index=quotes.index)
    return np.lexsort((start.to_numpy(), quotes[schema.TURN].to_numpy(),
                       pd.factorize(quotes[schema.TRANSCRIPT_ID])[0]))


def blend_neighbours(vectors: np.ndarray, blocks: np.ndarray, order: np.ndarray,
                     weight: float, window: int) -> np.ndarray:
    """Each vector plus `weight` x its block neighbours' vectors divided by their distance, renormalised.

    Parameters
    ----------
    vectors : (n, d) unit vectors, one per quote.
    blocks : (n,) answer block per quote (`answer_blocks`); the blending never crosses a block.
    order : the quotes' positions in reading order (`reading_order`); neighbours are
        adjacent in it.
    weight, window : see the module docstring; weight 0 or window 0 returns a copy.

    Examples
    --------
    >>> v = np.array([[1.0, 0.0], [0.0, 1.0], [0.0, 1.0]])
    >>> (100 * blend_neighbours(v, np.array([0, 0, 1]), np.arange(3), 1.0, 1)).round().astype(int).tolist()
    [[71, 71], [71, 71], [0, 100]]
    """
    vectors = np.asarray(vectors, dtype=np.float32)
    if weight <= 0 or window <= 0 or len(vectors) < 2:
        return vectors.copy()
    spoken = vectors[order]
    block = np.asarray(blocks)[order]
    context = np.zeros_like(spoken)
    for distance in range(1, min(window, len(spoken) - 1) + 1):
        same = block[distance:] == block[:-distance]
        # Quote k gains its successor at k + distance, and that successor gains quote k.
        context[:-distance][same] += spoken[distance:][same] / distance
        context[distance:][same] += spoken[:-distance][same] / distance
    blended = spoken + np.float32(weight) * context
    blended /= np.linalg.norm(blended, axis=1, keepdims=True).clip(min=1e-12)
    out = np.empty_like(blended)
    out[order] = blended
    return out


def vectors_in_context(vectors: np.ndarray, quotes: pd.DataFrame, turns: pd.DataFrame,
                       weight: float, window: int) -> np.ndarray:
    """`vectors` (aligned with `quotes`) blended with their neighbours in the same answer block."""
    if weight <= 0 or window <= 0:
        return np.asarray(vectors, dtype=np.float32).copy()
    return blend_neighbours(vectors, answer_blocks(quotes, turns), reading_order(quotes), weight, window)

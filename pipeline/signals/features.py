"""The features the learned detectors read, built from a quote table: the five blocks of `BLOCKS`.

`unit` (the unit's sentence vector), `context` (the mean vector of its
neighbours in the same answer), `prompt` (the vector of the question it
answers), `cues` (one 0/1 per rule cue) and `words` (closed-class words,
their pairs, and the word that opens the unit). Kept apart from the detectors themselves (`learned`) so the
training script builds exactly what a run scores.
"""
from __future__ import annotations

import logging
import re
from collections.abc import Sequence

import numpy as np
import pandas as pd

from .. import schema
from ..segment import preceding_prompts
from .patterns import CHANGE_CUE, DECISION_DEP_PATTERNS, MATCHER_PATTERNS, WHY_CUE
from .principles import PRINCIPLE_CUE

logger = logging.getLogger(__name__)

BLOCKS = ("unit", "context", "prompt", "cues", "words")

# Cues the detectors do not weigh: an answer to "So what did you do?" is a decision by where it
# stands, a rule of the interview's shape that the labelled meetings and essays never show
# (no interviewer asks it there), so there is nothing to learn a weight from. A principle stated
# is a reason by the dilemmas stage's rule (it comes first among a decision's reasons), whatever
# score the detectors give its words.
UNWEIGHED_CUES = frozenset({f"decision:{CHANGE_CUE}", f"rationale:{PRINCIPLE_CUE}"})


def all_cue_names() -> list[str]:
    """Every rule cue as `kind:name`, sorted: the cue block's columns.

    Examples
    --------
    >>> names = all_cue_names()
    >>> "decision:decided_to" in names and "rationale:answers_why" in names
    True
    """
    names = {f"{kind}:{name}" for kind, patterns in MATCHER_PATTERNS for name in patterns}
    names |= {f"decision:{name}" for name in DECISION_DEP_PATTERNS}
    names.add(f"rationale:{WHY_CUE}")
    return sorted(names)


def cue_matrix(cues: Sequence[str], names: Sequence[str]) -> np.ndarray:
    """0/1 matrix, one row per `cues` entry ("dilemma:weigh_up; decision:we_decided"), one column per name.

    A cue missing from `names` (a pattern added after the detectors were
    trained) cannot be weighed: it is left out, with a warning to retrain.

    Examples
    --------
    >>> cue_matrix(["dilemma:weigh_up; decision:decided_to", ""], ["decision:decided_to", "dilemma:weigh_up"]).tolist()
    [[1.0, 1.0], [0.0, 0.0]]
    """
    column = {name: j for j, name in enumerate(names)}
    out = np.zeros((len(cues), len(names)), dtype=np.float32)
    unknown = set()
    for i, entry in enumerate(cues):
        for cue in str(entry or "").split(";"):
            cue = cue.strip()
            if not cue:
                continue
            if cue in column:
                out[i, column[cue]] = 1.0
            elif cue not in UNWEIGHED_CUES:
                unknown.add(cue)
    if unknown:
        logger.warning("learned detectors: cues %s are not in their feature layout and are ignored; "
                       "rebuild the detectors with `make train-signals`", sorted(unknown))
    return out


# Words, spaCy-style contractions ("do" "n't", "we" "'ll") and the punctuation that marks clause edges.
_WORD = re.compile(r"[a-z]+(?=n't)|n't|'[a-z]+|[a-z]+|[,.;:?!]")


def word_tokens(text: str) -> list[str]:
    """Lower-case tokens of `text`, the units of the `words` block.

    Examples
    --------
    >>> word_tokens("We didn't, but we’ll try.")
    ['we', 'did', "n't", ',', 'but', 'we', "'ll", 'try', '.']
    """
    return _WORD.findall(str(text).lower().replace("\u2019", "'"))


# Marks the start of a unit in `word_features`: a unit that opens with "But", "So" or "Because"
# answers or turns against what came before, which the same word inside a clause does not say.
START = "<s>"


def word_features(text: str) -> set[str]:
    """Every token, every pair of adjacent tokens ("a b"), and the first token after `START`, of `text`.

    Examples
    --------
    >>> sorted(word_features("But why?"))
    ['<s> but', '?', 'but', 'but why', 'why', 'why ?']
    """
    tokens = word_tokens(text)
    opening = {f"{START} {tokens[0]}"} if tokens else set()
    return set(tokens) | {f"{a} {b}" for a, b in zip(tokens, tokens[1:])} | opening


def word_matrix(texts: Sequence[str], vocabulary: Sequence[str]):
    """Sparse 0/1 matrix (scipy CSR), one row per text, one column per `vocabulary` entry it holds.

    Examples
    --------
    >>> word_matrix(["but why?", "so"], ["but why", "so", "why ?"]).toarray().tolist()
    [[1.0, 0.0, 1.0], [0.0, 1.0, 0.0]]
    """
    from scipy.sparse import csr_matrix

    column = {entry: j for j, entry in enumerate(vocabulary)}
    indptr, indices = [0], []
    for text in texts:
        indices.extend(sorted(column[f] for f in word_features(text) if f in column))
        indptr.append(len(indices))
    data = np.ones(len(indices), dtype=np.float64)
    return csr_matrix((data, np.array(indices, dtype=np.int64), np.array(indptr, dtype=np.int64)),
                      shape=(len(texts), len(vocabulary)))


def interview_context(quotes: pd.DataFrame, turns: pd.DataFrame) -> tuple[np.ndarray, list[int | None]]:
    """Per quote, its answer block and the row position in `turns` of the interviewer turn it answers.

    A block is one conversation's participant speech between two interviewer
    turns; quotes before any interviewer turn form one block per conversation.

    Examples
    --------
    >>> turns = pd.DataFrame({"transcript_id": ["a"] * 4, "turn": [0, 1, 2, 3],
    ...                       "role": ["interviewer", "participant", "interviewer", "participant"]})
    >>> quotes = pd.DataFrame({"transcript_id": ["a", "a", "a"], "turn": [1, 1, 3]})
    >>> blocks, prompts = interview_context(quotes, turns)
    >>> blocks.tolist(), prompts
    ([0, 0, 1], [0, 0, 2])
    """
    prompts = preceding_prompts(quotes, turns)
    keys = pd.Series([f"{transcript}\x00{-1 if p is None else p}"
                      for transcript, p in zip(quotes[schema.TRANSCRIPT_ID], prompts)], dtype=object)
    return pd.factorize(keys)[0], prompts


def context_vectors(unit_vectors: np.ndarray, blocks: np.ndarray, window: int) -> np.ndarray:
    """Mean vector of each unit's neighbours: the units at most `window` rows away in the same block.

    Rows must be in reading order within each block. A unit with no
    neighbour gets zeros, which the detectors read as "no context".

    Examples
    --------
    >>> v = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    >>> context_vectors(v, np.array([0, 0, 1]), 2).tolist()
    [[0.0, 1.0], [1.0, 0.0], [0.0, 0.0]]
    """
    vectors = np.asarray(unit_vectors, dtype=np.float32)
    blocks = np.asarray(blocks)
    total = np.zeros_like(vectors)
    count = np.zeros(len(vectors), dtype=np.float32)
    for distance in range(1, window + 1):
        if distance >= len(vectors):
            break
        same = blocks[distance:] == blocks[:-distance]
        total[:-distance][same] += vectors[distance:][same]
        total[distance:][same] += vectors[:-distance][same]
        count[:-distance][same] += 1
        count[distance:][same] += 1
    return total / np.maximum(count, 1)[:, None]


def _reading_order(quotes: pd.DataFrame) -> np.ndarray:
    start = quotes[schema.CHAR_START] if schema.CHAR_START in quotes else pd.Series(0, index=quotes.index)
    return np.lexsort((start.to_numpy(), quotes[schema.TURN].to_numpy(),
                       pd.factorize(quotes[schema.TRANSCRIPT_ID])[0]))


def feature_blocks(quotes: pd.DataFrame, turns: pd.DataFrame, unit_vectors: np.ndarray,
                   prompt_vectors: np.ndarray, detectors) -> dict[str, object]:
    """The five feature blocks of `quotes` (aligned with its rows), as `LearnedDetectors.score` takes them.

    Parameters
    ----------
    quotes : quote units with `transcript_id`, `turn`, `cues` (as
        `detect_signals` writes it), `embed_text` (or `text`) and, for the
        reading order within a turn, `char_start`.
    turns : the anonymised turns table, with `role`; interviewer turns delimit answers.
    unit_vectors : (n, d) the units' vectors, aligned with `quotes`.
    prompt_vectors : (n, d) per unit, the vector of the interviewer turn it
        answers, zeros when none (`prompt_vectors_for` builds it).
    detectors : whose layout (cue names, vocabulary, context window) to follow.
    """
    text_column = schema.EMBED_TEXT if schema.EMBED_TEXT in quotes else schema.TEXT
    schema.require_columns(quotes, [schema.TRANSCRIPT_ID, schema.TURN, "cues", text_column], "learned signals")
    unit_vectors = np.asarray(unit_vectors, dtype=np.float32)
    blocks, _ = interview_context(quotes, turns)
    order = _reading_order(quotes)
    context = np.empty_like(unit_vectors)
    context[order] = context_vectors(unit_vectors[order], blocks[order], detectors.context_window)
    return {"unit": unit_vectors, "context": context, "prompt": np.asarray(prompt_vectors, dtype=np.float32),
            "cues": cue_matrix(quotes["cues"].tolist(), detectors.cue_names),
            "words": word_matrix(quotes[text_column].tolist(), detectors.vocabulary)}


def prompt_vectors_for(quotes: pd.DataFrame, turns: pd.DataFrame, embedder, cache=None) -> np.ndarray:
    """Per quote, the vector of the interviewer turn it answers (placeholders neutralised), zeros when none."""
    from ..anonymise import neutralise_placeholders
    from ..embed import embed_texts

    prompts = preceding_prompts(quotes, turns)
    positions = sorted({p for p in prompts if p is not None})
    texts = [neutralise_placeholders(turns[schema.TEXT].iat[p]) for p in positions]
    vectors, _ = embed_texts(texts, embedder, cache)
    row_of = {p: i for i, p in enumerate(positions)}
    # With no interviewer turn at all the width is unknown here (0); the caller pads with zeros.
    out = np.zeros((len(prompts), vectors.shape[1] if positions else 0), dtype=np.float32)
    for i, p in enumerate(prompts):
        if p is not None:
            out[i] = vectors[row_of[p]]
    return out

"""Learned detectors: a dilemma, a decision and a rationale score in [0, 1] for every quote unit.

The cue rules (`detect`) say yes or no; these detectors read a unit in its
context and say how strongly. Each flag is one logistic regression over four
blocks of features:

- `unit`: the unit's sentence vector (the vector the embed stage computed);
- `context`: the mean vector of its neighbours in the same answer, the units
  at most `context_window` units away in the run of participant speech
  between two interviewer turns of one conversation (zeros when it stands alone);
- `prompt`: the vector of the interviewer turn it answers (zeros when none);
- `cues`: one 0/1 per rule cue (`kind:name`, as `detect_signals` writes them
  in the `cues` column);
- `words`: one 0/1 per entry of a small vocabulary of function words,
  discourse markers and punctuation, adjacent pairs of them, as they
  occur in the unit's text (", but", "because", "we 'll"), and the one that
  opens the unit ("<s> but", "<s> so"). A sentence vector
  blurs exactly these words, which say whether a passage concedes, gives a
  reason or commits; topic words are left to the vector.

The weights ship as numbers in `detectors.json` beside this module (feature
layout, coefficients, intercepts, a default threshold per flag, and how they
were trained); `models/models.toml` records its sha256 under
`[signal_detectors]`, and `LearnedDetectors.load` refuses a file that does
not match. `make train-signals` rebuilds the file from the public labelled
sets (benchmarks/train_signals.py).

After the embed stage, `score_quotes(quotes, turns, vectors, embedder)`
gives the three score columns.
"""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .. import schema
from ..errors import ModelError
from ..models import model_pins, sha256_of
from .detect import pair_rationales
from .features import (
    BLOCKS,
    all_cue_names,
    context_vectors,
    cue_matrix,
    feature_blocks,
    interview_context,
    prompt_vectors_for,
    word_features,
    word_matrix,
    word_tokens,
)
from .patterns import KINDS

logger = logging.getLogger(__name__)

__all__ = ["BLOCKS", "FLAGS", "SCORE_COLUMNS", "SHIPPED", "LearnedDetectors", "all_cue_names", "apply_learned",
           "context_vectors", "cue_matrix", "feature_blocks", "interview_context", "prompt_vectors_for",
           "score_quotes", "word_features", "word_matrix", "word_tokens"]

FLAGS = KINDS  # dilemma, decision, rationale
SCORE_COLUMNS = {flag: f"{flag}_score" for flag in FLAGS}
SHIPPED = Path(__file__).resolve().parent / "detectors.json"
PIN = "signal_detectors"  # the table of models/models.toml that records the shipped file's sha256
FORMAT = "commonground-signal-detectors/1"


@dataclass
class LearnedDetectors:
    """One logistic regression per flag over the blocks `unit`, `context`, `prompt`, `cues` and `words`.

    Parameters
    ----------
    dim : length of the sentence vectors (384 for all-MiniLM-L6-v2).
    cue_names : the `cues` block's columns, `kind:name`.
    vocabulary : the `words` block's columns (`word_features` entries).
    context_window : how many units on each side count as a unit's neighbours.
    coefficients : per flag, per block, the weights of that block's columns.
    intercepts : per flag.
    thresholds : per flag, the default score at or above which a unit is flagged.
    training : how the numbers were made (data, splits, seed, dev scores); informative only.

    Examples
    --------
    >>> zeros = {"unit": [0.0, 0.0], "context": [0.0, 0.0], "prompt": [0.0, 0.0], "cues": [2.0], "words": [0.0]}
    >>> d = LearnedDetectors(dim=2, cue_names=["decision:decided_to"], vocabulary=["so"], context_window=1,
    ...                      coefficients={f: zeros for f in FLAGS}, intercepts={f: -1.0 for f in FLAGS},
    ...                      thresholds={f: 0.5 for f in FLAGS})
    >>> z = np.zeros((2, 2))
    >>> scores = d.score(z, z, z, np.array([[1.0], [0.0]]), word_matrix(["", ""], d.vocabulary))
    >>> scores["decision"].round(3).tolist()
    [0.731, 0.269]
    >>> d.flags(scores)["decision"].tolist()
    [1, 0]
    """

    dim: int
    cue_names: list[str]
    vocabulary: list[str]
    context_window: int
    coefficients: dict[str, dict[str, list[float]]]
    intercepts: dict[str, float]
    thresholds: dict[str, float]
    training: dict = field(default_factory=dict)

    def widths(self) -> dict[str, int]:
        """Columns per block."""
        return {"unit": self.dim, "context": self.dim, "prompt": self.dim, "cues": len(self.cue_names),
                "words": len(self.vocabulary)}

    def _weights(self) -> dict[str, np.ndarray]:
        if getattr(self, "weights_", None) is None:
            widths = self.widths()
            weights = {}
            for block in BLOCKS:
                for flag in FLAGS:
                    if len(self.coefficients[flag][block]) != widths[block]:
                        raise ModelError(f"the {flag} detector has {len(self.coefficients[flag][block])} {block} "
                                         f"weights, its layout {widths[block]}",
                                         "rebuild the detectors with `make train-signals`")
                weights[block] = np.array([self.coefficients[f][block] for f in FLAGS], dtype=np.float64).T
            self.weights_ = weights
            self.bias_ = np.array([self.intercepts[f] for f in FLAGS], dtype=np.float64)
        return self.weights_

    def score(self, unit_vectors: np.ndarray, context_vectors: np.ndarray, prompt_vectors: np.ndarray,
              cue_matrix: np.ndarray, word_matrix) -> dict[str, np.ndarray]:
        """Scores in [0, 1] per flag, one per row of the blocks (`word_matrix` may be scipy-sparse)."""
        given = dict(zip(BLOCKS, (unit_vectors, context_vectors, prompt_vectors, cue_matrix, word_matrix)))
        widths = self.widths()
        n = given["unit"].shape[0]
        for block, matrix in given.items():
            if len(matrix.shape) != 2 or matrix.shape[0] != n or matrix.shape[1] != widths[block]:
                raise ValueError(f"the {block} block has shape {matrix.shape}; "
                                 f"the detectors need ({n}, {widths[block]})")
        weights = self._weights()
        logits = np.tile(self.bias_, (n, 1))
        for block, matrix in given.items():
            matrix = matrix if hasattr(matrix, "tocsr") else np.asarray(matrix, dtype=np.float64)
            logits += np.asarray(matrix @ weights[block], dtype=np.float64)
        probabilities = 0.5 * (1.0 + np.tanh(0.5 * logits))  # the logistic function, without overflow
        return {flag: probabilities[:, k] for k, flag in enumerate(FLAGS)}

    def flags(self, scores: dict[str, np.ndarray], thresholds: dict[str, float] | None = None) -> dict[str, np.ndarray]:
        """0/1 per flag: the score at or above the flag's threshold (default: the shipped ones)."""
        thresholds = {**self.thresholds, **(thresholds or {})}
        return {flag: (scores[flag] >= thresholds[flag]).astype(np.int64) for flag in scores}

    # --- the weights file ---------------------------------------------------------------------

    def to_json(self) -> str:
        """The weights as JSON text: the same numbers give the same bytes."""
        payload = {"format": FORMAT, "flags": list(FLAGS), "blocks": list(BLOCKS), "dim": self.dim,
                   "context_window": self.context_window, "cue_names": list(self.cue_names),
                   "vocabulary": list(self.vocabulary),
                   "thresholds": {f: self.thresholds[f] for f in FLAGS},
                   "intercepts": {f: self.intercepts[f] for f in FLAGS},
                   "coefficients": {f: {b: list(self.coefficients[f][b]) for b in BLOCKS} for f in FLAGS},
                   "training": self.training}
        return json.dumps(payload, indent=1, ensure_ascii=True) + "\n"

    @classmethod
    def from_json(cls, text: str, source: str = "detectors") -> LearnedDetectors:
        """Detectors from `to_json` text; ModelError for anything else."""
        try:
            payload = json.loads(text)
            if payload.get("format") != FORMAT or list(payload.get("flags", [])) != list(FLAGS):
                raise ValueError(f"not in the format {FORMAT!r} for flags {list(FLAGS)}")
            return cls(dim=int(payload["dim"]), cue_names=list(payload["cue_names"]),
                       vocabulary=list(payload["vocabulary"]), context_window=int(payload["context_window"]),
                       coefficients={f: {b: [float(x) for x in payload["coefficients"][f][b]] for b in BLOCKS}
                                     for f in FLAGS},
                       intercepts={f: float(payload["intercepts"][f]) for f in FLAGS},
                       thresholds={f: float(payload["thresholds"][f]) for f in FLAGS},
                       training=payload.get("training", {}))
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise ModelError(f"the signal detectors file cannot be read ({type(exc).__name__}: {exc})",
                             "rebuild it with `make train-signals`", source) from exc

    @classmethod
    def load(cls, path: str | Path | None = None, sha256: str | None = "pinned") -> LearnedDetectors:
        """Read a weights file (default: the shipped `detectors.json`) after checking its sha256.

        Parameters
        ----------
        path : the file; None for the one shipped in the package.
        sha256 : "pinned" checks against `[signal_detectors] sha256` in
            models/models.toml; a hex digest checks against it; None skips the
            check (detectors you trained yourself).
        """
        path = Path(path) if path is not None else SHIPPED
        if not path.is_file():
            raise ModelError("the signal detectors file is missing",
                             "reinstall the package, or rebuild it with `make train-signals`", path)
        if sha256 == "pinned":
            pin = model_pins().get(PIN)
            if not pin or "sha256" not in pin:
                raise ModelError(f"models/models.toml has no [{PIN}] sha256", "rebuild with `make train-signals`")
            sha256 = pin["sha256"]
        if sha256 is not None:
            actual = sha256_of(path)
            if actual != sha256:
                raise ModelError(f"the signal detectors file fails its checksum (expected {sha256[:12]}..., "
                                 f"found {actual[:12]}...)",
                                 "the file is corrupt or was replaced: reinstall the package, or rebuild it with "
                                 "`make train-signals`, which records the new sha256 in models/models.toml", path)
        return cls.from_json(path.read_text(encoding="utf-8"), str(path))


def score_quotes(quotes: pd.DataFrame, turns: pd.DataFrame, unit_vectors: np.ndarray, embedder, cache=None,
                 detectors: LearnedDetectors | None = None) -> pd.DataFrame:
    """The three learned scores of every quote unit: columns `dilemma_score`, `decision_score`, `rationale_score`.

    Call it after the embed stage; `quotes` is not modified.

    Parameters
    ----------
    quotes : the signals stage's output: `transcript_id`, `turn`, `char_start`,
        `embed_text` and `cues`.
    turns : the anonymised turns table (interviewer turns included), with `role` and `text`.
    unit_vectors : the embed stage's vectors of `quotes` (not the themes' blended ones).
    embedder, cache : embed the interviewer turns the quotes answer (cached like the quotes).
    detectors : default: the shipped ones (`LearnedDetectors.load()`).

    Returns
    -------
    DataFrame indexed like `quotes`, one float column in [0, 1] per flag.
    """
    detectors = detectors or LearnedDetectors.load()
    if len(quotes) == 0:
        return pd.DataFrame({SCORE_COLUMNS[f]: pd.Series(dtype="float64") for f in FLAGS}, index=quotes.index)
    prompts = prompt_vectors_for(quotes, turns, embedder, cache)
    if prompts.shape[1] == 0:  # no interviewer turn anywhere
        prompts = np.zeros((len(quotes), detectors.dim), dtype=np.float32)
    blocks = feature_blocks(quotes, turns, unit_vectors, prompts, detectors)
    scores = detectors.score(*(blocks[b] for b in BLOCKS))
    return pd.DataFrame({SCORE_COLUMNS[f]: scores[f] for f in FLAGS}, index=quotes.index)


def flag_threshold(config, flag: str) -> float:
    """The score at or above which a run with these [signals] settings flags `flag`.

    The configured threshold, else the shipped detectors' own; 1.0 under
    the cue rules alone, whose scores are their 0/1 flags.
    """
    if config.detector != "learned":
        return 1.0
    chosen = getattr(config, f"{flag}_threshold")
    return float(chosen) if chosen > 0 else float(LearnedDetectors.load().thresholds[flag])


def apply_learned(quotes: pd.DataFrame, turns: pd.DataFrame, unit_vectors: np.ndarray, embedder, config,
                  cache=None, detectors: LearnedDetectors | None = None) -> pd.DataFrame:
    """`quotes` with the learned scores, the flags they add to the rules', and each decision's reason paired again.

    Parameters
    ----------
    quotes, turns, unit_vectors, embedder, cache : as for `score_quotes`.
    config : the [signals] settings: a threshold of 0 keeps the shipped one.
    """
    scores = score_quotes(quotes, turns, unit_vectors, embedder, cache, detectors)
    detectors = detectors or LearnedDetectors.load()
    chosen = {"dilemma": config.dilemma_threshold, "decision": config.decision_threshold,
              "rationale": config.rationale_threshold}
    flags = detectors.flags({f: scores[SCORE_COLUMNS[f]].to_numpy() for f in FLAGS},
                            {f: t for f, t in chosen.items() if t > 0})
    out = quotes.copy()
    for flag, column in (("dilemma", schema.IS_DILEMMA), ("decision", schema.IS_DECISION),
                         ("rationale", schema.IS_RATIONALE)):
        out[SCORE_COLUMNS[flag]] = scores[SCORE_COLUMNS[flag]].round(4)
        # The cue rules were written for interviews, the detectors learned from meetings and
        # essays: a unit either flags is flagged, so the detectors add to the rules' finds.
        out[column] = np.maximum(flags[flag], quotes[column].to_numpy().astype(np.int64))
    out[schema.RATIONALE_QUOTE_ID] = pair_rationales(out, config.rationale_window)
    logger.info("learned signals: %d dilemmas, %d decisions, %d rationales among %d quotes",
                int(out[schema.IS_DILEMMA].sum()), int(out[schema.IS_DECISION].sum()),
                int(out[schema.IS_RATIONALE].sum()), len(out))
    return out

"""Rebuild the learned signal detectors (pipeline/signals/detectors.json) from ../shared/eval.

    python -m benchmarks.train_signals [--out PATH] [--no-pin] [--cache DIR]

Reads the labelled public sets through `benchmarks.signal_corpora` (AMI
dialogue acts linked to decisions and problems, GUM tension and rationale
relations, world_after_covid's dialectic codes), runs the pipeline's own
parse, segment and cue rules on them, embeds every unit with the pinned
sentence model, fits one logistic regression per flag on the training
splits, picks each flag's default threshold on the dev splits, and writes
the weights as JSON. The sha256 of the file goes into models/models.toml
(`[signal_detectors]`), unless `--no-pin`.

It lives beside the benchmarks, not in models/, because it shares their
loaders and fixed splits: `bench_signals` scores the test splits this script
never reads, and one module defining both keeps them from drifting apart.

Deterministic: the splits are fixed, the solver draws no random numbers,
the vectors are computed in fp32 (never bf16, which depends on the CPU) in
one pass over the sorted distinct texts, so that each text meets the same
batch neighbours on every run (`bench_signals` embeds these texts in the
same pass before its own), and the numbers are written rounded to 6
significant digits. On one machine a run from an empty cache (about 10
minutes on 2 busy cores, most of it embedding 42,600 texts) and a run from
the cache it filled (under a minute) write the same bytes.
"""
from __future__ import annotations

import argparse
import dataclasses
import hashlib
import logging
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

from benchmarks import signal_corpora
from benchmarks.signal_corpora import LabelledUnits
from pipeline.signals.features import START
from pipeline.signals.learned import (
    FLAGS,
    SHIPPED,
    LearnedDetectors,
    all_cue_names,
    context_vectors,
    cue_matrix,
    word_features,
    word_matrix,
)

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / "benchmarks" / ".cache" / "signals"
PINS = ROOT / "models" / "models.toml"

SEED = 0  # recorded with the weights; the L-BFGS fit itself draws no random numbers
CONTEXT_WINDOW = 2
# Inverse strength of the L2 penalty of each flag's logistic regression: of 0.002, 0.005, 0.01,
# 0.02 and 0.05, the one with the best dev F1 (mean over THRESHOLD_ON's sets).
# Dilemma 0.002 since the words block marks the unit's opening word: with it, 0.002 gave dev F1
# AMI 0.152, GUM 0.371, world_after_covid 0.706 (0.005: 0.141, 0.375, 0.706).
C = {"dilemma": 0.002, "decision": 0.002, "rationale": 0.01}
# Each block's weight in the penalty: the vector blocks are standardised and then multiplied by
# their scale, the 0/1 cues and words only multiplied; a smaller scale is a stronger penalty.
# Context and prompt vectors added nothing measurable on the dev splits at full scale (they cost
# a few points of F1), so they are read at a tenth.
BLOCK_SCALE = {"unit": 1.0, "context": 0.1, "prompt": 0.1, "cues": 1.0, "words": 2.0}
# Which labelled sets teach each flag, and how much each set weighs in total relative to the
# others (so that no set wins only by its size).
SOURCES = {"dilemma": {"ami": 1.0, "gum": 1.0}, "decision": {"ami": 1.0}, "rationale": {"gum": 1.0}}
# Sets that do not label a flag but whose units are taken as its negatives, with their share: a
# decision is rare in GUM's texts, and without them the decision detector learns the AMI
# meetings' topic (a remote control's buttons and case) as much as deciding.
NEGATIVES_FROM = {"decision": {"gum": 0.5}}
# Where each flag's default threshold is chosen: the dev splits of these sets, each scored per item.
THRESHOLD_ON = {"dilemma": ("ami", "gum", "world_after_covid"), "decision": ("ami",), "rationale": ("gum",)}
# The words block: tokens and token pairs (`word_features`) made only of these closed-class words
# (spaCy's English stop words and a few discourse markers) and punctuation, seen in at least
# MIN_DF training units, and the unit-opening pairs ("<s> but") of those words. How a passage
# concedes, reasons or commits, not what it is about.
EXTRA_CLOSED_CLASS = (",", ".", ";", ":", "?", "!", "wo", "let", "instead", "despite", "whereas",
                      "although", "though", "unless", "gonna", "going", "yeah", "okay", "um", "uh")
MIN_DF = 10
# The prior weight (a logit) of a rule cue for its own flag; see `cue_prior`.
CUE_PRIOR = 2.0
DENSE = ("unit", "context", "prompt", "cues")


def closed_class() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS) | frozenset(EXTRA_CLOSED_CLASS) | {START}


def choose_vocabulary(texts: list[str], min_df: int = MIN_DF, words: frozenset[str] | None = None) -> list[str]:
    """The `word_features` of `texts` made only of closed-class tokens, in at least `min_df` texts, sorted."""
    words = closed_class() if words is None else words
    counts: dict[str, int] = {}
    for text in texts:
        for feature in word_features(text):
            if all(token in words for token in feature.split(" ")):
                counts[feature] = counts.get(feature, 0) + 1
    return sorted(f for f, n in counts.items() if n >= min_df)


# --- features ----------------------------------------------------------------------------------------

@dataclasses.dataclass
class Features:
    """One labelled set's detector input: the dense blocks side by side, and the sparse words block."""

    dense: np.ndarray  # [unit, context, prompt, cues]
    words: object  # scipy CSR

    def rows(self, mask: np.ndarray) -> Features:
        return Features(self.dense[mask], self.words[np.flatnonzero(mask)])


def feature_matrices(units: pd.DataFrame, vectors: dict[str, np.ndarray], cue_names: list[str],
                     vocabulary: list[str], window: int = CONTEXT_WINDOW) -> Features:
    """The detectors' input for labelled units (context from `block`, prompt from `prompt_text`)."""
    unit = np.stack([vectors[t] for t in units["embed_text"]]).astype(np.float32)
    context = context_vectors(unit, units["block"].to_numpy(), window)
    zero = np.zeros(unit.shape[1], dtype=np.float32)
    prompt = np.stack([vectors[t] if t else zero for t in units["prompt_text"]]).astype(np.float32)
    dense = np.hstack([unit, context, prompt, cue_matrix(units["cues"].tolist(), cue_names)]).astype(np.float64)
    return Features(dense, word_matrix(units["embed_text"].tolist(), vocabulary))


def embed_corpora(corpora: list[LabelledUnits], embedder, cache) -> dict[str, np.ndarray]:
    """Vectors of every unit and prompt text of `corpora`, keyed by text, embedded in one pass."""
    from pipeline.embed import embed_texts

    texts = sorted({t for c in corpora for t in (*c.units["embed_text"], *c.units["prompt_text"]) if t})
    matrix, counts = embed_texts(texts, embedder, cache)
    logger.info("train-signals: %d texts (%d embedded, %d cached)", len(texts), counts["embedded"], counts["cached"])
    return dict(zip(texts, matrix))


# --- fitting ----------------------------------------------------------------------------------------

def fit_logistic(features: Features, y: np.ndarray, sample_weight: np.ndarray, C: float,
                 widths: dict[str, int], block_scale: dict[str, float] = BLOCK_SCALE,
                 cue_prior: np.ndarray | None = None) -> tuple[dict[str, np.ndarray], float]:
    """An L2 logistic regression, its weights per block in raw-feature units, and its intercept.

    Minimises C * sum_i w_i * logloss_i + |theta - prior|^2 / 2 with L-BFGS
    (no randomness). The vector blocks are standardised and multiplied by
    their `block_scale`; the 0/1 cues and words are only multiplied, so a
    cue or word seen in a handful of units keeps close to its prior instead
    of taking a large weight from them. `cue_prior` gives each cue's prior
    weight (raw units; default 0). The scaling is folded back into the
    weights, so the shipped detector applies them to the raw features.
    """
    from scipy.optimize import minimize

    y = np.asarray(y, dtype=np.float64)
    w = np.asarray(sample_weight, dtype=np.float64)
    dense = features.dense
    vector_columns = 3 * widths["unit"]
    mean = w @ dense / w.sum()
    std = np.sqrt(w @ (dense - mean) ** 2 / w.sum())
    std[std < 1e-8] = 1.0
    mean[vector_columns:], std[vector_columns:] = 0.0, 1.0  # cues stay 0/1
    column_scale = np.concatenate([np.full(widths[b], block_scale[b]) for b in DENSE])
    multiplier = column_scale / std  # raw dense feature -> penalised coordinate
    centred = (dense - mean) * multiplier
    words = features.words.tocsr() * block_scale["words"]
    n_dense = centred.shape[1]
    sign = 2 * y - 1
    prior = np.zeros(n_dense + words.shape[1])
    if cue_prior is not None:
        prior[vector_columns:n_dense] = np.asarray(cue_prior, dtype=np.float64) / block_scale["cues"]

    def loss_and_gradient(theta):
        beta_dense, beta_words, bias = theta[:n_dense], theta[n_dense:-1], theta[-1]
        z = centred @ beta_dense + words @ beta_words + bias
        margin = sign * z
        shrink = theta[:-1] - prior
        loss = C * float(w @ np.logaddexp(0.0, -margin)) + 0.5 * float(shrink @ shrink)
        residual = -C * w * sign / (1.0 + np.exp(margin))  # d loss / d z
        gradient = np.concatenate([centred.T @ residual + shrink[:n_dense], words.T @ residual + shrink[n_dense:],
                                   [residual.sum()]])
        return loss, gradient

    start_point = np.concatenate([prior, [0.0]])
    result = minimize(loss_and_gradient, start_point, jac=True, method="L-BFGS-B",
                      options={"maxiter": 3000, "maxcor": 20, "ftol": 1e-12, "gtol": 1e-7})
    if not result.success and result.nit >= 3000:
        logger.warning("train-signals: the fit stopped after %d iterations: %s", result.nit, result.message)
    beta_dense, beta_words, bias = result.x[:n_dense], result.x[n_dense:-1], result.x[-1]
    raw_dense = beta_dense * multiplier
    weights, start = {}, 0
    for block in DENSE:
        weights[block] = raw_dense[start:start + widths[block]]
        start += widths[block]
    weights["words"] = beta_words * block_scale["words"]
    return weights, float(bias - raw_dense @ mean)


def cue_prior(flag: str, cue_names: list[str], weight: float | None = None) -> np.ndarray:
    """The prior weight of each cue for `flag`: `CUE_PRIOR` for the flag's own cues, 0 for the others.

    The rules were written for interviews, the labelled sets are meetings and
    texts: where a set says little about a cue (it fires in a few units), the
    detector keeps the rules' word for it.
    """
    weight = CUE_PRIOR if weight is None else weight
    return np.array([weight if name.startswith(f"{flag}:") else 0.0 for name in cue_names])


def training_rows(corpora: dict[str, LabelledUnits], features: dict[str, Features], flag: str,
                  split: str = "train", sources: dict | None = None) -> tuple[Features, np.ndarray, np.ndarray]:
    """Features, labels and sample weights of `flag` from its source sets' `split`; each set sums to its
    share, half on its positives and half on its negatives, times the number of rows."""
    parts, y, w = [], [], []
    for name, share in (sources or SOURCES[flag]).items():
        units = corpora[name].units
        keep = (units["split"] == split).to_numpy() & units[flag].notna().to_numpy()
        labels = units.loc[keep, flag].to_numpy().astype(int)
        n_pos, n_neg = int(labels.sum()), int((1 - labels).sum())
        if n_pos == 0 or n_neg == 0:
            raise ValueError(f"{name} {split} has {n_pos} positive and {n_neg} negative units for {flag}")
        parts.append(features[name].rows(keep))
        y.append(labels)
        w.append(np.where(labels == 1, share / (2 * n_pos), share / (2 * n_neg)))
    for name, share in (NEGATIVES_FROM.get(flag, {}) if sources is None else {}).items():
        keep = (corpora[name].units["split"] == split).to_numpy()
        parts.append(features[name].rows(keep))
        y.append(np.zeros(int(keep.sum()), dtype=int))
        w.append(np.full(int(keep.sum()), share / max(int(keep.sum()), 1)))
    from scipy.sparse import vstack

    weights = np.concatenate(w)
    return (Features(np.vstack([p.dense for p in parts]), vstack([p.words for p in parts]).tocsr()),
            np.concatenate(y), weights * len(weights) / weights.sum())


def best_threshold(gold_by_set: list[np.ndarray], scores_by_set: list[np.ndarray]) -> tuple[float, list[float]]:
    """The score threshold with the highest mean F1 over the sets, and those F1s.

    Candidates are the distinct scores rounded to 3 decimals (so the choice
    does not hang on float noise); ties go to the higher threshold.
    """
    candidates = np.unique(np.round(np.concatenate(scores_by_set), 3))
    best = (-1.0, 1.0, [])
    for t in candidates[::-1]:
        f1s = [f1(gold, scores >= t) for gold, scores in zip(gold_by_set, scores_by_set)]
        mean = float(np.mean(f1s))
        if mean > best[0] + 1e-12:
            best = (mean, float(t), f1s)
    return best[1], best[2]


def f1(gold: np.ndarray, predicted: np.ndarray) -> float:
    gold, predicted = np.asarray(gold, dtype=bool), np.asarray(predicted, dtype=bool)
    tp = int((gold & predicted).sum())
    return 2 * tp / (int(gold.sum()) + int(predicted.sum())) if tp else 0.0


def _round(values, digits: int = 6) -> list[float]:
    return [float(f"{v:.{digits}g}") for v in np.asarray(values, dtype=np.float64).ravel()]


def unit_scores(detectors: LearnedDetectors, features: Features) -> dict[str, np.ndarray]:
    """The detectors' scores of labelled units."""
    widths = detectors.widths()
    blocks, start = [], 0
    for block in DENSE:
        blocks.append(features.dense[:, start:start + widths[block]])
        start += widths[block]
    return detectors.score(*blocks, features.words)


def train(corpora: dict[str, LabelledUnits], features: dict[str, Features], cue_names: list[str],
          vocabulary: list[str], dim: int, seed: int = SEED, describe: dict | None = None) -> LearnedDetectors:
    """Fit every flag on the train splits and choose its threshold on the dev splits."""
    coefficients, intercepts = {}, {}
    widths = {"unit": dim, "context": dim, "prompt": dim, "cues": len(cue_names), "words": len(vocabulary)}
    for flag in FLAGS:
        rows, y, w = training_rows(corpora, features, flag)
        weights, intercept = fit_logistic(rows, y, w, C[flag], widths, cue_prior=cue_prior(flag, cue_names))
        coefficients[flag] = {block: _round(weights[block]) for block in weights}
        intercepts[flag] = _round([intercept])[0]
        logger.info("train-signals: %s fitted on %d units (%d positive)", flag, len(y), int(y.sum()))
    detectors = LearnedDetectors(dim=dim, cue_names=list(cue_names), vocabulary=list(vocabulary),
                                 context_window=CONTEXT_WINDOW, coefficients=coefficients, intercepts=intercepts,
                                 thresholds={f: 0.5 for f in FLAGS})
    thresholds, dev = {}, {}
    for flag in FLAGS:
        names = [name for name in THRESHOLD_ON[flag] if name in corpora]
        scored = [signal_corpora.item_scores(corpora[name], unit_scores(detectors, features[name]), flag, "dev")
                  for name in names]
        thresholds[flag], f1s = best_threshold([g for g, _ in scored], [s for _, s in scored])
        dev[flag] = {name: round(f, 3) for name, f in zip(names, f1s)}
    training = {"seed": seed, "context_window": CONTEXT_WINDOW, "C": C, "block_scale": BLOCK_SCALE,
                "sources": SOURCES, "negatives_from": NEGATIVES_FROM, "min_df": MIN_DF, "cue_prior": CUE_PRIOR,
                "threshold_chosen_on_dev": {f: list(THRESHOLD_ON[f]) for f in FLAGS}, "dev_f1": dev,
                **(describe or {})}
    return dataclasses.replace(detectors, thresholds={f: round(thresholds[f], 3) for f in FLAGS}, training=training)


# --- the command ------------------------------------------------------------------------------------

def load_corpora(cache_dir: Path = CACHE) -> dict[str, LabelledUnits]:
    from pipeline.config import load_config
    from pipeline.nlp import load_spacy
    from pipeline.parsecache import ParseCache

    nlp, config = load_spacy(), load_config()
    parse_cache = ParseCache(cache_dir / "parse")
    wac, _ = signal_corpora.world_after_covid(nlp, config, parse_cache)
    return {"ami": signal_corpora.ami(nlp, config, parse_cache), "gum": signal_corpora.gum(nlp, config, parse_cache),
            "world_after_covid": wac}


def sentence_embedder():
    """The pinned sentence model as the config names it, in fp32 whatever the CPU (see the module docstring)."""
    from pipeline.config import load_config
    from pipeline.embed import embedder_from_config

    return embedder_from_config(dataclasses.replace(load_config().embed, precision="fp32"))


def corpora_and_features(cache_dir: Path = CACHE
                          ) -> tuple[dict[str, LabelledUnits], dict[str, Features], list[str], int]:
    """The labelled sets, their features, the words vocabulary (from the training splits) and the vector length."""
    from pipeline.embed import EmbeddingCache

    corpora = load_corpora(cache_dir)
    vectors = embed_corpora(list(corpora.values()), sentence_embedder(), EmbeddingCache(cache_dir / "embeddings"))
    training_texts = [t for flag in FLAGS for name in SOURCES[flag]
                      for t in corpora[name].units.loc[corpora[name].units["split"] == "train", "embed_text"]]
    vocabulary = choose_vocabulary(sorted(set(training_texts)))
    names = all_cue_names()
    features = {name: feature_matrices(c.units, vectors, names, vocabulary) for name, c in corpora.items()}
    return corpora, features, vocabulary, len(next(iter(vectors.values())))


def describe_data(corpora: dict[str, LabelledUnits]) -> dict:
    out = {}
    for name, corpus in corpora.items():
        counts = {}
        for split in signal_corpora.SPLITS:
            units = corpus.units[corpus.units["split"] == split]
            items = corpus.items[corpus.items["split"] == split]
            counts[split] = {"units": int(len(units)), "items": int(len(items)),
                             **{f"{f}_positive_items": int(items[f].sum()) for f in FLAGS if items[f].notna().any()}}
        out[name] = counts
    return {"data": signal_corpora.DESCRIPTION, "counts": out}


def write_pin(path: Path, digest: str, pins: Path = PINS) -> None:
    """Record `digest` as the sha256 of the detectors file in models/models.toml (comments kept)."""
    import tomlkit

    document = tomlkit.parse(pins.read_text(encoding="utf-8"))
    if "signal_detectors" not in document:
        table = tomlkit.table()
        table.add(tomlkit.comment("The learned dilemma/decision/rationale detectors (numbers only), rebuilt by "
                                  "`make train-signals`."))
        document.add(tomlkit.nl())
        document.add("signal_detectors", table)
    document["signal_detectors"]["file"] = path.relative_to(ROOT / "pipeline").as_posix()
    document["signal_detectors"]["sha256"] = digest
    pins.write_text(tomlkit.dumps(document), encoding="utf-8")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=SHIPPED, help="where to write the weights (default: the shipped file)")
    parser.add_argument("--no-pin", action="store_true", help="leave models/models.toml unchanged")
    parser.add_argument("--cache", type=Path, default=CACHE,
                        help=f"parses and vectors kept between runs (default: {CACHE.relative_to(ROOT)})")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    logging.getLogger("pipeline").setLevel(logging.WARNING)
    started = time.perf_counter()
    corpora, features, vocabulary, dim = corpora_and_features(args.cache)
    detectors = train(corpora, features, all_cue_names(), vocabulary, dim, describe=describe_data(corpora))
    text = detectors.to_json()
    args.out.write_text(text, encoding="utf-8")
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    if not args.no_pin:
        write_pin(args.out.resolve(), digest)
    print(f"wrote {args.out} (sha256 {digest}) in {time.perf_counter() - started:.0f} s; "
          f"thresholds {detectors.thresholds}; dev F1 {detectors.training['dev_f1']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

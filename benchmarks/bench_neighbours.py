"""The approximate neighbour search against the exact one: the same themes?

    python -m benchmarks.bench_neighbours [--sets clinc150,world_after_covid,ami]

From `[reduce] approximate_from` quotes on (50,000 by default), the themes
stage finds each quote's nearest neighbours by NN-descent (pynndescent)
instead of comparing every pair (`pipeline/themes/reduce.py`). The sets of
../shared/eval are smaller than that, so here every one is clustered twice
with our theme model as a run uses it (each unit read in its context, the
themes limited by the number of conversations where the set has them):
once with the exact search and once with the approximate one forced
(`approximate_from = 1`). Reports, per set: the share of the exact
neighbours the approximate search finds, the agreement of the two runs'
themes (ARI; 1 = the same themes), the seconds of each search, and a
yardstick: the agreement of the exact search's themes with themselves when
every vector is nudged by random noise of norm 0.001 (less than fp32 and
bf16 vectors differ), which says how much of a disagreement the clustering
itself makes of a tiny change. AMI's
meetings are pooled into one set here (bench_quality clusters each series
on its own), to make it as large as the data allows.

Writes a Markdown table to stdout and benchmarks/results/neighbours.md.
"""
from __future__ import annotations

import argparse
import logging
import re
import sys
import time
import warnings
from pathlib import Path

import numpy as np
from sklearn.metrics import adjusted_rand_score

from benchmarks.bench_quality import CACHE, EVAL_SETS, eval_set, in_context
from pipeline.config import load_config
from pipeline.embed import EmbeddingCache, SentenceEmbedder, embed_texts
from pipeline.themes import build_theme_model
from pipeline.themes.reduce import approximate_knn, cosine_knn

RESULTS = Path(__file__).resolve().parent / "results" / "neighbours.md"
TARGET_ARI = 0.95
NOISE = 0.001  # norm of the random nudge given to every vector for the yardstick column


def themes(vectors: np.ndarray, texts: list[str], conversations, approximate_from: int) -> np.ndarray:
    config = load_config(seed=0, **{"reduce.approximate_from": approximate_from})
    terms = [re.findall(r"[a-z]{3,}", t.lower()) for t in texts]  # labels do not affect the themes
    n_conversations = len(set(conversations)) if conversations else None
    return build_theme_model(config, with_map=False, n_conversations=n_conversations).fit(vectors, terms).labels_


def compare(name: str, texts: list[str], vectors: np.ndarray, blocks, conversations) -> str:
    if blocks:
        vectors = in_context(vectors, blocks)
    k = 2 * load_config().reduce.n_neighbors  # the widest search a run makes (the stability refits')
    start = time.perf_counter()
    exact_i, _ = cosine_knn(vectors, k)
    exact_seconds = time.perf_counter() - start
    start = time.perf_counter()
    approximate_i, _ = approximate_knn(vectors, k, 0)
    approximate_seconds = time.perf_counter() - start
    found = np.mean([len(set(a[1:]) & set(b[1:])) / k for a, b in zip(approximate_i, exact_i)])
    exact = themes(vectors, texts, conversations, 0)
    approximate = themes(vectors, texts, conversations, 1)
    ari = adjusted_rand_score(exact, approximate)
    # The yardstick: how much the exact search's themes move when the vectors move by a rounding error.
    jitter = np.random.default_rng(1).normal(scale=NOISE / np.sqrt(vectors.shape[1]), size=vectors.shape)
    nudged = adjusted_rand_score(exact, themes((vectors + jitter).astype(np.float32), texts, conversations, 0))
    return (f"| {name} | {len(texts):,} | {found:.3f} | {exact_seconds:.1f} | {approximate_seconds:.1f} | "
            f"{len(set(exact.tolist()) - {-1})} / {len(set(approximate.tolist()) - {-1})} | **{ari:.3f}** "
            f"({'met' if ari >= TARGET_ARI else 'missed'}) | {nudged:.3f} |")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sets", default="clinc150,world_after_covid,ami")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    warnings.filterwarnings("ignore")
    embedder = SentenceEmbedder(precision="fp32")
    lines = [f"`python -m benchmarks.bench_neighbours --sets {args.sets}`; "
             f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}. Neighbours: {2 * load_config().reduce.n_neighbors} "
             "per quote (the stability refits' search); seconds include pynndescent's compilation where numba "
             "has not kept it from an earlier run.", "",
             "| data | units | exact neighbours found | exact search s | approximate search s | themes (exact / "
             f"approximate) | ARI between the two runs' themes (target {TARGET_ARI}) | yardstick: ARI of the exact "
             f"search's themes when every vector is nudged by noise of norm {NOISE} |",
             "|---|---|---|---|---|---|---|---|"]
    unknown = set(args.sets.split(",")) - set(EVAL_SETS)
    if unknown:
        parser.error(f"unknown set(s) {', '.join(sorted(unknown))}; choose from {', '.join(EVAL_SETS)}")
    for name in args.sets.split(","):
        dataset = eval_set(name, ami_series=None)  # all of AMI, pooled
        vectors, _ = embed_texts(dataset.texts, embedder, EmbeddingCache(CACHE))
        lines.append(compare(dataset.name, dataset.texts, vectors, dataset.blocks, dataset.conversations))
        print(lines[-1], file=sys.stderr, flush=True)
    text = "\n".join(lines) + "\n"
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())

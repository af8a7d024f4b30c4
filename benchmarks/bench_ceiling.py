"""How far clustering can go on CLINC150 with the pinned sentence model's vectors.

    python -m benchmarks.bench_ceiling

The target is an ARI on CLINC150 at least 1.5 times BERTopic's (0.512 in
benchmarks/results/quality.md, so 0.768). This puts our default beside
other ways of clustering the very same vectors, so that the gap can be
placed: in our settings, in the clustering method, or in the vectors.

- ours, and ours under each of a few other settings of the reducer and
  HDBSCAN (one changed at a time);
- k-means told the true number of intents (as in bench-quality);
- Louvain communities of the cosine k-nearest-neighbour graph (networkx), a
  graph method of another family, over a few resolutions (the best of them
  chosen, unfairly, with the gold labels in view);
- a supervised ceiling: each request given the intent whose mean vector
  (computed from the gold labels) is nearest. No unsupervised method gets
  those means; it shows how much of the intents the vectors hold.

Scored as bench-quality does (the 1,000 out-of-scope requests are clustered
but not scored), with the agreement between seeds 0 and 1 (ARI) where a
method has a seed. Writes benchmarks/results/ceiling.md.
"""
from __future__ import annotations

import logging
import re
import sys
import warnings
from pathlib import Path

import numpy as np
from sklearn.cluster import KMeans
from sklearn.metrics import adjusted_rand_score

from benchmarks import datasets
from benchmarks.bench_quality import CACHE, score
from pipeline.config import load_config
from pipeline.embed import EmbeddingCache, SentenceEmbedder, embed_texts
from pipeline.themes import build_theme_model
from pipeline.themes.reduce import cosine_knn

RESULTS = Path(__file__).resolve().parent / "results" / "ceiling.md"

# One setting changed at a time from the defaults.
VARIANTS = [{}, {"reduce.n_components": 48}, {"reduce.n_components": 64}, {"reduce.n_neighbors": 7},
            {"reduce.n_neighbors": 15}, {"cluster.min_cluster_size": 8}, {"cluster.min_cluster_size": 15},
            {"cluster.min_samples": 3}, {"cluster.selection": "eom"}]
LOUVAIN_NEIGHBOURS, LOUVAIN_RESOLUTIONS = 15, (4.0, 16.0, 32.0)


def ours(vectors, texts, overrides, seed=0):
    terms = [re.findall(r"[a-z]{3,}", t.lower()) for t in texts]  # labels do not affect the scores
    return build_theme_model(load_config(seed=seed, **overrides), with_map=False).fit(vectors, terms).labels_


def louvain(vectors, resolution, seed=0):
    import networkx as nx

    indices, distances = cosine_knn(vectors, LOUVAIN_NEIGHBOURS)
    graph = nx.Graph()
    graph.add_nodes_from(range(len(vectors)))
    for i in range(len(vectors)):
        for j, distance in zip(indices[i, 1:].tolist(), distances[i, 1:].tolist()):
            weight = max(1.0 - distance, graph.get_edge_data(i, j, {"weight": 0.0})["weight"])
            graph.add_edge(i, j, weight=weight)
    labels = np.empty(len(vectors), dtype=int)
    for community, members in enumerate(nx.community.louvain_communities(graph, resolution=resolution, seed=seed)):
        labels[list(members)] = community
    return labels


def nearest_true_mean(vectors, gold):
    intents = sorted({g for g in gold if g is not None})
    means = np.stack([vectors[[g == intent for g in gold]].mean(axis=0) for intent in intents])
    means /= np.linalg.norm(means, axis=1, keepdims=True)
    return (vectors @ means.T).argmax(axis=1)


def main() -> int:
    logging.basicConfig(level=logging.WARNING)
    warnings.filterwarnings("ignore")
    data = datasets.clinc150("intent")
    vectors, _ = embed_texts(data.texts, SentenceEmbedder(), EmbeddingCache(CACHE))
    k = len({g for g in data.gold if g is not None})
    rows = []  # (name, labels under seed 0, under seed 1 or None)
    for overrides in VARIANTS:
        name = "ours, defaults" if not overrides else "ours, " + ", ".join(f"{key} = {value}" for key, value
                                                                        in overrides.items())
        rows.append((name, ours(vectors, data.texts, overrides), ours(vectors, data.texts, overrides, seed=1)))
    rows.append((f"k-means, true k = {k}", *(KMeans(k, n_init=10, random_state=seed).fit_predict(vectors)
                                             for seed in (0, 1))))
    for resolution in LOUVAIN_RESOLUTIONS:
        rows.append((f"Louvain, {LOUVAIN_NEIGHBOURS}-NN graph, resolution {resolution:g}",
                     louvain(vectors, resolution), louvain(vectors, resolution, seed=1)))
    rows.append(("supervised ceiling: nearest true intent mean", nearest_true_mean(vectors, data.gold), None))
    lines = ["| clustering of the same vectors | ARI | NMI | clusters | seed agreement (ARI) |", "|---|---|---|---|---|"]
    for name, labels, other_seed in rows:
        ari, nmi = score(data.gold, np.asarray(labels))
        agreement = "-" if other_seed is None else f"{adjusted_rand_score(labels, other_seed):.3f}"
        lines.append(f"| {name} | {ari:.3f} | {nmi:.3f} | {len(set(np.asarray(labels).tolist()) - {-1})} "
                     f"| {agreement} |")
        print(lines[-1], file=sys.stderr)
    table = "\n".join(lines) + "\n"
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(f"{table}\n- {data.name}: {data.note}\n", encoding="utf-8")
    print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())

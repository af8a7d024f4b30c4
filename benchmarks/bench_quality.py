"""Theme quality against human labels: our theme model, BERTopic 0.17.4 and k-means, side by side.

    python -m benchmarks.bench_quality [--sets clinc150,world_after_covid,ami] [--ami-series 10]

Every method clusters the same units with the same vectors (all-MiniLM-L6-v2,
the pinned model, cached under benchmarks/.cache). BERTopic runs with its
defaults except a seeded UMAP; k-means is told the true number of labels,
which our pipeline is not. Quotes in no theme (-1) count as one cluster in
ARI and NMI. Seed agreement is the ARI between the labels of seeds 0 and 1.
Writes a Markdown table to stdout and benchmarks/results/quality.md.
"""
from __future__ import annotations

import argparse
import logging
import re
import statistics
import sys
import time
import warnings
from pathlib import Path

import numpy as np
from sklearn.cluster import KMeans
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

from benchmarks import datasets
from pipeline.config import load_config
from pipeline.embed import EmbeddingCache, SentenceEmbedder, embed_texts
from pipeline.themes import build_theme_model

RESULTS = Path(__file__).resolve().parent / "results" / "quality.md"
CACHE = Path(__file__).resolve().parent / ".cache"
SEEDS = (0, 1)


def ours(texts, vectors, seed):
    config = load_config(seed=seed)
    terms = [re.findall(r"[a-z]{3,}", t.lower()) for t in texts]  # labels do not affect the scores
    return build_theme_model(config, with_map=False).fit(vectors, terms).labels_


def bertopic(texts, vectors, seed):
    from bertopic import BERTopic
    from umap import UMAP

    umap_model = UMAP(n_neighbors=15, n_components=5, min_dist=0.0, metric="cosine", random_state=seed)
    topics, _ = BERTopic(umap_model=umap_model).fit_transform(list(texts), embeddings=vectors)
    return np.asarray(topics)


def kmeans_true_k(k):
    def run(texts, vectors, seed):
        return KMeans(n_clusters=k, n_init=10, random_state=seed).fit_predict(vectors)
    return run


def score(gold, labels):
    scored = [i for i, g in enumerate(gold) if g is not None]
    y = [gold[i] for i in scored]
    p = labels[scored]
    return adjusted_rand_score(y, p), normalized_mutual_info_score(y, p)


def evaluate(dataset, vectors, method, name):
    """Fit per group (or once), two seeds; the mean of per-group scores."""
    groups = dataset.groups or ["all"] * len(dataset.texts)
    rows = {"ari": [], "nmi": [], "no_theme": [], "themes": [], "agreement": [], "seconds": []}
    for group in sorted(set(groups)):
        index = np.array([i for i, g in enumerate(groups) if g == group])
        texts = [dataset.texts[i] for i in index]
        gold = [dataset.gold[i] for i in index]
        k = len({g for g in gold if g is not None})
        runner = kmeans_true_k(k) if method == "kmeans" else method
        labels = []
        for seed in SEEDS:
            start = time.perf_counter()
            labels.append(np.asarray(runner(texts, vectors[index], seed)))
            rows["seconds"].append(time.perf_counter() - start)
        ari, nmi = score(gold, labels[0])
        rows["ari"].append(ari)
        rows["nmi"].append(nmi)
        rows["no_theme"].append(float((labels[0] == -1).mean()))
        rows["themes"].append(len(set(labels[0].tolist()) - {-1}))
        rows["agreement"].append(adjusted_rand_score(labels[0], labels[1]))
    return {key: statistics.mean(values) for key, values in rows.items()}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sets", default="clinc150,world_after_covid,ami")
    parser.add_argument("--ami-series", type=int, default=10, help="how many AMI meeting series (of 34)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    warnings.filterwarnings("ignore")

    embedder = SentenceEmbedder()
    sets = []
    for name in args.sets.split(","):
        if name == "clinc150":
            sets.append(datasets.clinc150("intent"))
        elif name == "world_after_covid":
            sets.append(datasets.world_after_covid(_sentence_units()))
        elif name == "ami":
            sets.append(datasets.ami(n_series=args.ami_series))
    methods = [("Common Ground", ours), ("BERTopic 0.17.4 (defaults)", bertopic), ("k-means, true k (reference)", "kmeans")]
    lines = ["| data | method | ARI | NMI | in no theme | themes | seed agreement (ARI) | seconds per fit |",
             "|---|---|---|---|---|---|---|---|"]
    for dataset in sets:
        vectors, _ = embed_texts(dataset.texts, embedder, EmbeddingCache(CACHE))
        print(f"{dataset.name}: {len(dataset.texts)} units; {dataset.note}", file=sys.stderr)
        for label, method in methods:
            r = evaluate(dataset, vectors, method, label)
            lines.append(f"| {dataset.name} | {label} | {r['ari']:.3f} | {r['nmi']:.3f} | {r['no_theme']:.1%} | "
                         f"{r['themes']:.0f} | {r['agreement']:.3f} | {r['seconds']:.1f} |")
            print(lines[-1], file=sys.stderr)
    table = "\n".join(lines) + "\n"
    notes = "\n".join(f"- {d.name}: {d.note}" for d in sets)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(f"{table}\n{notes}\n", encoding="utf-8")
    print(table)
    print(notes)
    return 0


def _sentence_units():
    """Split answers into quote units exactly as the pipeline's segment stage does."""
    from pipeline.nlp import load_spacy
    from pipeline.segment import unit_spans

    nlp, config = load_spacy(), load_config().segment

    def split(text):
        doc = nlp(text)
        return [doc.text[a:b] for a, b in unit_spans(doc, config)]
    return split


if __name__ == "__main__":
    sys.exit(main())

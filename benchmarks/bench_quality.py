"""Theme quality against human labels: our theme model, BERTopic 0.17.4 and k-means, side by side.

    python -m benchmarks.bench_quality [--sets clinc150,world_after_covid,ami] [--ami-series 10]
                                       [--methods ours,ours-alone,bertopic,bertopic-context,evoc,evoc-placed,kmeans]
                                       [--context WEIGHT,WINDOW]

Every method clusters the same units with the same vectors (all-MiniLM-L6-v2,
the pinned model, in fp32 unless --precision says bf16, cached under benchmarks/.cache). BERTopic runs with its
defaults except a seeded UMAP; EVoC 0.3.2 with its defaults and the seed, on
the vectors ours clusters, its outliers kept or placed at the nearest centre;
k-means is told the true number of labels, which our pipeline is not. Quotes in no theme (-1) count as one cluster in
ARI and NMI. Seed agreement is the ARI between the labels of seeds 0 and 1.

Our pipeline reads each unit in its context (pipeline/themes/answer_context.py):
on sets whose units come in stretches of talk (an interview answer's units,
a meeting's turns) its row blends each vector with its neighbours', and on
sets of conversations it limits the themes by their number, as a run does.
Two extra rows on the sets with context separate what the context adds from
what the clustering adds: ours without the context, and BERTopic given the
blended vectors.
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
import pandas as pd
from sklearn.cluster import KMeans
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

from benchmarks import datasets
from pipeline.config import load_config
from pipeline.embed import EmbeddingCache, SentenceEmbedder, embed_texts
from pipeline.themes import build_theme_model
from pipeline.themes.answer_context import blend_neighbours

RESULTS = Path(__file__).resolve().parent / "results" / "quality.md"
CACHE = Path(__file__).resolve().parent / ".cache"
SEEDS = (0, 1)


# Overrides of [themes] context_weight and context_window (--context), for scanning them.
CONTEXT: dict[str, float | int] = {}


def in_context(vectors, blocks):
    """Each unit's vector blended with its neighbours' in the same block, as the pipeline's themes stage does."""
    themes = load_config(**CONTEXT).themes
    return blend_neighbours(vectors, pd.factorize(pd.Series(blocks))[0], np.arange(len(vectors)),
                            themes.context_weight, themes.context_window)


def ours(texts, vectors, blocks, conversations, seed, context=True):
    """Our theme model with its defaults, as a run uses it: each unit read in its block's
    context, and the themes limited by the number of conversations (when the units have them)."""
    config = load_config(seed=seed)
    if context and blocks:
        vectors = in_context(vectors, blocks)
    terms = [re.findall(r"[a-z]{3,}", t.lower()) for t in texts]  # labels do not affect the scores
    n_conversations = len(set(conversations)) if conversations else None
    model = build_theme_model(config, with_map=False, n_conversations=n_conversations)
    return model.fit(vectors, terms).labels_


def ours_alone(texts, vectors, blocks, conversations, seed):
    """The same, every unit on its own vector (context_weight = 0): what the context adds."""
    return ours(texts, vectors, blocks, conversations, seed, context=False)


def bertopic(texts, vectors, blocks, conversations, seed):
    from bertopic import BERTopic
    from umap import UMAP

    umap_model = UMAP(n_neighbors=15, n_components=5, min_dist=0.0, metric="cosine", random_state=seed)
    topics, _ = BERTopic(umap_model=umap_model).fit_transform(list(texts), embeddings=vectors)
    return np.asarray(topics)


def bertopic_in_context(texts, vectors, blocks, conversations, seed):
    """BERTopic handed the same context-blended vectors as ours: what its clustering makes of them."""
    return bertopic(texts, in_context(vectors, blocks), blocks, conversations, seed)


def evoc_clusters(texts, vectors, blocks, conversations, seed, place=False):
    """EVoC 0.3.2 (the clusterer behind Polis 2.0's topics) with its defaults and a seed, on the
    vectors ours clusters (in context where the set has it); `place`: each quote it leaves
    out joins the cluster whose centre is nearest (cosine), as our outlier policy does."""
    import evoc

    used = in_context(vectors, blocks) if blocks else vectors
    labels = np.asarray(evoc.EVoC(random_state=seed).fit_predict(np.asarray(used, dtype=np.float32)))
    return _place_at_nearest_centre(labels, used) if place else labels


def evoc_placed(texts, vectors, blocks, conversations, seed):
    return evoc_clusters(texts, vectors, blocks, conversations, seed, place=True)


def _place_at_nearest_centre(labels, vectors):
    clusters = sorted(set(labels.tolist()) - {-1})
    if not clusters:
        return labels
    unit = vectors / np.linalg.norm(vectors, axis=1, keepdims=True).clip(min=1e-12)
    centres = np.stack([unit[labels == c].mean(axis=0) for c in clusters])
    out = labels.copy()
    left = labels == -1
    out[left] = np.asarray(clusters)[(unit[left] @ centres.T).argmax(axis=1)]
    return out


def kmeans_true_k(k):
    def run(texts, vectors, blocks, conversations, seed):
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
        blocks = [dataset.blocks[i] for i in index] if dataset.blocks else []
        conversations = [dataset.conversations[i] for i in index] if dataset.conversations else []
        gold = [dataset.gold[i] for i in index]
        k = len({g for g in gold if g is not None})
        runner = kmeans_true_k(k) if method == "kmeans" else method
        labels = []
        for seed in SEEDS:
            start = time.perf_counter()
            labels.append(np.asarray(runner(texts, vectors[index], blocks, conversations, seed)))
            rows["seconds"].append(time.perf_counter() - start)
        ari, nmi = score(gold, labels[0])
        rows["ari"].append(ari)
        rows["nmi"].append(nmi)
        rows["no_theme"].append(float((labels[0] == -1).mean()))
        rows["themes"].append(len(set(labels[0].tolist()) - {-1}))
        rows["agreement"].append(adjusted_rand_score(labels[0], labels[1]))
    return {key: statistics.mean(values) for key, values in rows.items()}


METHODS = {"ours": "Common Ground", "ours-alone": "Common Ground, units out of context (ablation)",
           "bertopic": "BERTopic 0.17.4 (defaults)",
           "bertopic-context": "BERTopic 0.17.4 given our in-context vectors",
           "evoc": "EVoC 0.3.2 (defaults, on the vectors ours clusters)",
           "evoc-placed": "EVoC 0.3.2, its outliers placed at the nearest centre",
           "kmeans": "k-means, true k (reference)"}
RUNNERS = {"ours": ours, "ours-alone": ours_alone, "bertopic": bertopic, "bertopic-context": bertopic_in_context,
           "evoc": evoc_clusters, "evoc-placed": evoc_placed, "kmeans": "kmeans"}
# Rows that differ from another row only where units have a context: skipped on sets without blocks.
NEEDS_BLOCKS = {"ours-alone", "bertopic-context"}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sets", default="clinc150,world_after_covid,ami")
    parser.add_argument("--ami-series", type=int, default=10, help="how many AMI meeting series (of 34)")
    parser.add_argument("--methods", default=",".join(METHODS), help="rows to run, of: " + ", ".join(METHODS))
    parser.add_argument("--precision", default="fp32", choices=["fp32", "bf16"],
                        help="the sentence model's precision for every method (a run's 'auto' is bf16 where the "
                             "CPU has it); results go to quality-bf16.md rather than quality.md")
    parser.add_argument("--context", metavar="WEIGHT,WINDOW",
                        help="blend units with these [themes] context_weight and context_window, not the defaults")
    args = parser.parse_args(argv)
    unknown = set(args.methods.split(",")) - set(METHODS)
    if unknown:
        parser.error(f"unknown method(s) {', '.join(sorted(unknown))}; choose from {', '.join(METHODS)}")
    if args.context:
        weight, window = args.context.split(",")
        CONTEXT.update({"themes.context_weight": float(weight), "themes.context_window": int(window)})
    logging.basicConfig(level=logging.WARNING)
    warnings.filterwarnings("ignore")

    embedder = SentenceEmbedder(precision=args.precision)
    sets = [eval_set(name, args.ami_series) for name in args.sets.split(",") if name in EVAL_SETS]
    chosen = args.methods.split(",")
    lines = ["| data | method | ARI | NMI | in no theme | themes | seed agreement (ARI) | seconds per fit |",
             "|---|---|---|---|---|---|---|---|"]
    for dataset in sets:
        vectors, _ = embed_texts(dataset.texts, embedder, EmbeddingCache(CACHE))
        print(f"{dataset.name}: {len(dataset.texts)} units; {dataset.note}", file=sys.stderr)
        for name in chosen:
            if name in NEEDS_BLOCKS and not dataset.blocks:
                continue
            label, method = METHODS[name], RUNNERS[name]
            r = evaluate(dataset, vectors, method, label)
            lines.append(f"| {dataset.name} | {label} | {r['ari']:.3f} | {r['nmi']:.3f} | {r['no_theme']:.1%} | "
                         f"{r['themes']:.0f} | {r['agreement']:.3f} | {r['seconds']:.1f} |")
            print(lines[-1], file=sys.stderr)
    table = "\n".join(lines) + "\n"
    notes = "\n".join(f"- {d.name}: {d.note}" for d in sets)
    # A scan of the context settings leaves the defaults' table alone.
    results = RESULTS.with_name(f"quality-context-{args.context.replace(',', '-')}.md") if args.context else RESULTS
    if args.precision != "fp32":
        results = results.with_name(results.stem + f"-{args.precision}.md")
    results.parent.mkdir(parents=True, exist_ok=True)
    results.write_text(f"{table}\n{notes}\n", encoding="utf-8")
    print(table)
    print(notes)
    return 0


EVAL_SETS = ("clinc150", "world_after_covid", "ami")


def eval_set(name: str, ami_series: int | None = 10) -> datasets.Dataset:
    """One of `EVAL_SETS` as the quality benchmarks read it: CLINC150 by intent, world_after_covid's
    answers in sentence units, AMI's turns of the first `ami_series` series (None: all)."""
    if name == "clinc150":
        return datasets.clinc150("intent")
    if name == "world_after_covid":
        return datasets.world_after_covid(_sentence_units())
    if name == "ami":
        return datasets.ami(n_series=ami_series)
    raise ValueError(f"unknown set {name!r}; choose from {', '.join(EVAL_SETS)}")


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

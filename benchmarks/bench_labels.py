"""Theme labels read against their own quotes and, on CLINC150, against the gold intents' names; ours beside BERTopic's.

    python -m benchmarks.bench_labels [--sets clinc150,world_after_covid,ami,polis] [--ami-series 3]
                                      [--methods ours,bertopic]

Every method clusters the same units with the same vectors (all-MiniLM-L6-v2,
the pinned model, cached under benchmarks/.cache) and labels its own themes.
Ours is the pipeline's themes stage as a run uses it: units read in their
answer's or meeting's context, the theme limit set by the number of
conversations, key phrases read from each unit's spaCy parse. BERTopic
0.17.4 runs with its defaults (a seeded UMAP) and its label is its
c-TF-IDF representation as `topic_labels_` shows it, without the number
("book_flight_flights_ticket" reads "book flight flights ticket").

Per set, over the themes (the -1 "no theme" group aside):

- verbatim: the label occurs, as written, in one of the theme's quotes;
- words as written: every word of the label occurs, as written (case
  included), in the theme's quotes;
- unique: no other theme of the same fit has the same label (any case);
- names intent (CLINC150 only): the label shares a content word with the
  name of the theme's majority intent ("book_flight": book, flight),
  spelling normalised (lower case, underscores as spaces), not lemmas;
- stability (ours: the median over themes of the mean best Jaccard overlap
  with the themes of `[themes] stability_refits` refits of 90% of the
  units, as a run measures it), cohesion (the median over themes of the
  mean cosine of a theme's units to its centre), ARI and NMI against the
  gold labels (units in no theme count as one cluster), themes, share in no
  theme; loose: the share of themes the run flags loose (`[themes]
  loose_stability`, `loose_cohesion`; BERTopic's by cohesion alone, as it
  has no stability here).

AMI meeting series and sets of conversations are fitted one series at a
time, as bench_quality does; the shares pool every series' themes.
Writes a Markdown table to stdout and benchmarks/results/labels.md.
"""
from __future__ import annotations

import argparse
import csv
import logging
import re
import statistics
import sys
import time
import warnings
from collections import Counter
from pathlib import Path

import numpy as np
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

from benchmarks import datasets
from benchmarks.bench_quality import _sentence_units, in_context
from pipeline.config import load_config
from pipeline.embed import EmbeddingCache, SentenceEmbedder, embed_texts
from pipeline.nlp import load_spacy
from pipeline.themes import build_theme_model
from pipeline.themes.cluster import theme_centroids
from pipeline.themes.context import is_loose, run_cohesion, theme_cohesion
from pipeline.themes.phrases import span_phrases
from pipeline.themes.stability import theme_stability

RESULTS = Path(__file__).resolve().parent / "results" / "labels.md"
CACHE = Path(__file__).resolve().parent / ".cache"
SEED = 0
STOP = frozenset("a an the to of in on for my me i is it and or what how do can you your".split())


def polis() -> datasets.Dataset:
    """The moderated comments of the Polis biodiversity conversation: no gold themes, labels only."""
    with (datasets.EVAL / "polis_biodiversity" / "comments.csv").open(encoding="utf-8") as fh:
        texts = [row["comment-body"].strip() for row in csv.DictReader(fh)
                 if row["moderated"] == "1" and row["comment-body"].strip()]
    return datasets.Dataset("polis_biodiversity", texts, [None] * len(texts),
                            note=f"{len(texts)} moderated comments; no gold themes")


def ours(texts, vectors, blocks, conversations, embedder):
    """Our themes and labels on one group of units, with the stability and cohesion a run reports."""
    config = load_config(seed=SEED)
    if blocks:
        vectors = in_context(vectors, blocks)
    nlp = load_spacy()
    phrases = [span_phrases(doc[:]) for doc in nlp.pipe(texts, batch_size=256)]
    model = build_theme_model(config, embedder=embedder, with_map=False, cache_dir=CACHE,
                              n_conversations=len(set(conversations)) if conversations else None)
    model.fit(vectors, phrases)
    stability = theme_stability(model.labels_, lambda idx: model.refit_labels(vectors, idx),
                                config.themes.stability_refits, config.seed)
    return model.labels_, model.theme_labels_, stability, vectors


def bertopic(texts, vectors, blocks, conversations, embedder):
    from bertopic import BERTopic
    from umap import UMAP

    umap_model = UMAP(n_neighbors=15, n_components=5, min_dist=0.0, metric="cosine", random_state=SEED)
    model = BERTopic(umap_model=umap_model)
    topics, _ = model.fit_transform(list(texts), embeddings=vectors)
    labels = {t: " ".join(name.split("_")[1:]) for t, name in model.topic_labels_.items() if t != -1}
    return np.asarray(topics), labels, {}, vectors


METHODS = {"ours": ("Common Ground", ours), "bertopic": ("BERTopic 0.17.4 c-TF-IDF", bertopic)}


def label_checks(labels: np.ndarray, names: dict[int, str], texts: list[str], gold: list[str | None],
                 intents_named: bool) -> list[dict]:
    """Per theme: verbatim, words as written, unique, and (`intents_named`: gold labels that are
    intents' names, CLINC150's) whether it names its majority intent."""
    lowered = Counter(name.lower() for name in names.values())
    rows = []
    for theme, name in names.items():
        members = [texts[i] for i in np.flatnonzero(labels == theme)]
        if not members:
            continue
        said = set(re.findall(r"[\w'-]+", " ".join(members)))
        row = {"verbatim": any(name in text for text in members),
               "words": all(word in said for word in re.findall(r"[\w'-]+", name)),
               "unique": lowered[name.lower()] == 1}
        intents = [gold[i] for i in np.flatnonzero(labels == theme) if gold[i] is not None]
        if intents and intents_named:
            intent = Counter(intents).most_common(1)[0][0]
            row["intent"] = bool(_content_words(intent.replace("_", " ")) & _content_words(name))
        rows.append(row)
    return rows


def _content_words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9']+", text.lower()) if w not in STOP}


def evaluate(dataset: datasets.Dataset, vectors: np.ndarray, method, embedder) -> dict:
    groups = dataset.groups or ["all"] * len(dataset.texts)
    checks, stabilities, cohesions, loose, ari, nmi, no_theme, themes, seconds = [], [], [], [], [], [], [], [], []
    for group in sorted(set(groups)):
        index = np.array([i for i, g in enumerate(groups) if g == group])
        texts = [dataset.texts[i] for i in index]
        gold = [dataset.gold[i] for i in index]
        blocks = [dataset.blocks[i] for i in index] if dataset.blocks else []
        conversations = [dataset.conversations[i] for i in index] if dataset.conversations else []
        start = time.perf_counter()
        labels, names, stability, used = method(texts, vectors[index], blocks, conversations, embedder)
        seconds.append(time.perf_counter() - start)
        checks += label_checks(labels, names, texts, gold, dataset.name.startswith("clinc150"))
        stabilities += list(stability.values())
        closeness = theme_cohesion(labels, used, theme_centroids(labels, used))
        cohesions += list(closeness.values())
        baseline = run_cohesion(labels, used)
        loose += [is_loose(stability.get(t, float("nan")), c, baseline, load_config()) for t, c in closeness.items()]
        scored = [i for i, g in enumerate(gold) if g is not None]
        if scored:
            ari.append(adjusted_rand_score([gold[i] for i in scored], labels[scored]))
            nmi.append(normalized_mutual_info_score([gold[i] for i in scored], labels[scored]))
        no_theme.append(float((labels == -1).mean()))
        themes.append(len(set(labels.tolist()) - {-1}))

    def share(key):
        values = [c[key] for c in checks if key in c]
        return f"{statistics.mean(values):.0%}" if values else "—"

    return {"themes": sum(themes), "verbatim": share("verbatim"), "words": share("words"), "unique": share("unique"),
            "intent": share("intent"),
            "stability": f"{statistics.median(stabilities):.2f}" if stabilities else "—",
            "cohesion": (f"{statistics.median(cohesions):.2f} ({np.quantile(cohesions, 0.1):.2f})"
                         if cohesions else "—"),
            "loose": f"{statistics.mean(loose):.0%}" if loose else "—",
            "ari": f"{statistics.mean(ari):.3f}" if ari else "—", "nmi": f"{statistics.mean(nmi):.3f}" if nmi else "—",
            "no_theme": f"{statistics.mean(no_theme):.1%}", "seconds": f"{statistics.mean(seconds):.1f}"}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sets", default="clinc150,world_after_covid,ami,polis")
    parser.add_argument("--ami-series", type=int, default=3, help="how many AMI meeting series (of 34)")
    parser.add_argument("--methods", default=",".join(METHODS), help="rows to run, of: " + ", ".join(METHODS))
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    warnings.filterwarnings("ignore")
    embedder = SentenceEmbedder(precision="fp32")
    loaders = {"clinc150": lambda: datasets.clinc150("intent"),
               "world_after_covid": lambda: datasets.world_after_covid(_sentence_units()),
               "ami": lambda: datasets.ami(n_series=args.ami_series), "polis": polis}
    lines = ["| data | labels | themes | label said verbatim | label words as written | unique | names its intent |"
             " median stability | median cohesion (10th percentile) | loose | ARI | NMI | in no theme |"
             " seconds per fit |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    notes = []
    for name in args.sets.split(","):
        dataset = loaders[name]()
        notes.append(f"- {dataset.name}: {len(dataset.texts)} units; {dataset.note}")
        vectors, _ = embed_texts(dataset.texts, embedder, EmbeddingCache(CACHE))
        for key in args.methods.split(","):
            title, method = METHODS[key]
            r = evaluate(dataset, vectors, method, embedder)
            lines.append(f"| {dataset.name} | {title} | {r['themes']} | {r['verbatim']} | {r['words']} | "
                         f"{r['unique']} | {r['intent']} | {r['stability']} | {r['cohesion']} | {r['loose']} | {r['ari']} | "
                         f"{r['nmi']} | {r['no_theme']} | {r['seconds']} |")
            print(lines[-1], file=sys.stderr)
    text = "\n".join(lines) + "\n\n" + "\n".join(notes) + "\n"
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())

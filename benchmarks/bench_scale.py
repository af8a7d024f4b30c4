"""The themes stage at 30,000 and 100,000 quotes: seconds and peak memory of each step, and how the cost grows.

    python -m benchmarks.bench_scale                        # 30,000 then 100,000 quotes
    python -m benchmarks.bench_scale --quotes 20000         # a quick look

No corpus of 100,000 real quote units is at hand, so the vectors are real
ones stretched: the sentence vectors of the benchmark sets already embedded
by `make bench-quality` (benchmarks/.cache: CLINC150, world_after_covid, AMI
turns), each repeated with a little Gaussian noise and re-normalised. The
copies keep the sets' cluster structure, which is what the neighbour search,
the eigenmap and HDBSCAN see. Each size runs in a child process of its own,
the steps as the pipeline runs them (the neighbour search as `[reduce]
approximate_from` says: exact below it, NN-descent from it on; the theme
limit of a corpus of that many quotes, at the 208 quote units per
conversation of the 137 AMI meetings: 144 conversations and at most 216
themes at 30,000, 481 and 722 at 100,000); the peak
resident memory of the child is read after each step (`ru_maxrss`), so the
peaks are cumulative within a size. Results go to benchmarks/results/scale.md.
"""
from __future__ import annotations

import argparse
import json
import resource
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent
CACHE = ROOT / ".cache" / "embeddings.sqlite3"
RESULTS = ROOT / "results" / "scale.md"
# Quote units per conversation in the 137 AMI meetings (28,546 units): how many conversations a corpus of
# so many quotes holds, which sets its theme limit (`[themes] max_themes_per_conversation`).
QUOTES_PER_CONVERSATION = 208


def base_vectors() -> np.ndarray:
    if not CACHE.is_file():
        sys.exit(f"no cached benchmark vectors at {CACHE}: run `make bench-quality` first")
    with sqlite3.connect(CACHE) as conn:
        rows = conn.execute("SELECT dim, vec FROM vectors ORDER BY key").fetchall()
    return np.stack([np.frombuffer(blob, dtype=np.float32, count=dim) for dim, blob in rows])


def stretched(base: np.ndarray, n: int, noise: float, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    picks = np.resize(np.arange(len(base)), n)
    X = base[picks] + rng.normal(scale=noise / np.sqrt(base.shape[1]), size=(n, base.shape[1])).astype(np.float32)
    return (X / np.linalg.norm(X, axis=1, keepdims=True)).astype(np.float32)


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(n_quotes: int, noise: float) -> tuple[list[tuple[str, float, float, str]], int]:
    """The steps' (name, seconds, cumulative peak MB, note) at `n_quotes`, and the number of themes."""
    from pipeline.config import load_config
    from pipeline.themes.cluster import merge_to_at_most, place_outliers, refine_boundaries
    from pipeline.themes.model import _renumber_by_size, build_theme_model
    from pipeline.themes.reduce import fit_reduce

    config = load_config()
    base = base_vectors()
    X = stretched(base, n_quotes, noise, config.seed)
    model = build_theme_model(config, n_conversations=max(1, round(n_quotes / QUOTES_PER_CONVERSATION)))
    rows = [("vectors", 0.0, peak_mb(), f"{len(X):,} x {X.shape[1]} from {len(base):,} cached vectors")]

    def step(name, fn, note=lambda result: ""):
        start = time.perf_counter()
        result = fn()
        rows.append((name, time.perf_counter() - start, peak_mb(), note(result)))
        print(f"{n_quotes}: {name}: {rows[-1][1]:.1f} s, peak {rows[-1][2]:.0f} MB {rows[-1][3]}", file=sys.stderr,
              flush=True)
        return result

    how = "approximate" if config.reduce.approximate_from and n_quotes >= config.reduce.approximate_from else "exact"
    # The search the fit and its refits share: twice the reducer's neighbours (`ThemeModel._refit_neighbours`).
    knn = step(f"cosine neighbours, {how} (k = {2 * config.reduce.n_neighbors})",
               lambda: model._refit_neighbours(X))
    reduced = step("spectral eigenmap (24-D)", lambda: fit_reduce(model.reducer, X, knn))
    fast = config.cluster.fast_from and n_quotes >= config.cluster.fast_from
    raw = step(f"HDBSCAN (leaf, min 10; {'fast_hdbscan' if fast else 'hdbscan'})",
               lambda: np.asarray(model.clusterer.fit_predict(reduced), dtype=int),
               lambda r: f"{len(set(r.tolist()) - {-1})} clusters, {np.mean(r == -1):.1%} noise")
    labels = step(f"outlier placement ({config.outliers.policy})",
                  lambda: place_outliers(_renumber_by_size(raw), X, config.outliers, model._placement_knn(knn))[0],
                  lambda r: f"{np.mean(r == -1):.1%} in no theme")
    limited = step(f"theme limit (at most {model.max_themes})", lambda: merge_to_at_most(labels, X, model.max_themes),
                   lambda r: f"{len(set(r.tolist()) - {-1})} themes")
    moved = step(f"border refinement ({model.refine_iterations} rounds at most)",
                 lambda: refine_boundaries(limited, reduced, X, model.refine_iterations),
                 lambda r: f"{np.mean(r != limited):.1%} of quotes moved")
    step("2-D map (UMAP, 200 epochs)", lambda: fit_reduce(model.mapper, X, knn))  # the same search, as a run
    subset = np.sort(np.random.default_rng(0).choice(len(X), int(0.9 * len(X)), replace=False))
    step("one stability refit (90%)", lambda: model.refit_labels(X, subset))
    return rows, len(set(moved.tolist()) - {-1})


def table(n_quotes: int, noise: float, rows, n_themes: int) -> list[str]:
    total = sum(r[1] for r in rows)
    lines = [f"### {n_quotes:,} quotes", "",
             f"Themes stage on {n_quotes:,} quote vectors ({noise} noise around the cached real vectors).", "",
             "| step | seconds | peak MB (cumulative) | note |", "|---|---|---|---|"]
    lines += [f"| {name} | {seconds:.1f} | {peak:.0f} | {note} |" for name, seconds, peak, note in rows]
    lines.append(f"| **total** | **{total:.1f}** | **{max(r[2] for r in rows):.0f}** | {n_themes} themes |")
    return lines


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quotes", default="30000,100000", help="sizes, comma-separated, each in its own process")
    parser.add_argument("--noise", type=float, default=0.3, help="noise norm relative to the unit vectors")
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)  # one size, rows as JSON
    args = parser.parse_args(argv)
    sizes = [int(n) for n in args.quotes.split(",")]
    if args.child:
        rows, n_themes = measure(sizes[0], args.noise)
        print(json.dumps({"rows": rows, "themes": n_themes}))
        return 0
    lines = [f"`python -m benchmarks.bench_scale --quotes {args.quotes}`; "
             f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}.", ""]
    totals = {}
    for n in sizes:
        child = subprocess.run([sys.executable, "-m", "benchmarks.bench_scale", "--child", "--quotes", str(n),
                                "--noise", str(args.noise)], stdout=subprocess.PIPE, text=True, check=True,
                               cwd=ROOT.parent)
        result = json.loads(child.stdout.strip().splitlines()[-1])
        totals[n] = sum(r[1] for r in result["rows"])
        lines += table(n, args.noise, result["rows"], result["themes"]) + [""]
    if len(sizes) > 1:
        small, large = min(sizes), max(sizes)
        lines.append(f"Growth: {large:,} quotes take **{totals[large] / totals[small]:.2f}x** the time of "
                     f"{small:,} ({totals[large]:.1f} s vs {totals[small]:.1f} s) for {large / small:.2f}x the quotes.")
    text = "\n".join(lines) + "\n"
    print(text)
    if not args.no_write:
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The themes stage at 100,000+ quotes: seconds and peak memory of each step.

    python -m benchmarks.bench_scale                  # 100,000 quotes
    python -m benchmarks.bench_scale --quotes 20000   # a quick look

No corpus of 100,000 real quote units is at hand, so the vectors are real
ones stretched: the sentence vectors of the benchmark sets already embedded
by `make bench-quality` (benchmarks/.cache: CLINC150, world_after_covid, AMI
turns), each repeated with a little Gaussian noise and re-normalised. The
copies keep the sets' cluster structure, which is what the neighbour search,
the eigenmap and HDBSCAN see. Each step runs as the pipeline runs it, in
this process; the peak resident memory of the process is read after each step
(`ru_maxrss`), so the peaks are cumulative. Results go to
benchmarks/results/scale.md.
"""
from __future__ import annotations

import argparse
import resource
import sqlite3
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent
CACHE = ROOT / ".cache" / "embeddings.sqlite3"
RESULTS = ROOT / "results" / "scale.md"


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


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quotes", type=int, default=100_000)
    parser.add_argument("--noise", type=float, default=0.3, help="noise norm relative to the unit vectors")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)

    from pipeline.config import load_config
    from pipeline.themes.cluster import place_outliers
    from pipeline.themes.model import _renumber_by_size, build_theme_model
    from pipeline.themes.reduce import cosine_knn, fit_reduce

    config = load_config()
    base = base_vectors()
    X = stretched(base, args.quotes, args.noise, config.seed)
    model = build_theme_model(config)
    rows = [("vectors", 0.0, peak_mb(), f"{len(X):,} x {X.shape[1]} from {len(base):,} cached vectors")]

    def step(name, fn, note=lambda result: ""):
        start = time.perf_counter()
        result = fn()
        rows.append((name, time.perf_counter() - start, peak_mb(), note(result)))
        print(f"{name}: {rows[-1][1]:.1f} s, peak {rows[-1][2]:.0f} MB {rows[-1][3]}", file=sys.stderr, flush=True)
        return result

    knn = step("exact cosine neighbours (k = 15)", lambda: cosine_knn(X, 15))
    reduced = step("spectral eigenmap (24-D)", lambda: fit_reduce(model.reducer, X, knn))
    raw = step("HDBSCAN (leaf, min 10)", lambda: np.asarray(model.clusterer.fit_predict(reduced), dtype=int),
               lambda r: f"{len(set(r.tolist()) - {-1})} clusters, {np.mean(r == -1):.1%} noise")
    labels = step("outlier placement", lambda: place_outliers(_renumber_by_size(raw), X, config.outliers)[0],
                  lambda r: f"{np.mean(r == -1):.1%} in no theme")
    step("2-D map (UMAP, 200 epochs)", lambda: fit_reduce(model.mapper, X, knn))
    subset = np.sort(np.random.default_rng(0).choice(len(X), int(0.9 * len(X)), replace=False))
    step("one stability refit (90%)", lambda: model.refit_labels(X, subset))
    total = sum(r[1] for r in rows)
    lines = [f"Themes stage on {len(X):,} quote vectors ({args.noise} noise around {len(base):,} real vectors); "
             f"`python -m benchmarks.bench_scale --quotes {args.quotes}`; {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}.",
             "", "| step | seconds | peak MB (cumulative) | note |", "|---|---|---|---|"]
    lines += [f"| {name} | {seconds:.1f} | {peak:.0f} | {note} |" for name, seconds, peak, note in rows]
    lines.append(f"| **total** | **{total:.1f}** | **{max(r[2] for r in rows):.0f}** | {len(set(labels.tolist()) - {-1})} themes |")
    text = "\n".join(lines) + "\n"
    print(text)
    if not args.no_write:
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

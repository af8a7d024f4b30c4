"""The sentence encoder against the machine's matrix-product peak, fp32 and bf16.

    python -m benchmarks.bench_encoder [--quotes reports/sample/quotes.csv] [--passes 5]

1. The peak: `torch.matmul` of square fp32 and bf16 matrices (n = 1024, 2048),
   15 timed products after 2 warm-ups, on the threads torch uses here.
2. The encoder: the pinned all-MiniLM-L6-v2 encodes the distinct quote units
   of a finished run (`quotes.csv` `text`; `make run` writes the sample's) in
   fp32 and in bf16, alternating, `--passes` times each after a warm-up.
   FLOPs are counted per layer and token as 2·(4·H² + 2·H·F), plus 4·L²·H for
   attention, over the padded batches sentence-transformers forms (sorted by
   length, batch 64), so GFLOP/s is the rate of the work actually done.

Prints a Markdown table; BENCHMARKS.md quotes it.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time

H, F, LAYERS = 384, 1536, 6  # all-MiniLM-L6-v2


def matmul_peak(n: int, dtype, repeats: int = 15) -> tuple[float, float]:
    """(median, best) GFLOP/s of an n x n matrix product."""
    import torch

    a, b = torch.randn(n, n, dtype=dtype), torch.randn(n, n, dtype=dtype)
    for _ in range(2):
        a @ b
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        a @ b
        times.append(time.perf_counter() - start)
    return 2 * n**3 / statistics.median(times) / 1e9, 2 * n**3 / min(times) / 1e9


def padded_flops(lengths: list[int], batch_size: int) -> tuple[float, int]:
    """FLOPs of encoding sequences of these token lengths in length-sorted padded batches."""
    ordered = sorted(lengths, reverse=True)
    flops, tokens = 0.0, 0
    for i in range(0, len(ordered), batch_size):
        batch = ordered[i:i + batch_size]
        padded = max(batch)
        tokens += padded * len(batch)
        flops += len(batch) * LAYERS * (padded * 2 * (4 * H * H + 2 * H * F) + 4 * padded**2 * H)
    return flops, tokens


def main(argv=None) -> int:
    import pandas as pd
    import torch

    from pipeline.embed import SentenceEmbedder

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quotes", default="reports/sample/quotes.csv")
    parser.add_argument("--passes", type=int, default=5)
    args = parser.parse_args(argv)

    lines = ["| matrix product | fp32 median | fp32 best | bf16 median | bf16 best |", "|---|---|---|---|---|"]
    peak = {"fp32": 0.0, "bf16": 0.0}  # the best rate seen at any size
    for n in (1024, 2048):
        fp32, bf16 = matmul_peak(n, torch.float32), matmul_peak(n, torch.bfloat16)
        peak = {"fp32": max(peak["fp32"], fp32[1]), "bf16": max(peak["bf16"], bf16[1])}
        lines.append(f"| n = {n} | {fp32[0]:.1f} | {fp32[1]:.1f} | {bf16[0]:.1f} | {bf16[1]:.1f} |")

    texts = sorted(set(pd.read_csv(args.quotes, keep_default_na=False)["text"].astype(str)), key=len)
    encoders = {p: SentenceEmbedder(precision=p, batch_size=64) for p in ("fp32", "bf16")}
    model = encoders["fp32"]._load()
    lengths = [min(len(ids), model.max_seq_length) for ids in model.tokenizer(texts)["input_ids"]]
    flops, padded = padded_flops(lengths, 64)
    for encoder in encoders.values():
        encoder.encode(texts[:128])  # warm-up
    seconds = {p: [] for p in encoders}
    for _ in range(args.passes):
        for precision, encoder in encoders.items():
            start = time.perf_counter()
            encoder.encode(texts)
            seconds[precision].append(time.perf_counter() - start)
    lines += ["", f"Encoder: {len(texts)} distinct quote units of `{args.quotes}`, {sum(lengths)} tokens "
                  f"({padded} with padding), {args.passes} alternating passes, {torch.get_num_threads()} threads.", "",
              "| precision | median s | best s | GFLOP/s median | GFLOP/s best | best / matmul best |",
              "|---|---|---|---|---|---|"]
    for precision, runs in seconds.items():
        med, best = statistics.median(runs), min(runs)
        lines.append(f"| {precision} | {med:.2f} | {best:.2f} | {flops / med / 1e9:.1f} | {flops / best / 1e9:.1f} | "
                     f"{flops / best / 1e9 / peak[precision]:.0%} of {peak[precision]:.1f} |")
    ratios = [f / b for f, b in zip(seconds["fp32"], seconds["bf16"])]
    lines.append(f"\nPaired fp32/bf16 speed-up: {', '.join(f'{r:.2f}' for r in ratios)}; "
                 f"median {statistics.median(ratios):.2f}x.")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())

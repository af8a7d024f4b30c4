"""The sentence encoder's paths side by side: speed, vectors against fp32, theme quality.

    python -m benchmarks.bench_encoder [--quotes reports/sample/quotes.csv] [--passes 5]
                                       [--ami-units 3000] [--quality] [--peak]

1. Speed: the pinned all-MiniLM-L6-v2 encodes the distinct quote units of a
   finished run (`quotes.csv` `text`; `make run` writes the sample's) on every
   path, alternating, `--passes` times each after a warm-up. The shared
   machine is noisy, so the table gives medians and, for each path, the median
   of its paired ratios to the fp32 pass just before it.
   Paths: the pipeline's `fp32`, `bf16` and `onnx-fp32` (`[embed] precision`),
   and two that are measured here only: `torch-int8` (PyTorch dynamic int8
   quantisation of the Linear layers) and `onnx-int8` (ONNX Runtime dynamic
   int8 quantisation, per channel, of the same exported graph).
2. Vectors: cosine of each path's vector to the fp32 PyTorch vector of the
   same text, min, 1st percentile and mean, on the sample's quote units and on
   `--ami-units` AMI meeting turns from ../shared/eval (the first series, as
   `benchmarks.datasets.ami` reads them). The bar is >= 0.99 for every text.
3. `--quality`: our theme model on bench_quality's sets (CLINC150,
   world_after_covid, 10 AMI series), once on fp32 vectors and once on the
   vectors of the path `auto` chooses here, as `make bench-quality` scores
   them (ARI, NMI, two seeds). Vectors are cached under benchmarks/.cache.
4. `--peak`: the matrix-product ceiling, `torch.matmul` of square fp32 and
   bf16 matrices (n = 1024, 2048), 15 timed products after 2 warm-ups.

Derived models (the ONNX graphs) go to a temporary folder and are deleted.
Prints Markdown and writes benchmarks/results/encoder.md.
"""
from __future__ import annotations

import argparse
import copy
import logging
import shutil
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np

RESULTS = Path(__file__).resolve().parent / "results" / "encoder.md"
PIPELINE_PATHS = ("fp32", "bf16", "onnx-fp32")


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


def peak_table() -> list[str]:
    import torch

    lines = ["| matrix product | fp32 median | fp32 best | bf16 median | bf16 best |", "|---|---|---|---|---|"]
    for n in (1024, 2048):
        fp32, bf16 = matmul_peak(n, torch.float32), matmul_peak(n, torch.bfloat16)
        lines.append(f"| n = {n} | {fp32[0]:.1f} | {fp32[1]:.1f} | {bf16[0]:.1f} | {bf16[1]:.1f} |")
    return lines


def build_encoders(folder: Path) -> dict:
    """Every path as a function texts -> unit vectors: the pipeline's three and the two int8 candidates."""
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    from pipeline.embed import OnnxEncoder, SentenceEmbedder

    embedders = {p: SentenceEmbedder(precision=p, derived_dir=folder) for p in PIPELINE_PATHS}
    for path, embedder in embedders.items():
        if embedder.precision_used != path:
            raise SystemExit(f"the {path} path fell back to {embedder.precision_used}: see the warning above")
    model = embedders["fp32"]._load()

    quantised = copy.deepcopy(model)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torch.ao's notice that quantize_dynamic moves to torchao
        quantised[0].model = torch.ao.quantization.quantize_dynamic(quantised[0].model, {torch.nn.Linear},
                                                                   dtype=torch.qint8)

    # The int8 graph is quantised from the checked fp32 graph; weights per output channel, the
    # variant that kept the vectors closest among those tried (per tensor, reduced range, uint8).
    int8 = OnnxEncoder(folder / "int8", "int8")
    int8.path.mkdir(parents=True)
    quantize_dynamic(embedders["onnx-fp32"].onnx_.path / "model.onnx", int8.path / "model.onnx",
                     per_channel=True, weight_type=QuantType.QInt8)

    encoders = {p: e.encode for p, e in embedders.items()}
    encoders["torch-int8"] = lambda texts: quantised.encode(list(texts), batch_size=64, normalize_embeddings=True,
                                                            convert_to_numpy=True, show_progress_bar=False)
    encoders["onnx-int8"] = lambda texts: int8.encode(model, list(texts))
    return encoders


def cosine_row(name: str, vectors: np.ndarray, reference: np.ndarray) -> list[float]:
    cosines = (vectors * reference).sum(axis=1)
    return [float(cosines.min()), float(np.percentile(cosines, 1)), float(cosines.mean())]


def quality_rows(chosen: str, folder: Path) -> list[str]:
    """Our theme model on bench_quality's sets, fp32 vectors against the chosen path's."""
    from benchmarks import bench_quality, datasets
    from pipeline.embed import EmbeddingCache, SentenceEmbedder, embed_texts

    sets = [datasets.clinc150("intent"), datasets.world_after_covid(bench_quality._sentence_units()),
            datasets.ami(n_series=10)]
    lines = ["| data | vectors | ARI | NMI | in no theme | themes | seed agreement (ARI) |",
             "|---|---|---|---|---|---|---|"]
    for dataset in sets:
        for path in dict.fromkeys(("fp32", chosen)):
            embedder = SentenceEmbedder(precision=path, derived_dir=folder)
            vectors, _ = embed_texts(dataset.texts, embedder, EmbeddingCache(bench_quality.CACHE))
            r = bench_quality.evaluate(dataset, vectors, bench_quality.ours, "ours")
            lines.append(f"| {dataset.name} | {path} | {r['ari']:.3f} | {r['nmi']:.3f} | {r['no_theme']:.1%} | "
                         f"{r['themes']:.0f} | {r['agreement']:.3f} |")
            print(lines[-1], file=sys.stderr, flush=True)
    return lines


def main(argv=None) -> int:
    import pandas as pd
    import torch

    from benchmarks import datasets
    from pipeline.embed import SentenceEmbedder, native_bf16, resolve_precision

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quotes", default="reports/sample/quotes.csv")
    parser.add_argument("--passes", type=int, default=5)
    parser.add_argument("--ami-units", type=int, default=3000, help="AMI turns for the cosine check")
    parser.add_argument("--quality", action="store_true", help="theme quality on fp32 and the chosen path")
    parser.add_argument("--peak", action="store_true", help="the matrix-product ceiling too")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)

    texts = sorted(set(pd.read_csv(args.quotes, keep_default_na=False)["text"].astype(str)), key=len)
    ami = datasets.ami(n_series=None).texts[:args.ami_units]
    folder = Path(tempfile.mkdtemp(prefix="bench-encoder-"))
    try:
        encoders = build_encoders(folder)
        chosen = SentenceEmbedder(precision="auto", derived_dir=folder).precision_used

        cosines = {}
        for corpus, items in (("sample", texts), ("ami", ami)):
            reference = encoders["fp32"](items)
            for name, encode in encoders.items():
                cosines[name, corpus] = cosine_row(name, encode(items), reference)
                print(f"cosine {name} {corpus}: {cosines[name, corpus]}", file=sys.stderr, flush=True)

        for encode in encoders.values():
            encode(texts[:128])  # warm-up
        seconds = {name: [] for name in encoders}
        for _ in range(args.passes):
            for name, encode in encoders.items():
                start = time.perf_counter()
                encode(texts)
                seconds[name].append(time.perf_counter() - start)
            print("pass:", {n: round(s[-1], 2) for n, s in seconds.items()}, file=sys.stderr, flush=True)

        quality = quality_rows(chosen, folder) if args.quality else []
    finally:
        shutil.rmtree(folder, ignore_errors=True)

    lines = [f"Encoder paths: the pinned all-MiniLM-L6-v2 on {len(texts)} distinct quote units of `{args.quotes}`, "
             f"{args.passes} alternating passes after a warm-up, {torch.get_num_threads()} threads, "
             f"CPU capability {torch.backends.cpu.get_cpu_capability()}, native bf16 {native_bf16()}. "
             f"Cosine to the fp32 PyTorch vector of the same text on those units and on {len(ami)} AMI turns.", "",
             "| path | median s | best s | texts/s (median) | speed-up vs fp32 (median of paired ratios) | "
             "cosine min (sample) | p1 (sample) | min (AMI) | p1 (AMI) | mean (AMI) | passes 0.99 |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    for name, runs in seconds.items():
        med = statistics.median(runs)
        ratio = statistics.median(f / s for f, s in zip(seconds["fp32"], runs))
        worst = min(cosines[name, "sample"][0], cosines[name, "ami"][0])
        lines.append(f"| {name} | {med:.2f} | {min(runs):.2f} | {len(texts) / med:.0f} | {ratio:.2f}x | "
                     f"{cosines[name, 'sample'][0]:.5f} | {cosines[name, 'sample'][1]:.5f} | "
                     f"{cosines[name, 'ami'][0]:.5f} | {cosines[name, 'ami'][1]:.5f} | "
                     f"{cosines[name, 'ami'][2]:.5f} | {'yes' if worst >= 0.99 else 'no'} |")
    lines += ["", "Seconds per pass: " + "; ".join(f"{n} {', '.join(f'{s:.2f}' for s in runs)}"
                                                   for n, runs in seconds.items()) + ".",
              "", f"`[embed] precision = \"auto\"` resolves here to **{resolve_precision('auto')}**, "
                  f"used: **{chosen}**."]
    lines += ["", "- Every path sorts by length before batching: `embed_texts` sorts the texts to embed, "
                  "sentence-transformers' `encode` sorts each call longest first, and `OnnxEncoder` does the same, "
                  "so batches pad little.",
              "- Threads: ONNX Runtime gets PyTorch's thread count (intra-op) and runs one operator at a time, "
              "so its arithmetic, and every vector, is the same on every run."]
    if quality:
        lines += ["", "Theme quality (our model, bench_quality's sets and scoring), fp32 vectors and the chosen "
                      "path's:", "", *quality]
    if args.peak:
        lines += ["", "Matrix-product ceiling, GFLOP/s:", "", *peak_table()]
    text = "\n".join(lines) + "\n"
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())

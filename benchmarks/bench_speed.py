"""Speed and memory on real meetings: our whole pipeline cold and warm, and BERTopic 0.17.4 on the same quotes.

    python -m benchmarks.bench_speed                 # 40 AMI meetings
    python -m benchmarks.bench_speed --all           # all 137
    python -m benchmarks.bench_speed --meetings 8 --no-write   # a quick look

The AMI meetings (../shared/eval/ami, CC BY 4.0 via QMSum) become JSONL rows
(`transcript_id, speaker, text`) in a temporary folder, one sub-folder per
series of four meetings, so the series is the team. Every measured run is a
child process, so its peak memory is its own (`ru_maxrss` from `os.wait4`):

1. cold: `pipeline.runner.run(folder, out=..., cache_dir=<empty folder>)`;
2. warm: the same with the embedding cache the cold run filled (new output folder);
3. BERTopic 0.17.4 with its defaults (UMAP seeded) on the cold run's quote
   units (`quotes.csv` `text`), with the same sentence model (the pinned
   all-MiniLM-L6-v2), twice: as shipped, BERTopic embedding the quotes itself
   through its sentence-transformers backend (fp32, batch 32), and given our
   encoder at our configured precision (bf16 here) before `fit_transform`.

Both sides' clocks include importing their own libraries, as a user's run
does: ours imports spaCy and sentence-transformers inside `run`, BERTopic's
"load" is importing BERTopic, UMAP and sentence-transformers and loading the
model. What our child imports before its clock (numpy, pandas, scikit-learn,
scipy, via `pipeline.runner`) the BERTopic child imports before its own.

Seconds per stage come from each run's `run.json` `timings`. Cold and warm
must give byte-identical themes.csv, quotes.csv and decisions.csv. The table,
the machine and the ratios are printed and written into BENCHMARKS.md at the
repository root (the section between the `bench_speed` markers).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
AMI = ROOT.parent / "shared" / "eval" / "ami" / "meetings"
BENCHMARKS_MD = ROOT / "BENCHMARKS.md"
# Every stage the runner times (run.json `timings`), in run order.
STAGES = ("ingest", "parse", "anonymise", "segment", "signals", "phrases", "embed", "score", "themes", "ground",
          "dilemmas", "curate", "report")
COMPARED = ("themes.csv", "quotes.csv", "decisions.csv")


def convert_ami(dest: Path, n_meetings: int | None) -> int:
    """Write the first `n_meetings` AMI meetings (all when None) as `<series>/<meeting>.jsonl`; return the turn count."""
    files = sorted(AMI.glob("*.json"))
    if not files:
        sys.exit(f"no AMI meetings in {AMI}: the benchmark reads ../shared/eval/ami beside the checkout")
    n_turns = 0
    for source in files[:n_meetings]:
        meeting = source.stem
        turns = json.loads(source.read_text(encoding="utf-8"))["meeting_transcripts"]
        folder = dest / meeting[:6]
        folder.mkdir(parents=True, exist_ok=True)
        with (folder / f"{meeting}.jsonl").open("w", encoding="utf-8") as out:
            for turn in turns:
                out.write(json.dumps({"transcript_id": meeting, "speaker": turn["speaker"],
                                      "text": turn["content"]}) + "\n")
        n_turns += len(turns)
    return n_turns


# ---- children: one measured run each -------------------------------------------------------

def child_pipeline(args) -> dict:
    from pipeline.config import load_config
    from pipeline.embed import embedder_from_config
    from pipeline.runner import run

    config = load_config(args.config)
    start = time.perf_counter()
    # The embedder as [embed] describes it, precision included (what the proposed runner wiring builds).
    result = run(args.input, out=args.out, cache_dir=args.cache, config=config,
                 embedder=embedder_from_config(config.embed))
    wall = time.perf_counter() - start
    return {"wall": wall, "timings": result.summary["timings"], "counts": result.summary["counts"],
            "sentence_model": result.summary["models"]["sentence_model"]}


def child_bertopic(args) -> dict:
    import numpy as np
    import pandas as pd

    # What our child has imported before its clock starts (numpy, pandas, scikit-learn, scipy):
    # from here on each side's clock includes importing its own libraries, as a user's run does.
    import pipeline.runner  # noqa: F401
    from pipeline.config import load_config
    from pipeline.embed import embedder_from_config

    texts = pd.read_csv(Path(args.out) / "quotes.csv", keep_default_na=False)["text"].astype(str).tolist()
    start = time.perf_counter()
    from bertopic import BERTopic
    from umap import UMAP

    umap_model = UMAP(n_neighbors=15, n_components=5, min_dist=0.0, metric="cosine", random_state=42)
    if args.embedding == "shipped":
        # As a BERTopic user runs it: the model handed over, BERTopic embeds (fp32, its batch of 32).
        from bertopic.backend._utils import select_backend
        from sentence_transformers import SentenceTransformer

        from pipeline.models import verify_pinned

        # select_backend is how BERTopic wraps a model it is handed (a SentenceTransformerBackend here).
        backend = select_backend(SentenceTransformer(str(verify_pinned("sentence_model")), device="cpu",
                                                     local_files_only=True))
        loaded = time.perf_counter()
        vectors = backend.embed(texts)  # what fit_transform(texts) does first, timed on its own
        embedded = time.perf_counter()
        topics, _ = BERTopic(embedding_model=backend, umap_model=umap_model).fit_transform(texts, embeddings=vectors)
        precision = "fp32"
    else:
        embedder = embedder_from_config(load_config(args.config).embed)
        embedder._load()
        loaded = time.perf_counter()
        vectors = embedder.encode(texts)
        embedded = time.perf_counter()
        topics, _ = BERTopic(umap_model=umap_model).fit_transform(texts, embeddings=vectors)
        precision = embedder.precision_used
    done = time.perf_counter()
    return {"wall": done - start, "load": loaded - start, "embed": embedded - loaded, "fit": done - embedded,
            "quotes": len(texts), "topics": len(set(np.asarray(topics).tolist()) - {-1}), "precision": precision}


def snapshot_code(dest: Path) -> Path:
    """Copy the code under test, so edits made while the benchmark runs cannot mix two versions."""
    shutil.rmtree(dest, ignore_errors=True)
    ignore = shutil.ignore_patterns("__pycache__", ".cache", "results", "*.pyc")
    for name in ("pipeline", "models"):
        shutil.copytree(ROOT / name, dest / name, ignore=ignore)
    (dest / "benchmarks").mkdir(parents=True)
    for name in ("__init__.py", "bench_speed.py"):
        shutil.copy2(ROOT / "benchmarks" / name, dest / "benchmarks" / name)
    return dest


CODE = ROOT  # where children import the code from; main() points it at a snapshot


def measure(kind: str, **kwargs) -> dict:
    """Run one measurement in a child process; add its peak resident memory (MB)."""
    cmd = [sys.executable, "-m", "benchmarks.bench_speed", "--child", kind]
    for key, value in kwargs.items():
        if value is not None:
            cmd += [f"--{key}", str(value)]
    with tempfile.NamedTemporaryFile("r", suffix=".json", delete=False) as fh:
        report = Path(fh.name)
    proc = subprocess.Popen(cmd + ["--report", str(report)], cwd=CODE)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in (0, 3):
        sys.exit(f"the {kind} run failed (exit {proc.returncode}): {' '.join(cmd)}")
    result = json.loads(report.read_text())
    report.unlink()
    result["peak_mb"] = usage.ru_maxrss / 1024  # Linux reports KB
    return result


# ---- the parent: convert, measure, compare, write ------------------------------------------

def machine() -> dict:
    info = {"cpu": platform.processor() or platform.machine(), "cores": os.cpu_count(), "memory_gb": None}
    try:
        lscpu = subprocess.run(["lscpu"], capture_output=True, text=True, check=True).stdout
        found = re.search(r"Model name:\s*(.+)", lscpu)
        info["cpu"] = found.group(1).strip() if found else info["cpu"]
    except (OSError, subprocess.CalledProcessError):
        pass
    try:
        kb = int(re.search(r"MemTotal:\s*(\d+)", Path("/proc/meminfo").read_text()).group(1))
        info["memory_gb"] = round(kb / 1024 ** 2, 1)
    except (OSError, AttributeError):
        pass
    from pipeline.embed import cpu_flags, resolve_precision

    info["bf16_flags"] = sorted(cpu_flags() & {"amx_bf16", "avx512_bf16", "amx_tile"})
    info["auto_precision"] = resolve_precision("auto")
    info["python"] = platform.python_version()
    return info


def identical(a: Path, b: Path) -> dict[str, bool]:
    return {name: (a / name).read_bytes() == (b / name).read_bytes() for name in COMPARED}


# The two ways BERTopic is measured: how its own README runs it, and handed our encoder.
BERTOPIC = {"shipped": "BERTopic 0.17.4 as shipped (it embeds, through sentence-transformers)",
            "ours": "BERTopic 0.17.4 given our encoder"}


def table(label: str, cold: list[dict], warm: list[dict], bert: dict[str, list[dict]]) -> list[str]:
    med = statistics.median
    rows = [f"| {label} | runs | wall s | peak MB | " + " | ".join(STAGES) + " |",
            "|---|---|---|---|" + "---|" * len(STAGES)]
    for name, runs in (("ours, cold", cold), ("ours, warm", warm)):
        stages = " | ".join(f"{med([r['timings'].get(s, 0.0) for r in runs]):.2f}" for s in STAGES)
        rows.append(f"| {name} | {len(runs)} | {med([r['wall'] for r in runs]):.1f} | "
                    f"{max(r['peak_mb'] for r in runs):.0f} | {stages} |")
    for kind, runs in bert.items():
        rows.append(f"| {BERTOPIC[kind]} ({runs[0]['precision']}; import and load {med([r['load'] for r in runs]):.1f} s + embed "
                    f"{med([r['embed'] for r in runs]):.1f} s + fit {med([r['fit'] for r in runs]):.1f} s) | "
                    f"{len(runs)} | {med([r['wall'] for r in runs]):.1f} | {max(r['peak_mb'] for r in runs):.0f} | "
                    + " | ".join("" for _ in STAGES) + " |")
    return rows


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--meetings", type=int, default=40, help="how many AMI meetings (sorted by name)")
    parser.add_argument("--all", action="store_true", help="all 137 meetings")
    parser.add_argument("--runs", type=int, default=1, help="cold/warm/BERTopic repetitions (medians reported)")
    parser.add_argument("--config", help="a config TOML for our runs (and BERTopic's embedder)")
    parser.add_argument("--no-bertopic", action="store_true")
    parser.add_argument("--no-write", action="store_true", help="print only; leave BENCHMARKS.md alone")
    parser.add_argument("--keep", help="keep the converted input and outputs in this folder")
    parser.add_argument("--child", choices=["pipeline", "bertopic"], help=argparse.SUPPRESS)
    parser.add_argument("--input", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    parser.add_argument("--cache", help=argparse.SUPPRESS)
    parser.add_argument("--report", help=argparse.SUPPRESS)
    parser.add_argument("--embedding", choices=sorted(BERTOPIC), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.config:
        args.config = str(Path(args.config).resolve())

    if args.child:
        import logging
        import warnings

        logging.basicConfig(level=logging.WARNING)
        warnings.filterwarnings("ignore")
        result = child_pipeline(args) if args.child == "pipeline" else child_bertopic(args)
        Path(args.report).write_text(json.dumps(result))
        return 0

    global CODE
    n_meetings = None if args.all else args.meetings
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="cg-bench-"))
    try:
        CODE = snapshot_code(work / "code")
        corpus = work / "ami"
        shutil.rmtree(corpus, ignore_errors=True)
        n_turns = convert_ami(corpus, n_meetings)
        n_files = len(list(corpus.rglob("*.jsonl")))
        print(f"{n_files} AMI meetings, {n_turns} turns -> {corpus}", flush=True)
        cold, warm, same = [], [], []
        bert: dict[str, list[dict]] = {} if args.no_bertopic else {kind: [] for kind in BERTOPIC}
        for i in range(args.runs):
            cache = work / f"cache-{i}"
            shutil.rmtree(cache, ignore_errors=True)
            out_cold, out_warm = work / f"cold-{i}", work / f"warm-{i}"
            for folder in (out_cold, out_warm):
                shutil.rmtree(folder, ignore_errors=True)
            cold.append(measure("pipeline", input=corpus, out=out_cold, cache=cache, config=args.config))
            print(f"cold {i}: {cold[-1]['wall']:.1f} s, {cold[-1]['peak_mb']:.0f} MB {cold[-1]['timings']}", flush=True)
            warm.append(measure("pipeline", input=corpus, out=out_warm, cache=cache, config=args.config))
            print(f"warm {i}: {warm[-1]['wall']:.1f} s, {warm[-1]['peak_mb']:.0f} MB {warm[-1]['timings']}", flush=True)
            same.append(identical(out_cold, out_warm))
            print(f"cold == warm: {same[-1]}", flush=True)
            for kind, runs in bert.items():
                runs.append(measure("bertopic", out=out_cold, config=args.config, embedding=kind))
                print(f"BERTopic ({kind}) {i}: {runs[-1]}", flush=True)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)

    med = statistics.median
    info = machine()
    counts = cold[0]["counts"]
    label = f"{n_files} AMI meetings"
    lines = [f"### {label}: {n_turns} AMI turns, {counts['turns']} kept, {counts['quotes']} quote units, "
             f"{counts['themes']} themes", "",
             *table(label, cold, warm, bert), ""]
    cold_s, warm_s = med([r["wall"] for r in cold]), med([r["wall"] for r in warm])
    # The speed issue's targets: warm at most 0.12 of cold; at most 2 GB on all 137 meetings; cold at
    # most 0.5 of BERTopic's time on 40 meetings and 0.7 on all 137.
    ratios = [f"- warm / cold: **{warm_s / cold_s:.2f}** (target at most 0.12)",
              f"- cold and warm outputs byte-identical ({', '.join(COMPARED)}): "
              f"**{all(all(s.values()) for s in same)}**",
              f"- peak memory, ours: **{max(r['peak_mb'] for r in cold + warm):.0f} MB** (target at most 2 GB on all 137)",
              f"- sentence model: `{cold[0]['sentence_model']}`"]
    for n, (kind, runs) in enumerate(bert.items()):
        bert_s = med([r["wall"] for r in runs])
        ratios.insert(n, f"- ours cold / {BERTOPIC[kind]} (import, embedding and fit): **{cold_s / bert_s:.2f}** "
                         f"({cold_s:.1f} s vs {bert_s:.1f} s; target at most {0.7 if args.all else 0.5}); it found "
                         f"{runs[0]['topics']} topics in {runs[0]['quotes']} quotes")
    lines += ratios
    lines += ["", f"Machine: {info['cpu']}, {info['cores']} cores, {info['memory_gb']} GB; bf16 flags "
                  f"{info['bf16_flags'] or 'none'} (`[embed] precision = \"auto\"` resolves to {info['auto_precision']}); "
                  f"Python {info['python']}. Command: `python -m benchmarks.bench_speed"
                  f"{' --all' if args.all else '' if args.meetings == 40 else f' --meetings {args.meetings}'}"
                  f"{f' --runs {args.runs}' if args.runs != 1 else ''}{' --no-bertopic' if args.no_bertopic else ''}`; "
                  f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}."]
    text = "\n".join(lines)
    print(text)
    if not args.no_write:
        write_section(label, text)
    return 0


def write_section(label: str, text: str) -> None:
    """Replace this label's section in BENCHMARKS.md (between markers), keeping everything else."""
    begin, end = f"<!-- bench_speed:begin {label} -->", f"<!-- bench_speed:end {label} -->"
    block = f"{begin}\n{text}\n{end}"
    current = BENCHMARKS_MD.read_text(encoding="utf-8") if BENCHMARKS_MD.is_file() else "# Benchmarks\n"
    if begin in current and end in current:
        head, rest = current.split(begin, 1)
        current = head + block + rest.split(end, 1)[1]
    else:
        current = current.rstrip("\n") + "\n\n" + block + "\n"
    BENCHMARKS_MD.write_text(current, encoding="utf-8")
    print(f"wrote {BENCHMARKS_MD}")


if __name__ == "__main__":
    sys.exit(main())

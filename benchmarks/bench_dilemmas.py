"""Shared dilemmas, decision points, reasons and common ground on the sample, against its answer key.

    .venv/bin/python -m benchmarks.bench_dilemmas [--detector learned|rules]

Runs the pipeline on data/sample (the pinned models, a fresh cache) and
judges the dilemmas tables with the end-to-end test's judges
(tests/e2e/test_sample_dilemmas.py, read from there so that both judge alike):
a dilemma is a planted one when its quotes come from 3+ of the planted
conversations and half of its quotes or more from them ("strict"; "loose"
drops that share); a decision point or reason is the planted one when it states one of
the sentences the answer key lists for it verbatim (60% of the shorter's
words matched in order); a common ground is a
planted one when its quotes hold that reason's planted sentences from 3+
teams. Beside each, what a list of the same shape picked at random gets.
Writes benchmarks/results/dilemmas.md.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from pipeline import schema  # noqa: E402
from pipeline.config import load_config  # noqa: E402
from pipeline.embed import embedder_from_config  # noqa: E402
from pipeline.runner import run  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results" / "dilemmas.md"


def _judges():
    spec = importlib.util.spec_from_file_location("judges", ROOT / "tests" / "e2e" / "test_sample_dilemmas.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--detector", choices=["learned", "rules"], default="learned")
    args = parser.parse_args(argv)
    judges = _judges()
    key = json.loads((ROOT / "data" / "sample-answer-key.json").read_text(encoding="utf-8"))
    config = load_config(**{"signals.detector": args.detector})
    with tempfile.TemporaryDirectory() as folder:
        result = run(ROOT / "data" / "sample", out=Path(folder) / "out", config=config, cache_dir=Path(folder) / "c")
    transcript_of = dict(zip(result.quotes[schema.QUOTE_ID], result.quotes[schema.TRANSCRIPT_ID]))
    strict = judges.match_planted(result.dilemmas, transcript_of, key)
    judges.MIN_SHARE, share = 0.0, judges.MIN_SHARE
    loose = judges.match_planted(result.dilemmas, transcript_of, key)
    judges.MIN_SHARE = share
    total, decided, reasoned = judges.judge_rows(result, key, strict)
    ground = judges.match_common_ground(result.common_ground, result.quotes, key)
    rng = np.random.default_rng(0)
    dealt = [judges.match_planted(judges._random_dilemmas(result, rng), transcript_of, key) for _ in range(200)]
    chance = [len(matched) for matched in dealt]
    chance_top = [judges.found_in_top(matched) for matched in dealt]
    chance_decision, chance_reason = judges.chance_of_rows(result, key, strict)
    similarity = _shared_reason_similarity(result, key, judges)
    alone = _shared_sentence_similarity(key, config)
    rows = [
        ("dilemma units flagged", f"{int(result.quotes[schema.IS_DILEMMA].sum())} of {len(result.quotes)}", ""),
        ("dilemmas (shared by 2+ teams)", f"{len(result.dilemmas)} ({int((result.dilemmas[schema.N_TEAMS] >= 2).sum())})",
         ""),
        ("planted shared dilemmas found, strict (their ranks)",
         f"{len(strict)} of 6 ({', '.join(f'{d}: {v[1:]}' for d, v in sorted(strict.items()))})",
         f"{np.mean(chance):.2f} (95th percentile {np.percentile(chance, 95):.0f})"),
        (f"of them among the first {judges.TOP} dilemmas (the end-to-end test's measure)",
         f"{judges.found_in_top(strict)} of 6",
         f"{np.mean(chance_top):.2f} (95th percentile {np.percentile(chance_top, 95):.0f})"),
        ("planted shared dilemmas found, loose (their ranks)",
         f"{len(loose)} of 6 ({', '.join(f'{d}: {v[1:]}' for d, v in sorted(loose.items()))})", ""),
        ("planted rows with the planted decision point", f"{decided} of {total}",
         f"{chance_decision:.2f} of rows"),
        ("planted rows with the planted reason", f"{reasoned} of {total}", f"{chance_reason:.2f} of rows"),
        ("planted common ground found", f"{len(ground)} of {len(key.get('shared_reasons', {}))} "
                                        f"({len(result.common_ground)} common ground in all)", ""),
        ("cosine between the planted sentences of one shared reason, as their units in context",
         f"{min(similarity):.2f} to {max(similarity):.2f}" if similarity else "", ""),
        ("the same, each sentence embedded alone (as the common ground reads a principle)",
         f"{min(alone):.2f} to {max(alone):.2f}" if alone else "", ""),
    ]
    table = "\n".join(["| measure | this run | a list picked at random |", "|---|---|---|"]
                      + [f"| {a} | {b} | {c} |" for a, b, c in rows])
    text = (f"# Shared dilemmas on the sample\n\nCommand: `.venv/bin/python -m benchmarks.bench_dilemmas "
            f"--detector {args.detector}`. Data: data/sample and data/sample-answer-key.json. Judges: "
            "tests/e2e/test_sample_dilemmas.py.\n\n" + table + "\n")
    RESULTS.write_text(text, encoding="utf-8")
    print(text)
    return 0


def _shared_reason_similarity(result, key, judges) -> list[float]:
    """Cosines between the quotes holding the planted sentences of each shared reason (the run's vectors)."""
    texts = [judges._plain(t) for t in result.quotes[schema.TEXT]]
    found = []
    for reason in key.get("shared_reasons", {}).values():
        rows = [next((i for i, t in enumerate(texts) if judges._plain(p["text"]) in t), None) for p in reason["planted"]]
        vectors = result.embeddings[[i for i in rows if i is not None]]
        similarity = vectors @ vectors.T
        found += similarity[np.triu_indices(len(vectors), 1)].tolist()
    return found


def _shared_sentence_similarity(key, config) -> list[float]:
    """Cosines between the planted sentences of each shared reason, each embedded alone by the run's model."""
    embedder = embedder_from_config(config.embed)
    found = []
    for reason in key.get("shared_reasons", {}).values():
        vectors = np.asarray(embedder.encode([p["text"] for p in reason["planted"]]), dtype=float)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        similarity = vectors @ vectors.T
        found += similarity[np.triu_indices(len(vectors), 1)].tolist()
    return found


if __name__ == "__main__":
    sys.exit(main())

"""Where the sample's planted shared dilemmas rank among its themes.

    python -m benchmarks.bench_planted [--context WEIGHT,WINDOW ...] [--cache DIR]

Writes a Markdown table to stdout and benchmarks/results/planted.md.

The bundled sample (data/sample) was written with six dilemmas each shared by
four of its six teams (data/sample-answer-key.json). Issue 5 is done when they
are the top common-ground themes. This runs the whole pipeline on the sample
once per setting of [themes] context_weight and context_window (the defaults
when none is given) and prints, per dilemma, the rank of the theme that
matches it best, by the end-to-end test's rule: a theme voiced by 3+ teams
with at least 30% of its quotes carrying the dilemma's evidence terms, from
3 or more of the teams it was planted in. "-" means no theme matches.
"""
from __future__ import annotations

import argparse
import json
import logging
import re
import sys
import tempfile
import warnings
from pathlib import Path

import pandas as pd

from pipeline import schema
from pipeline.config import load_config
from pipeline.runner import run

ROOT = Path(__file__).resolve().parents[1]
SAMPLE, ANSWER_KEY = ROOT / "data" / "sample", ROOT / "data" / "sample-answer-key.json"
RESULTS = ROOT / "benchmarks" / "results" / "planted.md"


def planted_ranks(quotes: pd.DataFrame, themes: pd.DataFrame, answer_key: dict) -> dict[str, int | None]:
    """Dilemma id -> 1-based rank of its best-matching theme in `themes` (ranked), or None."""
    rank = {theme: i + 1 for i, theme in enumerate(themes[schema.THEME_ID])}
    placed = quotes[quotes[schema.THEME_ID] != schema.NO_THEME]
    ranks = {}
    for dilemma, planted in answer_key["shared_dilemmas"].items():
        pattern = re.compile(r"\b(?:" + "|".join(map(re.escape, planted["evidence_terms"])) + ")", re.IGNORECASE)
        best = None
        for theme, members in placed.groupby(schema.THEME_ID):
            about = members[schema.TEXT].str.contains(pattern)
            teams = set(members.loc[about, schema.TEAM]) & set(planted["teams"])
            if members[schema.TEAM].nunique() >= 3 and about.mean() >= 0.3 and len(teams) >= 3:
                if best is None or (about.mean(), len(teams)) > best[1]:
                    best = (theme, (about.mean(), len(teams)))
        ranks[dilemma] = None if best is None else rank[best[0]]
    return ranks


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--context", nargs="*", metavar="WEIGHT,WINDOW", default=[],
                        help="[themes] context_weight,context_window settings to compare (default: the config's)")
    parser.add_argument("--cache", default=None, help="cache folder for parses and embeddings (default: none)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    warnings.filterwarnings("ignore")
    answer_key = json.loads(ANSWER_KEY.read_text(encoding="utf-8"))
    dilemmas = list(answer_key["shared_dilemmas"])
    settings = [tuple(s.split(",")) for s in args.context] or [(None, None)]
    lines = ["| context weight, window | themes | " + " | ".join(dilemmas) + " | matched | top 5 themes |",
             "|---|---|" + "---|" * len(dilemmas) + "---|---|"]
    for weight, window in settings:
        overrides = {} if weight is None else {"themes.context_weight": float(weight),
                                               "themes.context_window": int(window)}
        config = load_config(**overrides)
        with tempfile.TemporaryDirectory() as out:
            result = run(SAMPLE, out=Path(out) / "report", config=config, cache_dir=args.cache)
        ranks = planted_ranks(result.quotes, result.themes, answer_key)
        cells = " | ".join("-" if ranks[d] is None else str(ranks[d]) for d in dilemmas)
        top = "; ".join(result.themes[schema.LABEL].head(5))
        lines.append(f"| {config.themes.context_weight}, {config.themes.context_window} | {len(result.themes)} | "
                     f"{cells} | {sum(r is not None for r in ranks.values())} of {len(dilemmas)} | {top} |")
        print(lines[-1], file=sys.stderr)
    table = "\n".join(lines) + "\n"
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(table, encoding="utf-8")
    print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Where the sample's planted shared dilemmas rank among its themes.

    python -m benchmarks.bench_planted [--context WEIGHT,WINDOW ...] [--cache DIR]

Writes a Markdown table to stdout and benchmarks/results/planted.md.

The bundled sample (data/sample) was written with six dilemmas each shared by
four of its six teams (data/sample-answer-key.json). The aim is that they
are the top common-ground themes. This runs the whole pipeline on the sample
once per setting of [themes] context_weight and context_window (the defaults
when none is given) and prints, per dilemma, the rank of the theme that
matches it best, by the end-to-end test's rule: a theme voiced by 3+ teams
with at least 30% of its quotes carrying the dilemma's evidence terms, from
3 or more of the teams it was planted in. "-" means no theme matches.

For the matched dilemmas it also counts, over the (dilemma, team) pairs the
answer key plants, how many rows of the decisions table for that theme and
team give the dilemma as the team voiced it, how many a decision, how many a
reason, and how many give *the planted*
decision: one of the 3 quotes of the team's conversation most similar (with
the pipeline's sentence model) to the answer key's account of it. That last
is a rough check, as a paraphrase is matched to a few sentences.

Last, "pure theme's rank": where a theme holding exactly the conversations a
dilemma was planted in (one in each of four teams) would rank among the
run's themes by its common-ground score (ties and scaffolding after it).
It bounds what better clustering alone can do for the ranks.
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

import numpy as np
import pandas as pd

from pipeline import schema
from pipeline.config import load_config
from pipeline.embed import embedder_from_config
from pipeline.ground import common_ground_scores
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


def planted_decisions(result, ranks: dict, answer_key: dict, embedder) -> dict[str, int]:
    """Counts over the planted (dilemma, team) pairs of matched dilemmas: pairs, dilemmas voiced, decisions, reasons,
    planted decisions."""
    quotes, themes, decisions = result.quotes, result.themes, result.decisions.fillna("")
    counts = {"pairs": 0, "dilemmas": 0, "decisions": 0, "reasons": 0, "planted": 0}
    for conversation in answer_key["conversations"]:
        members = quotes[quotes[schema.TRANSCRIPT_ID] == conversation["file"]]
        vectors = embedder.encode(members[schema.TEXT].tolist()) if len(members) else None
        for planted in conversation["dilemmas"]:
            if ranks.get(planted["id"]) is None:
                continue
            theme = themes[schema.THEME_ID].iloc[ranks[planted["id"]] - 1]
            rows = decisions[(decisions[schema.THEME_ID] == theme) & (decisions[schema.TEAM] == conversation["team"])]
            decision = rows[schema.DECISION_QUOTE_ID].iloc[0] if len(rows) else ""
            counts["pairs"] += 1
            counts["dilemmas"] += bool(len(rows)) and bool(rows[schema.DILEMMA_QUOTE_ID].iloc[0])
            counts["decisions"] += bool(decision)
            counts["reasons"] += bool(decision) and bool(rows[schema.RATIONALE_QUOTE_ID].iloc[0])
            if decision and vectors is not None:
                similarity = vectors @ embedder.encode([planted["decision"]])[0]
                closest = members[schema.QUOTE_ID].to_numpy()[np.argsort(-similarity)[:3]]
                counts["planted"] += decision in set(closest)
    return counts


def pure_theme_ranks(themes: pd.DataFrame, quotes: pd.DataFrame, answer_key: dict, smoothing: float) -> list[int]:
    """Per planted dilemma, the rank a theme raised by exactly its planted conversations would take."""
    team_sizes = quotes.groupby(schema.TEAM)[schema.TRANSCRIPT_ID].nunique().sort_index()
    substance = themes[themes[schema.SCAFFOLDING] == 0]
    ranks = []
    for dilemma in answer_key["shared_dilemmas"]:
        teams = [c["team"] for c in answer_key["conversations"] if any(d["id"] == dilemma for d in c["dilemmas"])]
        coverage = pd.DataFrame([pd.Series(teams).value_counts()]).reindex(columns=team_sizes.index, fill_value=0)
        score = common_ground_scores(coverage.fillna(0), team_sizes, smoothing).iloc[0]
        ranks.append(1 + int((substance[schema.COMMON_GROUND] > score).sum()))
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
    lines = ["| context weight, window | themes | " + " | ".join(dilemmas) + " | matched | dilemmas | decisions | reasons "
             "| planted decision | pure theme's rank | top 5 themes |",
             "|---|---|" + "---|" * len(dilemmas) + "---|---|---|---|---|---|---|"]
    embedder = embedder_from_config(load_config().embed)  # as a run makes it (bf16 where the CPU has it)
    for weight, window in settings:
        overrides = {} if weight is None else {"themes.context_weight": float(weight),
                                               "themes.context_window": int(window)}
        config = load_config(**overrides)
        with tempfile.TemporaryDirectory() as out:
            result = run(SAMPLE, out=Path(out) / "report", config=config, cache_dir=args.cache, embedder=embedder)
        ranks = planted_ranks(result.quotes, result.themes, answer_key)
        found = planted_decisions(result, ranks, answer_key, embedder)
        of = f" of {found['pairs']}"
        pure = pure_theme_ranks(result.themes, result.quotes, answer_key, config.ground.smoothing)
        pure_cell = str(min(pure)) if min(pure) == max(pure) else f"{min(pure)}-{max(pure)}"
        cells = " | ".join("-" if ranks[d] is None else str(ranks[d]) for d in dilemmas)
        top = "; ".join(result.themes[schema.LABEL].head(5))
        lines.append(f"| {config.themes.context_weight}, {config.themes.context_window} | {len(result.themes)} | "
                     f"{cells} | {sum(r is not None for r in ranks.values())} of {len(dilemmas)} | "
                     f"{found['dilemmas']}{of} | {found['decisions']}{of} | {found['reasons']}{of} | "
                     f"{found['planted']}{of} | {pure_cell} | {top} |")
        print(lines[-1], file=sys.stderr)
    table = "\n".join(lines) + "\n"
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(table, encoding="utf-8")
    print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())

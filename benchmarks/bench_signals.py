"""Dilemma and decision flags against human codes.

    python -m benchmarks.bench_signals [--ami-meetings 40]

- world_after_covid: an interviewee's answers (Preamble, Positive, Negative)
  are "dialectic" in the agreed outside code (`Dialectic_Final`, 28 of 57)
  when they weigh positives against negatives or voice uncertainty; we
  predict dialectic when any quote unit of those answers is flagged
  `is_dilemma`. Precision, recall and F1 over the 57 interviewees.
- ami: the "what did they decide / agree" queries of QMSum come with
  evidence spans of turns. Recall: the share of those spans holding at least
  one turn we flag `is_decision`; precision: the share of flagged turns that
  fall inside any decision span (a strict reading: a decision voiced outside
  an annotated span counts against us).

Writes a Markdown table to stdout and benchmarks/results/signals.md.
"""
from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from pathlib import Path

import pandas as pd

from benchmarks.datasets import EVAL
from pipeline import schema
from pipeline.anonymise import REDACTIONS
from pipeline.config import load_config
from pipeline.nlp import load_spacy, parse
from pipeline.segment import segment
from pipeline.signals import detect_signals

RESULTS = Path(__file__).resolve().parent / "results" / "signals.md"
DECISION_QUERY = re.compile(r"\b(decid|decision|agree|conclu|settle)", re.I)
_NOISE = re.compile(r"\{[a-z_]+\}|\s+")


def flag(texts_by_key: dict[str, list[str]], nlp, config) -> pd.DataFrame:
    """Quote units with their flags; `transcript_id` carries the key, `turn` the text's index."""
    rows = []
    for key, texts in texts_by_key.items():
        for turn, text in enumerate(texts):
            rows.append({schema.TRANSCRIPT_ID: key, schema.TURN: turn, schema.SPEAKER: "s",
                         schema.ROLE: schema.ROLE_PARTICIPANT, schema.TEAM: "t", schema.START: float("nan"),
                         schema.TEXT: text, schema.SOURCE_FILE: key, REDACTIONS: []})
    turns = pd.DataFrame(rows)
    docs = parse(nlp, turns[schema.TEXT].tolist())
    return detect_signals(segment(turns, docs, config.segment), docs, config.signals)


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def world_after_covid(nlp, config) -> str:
    path = EVAL / "world_after_covid" / "outside_dialectic_codes.csv"
    with path.open(encoding="utf-8", errors="replace") as fh:
        people = list(csv.DictReader(fh))
    texts = {p["Name"]: [p[c] for c in ("Preamble", "Positive", "Negative") if (p[c] or "").strip()] for p in people}
    quotes = flag(texts, nlp, config)
    predicted = set(quotes.loc[quotes[schema.IS_DILEMMA] == 1, schema.TRANSCRIPT_ID])
    gold = {p["Name"] for p in people if p["Dialectic_Final"].strip() == "1"}
    everyone = {p["Name"] for p in people}
    p, r, f = prf(len(predicted & gold), len(predicted - gold), len(gold - predicted))
    base = len(gold) / len(everyone)
    return (f"| world_after_covid | dilemma (dialectic code, per interviewee) | {len(everyone)} ({len(gold)} positive) "
            f"| {p:.2f} | {r:.2f} | {f:.2f} | {base:.2f} |")


def ami(nlp, config, n_meetings: int) -> str:
    files = sorted((EVAL / "ami" / "meetings").glob("*.json"))[:n_meetings]
    texts, spans = {}, []
    for path in files:
        meeting = json.loads(path.read_text())
        texts[path.stem] = [_NOISE.sub(" ", t["content"]).strip() or "." for t in meeting["meeting_transcripts"]]
        for query in meeting["specific_query_list"]:
            if DECISION_QUERY.search(query["query"]):
                turns = {(path.stem, t) for a, b in query["relevant_text_span"] for t in range(int(a), int(b) + 1)}
                spans.append(turns)
    quotes = flag(texts, nlp, config)
    flagged = set(zip(quotes.loc[quotes[schema.IS_DECISION] == 1, schema.TRANSCRIPT_ID],
                      quotes.loc[quotes[schema.IS_DECISION] == 1, schema.TURN].astype(int)))
    in_any = set().union(*spans) if spans else set()
    precision = len(flagged & in_any) / len(flagged) if flagged else 0.0
    recall = sum(bool(span & flagged) for span in spans) / len(spans) if spans else 0.0
    f = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    all_turns = sum(len(v) for v in texts.values())
    base = len(in_any) / all_turns
    return (f"| ami ({len(files)} meetings) | decision (turns in 'what did they decide' evidence) | "
            f"{len(spans)} spans, {len(flagged)} flagged turns | {precision:.2f} | {recall:.2f} | {f:.2f} | {base:.2f} |")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ami-meetings", type=int, default=40)
    args = parser.parse_args(argv)
    nlp, config = load_spacy(), load_config()
    lines = ["| data | flag | items | precision | recall | F1 | base rate |", "|---|---|---|---|---|---|---|",
             world_after_covid(nlp, config), ami(nlp, config, args.ami_meetings)]
    table = "\n".join(lines) + "\n"
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(table, encoding="utf-8")
    print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Anonymiser benchmark: Common Ground's detectors and Presidio's defaults, side by side.

    .venv/bin/python benchmarks/bench_anonymise.py [--ami-meetings 20] [--no-presidio] [--repeat 3]

Three public data sets from ../shared/eval (read in place, never copied):

- presidio_synth: 1,500 sentences with character-offset PII spans. Each
  sentence is its own run (no help from a run-wide register).
- world_after_covid: 57 interviewees' answers (one transcript each). The
  interviewee's name (full names from participants.md, matched to the Name
  column) is planted into every answer in one of eight spoken forms (full,
  first only, lower case, possessive, surname, title + surname); the Name
  column's surnames already in the answers count too. The names are unknown
  to the anonymiser (no speaker, no roster): detection alone. A second row
  makes each interviewee the transcript's speaker: known names.
- ami: real meeting speech with few names; over-redaction is the share of
  word tokens replaced. All selected meetings form one run.

Scores, per gold type: recall by span (every character of the span
replaced) and by character; the share of samples with a verbatim leak (the
exact gold value survives in the output); for PERSON also the share in
which any word of the name survives. Precision: predicted spans (and
characters) that overlap gold personal data of any type, and spans labelled
PERSON that overlap a gold PERSON. False positives: samples without any gold
span in which something was replaced.

Presidio runs with its default recognisers and threshold on the same pinned
spaCy pipeline (en_core_web_sm 3.8.0): its own default, en_core_web_lg, is
not installed and may not be downloaded. tldextract is pointed at its
bundled suffix-list snapshot so nothing reaches for the network.

Writes a Markdown table to stdout and benchmarks/results/anonymise.md.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import re
import statistics
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from pipeline import schema
from pipeline.anonymise import REDACTIONS, anonymise
from pipeline.config import load_config
from pipeline.ingest.noise import clean_text
from pipeline.nlp import common_words, load_spacy, parse

EVAL = ROOT.parent / "shared" / "eval"
RESULTS = ROOT / "benchmarks" / "results" / "anonymise.md"

# Gold types of presidio_synth that the contract covers, and what they are called here.
IN_SCOPE = {"PERSON": "PERSON", "EMAIL_ADDRESS": "EMAIL", "PHONE_NUMBER": "PHONE", "GPE": "PLACE",
            "STREET_ADDRESS": "ADDRESS", "ZIP_CODE": "POSTCODE", "DOMAIN_NAME": "URL"}
TITLES = frozenset("mr mrs ms miss mx dr prof professor sir dame md dds phd jr sr ii iii iv".split())
WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


@dataclass
class Sample:
    text: str
    gold: list[tuple[int, int, str, str]]  # start, end, type, value
    group: str  # texts of one group are one transcript / one run unit


@dataclass
class Output:
    spans: list[tuple[int, int, str]]  # start, end, label (in the original text)
    text: str  # anonymised text


@dataclass
class Scores:
    rows: dict[str, dict] = field(default_factory=dict)
    extra: dict[str, float | int | str] = field(default_factory=dict)


# --------------------------------------------------------------------------- data sets

def presidio_synth() -> list[Sample]:
    data = json.loads((EVAL / "presidio_synth" / "synth_dataset_v2.json").read_text(encoding="utf-8"))
    samples = []
    for i, item in enumerate(data):
        gold = [(s["start_position"], s["end_position"], s["entity_type"], s["entity_value"]) for s in item["spans"]]
        samples.append(Sample(item["full_text"], gold, f"s{i}"))
    return samples


# Spoken sentences with a name in them; {full}, {first}, {last}, lower-case and possessive forms.
PLANTED = [
    "I was talking to {full} about this last week.",
    "{first} always says that, and I think it's right.",
    "honestly {full_lower} put it better than I could.",
    "That was {first}'s point too, more or less.",
    "You could ask {last} about it, if you wanted.",
    "Anyway, my colleague {full}'s work shows the same thing.",
    "and as {first_lower} told me, it really matters.",
    "Dr {last} made exactly that argument in the spring.",
]


def world_after_covid(known_speakers: bool = False) -> list[Sample]:
    """Answers with the interviewee's name planted (and found), one transcript per interviewee."""
    folder = EVAL / "world_after_covid"
    listed = (folder / "participants.md").read_text(encoding="utf-8")
    full_names = [re.sub(r"\s*\(.*?\)\s*", " ", m).split()  # "Alex (Sandy) Pentland" -> Alex Pentland
                  for m in re.findall(r"^\*\*([^*]+)\*\*", listed, re.MULTILINE)]
    by_key = {"".join(parts[1:]).lower(): parts for parts in full_names}
    samples = []
    with (folder / "transcripts.csv").open(encoding="utf-8", errors="replace") as fh:
        rows = list(csv.DictReader(fh))
    for r, row in enumerate(rows):
        key = row["Name"].lower()
        parts = by_key.get(key) or next((p for k, p in by_key.items() if k.endswith(key) or key.endswith(k)), None)
        if parts is None:
            raise SystemExit(f"no full name for {row['Name']} in participants.md")
        first, last = parts[0], " ".join(p for p in parts[1:] if not re.fullmatch(r"[A-Z]\.?", p))
        forms = {"full": f"{first} {last}", "first": first, "last": last,
                 "full_lower": f"{first} {last}".lower(), "first_lower": first.lower()}
        for q in range(1, 6):
            answer = " ".join((row.get(f"Q{q}") or "").split())
            if not answer:
                continue
            template = PLANTED[(r * 5 + q) % len(PLANTED)]
            sentences = re.split(r"(?<=[.!?])\s+", answer, maxsplit=1)
            before = sentences[0] + " "
            after = (" " + sentences[1]) if len(sentences) > 1 else ""
            text, gold = before, []
            pieces = re.split(r"(\{\w+\})", template)
            for piece in pieces:
                m = re.fullmatch(r"\{(\w+)\}", piece)
                if m:
                    value = forms[m.group(1)]
                    gold.append((len(text), len(text) + len(value), "PERSON", value))
                    text += value
                else:
                    text += piece
            offset = len(text)
            text += after
            for m in re.finditer(rf"\b{re.escape(row['Name'])}\b", after):  # the Name column's names found
                gold.append((offset + m.start(), offset + m.end(), "PERSON", m.group()))
            speaker = forms["full"] if known_speakers else ""
            samples.append(Sample(text, gold, f"{row['Name']}|{speaker}"))
    return samples


def ami(n_meetings: int) -> list[Sample]:
    """Turns of `n_meetings` AMI meetings spread across the series, markers removed; no gold."""
    files = sorted((EVAL / "ami" / "meetings").glob("*.json"))
    step = max(1, len(files) // max(1, n_meetings))
    samples = []
    for path in files[::step][:n_meetings]:
        meeting = json.loads(path.read_text(encoding="utf-8"))
        for turn in meeting["meeting_transcripts"]:
            text = clean_text(turn["content"])
            if text:
                samples.append(Sample(text, [], path.stem))
    return samples


# --------------------------------------------------------------------------- systems

class CommonGround:
    name = "Common Ground"

    def __init__(self, nlp):
        self.nlp = nlp
        self.config = load_config().anonymise
        self.common = common_words(nlp)

    def __call__(self, samples: list[Sample], one_run: bool = False) -> list[Output]:
        import pandas as pd

        docs = parse(self.nlp, [s.text for s in samples])
        rows = []
        for i, s in enumerate(samples):
            group, _, speaker = s.group.partition("|")
            rows.append({schema.TRANSCRIPT_ID: group, schema.TURN: i, schema.SPEAKER: speaker,
                         schema.ROLE: schema.ROLE_PARTICIPANT, schema.TEAM: "t", schema.START: float("nan"),
                         schema.TEXT: s.text, schema.SOURCE_FILE: group})
        turns = pd.DataFrame(rows, columns=schema.TURN_COLUMNS)
        if one_run:
            units = [list(range(len(samples)))]
        else:
            by_group = defaultdict(list)
            for i, s in enumerate(samples):
                by_group[s.group].append(i)
            units = list(by_group.values())
        outputs: list[Output | None] = [None] * len(samples)
        for idx in units:
            part = turns.iloc[idx].reset_index(drop=True)
            result = anonymise(part, [docs[i] for i in idx], self.config, common_words=self.common)
            for j, i in enumerate(idx):
                spans = [(a, b, PLACEHOLDER_KIND.match(p).group(1)) for a, b, p in result.turns[REDACTIONS].iloc[j]]
                outputs[i] = Output(spans, result.turns[schema.TEXT].iloc[j])
        return outputs


PLACEHOLDER_KIND = re.compile(r"\[(\w+)")
PRESIDIO_DIR = Path(__file__).resolve().parent / ".presidio"


class PresidioDefaults:
    name = "Presidio defaults"

    def __init__(self, model_path: str):
        # `make bench-anonymise` installs Presidio beside the benchmarks, not into .venv: installed
        # there, its spaCy entry point would import transformers at every spacy.load of the product.
        if PRESIDIO_DIR.is_dir() and str(PRESIDIO_DIR) not in sys.path:
            sys.path.insert(0, str(PRESIDIO_DIR))
        os.environ.setdefault("TLDEXTRACT_CACHE", tempfile.mkdtemp(prefix="tldextract-"))
        import tldextract.tldextract as tld

        tld.TLD_EXTRACTOR = tld.TLDExtract(suffix_list_urls=(), cache_dir=None)  # bundled snapshot, no network
        from presidio_analyzer import AnalyzerEngine
        from presidio_analyzer.nlp_engine import NlpEngineProvider
        from presidio_anonymizer import AnonymizerEngine

        provider = NlpEngineProvider(nlp_configuration={
            "nlp_engine_name": "spacy", "models": [{"lang_code": "en", "model_name": model_path}]})
        self.analyzer = AnalyzerEngine(nlp_engine=provider.create_engine())
        self.anonymizer = AnonymizerEngine()

    def __call__(self, samples: list[Sample], one_run: bool = False) -> list[Output]:
        outputs = []
        for s in samples:
            results = self.analyzer.analyze(text=s.text, language="en")
            text = self.anonymizer.anonymize(text=s.text, analyzer_results=results).text
            outputs.append(Output([(r.start, r.end, r.entity_type) for r in results], text))
        return outputs


# --------------------------------------------------------------------------- scoring

def _covered(start: int, end: int, spans) -> tuple[int, int]:
    """Characters of text[start:end] that are not spaces, and how many of them are redacted."""
    return end - start, sum(1 for c in range(start, end) if any(a <= c < b for a, b, _ in spans))


def _name_words(value: str) -> list[str]:
    return [w for w in WORD.findall(value) if len(w) >= 2 and w.lower().strip(".") not in TITLES]


def _survives(word: str, text: str) -> bool:
    return re.search(rf"(?<![\w]){re.escape(word)}(?![\w])", text) is not None


def score(samples: list[Sample], outputs: list[Output]) -> Scores:
    per_type = defaultdict(lambda: Counter())
    leak_samples, word_leak_samples, samples_with = Counter(), Counter(), Counter()
    pred_spans = pred_tp = pred_chars = pred_tp_chars = 0
    person_pred = person_tp = 0
    no_pii = no_pii_fp = 0
    for sample, out in zip(samples, outputs):
        text = sample.text
        gold_ranges = [(a, b) for a, b, _, _ in sample.gold]
        types = set()
        for start, end, kind, value in sample.gold:
            label = IN_SCOPE.get(kind, kind)
            types.add(label)
            chars = [c for c in range(start, end) if not text[c].isspace()]
            hit = [c for c in chars if any(a <= c < b for a, b, _ in out.spans)]
            per_type[label]["spans"] += 1
            per_type[label]["full"] += len(hit) == len(chars)
            per_type[label]["chars"] += len(chars)
            per_type[label]["hit_chars"] += len(hit)
        for label in types:
            samples_with[label] += 1
            values = [v for a, b, k, v in sample.gold if IN_SCOPE.get(k, k) == label]
            if any(v.strip() and _survives(v.strip(), out.text) for v in values):
                leak_samples[label] += 1
            if label == "PERSON" and any(_survives(w, out.text) for v in values for w in _name_words(v)):
                word_leak_samples[label] += 1
        for a, b, kind in out.spans:
            overlap = [(ga, gb) for ga, gb in gold_ranges if a < gb and ga < b]
            pred_spans += 1
            pred_tp += bool(overlap)
            pred_chars += b - a
            pred_tp_chars += sum(1 for c in range(a, b) if any(ga <= c < gb for ga, gb in gold_ranges))
            if kind == "PERSON":
                person_pred += 1
                person_tp += any(a < gb and ga < b for ga, gb, k, _ in sample.gold if k == "PERSON")
        if not sample.gold:
            no_pii += 1
            no_pii_fp += bool(out.spans)
    scores = Scores()
    for label, c in sorted(per_type.items(), key=lambda kv: -kv[1]["spans"]):
        scores.rows[label] = {
            "n": c["spans"], "recall_span": c["full"] / c["spans"], "recall_char": c["hit_chars"] / max(1, c["chars"]),
            "leak": leak_samples[label] / max(1, samples_with[label]), "leak_n": leak_samples[label],
            "samples": samples_with[label],
            "word_leak": word_leak_samples[label] / max(1, samples_with[label]) if label == "PERSON" else None,
            "word_leak_n": word_leak_samples[label],
        }
    scores.extra = {
        "precision_span": pred_tp / max(1, pred_spans), "precision_char": pred_tp_chars / max(1, pred_chars),
        "person_precision": person_tp / max(1, person_pred), "predicted": pred_spans,
        "no_pii": no_pii, "no_pii_fp": no_pii_fp, "samples": len(samples),
    }
    return scores


def over_redaction(nlp, samples: list[Sample], outputs: list[Output]) -> dict:
    """Share of word tokens (not punctuation, not space) that fall inside a redaction."""
    tokens = replaced = 0
    surfaces = Counter()
    for doc, sample, out in zip(parse(nlp, [s.text for s in samples]), samples, outputs):
        for tok in doc:
            if tok.is_punct or tok.is_space:
                continue
            tokens += 1
            if any(a <= tok.idx < b for a, b, _ in out.spans):
                replaced += 1
        for a, b, kind in out.spans:
            surfaces[(kind, sample.text[a:b])] += 1
    return {"tokens": tokens, "replaced": replaced, "share": replaced / max(1, tokens), "surfaces": surfaces,
            "turns": len(samples), "meetings": len({s.group for s in samples})}


# --------------------------------------------------------------------------- report

def _pct(x: float | None) -> str:
    return "" if x is None else f"{100 * x:.1f}%"


def _ratio(x: float) -> str:
    return f"{x:.3f}"


def render(results: dict, timings: dict, args) -> str:
    systems = list(timings)
    lines = ["# Anonymiser benchmark", "",
             (f"Command: `.venv/bin/python benchmarks/bench_anonymise.py --ami-meetings {args.ami_meetings}"
             f"{' --no-presidio' if args.no_presidio else ''} --repeat {args.repeat}`. "
             "Data: ../shared/eval (presidio_synth, world_after_covid, AMI via QMSum). "
             "Both systems use the pinned spaCy pipeline en_core_web_sm 3.8.0."), ""]
    for dataset in ("presidio_synth", "world_after_covid (names unknown)", "world_after_covid (names known)"):
        if dataset not in results[systems[0]]:
            continue
        lines += [f"## {dataset}", "",
                  "| type | n | system | recall (span) | recall (char) | samples with a verbatim leak "
                  "| any word of a name survives |",
                  "|---|---|---|---|---|---|---|"]
        rows0 = results[systems[0]][dataset].rows
        for label in rows0:
            if dataset == "presidio_synth" and label not in IN_SCOPE.values():
                continue
            for system in systems:
                if dataset not in results[system]:
                    continue
                r = results[system][dataset].rows.get(label)
                if r is None:
                    continue
                words = "" if r["word_leak"] is None else f"{_pct(r['word_leak'])} ({r['word_leak_n']})"
                lines.append(f"| {label} | {r['n']} | {system} | {_ratio(r['recall_span'])} "
                             f"| {_ratio(r['recall_char'])} | {_pct(r['leak'])} ({r['leak_n']} of {r['samples']}) "
                             f"| {words} |")
        lines += ["", ("| system | predicted spans | precision (span, any PII) | precision (char, any PII) "
                      "| PERSON precision | samples without PII given a redaction |"), "|---|---|---|---|---|---|"]
        for system in systems:
            if dataset not in results[system]:
                continue
            e = results[system][dataset].extra
            fp = f"{e['no_pii_fp']} of {e['no_pii']}" if e["no_pii"] else "n/a"
            lines.append(f"| {system} | {e['predicted']} | {_ratio(e['precision_span'])} "
                         f"| {_ratio(e['precision_char'])} "
                         f"| {_ratio(e['person_precision'])} | {fp} |")
        lines.append("")
        if dataset == "presidio_synth":
            lines += ["Other presidio_synth types (outside the contract), recall by span:", ""]
            others = [label for label in rows0 if label not in IN_SCOPE.values()]
            lines += ["| system | " + " | ".join(others) + " |", "|---|" + "---|" * len(others)]
            for system in systems:
                if dataset not in results[system]:
                    continue
                rows = results[system][dataset].rows
                lines.append(f"| {system} | " + " | ".join(_ratio(rows[o]['recall_span']) for o in others) + " |")
            lines.append("")
    if "ami" in results[systems[0]]:
        a0 = results[systems[0]]["ami"]
        lines += [(f"## Over-redaction on ordinary speech (AMI, {a0['meetings']} meetings, {a0['turns']} turns, "
                  f"{a0['tokens']} word tokens, one run)"), "",
                  "| system | tokens replaced | share of tokens |", "|---|---|---|"]
        for system in systems:
            a = results[system]["ami"]
            lines.append(f"| {system} | {a['replaced']} | {_pct(a['share'])} |")
        lines.append("")
    lines += ["## How to read this", "",
              ("- Recall (span): share of gold spans with every character replaced; (char): share of gold "
              "characters replaced. A verbatim leak: the exact gold value is still in the output; the share is "
              "of the samples holding that type. \"Any word of a name survives\": some word of a gold name "
              "(titles such as Mr and MD aside) is still in the output."),
              ("- Precision (any PII): predicted spans (characters) that overlap a gold span of any type, since "
              "replacing an organisation or a street is not a privacy error. PERSON precision: spans labelled "
              "PERSON that overlap a gold PERSON."),
              ("- presidio_synth: each sentence is its own run. world_after_covid: one transcript per interviewee, "
              "names planted in eight spoken forms, unknown to the anonymiser (no speaker, no roster) or known "
              "(the interviewee is the speaker). AMI: tokens replaced over all word tokens; the meetings do "
              "name a few people (Christine, Raj, Daniel) and places, which count here as replaced tokens."),
              ("- Presidio: default recognisers and threshold, phone regions as shipped (GB among them); its "
              "own default spaCy model, en_core_web_lg, is not installed here and may not be downloaded, so "
              "it runs on the same en_core_web_sm as Common Ground. tldextract reads its bundled suffix list."),
              ("- Common Ground uses the 1990 US census name lists of `names` 0.3.0 (they hold about 63% of the "
              "words of presidio_synth's gold names) and the word list of `english-words` 2.0.2."),
              ""]
    lines += ["## Time (seconds, median of the repeats, spaCy parse included)", "",
              "| system | " + " | ".join(timings[systems[0]]) + " |", "|---|" + "---|" * len(timings[systems[0]])]
    for system in systems:
        lines.append(f"| {system} | " + " | ".join(
            f"{statistics.median(timings[system][k]):.1f}" if timings[system].get(k) else ""
            for k in timings[systems[0]]) + " |")
    lines.append("")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--ami-meetings", type=int, default=20, help="AMI meetings for over-redaction (0: skip)")
    parser.add_argument("--no-presidio", action="store_true", help="skip Presidio (not installed)")
    parser.add_argument("--repeat", type=int, default=1, help="runs per system and data set; timings are medians")
    parser.add_argument("--show", type=int, default=0, help="print the N most frequent AMI redactions and misses")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)

    nlp = load_spacy()
    systems = [CommonGround(nlp)]
    if not args.no_presidio:
        from pipeline.models import verify_pinned

        systems.append(PresidioDefaults(str(verify_pinned("spacy_model"))))
    sets = {"presidio_synth": presidio_synth(),
            "world_after_covid (names unknown)": world_after_covid(False),
            "world_after_covid (names known)": world_after_covid(True)}
    ami_samples = ami(args.ami_meetings) if args.ami_meetings else []
    results, timings = defaultdict(dict), defaultdict(lambda: defaultdict(list))
    for system in systems:
        for name, samples in sets.items():
            if name.endswith("(names known)") and not isinstance(system, CommonGround):
                continue  # Presidio has no notion of known names
            for _ in range(args.repeat):
                start = time.perf_counter()
                outputs = system(samples)
                timings[system.name][name.split(" ")[0]].append(time.perf_counter() - start)
            results[system.name][name] = score(samples, outputs)
            if args.show and isinstance(system, CommonGround):
                _show_misses(name, samples, outputs, args.show)
        if ami_samples:
            for _ in range(args.repeat):
                start = time.perf_counter()
                outputs = system(ami_samples, one_run=True)
                timings[system.name]["ami"].append(time.perf_counter() - start)
            results[system.name]["ami"] = over_redaction(nlp, ami_samples, outputs)
            if args.show:
                print(f"-- {system.name}: most frequent AMI redactions", file=sys.stderr)
                for (kind, surface), n in results[system.name]["ami"]["surfaces"].most_common(args.show):
                    print(f"  {n:4d} {kind:8s} {surface}", file=sys.stderr)
    report = render(results, timings, args)
    print(report)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(report, encoding="utf-8")
    return 0


def _show_misses(name: str, samples, outputs, limit: int) -> None:
    print(f"-- {name}: PERSON spans not fully replaced", file=sys.stderr)
    shown = 0
    for sample, out in zip(samples, outputs):
        for a, b, kind, value in sample.gold:
            if kind != "PERSON":
                continue
            if any(_survives(w, out.text) for w in _name_words(value)):
                print(f"  {value!r:30} in {out.text[:160]!r}", file=sys.stderr)
                shown += 1
                if shown >= limit:
                    return


if __name__ == "__main__":
    sys.exit(main())

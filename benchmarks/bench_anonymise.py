"""Anonymiser benchmark: Common Ground's detectors and Presidio's defaults, side by side.

    .venv/bin/python benchmarks/bench_anonymise.py [--ami-meetings 20] [--no-presidio] [--repeat 3]
        [--parts detection,ami,technical,publishes] [--embedder pinned|hashing] [--only CORPUS]

Four parts (`--parts`), on public data sets from ../shared/eval (read in
place, never copied) and a generated fixture:

- detection: presidio_synth, 1,500 sentences with character-offset PII
  spans, each sentence its own run (no help from a run-wide register); and
  world_after_covid, 57 interviewees' answers (one transcript each). The
  interviewee's name (full names from participants.md, matched to the Name
  column) is planted into every answer in one of eight spoken forms (full,
  first only, lower case, possessive, surname, title + surname); the Name
  column's surnames already in the answers count too. The names are unknown
  to the anonymiser (no speaker, no roster): detection alone. A second row
  makes each interviewee the transcript's speaker: known names.
- ami: real meeting speech with few names; over-redaction is the share of
  word tokens replaced. All selected meetings form one run.
- technical: the generated technical interviews of `technical_fixture.py`
  (tools and products named freely, UK personal data planted, with an
  answer key): the share of technology and product names kept, of
  non-personal tokens replaced, and planted personal data surviving. The
  anonymiser is called directly, as `pipeline.runner.run` calls it.
- publishes: every eval corpus (and the fixture) written in two or three
  input layouts (`eval_corpora.cases`) and run end to end through
  `pipeline.runner.run`: exit status, quotes, themes, run.json's
  `anonymisation.masked_after_check`, and whether any planted datum
  (speaker names, planted names, presidio_synth's gold PERSON, EMAIL and
  PHONE values) survives in any output file (`pipeline.leakcheck.find_leaks`).
  For a refused run, or one published after masking, the words the leak
  check finds are listed (planted data by kind only).

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

# After the sys.path line: `make bench-anonymise` runs this file as a script, not as a module.
from benchmarks.eval_corpora import covid_answers  # noqa: E402
from pipeline import schema  # noqa: E402
from pipeline.anonymise import PLACEHOLDER_RE, REDACTIONS, anonymise  # noqa: E402
from pipeline.config import load_config  # noqa: E402
from pipeline.ingest.noise import clean_text  # noqa: E402
from pipeline.nlp import common_words, load_spacy, parse  # noqa: E402

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


def world_after_covid(known_speakers: bool = False) -> list[Sample]:
    """Answers with the interviewee's name planted (and found), one transcript per interviewee.

    The planting is `eval_corpora.covid_answers`, shared with the "publishes" table.
    """
    return [Sample(a.text, a.gold, f"{a.name}|{a.full_name if known_speakers else ''}") for a in covid_answers()]


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
        for start, end, kind, _value in sample.gold:
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


# --------------------------------------------------------------------------- technical fixture

def technical_turns(fixture):
    """The fixture's turns as the anonymiser's input table, and the matching bench samples.

    Speakers, roles and teams are the fixture's own, so the anonymiser sees
    what a run would: the interviewer and participant names are known names.
    """
    import pandas as pd

    rows, samples = [], []
    for conv in fixture.conversations:
        transcript = f"{conv.team}/{conv.name}.txt"
        for turn_number, turn in enumerate(conv.turns):
            rows.append({schema.TRANSCRIPT_ID: transcript, schema.TURN: turn_number, schema.SPEAKER: turn.speaker,
                         schema.ROLE: turn.role, schema.TEAM: conv.team, schema.START: float("nan"),
                         schema.TEXT: turn.text, schema.SOURCE_FILE: transcript})
            gold = [(s.start, s.end, s.kind, s.value) for s in fixture.personal
                    if s.transcript == conv.name and s.turn == turn_number]
            samples.append(Sample(turn.text, gold, conv.name))
    return pd.DataFrame(rows, columns=schema.TURN_COLUMNS), samples


def anonymise_fixture(nlp, turns, samples) -> list[Output]:
    """Common Ground's anonymiser over the fixture as one run, as `pipeline.runner.run` calls it."""
    docs = parse(nlp, turns[schema.TEXT].tolist())
    result = anonymise(turns, docs, load_config().anonymise, [], common_words=common_words(nlp))
    return [Output([(a, b, PLACEHOLDER_KIND.match(p).group(1)) for a, b, p in spans], text)
            for spans, text in zip(result.turns[REDACTIONS], result.turns[schema.TEXT])]


def score_fixture(nlp, fixture, samples: list[Sample], outputs: list[Output]) -> dict:
    """Technology names kept, non-personal tokens replaced and planted personal data surviving.

    A technology name is kept when no redaction touches any of its
    characters. Non-personal tokens: word tokens (not punctuation or space)
    outside every planted personal span. A planted datum survives when its
    exact value is still in the turn's output; for names, also when any
    word of the name is ("Okafor" alone).
    """
    index = {}
    n = 0
    for conv in fixture.conversations:
        for turn_number in range(len(conv.turns)):
            index[(conv.name, turn_number)] = n
            n += 1
    kept, lost = 0, Counter()
    lost_as = defaultdict(Counter)
    for span in fixture.tech:
        out = outputs[index[(span.transcript, span.turn)]]
        hits = [k for a, b, k in out.spans if a < span.end and span.start < b]
        if hits:
            lost[span.value] += 1
            lost_as[span.value].update(hits)
        else:
            kept += 1
    tokens = replaced = 0
    replaced_words = Counter()
    for doc, sample, out in zip(parse(nlp, [s.text for s in samples]), samples, outputs):
        personal = [(a, b) for a, b, _, _ in sample.gold]
        for tok in doc:
            if tok.is_punct or tok.is_space or any(a < tok.idx + len(tok) and tok.idx < b for a, b in personal):
                continue
            tokens += 1
            if any(a <= tok.idx < b for a, b, _ in out.spans):
                replaced += 1
                replaced_words[tok.text] += 1
    personal = defaultdict(Counter)
    for span in fixture.personal:
        out = outputs[index[(span.transcript, span.turn)]]
        personal[span.kind]["n"] += 1
        personal[span.kind]["verbatim"] += _survives(span.value, out.text)
        if span.kind == "person name":
            personal[span.kind]["word"] += any(_survives(w, out.text) for w in _name_words(span.value))
    totals = Counter()
    for counts in personal.values():
        totals.update(counts)
    return {"tech": len(fixture.tech), "kept": kept, "share_kept": kept / max(1, len(fixture.tech)),
            "distinct": len(fixture.distinct_tech()), "distinct_lost": len(lost), "lost": lost,
            "lost_as": lost_as, "per_name": Counter(s.value for s in fixture.tech),
            "tokens": tokens, "replaced": replaced, "share_replaced": replaced / max(1, tokens),
            "replaced_words": replaced_words, "personal": personal, "personal_total": totals,
            "conversations": len(fixture.conversations), "turns": len(samples)}


# --------------------------------------------------------------------------- publishes

@dataclass
class PublishRow:
    """One corpus in one layout, run end to end."""

    corpus: str
    layout: str
    note: str = ""
    files: int = 0
    transcripts: int = 0
    status: int | str = ""  # exit status, or "crash: <error type>"
    code: str = ""  # the CommonGroundError code of a refusal
    quotes: int | None = None
    themes: int | None = None
    masked: dict | None = None  # run.json -> anonymisation.masked_after_check
    survived: list[tuple[str, str]] = field(default_factory=list)  # (file, kind) of planted data
    planted: int = 0
    ids_kept: tuple[int, int] | None = None  # transcript ids in quotes.csv as the files name them / all
    ids_holding_a_name: int = 0  # input ids that hold a planted datum ("interview_herrick.md"): they must change
    ids_changed_without_name: int = 0  # changed ids beyond those: over-redaction
    teams_kept: tuple[int, int] | None = None  # teams in quotes.csv as the inputs name them / all
    placeholders: float | None = None  # placeholders per 1,000 words of quotes.csv's text
    in_outputs: list[tuple[str, str, list[str]]] = field(default_factory=list)  # refusal diagnosis
    seconds: float = 0.0


def publish(case, nlp, embedder, diagnose: bool = True) -> PublishRow:
    """One end-to-end run: exit status, counts, and whether any planted datum reached any output."""
    import logging

    import pandas as pd

    from benchmarks.eval_corpora import _team_folder
    from pipeline.errors import CommonGroundError
    from pipeline.leakcheck import find_leaks
    from pipeline.runner import run

    corpus = case.build()
    row = PublishRow(case.corpus, case.layout, corpus.note, planted=len(corpus.planted))
    with tempfile.TemporaryDirectory(prefix="cg-publishes-") as tmp:
        input_dir, out = Path(tmp) / "input", Path(tmp) / "out"
        input_dir.mkdir()
        ids = case.write(corpus, input_dir)
        row.files = sum(1 for p in input_dir.rglob("*") if p.is_file())
        row.transcripts = len(corpus.conversations)
        start = time.perf_counter()
        try:
            result = run(input_dir, out=out, cache_dir=None, embedder=embedder, nlp=nlp)
            row.status = result.exit_status
        except CommonGroundError as error:
            row.status, row.code = error.exit_status, error.code
            print(f"   {case.corpus} / {case.layout}: refused: {error}", file=sys.stderr)
        except Exception as error:  # an internal error is a result too: the table says which
            logging.getLogger(__name__).exception("%s / %s crashed", case.corpus, case.layout)
            row.status = f"crash: {type(error).__name__}"
        row.seconds = time.perf_counter() - start
        if (out / "run.json").is_file():
            summary = json.loads((out / "run.json").read_text(encoding="utf-8"))
            row.masked = (summary.get("anonymisation") or {}).get("masked_after_check")
            quotes = pd.read_csv(out / "quotes.csv", keep_default_na=False, dtype=str)
            themes = pd.read_csv(out / "themes.csv", keep_default_na=False, dtype=str)
            row.quotes, row.themes = len(quotes), len(themes)
            quoted = set(quotes[schema.TRANSCRIPT_ID])
            unchanged = len(quoted & set(ids.values()))
            holding_a_name = sum(_holds(i, corpus.planted) for i in ids.values())
            # An id that holds a planted name must change; any other change is over-redaction.
            row.ids_kept = (unchanged, len(quoted))
            row.ids_changed_without_name = max(0, len(quoted) - unchanged - holding_a_name)
            row.ids_holding_a_name = holding_a_name
            teams = {c.team for c in corpus.conversations} | {_team_folder(c.team) for c in corpus.conversations}
            quoted_teams = set(quotes[schema.TEAM])
            row.teams_kept = (len(quoted_teams & teams), len(quoted_teams))
            texts = quotes[schema.TEXT].tolist()
            words = sum(len(t.split()) for t in texts)
            row.placeholders = 1000 * sum(len(PLACEHOLDER_RE.findall(t)) for t in texts) / max(1, words)
        if out.exists():
            row.survived = find_leaks(out, corpus.planted)
            if row.survived:
                # The values go to the console only: the results file names kinds and files.
                names = [d for d, k in corpus.planted.items() if find_leaks(out, {d: k})]
                print(f"   {case.corpus} / {case.layout}: planted data survived: {names}", file=sys.stderr)
        refused = row.status == 1 and not (out / "run.json").is_file()
        if diagnose and (refused or any((row.masked or {}).values())):
            row.in_outputs = words_in_outputs(input_dir, nlp, embedder, corpus.planted)
            for term, kind, files in row.in_outputs:
                print(f"   reached the outputs: {term!r} ({kind}) in {', '.join(files)}", file=sys.stderr)
    return row


def _holds(text: str, planted: dict[str, str]) -> bool:
    """Whether a path holds a planted datum as whole words, the way the leak check reads file names."""
    words = re.findall(r"[^\W_]+", text.casefold())
    for datum in planted:
        term = re.findall(r"[^\W_]+", datum.casefold())
        if term and any(words[i:i + len(term)] == term for i in range(len(words))):
            return True
    return False


def words_in_outputs(input_dir: Path, nlp, embedder, planted: dict[str, str]) -> list[tuple[str, str, list[str]]]:
    """Why a run was refused: the originals the leak check would find, and in which files.

    The run is repeated in memory (no OUT, so no check), its report written
    to a scratch folder without the check, and each of the anonymiser's leak
    terms looked for there. Terms are searched in halves (group testing), as
    there are hundreds of terms and only a few are found. A term that is one
    of the planted data is shown by its kind only.
    """
    from pipeline.ingest import read_corpus
    from pipeline.leakcheck import find_leaks
    from pipeline.report import write_report
    from pipeline.runner import report_data, run

    config = load_config()
    folded = {datum.casefold(): kind for datum, kind in planted.items()}
    try:
        result = run(input_dir, out=None, cache_dir=None, embedder=embedder, nlp=nlp)
    except Exception as error:  # noqa: BLE001 (a diagnosis must not stop the benchmark)
        return [(f"(diagnosis failed: {type(error).__name__})", "", [])]
    corpus = read_corpus(input_dir, config.ingest)
    turns = corpus.turns.reset_index(drop=True)
    docs = parse(nlp, turns[schema.TEXT].tolist())
    terms = anonymise(turns, docs, config.anonymise, list(corpus.roster), common_words=common_words(nlp)).leak_terms
    with tempfile.TemporaryDirectory(prefix="cg-diagnose-") as tmp:
        staged = Path(tmp) / "out"
        write_report(staged, report_data(result, config), result.summary)
        found = []
        pending = [dict(terms)]
        while pending:
            group = pending.pop()
            if not find_leaks(staged, group):
                continue
            if len(group) == 1:
                term, kind = next(iter(group.items()))
                files = sorted({f for f, _ in find_leaks(staged, group)})
                planted_kind = folded.get(term.casefold())
                shown = f"[planted {planted_kind}]" if planted_kind else term
                found.append((shown, kind, files))
                continue
            items = sorted(group.items())
            pending += [dict(items[:len(items) // 2]), dict(items[len(items) // 2:])]
    return sorted(found)


# --------------------------------------------------------------------------- report

def _pct(x: float | None) -> str:
    return "" if x is None else f"{100 * x:.1f}%"


def _ratio(x: float) -> str:
    return f"{x:.3f}"


def command_line(args) -> str:
    """The command that reproduces this results file."""
    parts = [".venv/bin/python benchmarks/bench_anonymise.py", f"--ami-meetings {args.ami_meetings}"]
    if args.no_presidio:
        parts.append("--no-presidio")
    parts.append(f"--repeat {args.repeat}")
    if args.parts != ",".join(PARTS):
        parts.append(f"--parts {args.parts}")
    if "publishes" in args.parts:
        parts += [f"--embedder {args.embedder}", f"--publish-ami-meetings {args.publish_ami_meetings}"]
        parts += [f"--only {name!r}" for name in args.only or []]
    if "technical" in args.parts:
        parts.append(f"--fixture-conversations {args.fixture_conversations}")
    return " ".join(parts)


def pipeline_state() -> str:
    """The commit measured, and whether pipeline/ had uncommitted changes (others edit it while benchmarks run)."""
    import subprocess

    def git(*command: str) -> str:
        try:
            done = subprocess.run(["git", *command], cwd=ROOT, capture_output=True, text=True, check=True)
        except (OSError, subprocess.CalledProcessError):
            return ""
        return done.stdout.strip()

    commit = git("rev-parse", "--short", "HEAD") or "unknown"
    dirty = git("status", "--porcelain", "--", "pipeline")
    return f"commit {commit}" + (" with uncommitted changes under pipeline/" if dirty else "")


def render(results: dict, timings: dict, args, publishes: list[PublishRow] | None = None,
           technical: dict | None = None) -> str:
    systems = list(timings) or [CommonGround.name]
    lines = ["# Anonymiser benchmark", "",
             (f"Command: `{command_line(args)}` (`make bench-anonymise` runs it with the defaults). "
             "Data: ../shared/eval (presidio_synth, world_after_covid, AMI via QMSum, ami_annotations, "
             "clinc150, gum_relations, polis_biodiversity), read in place, and a generated technical fixture "
             "(benchmarks/technical_fixture.py). Both systems use the pinned spaCy pipeline "
             f"en_core_web_sm 3.8.0. Measured at {getattr(args, 'pipeline_state', 'an unrecorded commit')}."), ""]
    lines += render_targets(results, publishes, technical)
    if publishes:
        lines += render_publishes(publishes, args)
    if technical:
        lines += render_technical(technical)
    for dataset in ("presidio_synth", "world_after_covid (names unknown)", "world_after_covid (names known)"):
        if dataset not in results.get(systems[0], {}):
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
    if "ami" in results.get(systems[0], {}):
        a0 = results[systems[0]]["ami"]
        lines += [(f"## Over-redaction on ordinary speech (AMI, {a0['meetings']} meetings, {a0['turns']} turns, "
                  f"{a0['tokens']} word tokens, one run)"), "",
                  "| system | tokens replaced | share of tokens |", "|---|---|---|"]
        for system in systems:
            a = results[system]["ami"]
            lines.append(f"| {system} | {a['replaced']} | {_pct(a['share'])} |")
        lines.append("")
    if results:  # the detection and AMI sections above
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
    if not timings:
        return "\n".join(lines)
    lines += ["## Time (seconds, median of the repeats, spaCy parse included)", "",
              "| system | " + " | ".join(timings[systems[0]]) + " |", "|---|" + "---|" * len(timings[systems[0]])]
    for system in systems:
        lines.append(f"| {system} | " + " | ".join(
            f"{statistics.median(timings[system][k]):.1f}" if timings[system].get(k) else ""
            for k in timings[systems[0]]) + " |")
    lines.append("")
    return "\n".join(lines)


PARTS = ("detection", "ami", "technical", "publishes")


def _published(row: PublishRow) -> bool:
    return row.status in (0, 3)


def render_targets(results: dict, publishes: list[PublishRow] | None, technical: dict | None) -> list[str]:
    """The targets the anonymiser is held to, each beside what this run measured."""
    lines = ["## Targets", "", "| target | measured | met |", "|---|---|---|"]
    ours = results.get(CommonGround.name, {})
    if publishes:
        real = [r for r in publishes if r.corpus != "technical fixture"]
        ok = sum(_published(r) for r in real)
        lines.append(f"| every eval corpus publishes (exit 0 or 3), in every layout | {ok} of {len(real)} runs "
                     f"| {'yes' if ok == len(real) else 'no'} |")
        leaked = [r for r in publishes if r.survived]
        lines.append(f"| no planted datum survives in any output | {len(leaked)} of {len(publishes)} runs with "
                     f"one | {'yes' if not leaked else 'no'} |")
        changed = sum(r.ids_changed_without_name for r in publishes)
        ids = [r.ids_kept for r in publishes if r.ids_kept]
        kept, total = sum(k for k, _ in ids), sum(n for _, n in ids)
        lines.append(f"| transcript ids unchanged unless they hold a name | {kept} of {total} kept, {changed} "
                     f"changed without holding a name | {'yes' if not changed else 'no'} |")
    if technical:
        t = technical[CommonGround.name]
        lines.append(f"| ≥ 95% of technology and product names kept (technical fixture) | {_pct(t['share_kept'])} "
                     f"| {'yes' if t['share_kept'] >= 0.95 else 'no'} |")
        survived = t["personal_total"]["verbatim"] + t["personal_total"]["word"]
        lines.append(f"| no planted personal datum survives (technical fixture) | "
                     f"{t['personal_total']['verbatim']} verbatim, {t['personal_total']['word']} name words "
                     f"| {'yes' if not survived else 'no'} |")
    if "ami" in ours:
        share = ours["ami"]["share"]
        met = "yes" if share <= 0.003 else "no"
        lines.append(f"| ≤ 0.3% of tokens replaced on AMI | {100 * share:.2f}% | {met} |")
    if "presidio_synth" in ours:
        recall = ours["presidio_synth"].rows["PERSON"]["recall_span"]
        met = "yes" if recall >= 0.98 else "no"
        lines.append(f"| person recall ≥ 0.98 on presidio_synth | {recall:.3f} | {met} |")
    lines.append("")
    return lines


def render_publishes(rows: list[PublishRow], args) -> list[str]:
    embedder = ("the pinned sentence model" if args.embedder == "pinned"
                else "a hashing embedder (HashingEmbedder(dim=64)) instead of the sentence model")
    lines = ["## Publishes: every corpus end to end, in several layouts", "",
             (f"Each corpus is written into a temporary folder in the layout named and run through "
              f"`pipeline.runner.run(input, out, cache_dir=None)` with {embedder} and the default settings. "
              "Status: the exit status (0 all inputs, 3 some failed, 1 refused or nothing usable; 'crash' is an "
              "uncaught error). Masked after check: run.json → `anonymisation.masked_after_check` (\"-\" when the "
              "key is absent). Planted data surviving: `pipeline.leakcheck.find_leaks(OUT, planted)` over every "
              "output file, by kind and file (never the datum). Ids and teams kept: transcript ids and team "
              "names in quotes.csv as the inputs give them, of all in quotes.csv; an id that holds a planted "
              "name (a file named after its speaker) must change. Placeholders per 1,000 quote words: "
              "`[PERSON n]`, `[PLACE n]` and the like in quotes.csv's text, a measure of over-redaction end to "
              "end (the planted data are among them)."), "",
             "| corpus | layout | transcripts | status | quotes | themes | placeholders per 1,000 quote words "
             "| masked after check | planted | planted data surviving | ids kept | teams kept | s |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        status = f"{r.status} ({r.code})" if r.code else str(r.status)
        masked = "-" if r.masked is None else (", ".join(f"{k} {v}" for k, v in sorted(r.masked.items()))
                                               if isinstance(r.masked, dict) else str(r.masked)) or "none"
        survived = "; ".join(f"{kind} in {name}" for name, kind in r.survived[:6]) or "none"
        if len(r.survived) > 6:
            survived += f" and {len(r.survived) - 6} more"
        kept = lambda pair: "" if pair is None else f"{pair[0]}/{pair[1]}"  # noqa: E731
        ids = kept(r.ids_kept) + (f" ({r.ids_holding_a_name} hold a name)" if r.ids_holding_a_name else "")
        density = "" if r.placeholders is None else f"{r.placeholders:.1f}"
        lines.append(f"| {r.corpus} | {r.layout} | {r.transcripts} | {status} | {_opt(r.quotes)} | {_opt(r.themes)} "
                     f"| {density} | {masked} | {r.planted} | {survived} | {ids} | {kept(r.teams_kept)} "
                     f"| {r.seconds:.0f} |")
    lines.append("")
    checked = [r for r in rows if r.in_outputs]
    if checked:
        lines += ["### What the leak check found (refused runs, and runs published after masking)", "",
                  ("The run repeated in memory, its report written without the check, and the anonymiser's "
                   "leak terms looked for in it: each original the check finds, its kind and the files. "
                   "Planted data are shown by kind only."), ""]
        for r in checked:
            found = "; ".join(f"{term!r} ({kind}) in {', '.join(files)}" for term, kind, files in r.in_outputs[:12])
            more = f"; and {len(r.in_outputs) - 12} more" if len(r.in_outputs) > 12 else ""
            lines.append(f"- {r.corpus}, {r.layout}: {found}{more}")
        lines.append("")
    lines += ["Subsets: " + "; ".join(sorted({f"{r.corpus}: {r.note}" for r in rows if r.note})) + ".", ""]
    return lines


def _opt(value) -> str:
    return "" if value is None else str(value)


def render_technical(results: dict) -> list[str]:
    systems = list(results)
    t0 = results[systems[0]]
    lines = [(f"## Over-redaction on technical interviews (generated fixture: {t0['conversations']} interviews, "
              f"{t0['turns']} turns, {t0['tech']} occurrences of {t0['distinct']} technology and product names, "
              f"{sum(c['n'] for c in t0['personal'].values())} planted personal data)"), "",
             ("Each system anonymises the fixture's turns directly (Common Ground as one run with the speakers "
              "known, as `pipeline.runner.run` calls it; Presidio turn by turn). A name is kept when no "
              "redaction touches it; non-personal tokens are word tokens outside every planted personal datum."),
             "",
             "| system | names kept | distinct names ever replaced | non-personal tokens replaced "
             "| planted personal data surviving verbatim | a word of a planted name surviving |",
             "|---|---|---|---|---|---|"]
    for system in systems:
        t = results[system]
        total = t["personal_total"]
        names = t["personal"].get("person name", Counter())
        lines.append(f"| {system} | {_pct(t['share_kept'])} ({t['kept']} of {t['tech']}) "
                     f"| {t['distinct_lost']} of {t['distinct']} | {100 * t['share_replaced']:.2f}% "
                     f"({t['replaced']} of {t['tokens']}) | {total['verbatim']} of {total['n']} "
                     f"| {names['word']} of {names['n']} |")
    lines += ["", "Planted personal data by kind (surviving verbatim / planted):", "",
              "| system | " + " | ".join(sorted(t0["personal"])) + " |", "|---|" + "---|" * len(t0["personal"])]
    for system in systems:
        p = results[system]["personal"]
        lines.append(f"| {system} | " + " | ".join(f"{p[k]['verbatim']} / {p[k]['n']}" for k in sorted(t0["personal"]))
                     + " |")
    lines += ["", "Names replaced at least once (replaced / occurrences, and as what):", ""]
    for system in systems:
        t = results[system]
        ranked = sorted(t["lost"].items(), key=lambda kv: (-kv[1], kv[0]))
        lost = "; ".join(f"{name} {n}/{t['per_name'][name]} ({', '.join(sorted(t['lost_as'][name]))})"
                         for name, n in ranked[:20])
        more = f"; and {len(ranked) - 20} more" if len(ranked) > 20 else ""
        lines.append(f"- {system}: {lost or 'none'}{more}")
    lines.append("")
    return lines


def main(argv=None) -> int:
    import logging

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--ami-meetings", type=int, default=20, help="AMI meetings for over-redaction (0: skip)")
    parser.add_argument("--no-presidio", action="store_true", help="skip Presidio (not installed)")
    parser.add_argument("--repeat", type=int, default=1, help="runs per system and data set; timings are medians")
    parser.add_argument("--show", type=int, default=0, help="print the N most frequent AMI redactions and misses")
    parser.add_argument("--parts", default=",".join(PARTS),
                        help=f"comma-separated parts to run, of {', '.join(PARTS)} (default: all)")
    parser.add_argument("--embedder", choices=("pinned", "hashing"), default="pinned",
                        help="publishes: the pinned sentence model, or a fast hashing embedder")
    parser.add_argument("--publish-ami-meetings", type=int, default=8, help="publishes: AMI meetings spread over the corpus (its four pitfall meetings come on top)")
    parser.add_argument("--only", action="append", help="publishes: only this corpus (repeatable)")
    parser.add_argument("--no-diagnose", action="store_true",
                        help="publishes: do not look for the words that made a refused run refuse")
    parser.add_argument("--fixture-conversations", type=int, default=12, help="technical fixture: interviews")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    parts = set(args.parts.split(","))
    if parts - set(PARTS):
        parser.error(f"unknown part(s): {', '.join(sorted(parts - set(PARTS)))}")
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")

    args.pipeline_state = pipeline_state()  # at the start: pipeline/ may change while this runs
    nlp = load_spacy()
    systems = [CommonGround(nlp)]
    if not args.no_presidio and parts & {"detection", "ami", "technical"}:
        from pipeline.models import verify_pinned

        systems.append(PresidioDefaults(str(verify_pinned("spacy_model"))))
    sets = {"presidio_synth": presidio_synth(),
            "world_after_covid (names unknown)": world_after_covid(False),
            "world_after_covid (names known)": world_after_covid(True)} if "detection" in parts else {}
    ami_samples = ami(args.ami_meetings) if args.ami_meetings and "ami" in parts else []
    results, timings = defaultdict(dict), defaultdict(lambda: defaultdict(list))
    for system in systems if sets or ami_samples else []:
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
    technical = None
    if "technical" in parts:
        from benchmarks.technical_fixture import generate

        fixture = generate(args.fixture_conversations)
        turns, samples = technical_turns(fixture)
        technical = {}
        for system in systems:
            outputs = (anonymise_fixture(nlp, turns, samples) if isinstance(system, CommonGround)
                       else system(samples))
            technical[system.name] = score_fixture(nlp, fixture, samples, outputs)
            if args.show:
                print(f"-- {system.name}: words replaced in the technical fixture", file=sys.stderr)
                for word, n in technical[system.name]["replaced_words"].most_common(args.show):
                    print(f"  {n:4d} {word}", file=sys.stderr)
    publishes = None
    if "publishes" in parts:
        from benchmarks.eval_corpora import cases
        from pipeline.embed import HashingEmbedder, embedder_from_config

        embedder = HashingEmbedder(dim=64) if args.embedder == "hashing" else embedder_from_config(load_config().embed)
        chosen = [c for c in cases(args.publish_ami_meetings) if not args.only or c.corpus in args.only]
        publishes = []
        for case in chosen:
            print(f"-- publishes: {case.corpus} / {case.layout}", file=sys.stderr)
            publishes.append(publish(case, nlp, embedder, diagnose=not args.no_diagnose))
    report = render(results, timings, args, publishes, technical)
    print(report)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(report, encoding="utf-8")
    return 0


def _show_misses(name: str, samples, outputs, limit: int) -> None:
    print(f"-- {name}: PERSON spans not fully replaced", file=sys.stderr)
    shown = 0
    for sample, out in zip(samples, outputs):
        for _start, _end, kind, value in sample.gold:
            if kind != "PERSON":
                continue
            if any(_survives(w, out.text) for w in _name_words(value)):
                print(f"  {value!r:30} in {out.text[:160]!r}", file=sys.stderr)
                shown += 1
                if shown >= limit:
                    return


if __name__ == "__main__":
    sys.exit(main())

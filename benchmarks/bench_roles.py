"""Who is the interviewer? The most-questions heuristic of pipeline/ingest/roles.py on meetings and interviews.

    .venv/bin/python -m benchmarks.bench_roles [--results PATH]

Reads three sets through the pipeline's own ingest (`read_corpus`, as a run
reads a folder) and takes the transcripts it hands to `decide_roles`:

- AMI: the 137 meetings of ../shared/eval/ami, written to a temporary folder
  as JSONL rows (transcript_id, speaker, text), a series per folder. A meeting
  has no interviewer: the keenest asker's rate must stay below
  `roles.MIN_GROUP_QUESTION_RATE` and `decide_roles` must name no one;
- the bundled sample (data/sample copied to a temporary folder without its
  manifest, so nothing names the interviewer): the interviewer of
  data/sample-answer-key.json;
- world_after_covid (../shared/eval/world_after_covid) written as interviews:
  a text file per interviewee, in a folder per Field, the five questions of
  its codebook.md asked by "Helen Marsh" and answered by "Participant".

Each figure is given twice: with the rule of the module (a turn asks once, 1
when it ends with its question, `roles.MID_TURN_QUESTION` when it asks
mid-way) and with the old rule (a turn counts its runs of question marks),
which `roles.asks` is swapped for while the old column is measured. Runs in
a few seconds, no models. Writes a Markdown table to stdout and
benchmarks/results/roles.md. Nothing is copied into the repository.
"""
from __future__ import annotations

import argparse
import csv
import datetime
import json
import re
import shutil
import statistics
import sys
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.datasets import EVAL  # noqa: E402
from pipeline.config import load_config  # noqa: E402
from pipeline.ingest import corpus as corpus_module  # noqa: E402
from pipeline.ingest import roles  # noqa: E402
from pipeline.ingest.records import Transcript  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results" / "roles.md"
AMI = EVAL / "ami" / "meetings"
COVID = EVAL / "world_after_covid"
# Plain names, so that neither is taken for a role label ("Interviewer", "Q", "R") by `roles._by_labels`.
COVID_INTERVIEWER = "Helen Marsh"
COVID_PARTICIPANT = "Participant"


def _old_asks(text: str) -> float:
    """The rule before: every run of question marks counts."""
    return float(len(re.findall(r"[?？]+", text)))


RULES: dict[str, Callable[[str], float]] = {"new": roles.asks, "old": _old_asks}


@contextmanager
def _rule(name: str) -> Iterator[None]:
    """`roles` counting asking turns by the rule `name` (the whole module: rates, most-questions, decide_roles)."""
    real = roles.asks
    roles.asks = RULES[name]
    try:
        yield
    finally:
        roles.asks = real


def transcripts_of(folder: Path) -> list[Transcript]:
    """The transcripts ingest hands to `decide_roles` (parsing, noise removal and merging as in a run)."""
    captured: list[Transcript] = []
    real = corpus_module.decide_roles

    def capture(transcripts, *args):
        captured.extend(transcripts)
        return real(transcripts, *args)

    corpus_module.decide_roles = capture
    try:
        corpus_module.read_corpus(folder, load_config().ingest)
    finally:
        corpus_module.decide_roles = real
    return captured


def write_ami(out: Path) -> Path:
    """The AMI meetings as `<series>/<meeting>.jsonl`, one row per turn, as tests/ingest/test_ami.py writes them."""
    for source in sorted(AMI.glob("*.json")):
        turns = json.loads(source.read_text(encoding="utf-8"))["meeting_transcripts"]
        folder = out / source.stem[:6]
        folder.mkdir(parents=True, exist_ok=True)
        with (folder / f"{source.stem}.jsonl").open("w", encoding="utf-8") as fh:
            for turn in turns:
                fh.write(json.dumps({"transcript_id": source.stem, "speaker": turn["speaker"],
                                     "text": turn["content"]}) + "\n")
    return out


def copy_sample(out: Path) -> Path:
    """data/sample without its manifest: a run that must find the interviewer itself."""
    shutil.copytree(ROOT / "data" / "sample", out, ignore=shutil.ignore_patterns("manifest.csv"))
    return out


def covid_questions() -> list[str]:
    """Q1..Q5 as codebook.md states them under "## Questions" ("Q1.     If you were ... what would it be?")."""
    text = (COVID / "codebook.md").read_text(encoding="utf-8", errors="replace")
    section = text.split("## Questions", 1)[1].split("\n#", 1)[0]
    found = {int(n): " ".join(q.split()) for n, q in re.findall(r"^Q(\d)\.\s+(.+?)(?=\n\s*\n|\Z)", section, re.M | re.S)}
    if sorted(found) != [1, 2, 3, 4, 5]:
        raise SystemExit(f"{COVID / 'codebook.md'}: expected questions Q1..Q5, found {sorted(found)}")
    return [found[n] for n in range(1, 6)]


def write_covid(out: Path) -> Path:
    """A conversation per interviewee: `<Field>/interview-<row>.txt` (the row of transcripts.csv, never the
    interviewee's name, which would show in the results), each question then its answer (when there is one)."""
    questions = covid_questions()
    with (COVID / "transcripts.csv").open(encoding="utf-8", errors="replace") as fh:
        rows = list(csv.DictReader(fh))
    for number, row in enumerate(rows, start=1):
        lines = []
        for n, question in enumerate(questions, 1):
            lines.append(f"{COVID_INTERVIEWER}: {question}")
            answer = " ".join((row.get(f"Q{n}") or "").split())
            if answer:
                lines.append(f"{COVID_PARTICIPANT}: {answer}")
        folder = out / row["Field"]
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"interview-{number:02d}.txt").write_text("\n\n".join(lines) + "\n", encoding="utf-8")
    return out


def keenest(transcript: Transcript) -> float:
    return max(rate for rate, _ in roles._question_rates(transcript).values())


def _methods(decisions) -> str:
    counts = Counter(d.method.removeprefix("heuristic:") for d in decisions)
    return ", ".join(f"{method} {n}" for method, n in counts.most_common())


def measure_meetings(meetings: list[Transcript]) -> dict[str, str]:
    """Figures of the current rule (`roles.asks`) on meetings, where no one is an interviewer."""
    rates = [keenest(t) for t in meetings]
    over = [t.transcript_id for t, rate in zip(meetings, rates) if rate >= roles.MIN_GROUP_QUESTION_RATE]
    decisions = roles.decide_roles(meetings, [], {})
    named = [t.transcript_id for t in meetings if decisions[t.transcript_id].interviewers]
    top = max(range(len(meetings)), key=rates.__getitem__)
    return {
        "keenest max": f"{rates[top]:.2f} ({meetings[top].transcript_id})",
        "keenest median": f"{statistics.median(rates):.2f}",
        "over": f"{len(over)}" + (f" ({', '.join(over)})" if over else ""),
        "named": f"{len(named)}" + (f" ({', '.join(named[:5])})" if named else "")
                 + f"; {_methods(decisions.values())}",
    }


def measure_interviews(transcripts: list[Transcript], interviewer: str) -> dict[str, str]:
    """Figures of the current rule on interviews whose interviewer is `interviewer` (any case)."""
    who = interviewer.casefold()
    rates = [roles._question_rates(t)[who][0] for t in transcripts]
    picked = [roles._most_questions(t).interviewers for t in transcripts]
    alone = sum(found == {who} for found in picked)
    other = [Path(t.source_file).stem for t, found in zip(transcripts, picked) if found and found != {who}]
    no_one = sum(not found for found in picked)
    decisions = roles.decide_roles(transcripts, [], {})
    right = sum(decisions[t.transcript_id].interviewers == {who} for t in transcripts)
    single = [roles.decide_roles([t], [], {})[t.transcript_id] for t in transcripts]
    right_single = sum(d.interviewers == {who} for d in single)
    n = len(transcripts)
    return {
        "rate": f"{min(rates):.2f} / {statistics.median(rates):.2f}",
        "most-questions": f"{alone}/{n}" + (f"; someone else in {len(other)} ({', '.join(other[:5])})" if other else "")
                          + (f"; no one (a tie) in {no_one}" if no_one else ""),
        "run": f"{right}/{n} ({_methods(decisions.values())})",
        "alone": f"{right_single}/{n} ({_methods(single)})",
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--results", type=Path, default=RESULTS, help="where to write the Markdown (default: %(default)s)")
    args = parser.parse_args(argv)
    key = json.loads((ROOT / "data" / "sample-answer-key.json").read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as tmp:
        meetings = transcripts_of(write_ami(Path(tmp) / "ami"))
        sample = transcripts_of(copy_sample(Path(tmp) / "sample"))
        covid = transcripts_of(write_covid(Path(tmp) / "world_after_covid"))
    found: dict[str, dict[str, dict[str, str]]] = {}
    for rule in RULES:
        with _rule(rule):
            found[rule] = {"ami": measure_meetings(meetings),
                           "sample": measure_interviews(sample, key["interviewer"]),
                           "covid": measure_interviews(covid, COVID_INTERVIEWER)}
    threshold = roles.MIN_GROUP_QUESTION_RATE
    rows = [
        ("ami", "keenest max", f"AMI, {len(meetings)} meetings: the keenest asker's rate, highest (its meeting)"),
        ("ami", "keenest median", "AMI: the keenest asker's rate, median over meetings"),
        ("ami", "over", f"AMI: meetings whose keenest asker reaches MIN_GROUP_QUESTION_RATE = {threshold} (must be 0)"),
        ("ami", "named", "AMI: meetings `decide_roles` gives an interviewer (must be 0); methods"),
        ("sample", "rate", f"sample, {len(sample)} conversations: the interviewer's rate, min / median"),
        ("sample", "most-questions", "sample: most-questions alone names the interviewer"),
        ("sample", "run", "sample: `decide_roles` as a run, no manifest, names the interviewer (methods)"),
        ("sample", "alone", "sample: the same, each conversation a run of its own (methods)"),
        ("covid", "rate", f"world_after_covid, {len(covid)} interviews: the interviewer's rate, min / median"),
        ("covid", "most-questions", "world_after_covid: most-questions alone names the interviewer"),
        ("covid", "run", "world_after_covid: `decide_roles` as a run names the interviewer (methods)"),
        ("covid", "alone", "world_after_covid: the same, each interview a run of its own (methods)"),
    ]
    table = "\n".join(["| measure | new rule (asking turns) | old rule (question marks) |", "|---|---|---|"]
                      + [f"| {label} | {found['new'][group][name]} | {found['old'][group][name]} |"
                         for group, name, label in rows])
    text = f"""# Who is the interviewer? Asking turns against question marks

Command: `.venv/bin/python -m benchmarks.bench_roles` (`make bench-roles`). Date: {datetime.date.today().isoformat()}.
Data: ../shared/eval/ami/meetings, data/sample (its manifest left out) with data/sample-answer-key.json,
../shared/eval/world_after_covid (transcripts.csv and the questions of codebook.md, written as interviews:
"{COVID_INTERVIEWER}" asks, "{COVID_PARTICIPANT}" answers, a folder per Field), all read through the pipeline's ingest.

A speaker's *rate* is `roles._question_rates`: their asking turns over their turns plus
`PRIOR_TURNS` = {roles.PRIOR_TURNS}. The new rule counts a turn once, 1 when it ends with its question and
`MID_TURN_QUESTION` = {roles.MID_TURN_QUESTION} when it asks only mid-way; the old rule counted every run of
question marks in the turn. Among three speakers or more, most-questions takes the keenest asker for an
interviewer only at `MIN_GROUP_QUESTION_RATE` = {threshold} or above, so a meeting, where no one interviews
anyone, must stay below it. *Most-questions alone* applies that heuristic to each transcript by itself; the
`decide_roles` rows make the whole decision as a run without a manifest or configured interviewers does
(the interviewer is in every conversation of each set, so a run takes them by most-conversations; a
conversation run on its own falls to most-questions). The world_after_covid interviews are questions and
answers only, no greeting or goodbye: the interviewer asks in each of their turns (5 of 5 plus 2, 0.71, when
all five are answered), and under the old rule an interviewee whose answers hold as many runs of question
marks ties with them (no one) or outnumbers them (someone else).

{table}
"""
    args.results.parent.mkdir(parents=True, exist_ok=True)
    args.results.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())

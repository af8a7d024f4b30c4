"""Where a cold run spends its time: py-spy samples of the whole pipeline on AMI meetings.

    python -m benchmarks.profile_run                 # 40 AMI meetings
    python -m benchmarks.profile_run --meetings 8    # a quick look

Converts the meetings as `bench_speed` does (one JSONL file per meeting, the
series as the team), then runs `commonground run` on them from an empty cache
under `py-spy record --subprocesses` (a sampling profiler: it reads the
stacks from outside, so the run is barely slowed and the parse's worker
processes are sampled too), 50 samples a second per process. The raw
collapsed stacks are summed here into:

- the stages (the pipeline's own functions that `runner.fresh` calls: parse,
  anonymise, embed, themes, ...), by the share of samples under each;
- the top functions by self time (samples whose innermost frame is the function);
- the top functions of our own code (`pipeline/`) by inclusive time.

Writes benchmarks/results/profile.md. py-spy comes from
benchmarks/requirements-profile.txt (`make profile` installs it); it needs
permission to read another process's memory (root, or ptrace allowed).
"""
from __future__ import annotations

import argparse
import collections
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.bench_speed import convert_ami, machine  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results" / "profile.md"
RATE = 50
# "function (path/to/file.py:line)", as py-spy writes each frame of a collapsed stack.
_FRAME = re.compile(r"^(?P<function>.+?) \((?P<file>[^()]*?)(?::(?P<line>\d+))?\)$")
# The stage a sample belongs to: the module of its outermost frame of our code below the runner
# (pipeline/runner/ orchestrates, every stage lives in its own module), as README's stage table has it.
STAGE_OF_MODULE = (
    ("pipeline/ingest/", "ingest"), ("pipeline/nlp.py", "parse"), ("pipeline/parsecache.py", "parse"),
    ("pipeline/anonymise/", "anonymise"), ("pipeline/segment.py", "segment"),
    ("pipeline/signals/learned.py", "score"), ("pipeline/signals/", "signals"), ("pipeline/embed.py", "embed"),
    ("pipeline/themes/", "themes"), ("pipeline/ground.py", "ground"), ("pipeline/dilemmas/", "dilemmas"),
    ("pipeline/curation/", "curate"), ("pipeline/report/", "report"), ("pipeline/leakcheck/", "report"),
)
_PROCESS = re.compile(r'^process \d+:')


def frames(stack: str) -> list[tuple[str, str]]:
    """(function, file) of each frame of one collapsed stack, outermost first.

    Examples
    --------
    >>> frames("<module> (a.py:1);run (pipeline/runner/fresh.py:120);parse (pipeline/nlp.py:80)")
    [('<module>', 'a.py'), ('run', 'pipeline/runner/fresh.py'), ('parse', 'pipeline/nlp.py')]
    """
    out = []
    for frame in stack.split(";"):
        match = _FRAME.match(frame.strip())
        out.append((match["function"], match["file"]) if match else (frame.strip(), ""))
    return out


def stage_of(chain: list[tuple[str, str]]) -> str:
    """The pipeline stage one sampled stack belongs to.

    Examples
    --------
    >>> stage_of([("run", "pipeline/runner/fresh.py"), ("parse", "pipeline/nlp.py"), ("pipe", "spacy/language.py")])
    'parse'
    >>> stage_of([("_bootstrap", "multiprocessing/process.py"), ("_apply_pipes", "spacy/language.py")])
    'parse (worker processes)'
    >>> stage_of([("<module>", "pipeline/__main__.py"), ("_find_and_load", "<frozen importlib._bootstrap>")])
    'start-up and orchestration'
    """
    for _, path in chain:
        for module, stage in STAGE_OF_MODULE:
            if module in path:
                return stage
    if any("spacy/" in path for _, path in chain):
        return "parse (worker processes)"
    return "start-up and orchestration"


def summarise(collapsed: str, top: int = 25) -> dict:
    """Samples per stage, per function by self time, and per function of ours by inclusive time."""
    stages, self_time, ours = collections.Counter(), collections.Counter(), collections.Counter()
    total = 0
    for line in collapsed.splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        n = int(count)
        chain = [frame for frame in frames(stack) if not _PROCESS.match(frame[0])]
        if not chain:
            continue
        total += n
        function, file = chain[-1]
        self_time[f"{function} ({_short(file)})"] += n
        stages[stage_of(chain)] += n
        for name in {f"{f} ({_short(path)})" for f, path in chain if "pipeline/" in path}:
            ours[name] += n
    return {"total": total, "stages": stages.most_common(), "self": self_time.most_common(top),
            "ours": ours.most_common(top)}


def _short(path: str) -> str:
    """A file path from the package or library root ("pipeline/nlp.py", "spacy/language.py")."""
    for anchor in ("site-packages/", "/work/", str(ROOT) + "/"):
        if anchor in path:
            path = path.split(anchor, 1)[1]
    return path


def render(summary: dict, meetings: int, n_turns: int, seconds: float, command: str) -> str:
    total = max(summary["total"], 1)
    lines = [
        "# Where a cold run spends its time",
        "",
        f"Command: `{command}`. Data: the first {meetings} AMI meetings ({n_turns:,} turns; ../shared/eval/ami), converted as "
        f"`make bench` converts them. Machine: {machine()['cpu']}, {machine()['cores']} cores. Wall time under "
        f"the profiler: {seconds:.0f} s. py-spy at {RATE} samples a second per process, worker processes "
        f"included: {summary['total']:,} samples (a sample is one process seen at one instant, so the shares "
        "are of CPU time, not of wall time).",
        "",
        "## By stage", "", "| stage | share of samples |", "|---|---:|",
        *[f"| {stage} | {n / total:.1%} |" for stage, n in summary["stages"]],
        "", "## Top functions by self time", "", "| function (file) | share |", "|---|---:|",
        *[f"| `{name}` | {n / total:.1%} |" for name, n in summary["self"]],
        "", "## Our functions by inclusive time", "", "| function (file) | share |", "|---|---:|",
        *[f"| `{name}` | {n / total:.1%} |" for name, n in summary["ours"]],
    ]
    return "\n".join(lines) + "\n"


def _py_spy() -> str:
    """py-spy beside this Python (the project's .venv), else on the PATH."""
    beside = Path(sys.executable).parent / "py-spy"
    found = str(beside) if beside.exists() else shutil.which("py-spy")
    if found is None:
        sys.exit("py-spy is not installed: make profile installs it (benchmarks/requirements-profile.txt)")
    return found


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--meetings", type=int, default=40, help="how many AMI meetings (sorted by name)")
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--raw", type=Path, help="keep py-spy's collapsed stacks in this file")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        n_turns = convert_ami(folder / "ami", args.meetings)
        raw = args.raw or folder / "profile.txt"
        run = [sys.executable, "-m", "pipeline", "run", str(folder / "ami"), "--out", str(folder / "out"),
               "--cache", str(folder / "cache")]
        started = time.perf_counter()
        subprocess.run([_py_spy(), "record", "--subprocesses", "--rate", str(RATE), "--format", "raw",
                        "--output", str(raw), "--", *run], check=True, cwd=ROOT)
        seconds = time.perf_counter() - started
        summary = summarise(raw.read_text(encoding="utf-8"))
    text = render(summary, args.meetings, n_turns, seconds, f"python -m benchmarks.profile_run --meetings {args.meetings}")
    args.out.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Public evaluation sets from ../shared/eval, as (texts, gold labels) for clustering benchmarks.

Nothing here is copied into the repository: every loader reads the shared
folder at run time.
"""
from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

EVAL = Path(__file__).resolve().parents[2] / "shared" / "eval"

_AMI_NOISE = re.compile(r"\{[a-z_]+\}|\s+")


@dataclass
class Dataset:
    """Items to cluster; `gold[i]` is None for items that are fitted but not scored."""

    name: str
    texts: list[str]
    gold: list[str | None]
    groups: list[str] = field(default_factory=list)  # evaluated separately when set (AMI series)
    note: str = ""
    # The stretch of talk each item was said in, items in the order spoken: an answer's units,
    # a meeting's turns. Empty when every item stands alone (CLINC150 requests).
    blocks: list[str] = field(default_factory=list)
    # The conversation each item comes from (an interviewee, a meeting), which sets a run's
    # theme limit. Empty when the items are not from conversations (CLINC150).
    conversations: list[str] = field(default_factory=list)


def clinc150(granularity: str = "intent") -> Dataset:
    """CLINC150 test split: 4,500 in-scope requests (150 intents, 10 domains) plus 1,000 out-of-scope.

    The out-of-scope requests are clustered too (they are noise) but not scored.
    """
    data = json.loads((EVAL / "clinc150" / "data_full.json").read_text())
    domains = json.loads((EVAL / "clinc150" / "domains.json").read_text())
    domain_of = {intent: domain for domain, intents in domains.items() for intent in intents}
    texts, gold = [], []
    for text, intent in data["test"]:
        texts.append(text)
        gold.append(intent if granularity == "intent" else domain_of[intent])
    for text, _ in data["oos_test"]:
        texts.append(text)
        gold.append(None)
    return Dataset(f"clinc150 ({granularity})", texts, gold,
                   note="test split; 1,000 out-of-scope requests clustered but not scored")


def world_after_covid(split_units) -> Dataset:
    """278 interview answers split into quote units; each unit inherits its answer's gold themes.

    ARI and NMI need one label per item, so units of answers coded with exactly
    one theme are scored (theme names merged across questions); units of
    multi-theme answers are clustered but not scored.
    """
    folder = EVAL / "world_after_covid"
    with (folder / "transcripts.csv").open(encoding="utf-8", errors="replace") as fh:
        answers = {row["Name"]: row for row in csv.DictReader(fh)}
    with (folder / "codes.csv").open(encoding="utf-8", errors="replace") as fh:
        codes = {row["Name"]: row for row in csv.DictReader(fh)}
    answer_texts, answer_gold, answer_ids = [], [], []
    for name, row in sorted(answers.items()):
        if name not in codes:
            continue
        for q in range(1, 6):
            text = (row.get(f"Q{q}") or "").strip()
            if not text:
                continue
            themes = [c.rsplit("_q", 1)[0] for c, v in codes[name].items()
                      if c.endswith(f"_q{q}") and v.strip() == "1"]
            answer_texts.append(text)
            answer_gold.append(themes[0] if len(themes) == 1 else None)
            answer_ids.append(f"{name}:Q{q}")
    units, gold, blocks = [], [], []
    for text, label, answer in zip(answer_texts, answer_gold, answer_ids):
        for unit in split_units(text):
            units.append(unit)
            gold.append(label)
            blocks.append(answer)
    return Dataset("world_after_covid", units, gold, blocks=blocks,
                   conversations=[answer.rsplit(":Q", 1)[0] for answer in blocks],
                   note=f"{len(answer_texts)} answers into {len(units)} units; units of single-theme answers scored")


def ami(n_series: int | None = 10, min_words: int = 5) -> Dataset:
    """AMI meeting turns; gold = the annotated topic span a turn falls in, per meeting.

    Meetings come in series of four by one team; each series is clustered and
    scored on its own (`groups`). Turns shorter than `min_words` after removing
    noise markers are dropped for every method alike; turns outside every span
    are clustered but not scored.
    """
    files = sorted((EVAL / "ami" / "meetings").glob("*.json"))
    series = sorted({f.stem[:-1] for f in files})
    if n_series is not None:
        series = series[:n_series]
    texts, gold, groups, blocks = [], [], [], []
    for path in files:
        if path.stem[:-1] not in series:
            continue
        meeting = json.loads(path.read_text())
        topic_of = {}
        for index, topic in enumerate(meeting["topic_list"]):
            for start, end in topic["relevant_text_span"]:
                for turn in range(int(start), int(end) + 1):
                    topic_of.setdefault(turn, f"{path.stem}:{index}")
        for turn, item in enumerate(meeting["meeting_transcripts"]):
            text = _AMI_NOISE.sub(" ", item["content"]).strip()
            if len(text.split()) < min_words:
                continue
            texts.append(text)
            gold.append(topic_of.get(turn))
            groups.append(path.stem[:-1])
            blocks.append(path.stem)  # no interviewer: a meeting is one stretch of talk
    return Dataset("ami", texts, gold, groups, blocks=blocks, conversations=list(blocks),
                   note=f"{len(series)} meeting series, turns of {min_words}+ words, each series clustered alone")

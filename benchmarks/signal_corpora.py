"""Labelled quote units for the learned signal detectors, from the public sets in ../shared/eval.

Each builder turns one data set into the units the pipeline would make of it
(parse, segment, rule cues) with a gold label per flag where the set has one,
the scoring item each unit belongs to, and a fixed train/dev/test split:

- `ami`: AMI manual annotations (dialogue acts linked to the summaries'
  "decisions" and "problems"). A speaker turn is the run of one speaker's
  consecutive dialogue acts; its units come from `segment`, and a unit is
  positive when it overlaps a linked act. The scoring item is the turn
  (positive when one of its acts is linked). Split by meeting series.
- `gum`: GUM discourse relations. One unit per related pair of discourse
  units (the two texts in document order); tension (concession, contrast,
  antithesis) and rationale (cause, justify, evidence, motivation) are the
  labels. The scoring item is the pair. GUM's own split.
- `world_after_covid`: interviews (the two prediction questions and their
  answers); the dialectic code is per interviewee, so units carry no label
  and the scoring item is the interviewee. Split by interviewee.

Every unit also says how the detectors read it in context: its `block` (the
stretch whose neighbouring units form its context) and the text of the turn
it answers (`prompt_text`, "" when none). For interviews that is the
interviewer's question (`pipeline.signals.learned.interview_context`); a
meeting has no interviewer, so a unit's block is its speaker turn and its
prompt the last unit said by someone else before that turn; in GUM's texts
the block is the document and the prompt the pair unit that ends the sentence
before.

Nothing is copied into the repository: every builder reads ../shared/eval at
run time. The sample in data/ and its answer key are never read.
"""
from __future__ import annotations

import csv
import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from benchmarks.datasets import EVAL
from pipeline import schema
from pipeline.anonymise import REDACTIONS
from pipeline.signals import detect_signals

logger = logging.getLogger(__name__)

SPLITS = ("train", "dev", "test")

# AMI meeting series held out of training: test for the benchmark, dev for choosing
# thresholds and settings. Every fourth or fifth series of each site, fixed here so a
# rebuild and the benchmark agree; IB4003 has no summary links and is left out.
AMI_TEST_SERIES = ("ES2004", "ES2008", "ES2012", "ES2016", "IS1002", "IS1006")
AMI_DEV_SERIES = ("ES2003", "ES2010", "ES2014", "IS1001", "IS1008")

TENSION_RELATIONS = frozenset({"concession", "contrast", "antithesis"})
RATIONALE_RELATIONS = frozenset({"cause", "justify", "evidence", "motivation"})

# The world_after_covid prediction questions the coded answers reply to (codebook.md, Q1 and Q3).
WAC_QUESTIONS = {
    "Positive": "If you were to predict the domain or aspect of social life where we might observe the most "
                "significant positive societal and/or psychological change in response to the pandemic, "
                "what would it be?",
    "Negative": "If you were to predict the domain or aspect of social life where we might observe the most "
                "significant negative societal and/or psychological change in response to the pandemic, "
                "what would it be?",
}
DESCRIPTION = {
    "ami": "AMI manual annotations 1.6.2 (../shared/eval/ami_annotations): units of speaker turns; dilemma = "
           "overlaps a dialogue act linked to the summary's problems, decision = linked to its decisions; split by "
           f"meeting series: test {', '.join(AMI_TEST_SERIES)}; dev {', '.join(AMI_DEV_SERIES)}; train the rest "
           "(IB4003, without links, left out)",
    "gum": "GUM discourse relations, commit 72ce5ac (../shared/eval/gum_relations): one unit per related pair; "
           "dilemma = concession, contrast or antithesis; rationale = cause, justify, evidence or motivation; "
           "GUM's own train/dev/test split",
    "world_after_covid": "world_after_covid (../shared/eval/world_after_covid): the two prediction answers per "
                         "interviewee; dialectic code per interviewee (Dialectic_Final); used to choose the dilemma "
                         "threshold (dev) and for the benchmark (test), split by a hash of the name",
}
WAC_TEST_SHARE = 0.4  # of interviewees, by the rank of a hash of their name
WAC_DEV_SHARE = 0.3


@dataclass
class LabelledUnits:
    """Quote units of one data set with their labels, context and split.

    `units` has one row per unit, in reading order, with `transcript_id`,
    `turn`, `text`, `embed_text`, `cues` (as `detect_signals` writes them),
    `item` (the scoring item), `split`, `block`, `prompt_text` and one column
    per flag in `KINDS`: 1.0 or 0.0 where the set labels units for that flag,
    NaN where it does not. `items` has one row per scoring item (an AMI turn,
    a GUM pair, an interviewee), including items that yield no unit (a
    one-word back-channel), with `item`, `split` and the items' gold labels
    per flag (NaN where unlabelled).
    """

    name: str
    units: pd.DataFrame
    items: pd.DataFrame


def _split_by_hash(keys: list[str], test_share: float, dev_share: float) -> dict[str, str]:
    """A fixed split of `keys` by the rank of sha256(key): the first `test_share` test, then dev, then train."""
    ranked = sorted(keys, key=lambda k: hashlib.sha256(k.encode()).hexdigest())
    n_test, n_dev = round(len(ranked) * test_share), round(len(ranked) * dev_share)
    return {k: "test" if i < n_test else "dev" if i < n_test + n_dev else "train" for i, k in enumerate(ranked)}


def _turn_table(rows: list[dict]) -> pd.DataFrame:
    """The pipeline's turns table (nothing redacted) from rows with transcript_id, turn, role, text."""
    full = [{schema.TRANSCRIPT_ID: r["transcript_id"], schema.TURN: r["turn"], schema.SPEAKER: r.get("speaker", "s"),
             schema.ROLE: r["role"], schema.TEAM: "t", schema.START: float("nan"), schema.TEXT: r["text"],
             schema.SOURCE_FILE: r["transcript_id"], REDACTIONS: []} for r in rows]
    return pd.DataFrame(full)


def _units_with_cues(turns: pd.DataFrame, nlp, config, parse_cache=None, whole_turns: bool = False) -> pd.DataFrame:
    """Parse, segment and flag `turns` as the pipeline does; `whole_turns` makes each turn one unit."""
    from pipeline.nlp import parse
    from pipeline.segment import segment

    docs = parse(nlp, turns[schema.TEXT].tolist(), cache=parse_cache)
    if whole_turns:
        quotes = pd.DataFrame({
            schema.QUOTE_ID: [f"u{i}" for i in range(len(turns))],
            schema.TRANSCRIPT_ID: turns[schema.TRANSCRIPT_ID].tolist(), schema.TURN: turns[schema.TURN].tolist(),
            schema.SPEAKER: "s", schema.TEAM: "t", schema.TEXT: turns[schema.TEXT].tolist(),
            schema.CHAR_START: 0, schema.CHAR_END: turns[schema.TEXT].str.len().tolist(),
            schema.EMBED_TEXT: turns[schema.TEXT].tolist(), "_doc": list(range(len(turns)))})
    else:
        quotes = segment(turns, docs, config.segment)
    return detect_signals(quotes, docs, config.signals, turns=turns)


def item_scores(corpus: LabelledUnits, unit_scores: dict[str, np.ndarray], flag: str, split: str
                ) -> tuple[np.ndarray, np.ndarray]:
    """Gold labels and scores of the `split` items labelled for `flag`: an item scores its best unit's
    score (an AMI turn, an interviewee), 0 when it has no unit (a back-channel turn)."""
    items = corpus.items[(corpus.items["split"] == split) & corpus.items[flag].notna()]
    best = pd.Series(unit_scores[flag], index=corpus.units.index).groupby(corpus.units["item"].to_numpy()).max()
    scores = best.reindex(items["item"]).fillna(0.0).to_numpy()
    return items[flag].to_numpy().astype(int), scores


# --- AMI: dialogue acts linked to the summaries' decisions and problems ---------------------------

def ami_split(series: str) -> str:
    return "test" if series in AMI_TEST_SERIES else "dev" if series in AMI_DEV_SERIES else "train"


def ami_turns(path: Path | None = None) -> tuple[pd.DataFrame, list[list[tuple[int, int, int, int]]]]:
    """Speaker turns of the linked AMI meetings, and per turn its acts' (start, end, decision, problem).

    A turn is the run of one speaker's consecutive dialogue acts (acts
    without words, laughter and the like, neither break nor join a run);
    its text joins the acts' words with single spaces.
    """
    path = path or EVAL / "ami_annotations" / "dialogue_acts.csv"
    rows = []
    current = None
    with path.open(encoding="utf-8", newline="") as fh:
        for da in csv.DictReader(fh):
            if da["has_summlinks"] != "1" or not da["text"].strip():
                continue
            key = (da["meeting"], da["speaker"])
            if current is None or current["key"] != key:
                turn = 0 if current is None or current["key"][0] != da["meeting"] else current["turn"] + 1
                current = {"key": key, "turn": turn, "series": da["series"], "texts": [], "acts": []}
                rows.append(current)
            start = sum(len(t) + 1 for t in current["texts"])
            text = da["text"].strip()
            current["texts"].append(text)
            current["acts"].append((start, start + len(text), int(da["linked_decision"]), int(da["linked_problem"])))
    table = [{"transcript_id": r["key"][0], "turn": r["turn"], "speaker": r["key"][1], "role": schema.ROLE_PARTICIPANT,
              "text": " ".join(r["texts"]), "series": r["series"]} for r in rows]
    turns = _turn_table(table)
    turns["series"] = [r["series"] for r in table]
    return turns, [r["acts"] for r in rows]


def meeting_context(units: pd.DataFrame, turns: pd.DataFrame) -> tuple[list[int], list[str]]:
    """Per unit of a meeting (no interviewer), its block and prompt: the block is its speaker turn (the
    turn's row position in `turns`), the prompt the last unit of the latest earlier turn of the same
    meeting by another speaker that has a unit (a bare "Okay." has none and is passed over)."""
    position = {(t, n): i for i, (t, n) in enumerate(zip(turns[schema.TRANSCRIPT_ID], turns[schema.TURN]))}
    block = [position[(t, n)] for t, n in zip(units[schema.TRANSCRIPT_ID], units[schema.TURN])]
    last_unit_of_turn = dict(zip(block, units[schema.EMBED_TEXT]))
    speakers, transcripts = turns[schema.SPEAKER].tolist(), turns[schema.TRANSCRIPT_ID].tolist()
    prompt_of_turn: dict[int, str] = {}
    for i in sorted(set(block)):
        j = i - 1
        while j >= 0 and transcripts[j] == transcripts[i] and (speakers[j] == speakers[i] or j not in last_unit_of_turn):
            j -= 1
        prompt_of_turn[i] = last_unit_of_turn[j] if j >= 0 and transcripts[j] == transcripts[i] else ""
    return block, [prompt_of_turn[i] for i in block]


def ami(nlp, config, parse_cache=None, meetings: int | None = None) -> LabelledUnits:
    """AMI units labelled for decision (linked to "decisions") and dilemma (linked to "problems")."""
    turns, acts = ami_turns()
    if meetings is not None:  # a quick look during development: the first meetings only
        keep = turns[schema.TRANSCRIPT_ID].isin(sorted(turns[schema.TRANSCRIPT_ID].unique())[:meetings])
        turns, acts = turns[keep].reset_index(drop=True), [a for a, k in zip(acts, keep) if k]
    units = _units_with_cues(turns, nlp, config, parse_cache)
    position = {(t, n): i for i, (t, n) in enumerate(zip(turns[schema.TRANSCRIPT_ID], turns[schema.TURN]))}
    decision, problem = [], []
    for row in units.itertuples(index=False):
        i = position[(row.transcript_id, row.turn)]
        overlapping = [a for a in acts[i] if a[0] < row.char_end and row.char_start < a[1]]
        decision.append(float(any(a[2] for a in overlapping)))
        problem.append(float(any(a[3] for a in overlapping)))
    block, prompt_text = meeting_context(units, turns)
    series = turns["series"].tolist()
    out = pd.DataFrame({
        "transcript_id": units[schema.TRANSCRIPT_ID].tolist(), "turn": units[schema.TURN].tolist(),
        "text": units[schema.TEXT].tolist(), "embed_text": units[schema.EMBED_TEXT].tolist(),
        "cues": units["cues"].tolist(),
        "item": [f"{t}|{n}" for t, n in zip(units[schema.TRANSCRIPT_ID], units[schema.TURN])],
        "split": [ami_split(series[i]) for i in block], "block": block, "prompt_text": prompt_text,
        "dilemma": problem, "decision": decision, "rationale": np.nan})
    items = pd.DataFrame({
        "item": [f"{t}|{n}" for t, n in zip(turns[schema.TRANSCRIPT_ID], turns[schema.TURN])],
        "split": [ami_split(s) for s in series],
        "dilemma": [float(any(a[3] for a in a_list)) for a_list in acts],
        "decision": [float(any(a[2] for a in a_list)) for a_list in acts], "rationale": np.nan})
    return LabelledUnits("ami", out, items)


def qmsum_meetings(paths: list[Path], nlp, config, parse_cache=None) -> tuple[LabelledUnits, pd.DataFrame]:
    """Units of QMSum's AMI meetings (../shared/eval/ami/meetings), read as `ami` reads a meeting.

    Unlabelled: the decision queries' evidence spans are turn ranges, scored
    by the benchmark. Returns the units (their `item` is "meeting|turn") and
    the turns table.
    """
    import json
    import re

    noise = re.compile(r"\{[a-z_]+\}|\s+")
    rows = []
    for path in paths:
        meeting = json.loads(path.read_text(encoding="utf-8"))
        for turn, entry in enumerate(meeting["meeting_transcripts"]):
            rows.append({"transcript_id": path.stem, "turn": turn, "speaker": entry["speaker"],
                         "role": schema.ROLE_PARTICIPANT, "text": noise.sub(" ", entry["content"]).strip() or "."})
    turns = _turn_table(rows)
    units = _units_with_cues(turns, nlp, config, parse_cache)
    block, prompt_text = meeting_context(units, turns)
    out = pd.DataFrame({
        "transcript_id": units[schema.TRANSCRIPT_ID].tolist(), "turn": units[schema.TURN].tolist(),
        "text": units[schema.TEXT].tolist(), "embed_text": units[schema.EMBED_TEXT].tolist(),
        "cues": units["cues"].tolist(),
        "item": [f"{t}|{n}" for t, n in zip(units[schema.TRANSCRIPT_ID], units[schema.TURN])],
        "split": "test", "block": block, "prompt_text": prompt_text,
        "dilemma": np.nan, "decision": np.nan, "rationale": np.nan})
    items = pd.DataFrame({"item": [f"{t}|{n}" for t, n in zip(turns[schema.TRANSCRIPT_ID], turns[schema.TURN])],
                          "split": "test", "dilemma": np.nan, "decision": np.nan, "rationale": np.nan})
    return LabelledUnits("qmsum", out, items), turns


# --- GUM: tension and rationale relations -----------------------------------------------------------

def gum_pairs(path: Path | None = None) -> pd.DataFrame:
    """One row per related pair (doc, edu_id, head_id): texts, split, genre, and whether any of its
    relations is a tension or a rationale."""
    path = path or EVAL / "gum_relations" / "relations.csv"
    rel = pd.read_csv(path, keep_default_na=False, dtype={"edu_id": int, "head_id": int})
    rel["is_tension"] = rel["relation"].isin(TENSION_RELATIONS)
    rel["is_rationale"] = rel["relation"].isin(RATIONALE_RELATIONS)
    keys = ["doc", "edu_id", "head_id"]
    pairs = rel.groupby(keys, sort=True).agg(
        genre=("genre", "first"), split=("split", "first"), edu_text=("edu_text", "first"),
        head_text=("head_text", "first"), edu_sentence=("edu_sentence", "first"),
        head_sentence=("head_sentence", "first"), tension=("is_tension", "max"),
        rationale=("is_rationale", "max")).reset_index()
    return pairs


def gum(nlp, config, parse_cache=None) -> LabelledUnits:
    """GUM pairs as units labelled for dilemma (tension) and rationale."""
    pairs = gum_pairs()  # in reading order: by document, then by the pair's dependent unit
    first = pairs[["edu_id", "head_id"]].min(axis=1)
    later = pairs[["edu_id", "head_id"]].max(axis=1)
    text_of = {(d, e): t for d, e, t in zip(pairs["doc"], pairs["edu_id"], pairs["edu_text"])}
    text_of.update({(d, e): t for d, e, t in zip(pairs["doc"], pairs["head_id"], pairs["head_text"])})
    texts = [f"{text_of[(d, a)]} {text_of[(d, b)]}".strip() for d, a, b in zip(pairs["doc"], first, later)]
    turns = _turn_table([{"transcript_id": d, "turn": i, "role": schema.ROLE_PARTICIPANT, "text": t}
                         for i, (d, t) in enumerate(zip(pairs["doc"], texts))])
    units = _units_with_cues(turns, nlp, config, parse_cache, whole_turns=True)
    prompt_text = _gum_prompts(pairs, first, texts)
    item = [f"{d}|{e}|{h}" for d, e, h in zip(pairs["doc"], pairs["edu_id"], pairs["head_id"])]
    out = pd.DataFrame({
        "transcript_id": pairs["doc"].tolist(), "turn": list(range(len(pairs))), "text": texts, "embed_text": texts,
        "cues": units["cues"].tolist(), "item": item, "split": pairs["split"].tolist(),
        "block": pd.factorize(pairs["doc"])[0], "prompt_text": prompt_text,
        "dilemma": pairs["tension"].astype(float).tolist(), "decision": np.nan,
        "rationale": pairs["rationale"].astype(float).tolist(), "genre": pairs["genre"].tolist()})
    items = out[["item", "split", "dilemma", "decision", "rationale", "genre"]].copy()
    return LabelledUnits("gum", out, items)


def _gum_prompts(pairs: pd.DataFrame, first: pd.Series, texts: list[str]) -> list[str]:
    """Per pair, the text of the unit whose dependent ends the sentence before the pair's first one.

    Sentences are runs of consecutive discourse units with the same sentence
    text; the document's root unit (no pair of its own) borrows the unit before it.
    """
    sentence_of: dict[tuple[str, int], str] = {}
    for d, e, h, es, hs in zip(pairs["doc"], pairs["edu_id"], pairs["head_id"], pairs["edu_sentence"],
                               pairs["head_sentence"]):
        sentence_of[(d, e)] = es
        sentence_of.setdefault((d, h), hs)
    unit_of_dependent = {}
    for d, e, t in zip(pairs["doc"], pairs["edu_id"], texts):
        unit_of_dependent.setdefault((d, e), t)
    sentence_index: dict[tuple[str, int], int] = {}
    sentence_end_text: dict[str, list[str]] = {}
    previous = None
    for d, e in sorted(sentence_of):
        ends = sentence_end_text.setdefault(d, [])
        text = unit_of_dependent.get((d, e), ends[-1] if ends else "")
        if previous == (d, sentence_of[(d, e)]):
            ends[-1] = text
        else:
            ends.append(text)
        sentence_index[(d, e)] = len(ends) - 1
        previous = (d, sentence_of[(d, e)])
    return [sentence_end_text[d][sentence_index[(d, a)] - 1] if sentence_index[(d, a)] > 0 else ""
            for d, a in zip(pairs["doc"], first)]


# --- world_after_covid: dialectic codes per interviewee -------------------------------------------

def wac_people(path: Path | None = None) -> list[dict]:
    path = path or EVAL / "world_after_covid" / "outside_dialectic_codes.csv"
    with path.open(encoding="utf-8", errors="replace", newline="") as fh:
        return list(csv.DictReader(fh))


def wac_split(names: list[str]) -> dict[str, str]:
    return _split_by_hash(sorted(names), WAC_TEST_SHARE, WAC_DEV_SHARE)


def wac_turns(people: list[dict]) -> pd.DataFrame:
    """Each interviewee's coded answers as an interview: Preamble, then each question and its answer."""
    rows = []
    for person in people:
        turn = 0
        for column in ("Preamble", "Positive", "Negative"):
            # The file holds U+FFFD where its source had unreadable spaces.
            text = " ".join((person[column] or "").replace("\ufffd", " ").split())
            if not text:
                continue
            if column in WAC_QUESTIONS:
                rows.append({"transcript_id": person["Name"], "turn": turn, "role": schema.ROLE_INTERVIEWER,
                             "text": WAC_QUESTIONS[column], "speaker": "interviewer"})
                turn += 1
            rows.append({"transcript_id": person["Name"], "turn": turn, "role": schema.ROLE_PARTICIPANT, "text": text,
                         "speaker": person["Name"]})
            turn += 1
    return _turn_table(rows)


def world_after_covid(nlp, config, parse_cache=None) -> tuple[LabelledUnits, pd.DataFrame]:
    """Interview units (unlabelled) with their interviewee's dialectic code as the item's dilemma label.

    Also returns the turns table, for `interview_context`.
    """
    from pipeline.signals.learned import interview_context

    people = wac_people()
    split = wac_split([p["Name"] for p in people])
    turns = wac_turns(people)
    units = _units_with_cues(turns, nlp, config, parse_cache)
    blocks, prompts = interview_context(units, turns)
    texts = turns[schema.TEXT].tolist()
    out = pd.DataFrame({
        "transcript_id": units[schema.TRANSCRIPT_ID].tolist(), "turn": units[schema.TURN].tolist(),
        "text": units[schema.TEXT].tolist(), "embed_text": units[schema.EMBED_TEXT].tolist(),
        "cues": units["cues"].tolist(), "item": units[schema.TRANSCRIPT_ID].tolist(),
        "split": [split[t] for t in units[schema.TRANSCRIPT_ID]], "block": blocks,
        "prompt_text": ["" if p is None else texts[p] for p in prompts],
        "dilemma": np.nan, "decision": np.nan, "rationale": np.nan})
    items = pd.DataFrame({"item": [p["Name"] for p in people], "split": [split[p["Name"]] for p in people],
                          "dilemma": [float(p["Dialectic_Final"].strip() == "1") for p in people],
                          "decision": np.nan, "rationale": np.nan})
    return LabelledUnits("world_after_covid", out, items), turns

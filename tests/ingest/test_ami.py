"""Real spoken transcripts: the AMI meetings (CC BY 4.0, via QMSum) as JSONL rows.

Each meeting becomes ``<series>/<meeting>.jsonl`` with one row per AMI turn
(transcript_id, speaker, text), so the series (ES2002, ...) is the team.
Turns that hold only noise markers ("{vocalsound} .") are dropped by ingest;
the others keep their AMI index as `turn`, so AMI's annotated turn spans
still point at the right turns.
"""
import json
import logging
import re
from pathlib import Path

import pytest

from pipeline.config import load_config
from pipeline.ingest import read_corpus

AMI = Path(__file__).resolve().parents[3] / "shared" / "eval" / "ami" / "meetings"
MARKER = re.compile(r"\{[^{}]*\}")


def said_something(content: str) -> bool:
    return any(ch.isalnum() for ch in MARKER.sub(" ", content))


@pytest.mark.skipif(not AMI.is_dir(), reason="the AMI evaluation data is not beside the checkout")
def test_ami_meetings_as_jsonl(tmp_path, caplog):
    expected_turns: dict[str, list[int]] = {}
    expected_speakers: dict[str, set[str]] = {}
    n_raw = 0
    for source in sorted(AMI.glob("*.json")):
        meeting = source.stem
        turns = json.loads(source.read_text(encoding="utf-8"))["meeting_transcripts"]
        n_raw += len(turns)
        folder = tmp_path / "ami" / meeting[:6]
        folder.mkdir(parents=True, exist_ok=True)
        with (folder / f"{meeting}.jsonl").open("w", encoding="utf-8") as out:
            for turn in turns:
                out.write(json.dumps({"transcript_id": meeting, "speaker": turn["speaker"],
                                      "text": turn["content"]}) + "\n")
        expected_turns[meeting] = [i for i, t in enumerate(turns) if said_something(t["content"])]
        expected_speakers[meeting] = {t["speaker"] for t in turns if said_something(t["content"])}

    with caplog.at_level(logging.WARNING, logger="pipeline"):
        corpus = read_corpus(tmp_path / "ami", load_config().ingest)
    # Meetings, one per file: never taken for several interviews gathered in one file (`gathered`).
    assert "looks like several interviews" not in caplog.text

    assert len(corpus.inputs) == len(expected_turns) >= 100
    assert {r.status for r in corpus.inputs} == {"ok"}
    turns = corpus.turns
    n_kept = sum(len(v) for v in expected_turns.values())
    assert len(turns) == n_kept < n_raw  # some noise-only turns were dropped
    by_meeting = turns.groupby("transcript_id")
    assert {m: g.turn.tolist() for m, g in by_meeting} == expected_turns
    assert {m: set(g.speaker) for m, g in by_meeting} == expected_speakers
    assert all(len(s) == 4 for s in expected_speakers.values())
    assert set(turns.team) == {m[:6] for m in expected_turns}
    assert not turns.text.str.contains(r"\{(?:vocalsound|disfmarker|gap)\}").any()

"""A datum that slips past the anonymiser is masked before publishing; one that cannot be masked stops the run.

The anonymiser catches everything in these transcripts, so the slip is
planted: after segmentation, one quote gets a speaker's real name back, as a
missed detection would leave it. Every later stage (themes, labels, report)
then carries it into the staged outputs, where only the leak check stands
between it and OUT.
"""
import json

import pytest

from pipeline import runner, schema
from pipeline.cli import main
from pipeline.errors import EXIT_INTERNAL, LeakError
from pipeline.leakcheck import find_leaks

SPEAKERS = {"housing": ["Priya Shah", "Omar Farouk"], "finance": ["Tom Kowalski", "Grace Obi"],
            "care": ["Ann Lee", "Rhys Morgan"]}
ANSWERS = [
    "We had to choose between answering the phones and clearing the casework backlog every week.",
    "So we decided to stop using agency workers and train our own staff, because it cost a fortune.",
    "Older residents without broadband cannot use the online forms, so we kept a paper route open.",
]


@pytest.fixture
def corpus(tmp_path):
    folder = tmp_path / "in"
    for team, people in SPEAKERS.items():
        (folder / team).mkdir(parents=True)
        for n, person in enumerate(people):
            lines = []
            for answer in ANSWERS:
                lines += ["Helen Marsh: Can you tell me about that side of the work?", f"{person}: {answer}"]
            (folder / team / f"talk{n}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


@pytest.fixture
def slip(monkeypatch):
    """Put Priya Shah's name back into her first quote, as a detector miss would leave it."""
    segment = runner.fresh.segment

    def leaky_segment(*args, **kwargs):
        quotes = segment(*args, **kwargs)
        first = quotes.index[quotes[schema.TEXT].str.len() > 0][0]
        quotes.loc[first, schema.TEXT] = "Priya Shah here. " + quotes.loc[first, schema.TEXT]
        return quotes

    monkeypatch.setattr(runner.fresh, "segment", leaky_segment)


@pytest.fixture
def unmaskable(monkeypatch):
    """Masking that reaches nothing: what a datum split across a Word file's runs would meet."""
    from collections import Counter

    monkeypatch.setattr("pipeline.leakcheck.mask_terms", lambda folder, replacements: Counter())


def _left_behind(out):
    return [p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}.tmp-")]


def test_a_datum_that_slipped_through_is_masked_and_the_run_publishes(corpus, tmp_path, nlp, fake_embedder, slip,
                                                                      caplog):
    out = tmp_path / "out"
    result = runner.run(corpus, out=out, embedder=fake_embedder, nlp=nlp, cache_dir=None)
    assert find_leaks(out, {"Priya Shah": "speaker name", "Priya": "speaker name", "Shah": "speaker name"}) == []
    summary = json.loads((out / "run.json").read_text(encoding="utf-8"))
    masked = summary["anonymisation"]["masked_after_check"]
    assert masked.get("speaker name", 0) >= 1 and result.summary["anonymisation"]["masked_after_check"] == masked
    quotes = (out / "quotes.csv").read_text(encoding="utf-8")
    assert "[PERSON" in quotes and "here." in quotes
    assert "masked" in caplog.text and "Priya" not in caplog.text
    assert not _left_behind(out)


def test_a_clean_run_records_that_nothing_was_masked(corpus, tmp_path, nlp, fake_embedder):
    out = tmp_path / "out"
    runner.run(corpus, out=out, embedder=fake_embedder, nlp=nlp, cache_dir=None)
    assert json.loads((out / "run.json").read_text())["anonymisation"]["masked_after_check"] == {}


def test_the_library_refuses_a_datum_it_cannot_mask_and_leaves_nothing(corpus, tmp_path, nlp, fake_embedder, slip,
                                                                       unmaskable):
    out = tmp_path / "out"
    with pytest.raises(LeakError) as raised:
        runner.run(corpus, out=out, embedder=fake_embedder, nlp=nlp, cache_dir=None)
    assert "speaker name" in str(raised.value) and "Priya" not in str(raised.value)
    assert not out.exists() and not _left_behind(out)


def test_the_command_line_refuses_with_exit_1_names_both_fixes_and_leaves_nothing(corpus, tmp_path, nlp,
                                                                                fake_embedder, slip, unmaskable,
                                                                                monkeypatch, capsys):
    monkeypatch.setattr(runner.fresh, "embedder_from_config", lambda config: fake_embedder)
    out = tmp_path / "out"
    code = main(["run", str(corpus), "--out", str(out), "--no-cache", "-q"])
    err = capsys.readouterr().err
    assert code == EXIT_INTERNAL
    assert "nothing was published" in err and "roster" in err and "keep" in err
    assert "Priya" not in err and "Traceback" not in err
    assert not out.exists() and not _left_behind(out)

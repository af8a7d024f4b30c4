"""The runner on small synthetic corpora, with the real spaCy parser and a fake embedder."""
import json

import numpy as np
import pandas as pd
import pytest

from pipeline import schema
from pipeline.errors import EXIT_OK, EXIT_PARTIAL, NoUsableInputError, UsageError
from pipeline.runner import load_run, run

TOPICS = {
    "phones": "We had to choose between answering the phones and clearing the casework backlog, the phones never stop ringing.",
    "agency": "The agency staff cost us a fortune, so we decided to stop using agency workers and train permanent staff instead.",
    "online": "Pushing everyone online saves money but older residents without broadband just cannot use the online forms.",
}


def write_corpus(folder, teams=("housing", "finance", "care"), extra=None):
    for team in teams:
        (folder / team).mkdir(parents=True, exist_ok=True)
        for n in range(3):
            lines = ["Helen Marsh: Thanks for making the time today, shall we start?"]
            for sentence in TOPICS.values():
                lines.append("Helen Marsh: Can you tell me about that side of the work?")
                lines.append(f"Speaker {team.title()}{n}: {sentence} Honestly it was the same story every single week for us.")
            (folder / team / f"talk{n}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "manifest.csv").write_text(
        "file,team,interviewer\n" + "".join(f"{team}/talk{n}.txt,{team},Helen Marsh\n"
                                            for team in teams for n in range(3)), encoding="utf-8")
    for name, content in (extra or {}).items():
        (folder / name).write_bytes(content)
    return folder


@pytest.fixture
def corpus(tmp_path):
    return write_corpus(tmp_path / "in")


def test_run_writes_every_output_and_load_run_reads_it_back(corpus, tmp_path, nlp, fake_embedder):
    out = tmp_path / "out"
    result = run(corpus, out=out, embedder=fake_embedder, nlp=nlp, cache_dir=None)
    assert result.exit_status == EXIT_OK
    for name in ("themes.csv", "quotes.csv", "decisions.csv", "theme_report.html", "theme_report.md",
                 "theme_cards.docx", "run.json"):
        assert (out / name).is_file(), name
    assert not [p for p in out.parent.iterdir() if ".tmp-" in p.name], "staging folder left behind"
    loaded = load_run(out)
    assert loaded.themes[schema.THEME_ID].tolist() == result.themes[schema.THEME_ID].tolist()
    assert loaded.quotes[schema.QUOTE_ID].tolist() == result.quotes[schema.QUOTE_ID].tolist()
    assert loaded.summary["counts"]["transcripts"] == 9
    # Scores read back as numbers, a decision not found as a missing one, as the fresh run holds them.
    for table in (result.dilemma_decisions, loaded.dilemma_decisions):
        assert pd.api.types.is_float_dtype(table[schema.DECISION_SCORE])
        assert (table[schema.DECISION_SCORE] > 0.5).dtype == bool
    # An analyst's lookups: a team in any case, a theme by its key; an unknown team names the run's teams.
    assert len(loaded.said("HOUSING")) == len(loaded.said("housing")) > 0
    with pytest.raises(KeyError, match="its teams are"):
        loaded.said("nonexistent")
    key = loaded.themes[schema.THEME_KEY].iloc[0]
    assert loaded.theme(key).view.theme_id == loaded.theme(0).view.theme_id


def test_interviewer_speech_never_becomes_a_quote(corpus, nlp, fake_embedder):
    result = run(corpus, embedder=fake_embedder, nlp=nlp, cache_dir=None)
    assert not result.quotes[schema.TEXT].str.contains("making the time|that side of the work").any()
    assert set(result.quotes[schema.SPEAKER].str.rsplit(" ", n=1).str[0]) == {"Participant"}


def test_a_broken_file_is_reported_and_the_rest_is_analysed(tmp_path, nlp, fake_embedder):
    corpus = write_corpus(tmp_path / "in", extra={"broken.docx": b"PK\x03\x04 not really a zip"})
    result = run(corpus, out=tmp_path / "out", embedder=fake_embedder, nlp=nlp, cache_dir=None)
    assert result.exit_status == EXIT_PARTIAL
    inputs = json.loads((tmp_path / "out" / "run.json").read_text())["inputs"]
    failed = [i for i in inputs if i["status"] == "failed"]
    assert [i["file"] for i in failed] == ["broken.docx"] and failed[0]["reason"]
    assert result.summary["counts"]["transcripts"] == 9


def test_conversations_and_turns_too_short_to_quote_are_counted(tmp_path, nlp, fake_embedder):
    corpus = write_corpus(tmp_path / "in")
    (corpus / "care" / "brief.txt").write_text("Helen Marsh: Anything else to add?\nSpeaker Brief: No, thanks.\n",
                                               encoding="utf-8")
    counts = run(corpus, embedder=fake_embedder, nlp=nlp, cache_dir=None).summary["counts"]
    assert counts["transcripts"] == 10 and counts["transcripts_unquoted"] == 1
    assert counts["participant_turns"] == 28 and counts["participant_turns_unquoted"] == 1


def test_flagged_quotes_and_dilemmas_are_counted_apart(corpus, nlp, fake_embedder):
    result = run(corpus, embedder=fake_embedder, nlp=nlp, cache_dir=None)
    counts, quotes = result.summary["counts"], result.quotes
    assert counts["dilemma_quotes"] == quotes["is_dilemma"].sum() > 0
    assert counts["decision_quotes"] == quotes["is_decision"].sum() > 0
    assert counts["shared_dilemmas"] + counts["one_team_dilemmas"] == len(result.dilemmas) < counts["dilemma_quotes"]
    assert "dilemmas" not in counts  # a count of flagged units under that name read as one of dilemmas


def test_inputs_are_never_modified(corpus, tmp_path, nlp, fake_embedder):
    before = {p: p.read_bytes() for p in corpus.rglob("*") if p.is_file()}
    run(corpus, out=tmp_path / "out", embedder=fake_embedder, nlp=nlp, cache_dir=None)
    assert {p: p.read_bytes() for p in corpus.rglob("*") if p.is_file()} == before


def test_out_inside_input_is_refused_before_anything_is_written(corpus, nlp, fake_embedder):
    with pytest.raises(UsageError, match="inside the input"):
        run(corpus, out=corpus / "report", embedder=fake_embedder, nlp=nlp, cache_dir=None)
    assert not (corpus / "report").exists()


def test_nothing_usable_is_an_error_that_names_each_file_and_why_it_was_not_read(tmp_path, nlp, fake_embedder):
    # The reasons go into the error itself: with --quiet the per-file warnings are not shown.
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "empty.txt").write_text("")
    (tmp_path / "in" / "notes.txt").write_text("Some thoughts without any speaker.\nMore of them.\n")
    with pytest.raises(NoUsableInputError) as raised:
        run(tmp_path / "in", embedder=fake_embedder, nlp=nlp, cache_dir=None)
    message = str(raised.value)
    assert "empty.txt (failed: " in message and "notes.txt (failed: " in message
    assert "without any speaker" not in message  # the reasons, never the text


def test_same_seed_same_tables_and_the_cache_changes_nothing(corpus, tmp_path, nlp, fake_embedder):
    first = run(corpus, out=tmp_path / "a", embedder=fake_embedder, nlp=nlp, cache_dir=tmp_path / "cache")
    second = run(corpus, out=tmp_path / "b", embedder=fake_embedder, nlp=nlp, cache_dir=tmp_path / "cache")
    assert second.summary["counts"]["embedded"] == 0
    for name in ("themes.csv", "quotes.csv", "theme_report.html", "theme_report.md", "theme_cards.docx"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
    assert second.summary["counts"]["turns_parse_cached"] == second.summary["counts"]["turns"] > 0
    assert first.summary["counts"]["turns_parse_cached"] == 0
    assert second.summary["counts"]["turns_findings_cached"] == second.summary["counts"]["turns"]
    assert first.summary["counts"]["turns_findings_cached"] == 0
    # Every Doc holding a quote unit is matched once, then read back.
    assert 0 < second.summary["counts"]["turns_cues_cached"] <= second.summary["counts"]["turns"]
    assert first.summary["counts"]["turns_cues_cached"] == 0
    cache_counts = ("embedded", "cached", "turns_parse_cached", "theme_fits_cached", "turns_findings_cached",
                    "turns_cues_cached")
    assert first.summary["counts"] == {**second.summary["counts"],
                                       **{k: first.summary["counts"][k] for k in cache_counts}}
    assert sorted(p.name for p in (tmp_path / "cache").iterdir()) == [
        "anonymise.sqlite3", "cues.sqlite3", "embeddings.sqlite3", "parses.sqlite3", "themes.sqlite3"]
    assert second.summary["counts"]["theme_fits_cached"] > first.summary["counts"]["theme_fits_cached"] == 0


def test_run_json_names_no_roster_name(corpus, tmp_path, nlp, fake_embedder):
    from pipeline.config import load_config

    config = load_config(**{"anonymise.roster": ["Zebedee Quartermaine"]})
    run(corpus, out=tmp_path / "out", config=config, embedder=fake_embedder, nlp=nlp, cache_dir=None)
    text = (tmp_path / "out" / "run.json").read_text()
    assert "Zebedee" not in text
    assert json.loads(text)["config"]["anonymise"]["roster"] == "1 name (not shown)"


def test_themes_read_each_quote_in_its_answers_context(corpus, nlp, fake_embedder):
    from pipeline.config import load_config

    alone = run(corpus, config=load_config(**{"themes.context_weight": 0.0}), embedder=fake_embedder, nlp=nlp,
                cache_dir=None)
    in_context = run(corpus, embedder=fake_embedder, nlp=nlp, cache_dir=None)
    assert alone.quotes[schema.QUOTE_ID].tolist() == in_context.quotes[schema.QUOTE_ID].tolist()
    # Each answer here is one turn: a unit sharing its turn takes in its neighbour's vector,
    # a unit alone in its answer keeps its own.
    moved = np.abs(in_context.embeddings - alone.embeddings).max(axis=1) > 1e-3
    shares_its_answer = in_context.quotes.groupby([schema.TRANSCRIPT_ID, schema.TURN])[schema.QUOTE_ID].transform("size") > 1
    assert shares_its_answer.any() and (~shares_its_answer).any()
    assert (moved == shares_its_answer.to_numpy()).all()
    np.testing.assert_allclose(np.linalg.norm(in_context.embeddings, axis=1), 1.0, atol=1e-5)


def test_no_parsed_doc_is_alive_once_the_sentence_encoder_runs(tmp_path, nlp):
    """The Docs (the run's largest objects) are let go before the encoder and the clustering need memory."""
    import gc
    import warnings

    from spacy.tokens import Doc

    from pipeline.embed import HashingEmbedder

    marker = "quokka"  # a word no other test's Doc holds
    for n in range(3):
        (tmp_path / "in" / f"team{n}").mkdir(parents=True)
        (tmp_path / "in" / f"team{n}" / "talk.txt").write_text("".join(
            f"Speaker {n}: {sentence} We talked about the {marker} rota every week.\n" for sentence in TOPICS.values()),
            encoding="utf-8")

    class Watching(HashingEmbedder):
        alive: list[int] = []

        def encode(self, texts):
            gc.unfreeze()  # what the run froze at its stages' ends, back where gc.get_objects sees it
            gc.collect()
            with warnings.catch_warnings():  # looking at every object touches torch's deprecated aliases
                warnings.simplefilter("ignore", FutureWarning)
                self.alive.append(sum(isinstance(o, Doc) and marker in o.text for o in gc.get_objects()))
            return super().encode(texts)

    embedder = Watching()
    result = run(tmp_path / "in", out=tmp_path / "out", nlp=nlp, embedder=embedder, cache_dir=None)
    assert len(result.quotes) > 0 and embedder.alive  # the encoder ran, on quote units
    assert embedder.alive == [0] * len(embedder.alive)
    assert "phrases" in result.summary["timings"]


def test_releasing_freed_memory_is_harmless():
    from pipeline.runner.fresh import release_freed_memory

    release_freed_memory()  # glibc returns free heap pages; elsewhere it does nothing


def test_freed_memory_is_handed_back_as_each_stage_ends(corpus, nlp, fake_embedder, monkeypatch):
    """At each stage's end, so after the last encoder call before the clustering too, the heap's free pages
    go back (`release_freed_memory`)."""
    from pipeline.runner import fresh

    events: list[str] = []
    monkeypatch.setattr(fresh, "release_freed_memory", lambda: events.append("trim"))
    encode = fake_embedder.encode
    monkeypatch.setattr(fake_embedder, "encode", lambda texts: events.append("encode") or encode(texts))
    run(corpus, nlp=nlp, embedder=fake_embedder, cache_dir=None, on_stage=events.append)
    before_themes = events[:events.index("themes")]
    assert "encode" in before_themes
    last_encode = len(before_themes) - before_themes[::-1].index("encode")
    assert "trim" in before_themes[last_encode:]
    # And at every stage's end: the next stage never starts on the last one's freed pages.
    starts = [i for i, event in enumerate(events) if event not in ("trim", "encode")]
    assert len(starts) > 5
    assert all("trim" in events[a:b] for a, b in zip(starts, starts[1:])), events


def test_a_run_freezes_what_survives_its_stages_and_thaws_it_at_the_end(corpus, nlp, fake_embedder, monkeypatch):
    """Full collections skip the objects alive at a stage's end; after the run the collector has them all again."""
    import gc

    frozen = []
    encode = type(fake_embedder).encode
    monkeypatch.setattr(type(fake_embedder), "encode",
                        lambda self, texts: (frozen.append(gc.get_freeze_count()), encode(self, texts))[1])
    assert gc.get_freeze_count() == 0
    run(corpus, embedder=fake_embedder, nlp=nlp, cache_dir=None)
    assert frozen and min(frozen) > 0  # by the encoder, what the parse stages left is frozen
    assert gc.get_freeze_count() == 0


def test_a_run_leaves_objects_its_caller_froze_frozen(corpus, nlp, fake_embedder):
    import gc

    marker = ["the caller's own object"]
    gc.freeze()
    try:
        before = gc.get_freeze_count()
        run(corpus, embedder=fake_embedder, nlp=nlp, cache_dir=None)
        # Nothing frozen by the run (objects the run let go leave the count), nothing thawed.
        assert gc.get_freeze_count() <= before
        assert not any(o is marker for o in gc.get_objects())
    finally:
        gc.unfreeze()

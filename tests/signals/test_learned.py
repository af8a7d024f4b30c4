"""The learned detectors: the shipped weights, their checksum, the scores, and a deterministic rebuild."""
import hashlib

import numpy as np
import pandas as pd
import pytest
from helpers import make_turns

from pipeline import schema
from pipeline.anonymise import REDACTIONS
from pipeline.config import load_config
from pipeline.embed import HashingEmbedder
from pipeline.errors import ModelError
from pipeline.models import model_pins
from pipeline.segment import segment
from pipeline.signals import detect_signals
from pipeline.signals.learned import (
    BLOCKS,
    FLAGS,
    SHIPPED,
    LearnedDetectors,
    all_cue_names,
    feature_blocks,
    flag_threshold,
    score_quotes,
)

DECISION = "So we decided to stop the home visits, and from now on we will go with phone calls first."
NEUTRAL = "The building is on the corner of the high street, next to the old library and a small park."


@pytest.fixture(scope="module")
def shipped():
    return LearnedDetectors.load()


def _random_blocks(detectors, n, seed):
    rng = np.random.default_rng(seed)
    vectors = [rng.standard_normal((n, detectors.dim)) for _ in range(3)]
    vectors = [v / np.linalg.norm(v, axis=1, keepdims=True) for v in vectors]
    cues = (rng.random((n, len(detectors.cue_names))) < 0.1).astype(float)
    words = (rng.random((n, len(detectors.vocabulary))) < 0.02).astype(float)
    return (*vectors, cues, words)


def test_the_shipped_file_loads_with_its_checksum_pinned_in_models_toml(shipped):
    pin = model_pins()["signal_detectors"]
    assert SHIPPED.relative_to(SHIPPED.parents[1]).as_posix() == pin["file"]
    assert hashlib.sha256(SHIPPED.read_bytes()).hexdigest() == pin["sha256"]
    assert shipped.dim == 384 and shipped.cue_names == all_cue_names()
    assert all(0 < shipped.thresholds[flag] < 1 for flag in FLAGS)
    assert shipped.training["seed"] == 0 and set(shipped.training["dev_f1"]) == set(FLAGS)


def test_the_flag_threshold_is_the_configured_one_else_the_shipped_one_and_1_under_the_rules(shipped):
    signals = load_config().signals
    assert flag_threshold(signals, "decision") == shipped.thresholds["decision"]
    assert flag_threshold(signals.__class__(**{**signals.__dict__, "decision_threshold": 0.4}), "decision") == 0.4
    assert flag_threshold(signals.__class__(**{**signals.__dict__, "detector": "rules"}), "decision") == 1.0


def test_a_corrupted_copy_fails_its_checksum(tmp_path):
    text = SHIPPED.read_text(encoding="utf-8")
    copy = tmp_path / "detectors.json"
    copy.write_text(text.replace('"dim": 384', '"dim": 385'), encoding="utf-8")
    with pytest.raises(ModelError, match="fails its checksum") as info:
        LearnedDetectors.load(copy)
    assert "make train-signals" in str(info.value)
    # The same bytes elsewhere pass: the check is on the content, not the place.
    copy.write_text(text, encoding="utf-8")
    assert LearnedDetectors.load(copy).thresholds == LearnedDetectors.load().thresholds


def test_an_unreadable_file_is_a_model_error_even_unchecked(tmp_path):
    broken = tmp_path / "detectors.json"
    broken.write_text('{"format": "something else"}', encoding="utf-8")
    with pytest.raises(ModelError, match="cannot be read"):
        LearnedDetectors.load(broken, sha256=None)


def test_scores_are_probabilities_and_deterministic(shipped):
    blocks = _random_blocks(shipped, 200, seed=1)
    first = shipped.score(*blocks)
    again = shipped.score(*blocks)
    for flag in FLAGS:
        assert first[flag].shape == (200,)
        assert ((first[flag] >= 0) & (first[flag] <= 1)).all()
        assert np.array_equal(first[flag], again[flag])
        assert first[flag].std() > 0.01  # the inputs move the score
    # A unit's score depends on its own row only.
    alone = shipped.score(*(b[:1] for b in blocks))
    assert all(np.isclose(alone[f][0], first[f][0]) for f in FLAGS)


def test_a_block_of_the_wrong_width_is_refused(shipped):
    blocks = list(_random_blocks(shipped, 3, seed=2))
    blocks[3] = blocks[3][:, :-1]
    with pytest.raises(ValueError, match="cues block"):
        shipped.score(*blocks)


def _interview(nlp, answers):
    """Turns (one question and one answer per conversation) and their quote units with rule cues."""
    rows = []
    for i, answer in enumerate(answers):
        rows += [(f"t{i}", "Interviewer", "interviewer", "a", "What changed in how you work?"),
                 (f"t{i}", "Sam", "participant", "a", answer)]
    turns = make_turns(rows)
    turns[REDACTIONS] = [[] for _ in range(len(turns))]
    docs = [nlp(text) for text in turns[schema.TEXT]]
    config = load_config()
    return turns, detect_signals(segment(turns, docs, config.segment), docs, config.signals, turns=turns)


def test_a_decision_scores_higher_on_decision_than_a_neutral_unit(nlp, shipped):
    turns, quotes = _interview(nlp, [DECISION, NEUTRAL])
    assert "decision:decided_to" in quotes["cues"].iat[0]
    embedder = HashingEmbedder(dim=384)
    vectors = embedder.encode(quotes[schema.EMBED_TEXT].tolist())
    before = quotes.copy()
    scores = score_quotes(quotes, turns, vectors, embedder, detectors=shipped)
    pd.testing.assert_frame_equal(quotes, before)  # the input is not modified
    assert list(scores.columns) == ["dilemma_score", "decision_score", "rationale_score"]
    assert scores.index.equals(quotes.index)
    assert scores["decision_score"].iat[0] > scores["decision_score"].iat[1] + 0.2
    assert scores["decision_score"].iat[0] >= shipped.thresholds["decision"] > scores["decision_score"].iat[1]


@pytest.mark.models
def test_with_the_real_sentence_model_a_decision_is_flagged_and_a_neutral_unit_is_not(nlp, shipped):
    from pipeline.embed import embedder_from_config

    turns, quotes = _interview(nlp, [DECISION, NEUTRAL])
    embedder = embedder_from_config(load_config().embed)
    scores = score_quotes(quotes, turns, embedder.encode(quotes[schema.EMBED_TEXT].tolist()), embedder,
                          detectors=shipped)["decision_score"]
    assert scores.iat[0] >= shipped.thresholds["decision"] > scores.iat[1]


def test_context_follows_the_reading_order_whatever_the_row_order(shipped):
    quotes = pd.DataFrame({schema.TRANSCRIPT_ID: ["a"] * 4, schema.TURN: [1, 1, 1, 3],
                           schema.CHAR_START: [0, 50, 100, 0], "cues": "", schema.EMBED_TEXT: "so"})
    turns = pd.DataFrame({schema.TRANSCRIPT_ID: ["a"] * 4, schema.TURN: [0, 1, 2, 3],
                          schema.ROLE: ["interviewer", "participant", "interviewer", "participant"]})
    vectors = np.eye(4, shipped.dim, dtype=np.float32)
    prompts = np.zeros_like(vectors)
    ordered = feature_blocks(quotes, turns, vectors, prompts, shipped)["context"]
    # The first answer's units 0, 1, 2 see each other (window 2); unit 3 answers another question.
    assert np.allclose(ordered[0, :4], [0, 0.5, 0.5, 0]) and np.allclose(ordered[3], 0)
    shuffle = [2, 0, 3, 1]
    shuffled = feature_blocks(quotes.iloc[shuffle].reset_index(drop=True), turns, vectors[shuffle], prompts, shipped)
    assert np.allclose(shuffled["context"], ordered[shuffle])


# --- the training script, on a tiny synthetic input -------------------------------------------------

def _synthetic_corpora(seed=0):
    """Two labelled sets and an item-level one in the layout of benchmarks.signal_corpora."""
    from benchmarks.signal_corpora import LabelledUnits

    rng = np.random.default_rng(seed)
    words = {1: ["but then we decided", "because of that", "we'll go with it"], 0: ["the room", "a table", "it was"]}
    corpora = {}
    for name, flags in (("ami", ("dilemma", "decision")), ("gum", ("dilemma", "rationale")),
                        ("world_after_covid", ())):
        n = 120
        labels = (np.arange(n) % 4 == 0).astype(float)
        texts = [f"{words[int(y)][i % 3]} {name} {i}" for i, y in enumerate(labels)]
        units = pd.DataFrame({
            "transcript_id": [f"{name}{i // 6}" for i in range(n)], "turn": np.arange(n),
            "text": texts, "embed_text": texts, "cues": ["decision:decided_to" if y else "" for y in labels],
            "item": [f"{name}{i // 2}" for i in range(n)],
            "split": [("train", "train", "dev")[(i // 6) % 3] for i in range(n)],
            "block": np.arange(n) // 3, "prompt_text": "",
            **{flag: labels if flag in flags else np.nan for flag in FLAGS}})
        items = units.groupby("item", sort=False).agg(split=("split", "first"), **{
            flag: (flag, "max") for flag in FLAGS}).reset_index()
        if name == "world_after_covid":
            items["dilemma"] = (np.arange(len(items)) % 2).astype(float)
        corpora[name] = LabelledUnits(name, units, items)
    dim = 8
    vectors = {t: rng.standard_normal(dim).astype(np.float32) for c in corpora.values() for t in c.units["embed_text"]}
    # A planted direction: positives lean along the first axis.
    for c in corpora.values():
        for text, y in zip(c.units["embed_text"], c.units["dilemma"].fillna(0) + c.units["decision"].fillna(0)):
            vectors[text][0] += 2.0 * float(y > 0)
    return corpora, vectors, dim


def _train_tiny():
    from benchmarks import train_signals

    corpora, vectors, dim = _synthetic_corpora()
    texts = [t for c in corpora.values() for t in c.units.loc[c.units["split"] == "train", "embed_text"]]
    vocabulary = train_signals.choose_vocabulary(sorted(set(texts)), min_df=3)
    features = {name: train_signals.feature_matrices(c.units, vectors, all_cue_names(), vocabulary)
                for name, c in corpora.items()}
    return train_signals.train(corpora, features, all_cue_names(), vocabulary, dim)


def test_training_gives_the_same_bytes_twice_and_learns_the_planted_signal():
    first, second = _train_tiny(), _train_tiny()
    assert first.to_json() == second.to_json()
    reread = LearnedDetectors.from_json(first.to_json())
    assert reread.to_json() == first.to_json()
    assert set(first.vocabulary) >= {"but", "because", "we"}  # closed-class words only...
    assert "room" not in first.vocabulary and "table" not in first.vocabulary  # ...never topic words
    for flag in FLAGS:
        assert set(first.coefficients[flag]) == set(BLOCKS)
    assert first.coefficients["decision"]["unit"][0] > 0  # the planted direction
    assert first.coefficients["decision"]["cues"][all_cue_names().index("decision:decided_to")] > 0

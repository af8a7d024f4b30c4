"""The cue cache: the same signals from the cache as from matching, and no text on disk."""
import sqlite3

import pandas as pd
import pytest

from pipeline import schema
from pipeline.config import load_config
from pipeline.parsecache import fingerprint
from pipeline.segment import segment
from pipeline.signals import cache as cue_cache
from pipeline.signals import detect_signals
from pipeline.signals.cache import CueCache

TEXTS = ["We had to choose between answering the phones and clearing the backlog.",
         "So we stopped taking calls after four, because the queue was never empty.",
         "If we moved to paperless, we would save money.",  # a hedged change: no decision
         "It was a good year for the crews."]


@pytest.fixture
def turns():
    return pd.DataFrame({schema.TRANSCRIPT_ID: "t1", schema.TURN: range(len(TEXTS)), schema.SPEAKER: "Kestrel",
                         schema.ROLE: schema.ROLE_PARTICIPANT, schema.TEAM: "housing", schema.START: "",
                         schema.TEXT: TEXTS, schema.SOURCE_FILE: "housing/t1.txt"})


def _signals(turns, docs, cache=None):
    config = load_config()
    quotes = segment(turns, docs, config.segment)
    return detect_signals(quotes, docs, config.signals, turns=turns, cache=cache,
                          original_texts=turns[schema.TEXT].tolist())


def test_signals_read_from_the_cache_equal_the_matched_ones(turns, nlp, tmp_path):
    docs = list(nlp.pipe(TEXTS))
    plain = _signals(turns, docs)
    first = CueCache(tmp_path, fingerprint(nlp))
    filled = _signals(turns, docs, first)
    again = CueCache(tmp_path, fingerprint(nlp))
    reread = _signals(turns, docs, again)
    pd.testing.assert_frame_equal(filled, plain)
    pd.testing.assert_frame_equal(reread, plain)
    assert first.hits == 0 and first.stored == len(TEXTS)
    assert again.hits == len(TEXTS) and again.stored == 0
    assert plain[schema.IS_DECISION].sum() >= 1 and plain[schema.IS_DILEMMA].sum() >= 1  # something to keep


def test_the_cache_holds_cue_names_and_positions_but_no_word_of_the_text(turns, nlp, tmp_path):
    docs = list(nlp.pipe(TEXTS))
    _signals(turns, docs, CueCache(tmp_path, fingerprint(nlp)))
    stored = (tmp_path / "cues.sqlite3").read_bytes()
    for word in ("phones", "backlog", "queue", "crews", "Kestrel", "housing"):
        assert word.encode() not in stored


def test_an_entry_is_keyed_by_the_original_text_as_well_as_the_anonymised_one(nlp, tmp_path):
    # Two turns anonymised alike were parsed from different words: their Docs may differ.
    cache = CueCache(tmp_path, fingerprint(nlp))
    assert cache.key("I asked Will.", "I asked [PERSON 1].") != cache.key("I asked Ann.", "I asked [PERSON 1].")


def test_a_change_to_the_cue_rules_misses_every_old_entry(turns, nlp, tmp_path, monkeypatch):
    docs = list(nlp.pipe(TEXTS))
    _signals(turns, docs, CueCache(tmp_path, fingerprint(nlp)))
    monkeypatch.setattr(cue_cache, "source_digest", lambda: "another version of the patterns")
    changed = CueCache(tmp_path, fingerprint(nlp))
    _signals(turns, docs, changed)
    assert changed.hits == 0 and changed.stored == len(TEXTS)
    with sqlite3.connect(tmp_path / "cues.sqlite3") as conn:
        assert conn.execute("SELECT COUNT(*) FROM cues").fetchone()[0] == 2 * len(TEXTS)

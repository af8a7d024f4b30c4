"""The parse cache: Docs rebuilt from stored labels equal a fresh parse, and the file holds no text."""
from __future__ import annotations

import re
import sqlite3
import zlib

import numpy as np
import pytest

from pipeline.nlp import parse
from pipeline.parsecache import _HEADER, _SEP, ParseCache, fingerprint

CHUNK = 300  # small, so the long turn below is parsed in pieces and stitched
LONG = ("Dr. Adaeze Okonkwo from Enugu said the casework backlog doubled in March. "
        "We're gonna need more people on the phones, aren't we?\n") * 12
TEXTS = [
    "Sarah Jones from Leeds said the casework queue grew every week!",
    "Can you email me at j.okonkwo@example.org before Tuesday the 4th?",
    ("I don't know, we were gonna do it but y'all can't, and I'd say it's fine and let's go and then "
     "the council came back and so on and so forth because nobody could do both of them at once"),
    "Mm-hmm.",
    "",
    "   ",
    "\n\n",
    "Zoë met Łukasz in Kraków — “naïve” ideas, €300 each… 東京 too.",
    "Okonkwo? Okonkwo! Who's Okonkwo?",
    "  leading and trailing spaces  ",
    "Yeah.",
    LONG,
    "Yeah.",  # a repeat: its own Doc, equal to the first
]
SECRET_WORDS = ["Okonkwo", "casework", "Adaeze", "Enugu", "Leeds", "example.org", "Kraków", "Zoë", "Łukasz",
                "東京", "council", "phones", "backlog"]


def fields(doc):
    """Everything downstream reads from a Doc, as plain values."""
    return (
        doc.text,
        [(t.text, t.whitespace_, t.tag_, t.pos_, str(t.morph), t.dep_, t.head.i, t.lemma_, t.ent_iob_,
          t.ent_type_, t.is_sent_start, t.norm_) for t in doc],
        [(e.start_char, e.end_char, e.label_) for e in doc.ents],
        [s.start_char for s in doc.sents] if len(doc) else [],
        [(c.start_char, c.end_char) for c in doc.noun_chunks] if len(doc) else [],
    )


@pytest.fixture
def filled(nlp, tmp_path):
    """A cache folder filled by one cached parse of TEXTS."""
    cache = ParseCache(tmp_path)
    parse(nlp, TEXTS, chunk_chars=CHUNK, cache=cache)
    assert cache.misses == len(TEXTS) and cache.hits == 0
    assert cache.stored == len(set(TEXTS)) and cache.rejected == 0
    return tmp_path


def test_restored_docs_equal_a_fresh_parse(nlp, filled):
    assert len(LONG) > CHUNK  # the long turn really is stitched from pieces
    fresh = parse(nlp, TEXTS, chunk_chars=CHUNK)
    cache = ParseCache(filled)
    restored = parse(nlp, TEXTS, chunk_chars=CHUNK, cache=cache)
    assert cache.hits == len(TEXTS) and cache.misses == 0  # every Doc below came from the file
    assert [d.text for d in restored] == TEXTS
    for text, a, b in zip(TEXTS, fresh, restored):
        assert fields(b) == fields(a), text
    by_text = {d.text: d for d in restored}
    assert {e.text for e in by_text[TEXTS[0]].ents} >= {"Sarah Jones", "Leeds"}
    # The attribute ruler's lemma exceptions are applied again ("I" stays "I", "gon" is "go").
    assert {t.text: t.lemma_ for t in by_text[TEXTS[2]] if t.text in ("I", "gon")} == {"I": "I", "gon": "go"}
    assert len(list(by_text[LONG].sents)) >= 24
    # Restored Docs carry no tensor: nothing in pipeline/ reads one.
    assert all(d.tensor.size == 0 for d in restored)


def test_repeated_texts_get_distinct_equal_docs(nlp, filled):
    for cache in (None, ParseCache(filled)):
        docs = parse(nlp, TEXTS, chunk_chars=CHUNK, cache=cache)
        first, again = docs[TEXTS.index("Yeah.")], docs[len(TEXTS) - 1]
        assert first is not again
        assert fields(first) == fields(again)


def test_a_cold_cached_parse_parses_each_distinct_text_once(nlp, tmp_path, monkeypatch):
    seen = []
    real_pipe = nlp.pipe

    def spy(texts, **kwargs):
        texts = list(texts)
        seen.extend(texts)
        return real_pipe(texts, **kwargs)

    monkeypatch.setattr(nlp, "pipe", spy)
    docs = parse(nlp, ["Yeah.", "Okay then.", "Yeah."], cache=ParseCache(tmp_path))
    assert seen == ["Yeah.", "Okay then."]
    assert [d.text for d in docs] == ["Yeah.", "Okay then.", "Yeah."]


def test_the_file_holds_no_text(nlp, filled):
    raw = (filled / "parses.sqlite3").read_bytes()
    with sqlite3.connect(filled / "parses.sqlite3") as conn:
        rows = conn.execute("SELECT key, blob FROM parses").fetchall()
    assert len(rows) == len(set(TEXTS))
    bodies = [zlib.decompress(blob) for _, blob in rows]
    for word in SECRET_WORDS:
        for encoding in ("utf-8", "utf-16-le"):
            needle = word.encode(encoding)
            assert needle not in raw, word
            assert not any(needle in body for body in bodies), word
    # The only strings inside a blob are labels of the pipeline's components.
    tags = set(nlp.get_pipe("tagger").labels) | {"_SP"}
    deps = set(nlp.get_pipe("parser").labels) | {"dep", "ROOT"}
    ents = set(nlp.get_pipe("ner").labels)
    pos = {"ADJ", "ADP", "ADV", "AUX", "CCONJ", "DET", "INTJ", "NOUN", "NUM", "PART", "PRON", "PROPN", "PUNCT",
           "SCONJ", "SYM", "VERB", "X", "SPACE"}
    morph = re.compile(r"^[A-Z][A-Za-z]*=[A-Za-z0-9,]+(\|[A-Z][A-Za-z]*=[A-Za-z0-9,]+)*$")
    labels = set()
    for body in bodies:
        _, n, n_labels, table_len, _ = _HEADER.unpack_from(body)
        if n:
            table = body[_HEADER.size:_HEADER.size + table_len].decode("utf-8").split(_SEP)
            assert len(table) == n_labels
            labels.update(table)
    assert labels  # the check below looked at something
    odd = {lab for lab in labels if lab and lab not in tags | deps | ents | pos | {"_"} and not morph.match(lab)}
    assert not odd


def test_a_second_cached_parse_runs_no_pipeline(nlp, filled, monkeypatch):
    fresh = parse(nlp, TEXTS, chunk_chars=CHUNK)

    def no_pipe(*args, **kwargs):
        raise AssertionError("nlp.pipe called on a warm cache")

    monkeypatch.setattr(nlp, "pipe", no_pipe)
    cache = ParseCache(filled)
    again = parse(nlp, TEXTS, chunk_chars=CHUNK, cache=cache)
    assert (cache.hits, cache.misses) == (len(TEXTS), 0)
    assert [fields(d) for d in again] == [fields(d) for d in fresh]


@pytest.mark.parametrize("change", ["model version", "model name", "spacy version"])
def test_a_changed_fingerprint_misses(nlp, filled, monkeypatch, change):
    import spacy

    before = fingerprint(nlp)
    if change == "model version":
        monkeypatch.setitem(nlp.meta, "version", nlp.meta["version"] + ".post1")
    elif change == "model name":
        monkeypatch.setitem(nlp.meta, "name", nlp.meta["name"] + "_other")
    else:
        monkeypatch.setattr(spacy, "__version__", spacy.__version__ + ".dev0")
    assert fingerprint(nlp) != before
    cache = ParseCache(filled)
    assert cache.get_many(nlp, TEXTS, chunk_chars=CHUNK) == {}
    assert cache.misses == len(TEXTS)


def test_the_fingerprint_names_the_components(nlp):
    assert ",".join(nlp.pipe_names) in fingerprint(nlp)
    with nlp.select_pipes(disable=["ner"]):
        assert "ner" not in fingerprint(nlp)


def test_a_long_text_keys_on_chunk_chars(nlp, filled):
    cache = ParseCache(filled)
    found = cache.get_many(nlp, [TEXTS[0], LONG], chunk_chars=CHUNK * 2)
    assert set(found) == {0}  # the short text parses the same whatever the chunk size; the long one did not


def test_a_doc_that_would_not_rebuild_is_not_stored(nlp, tmp_path):
    doc = nlp("She was reading the casework files.")
    doc[2].lemma_ = "misread"  # not what the lemmatizer gives: the rebuilt Doc would differ
    cache = ParseCache(tmp_path)
    assert cache.put_many(nlp, [(doc.text, doc), ("Fine.", nlp("Fine."))]) == 1
    assert cache.rejected == 1
    assert set(cache.get_many(nlp, [doc.text, "Fine."])) == {1}


def test_a_corrupt_or_mismatched_entry_is_a_miss(nlp, tmp_path):
    cache = ParseCache(tmp_path)
    cache.put_many(nlp, [("One two three.", nlp("One two three."))])
    key = ParseCache.key(fingerprint(nlp), "One two three.")
    with sqlite3.connect(cache.path) as conn:
        blob = conn.execute("SELECT blob FROM parses WHERE key = ?", (key,)).fetchone()[0]
        other = ParseCache.key(fingerprint(nlp), "Four five six seven.")  # a blob whose tokens do not fit
        conn.executemany("INSERT OR REPLACE INTO parses VALUES (?, ?)", [(key, blob[:-5]), (other, blob)])
    conn.close()
    assert ParseCache(tmp_path).get_many(nlp, ["One two three.", "Four five six seven."]) == {}
    docs = parse(nlp, ["One two three.", "Four five six seven."], cache=ParseCache(tmp_path))
    assert [d.text for d in docs] == ["One two three.", "Four five six seven."]
    assert all(t.pos_ for d in docs for t in d)


def _sentences(nlp, n):
    texts = [f"Team {i} moved the review to week {i + 1}." for i in range(n)]
    return texts, list(nlp.pipe(texts))


def test_the_rebuild_is_checked_on_a_sample_by_default(nlp, tmp_path):
    texts, docs = _sentences(nlp, 200)
    cache = ParseCache(tmp_path)
    assert cache.put_many(nlp, zip(texts, docs)) == 200
    assert 64 < cache.verified < 200  # the first 64, then about one in eight
    checked_all = ParseCache(tmp_path / "all", verify="all")
    checked_all.put_many(nlp, zip(texts, docs))
    assert checked_all.verified == 200
    trusted = ParseCache(tmp_path / "none", verify="none")
    assert trusted.put_many(nlp, zip(texts, docs)) == 200 and trusted.verified == 0


def test_a_rejection_in_the_sample_has_every_doc_checked(nlp, tmp_path):
    texts, docs = _sentences(nlp, 200)
    for doc in docs:
        doc[1].lemma_ = "misread"  # no Doc would rebuild: the sampled ones show it, the rest must not slip in
    cache = ParseCache(tmp_path)
    assert cache.put_many(nlp, zip(texts, docs)) == 0
    assert cache.verified == cache.rejected == 200


def test_verify_takes_only_the_known_modes(tmp_path):
    with pytest.raises(ValueError, match="verify"):
        ParseCache(tmp_path, verify=True)


def test_lemmas_are_worked_out_once_per_kind_of_token_and_equal_the_parse(nlp, tmp_path, monkeypatch):
    from spacy.pipeline import AttributeRuler

    from pipeline.parsecache import _LemmaRules

    texts = ["We moved the calls to the team.", "The team moved the calls.", "Calls moved to us, we were told.",
             "We're gonna move the calls, y'all.", "The calls were moved to the team."]
    fresh = [nlp(t) for t in texts]
    ParseCache(tmp_path, verify="all").put_many(nlp, zip(texts, fresh))
    ruled, alone = [], []
    original_ruler, original_alone = AttributeRuler.__call__, _LemmaRules._lemmas_alone
    monkeypatch.setattr(AttributeRuler, "__call__", lambda self, doc: (ruled.append(doc.text),
                                                                        original_ruler(self, doc))[1])
    monkeypatch.setattr(_LemmaRules, "_lemmas_alone",
                        lambda self, vocab, keys: (alone.extend(keys), original_alone(self, vocab, keys))[1])
    found = ParseCache(tmp_path).get_many(nlp, texts)
    assert [fields(found[i]) for i in range(len(texts))] == [fields(d) for d in fresh]
    # Once per distinct token (on Docs of tokens side by side), for all the Docs together; the lemma
    # rules read a whole Doc only where a two-token rule ("gon na", "y' all") matches, and the tokens
    # no rule gave a lemma there are worked out alone too.
    kinds = {tuple(key) for doc in fresh for key in doc.to_array(["ORTH", "TAG", "POS", "MORPH"]).tolist()}
    others = {tuple(key) for i, doc in enumerate(fresh) if i != 3
              for key in doc.to_array(["ORTH", "TAG", "POS", "MORPH"]).tolist()}
    assert len(alone) == len(set(alone)) and others <= set(alone) <= kinds
    assert [text for text in ruled if text in texts] == [texts[3]]
    assert len(alone) < sum(len(doc) for doc in fresh)


def test_a_doc_a_two_token_rule_matches_gets_the_lemmas_of_the_whole_pipeline(nlp, tmp_path):
    """Where "gon na" or "let 's" is said, the rules over the whole Doc and the lemmatizer agree with the parse."""
    texts = ["We're gonna go, let's say, y'all.", "Gonna be fine. Let's go.", "gon na gotta let's c'mon",
             "We are going to go, let us say."]
    fresh = [nlp(t) for t in texts]
    ParseCache(tmp_path, verify="all").put_many(nlp, zip(texts, fresh))
    found = ParseCache(tmp_path).get_many(nlp, texts)
    assert [fields(found[i]) for i in range(len(texts))] == [fields(d) for d in fresh]
    assert {t.text: t.lemma_ for t in found[0] if t.text in ("gon", "na")} == {"gon": "go", "na": "to"}


def test_only_docs_with_a_word_that_could_open_a_rule_next_to_one_that_could_close_it_are_read_whole(nlp):
    """The batch sends a Doc to the whole-Doc rules only where an opener ("gon") precedes a closer ("na")."""
    from pipeline.parsecache import _LemmaRules

    rules = _LemmaRules(nlp)
    assert rules.opens is not None and rules.follows is not None
    texts = ["We're gonna go.", "Na, we gon' see.", "Let me see.", "Let's see.", "na gon", "The calls moved."]
    rows = [nlp(t).to_array(["ORTH", "TAG", "POS", "MORPH", "LOWER"]) for t in texts]
    whole = [lemma is None for lemma in rules.batch(nlp.vocab, rows)]
    assert whole == [True, False, False, True, False, False]


def test_tokens_side_by_side_get_the_lemmas_they_get_alone(nlp):
    """The batched one-token rules cannot reach a neighbour: "gon" beside "na" is still lemmatised alone."""
    from spacy.tokens import Doc

    from pipeline.parsecache import _LEMMA_KEY, _LemmaRules

    rules = _LemmaRules(nlp)
    doc = nlp("We're gonna go, y'all, ain't we? Let's say I'm going and they've been told. Dogs, mice, geese.")
    keys = list(dict.fromkeys(tuple(k) for k in doc.to_array(list(_LEMMA_KEY)).tolist()))
    gon, na = nlp.vocab.strings["gon"], nlp.vocab.strings["na"]
    keys = [k for k in keys if k[0] == gon] + [k for k in keys if k[0] == na] + keys  # "gon" then "na"
    together = rules._lemmas_alone(nlp.vocab, keys)
    for key, lemma in zip(keys, together):
        lone = Doc(nlp.vocab, words=[nlp.vocab.strings[key[0]]], spaces=[False])
        lone.from_array(list(_LEMMA_KEY[1:]), np.array([key[1:]], dtype=np.uint64))
        rules._components(lone)
        assert lemma == lone[0].lemma, nlp.vocab.strings[key[0]]


@pytest.mark.filterwarnings("ignore:.*W108")  # bare `make_doc` Docs carry no tags for the lemmatizer
def test_the_two_token_rules_are_looked_for_only_where_a_word_could_open_one(nlp, tmp_path):
    from pipeline.parsecache import _LemmaRules

    rules = _LemmaRules(nlp)
    assert rules.opens is not None  # the pinned pipeline's two-token rules all name their first word
    looked = []
    matcher = rules.spanning
    rules.spanning = type("Counting", (), {"__len__": lambda self: len(matcher),
                                           "__call__": lambda self, doc: (looked.append(doc.text), matcher(doc))[1]})()
    # "Y'all" is one token, which no two-token rule can open; "y all" opens "y'? all".
    for text in ("The calls moved to us.", "Let me see.", "We're gonna go.", "Y'all came.", "See y all."):
        rules(nlp.make_doc(text))
    assert looked == ["Let me see.", "We're gonna go.", "See y all."]


def test_the_lemmatizer_looks_words_up_in_sets_while_restoring_and_its_tables_are_left_as_they_were(nlp):
    from pipeline.parsecache import _IndexedList, _LemmaRules

    table = nlp.get_pipe("lemmatizer").lookups.get_table("lemma_index")
    before = dict(table.items())
    assert before and all(type(words) is list for words in before.values())
    rules = _LemmaRules(nlp)
    with rules._indexed_word_lists():
        assert all(isinstance(table[key], _IndexedList) and table[key] == before[key] for key in before)
    assert all(table[key] is words for key, words in before.items())
    doc = nlp("The councils were running studies; the mice ran faster than the geese.")
    keys = [tuple(k) for k in doc.to_array(["ORTH", "TAG", "POS", "MORPH"]).tolist()]
    lemmatizer, seen = rules.lemmatizer, []

    class Watching:  # the lemmatizer, noting whether it reads the indexed lists
        lookups = lemmatizer.lookups

        def __call__(self, tokens):
            seen.append(all(isinstance(table[key], _IndexedList) for key in before))
            return lemmatizer(tokens)

    rules.lemmatizer = Watching()
    assert rules._lemmas_alone(nlp.vocab, keys) == [t.lemma for t in doc]
    assert seen == [True]
    assert all(table[key] is words for key, words in before.items())

import sqlite3

from helpers import make_turns

from pipeline import schema
from pipeline.anonymise import anonymise
from pipeline.anonymise.cache import FindingsCache
from pipeline.anonymise.names import Found
from pipeline.config import load_config
from pipeline.nlp import common_words
from pipeline.parsecache import fingerprint

P, I = schema.ROLE_PARTICIPANT, schema.ROLE_INTERVIEWER
ROWS = [
    ("a.txt", "Helen Marsh", I, "x", "Thanks for coming in."),
    ("a.txt", "Priya Shah", P, "x", "I asked my manager Dave Pritchard and dave said no; mail d.pritchard@example.org."),
    ("a.txt", "Priya Shah", P, "x", "We moved the hub from Leeds to Tanners Row, call 0113 496 0000."),
    ("b.txt", "Tom Kowalski", P, "y", "the same again here, sarah jones signed it off."),
]
ORIGINALS = ["Dave", "Pritchard", "pritchard@example.org", "Leeds", "Tanners Row", "0113 496 0000", "sarah jones"]


def _anonymise(nlp, cache, rows=ROWS, **overrides):
    turns = make_turns(rows)
    docs = list(nlp.pipe(turns[schema.TEXT]))
    return anonymise(turns, docs, load_config(**overrides).anonymise, [], common_words=common_words(nlp),
                     cache=cache)


def _same(a, b):
    return a.turns.equals(b.turns) and a.key == b.key and a.counts == b.counts and a.leak_terms == b.leak_terms


def test_a_rerun_reads_every_turn_and_anonymises_exactly_as_without_the_cache(nlp, tmp_path):
    plain = _anonymise(nlp, None)
    first = FindingsCache(tmp_path, fingerprint(nlp))
    filled = _anonymise(nlp, first)
    again = FindingsCache(tmp_path, fingerprint(nlp))
    reread = _anonymise(nlp, again)
    assert first.hits == 0 and first.stored == len(ROWS)
    assert again.hits == len(ROWS) and again.misses == 0 and again.stored == 0
    assert _same(plain, filled) and _same(plain, reread)
    assert "[PERSON" in reread.turns[schema.TEXT].iat[1] and "[PLACE" in reread.turns[schema.TEXT].iat[2]


def test_the_cache_file_holds_no_original_and_no_text(nlp, tmp_path):
    _anonymise(nlp, FindingsCache(tmp_path, fingerprint(nlp)))
    raw = (tmp_path / "anonymise.sqlite3").read_bytes()
    with sqlite3.connect(tmp_path / "anonymise.sqlite3") as conn:
        stored = " ".join(entry for (entry,) in conn.execute("SELECT entry FROM findings"))
    for original in ORIGINALS + ["asked my manager", "Thanks for coming"]:
        assert original.encode() not in raw and original.lower() not in stored.lower(), original


def test_other_settings_miss(nlp, tmp_path):
    _anonymise(nlp, FindingsCache(tmp_path, fingerprint(nlp)))
    kept = FindingsCache(tmp_path, fingerprint(nlp))
    _anonymise(nlp, kept, **{"anonymise.keep": ["Leeds"]})
    other_model = FindingsCache(tmp_path, fingerprint(nlp) + "|another")
    _anonymise(nlp, other_model)
    assert kept.hits == 0 and other_model.hits == 0


def test_a_text_read_as_all_lower_case_is_keyed_apart(nlp, tmp_path):
    # The same turn in a transcript without capitals is searched with other rules.
    turn = "the same again here, sarah jones signed it off."
    cased = [("b.txt", "Tom", P, "y", "Hello There."), ("b.txt", "Tom", P, "y", turn)]
    _anonymise(nlp, FindingsCache(tmp_path, fingerprint(nlp)), rows=cased)
    uncased = FindingsCache(tmp_path, fingerprint(nlp))
    _anonymise(nlp, uncased, rows=[("c.txt", "Tom", P, "y", turn)])
    cased_again = FindingsCache(tmp_path, fingerprint(nlp))
    _anonymise(nlp, cased_again, rows=[("d.txt", "Tom", P, "y", "Hello There."), ("d.txt", "Tom", P, "y", turn)])
    assert uncased.hits == 0 and cased_again.hits == 2


def test_a_finding_that_is_not_a_slice_of_its_text_is_not_stored(tmp_path):
    cache = FindingsCache(tmp_path, "fp")
    text = "Ask Dave."
    good = cache.key("s", text, False)
    bad = cache.key("s", "Ask Dave's.", False)
    stored = cache.put_many({good: (text, [], [Found(4, 8, "PERSON", "Dave", True)]),
                             bad: ("Ask Dave's.", [], [Found(4, 10, "PERSON", "Dave", True)])})
    assert stored == 1
    found = cache.get_many([good, bad], [text, "Ask Dave's."])
    assert list(found) == [0] and found[0][1] == [Found(4, 8, "PERSON", "Dave", True)]


def test_turns_with_the_same_offsets_each_get_their_own_originals_and_lists(tmp_path):
    """Entries alike (same offsets and kinds) are read once, yet each turn's findings are its own."""
    cache = FindingsCache(tmp_path, "fp")
    texts = ["Ask Dave, 0113 496 0000.", "Ask Jane, 0113 496 0001.", "Nothing here.", "Nor here."]
    keys = [cache.key("s", text, False) for text in texts]
    cache.put_many({keys[0]: (texts[0], [(10, 23, "PHONE", texts[0][10:23])], [Found(4, 8, "PERSON", "Dave", True)]),
                    keys[1]: (texts[1], [(10, 23, "PHONE", texts[1][10:23])], [Found(4, 8, "PERSON", "Jane", True)]),
                    keys[2]: (texts[2], [], []), keys[3]: (texts[3], [], [])})
    found = cache.get_many(keys, texts)
    assert [f.surface for f in found[0][1]] == ["Dave"] and [f.surface for f in found[1][1]] == ["Jane"]
    assert found[0][0] == [(10, 23, "PHONE", "0113 496 0000")] and found[1][0] == [(10, 23, "PHONE", "0113 496 0001")]
    assert found[2] == ([], []) and found[2][0] is not found[3][0] and found[2][1] is not found[3][1]

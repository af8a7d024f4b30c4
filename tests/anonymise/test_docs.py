"""The parse that every stage after anonymise reads: the anonymised text, and nothing of the original."""
import pytest
from helpers import make_turns
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline import schema
from pipeline.anonymise import anonymise
from pipeline.anonymise.docs import SOURCE_WORDS, anonymised_docs, apply_redactions
from pipeline.config import load_config
from pipeline.nlp import common_words

P = schema.ROLE_PARTICIPANT
TEXT = ("I spoke to my manager Sarah Jones about it.  Then Sarah's team at 14 Tanners Row agreed, "
        "so we decided to call 07700 900123 and email sarah.jones@eastbrook.gov.uk instead.")


@pytest.fixture(scope="module")
def anonymised(nlp):
    turns = make_turns([("a.txt", "Priya Shah", P, "x", TEXT),
                        ("a.txt", "Priya Shah", P, "x", "Nothing to hide in this one, we just moved the rota.")])
    docs = list(nlp.pipe(turns[schema.TEXT]))
    return anonymise(turns, docs, load_config().anonymise, common_words=common_words(nlp)), docs


def test_each_parse_spells_its_anonymised_turn_and_holds_no_original(anonymised):
    result, _ = anonymised
    for doc, text in zip(result.docs, result.turns[schema.TEXT]):
        assert doc.text == text
        strings = " ".join(f"{t.text} {t.lemma_} {t.norm_}" for t in doc).lower()
        for original in ("sarah", "jones", "tanners", "07700", "eastbrook"):
            assert original not in strings


def test_a_placeholder_takes_the_names_place_in_the_parse_and_the_rest_keeps_its_own(anonymised):
    result, originals = anonymised
    doc, original = result.docs[0], originals[0]
    placeholder = next(t for t in doc if t.text.startswith("[PERSON"))
    name_root = next(t for t in original if t.text == "Jones")
    assert placeholder.dep_ == name_root.dep_ and placeholder.head.text == name_root.head.text
    assert doc.user_data[SOURCE_WORDS][placeholder.i] == 2
    redacted = result.turns["redactions"].iloc[0]

    def outside(token):
        return not any(s <= token.idx < e for s, e, _ in redacted)

    def reading(token):  # a head that was redacted reads as its placeholder
        head = token.head.text if outside(token.head) or token.doc is doc else "[placeholder]"
        return token.text, token.tag_, token.lemma_, token.dep_, "[placeholder]" if head.startswith("[") else head

    assert [reading(t) for t in doc if not t.text.startswith("[")] == [reading(t) for t in original if outside(t)]
    assert len(list(doc.sents)) == len(list(original.sents))


def test_a_turn_without_redactions_keeps_its_parse(anonymised):
    result, originals = anonymised
    assert result.docs[1] is originals[1]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cuts=st.lists(st.tuples(st.integers(0, len(TEXT) - 1), st.integers(1, 12)), max_size=5))
def test_any_redactions_even_inside_words_give_a_parse_of_exactly_the_redacted_text(nlp, cuts):
    doc = nlp(TEXT)
    spans, taken = [], set()
    for start, length in sorted(cuts):
        end = min(len(TEXT), start + length)
        if not taken & set(range(start, end)):
            spans.append((start, end, "[PERSON 1]"))
            taken |= set(range(start, end))
    rebuilt = anonymised_docs([doc], [spans])[0]
    assert rebuilt.text == apply_redactions(TEXT, spans)
    assert rebuilt.has_annotation("DEP") == bool(spans) or rebuilt is doc

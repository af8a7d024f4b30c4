"""`names.find_names` sources that read a turn without chunking it: here, lower-case names in a cased text."""
from __future__ import annotations

import pytest

from pipeline.anonymise.lexicon import load_lexicon
from pipeline.anonymise.names import find_names
from pipeline.nlp import common_words

LABELS = frozenset({"PERSON", "GPE", "LOC", "FAC"})


@pytest.fixture(scope="module")
def lexicon(nlp):
    return load_lexicon(frozenset(common_words(nlp)))


def _surfaces(nlp, lexicon, text):
    return [f.surface for f in find_names(nlp(text), lexicon, frozenset(), LABELS)]


@pytest.mark.parametrize("text", [
    "It's earl it's pretty old technology.",                               # the words before it said again
    "As we were s saying earl you were saying earlier in your research.",  # the word said whole a few words on
    "It's earl, no, earlier than that.",
])
def test_a_lower_case_word_broken_off_is_no_name(nlp, lexicon, text):
    # "earl" is a census first name and, after "it's", looked like a person answering the phone.
    assert "earl" not in _surfaces(nlp, lexicon, text)


def test_a_lower_case_first_name_after_a_cue_is_still_found(nlp, lexicon):
    assert "earl" in _surfaces(nlp, lexicon, "Hello, it's earl from the repairs desk.")

"""The chunk finder and its evidence: which capitalised words make one name, and what a list of names implies."""
from __future__ import annotations

import pytest

from pipeline.anonymise.lexicon import load_lexicon
from pipeline.anonymise.name_chunks import decide, find_chunks, is_certain, spread_over_lists
from pipeline.anonymise.patterns import PERSON, PLACE
from pipeline.nlp import common_words


@pytest.fixture(scope="module")
def lexicon(nlp):
    return load_lexicon(frozenset(common_words(nlp)))


def _chunk_texts(doc, lexicon) -> list[str]:
    return [doc.text[c[0].idx:c[-1].idx + len(c[-1])] for c in find_chunks(doc, lexicon)]


@pytest.mark.parametrize("text, name", [
    ("I spoke to Mr Dustin Wirth yesterday.", "Dustin Wirth"),             # the title is not part of it
    ("I spoke to Maika van de Noort yesterday.", "Maika van de Noort"),    # two particles inside
    ("The form went to Iva D. Grusová last week.", "Iva D. Grusová"),      # an initial inside
    ("Ask Ana Weber-Santana about it.", "Ana Weber-Santana"),               # a hyphen inside
    ("Honestly Sarah said it was fine.", "Sarah"),                         # a sentence's first word is not
])
def test_a_chunk_is_the_whole_name_and_nothing_around_it(nlp, lexicon, text, name):
    assert name in _chunk_texts(nlp(text), lexicon)


def test_a_line_break_ends_a_chunk(nlp, lexicon):
    assert "Sarah Jones" not in _chunk_texts(nlp("I asked Sarah\nJones said no."), lexicon)


@pytest.mark.parametrize("text, place", [
    ("He lives at 14 Tanners now.", "Tanners"),      # a house number before it
    ("She lives on Tanners Row now.", "Tanners Row"),  # a street's suffix in it
])
def test_a_house_number_or_a_street_suffix_makes_a_certain_place(nlp, lexicon, text, place):
    doc = nlp(text)
    [chunk] = [c for c in find_chunks(doc, lexicon) if doc.text[c[0].idx:c[-1].idx + len(c[-1])] == place]
    assert decide(doc, chunk, lexicon) == (PLACE, True)
    assert is_certain(doc, chunk, PLACE)


def test_a_title_makes_a_person_certain(nlp, lexicon):
    titled, bare = nlp("The letter from Mr Wirth came."), nlp("The letter from Wirth came.")
    [chunk] = [c for c in find_chunks(titled, lexicon) if c[0].text == "Wirth"]
    [bare_chunk] = [c for c in find_chunks(bare, lexicon) if c[0].text == "Wirth"]
    assert decide(titled, chunk, lexicon) == (PERSON, True)
    assert is_certain(titled, chunk, PERSON) and not is_certain(bare, bare_chunk, PERSON)


def test_one_person_in_a_list_makes_the_undecided_others_weak_people(nlp, lexicon):
    doc = nlp("Usamov and Bowers were there.")
    chunks = find_chunks(doc, lexicon)
    decided = {0: (PERSON, True), 1: None}
    spread_over_lists(doc, chunks, decided, lexicon)
    assert decided == {0: (PERSON, True), 1: (PERSON, False)}


def test_names_that_are_not_in_one_list_are_left_alone(nlp, lexicon):
    doc = nlp("Usamov was there. Bowers left early.")
    chunks = find_chunks(doc, lexicon)
    decided = {0: (PERSON, True), 1: None}
    spread_over_lists(doc, chunks, decided, lexicon)
    assert decided == {0: (PERSON, True), 1: None}

"""What the whole corpus says about a word one turn took for a name (`anonymise.corpus`)."""
from __future__ import annotations

import pytest

from pipeline.anonymise.corpus import TECHNOLOGY, CorpusEvidence, technology_names
from pipeline.anonymise.names import Found
from pipeline.anonymise.patterns import PERSON


def _evidence(technology=frozenset({"lego", "apple", "cbeebies"})):
    return CorpusEvidence.from_texts([], technology=technology, given_names=frozenset())


@pytest.mark.parametrize("surface", ["Legos", "Apple've", "Apple’ll"])
def test_a_listed_name_in_the_plural_or_with_a_contraction_is_technology(surface):
    assert _evidence().why_not_a_name(surface) == TECHNOLOGY


def test_a_letter_spelt_out_before_a_listed_name_makes_it_technology():
    text = "they watch, you know, the C_ Beebies or something like that"
    start = text.index("Beebies")
    found = Found(start, start + len("Beebies"), PERSON, "Beebies", False)
    assert _evidence().filter([found], text=text) == []
    spaced = "we asked Tom Beebies about it"  # a whole word before it is no spelt-out letter
    start = spaced.index("Beebies")
    evidence = _evidence(frozenset({"cbeebies", "tombeebies"}))
    assert len(evidence.filter([Found(start, start + 7, PERSON, "Beebies", False)], text=spaced)) == 1


@pytest.mark.parametrize("brand", ["Pictionary", "Carphone Warehouse", "Rolls Royce", "Disney Channel", "Ceefax"])
def test_common_brands_games_and_broadcasters_are_listed(brand):
    assert _evidence(technology_names()).why_not_a_name(brand) == TECHNOLOGY


@pytest.mark.parametrize("surname", ["McDonald", "Heinz", "Boots", "Dixons"])
def test_a_brand_that_is_also_a_common_surname_is_not_listed(surname):
    # "McDonald's" would make every Ms McDonald met without a title a product.
    assert _evidence(technology_names()).why_not_a_name(surname) is None

"""Contact details and identifiers found by pattern: every UK layout the issue lists, and what is not one."""
import pytest

from pipeline.anonymise.patterns import (
    EMAIL,
    ID_NUMBER,
    PHONE,
    POSTCODE,
    URL,
    pattern_spans,
)


def kinds(text):
    return [(text[s:e], kind) for s, e, kind, _ in sorted(pattern_spans(text))]


@pytest.mark.parametrize("number", [
    "07911 123456", "07911123456", "+44 7911 123456", "0114 496 0999", "(0114) 496 0999", "020 7946 0958",
    "07700 900123", "+44 (0)20 7946 0958", "0161-496-0732", "+447700900456", "0800 123 4567",
])
def test_uk_phone_layouts(number):
    assert kinds(f"Ring me on {number}, any time.") == [(number, PHONE)]


@pytest.mark.parametrize("number", ["(898)666-3621x0135", "+1-604-696-5272x565", "001-518-640-0854",
                                    "01.84.17.61.18", "+41 (0)38 549 02 90", "358 0594"])
def test_international_layouts(number):
    assert kinds(f"Phone: {number}") == [(number, PHONE)]


@pytest.mark.parametrize("text", [
    "It was 2012-10-01 00:46:43 when it started.", "Between 2019 2020 we grew.", "It cost £20 000 000 in all.",
    "We saw 3 4 5 people a day.", "Version 1.2.3 shipped.", "She was born on 8/5/1989.",
])
def test_dates_years_amounts_and_versions_are_not_phones(text):
    assert [k for _, k in kinds(text)] == []


def test_a_phone_glued_to_a_label_or_after_a_postcode_line():
    text = "Hungary 34796\n082 490 1693-Office\\,3660170548-Fax"
    assert ("082 490 1693", PHONE) in kinds(text) and ("3660170548", PHONE) in kinds(text)


@pytest.mark.parametrize("text, datum, kind", [
    ("Email gary.holt@eastbrook.gov.uk today", "gary.holt@eastbrook.gov.uk", EMAIL),
    ("it's sarah dot jones at eastbrook dot gov dot uk", "sarah dot jones at eastbrook dot gov dot uk", EMAIL),
    ("see https://example.org/x.", "https://example.org/x", URL),
    ("on eastbrook.gov.uk/bins now", "eastbrook.gov.uk/bins", URL),
    ("we're at EB4 7QT now", "EB4 7QT", POSTCODE),
    ("the office, s1 2he, shut", "s1 2he", POSTCODE),
    ("NHS number 943 476 5919 on file", "943 476 5919", ID_NUMBER),
    ("NI number QQ 12 34 56 C on file", "QQ 12 34 56 C", ID_NUMBER),
    ("NI number AB123456C on file", "AB123456C", ID_NUMBER),
    ("card 4111 1111 1111 1111 declined", "4111 1111 1111 1111", ID_NUMBER),
])
def test_contact_details_and_identifiers(text, datum, kind):
    assert (datum, kind) in kinds(text)


def test_an_nhs_number_needs_its_check_digit():
    assert ("943 476 5918", ID_NUMBER) not in kinds("NHS number 943 476 5918")


def test_ordinary_text_has_none():
    text = ("It was good.it was fine, e.g. the 3-4 of us, at 10:30 on the 5th, version 2.0, about 20,000 "
            "residents, 1 in 6 arrangements, twenty-four months.")
    assert kinds(text) == []

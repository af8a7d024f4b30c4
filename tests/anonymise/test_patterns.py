"""Contact details and identifiers found by pattern: every UK layout the issue lists, and what is not one."""
import pytest

from pipeline.anonymise.patterns import (
    BIRTH_DATE,
    EMAIL,
    HANDLE,
    IBAN,
    ID_NUMBER,
    IP_ADDRESS,
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
    "We saw 3 4 5 people a day.", "Version 1.2.3 shipped.", "The audit was on 8/5/1989.",
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


def test_a_birth_date_is_no_phone_but_a_date_of_birth():
    assert kinds("She was born on 8/5/1989.") == [("8/5/1989", BIRTH_DATE)]


@pytest.mark.parametrize("text, datum", [
    ("My IBAN is GB59NAWV77136867049356 if you need it.", "GB59NAWV77136867049356"),
    ("Pay into GB82 WEST 1234 5698 7654 32 please.", "GB82 WEST 1234 5698 7654 32"),
    ("It's DE89370400440532013000, the German one.", "DE89370400440532013000"),
])
def test_ibans_pass_the_mod_97_check(text, datum):
    assert (datum, IBAN) in kinds(text)


@pytest.mark.parametrize("text", [
    "The product code is GB59NAWV77136867049357 on the box.",  # one digit off: fails mod 97
    "Order AB12CDEF3456789 came late.",
    "We set the 2019 budget in GB pounds.",
])
def test_codes_that_fail_the_iban_check_stay(text):
    assert [k for _, k in kinds(text) if k == IBAN] == []


@pytest.mark.parametrize("text, datum", [
    ("People can follow our updates at @fen_hargreaves on Twitter.", "@fen_hargreaves"),
    ("Tag @Jo_B2 in it.", "@Jo_B2"),
    ("message @_x1 directly", "@_x1"),
])
def test_social_media_handles(text, datum):
    assert kinds(text) == [(datum, HANDLE)]


@pytest.mark.parametrize("text", [
    "email me @ the office", "meet @2pm by the lift", "it cost 5 @ 3 each",
    "@" + "a" * 31 + " is too long for a handle",
])
def test_an_at_sign_that_is_no_handle_stays(text):
    assert [k for _, k in kinds(text) if k == HANDLE] == []


def test_an_email_address_is_not_a_handle():
    assert kinds("write to fen_hargreaves@example.org now") == [("fen_hargreaves@example.org", EMAIL)]


@pytest.mark.parametrize("text, datum", [
    ("the server at 192.168.10.200 was down", "192.168.10.200"),
    ("blocked 10.2.3.4.", "10.2.3.4"),
    ("the address 6e40:4041:c617:e898:c11:40d2:c669:2eb4 is blocked.", "6e40:4041:c617:e898:c11:40d2:c669:2eb4"),
    ("from 2001:db8:85a3::8a2e:370:7334 again", "2001:db8:85a3::8a2e:370:7334"),
    ("mapped ::ffff:192.0.2.128 here", "::ffff:192.0.2.128"),
    ("It came from fe80::1ff:fe23:4567:890a.", "fe80::1ff:fe23:4567:890a"),
])
def test_ip_addresses(text, datum):
    assert kinds(text) == [(datum, IP_ADDRESS)]


@pytest.mark.parametrize("text", [
    "We went from version 10.2.3.4 to 11.", "Upgrade to v1.2.3.4 now.", "Part 300.1.1.1 failed.",
    "It ran 10:30:45 today.", "Use std::vector here.", "Version 1.2.3 shipped.",
])
def test_version_numbers_times_and_code_are_no_ip_address(text):
    assert [k for _, k in kinds(text) if k == IP_ADDRESS] == []


@pytest.mark.parametrize("text, datum", [
    ("I was born on 14 March 1981, so I remember it.", "14 March 1981"),
    ("He was born on 2/19/1956 in the old hospital.", "2/19/1956"),
    ("What's your date of birth. It's 9/24/1946.", "9/24/1946"),
    ("DOB: 1980-03-04", "1980-03-04"),
    ("d.o.b. 4th Jan 1990", "4th Jan 1990"),
    ("my birthday is March 3rd, 1975", "March 3rd, 1975"),
    ("she was born in May 1990", "May 1990"),
])
def test_dates_of_birth(text, datum):
    assert kinds(text) == [(datum, BIRTH_DATE)]


@pytest.mark.parametrize("text", [
    "I was born in 1981, so I remember it.",  # a year alone stays: it narrows little and is often the story
    "The meeting on 14 March 1981 set the 2019 budget.",
    "We went live on 2/19/2016.",
    "The idea was born on the night shift.",
])
def test_other_dates_and_a_birth_year_alone_stay(text):
    assert kinds(text) == []

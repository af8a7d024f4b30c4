"""Language names in the report: the name a consultant reads, with the code run.json gives."""
from __future__ import annotations

from pipeline.report.languages import LANGUAGE_NAMES, language_name


def test_a_known_code_reads_as_its_name_and_code() -> None:
    assert language_name("de") == "German (de)"
    assert language_name("cy") == "Welsh (cy)"
    assert language_name(" FR ") == "French (FR)"


def test_an_unknown_code_is_shown_as_it_is() -> None:
    assert language_name("gom") == "gom"
    assert language_name("") == ""


def test_every_name_is_keyed_by_a_two_letter_code() -> None:
    assert all(len(code) == 2 and code.islower() and name for code, name in LANGUAGE_NAMES.items())

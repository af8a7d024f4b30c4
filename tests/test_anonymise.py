import pytest

from pipeline import schema
from pipeline.anonymise import (PLACEHOLDER_RE, anonymise, apply_redactions, neutralise_placeholders,
                                speaker_pseudonyms)
from pipeline.config import load_config

from helpers import make_turns

P, I = schema.ROLE_PARTICIPANT, schema.ROLE_INTERVIEWER


def _run(nlp, rows, roster=(), **overrides):
    turns = make_turns(rows)
    docs = list(nlp.pipe(turns[schema.TEXT]))
    config = load_config(**overrides).anonymise
    return anonymise(turns, docs, config, list(roster))


def test_speakers_become_stable_pseudonyms_by_role():
    turns = make_turns([("a.txt", "Helen Marsh", I, "x", "Hi"), ("a.txt", "Priya Shah", P, "x", "Hello"),
                        ("b.txt", "Helen Marsh", I, "y", "Hi"), ("b.txt", "Tom Kowalski", P, "y", "Hey")])
    assert speaker_pseudonyms(turns) == {"helen marsh": "Interviewer 1", "priya shah": "Participant 1",
                                         "tom kowalski": "Participant 2"}


def test_one_person_one_placeholder_in_every_form(nlp):
    result = _run(nlp, [
        ("a.txt", "Priya Shah", P, "x", "I spoke to my manager Sarah Jones about it last week."),
        ("a.txt", "Priya Shah", P, "x", "Sarah said no, and sarah's view was clear. It was Sarah's call."),
    ])
    first, second = result.turns[schema.TEXT]
    placeholder = PLACEHOLDER_RE.search(first).group()
    assert "Sarah" not in first + second and "sarah" not in second
    assert second.count(placeholder) == 3
    assert result.turns[schema.SPEAKER].tolist() == ["Participant 1", "Participant 1"]


def test_speaker_and_roster_names_are_replaced_in_any_case(nlp):
    result = _run(nlp, [
        ("a.txt", "Helen Marsh", I, "x", "Thanks for coming in."),
        ("a.txt", "Priya Shah", P, "x", "no problem helen. I asked dave and DAVE agreed; ask priya anything."),
    ], roster=["Dave Pritchard"])
    text = result.turns[schema.TEXT].iloc[1].lower()
    for name in ("helen", "dave", "priya"):
        assert name not in text


@pytest.mark.parametrize("datum, kind", [
    ("gary.holt@eastbrook.gov.uk", "EMAIL"),
    ("07700 900123", "PHONE"), ("07700900123", "PHONE"), ("+44 7700 900456", "PHONE"),
    ("(0114) 496 0999", "PHONE"), ("020 7946 0958", "PHONE"), ("0161 496 0732", "PHONE"),
    ("EB4 7QT", "POSTCODE"), ("https://example.org/x", "URL"),
])
def test_contact_details_become_typed_placeholders(nlp, datum, kind):
    result = _run(nlp, [("a.txt", "Priya Shah", P, "x", f"You can reach it on {datum} most days.")])
    text = result.turns[schema.TEXT].iloc[0]
    assert datum not in text
    assert f"[{kind}]" in text
    assert result.counts[kind] == 1


def test_places_found_by_the_entity_recogniser_are_replaced_everywhere(nlp):
    result = _run(nlp, [
        ("a.txt", "Priya Shah", P, "x", "We moved the office to Sheffield in the spring."),
        ("b.txt", "Tom Kowalski", P, "y", "The sheffield office never worked for us."),
    ])
    joined = " ".join(result.turns[schema.TEXT]).lower()
    assert "sheffield" not in joined
    assert "[place 1]" in joined


def test_keep_list_terms_survive(nlp):
    result = _run(nlp, [("a.txt", "Priya Shah", P, "x", "The Better Lives programme changed everything in Leeds.")],
                  **{"anonymise.keep": ["Better Lives", "Leeds"]})
    assert "Better Lives" in result.turns[schema.TEXT].iloc[0]
    assert "Leeds" in result.turns[schema.TEXT].iloc[0]


def test_input_table_is_not_modified(nlp):
    turns = make_turns([("a.txt", "Priya Shah", P, "x", "Email me at a.b@example.com.")])
    before = turns.copy()
    anonymise(turns, list(nlp.pipe(turns[schema.TEXT])), load_config().anonymise)
    assert turns.equals(before)


def test_key_maps_originals_to_pseudonyms_and_redact_cleans_paths(nlp):
    result = _run(nlp, [("housing/priya_shah.vtt", "Priya Shah", P, "x", "Ask Sarah Jones.")])
    assert result.key["Priya Shah"] == "Participant 1"
    assert "priya" not in result.redact("housing/priya_shah.vtt").lower()
    assert "sarah" not in result.redact("notes from sarah.txt").lower()


def test_apply_redactions_clips_to_the_window():
    text = "Call Sarah Jones today"
    assert apply_redactions(text, [(5, 16, "[PERSON 1]")]) == "Call [PERSON 1] today"
    assert apply_redactions(text, [(5, 16, "[PERSON 1]")], offset=11, end=22) == "[PERSON 1] today"


def test_placeholders_are_neutralised_for_the_embedder():
    assert neutralise_placeholders("Ask [PERSON 3] at [EMAIL] in [PLACE 2]") == \
        "Ask someone at an email address in somewhere"


def test_transcript_ids_named_after_people_are_redacted(nlp):
    result = _run(nlp, [("housing/priya_shah.vtt", "Priya Shah", P, "x", "We changed the rota.")])
    assert "priya" not in result.turns[schema.TRANSCRIPT_ID].iloc[0].lower()
    assert result.turns[schema.TRANSCRIPT_ID].iloc[0].startswith("housing/")

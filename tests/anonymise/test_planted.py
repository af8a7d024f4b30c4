"""A generated corpus with planted personal data: none of it may reach any output of `run` or `anonymise`.

Planted: names of speakers, of a roster and of people only mentioned (full,
first only, lower case, possessive, with a title), emails (written and
spoken), phones in every UK layout the contract names, postcodes, NHS and National
Insurance numbers, and places (a city, an estate, a street, a town after
"from"). Checked with `find_leaks` over every output file and with a plain
case-insensitive search of the anonymised turns.
"""
from __future__ import annotations

import re

import pytest
from helpers import make_turns

from pipeline import schema
from pipeline.anonymise import anonymise
from pipeline.config import load_config
from pipeline.leakcheck import find_leaks
from pipeline.nlp import common_words
from pipeline.runner import anonymise_corpus, run

P, I = schema.ROLE_PARTICIPANT, schema.ROLE_INTERVIEWER
INTERVIEWER = "Helen Marsh"
ROSTER = ["Dave Pritchard", "Bernadette Quigley"]
TEAMS = ("housing", "revenues", "social_care")
SPEAKERS = {("housing", 0): "Priya Shah", ("housing", 1): "Tom Kowalski", ("housing", 2): "Aisha Okafor",
            ("revenues", 0): "Gareth Evans", ("revenues", 1): "Linda Thornton", ("revenues", 2): "Owen Gallagher",
            ("social_care", 0): "Siobhan Byrne", ("social_care", 1): "Kwabena Asante",
            ("social_care", 2): "Marta Nowak"}
TOPICS = [
    "We had to choose between answering the phones and clearing the casework backlog, the phones never stop.",
    "The agency staff cost us a fortune, so we decided to stop using agency workers and train our own instead.",
    "Pushing everyone online saves money but older residents without broadband just cannot use the forms.",
]
# One planted sentence per participant turn, cycling; every form the contract names.
PLANTED = [
    "I spoke to my manager Sarah Jones about it, and Sarah said no; sarah's view was clear, it was Sarah's call.",
    "Ring the team on 07911 123456 or 07911123456, or +44 7911 123456 from abroad.",
    "The old office line was 0114 496 0999, written (0114) 496 0999 on the letters, and London is 020 7946 0958.",
    "The test number 07700 900123 still forwards to Mr Okonkwo, who moved to Sheffield.",
    "Email sarah.jones@eastbrook.gov.uk or say it as jo dot bloggs at eastbrook dot gov dot uk on the phone.",
    "The family lived on the Beechwood estate, 14 Tanners Row, EB4 7QT, before that S1 2HE.",
    "His NHS number 943 476 5919 and NI number QQ 12 34 56 C were on the form, he came over from Galway.",
    "I asked dave about it and DAVE agreed, then Bernadette's team and bernadette quigley signed it off.",
    "Thanks priya, and tom said the same, and honestly kwame mensah, Kwame Mensah's mum, was the one who rang.",
    "My IBAN is GB82 WEST 1234 5698 7654 32, we post as @fen_hargreaves, the laptop at 192.168.10.200 and"
    " fe80::1ff:fe23:4567:890a was blocked, I was born on 14 March 1981 and my colleague tobias wexley helped.",
]
SECRETS = {
    "person name": ["Sarah Jones", "Sarah", "Okonkwo", "Kwame Mensah", "Kwame", "Mensah", "tobias wexley"],
    "speaker name": list(SPEAKERS.values()) + [INTERVIEWER, "Priya", "Tom Kowalski", "Helen"],
    "roster name": ROSTER + ["Dave", "Pritchard", "Bernadette", "Quigley"],
    "email address": ["sarah.jones@eastbrook.gov.uk", "jo dot bloggs at eastbrook dot gov dot uk"],
    "phone number": ["07911 123456", "07911123456", "+44 7911 123456", "0114 496 0999", "(0114) 496 0999",
                     "020 7946 0958", "07700 900123"],
    "postcode": ["EB4 7QT", "S1 2HE"],
    "identifying number": ["943 476 5919", "QQ 12 34 56 C"],
    "place": ["Sheffield", "Beechwood", "Tanners Row", "Galway"],
    "bank account number": ["GB82 WEST 1234 5698 7654 32"],
    "social media handle": ["@fen_hargreaves"],
    "IP address": ["192.168.10.200", "fe80::1ff:fe23:4567:890a"],
    "date of birth": ["14 March 1981"],
}


def secrets() -> dict[str, str]:
    return {value: kind for kind, values in SECRETS.items() for value in values}


def write_corpus(folder):
    for t, team in enumerate(TEAMS):
        (folder / team).mkdir(parents=True, exist_ok=True)
        for n in range(3):
            speaker = SPEAKERS[(team, n)]
            lines = [f"{INTERVIEWER}: Thanks for making the time today, {speaker.split()[0]}, shall we start?"]
            for k, topic in enumerate(TOPICS):
                planted = PLANTED[(t * 3 + n + k) % len(PLANTED)]
                lines.append(f"{INTERVIEWER}: Can you tell me about that side of the work?")
                lines.append(f"{speaker}: {topic} {planted} Honestly it was the same story every week.")
            (folder / team / f"talk{n}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "manifest.csv").write_text(
        "file,team,interviewer\n" + "".join(f"{team}/talk{n}.txt,{team},{INTERVIEWER}\n"
                                            for team in TEAMS for n in range(3)), encoding="utf-8")
    (folder / "roster.txt").write_text("\n".join(ROSTER) + "\n", encoding="utf-8")
    return folder


def survivors(text: str) -> list[str]:
    """Kinds (never values) of the planted data still in `text`."""
    found = set()
    for value, kind in secrets().items():
        if re.search(r"(?<![^\W\d_])" + re.escape(value) + r"(?![^\W\d_])", text, re.IGNORECASE):
            found.add(kind)
    return sorted(found)


def test_anonymise_leaves_no_planted_datum_in_any_turn(nlp):
    rows = [("a.txt", INTERVIEWER, I, "housing", "Thanks for coming in, Priya.")]
    for k, planted in enumerate(PLANTED):
        speaker = list(SPEAKERS.values())[k % 3]
        rows.append(("a.txt", speaker, P, "housing", planted))
    turns = make_turns(rows)
    result = anonymise(turns, list(nlp.pipe(turns[schema.TEXT])), load_config().anonymise, ROSTER,
                       common_words=common_words(nlp))
    text = "\n".join(result.turns[schema.TEXT]) + "\n".join(result.turns[schema.SPEAKER])
    assert survivors(text) == []
    assert find_leaks_in_text(text, result.leak_terms) == []


def find_leaks_in_text(text, terms, tmp=None):
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "out.txt").write_text(text, encoding="utf-8")
        return find_leaks(folder, terms)


def test_one_person_one_placeholder_across_forms(nlp):
    turns = make_turns([("a.txt", "Priya Shah", P, "x", PLANTED[0]),
                        ("b.txt", "Tom Kowalski", P, "y", "Later sarah rang back, and Sarah Jones's note came.")])
    result = anonymise(turns, list(nlp.pipe(turns[schema.TEXT])), load_config().anonymise,
                       common_words=common_words(nlp))
    placeholders = set(re.findall(r"\[PERSON \d+\]", " ".join(result.turns[schema.TEXT])))
    assert len(placeholders) == 1


@pytest.fixture(scope="module")
def planted_run(tmp_path_factory, nlp):
    from pipeline.embed import HashingEmbedder

    base = tmp_path_factory.mktemp("planted")
    corpus = write_corpus(base / "in")
    result = run(corpus, out=base / "out", embedder=HashingEmbedder(dim=64), nlp=nlp, cache_dir=None)
    return corpus, base, result


def test_no_planted_datum_reaches_any_output_of_run(planted_run):
    _, base, result = planted_run
    assert result.exit_status == 0
    assert find_leaks(base / "out", secrets()) == []
    everything = "\n".join(p.read_text(encoding="utf-8", errors="ignore") for p in (base / "out").rglob("*")
                           if p.is_file() and p.suffix != ".docx")
    assert survivors(everything) == []


def test_the_planted_corpus_really_holds_every_kind(planted_run):
    corpus, _, _ = planted_run
    raw = "\n".join(p.read_text(encoding="utf-8") for p in corpus.rglob("*.txt"))
    assert survivors(raw) == sorted(SECRETS)


def test_the_run_s_own_leak_terms_find_nothing_in_its_outputs(planted_run, nlp):
    """What the runner will check before publishing: the anonymiser's `leak_terms` over the staged folder."""
    from pipeline.ingest import read_corpus
    from pipeline.nlp import parse

    corpus, base, result = planted_run
    config = load_config()
    read = read_corpus(corpus, config.ingest)
    turns = read.turns.reset_index(drop=True)
    anonymised = anonymise(turns, parse(nlp, turns[schema.TEXT].tolist()), config.anonymise, list(read.roster),
                           common_words=common_words(nlp))
    terms = anonymised.leak_terms
    assert {"Sarah Jones", "Dave Pritchard", "Priya Shah", "07911 123456", "EB4 7QT"} <= set(terms)
    assert terms["Dave Pritchard"] == "roster name" and terms["Priya Shah"] == "speaker name"
    assert find_leaks(base / "out", terms) == []
    assert len(result.quotes) >= 20


def test_no_planted_datum_reaches_the_anonymised_copies_or_their_names(planted_run, tmp_path, nlp):
    corpus, _, _ = planted_run
    key = tmp_path / "private" / "key.json"
    summary = anonymise_corpus(corpus, tmp_path / "copies", key_file=key, nlp=nlp)
    assert summary["files_written"] == 9
    assert find_leaks(tmp_path / "copies", secrets()) == []
    assert key.stat().st_mode & 0o777 == 0o600
    assert "Sarah Jones" in key.read_text(encoding="utf-8")  # the key, and only the key, holds them


def test_logs_hold_no_personal_datum(tmp_path, nlp, caplog):
    import logging

    from pipeline.embed import HashingEmbedder

    corpus = write_corpus(tmp_path / "in")
    with caplog.at_level(logging.DEBUG, logger="pipeline"):  # the CLI's tests may have quietened it
        run(corpus, out=tmp_path / "out", embedder=HashingEmbedder(dim=64), nlp=nlp, cache_dir=None)
        anonymise_corpus(corpus, tmp_path / "copies", nlp=nlp)
    assert caplog.records, "the run logs something"
    assert survivors(caplog.text) == []

"""One team however it is spelled: folders, manifest.csv and team columns, merged after every file is read."""
import logging

import pytest

from pipeline import schema
from pipeline.ingest import read_corpus
from pipeline.ingest.teams import team_key, team_spellings

TURNS = "Interviewer: What changed for your team?\n{name}: We set up a rota for the casework.\n"


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def teams_by_file(corpus):
    return dict(corpus.turns.groupby(schema.SOURCE_FILE)[schema.TEAM].agg(lambda teams: sorted(set(teams))))


def test_key_ignores_case_and_runs_of_spaces_underscores_and_hyphens():
    assert len({team_key(t) for t in ["Contact Centre", "contact_centre", "CONTACT-CENTRE", "Contact  -_ Centre",
                                      " contact centre "]}) == 1
    assert team_key("Contact Centres") != team_key("Contact Centre")
    assert team_key("ContactCentre") != team_key("Contact Centre")  # a missing space is another name


def test_the_most_used_spelling_wins_and_a_tie_goes_to_the_first_sorted():
    assert team_spellings(["contact_centre", "Contact Centre", "contact_centre"]) == {
        "Contact Centre": "contact_centre"}
    assert team_spellings(["contact_centre", "Contact Centre"]) == {"contact_centre": "Contact Centre"}
    assert team_spellings(["b-team", "B Team", "b_team"]) == {"b-team": "B Team", "b_team": "B Team"}
    assert team_spellings(["Housing", "Digital"]) == {}


def test_unknown_is_never_merged_with_a_named_team():
    assert team_spellings([schema.UNKNOWN_TEAM, "Unknown", "Unknown"]) == {}


def test_two_folder_spellings_are_one_team_with_one_warning_in_counts(tmp_path, ingest_config, caplog):
    root = tmp_path / "input"
    write(root / "Contact Centre" / "Interview 1 - Jo Bloggs.txt", TURNS.format(name="Jo Bloggs"))
    write(root / "contact_centre" / "Interview 2 - Sam Okonjo.txt", TURNS.format(name="Sam Okonjo"))
    write(root / "contact-centre" / "Interview 3 - Kim Lee.txt", TURNS.format(name="Kim Lee"))
    write(root / "Housing" / "Interview 4 - Priti Varma.txt", TURNS.format(name="Priti Varma"))
    with caplog.at_level(logging.WARNING, logger="pipeline"):
        corpus = read_corpus(root, ingest_config())
    assert sorted(corpus.turns[schema.TEAM].unique()) == ["Contact Centre", "Housing"]
    warnings = [r.getMessage() for r in caplog.records if "team name spelling" in r.getMessage()]
    assert len(warnings) == 1
    assert warnings[0].startswith("2 team name spelling(s)") and "(1 team(s) concerned)" in warnings[0]
    assert "spell each team the same way" in warnings[0]
    # Counts only: neither the spellings (a team may be named after a person) nor the files.
    assert "contact" not in caplog.text.casefold() and "Jo Bloggs" not in caplog.text
    # The transcript ids keep the folder they came from.
    assert "contact_centre/Interview 2 - Sam Okonjo.txt" in set(corpus.turns[schema.TRANSCRIPT_ID])


def test_the_spelling_most_conversations_use_wins_across_manifest_folders_and_rows(tmp_path, ingest_config):
    root = tmp_path / "input"
    write(root / "contact_centre" / "a.txt", TURNS.format(name="Jo Bloggs"))
    write(root / "contact_centre" / "b.txt", TURNS.format(name="Sam Okonjo"))
    write(root / "misc" / "c.txt", TURNS.format(name="Kim Lee"))
    write(root / "rows.csv", "transcript_id,speaker,team,text\nr1,Sam,Contact Centre,What now?\n"
                             "r1,Anna,Contact Centre,We wait.\nr2,Sam,CONTACT CENTRE,What now?\nr2,Bo,,We go.\n")
    write(root / "manifest.csv", "file,team\nmisc/c.txt,Contact-Centre\n")
    corpus = read_corpus(root, ingest_config())
    # contact_centre: 2 conversations; Contact Centre, CONTACT CENTRE, Contact-Centre: 1 each.
    assert set(corpus.turns[schema.TEAM]) == {"contact_centre", schema.UNKNOWN_TEAM}
    assert teams_by_file(corpus)["rows.csv"] == ["contact_centre", schema.UNKNOWN_TEAM]


def test_a_run_is_deterministic_whatever_the_order_of_reading(tmp_path, ingest_config, monkeypatch):
    root = tmp_path / "input"
    write(root / "contact_centre" / "a.txt", TURNS.format(name="Jo Bloggs"))
    write(root / "Contact Centre" / "b.txt", TURNS.format(name="Sam Okonjo"))
    first = read_corpus(root, ingest_config()).turns
    from pipeline.ingest import corpus as corpus_module
    found = corpus_module.discover
    monkeypatch.setattr(corpus_module, "discover", lambda path: list(reversed(found(path))))
    again = read_corpus(root, ingest_config()).turns
    assert set(first[schema.TEAM]) == set(again[schema.TEAM]) == {"Contact Centre"}


@pytest.mark.parametrize("teams", [["Housing", "Digital"], ["Contact Centre", "Contact Centres"]])
def test_distinct_teams_stay_apart_without_a_warning(tmp_path, ingest_config, caplog, teams):
    root = tmp_path / "input"
    for n, team in enumerate(teams):
        write(root / team / f"{n}.txt", TURNS.format(name=f"Person {chr(65 + n)}"))
    with caplog.at_level(logging.WARNING, logger="pipeline"):
        corpus = read_corpus(root, ingest_config())
    assert sorted(corpus.turns[schema.TEAM].unique()) == sorted(teams)
    assert "team name spelling" not in caplog.text

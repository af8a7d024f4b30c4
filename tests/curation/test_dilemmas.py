"""Dilemma curation: dilemma keys, `[[retitle]]` and `[[drop]]`, and what a drop takes with it.

On hand-built tables: four dilemmas (D1..D4) over three teams, their decision rows, two common
grounds (G1 over D1, D2 and D3; G2 over D2 and D4) and the quotes that voice them.
"""
from __future__ import annotations

import json

import pandas as pd
import pytest

from pipeline import schema
from pipeline.config import load_config
from pipeline.curation import (
    DILEMMA_KEY,
    Curation,
    DilemmaTables,
    Drop,
    Rename,
    Retitle,
    apply_dilemma_curation,
    assign_dilemma_keys,
    assign_theme_keys,
    curate,
    load_curation,
    restore_dilemmas,
    snapshot_dilemma_keys,
)
from pipeline.errors import ConfigError

from .test_curation import tables as theme_tables

CONFIG = load_config(**{"dilemmas.ground_min_teams": 2})  # and ground_min_dilemmas 2, the default


def dilemma_tables() -> tuple[DilemmaTables, pd.DataFrame]:
    """Four dilemmas and two grounds; the quotes of `test_curation.tables` voice D1..D3."""
    dilemmas = pd.DataFrame([
        ("D1", "the council · the homelessness team", "the council", "the homelessness team", 2,
         "finance; housing", 0.5, 2, "aa-1-0; bb-2-0"),
        ("D2", "Phones · casework", "Phones", "casework", 2, "finance; housing", 0.4, 2, "dd-2-0; cc-1-0"),
        ("D3", "Repairs · budget", "Repairs", "budget", 1, "housing", 0.2, 1, "aa-2-0"),
        ("D4", "Bins · rounds", "Bins", "rounds", 1, "care", 0.1, 1, "zz-1-0"),
    ], columns=schema.DILEMMA_COLUMNS[:-1])
    decisions = pd.DataFrame([
        ("D1", "housing", "h1", "aa-1-0", "", "r-h1", 0.9),
        ("D1", "finance", "f1", "bb-2-0", "", "r-f1", 0.8),
        ("D2", "housing", "h2", "dd-2-0", "", "r-h2", 0.7),
        ("D2", "finance", "f2", "cc-1-0", "", "r-f2", 0.6),
        ("D3", "housing", "h1", "aa-2-0", "", "r-h3", 0.5),
        ("D4", "care", "c1", "zz-1-0", "", "r-c1", 0.4),
    ], columns=schema.DILEMMA_DECISION_COLUMNS)
    ground = pd.DataFrame([
        ("G1", "The front line should make the call.", 2, "finance; housing", "D1; D2; D3", "r-h1; r-f1; r-f2; r-h3"),
        ("G2", "Do it once, do it right.", 2, "care; finance", "D2; D4", "r-f2; r-c1"),
    ], columns=schema.COMMON_GROUND_COLUMNS)
    _, quotes, _ = theme_tables()
    quotes[schema.DILEMMA_ID] = quotes[schema.QUOTE_ID].map(
        {"aa-1-0": "D1", "bb-2-0": "D1", "dd-2-0": "D2", "cc-1-0": "D2", "aa-2-0": "D3"}).fillna("")
    return DilemmaTables(dilemmas, decisions, ground), quotes


def keyed(tables: DilemmaTables) -> DilemmaTables:
    keys = {"D1": "dHOMELESS", "D2": "dPHONES", "D3": "dREPAIRS", "D4": "dBINS"}
    return DilemmaTables(tables.dilemmas.assign(**{DILEMMA_KEY: tables.dilemmas[schema.DILEMMA_ID].map(keys)}),
                         tables.decisions, tables.common_ground)


def test_a_dilemma_key_is_minted_from_its_quotes_kept_by_overlap_and_never_taken_from_a_theme():
    tables, _ = dilemma_tables()
    first = assign_dilemma_keys(tables.dilemmas, min_overlap=0.3)
    assert first["D1"].key.startswith("d") and first["D1"].source == "new"
    # The same quotes in another order give the same key: it is made from the set.
    again = tables.dilemmas.assign(**{schema.QUOTE_IDS: ["bb-2-0; aa-1-0", "dd-2-0; cc-1-0", "aa-2-0", "zz-1-0"]})
    assert {d: m.key for d, m in assign_dilemma_keys(again, min_overlap=0.3).items()} == \
        {d: m.key for d, m in first.items()}
    # A re-run that added a quote to D1 and renumbered it: the key follows the quotes, not the id.
    later = tables.dilemmas.assign(**{schema.DILEMMA_ID: ["D2", "D1", "D3", "D4"],
                                      schema.QUOTE_IDS: ["aa-1-0; bb-2-0; ee-1-0", "dd-2-0; cc-1-0", "aa-2-0",
                                                         "zz-1-0"]})
    matched = assign_dilemma_keys(later, {"dHOMELESS": ("aa-1-0", "bb-2-0")}, min_overlap=0.3)
    assert (matched["D2"].key, matched["D2"].source, matched["D2"].overlap) == ("dHOMELESS", "curation", 0.6667)
    # One [anchors] table holds both kinds of key: a theme's never keys a dilemma, nor a dilemma's a theme.
    assert assign_dilemma_keys(tables.dilemmas, {"tREPAIR": ("aa-2-0",)}, min_overlap=0.3)["D3"].source == "new"
    themes, quotes, _ = theme_tables()
    theme_keys = assign_theme_keys(themes, quotes, {"dX": ("aa-1-0", "aa-2-0", "bb-1-0")}, min_overlap=0.3)
    assert theme_keys[0].source == "new"


def test_a_retitle_changes_the_title_and_given_sides_only_and_unknown_keys_are_not_applied():
    tables, quotes = dilemma_tables()
    new, new_quotes, log = apply_dilemma_curation(
        keyed(tables), quotes,
        [Retitle("dHOMELESS", "Who owns a homeless case"), Retitle("dPHONES", "Phones or casework", "Phones", "cases"),
         Retitle("dGONE", "Lost")], [], CONFIG.dilemmas)
    assert new.dilemmas[[schema.DILEMMA_ID, schema.TITLE, schema.SIDE_A, schema.SIDE_B]].values.tolist()[:2] == [
        ["D1", "Who owns a homeless case", "the council", "the homelessness team"],
        ["D2", "Phones or casework", "Phones", "cases"]]
    assert log[0] == {"action": "retitle", "dilemma": "dHOMELESS", "title": "Who owns a homeless case",
                      "was": "the council · the homelessness team", "dilemma_id": "D1", "status": "applied"}
    assert log[2] == {"action": "retitle", "dilemma": "dGONE", "title": "Lost", "status": "dilemma not in this run"}
    assert new_quotes[schema.DILEMMA_ID].tolist() == quotes[schema.DILEMMA_ID].tolist()
    assert new.decisions.equals(tables.decisions) and new.common_ground.equals(tables.common_ground)


def test_a_drop_leaves_every_table_renumbers_the_rest_and_takes_a_ground_below_the_thresholds_with_it():
    tables, quotes = dilemma_tables()
    new, new_quotes, log = apply_dilemma_curation(keyed(tables), quotes, [Retitle("dREPAIRS", "Repairs or budget")],
                                                  [Drop("dPHONES", "not a dilemma")], CONFIG.dilemmas)
    assert log[1] == {"action": "drop", "dilemma": "dPHONES", "reason": "not a dilemma", "dilemma_id": "D2",
                      "title": "Phones · casework", "n_quotes": 2, "status": "applied"}
    # The ranking stands and the ids close up, in every table.
    assert new.dilemmas[[schema.DILEMMA_ID, schema.TITLE, DILEMMA_KEY]].values.tolist() == [
        ["D1", "the council · the homelessness team", "dHOMELESS"], ["D2", "Repairs or budget", "dREPAIRS"],
        ["D3", "Bins · rounds", "dBINS"]]
    assert new.decisions[[schema.DILEMMA_ID, schema.TEAM]].values.tolist() == [
        ["D1", "housing"], ["D1", "finance"], ["D2", "housing"], ["D3", "care"]]
    assert dict(zip(new_quotes[schema.QUOTE_ID], new_quotes[schema.DILEMMA_ID])) == {
        "aa-1-0": "D1", "aa-2-0": "D2", "bb-1-0": "", "bb-2-0": "D1", "cc-1-0": "", "dd-1-0": "", "dd-2-0": "",
        "ee-1-0": ""}
    # G1 keeps two teams over D1 and D3 (now D2), without D2's reason; G2 is left with care over one
    # dilemma, below both thresholds, and goes.
    assert new.common_ground.values.tolist() == [
        ["G1", "The front line should make the call.", 2, "finance; housing", "D1; D2", "r-h1; r-f1; r-h3"]]
    assert tables.dilemmas[schema.DILEMMA_ID].tolist() == ["D1", "D2", "D3", "D4"]  # the inputs are not changed


def test_a_ground_that_still_meets_the_thresholds_stays_and_the_grounds_are_renumbered_in_their_order():
    tables, quotes = dilemma_tables()
    new, _, _ = apply_dilemma_curation(keyed(tables), quotes, [], [Drop("dHOMELESS")], CONFIG.dilemmas)
    # G1 loses D1 and its two reasons, and keeps two teams over two dilemmas; G2 is untouched. They
    # now tie on teams and dilemmas, and their quotes order them as the dilemmas stage would.
    assert new.common_ground[[schema.GROUND_ID, schema.N_TEAMS, schema.TEAMS, schema.DILEMMA_IDS,
                              schema.QUOTE_IDS]].values.tolist() == [
        ["G1", 2, "care; finance", "D1; D3", "r-f2; r-c1"], ["G2", 2, "finance; housing", "D1; D2", "r-f2; r-h3"]]


def test_curate_keys_the_dilemmas_keeps_them_uncurated_in_the_snapshot_and_warns_naming_the_file(caplog):
    themes, _, decisions = theme_tables()
    tables, quotes = dilemma_tables()
    previous = {"dHOMELESS": ("aa-1-0", "bb-2-0")}
    curation = Curation(renames=(Rename("tGONE", "x"),),
                        retitles=(Retitle("dHOMELESS", "Who owns a homeless case"),),
                        drops=(Drop("dHOMELESS"), Drop("dNOPE")))
    with caplog.at_level("WARNING", logger="pipeline.curation"):
        done = curate(themes, quotes, decisions, curation, source="my.toml", dilemmas=tables,
                      previous_dilemmas=previous, config=CONFIG)
    assert caplog.messages == [
        'my.toml: [[rename]] 1 (theme = "tGONE") not applied: theme not in this run; '
        "point it at a key of themes.csv's theme_key column, or delete it",
        'my.toml: [[drop]] 2 (dilemma = "dNOPE") not applied: dilemma not in this run; '
        "point it at a key of dilemmas.csv's dilemma_key column, or delete it"]
    assert [(e["action"], e["status"]) for e in done.summary["not_applied"]] == [
        ("rename", "theme not in this run"), ("drop", "dilemma not in this run")]
    assert done.summary["dilemma_keys"] == {"kept_from_curation": 0, "kept_from_previous_run": 1, "new": 3}
    assert done.dilemmas.dilemmas[schema.TITLE].tolist() == ["Phones · casework", "Repairs · budget", "Bins · rounds"]
    assert done.quotes.set_index(schema.QUOTE_ID).at["aa-1-0", schema.DILEMMA_ID] == ""
    # The snapshot keeps the tables as the stage found them, keyed: a re-render can undo the drop.
    restored, restored_decisions, restored_ground = restore_dilemmas(done.snapshot)
    assert restored[schema.TITLE].tolist() == tables.dilemmas[schema.TITLE].tolist()
    assert restored[DILEMMA_KEY].iloc[0] == "dHOMELESS" and len(restored_decisions) == 6 and len(restored_ground) == 2
    assert snapshot_dilemma_keys(done.snapshot)["dHOMELESS"] == ("aa-1-0", "bb-2-0")
    assert restore_dilemmas({"format": 1, "themes": []}) is None  # a run made before dilemma curation


def test_without_dilemma_tables_curate_reports_no_dilemma_keys():
    themes, quotes, decisions = theme_tables()
    done = curate(themes, quotes, decisions, Curation(drops=(Drop("dX"),)))
    assert "dilemma_keys" not in done.summary and done.dilemmas is None


def test_retitle_and_drop_are_read_from_the_file(tmp_path):
    path = tmp_path / "curation.toml"
    path.write_text('# kept\n[[retitle]]\ndilemma = "dA"\ntitle = " Phones or casework "\n'
                    '[[retitle]]\ndilemma = "dB"\ntitle = "X"\nside_a = "a"\nside_b = "b"\n'
                    '[[drop]]\ndilemma = "dC"\nreason = "small talk"\n', encoding="utf-8")
    curation = load_curation(path)
    assert curation.retitles == (Retitle("dA", "Phones or casework"), Retitle("dB", "X", "a", "b"))
    assert curation.drops == (Drop("dC", "small talk"),) and not curation.is_empty
    assert curation.referenced_keys() == ["dA", "dB", "dC"]


@pytest.mark.parametrize("text, message", [
    ('[[retitle]]\ndilemma = "dA"\n', r"\[\[retitle\]\] 1 needs 'title'"),
    ('[[retitle]]\ndilemma = "dA"\ntitle = "T"\nside_a = "a"\n', r"\[\[retitle\]\] 1 gives one side only"),
    ('[[drop]]\ntitle = "T"\n', r"\[\[drop\]\] 1 has unknown field\(s\) \['title'\]"),
    ('[[drop]]\nreason = "r"\n', r"\[\[drop\]\] 1 needs 'dilemma'"),
    ('[[retire]]\ndilemma = "dA"\n', r"unknown curation section.*\[\[retitle\]\], \[\[drop\]\]"),
])
def test_a_bad_dilemma_entry_is_refused_naming_the_file_and_the_entry(tmp_path, text, message):
    path = tmp_path / "curation.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=message) as caught:
        load_curation(path)
    assert "curation.toml" in str(caught.value)


# --------------------------------------------------------------------------
# Done when: the consultant retitles and drops dilemmas from a notebook, the
# report's first page shows it, and a re-run with one more transcript keeps it.
# --------------------------------------------------------------------------

# Six topics, five of them voiced as a dilemma ("choose between", "trade-off", "either ... or") by every team.
DILEMMA_TOPICS = {
    "phones": ["We had to choose between answering the phones and clearing the casework backlog.",
               "It is a constant trade-off between the phones ringing and the casework backlog growing.",
               "Either we answer the phones or we clear the casework backlog, we cannot do both."],
    "agency": ["We had to choose between paying agency staff and leaving the shifts empty.",
               "It was a trade-off between agency staff costs and permanent staff burning out.",
               "Either we pay for agency cover or the permanent staff work the extra shifts."],
    "online": ["We had to choose between pushing everyone online and keeping forms for older residents.",
               "Online forms save money but it is a trade-off against residents without broadband.",
               "Either everything goes online or older residents keep paper forms and phone lines."],
    "repairs": ["We had to choose between urgent repairs and routine repairs to kitchens and boilers.",
                "Boilers versus kitchens, urgent repairs always jump the repairs queue.",
                "Either the urgent repairs go first or the boilers and kitchens get done on time."],
    "bins": ["Missed bins and fly tipping complaints flood in after every change to the bin rounds.",
             "The bin rounds changed and missed bins plus fly tipping reports doubled overnight.",
             "Fly tipping and missed bins follow every new bin round, the crews cannot keep up."],
    "consent": ["We had to choose between sharing data about families and waiting for consent forms.",
                "It is a trade-off between data sharing for families and the consent rules.",
                "Either we share data between teams or we wait weeks for consent from families."],
}


def test_the_curator_retitles_and_drops_dilemmas_and_a_rerun_with_one_more_transcript_keeps_them(tmp_path, nlp,
                                                                                               monkeypatch):
    from pipeline.curator import Curator
    from pipeline.runner import load_run
    from pipeline.runner import rerender as render_run

    from . import test_curation

    monkeypatch.setattr(test_curation, "TOPICS", DILEMMA_TOPICS)
    settings = {"dilemmas.max_distance": 0.3}  # the fake embedder's vectors: one dilemma per topic
    first = test_curation.run_corpus(tmp_path, "june", nlp, **settings)
    assert len(first.dilemmas) >= 3
    original = {name: (first.out_dir / name).read_bytes() for name in ("dilemmas.csv", "dilemma_decisions.csv",
                                                                        "common_ground.csv", "quotes.csv")}
    cur = Curator(load_run(first.out_dir))
    dropped = cur.dilemmas.iloc[1]
    cur.retitle_dilemma("D1", "Phones or casework").drop_dilemma(dropped[DILEMMA_KEY], reason="not a dilemma")
    text = cur.path.read_text(encoding="utf-8")
    assert "[[retitle]]" in text and "[[drop]]" in text and "# dilemma was: " in text
    assert load_curation(cur.path).anchors[dropped[DILEMMA_KEY]]  # its quotes, for the next run
    with pytest.raises(ValueError, match="no dilemma 'D99'"):
        cur.drop_dilemma("D99")
    assert cur.path.read_text(encoding="utf-8") == text  # a refused action writes nothing

    cur.write_report()
    on_disk = pd.read_csv(first.out_dir / "dilemmas.csv", keep_default_na=False)
    assert on_disk[schema.TITLE].iloc[0] == "Phones or casework"
    assert dropped[DILEMMA_KEY] not in on_disk[DILEMMA_KEY].tolist() and len(on_disk) == len(first.dilemmas) - 1
    ids = [f"D{n}" for n in range(1, len(on_disk) + 1)]
    assert on_disk[schema.DILEMMA_ID].tolist() == ids  # renumbered, every table alike
    quotes = pd.read_csv(first.out_dir / "quotes.csv", keep_default_na=False, dtype=str)
    assert set(quotes[schema.DILEMMA_ID]) - {""} <= set(ids)
    its_quotes = quotes[schema.QUOTE_ID].isin(dropped[schema.QUOTE_IDS].split("; "))
    assert its_quotes.any() and (quotes.loc[its_quotes, schema.DILEMMA_ID] == "").all()
    counts = json.loads((first.out_dir / "run.json").read_text(encoding="utf-8"))["counts"]
    assert counts["shared_dilemmas"] + counts["one_team_dilemmas"] == len(on_disk)
    rows = pd.read_csv(first.out_dir / "dilemma_decisions.csv", keep_default_na=False, dtype=str)
    assert set(rows[schema.DILEMMA_ID]) <= set(ids)
    report = (first.out_dir / "theme_report.md").read_text(encoding="utf-8")
    assert "### Phones or casework" in report and f"### {dropped[schema.TITLE]}\n" not in report
    assert "Phones or casework" in (first.out_dir / "sticky_notes.csv").read_text(encoding="utf-8")
    curated = {name: (first.out_dir / name).read_bytes() for name in original}
    render_run(first.out_dir)  # the same curation, the same files
    assert {name: (first.out_dir / name).read_bytes() for name in original} == curated

    # Next month: one more conversation, a new folder, the same curation file.
    later = test_curation.run_corpus(tmp_path, "july", nlp, extra_talk=True, **settings)
    summary = render_run(later.out_dir, curation=cur.path).run.summary["curation"]
    assert summary["not_applied"] == [] and [e["action"] for e in summary["applied"]] == ["retitle", "drop"]
    assert summary["dilemma_keys"]["kept_from_curation"] == 2
    again = pd.read_csv(later.out_dir / "dilemmas.csv", keep_default_na=False)
    assert "Phones or casework" in again[schema.TITLE].tolist()
    assert dropped[DILEMMA_KEY] not in again[DILEMMA_KEY].tolist()

    # An empty curation brings the dropped dilemma back: nothing was lost.
    cur.path.write_text("", encoding="utf-8")
    render_run(first.out_dir)
    for name, content in original.items():
        assert (first.out_dir / name).read_bytes() == content, name

"""Curation: the file, theme keys that survive a re-run, applying rename/merge/split/hide, the notebook API.

The end-to-end tests use the real spaCy parser, the fake embedder and PCA
(instead of UMAP, which only slows a test down), on a corpus of six topics
voiced by three teams.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from pipeline import schema
from pipeline.config import load_config
from pipeline.curation import (
    THEME_KEY,
    Curation,
    Hide,
    Merge,
    Rename,
    Split,
    apply_curation,
    assign_theme_keys,
    curate,
    load_curation,
    restore_uncurated,
    theme_keys_snapshot,
)
from pipeline.curator import Curator
from pipeline.errors import ConfigError, UsageError
from pipeline.runner import load_run, run
from pipeline.runner import rerender as render_run

ROOT = Path(__file__).resolve().parents[2]
TEAMS = ("housing", "finance", "care")
TOPICS = {
    "phones": ["We had to choose between answering the phones and clearing the casework backlog.",
               "The phones never stop ringing so the casework backlog keeps growing every week.",
               "Every time we answer the phones the casework backlog gets worse, it is a constant trade."],
    "agency": ["The agency staff cost us a fortune, so we decided to stop using agency workers.",
               "We stopped paying agency workers and trained permanent staff instead of agency cover.",
               "Agency staff were expensive and left quickly, so permanent staff took over the agency shifts."],
    "online": ["Pushing everyone online saves money but older residents without broadband cannot use online forms.",
               "The online forms exclude residents without broadband, even though online saves money.",
               "Older residents struggle with online forms, broadband is patchy, yet online is cheaper."],
    "repairs": ["Urgent repairs jump the queue, so routine repairs to kitchens and boilers wait for months.",
                "Boilers and kitchens need repairs but urgent repairs always go first in the queue.",
                "The repairs queue is long, kitchens and boilers wait while urgent repairs are done."],
    "bins": ["Missed bins and fly tipping complaints flood in after every change to the bin rounds.",
             "The bin rounds changed and missed bins plus fly tipping reports doubled overnight.",
             "Fly tipping and missed bins follow every new bin round, the crews cannot keep up."],
    "consent": ["Sharing data between teams helps families but consent rules make data sharing slow.",
                "We wanted to share data about families but consent forms held the data sharing back.",
                "Consent for data sharing takes weeks, so families wait while teams cannot share data."],
}
# PCA and k-means with one cluster per topic: the curation tests need six themes whatever
# HDBSCAN makes of a corpus this small, and UMAP would only slow them down.
FAST = {"reduce.method": "pca", "cluster.method": "kmeans", "cluster.n_clusters": 6}


def write_corpus(folder: Path, extra_talk: bool = False) -> Path:
    """Three teams, three conversations each (four for housing with `extra_talk`), six topics each."""
    shutil.rmtree(folder, ignore_errors=True)
    manifest = ["file,team,interviewer"]
    for team in TEAMS:
        (folder / team).mkdir(parents=True)
        for n in range(4 if extra_talk and team == "housing" else 3):
            lines = ["Helen Marsh: Thanks for making the time today, shall we start?"]
            for sentences in TOPICS.values():
                lines.append("Helen Marsh: Can you tell me about that side of the work?")
                lines.append(f"Speaker {team.title()}{n}: {sentences[n % 3]} Honestly it was the same story for us.")
            (folder / team / f"talk{n}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
            manifest.append(f"{team}/talk{n}.txt,{team},Helen Marsh")
    (folder / "manifest.csv").write_text("\n".join(manifest) + "\n", encoding="utf-8")
    return folder


def run_corpus(tmp_path: Path, name: str, nlp, extra_talk: bool = False, out: str | None = None, **settings):
    from pipeline.embed import HashingEmbedder

    return run(write_corpus(tmp_path / f"in-{name}", extra_talk), out=tmp_path / (out or name),
               config=load_config(**{**FAST, **settings}), embedder=HashingEmbedder(dim=64), nlp=nlp,
               cache_dir=None)


def theme_with(themes: pd.DataFrame, word: str) -> pd.Series:
    """The one theme whose label or key phrases contain `word`."""
    found = themes[(themes[schema.LABEL] + " " + themes[schema.KEYWORDS]).str.contains(word, case=False)]
    assert len(found) == 1, f"{len(found)} themes mention {word!r}: {themes[schema.LABEL].tolist()}"
    return found.iloc[0]


# --------------------------------------------------------------------------
# Small hand-built tables
# --------------------------------------------------------------------------

def tables():
    """Three themes over six conversations in two teams, plus an outlier."""
    rows = [  # quote_id, theme, transcript, team, text, dilemma, decision
        ("aa-1-0", 0, "h1", "housing", "Boilers wait while urgent repairs go first.", 1, 0),
        ("aa-2-0", 0, "h1", "housing", "We now book boiler repairs in a slot.", 0, 1),
        ("bb-1-0", 0, "f1", "finance", "The repairs budget runs out by autumn.", 0, 0),
        ("bb-2-0", 1, "f1", "finance", "Agency staff cost a fortune.", 1, 0),
        ("cc-1-0", 1, "f2", "finance", "We stopped using agency staff.", 0, 1),
        ("dd-1-0", 2, "h2", "housing", "The phones never stop ringing.", 0, 0),
        ("dd-2-0", 2, "h2", "housing", "Answering phones or clearing the backlog.", 1, 0),
        ("ee-1-0", -1, "h3", "housing", "Anyway, that is it from me.", 0, 0),
    ]
    quotes = pd.DataFrame(rows, columns=[schema.QUOTE_ID, schema.THEME_ID, schema.TRANSCRIPT_ID, schema.TEAM,
                                         schema.TEXT, schema.IS_DILEMMA, schema.IS_DECISION])
    quotes[schema.SPEAKER] = "Participant " + quotes[schema.TRANSCRIPT_ID]
    quotes[schema.PLACED_BY] = ["cluster"] * 7 + [""]
    themes = pd.DataFrame([
        {schema.THEME_ID: 0, schema.LABEL: "Repair · boiler", schema.KEYWORDS: "repair; boiler; budget",
         schema.N_QUOTES: 3, schema.N_TRANSCRIPTS: 2, schema.N_SPEAKERS: 2, schema.N_TEAMS: 2,
         schema.TEAMS: "finance; housing", schema.COMMON_GROUND: 0.5, schema.N_DILEMMAS: 1, schema.N_DECISIONS: 1,
         schema.REPRESENTATIVE_QUOTES: ["aa-1-0", "bb-1-0"], "shared": True, THEME_KEY: "tREPAIR"},
        {schema.THEME_ID: 1, schema.LABEL: "Agency · staff", schema.KEYWORDS: "agency; staff",
         schema.N_QUOTES: 2, schema.N_TRANSCRIPTS: 2, schema.N_SPEAKERS: 2, schema.N_TEAMS: 1,
         schema.TEAMS: "finance", schema.COMMON_GROUND: 0.2, schema.N_DILEMMAS: 1, schema.N_DECISIONS: 1,
         schema.REPRESENTATIVE_QUOTES: ["bb-2-0"], "shared": False, THEME_KEY: "tAGENCY"},
        {schema.THEME_ID: 2, schema.LABEL: "Phone · backlog", schema.KEYWORDS: "phone; backlog",
         schema.N_QUOTES: 2, schema.N_TRANSCRIPTS: 1, schema.N_SPEAKERS: 1, schema.N_TEAMS: 1,
         schema.TEAMS: "housing", schema.COMMON_GROUND: 0.1, schema.N_DILEMMAS: 1, schema.N_DECISIONS: 0,
         schema.REPRESENTATIVE_QUOTES: ["dd-2-0"], "shared": False, THEME_KEY: "tPHONES"},
    ])
    decisions = pd.DataFrame([
        (0, "housing", "h1", "aa-1-0", "aa-2-0", ""),
        (1, "finance", "f1", "bb-2-0", "cc-1-0", ""),
        (2, "housing", "h2", "dd-2-0", "", ""),
    ], columns=schema.DECISION_COLUMNS)
    return themes, quotes, decisions


def test_no_curation_changes_nothing():
    themes, quotes, decisions = tables()
    out = apply_curation(themes, quotes, decisions, Curation())
    pd.testing.assert_frame_equal(out[0], themes)
    pd.testing.assert_frame_equal(out[1], quotes)
    pd.testing.assert_frame_equal(out[2], decisions)


def test_rename_merge_and_hide_recount_rescore_and_rerank():
    themes, quotes, decisions = tables()
    before = (themes.copy(), quotes.copy(), decisions.copy())
    curation = Curation(merges=(Merge(("tAGENCY", "tPHONES"), "Staffing and phones"),),
                        renames=(Rename("tREPAIR", "Repairs versus budget"),),
                        hides=(Hide("tPHONES"),))  # merged away: hides the merged theme
    new_themes, new_quotes, new_decisions = apply_curation(themes, quotes, decisions, curation)
    for frame, original in zip((themes, quotes, decisions), before):
        pd.testing.assert_frame_equal(frame, original)  # inputs untouched
    assert new_themes[schema.LABEL].tolist() == ["Repairs versus budget"]
    assert new_themes[schema.THEME_ID].tolist() == [0]
    hidden = new_quotes[new_quotes[schema.PLACED_BY] == "hidden"]
    assert sorted(hidden[schema.QUOTE_ID]) == ["bb-2-0", "cc-1-0", "dd-1-0", "dd-2-0"]
    assert (hidden[schema.THEME_ID] == -1).all()
    assert new_decisions[schema.THEME_ID].tolist() == [0]


def test_a_merge_counts_its_members_and_shares_across_both_teams():
    themes, quotes, decisions = tables()
    merged, merged_quotes, merged_decisions = apply_curation(
        themes, quotes, decisions, Curation(merges=(Merge(("tAGENCY", "tPHONES")),)))
    row = merged[merged[THEME_KEY] == "tAGENCY"].iloc[0]
    assert (row[schema.N_QUOTES], row[schema.N_TEAMS], row[schema.TEAMS]) == (4, 2, "finance; housing")
    assert row["shared"] and row[schema.LABEL] == "Agency · staff"
    assert row[schema.COMMON_GROUND] > 0.2  # two teams now raise it
    assert row[schema.REPRESENTATIVE_QUOTES][:2] == ["bb-2-0", "dd-2-0"]
    assert row[schema.KEYWORDS] == "agency; phone; staff; backlog"
    assert sorted(merged[schema.THEME_ID]) == [0, 1]
    assert set(merged_quotes.loc[merged_quotes[schema.QUOTE_ID].str.startswith("dd"), schema.THEME_ID]) == {
        int(row[schema.THEME_ID])}
    assert sorted(merged_decisions[schema.THEME_ID].tolist()).count(int(row[schema.THEME_ID])) == 2


@pytest.mark.parametrize("split", [Split("tREPAIR", phrase="boiler", label="Boilers"),
                                   Split("tREPAIR", quote_ids=("aa-1-0", "aa-2-0"), label="Boilers")])
def test_a_split_moves_the_matching_quotes_to_a_new_theme(split):
    themes, quotes, decisions = tables()
    new_themes, new_quotes, new_decisions = apply_curation(themes, quotes, decisions, Curation(splits=(split,)))
    child = new_themes[new_themes[THEME_KEY] == split.child_key].iloc[0]
    assert child[schema.LABEL] == "Boilers" and child[schema.N_QUOTES] == 2
    assert child[schema.REPRESENTATIVE_QUOTES] == ["aa-1-0", "aa-2-0"]
    parent = new_themes[new_themes[THEME_KEY] == "tREPAIR"].iloc[0]
    assert parent[schema.N_QUOTES] == 1 and parent[schema.REPRESENTATIVE_QUOTES] == ["bb-1-0"]
    assert new_decisions.loc[new_decisions[schema.DILEMMA_QUOTE_ID] == "aa-1-0", schema.THEME_ID].item() == \
        child[schema.THEME_ID]
    assert sorted(new_themes[schema.THEME_ID]) == list(range(4))


def test_measures_curation_cannot_recompute_are_blanked_for_merged_themes_only():
    themes, quotes, decisions = tables()
    themes["stability"] = [0.9, 0.8, 0.7]
    new_themes, _, _ = apply_curation(themes, quotes, decisions, Curation(
        merges=(Merge(("tAGENCY", "tPHONES")),), renames=(Rename("tREPAIR", "Repairs"),)))
    stability = dict(zip(new_themes[THEME_KEY], new_themes["stability"]))
    assert stability["tREPAIR"] == 0.9 and pd.isna(stability["tAGENCY"])


def test_an_action_on_a_theme_this_run_lacks_is_reported_not_applied():
    themes, quotes, decisions = tables()
    done = curate(themes.drop(columns=[THEME_KEY]), quotes, decisions,
                  Curation(renames=(Rename("tGONE", "Lost"),), splits=(Split("tGONE", phrase="x"),)))
    assert done.summary["applied"] == []
    assert [e["status"] for e in done.summary["not_applied"]] == ["theme not in this run"] * 2


# --------------------------------------------------------------------------
# Theme keys
# --------------------------------------------------------------------------

def test_keys_are_minted_from_members_and_kept_by_overlap():
    themes, quotes, decisions = tables()
    themes = themes.drop(columns=[THEME_KEY])
    first = assign_theme_keys(themes, quotes, min_overlap=0.3)
    assert first == assign_theme_keys(themes, quotes, min_overlap=0.3)  # deterministic
    assert len({m.key for m in first.values()}) == 3 and all(m.source == "new" for m in first.values())
    # One quote moves from theme 0 to theme 1: both keep their keys.
    moved = quotes.assign(**{schema.THEME_ID: [0, 0, 1, 1, 1, 2, 2, -1]})
    previous = {first[t].key: tuple(quotes.loc[quotes[schema.THEME_ID] == t, schema.QUOTE_ID]) for t in first}
    again = assign_theme_keys(themes, moved, previous, min_overlap=0.3)
    assert {t: m.key for t, m in again.items()} == {t: m.key for t, m in first.items()}
    assert again[0].source == "curation" and again[0].overlap == pytest.approx(2 / 3, abs=1e-4)


def test_the_curation_anchor_wins_over_the_previous_run_and_turns_rescue_resegmented_quotes():
    themes, quotes, decisions = tables()
    themes = themes.drop(columns=[THEME_KEY])
    anchors = {"tMINE": ("aa-1-1", "aa-2-3")}  # same turns, other unit numbers
    previous = {"tOLD": ("aa-1-0", "aa-2-0", "bb-1-0")}
    matches = assign_theme_keys(themes, quotes, anchors, previous, min_overlap=0.3)
    assert matches[0].key == "tMINE" and matches[0].source == "curation"
    assert "tOLD" not in {m.key for m in matches.values()}


def test_the_snapshot_restores_the_uncurated_tables():
    themes, quotes, decisions = tables()
    snapshot = json.loads(json.dumps(theme_keys_snapshot(themes, quotes, decisions)))
    curated = apply_curation(themes, quotes, decisions, Curation(hides=(Hide("tAGENCY"),),
                                                                 merges=(Merge(("tREPAIR", "tPHONES")),)))
    raw_themes, raw_quotes, raw_decisions = restore_uncurated(curated[1], snapshot)
    assert raw_themes[[schema.THEME_ID, THEME_KEY, schema.N_QUOTES]].values.tolist() == \
        themes[[schema.THEME_ID, THEME_KEY, schema.N_QUOTES]].values.tolist()
    assert raw_quotes[schema.THEME_ID].tolist() == quotes[schema.THEME_ID].tolist()
    assert raw_quotes[schema.PLACED_BY].tolist() == quotes[schema.PLACED_BY].tolist()
    pd.testing.assert_frame_equal(raw_decisions, decisions)


# --------------------------------------------------------------------------
# The file
# --------------------------------------------------------------------------

@pytest.mark.parametrize("text, message", [
    ('[[rename]]\ntheme = "t1"\n', r"\[\[rename\]\] 1 needs 'label'"),
    ('[[split]]\ntheme = "t1"\n', r"\[\[split\]\] 1 needs exactly one of 'phrase' or 'quote_ids'"),
    ('[[merge]]\nthemes = ["t1"]\n', r"\[\[merge\]\] 1 needs 'themes'"),
    ('[[hide]]\ntheme = "t1"\ncolour = "red"\n', r"unknown field\(s\) \['colour'\]"),
    ('[[rename]\n', "not a valid curation file"),
    ('[relabel]\n', "unknown curation section"),
])
def test_a_bad_curation_file_is_refused_naming_the_entry(tmp_path, text, message):
    path = tmp_path / "curation.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_curation(path)


def test_a_missing_file_is_an_empty_curation(tmp_path):
    assert load_curation(tmp_path / "none.toml").is_empty


# --------------------------------------------------------------------------
# Done when: a curation file renames, merges and hides themes, and a re-run
# with one more transcript added still applies it.
# --------------------------------------------------------------------------

def test_curation_renames_merges_hides_and_survives_a_rerun_with_one_more_transcript(tmp_path, nlp):
    first = run_corpus(tmp_path, "june", nlp)
    cur = Curator(load_run(first.out_dir))
    agency, online = theme_with(cur.themes, "agency"), theme_with(cur.themes, "online")
    bins = theme_with(cur.themes, "bin")
    cur.rename(int(agency[schema.THEME_ID]), "Agency staff versus permanent posts")
    cur.merge([theme_with(cur.themes, "online")[THEME_KEY], theme_with(cur.themes, "consent")[THEME_KEY]],
              label="Digital by default, and data sharing")
    cur.hide(bins[THEME_KEY], reason="not for this workshop")
    assert len(cur.themes) == 4

    # Next month: one more conversation, a new run folder, the same curation file.
    later = run_corpus(tmp_path, "july", nlp, extra_talk=True)
    assert later.summary["counts"]["transcripts"] == 10
    rendered = render_run(later.out_dir, curation=cur.path)
    summary = rendered.run.summary["curation"]
    assert summary["not_applied"] == [] and len(summary["applied"]) == 3
    assert summary["keys"]["kept_from_curation"] == 4  # the renamed, the two merged and the hidden
    themes = rendered.run.themes
    labels = themes[schema.LABEL].tolist()
    assert "Agency staff versus permanent posts" in labels
    merged = themes[themes[schema.LABEL] == "Digital by default, and data sharing"].iloc[0]
    assert merged[THEME_KEY] == online[THEME_KEY] and merged[schema.N_QUOTES] == 20
    assert not any("bin" in label.lower() for label in labels) and len(themes) == 4
    quotes = rendered.run.quotes
    assert (quotes[schema.PLACED_BY] == "hidden").sum() == 10
    on_disk = pd.read_csv(later.out_dir / "themes.csv", keep_default_na=False)
    assert on_disk[schema.LABEL].tolist() == labels
    html = (later.out_dir / "theme_report.html").read_text(encoding="utf-8")
    assert "Agency staff versus permanent posts" in html and "not for this workshop" in html


def test_a_rerun_into_the_same_folder_applies_its_curation_as_the_report_command_would(tmp_path, nlp):
    first = run_corpus(tmp_path, "june", nlp, out="report")
    cur = Curator(first)
    cur.rename(theme_with(cur.themes, "agency")[THEME_KEY], "Agency staff versus permanent posts")
    cur.merge([theme_with(cur.themes, "online")[THEME_KEY], theme_with(cur.themes, "consent")[THEME_KEY]])
    cur.hide(theme_with(cur.themes, "bin")[THEME_KEY])
    later = run_corpus(tmp_path, "july", nlp, extra_talk=True, out="report")
    assert later.summary["curation"]["not_applied"] == [] and len(later.summary["curation"]["applied"]) == 3
    assert "Agency staff versus permanent posts" in later.themes[schema.LABEL].tolist()
    assert len(later.themes) == 4 and later.theme_keys is not None
    written = {name: (later.out_dir / name).read_bytes() for name in ("themes.csv", "quotes.csv", "decisions.csv",
                                                                      "theme_report.html", "theme_keys.json")}
    render_run(later.out_dir)
    for name, content in written.items():
        assert (later.out_dir / name).read_bytes() == content, name


def test_rerendering_twice_gives_identical_files_and_an_empty_curation_restores_the_run(tmp_path, nlp):
    result = run_corpus(tmp_path, "june", nlp)
    original = {name: (result.out_dir / name).read_bytes() for name in ("quotes.csv", "decisions.csv")}
    key = render_run(result.out_dir).run.themes[THEME_KEY].iloc[0]
    (result.out_dir / "curation.toml").write_text(f'[[hide]]\ntheme = "{key}"\n', encoding="utf-8")
    render_run(result.out_dir)
    first = {p.name: p.read_bytes() for p in result.out_dir.iterdir() if p.name != "run.json"}
    render_run(result.out_dir)
    assert {p.name: p.read_bytes() for p in result.out_dir.iterdir() if p.name != "run.json"} == first
    assert (result.out_dir / "quotes.csv").read_bytes() != original["quotes.csv"]
    (result.out_dir / "curation.toml").write_text("", encoding="utf-8")  # undo every action
    render_run(result.out_dir)
    for name, content in original.items():
        assert (result.out_dir / name).read_bytes() == content, name


def test_the_curator_writes_back_keeping_comments_and_checks_before_writing(tmp_path, nlp):
    result = run_corpus(tmp_path, "june", nlp)
    path = tmp_path / "my-curation.toml"
    path.write_text("# Decided with the steering group on 3 June.\n", encoding="utf-8")
    cur = Curator(result, path=path)
    repairs = theme_with(cur.themes, "repair")
    cur.split(int(repairs[schema.THEME_ID]), phrase="boilers", label="Boilers")
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# Decided with the steering group on 3 June.")
    assert "[[split]]" in text and 'phrase = "boilers"' in text and "[anchors]" in text
    assert load_curation(path).anchors[repairs[THEME_KEY]]  # the parent's quotes, for the next run
    assert "Boilers" in cur.themes[schema.LABEL].tolist()
    with pytest.raises(ValueError, match="no quote"):
        cur.split(0, phrase="zeppelin")
    with pytest.raises(ValueError, match="no theme 99"):
        cur.rename(99, "Nothing")
    assert path.read_text(encoding="utf-8") == text  # refused actions write nothing


def test_a_run_not_written_to_a_folder_needs_a_curation_path(nlp, tmp_path):
    from pipeline.embed import HashingEmbedder

    result = run(write_corpus(tmp_path / "in"), config=load_config(**FAST), embedder=HashingEmbedder(dim=64),
                 nlp=nlp, cache_dir=None)
    with pytest.raises(UsageError, match="not written to a folder"):
        Curator(result)


def test_curation_keeps_the_scaffolding_last_and_flags_merged_themes_afresh():
    themes, quotes, decisions = tables()
    quotes[schema.TURN] = range(len(quotes))
    themes[schema.SCAFFOLDING_SHARE] = [0.9, 0.1, 0.2]
    themes[schema.SCAFFOLDING] = [1, 0, 0]  # the broadest theme is openings and closings
    renamed, _, _ = apply_curation(themes, quotes, decisions, Curation(renames=(Rename("tAGENCY", "Agency"),)))
    assert renamed[THEME_KEY].tolist() == ["tAGENCY", "tPHONES", "tREPAIR"]
    merged, _, _ = apply_curation(themes, quotes, decisions, Curation(merges=(Merge(("tREPAIR", "tPHONES")),)))
    row = merged[merged[THEME_KEY] == "tREPAIR"].iloc[0]
    # Recounted from its quotes; these conversations are too short to have an opening and a closing.
    assert pd.isna(row[schema.SCAFFOLDING_SHARE]) and row[schema.SCAFFOLDING] == 0
    assert merged[THEME_KEY].tolist()[0] == "tREPAIR"

"""End to end on the bundled sample with the real pinned models: the contract, the planted
findings, anonymisation, and reproducibility. Runs in CI (about a minute per run)."""
from __future__ import annotations

import json
import re
import zipfile

import numpy as np
import pandas as pd
import pytest

from pipeline import schema
from pipeline.runner import run
from pipeline.vendored import plotly_js

pytestmark = pytest.mark.models


@pytest.fixture(scope="module")
def uncached_run(tmp_path_factory, sample_dir):
    """A run with no cache, beside the first of `sample_runs`: that one started from an empty
    cache, so both embed, parse and fit everything themselves (their run.json counts say so)."""
    return run(sample_dir, out=tmp_path_factory.mktemp("uncached") / "out", cache_dir=None)


def output_texts(folder) -> dict[str, str]:
    texts = {}
    for path in folder.iterdir():
        if path.suffix == ".docx":
            with zipfile.ZipFile(path) as z:
                texts[path.name] = " ".join(z.read(n).decode("utf-8", "ignore") for n in z.namelist())
        else:
            # plotly.js is a pinned library inlined so the report opens offline, not
            # run output; the map's data (every hover quote) is still scanned.
            texts[path.name] = path.read_text(encoding="utf-8").replace(plotly_js(), "")
    return texts


def test_outputs_follow_the_contract(sample_runs):
    result = sample_runs[0]
    out = result.out_dir
    themes = pd.read_csv(out / "themes.csv", keep_default_na=False)
    quotes = pd.read_csv(out / "quotes.csv", keep_default_na=False)
    assert list(themes.columns[:len(schema.THEME_OUTPUT_COLUMNS)]) == schema.THEME_OUTPUT_COLUMNS
    assert list(quotes.columns[:len(schema.QUOTE_OUTPUT_COLUMNS)]) == schema.QUOTE_OUTPUT_COLUMNS
    assert 6 <= len(themes) <= 30  # a 20-conversation run yields 6 to 30 themes
    assert themes[schema.COMMON_GROUND].between(0, 1).all()
    assert themes[schema.SCAFFOLDING].is_monotonic_increasing  # openings and closings last
    for _, ranked in themes.groupby(schema.SCAFFOLDING):
        assert ranked[schema.COMMON_GROUND].is_monotonic_decreasing
    assert quotes[schema.THEME_ID].dtype.kind == "i"
    assert set(quotes[schema.THEME_ID]) <= set(themes[schema.THEME_ID]) | {schema.NO_THEME}
    assert set(quotes[schema.IS_DILEMMA]) <= {0, 1} and set(quotes[schema.IS_DECISION]) <= {0, 1}
    assert quotes[schema.SPEAKER].str.fullmatch(r"Participant \d+").all()
    assert all("; " in t or "," not in t for t in themes[schema.TEAMS])
    for theme in themes.itertuples():
        members = quotes[quotes[schema.THEME_ID] == theme.theme_id]
        assert theme.n_quotes == len(members)
        assert theme.n_teams == members[schema.TEAM].nunique()
        assert theme.teams == "; ".join(sorted(members[schema.TEAM].unique()))
    summary = json.loads((out / "run.json").read_text())
    for key in ("version", "config", "seed", "inputs", "counts", "timings"):
        assert key in summary
    assert all(set(i) >= {"file", "sha256", "status", "reason"} for i in summary["inputs"])
    assert {i["status"] for i in summary["inputs"] if i["file"].startswith(("housing", "waste"))} == {"ok"}
    assert result.exit_status == 0
    assert summary["counts"]["transcripts"] == 20 and summary["counts"]["teams"] == 6
    html = (out / "theme_report.html").read_text().replace(plotly_js(), "")
    assert "http://" not in html and "https://" not in html


def test_interviewer_questions_are_not_quotes(sample_runs):
    quotes = sample_runs[0].quotes
    assert not quotes[schema.SPEAKER].str.startswith("Interviewer").any()


MIN_SHARE_ABOUT = 0.3  # of a theme's quotes carrying a planted dilemma's evidence words, for it to be about it


def _evidence(planted: dict) -> re.Pattern:
    """The planted dilemma's evidence terms as whole words (a plural too): "stat" does not match "status"."""
    return re.compile(r"\b(?:" + "|".join(map(re.escape, planted["evidence_terms"])) + r")(?:s|es)?\b", re.I)


def themes_about(placed: pd.DataFrame, planted_items: dict) -> dict[str, int]:
    """Planted dilemma -> the theme about it, one theme for one dilemma, the most clearly about it first.

    A theme is about a planted dilemma when it is voiced by 3+ teams, at least MIN_SHARE_ABOUT
    of its quotes carry the dilemma's evidence words, and those quotes come from 3 or more
    of the teams it was planted in."""
    candidates = []
    for name, planted in planted_items.items():
        pattern = _evidence(planted)
        for theme, members in placed.groupby(schema.THEME_ID):
            about = members[schema.TEXT].str.contains(pattern)
            teams = set(members.loc[about, schema.TEAM]) & set(planted["teams"])
            if members[schema.TEAM].nunique() >= 3 and about.mean() >= MIN_SHARE_ABOUT and len(teams) >= 3:
                candidates.append((about.mean(), name, theme))
    found: dict[str, int] = {}
    for _, name, theme in sorted(candidates, key=lambda c: (-c[0], c[1], c[2])):
        if name not in found and theme not in found.values():
            found[name] = theme
    return found


def test_planted_shared_dilemmas_come_out_as_shared_themes(sample_runs, answer_key):
    quotes = sample_runs[0].quotes
    placed = quotes[quotes[schema.THEME_ID] != schema.NO_THEME]
    found = themes_about(placed, answer_key["shared_dilemmas"])
    missed = sorted(set(answer_key["shared_dilemmas"]) - set(found))
    # Four of six. D5 (procedure vs discretion) is voiced through each team's own domain
    # (bins, arrears, fly-tipping) and clusters by domain (BENCHMARKS.md: bench-planted).
    # D6 (targets) was found until the sample gained its shared reasons: the sentences
    # planted beside the D6 decisions ("getting it right the first time saves more than it
    # costs") draw that talk towards the reasons. The dilemmas stage, not the themes, now
    # carries the dilemmas (tests/e2e/test_sample_dilemmas.py).
    assert len(found) >= 4, f"found {sorted(found)}, missed {missed}"


def test_themes_picked_at_random_are_rarely_about_a_planted_dilemma(sample_runs, answer_key):
    """The judge above is strict: the same quotes dealt into themes of the same sizes at random
    make fewer than 4 of them (its threshold) 95 times in 100."""
    quotes = sample_runs[0].quotes
    placed = quotes[quotes[schema.THEME_ID] != schema.NO_THEME]
    rng = np.random.default_rng(0)
    found = [len(themes_about(placed.assign(**{schema.THEME_ID: rng.permutation(placed[schema.THEME_ID].to_numpy())}),
                              answer_key["shared_dilemmas"])) for _ in range(100)]
    assert np.percentile(found, 95) < 4, found


def test_planted_dilemmas_themes_carry_their_teams_planted_decisions(sample_runs, answer_key):
    """Over the (dilemma, team) rows the answer key plants, in the theme about the dilemma: half
    the teams' rows name the planted decision (judged verbatim as in test_sample_dilemmas.py;
    10 of 16 when written). A quote of the conversation picked at random is the planted
    decision about one time in ten (bench-dilemmas)."""
    from e2e.test_sample_dilemmas import states

    result = sample_runs[0]
    placed = result.quotes[result.quotes[schema.THEME_ID] != schema.NO_THEME]
    text_of = dict(zip(result.quotes[schema.QUOTE_ID], result.quotes[schema.TEXT]))
    found = themes_about(placed, answer_key["shared_dilemmas"])
    decisions = result.decisions.fillna("")
    rows = named = 0
    for conversation in answer_key["conversations"]:
        for planted in conversation["dilemmas"]:
            if planted["id"] not in found:
                continue
            rows += 1
            row = decisions[(decisions[schema.THEME_ID] == found[planted["id"]])
                            & (decisions[schema.TEAM] == conversation["team"])]
            decision = row[schema.DECISION_QUOTE_ID].iloc[0] if len(row) else ""
            named += bool(decision) and states(text_of.get(decision, ""), planted["decision_sentences"])
    assert rows >= 12
    assert named >= 0.5 * rows, f"{named} of {rows} planted rows name the planted decision"


def test_openings_and_closings_are_flagged_and_ranked_after_the_substance(sample_runs):
    themes = sample_runs[0].themes
    flagged = themes[themes[schema.SCAFFOLDING] == 1]
    # Small talk, goodbyes, contact details and introductions: voiced by every team, said at the edges.
    assert 1 <= len(flagged) <= 6 and (flagged[schema.N_TEAMS] == 6).all()
    assert flagged[schema.THEME_ID].min() > themes.loc[themes[schema.SCAFFOLDING] == 0, schema.THEME_ID].max()
    quotes = sample_runs[0].quotes
    closing = quotes[quotes[schema.THEME_ID].isin(flagged[schema.THEME_ID])][schema.TEXT].str.cat(sep=" ").lower()
    assert any(word in closing for word in ("coffee", "thank", "bye", "cheers"))


def test_every_label_is_said_verbatim_in_its_theme_and_no_two_themes_share_one(sample_runs):
    themes, quotes = sample_runs[0].themes, sample_runs[0].quotes
    labels = themes[schema.LABEL].tolist()
    assert len({label.lower() for label in labels}) == len(labels), labels
    for theme_id, label in zip(themes[schema.THEME_ID], labels):
        said = quotes.loc[quotes[schema.THEME_ID] == theme_id, schema.TEXT]
        assert said.str.contains(re.escape(label)).any(), f"theme {theme_id}'s label is not said in its quotes"
        assert not re.search(r"\[[A-Z]+", label)  # never a placeholder
    # Most labels are phrases, not single words.
    assert sum(" " in label for label in labels) >= 0.8 * len(labels)


def test_every_theme_has_a_headline_said_in_the_quote_it_names(sample_runs):
    themes = sample_runs[0].themes
    texts = dict(zip(sample_runs[0].quotes[schema.QUOTE_ID], sample_runs[0].quotes[schema.TEXT]))
    for theme_id, headline, quote_id in zip(themes[schema.THEME_ID], themes[schema.HEADLINE],
                                            themes[schema.HEADLINE_QUOTE_ID]):
        assert headline and headline in texts[quote_id], f"theme {theme_id}'s headline"
        assert 5 <= len(headline.split()) <= 20 and not headline.endswith("?")


def test_no_planted_personal_datum_reaches_any_output(sample_runs, answer_key):
    texts = output_texts(sample_runs[0].out_dir)
    leaks = []
    for conversation in answer_key["conversations"]:
        for kind, values in conversation["pii"].items():
            for value in values:
                flags = re.I if kind in ("person", "place") else 0
                pattern = re.compile(r"(?<![A-Za-z])" + re.escape(value) + r"(?![A-Za-z])", flags)
                leaks += [(kind, name) for name, text in texts.items() if pattern.search(text)]
    # The kind and file only: a failing test must not print the datum either.
    assert not leaks, f"personal data leaked: {sorted(set(leaks))}"


def test_same_seed_gives_identical_tables_and_report(sample_runs):
    first, second = (r.out_dir for r in sample_runs)
    assert sample_runs[1].summary["counts"]["embedded"] == 0
    for name in ("themes.csv", "quotes.csv", "decisions.csv", "theme_report.html", "theme_report.md",
                 "theme_cards.docx", "sticky_notes.csv", "theme_keys.json"):
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_at_most_a_tenth_of_the_quotes_end_in_no_theme(sample_runs):
    quotes = pd.read_csv(sample_runs[0].out_dir / "quotes.csv", keep_default_na=False)
    in_no_theme = (quotes[schema.THEME_ID] == schema.NO_THEME).mean()
    assert in_no_theme <= 0.10, f"{in_no_theme:.0%} of the quotes are in no theme"


def test_two_runs_that_read_nothing_from_a_cache_write_identical_outputs(sample_runs, uncached_run):
    """Every output file byte for byte, run.json but for when it ran and how long it took. Neither
    run reads a cache (the first fills an empty one, the other has none), so any unseeded
    randomness, in the embeddings or after, shows here, where a run from the cache would hide it."""
    first, second = sample_runs[0].out_dir, uncached_run.out_dir
    names = sorted(path.name for path in first.iterdir())
    assert names == sorted(path.name for path in second.iterdir())
    for name in names:
        if name == "run.json":
            summaries = [json.loads((out / name).read_text(encoding="utf-8")) for out in (first, second)]
            for summary in summaries:
                del summary["created"], summary["timings"]
            assert summaries[0]["counts"]["cached"] == 0 and summaries[0]["counts"]["theme_fits_cached"] == 0
            assert summaries[0] == summaries[1], name
        else:
            assert (first / name).read_bytes() == (second / name).read_bytes(), name

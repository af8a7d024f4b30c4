"""The printed HTML report: headless Chromium prints it to PDF and each card must fit its page.

The report is "printable one theme per page": a workshop prints the theme
cards as handouts. Here a report of large cards (four to six teams, each
with a dilemma, a decision and a reason, and five representative quotes)
is printed on A4 (the report's own page size) and on Letter, and every
theme card and shared-dilemma card must start a page and end on it. The
cells are as long as the bundled sample's: its decision tables' quotes run
to 26 words at the median and 33 at the 75th percentile, and a sixth of
their cells are empty. A card of six teams may continue on a second page
(the sample's own do not, on either paper). Chromium is the Debian package
`chromium` (`make browser`); without it these tests are skipped, saying so.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pandas as pd
import pytest
from pypdf import PdfReader

from pipeline import schema
from pipeline.report.data import ReportData
from pipeline.report.html import render_html

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"

pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).is_file(),
    reason="Chromium is not installed (Debian package `chromium`; `make browser` installs it)")

TEAMS = ["Bins and streets", "Contact centre", "Council tax", "Housing repairs", "Libraries", "Parks"]
# Teams per theme: the sample's themes have four rows in their decision table at the median and six at
# most; the last theme is one team's. Each card prints three representative quotes besides its table.
THEME_TEAMS = (6, 5, 4, 1)
N_THEMES = len(THEME_TEAMS)
WORDS = ("we changed the rota because the evening calls kept landing on one officer and the backlog of "
         "repairs grew every week until the managers agreed that residents waiting longest should come "
         "first whatever the budget said at the time").split()


def _sentence(seed: int, n_words: int) -> str:
    """Invented, readable-enough text of `n_words` words, different for each seed."""
    words = [WORDS[(seed * 7 + i * 3) % len(WORDS)] for i in range(n_words)]
    return " ".join(words).capitalize() + "."


def _large_cards() -> ReportData:
    quotes, decisions, themes = [], [], []
    n = 0

    def quote(theme: int, team: str, n_words: int = 30, **flags: int) -> str:
        nonlocal n
        n += 1
        quote_id = f"Q{n:03d}"
        quotes.append({schema.QUOTE_ID: quote_id, schema.THEME_ID: theme, schema.TRANSCRIPT_ID: f"{team}/t{theme}",
                       schema.TURN: n, schema.SPEAKER: f"Participant {n}", schema.TEAM: team,
                       schema.TEXT: _sentence(n, n_words), schema.IS_DILEMMA: flags.get("dilemma", 0),
                       schema.IS_DECISION: flags.get("decision", 0), schema.IS_RATIONALE: flags.get("reason", 0),
                       schema.X_2D: float(n % 7), schema.Y_2D: float(theme)})
        return quote_id

    for theme in range(N_THEMES):
        teams = TEAMS[:THEME_TEAMS[theme]]
        for row, team in enumerate(teams):
            # As the sample's tables run: 26 words at the median, up to 34, and a sixth of the cells empty.
            ids = [quote(theme, team, 26, dilemma=1), quote(theme, team, (18, 26, 34)[row % 3], decision=1),
                   "" if row % 2 else quote(theme, team, 30, reason=1)]
            decisions.append((theme, team, f"{team}/t{theme}", *ids))
        representative = [quote(theme, team) for team in (teams * 5)[:5]]
        themes.append({schema.THEME_ID: theme, schema.LABEL: f"Invented theme {theme}",
                       schema.KEYWORDS: "rota; backlog; evening calls; waiting longest; budget",
                       schema.N_QUOTES: 3 * len(teams) + 5, schema.N_TRANSCRIPTS: len(teams),
                       schema.N_SPEAKERS: len(teams), schema.N_TEAMS: len(teams), schema.TEAMS: "; ".join(teams),
                       schema.COMMON_GROUND: 0.9 - theme / 10, schema.N_DILEMMAS: len(teams),
                       schema.N_DECISIONS: len(teams), schema.REPRESENTATIVE_QUOTES: representative,
                       "shared": len(teams) > 1, "theme_key": f"tkey{theme}x"})
    quote_frame = pd.DataFrame(quotes)
    quote_frame[schema.PLACED_BY] = "cluster"
    decision_frame = pd.DataFrame(decisions, columns=schema.DECISION_COLUMNS)
    # Two shared dilemmas, each voiced by every team with its decision and reason (the themes' rows).
    dilemmas = pd.DataFrame([
        {schema.DILEMMA_ID: f"D{d + 1}", schema.TITLE: f"invented side a{d} · invented side b{d}",
         schema.SIDE_A: f"invented side a{d}", schema.SIDE_B: f"invented side b{d}", schema.N_TEAMS: len(TEAMS),
         schema.TEAMS: "; ".join(TEAMS), schema.COMMON_GROUND: 0.8 - d / 10, schema.N_QUOTES: len(TEAMS),
         schema.QUOTE_IDS: "; ".join(decision_frame[decision_frame[schema.THEME_ID] == d][
             schema.DILEMMA_QUOTE_ID])} for d in range(2)], columns=schema.DILEMMA_COLUMNS)
    dilemma_decisions = pd.DataFrame(
        [(f"D{row[0] + 1}", *row[1:], 0.9) for row in decisions if row[0] < 2],
        columns=schema.DILEMMA_DECISION_COLUMNS)
    summary = {"n_transcripts": len(TEAMS) * N_THEMES, "n_teams": len(TEAMS), "n_quotes": len(quote_frame),
               "n_themes": N_THEMES, "teams": TEAMS, "failed_inputs": [], "other_language_inputs": [],
               "anonymisation": {"PERSON": 3}, "settings": {"seed": 1}, "version": "0.1.0", "seed": 1,
               "common_ground_formula": "Mean over teams of each team's smoothed share of quotes in the theme."}
    return ReportData(title="Invented council review", themes=pd.DataFrame(themes), quotes=quote_frame,
                      decisions=decision_frame, summary=summary, dilemmas=dilemmas,
                      dilemma_decisions=dilemma_decisions)


def _print(html: str, folder: Path, page_size: str) -> list[str]:
    """The text of each page of `html` printed by headless Chromium on `page_size` paper."""
    if page_size != "A4":
        assert "size: A4;" in html
        html = html.replace("size: A4;", f"size: {page_size};")  # the page box a Letter printer would give
    source, pdf = folder / f"report-{page_size}.html", folder / f"report-{page_size}.pdf"
    source.write_text(html, encoding="utf-8")
    subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                    "--disable-component-update", "--no-first-run", "--no-pdf-header-footer",
                    f"--user-data-dir={folder / 'profile'}", f"--print-to-pdf={pdf}", source.as_uri()],
                   check=True, capture_output=True, timeout=120)
    # NFKC: the PDF's ligatures ("ﬁ") read as their letters.
    return [unicodedata.normalize("NFKC", page.extract_text() or "") for page in PdfReader(pdf).pages]


@pytest.fixture(scope="module")
def large_cards_html() -> str:
    return render_html(_large_cards())


@pytest.mark.parametrize("page_size", ["A4", "letter"])
def test_every_printed_card_starts_a_page_and_ends_on_it(large_cards_html: str, tmp_path, page_size: str) -> None:
    pages = _print(large_cards_html, tmp_path, page_size)

    def page_of(pattern: str) -> int:
        found = [i for i, text in enumerate(pages) if re.search(pattern, text)]
        assert len(found) == 1, (pattern, found)
        return found[0]

    # Each card's kicker (upper-cased by the stylesheet; the key and id keep their case), in page order,
    # then the section after the last card, which starts a page of its own.
    starts = [page_of(rf"SHARED DILEMMA {d} · D{d}\b") for d in (1, 2)]
    starts += [page_of(rf"THEME {t} · tkey{t}x") for t in range(N_THEMES)]
    ends = [*starts[1:2], page_of(r"Raised by one team|Common ground for the workshop"), *starts[3:],
            page_of("Method and settings")]
    spans = {card: end - start for card, start, end in zip(
        ["D1", "D2", *(f"theme {t}" for t in range(N_THEMES))], starts, ends)}
    # The largest card, six teams, may continue on a second page, never a third; every other fits its page.
    assert spans["theme 0"] in (1, 2), f"pages per card on {page_size}: {spans}"
    del spans["theme 0"]
    assert spans == dict.fromkeys(spans, 1), f"pages per card on {page_size}: {spans}"
    # A card starts its page: its kicker is the page's first line, or follows its section's heading.
    for start in starts[1:]:
        first = pages[start].strip().splitlines()[0]
        assert re.match(r"(SHARED DILEMMA|SHARED ACROSS TEAMS|TEAM-SPECIFIC)", first) or first in (
            "Shared across teams", "Team-specific themes"), first


def test_the_printed_card_says_which_quotes_it_left_out(large_cards_html: str, tmp_path) -> None:
    pages = _print(large_cards_html, tmp_path, "A4")
    card = next(text for text in pages if "THEME 1 · tkey1x" in text)
    assert "Printed: 3 of 5 representative quotes" in card

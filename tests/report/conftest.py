"""A small hand-built `ReportData` for the report writers' tests.

Three teams, three themes (two shared, one team-specific), outliers, two
failed files, and quote text that tries to inject HTML and Markdown; three
dilemmas (two shared, one team's), each team's decision point and reason,
and one piece of common ground across two of them.
"""
from __future__ import annotations

import pandas as pd
import pytest

from pipeline import schema
from pipeline.report.data import ReportData

SCRIPT_TEXT = "We were told <script>alert(1)</script> was fine by the supplier."
IMG_TEXT = "The portal showed <img src=x onerror=alert(1)> instead of the form."
MARKDOWN_TEXT = "Costs | time *really* _mattered_ `rm -rf` [click](javascript:alert(1)) # end"
TEAMS = ["Contact centre", "Finance", "Housing"]
DILEMMA_MARKUP_TITLE = "the <b>online</b> form · the phone script"
DILEMMA_TITLES = ["clear the waiting list · do urgent repairs first", DILEMMA_MARKUP_TITLE,
                  "approve small repairs now · wait for the panel"]  # in rank order: two shared, one team's
GROUND_STATEMENT = "Because the worst cases were waiting as long as the cosmetic ones."  # quote Q003
FAILED_REASONS = {
    "finance/broken.docx": "not a valid .docx file (the zip is damaged)",
    "housing/notes.txt": "undecodable bytes at offset 12; save it as UTF-8",
}
# Consistent with the quotes below: 1 of 6, 2 of 6 and 1 of 7 in theme -1.
OUTLIER_SHARES = {"Contact centre": 1 / 6, "Finance": 2 / 6, "Housing": 1 / 7}

# quote_id, theme_id, transcript_id, turn, speaker, team, text, dilemma, decision, rationale, x, y
_QUOTES = [
    ("Q001", 0, "housing/t1", 1, "Participant 1", "Housing",
     "We had to choose between clearing the waiting list and doing urgent repairs.",
     1, 0, 0, 1.0, 2.0),
    ("Q002", 0, "housing/t1", 3, "Participant 1", "Housing",
     "So we decided to triage every repair by risk to the tenant.", 0, 1, 0, 1.2, 2.1),
    ("Q003", 0, "housing/t1", 3, "Participant 1", "Housing",
     "Because the worst cases were waiting as long as the cosmetic ones.", 0, 0, 1, 1.1, 2.3),
    ("Q004", 0, "housing/t2", 2, "Participant 2", "Housing", SCRIPT_TEXT, 0, 0, 0, 0.9, 1.8),
    ("Q005", 0, "contact/t3", 1, "Participant 3", "Contact centre",
     "On the one hand callers want an answer now, on the other the repair list is weeks long.",
     1, 0, 0, 1.4, 1.9),
    ("Q006", 0, "contact/t3", 4, "Participant 3", "Contact centre",
     "We stopped promising dates on the phone.", 0, 1, 0, 1.3, 2.2),
    ("Q007", 0, "finance/t4", 2, "Participant 4", "Finance",
     "Repairs budget runs out by autumn every year.", 0, 0, 0, 1.5, 2.4),
    ("Q008", 1, "contact/t3", 6, "Participant 3", "Contact centre", IMG_TEXT, 1, 0, 0, -2.0, 0.5),
    ("Q009", 1, "contact/t5", 1, "Participant 5", "Contact centre",
     "The online form and the phone script ask different questions.", 0, 0, 0, -2.2, 0.7),
    ("Q010", 1, "housing/t2", 5, "Participant 2", "Housing",
     "We rewrote the form so it matches what the officers need.", 0, 1, 0, -1.9, 0.4),
    ("Q011", 2, "finance/t4", 4, "Participant 4", "Finance", MARKDOWN_TEXT, 1, 0, 0, 3.0, -1.0),
    ("Q012", 2, "finance/t6", 1, "Participant 6", "Finance",
     "Sign-off takes three signatures for anything over a small amount.", 0, 0, 0, 3.2, -1.2),
    ("Q013", -1, "finance/t6", 3, "Participant 6", "Finance",
     "I like the new coffee machine.", 0, 0, 0, -3.0, -2.0),
    ("Q014", -1, "finance/t6", 5, "Participant 6", "Finance",
     "Parking is hard near the office.", 0, 0, 0, float("nan"), float("nan")),
    ("Q015", -1, "contact/t5", 3, "Participant 5", "Contact centre",
     "The weather was awful that week.", 0, 0, 0, 0.0, -3.0),
    ("Q016", -1, "housing/t2", 7, "Participant 2", "Housing",
     "Anyway, that's about it really from me.", 0, 0, 0, 2.0, 3.0),
    ("Q017", 1, "contact/t5", 4, "Participant 5", "Contact centre",
     "Callers get passed between three teams before anyone owns the problem.", 0, 0, 0, -2.1, 0.2),
    ("Q018", 2, "finance/t4", 6, "Participant 4", "Finance",
     "We now approve small repairs without waiting for the monthly panel.", 0, 1, 0, 3.1, -0.9),
    ("Q019", 0, "housing/t1", 6, "Participant 1", "Housing",
     "Tenants chase us because nobody tells them where they are in the queue.", 0, 0, 0, 1.0, 2.5),
]


def build_report_data() -> ReportData:
    """Build the fixture afresh, so a test may change it without affecting others."""
    quotes = pd.DataFrame(
        _QUOTES,
        columns=[schema.QUOTE_ID, schema.THEME_ID, schema.TRANSCRIPT_ID, schema.TURN,
                 schema.SPEAKER, schema.TEAM, schema.TEXT, schema.IS_DILEMMA,
                 schema.IS_DECISION, schema.IS_RATIONALE, schema.X_2D, schema.Y_2D],
    )
    quotes[schema.PLACED_BY] = ["" if t == -1 else "cluster" for t in quotes[schema.THEME_ID]]
    themes = pd.DataFrame([
        {schema.THEME_ID: 0, schema.LABEL: "Waiting lists versus urgent repairs",
         schema.KEYWORDS: "waiting list; urgent repairs; triage", schema.N_QUOTES: 8,
         schema.N_TRANSCRIPTS: 4, schema.N_SPEAKERS: 4, schema.N_TEAMS: 3,
         schema.TEAMS: "Contact centre; Finance; Housing", schema.COMMON_GROUND: 0.82,
         schema.N_DILEMMAS: 2, schema.N_DECISIONS: 2,
         schema.REPRESENTATIVE_QUOTES: ["Q001", "Q004", "Q005"], "shared": True},
        {schema.THEME_ID: 1, schema.LABEL: "Forms & <b>phone</b> scripts",
         schema.KEYWORDS: ["online form", "phone script"], schema.N_QUOTES: 4,
         schema.N_TRANSCRIPTS: 3, schema.N_SPEAKERS: 3, schema.N_TEAMS: 2,
         schema.TEAMS: ["Contact centre", "Housing"], schema.COMMON_GROUND: 0.55,
         schema.N_DILEMMAS: 1, schema.N_DECISIONS: 1,
         schema.REPRESENTATIVE_QUOTES: ["Q008", "Q009"], "shared": True},
        {schema.THEME_ID: 2, schema.LABEL: "Budget sign_off *approvals*",
         schema.KEYWORDS: "sign-off; approval panel", schema.N_QUOTES: 3,
         schema.N_TRANSCRIPTS: 2, schema.N_SPEAKERS: 2, schema.N_TEAMS: 1,
         schema.TEAMS: "Finance", schema.COMMON_GROUND: 0.21,
         schema.N_DILEMMAS: 1, schema.N_DECISIONS: 1,
         schema.REPRESENTATIVE_QUOTES: ["Q011", "Q012"], "shared": False},
    ])
    decisions = pd.DataFrame(
        [
            (0, "Housing", "housing/t1", "Q001", "Q002", "Q003"),
            (0, "Contact centre", "contact/t3", "Q005", "Q006", ""),
            (1, "Housing", "housing/t2", "", "Q010", ""),
            (1, "Contact centre", "contact/t3", "Q008", "", ""),
            (2, "Finance", "finance/t4", "Q011", "Q018", ""),
        ],
        columns=schema.DECISION_COLUMNS,
    )
    dilemmas = pd.DataFrame([
        {schema.DILEMMA_ID: "D1", schema.TITLE: "clear the waiting list · do urgent repairs first",
         schema.SIDE_A: "clear the waiting list", schema.SIDE_B: "do urgent repairs first", schema.N_TEAMS: 2,
         schema.TEAMS: "Contact centre; Housing", schema.COMMON_GROUND: 0.74, schema.N_QUOTES: 3,
         schema.QUOTE_IDS: "Q001; Q005; Q019"},
        {schema.DILEMMA_ID: "D2", schema.TITLE: DILEMMA_MARKUP_TITLE, schema.SIDE_A: "the <b>online</b> form",
         schema.SIDE_B: "the phone script", schema.N_TEAMS: 2, schema.TEAMS: ["Contact centre", "Housing"],
         schema.COMMON_GROUND: 0.51, schema.N_QUOTES: 2, schema.QUOTE_IDS: ["Q008", "Q004"]},
        {schema.DILEMMA_ID: "D3", schema.TITLE: "approve small repairs now · wait for the panel",
         schema.SIDE_A: "approve small repairs now", schema.SIDE_B: "wait for the panel", schema.N_TEAMS: 1,
         schema.TEAMS: "Finance", schema.COMMON_GROUND: 0.2, schema.N_QUOTES: 2, schema.QUOTE_IDS: "Q011; Q012"},
    ], columns=schema.DILEMMA_COLUMNS)
    dilemma_decisions = pd.DataFrame(
        [
            ("D1", "Housing", "housing/t1", "Q001", "Q002", "Q003", 0.9),
            ("D1", "Contact centre", "contact/t3", "Q005", "Q006", "", 0.8),
            ("D2", "Contact centre", "contact/t3", "Q008", "", "", float("nan")),
            ("D2", "Housing", "housing/t2", "Q004", "Q010", "", 0.7),
            ("D3", "Finance", "finance/t4", "Q011", "Q018", "", 0.6),
        ],
        columns=schema.DILEMMA_DECISION_COLUMNS,
    )
    common_ground = pd.DataFrame([
        {schema.GROUND_ID: "G1", schema.STATEMENT: GROUND_STATEMENT, schema.N_TEAMS: 3,
         schema.TEAMS: "Contact centre; Finance; Housing", schema.DILEMMA_IDS: "D1; D3",
         schema.QUOTE_IDS: "Q003; Q004; Q012"},
    ], columns=schema.COMMON_GROUND_COLUMNS)
    summary = {
        "n_transcripts": 6,
        "n_teams": 3,
        "n_quotes": len(quotes),
        "n_themes": 3,
        "teams": list(TEAMS),
        "failed_inputs": [{"file": f, "reason": r} for f, r in FAILED_REASONS.items()],
        "outlier_share_by_team": dict(OUTLIER_SHARES),
        "anonymisation": {"PERSON": 14, "EMAIL": 2, "GPE": 3},
        "settings": {
            "seed": 42,
            "anonymise": {"roster": ["Anna Smith", "Bob Jones"], "keep": ["Better Lives"]},
            "ingest": {"interviewers": ["Carol White"], "max_file_mb": 50},
            "embed": {"model": "/home/dave.brown/models/minilm", "batch_size": 64},
            "cluster": {"method": "hdbscan", "min_cluster_size": 0},
            "dilemmas": {"ground_min_teams": 3, "ground_min_dilemmas": 2},
        },
        "version": "0.1.0",
        "seed": 42,
        "common_ground_formula": "Mean over teams of each team's smoothed share "
                                 "of quotes in the theme.",
    }
    return ReportData(title="Common ground: repairs review", themes=themes, quotes=quotes,
                      decisions=decisions, summary=summary, dilemmas=dilemmas,
                      dilemma_decisions=dilemma_decisions, common_ground=common_ground)


def without_dilemmas(data: ReportData) -> ReportData:
    """`data` as a run made before the dilemmas stage gives it: empty dilemma tables."""
    data.dilemmas = pd.DataFrame(columns=schema.DILEMMA_COLUMNS)
    data.dilemma_decisions = pd.DataFrame(columns=schema.DILEMMA_DECISION_COLUMNS)
    data.common_ground = pd.DataFrame(columns=schema.COMMON_GROUND_COLUMNS)
    return data


@pytest.fixture
def report_data() -> ReportData:
    """A fresh copy of the hand-built report data."""
    return build_report_data()

"""Column names of the tables passed between stages, defined once.

Stages exchange pandas DataFrames. Every column a stage reads or writes is
named here, so a rename is one edit and `require_columns` can tell a caller
which stage forgot what.
"""
from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

# --- turns: one row per speaker turn (ingest -> anonymise -> segment) -------
TRANSCRIPT_ID = "transcript_id"
TURN = "turn"  # 0-based index of the turn within its transcript
SPEAKER = "speaker"
ROLE = "role"  # "interviewer" | "participant"
TEAM = "team"
START = "start"  # seconds from the start of the recording, or NaN
TEXT = "text"
SOURCE_FILE = "source_file"  # path relative to INPUT

ROLE_INTERVIEWER = "interviewer"
ROLE_PARTICIPANT = "participant"
UNKNOWN_TEAM = "unknown"

TURN_COLUMNS = [TRANSCRIPT_ID, TURN, SPEAKER, ROLE, TEAM, START, TEXT, SOURCE_FILE]

# --- quotes: one row per quote unit (segment -> signals -> embed -> themes) --
QUOTE_ID = "quote_id"
THEME_ID = "theme_id"
IS_DILEMMA = "is_dilemma"
IS_DECISION = "is_decision"
IS_RATIONALE = "is_rationale"
CHAR_START = "char_start"  # offsets of the unit in its turn's original text
CHAR_END = "char_end"
EMBED_TEXT = "embed_text"  # what the embedder sees: placeholders neutralised
THEME_PROBABILITY = "theme_probability"
PLACED_BY = "placed_by"  # "cluster" | "nearest" | "hidden" | "" (outlier)
PLACED_HIDDEN = "hidden"  # `placed_by` of a quote whose theme the analyst hid
CUES = "cues"  # the signal cues a unit matched, "kind:cue; ..."
DOC_POSITION = "_doc"  # row position of the unit's turn in the parsed documents (never written)
PRINCIPLE = "_principle"  # the unit's sentence that states a principle, "" for none (never written)
X_2D = "x"
Y_2D = "y"

NO_THEME = -1

QUOTE_OUTPUT_COLUMNS = [
    QUOTE_ID, THEME_ID, TRANSCRIPT_ID, TURN, SPEAKER, TEAM, TEXT,
    IS_DILEMMA, IS_DECISION,
]

# --- themes: one row per theme (themes -> ground -> report) -----------------
LABEL = "label"
KEYWORDS = "keywords"
N_QUOTES = "n_quotes"
N_TRANSCRIPTS = "n_transcripts"
N_SPEAKERS = "n_speakers"
N_TEAMS = "n_teams"
TEAMS = "teams"
COMMON_GROUND = "common_ground"
N_DILEMMAS = "n_dilemmas"
N_DECISIONS = "n_decisions"
REPRESENTATIVE_QUOTES = "representative_quotes"  # list of quote ids
SHARED = "shared"  # 1 when two teams or more voice the theme
THEME_KEY = "theme_key"  # stable across re-runs, for curation
GROUP = "group"  # top-level group of themes for the workshop view (-1: no theme)
STABILITY = "stability"  # mean best Jaccard overlap under bootstrap refits, in [0, 1]
ECHO_SHARE = "echo_share"  # share of quotes answering a question close to the theme
ECHOES_INTERVIEWER = "echoes_interviewer"  # 0/1: the theme mostly echoes the interviewer
SCAFFOLDING_SHARE = "scaffolding_share"  # share of quotes at the opening or closing of their conversation
SCAFFOLDING = "scaffolding"  # 0/1: mostly openings and closings (greetings, introductions, goodbyes)
COHESION = "cohesion"  # mean cosine of the theme's quotes to its centre
LOOSE = "loose"  # 0/1: the theme does not hold together (low stability or cohesion); shown after the firm ones
HEADLINE = "headline"  # a sentence or clause, verbatim from one of the theme's most central quotes
HEADLINE_QUOTE_ID = "headline_quote_id"  # the quote the headline comes from

THEME_OUTPUT_COLUMNS = [
    THEME_ID, LABEL, KEYWORDS, N_QUOTES, N_TRANSCRIPTS, N_SPEAKERS, N_TEAMS,
    TEAMS, COMMON_GROUND, N_DILEMMAS, N_DECISIONS,
]

# --- decisions: one row per (theme, team) pairing of dilemma -> decision ----
DILEMMA_QUOTE_ID = "dilemma_quote_id"
DECISION_QUOTE_ID = "decision_quote_id"
RATIONALE_QUOTE_ID = "rationale_quote_id"

DECISION_COLUMNS = [THEME_ID, TEAM, TRANSCRIPT_ID, DILEMMA_QUOTE_ID,
                    DECISION_QUOTE_ID, RATIONALE_QUOTE_ID]

LIST_SEPARATOR = "; "


def require_columns(frame: pd.DataFrame, columns: Iterable[str], stage: str) -> None:
    """Raise if `frame` lacks any of `columns`, naming the stage that needs them."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise KeyError(
            f"stage '{stage}' needs columns {missing}, which its input lacks; "
            f"it has {list(frame.columns)}"
        )


def empty_turns() -> pd.DataFrame:
    """A turns table with no rows and the right columns and dtypes."""
    return pd.DataFrame({
        TRANSCRIPT_ID: pd.Series(dtype="object"),
        TURN: pd.Series(dtype="int64"),
        SPEAKER: pd.Series(dtype="object"),
        ROLE: pd.Series(dtype="object"),
        TEAM: pd.Series(dtype="object"),
        START: pd.Series(dtype="float64"),
        TEXT: pd.Series(dtype="object"),
        SOURCE_FILE: pd.Series(dtype="object"),
    })

# Shared dilemmas (pipeline/dilemmas): one row per dilemma, per dilemma and team, per common ground.
DILEMMA_ID = "dilemma_id"
DILEMMA_SCORE = "dilemma_score"  # per quote, in [0, 1]: how plainly it voices a dilemma
DECISION_SCORE = "decision_score"  # per quote, in [0, 1]: a decision point (a change the team made)
RATIONALE_SCORE = "rationale_score"  # per quote, in [0, 1]: the reason given for one
TITLE = "title"
SIDE_A = "side_a"
SIDE_B = "side_b"
QUOTE_IDS = "quote_ids"
DILEMMA_IDS = "dilemma_ids"
GROUND_ID = "ground_id"
STATEMENT = "statement"
DILEMMA_KEY = "dilemma_key"  # stable across re-runs, as theme_key is: what curation.toml names a dilemma by
# The contract's columns, then additions (after them, so readers by position keep working).
DILEMMA_COLUMNS = [DILEMMA_ID, TITLE, SIDE_A, SIDE_B, N_TEAMS, TEAMS, COMMON_GROUND, N_QUOTES, QUOTE_IDS,
                   DILEMMA_KEY]
DILEMMA_DECISION_COLUMNS = [DILEMMA_ID, TEAM, TRANSCRIPT_ID, DILEMMA_QUOTE_ID, DECISION_QUOTE_ID,
                            RATIONALE_QUOTE_ID, DECISION_SCORE]
COMMON_GROUND_COLUMNS = [GROUND_ID, STATEMENT, N_TEAMS, TEAMS, DILEMMA_IDS, QUOTE_IDS]

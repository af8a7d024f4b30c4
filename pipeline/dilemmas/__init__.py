"""The dilemmas stage: shared dilemmas, each team's decision point and reason, and the common ground.

What the consultant comes for, after the themes are found and before they
are curated:

- `shared`: dilemma units grouped across teams into dilemmas, each titled by
  its two competing sides in the teams' words, ranked among dilemmas;
- `decisions`: for each dilemma and team, the dilemma as voiced, the decision
  point and the reason;
- `reasons`: the reasons shared by several teams across different dilemmas.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .. import schema
from ..config import Config
from ..signals.learned import flag_threshold
from ..signals.principles import PRINCIPLE_CUE
from .decisions import decision_points
from .reasons import common_ground
from .shared import read_in_theme, shared_dilemmas
from .sides import sides_of

logger = logging.getLogger(__name__)

__all__ = ["Dilemmas", "find_dilemmas", "sides_of"]


@dataclass
class Dilemmas:
    """The stage's tables: dilemmas.csv, dilemma_decisions.csv, common_ground.csv, and the quotes' dilemma ids."""

    dilemmas: pd.DataFrame
    decisions: pd.DataFrame
    common_ground: pd.DataFrame
    dilemma_of: pd.Series


def find_dilemmas(quotes: pd.DataFrame, vectors: np.ndarray, config: Config,
                  themes: pd.DataFrame | None = None,
                  encode: Callable[[list[str]], np.ndarray] | None = None) -> Dilemmas:
    """Shared dilemmas, decision points and common ground of one run.

    Parameters
    ----------
    quotes : the quote table after the signals stage (flags, optional scores),
        positionally aligned with `vectors`.
    vectors : the quotes' vectors, as the themes read them (each in its answer's context).
    config : the run's settings (`[dilemmas]`, and `[ground] smoothing` for the score).
    themes : the themes table; a unit in a scaffolding theme (the openings and closings of
        the conversations: introductions, contact details) voices no dilemma of the work
        ("I'd email you, but my inbox is always full") and states no principle ("if anyone
        wants to know what the front line thinks, they should ask him"). None keeps them all.
    encode : vectors of texts from the run's sentence embedder, for the principles the
        common ground compares (`reasons.common_ground`); None reads them as their units.
    """
    schema.require_columns(quotes, [schema.QUOTE_ID, schema.TRANSCRIPT_ID, schema.TEAM, schema.TEXT,
                                    schema.IS_DILEMMA, schema.IS_DECISION, schema.IS_RATIONALE], "dilemmas")
    quotes = quotes.reset_index(drop=True)
    if themes is not None and schema.SCAFFOLDING in themes and schema.THEME_ID in quotes:
        scaffolding = themes.loc[themes[schema.SCAFFOLDING].astype(int) == 1, schema.THEME_ID]
        in_scaffolding = quotes[schema.THEME_ID].isin(set(scaffolding.tolist())).to_numpy()
        quotes = quotes.assign(**{schema.IS_DILEMMA: np.where(in_scaffolding, 0, quotes[schema.IS_DILEMMA])})
        if schema.CUES in quotes:
            cues = quotes[schema.CUES].fillna("").astype(str)
            quotes[schema.CUES] = cues.where(~in_scaffolding, cues.map(_without_principle))
        if schema.PRINCIPLE in quotes:
            quotes[schema.PRINCIPLE] = quotes[schema.PRINCIPLE].where(~in_scaffolding, "")
    in_theme = read_in_theme(vectors, quotes, config.dilemmas.theme_weight)
    dilemmas, dilemma_of = shared_dilemmas(quotes, in_theme, config.dilemmas, config.ground.smoothing)
    decisions = decision_points(quotes, in_theme, dilemma_of, config.dilemmas.decision_window,
                                flag_threshold(config.signals, "decision"), config.dilemmas.principle_min_link)
    # Common ground crosses dilemmas, and so themes: its reasons are compared as said, not as their themes.
    ground = common_ground(quotes, vectors, decisions, config.dilemmas, encode)
    logger.info("dilemmas: %d (%d shared by two teams or more), %d decision points, %d common ground",
                len(dilemmas), int((dilemmas[schema.N_TEAMS] >= 2).sum()) if len(dilemmas) else 0,
                int((decisions[schema.DECISION_QUOTE_ID] != "").sum()) if len(decisions) else 0, len(ground))
    return Dilemmas(dilemmas, decisions, ground, dilemma_of)


def _without_principle(cues: str) -> str:
    """A unit's cues ("kind:name; ...") without the principle cue.

    Examples
    --------
    >>> _without_principle("decision:we_changed; rationale:principle")
    'decision:we_changed'
    """
    return "; ".join(cue for cue in cues.split("; ") if cue and cue != f"rationale:{PRINCIPLE_CUE}")

"""Flag quote units that voice a dilemma, a decision, or the reason for one.

- `patterns`: the cue patterns, as data;
- `cues`: the matchers built from them, run once per parsed turn;
- `detect`: the stage itself, `detect_signals`, with reasons that answer a why-question and
  decisions that answer "So what did you do?" (`answers_to`);
- `learned`: dilemma, decision and rationale scores in [0, 1] from the unit in its
  context (`score_quotes`, after the embed stage; weights in `detectors.json`).
"""
from .cues import cue_names, doc_cue_names
from .detect import answers_to, detect_signals
from .learned import LearnedDetectors, score_quotes
from .patterns import CHANGE_CUE, KINDS, WHY_CUE

__all__ = ["CHANGE_CUE", "KINDS", "WHY_CUE", "LearnedDetectors", "answers_to", "cue_names", "detect_signals",
           "doc_cue_names", "score_quotes"]

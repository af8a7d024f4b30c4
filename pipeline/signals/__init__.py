"""Flag quote units that voice a dilemma, a decision, or the reason for one.

- `patterns`: the cue patterns, as data;
- `cues`: the matchers built from them, run once per parsed turn;
- `detect`: the stage itself, `detect_signals`, with reasons that answer a why-question.
"""
from .cues import cue_names, doc_cue_names
from .detect import answers_to_why, detect_signals
from .patterns import KINDS, WHY_CUE

__all__ = ["KINDS", "WHY_CUE", "answers_to_why", "cue_names", "detect_signals", "doc_cue_names"]

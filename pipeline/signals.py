"""Flag quote units that voice a dilemma, a decision, or the reason for one.

Cues are spaCy `Matcher` patterns over lemmas (so "chose", "choosing" and
"choose" are one cue) and `DependencyMatcher` patterns over the parse (a
first-person-plural or team subject whose verb is a change: "we stopped
doing", "the team moved to"). Patterns, not keywords: "decide" in "it's hard
to decide" is not a decision, "we decided to" is.
"""
from __future__ import annotations

import logging
from functools import lru_cache

import pandas as pd

from . import schema
from .config import SignalsConfig

logger = logging.getLogger(__name__)


def _lemmas(*words: str) -> dict:
    return {"LEMMA": {"IN": list(words)}}


DILEMMA_PATTERNS = {
    "choose_between": [[_lemmas("choose", "decide", "pick", "balance", "juggle", "torn", "tear", "caught", "stuck"),
                        {"OP": "{0,4}", "IS_PUNCT": False}, {"LOWER": "between"}]],
    "choice_between": [[_lemmas("choice", "balance", "tension", "conflict", "trade", "tradeoff"),
                        {"OP": "{0,2}", "IS_PUNCT": False}, {"LOWER": {"IN": ["between", "off"]}}]],
    "one_hand": [[{"LOWER": "on"}, {"LOWER": {"IN": ["the", "one"]}}, {"LOWER": {"IN": ["one", "other"]}, "OP": "?"},
                  {"LOWER": "hand"}]],
    "trade_off": [[{"LOWER": {"IN": ["trade", "tradeoff", "trade-off", "tradeoffs", "trade-offs"]}},
                   {"LOWER": {"IN": ["-", "off", "offs"]}, "OP": "*"}]],
    "tension": [[_lemmas("dilemma", "tension", "catch-22", "paradox", "compromise")]],
    "expense_of": [[{"LOWER": "at"}, {"LOWER": "the"}, {"LOWER": "expense"}, {"LOWER": "of"}]],
    "versus": [[{"LOWER": {"IN": ["versus", "vs", "vs."]}}]],
    "pulled": [[_lemmas("pull"), {"OP": "{0,2}"}, {"LOWER": {"IN": ["two", "different"]}}, _lemmas("direction", "way")]],
    "competing": [[_lemmas("compete", "competing", "conflicting"), _lemmas("priority", "demand", "pressure", "need")]],
    "either_or": [[{"LOWER": "either"}, {"OP": "{1,8}", "IS_PUNCT": False}, {"LOWER": "or"}]],
    "robbing": [[_lemmas("rob"), {"LOWER": "peter"}]],
    "damned": [[{"LOWER": {"IN": ["damned", "damn"]}}, {"LOWER": "if"}]],
    "flip_side": [[{"LOWER": "flip"}, {"LOWER": "side"}], [{"LOWER": "other"}, {"LOWER": "side"}, {"LOWER": "of"}]],
    "but_then": [[{"LOWER": "but"}, {"LOWER": "then"}, {"OP": "{0,6}"}, _lemmas("lose", "suffer", "risk", "pay", "cost")]],
    "difficult_balance": [[_lemmas("hard", "difficult", "tricky", "fine", "delicate", "constant"),
                           _lemmas("balance", "line", "juggle", "balancing", "juggling", "call")]],
    "the_balance": [[{"LOWER": {"IN": ["the", "a", "right"]}}, {"LOWER": {"IN": ["balance", "balancing"]}}],
                    [_lemmas("strike", "get", "find"), {"OP": "?"}, {"LOWER": "balance"}]],
    "cant_do_both": [[{"LOWER": {"IN": ["ca", "can", "cannot", "could"]}}, {"LOWER": {"IN": ["n't", "not"]}, "OP": "?"},
                      _lemmas("do", "have", "be"), {"LOWER": {"IN": ["both", "everything"]}}],
                     [{"LOWER": "both"}, {"LOWER": "ways"}]],
    "no_choice": [[{"LOWER": {"IN": ["no", "little", "real", "hard", "difficult", "impossible", "awful"]}},
                   _lemmas("choice", "option", "alternative")]],
    "weigh_up": [[_lemmas("weigh"), {"LOWER": {"IN": ["up", "it", "that", "them"]}, "OP": "?"}]],
    "feel_the_pull": [[_lemmas("feel"), {"LOWER": "the"}, {"LOWER": "pull"}],
                      [{"LOWER": "pull"}, {"LOWER": {"IN": ["in", "between"]}}]],
    "traded": [[{"LEMMA": "trade", "POS": "VERB"}], [{"LOWER": "in"}, {"LOWER": "exchange"}, {"LOWER": "for"}]],
    "cost_of": [[{"LOWER": "at"}, {"LOWER": "the"}, {"LOWER": {"IN": ["cost", "price"]}}, {"LOWER": "of"}],
                [{"LOWER": "the"}, {"LOWER": "price"}, {"LOWER": {"IN": ["we", "you", "is", "was"]}}]],
    "if_not": [[{"LOWER": "if"}, {"LOWER": {"IN": ["we", "you", "they", "i"]}}, {"LOWER": {"IN": ["do", "did", "does"]}},
                {"LOWER": {"IN": ["n't", "not"]}}]],
    "contrast_eval": [[_lemmas("positive", "upside", "benefit", "good", "advantage", "plus"),
                       {"OP": "{0,12}"}, _lemmas("negative", "downside", "cost", "bad", "disadvantage", "minus", "risk")],
                      [_lemmas("negative", "downside", "bad", "disadvantage", "minus"),
                       {"OP": "{0,12}"}, _lemmas("positive", "upside", "benefit", "good", "advantage", "plus")]],
    "silver_lining": [[{"LOWER": "silver"}, {"LOWER": "lining"}], [{"LOWER": "ironically"}],
                      [{"LOWER": "cuts"}, {"LOWER": "both"}, {"LOWER": "ways"}],
                      [{"LOWER": "could"}, {"LOWER": "go"}, {"LOWER": "either"}, {"LOWER": "way"}]],
    "idioms": [[{"LOWER": "swings"}, {"LOWER": "and"}, {"LOWER": "roundabouts"}],
               [{"LOWER": "rock"}, {"LOWER": "and"}, {"LOWER": "a"}, {"LOWER": "hard"}, {"LOWER": "place"}],
               [{"LOWER": {"IN": ["double-edged", "double"]}}, {"LOWER": {"IN": ["sword", "-", "edged"]}}],
               [{"LOWER": "torn"}]],
}

DECISION_PATTERNS = {
    "decided_to": [[_lemmas("decide", "agree", "opt", "choose", "resolve", "vote"), {"LOWER": "to"}]],
    "made_decision": [[_lemmas("make", "take"), {"LOWER": {"IN": ["the", "a"]}, "OP": "?"},
                       {"OP": "?", "POS": "ADJ"}, _lemmas("decision", "call", "choice")]],
    "stopped_doing": [[_lemmas("stop", "quit", "cease"), {"TAG": "VBG"}]],
    "started_doing": [[{"LEMMA": {"IN": ["start", "begin"]}, "TAG": {"IN": ["VBD", "VBN"]}},
                       {"TAG": {"IN": ["VBG", "TO"]}}]],
    "from_now_on": [[{"LOWER": "from"}, {"LOWER": {"IN": ["now", "then"]}}, {"LOWER": "on"}]],
    "went_with": [[{"LEMMA": "go", "TAG": {"IN": ["VBD", "VBN"]}}, {"LOWER": "with"}]],
    "ended_up": [[{"LEMMA": "end", "TAG": {"IN": ["VBD", "VBN"]}}, {"LOWER": "up"}, {"TAG": "VBG"}]],
    "put_in_place": [[{"LEMMA": "put", "TAG": {"IN": ["VBD", "VBN"]}}, {"OP": "{0,4}"}, {"LOWER": "in"}, {"LOWER": "place"}]],
    "lets": [[{"LOWER": {"IN": ["let", "lets"]}}, {"LOWER": {"IN": ["'s", "us", "’s"]}, "OP": "?"},
              {"LOWER": {"IN": ["go", "use", "have", "make", "do", "keep", "stick", "put", "take", "say", "drop",
                                "stop", "start", "agree", "decide"]}}]],
    "go_with": [[{"LOWER": {"IN": ["we", "we'll", "we're", "i"]}}, {"LOWER": {"IN": ["'ll", "will", "'re", "are", "should"]},
                 "OP": "?"}, {"LOWER": {"IN": ["going"]}, "OP": "?"}, {"LOWER": {"IN": ["to"]}, "OP": "?"},
                 {"LEMMA": {"IN": ["go", "stick", "settle", "opt"]}}, {"LOWER": {"IN": ["with", "for", "on"]}}]],
    "agreed": [[{"LOWER": {"IN": ["agreed", "decided", "settled", "sorted"]}}, {"IS_PUNCT": True}],
               [{"LOWER": {"IN": ["it", "that"]}}, {"LOWER": {"IN": ["'s", "is", "was"]}},
                {"LOWER": {"IN": ["agreed", "decided", "settled"]}}],
               [{"LOWER": "we"}, {"LOWER": "all"}, {"LOWER": "agreed"}]],
    "no_longer": [[{"LOWER": "no"}, {"LOWER": "longer"}], [{"LOWER": "do"}, {"LOWER": "not", "OP": "?"},
                                                             {"LOWER": "n't", "OP": "?"}, {"LOWER": "anymore"}]],
}

# Verbs of changing a way of working, in the past, with a "we"/team subject.
CHANGE_VERBS = ["decide", "stop", "start", "switch", "move", "introduce", "change", "scrap", "drop", "ditch",
                "adopt", "launch", "pilot", "trial", "bring", "set", "replace", "abolish", "create", "restructure",
                "merge", "split", "cut", "reduce", "shift", "redesign", "implement", "agree", "close", "open",
                "remove", "add", "recruit", "hire", "train", "give", "let", "allow", "pause", "rewrite"]
SUBJECTS = ["we", "team", "service", "council", "manager", "management", "i", "they", "department", "board"]

DECISION_DEP_PATTERNS = {
    "we_changed": [[
        {"RIGHT_ID": "verb", "RIGHT_ATTRS": {"LEMMA": {"IN": CHANGE_VERBS}, "TAG": {"IN": ["VBD", "VBN"]}}},
        {"LEFT_ID": "verb", "REL_OP": ">", "RIGHT_ID": "subject",
         "RIGHT_ATTRS": {"DEP": {"IN": ["nsubj", "nsubjpass"]}, "LOWER": {"IN": SUBJECTS}}},
    ]],
}

RATIONALE_PATTERNS = {
    "because": [[{"LOWER": {"IN": ["because", "cause", "'cause", "cos", "since"]}}]],
    "the_reason": [[{"LEMMA": "reason"}, {"LOWER": {"IN": ["was", "is", "being", "why", "for"]}}]],
    "so_that": [[{"LOWER": "so"}, {"LOWER": "that"}], [{"LOWER": "in"}, {"LOWER": "order"}, {"LOWER": "to"}]],
    "thats_why": [[{"LOWER": {"IN": ["that", "that's"]}}, {"LOWER": {"IN": ["'s", "is"]}, "OP": "?"}, {"LOWER": "why"}]],
    "due_to": [[{"LOWER": {"IN": ["due", "owing"]}}, {"LOWER": "to"}], [{"LOWER": "otherwise"}]],
    "the_idea": [[{"LOWER": "the"}, _lemmas("idea", "point", "thinking", "logic", "aim", "goal"),
                  {"LOWER": {"IN": ["was", "is", "being"]}}]],
}


@lru_cache(maxsize=4)
def _matchers(vocab_id: int, vocab):
    from spacy.matcher import DependencyMatcher, Matcher

    built = {}
    for kind, patterns in (("dilemma", DILEMMA_PATTERNS), ("decision", DECISION_PATTERNS),
                           ("rationale", RATIONALE_PATTERNS)):
        matcher = Matcher(vocab)
        for name, pattern_list in patterns.items():
            matcher.add(name, pattern_list)
        built[kind] = matcher
    dep = DependencyMatcher(vocab)
    for name, pattern_list in DECISION_DEP_PATTERNS.items():
        dep.add(name, pattern_list)
    built["decision_dep"] = dep
    return built


def cue_names(span, matchers) -> dict[str, list[str]]:
    """Names of the cues of each kind that fire in `span` (a spaCy Span)."""
    doc = span.as_doc()
    vocab = doc.vocab
    found = {kind: sorted({vocab.strings[m_id] for m_id, _, _ in matchers[kind](doc)})
             for kind in ("dilemma", "decision", "rationale")}
    dep_hits = matchers["decision_dep"](doc)
    if dep_hits:
        found["decision"] = sorted(set(found["decision"]) | {vocab.strings[m_id] for m_id, _ in dep_hits})
    return found


def detect_signals(quotes: pd.DataFrame, docs: list, config: SignalsConfig) -> pd.DataFrame:
    """Add is_dilemma, is_decision, is_rationale (0/1) and the cue names to a copy of `quotes`."""
    schema.require_columns(quotes, [schema.CHAR_START, schema.CHAR_END, "_doc"], "signals")
    out = quotes.copy()
    flags = {schema.IS_DILEMMA: [], schema.IS_DECISION: [], schema.IS_RATIONALE: []}
    cues = []
    for start, end, position in zip(quotes[schema.CHAR_START], quotes[schema.CHAR_END], quotes["_doc"]):
        doc = docs[position]
        span = doc.char_span(int(start), int(end), alignment_mode="expand")
        found = cue_names(span, _matchers(id(doc.vocab), doc.vocab)) if span is not None else {
            "dilemma": [], "decision": [], "rationale": []}
        flags[schema.IS_DILEMMA].append(int(bool(found["dilemma"])))
        flags[schema.IS_DECISION].append(int(bool(found["decision"])))
        flags[schema.IS_RATIONALE].append(int(bool(found["rationale"])))
        cues.append("; ".join(f"{k}:{c}" for k in ("dilemma", "decision", "rationale") for c in found[k]))
    for column, values in flags.items():
        out[column] = pd.Series(values, index=out.index, dtype="int64")
    out["cues"] = cues
    out[schema.RATIONALE_QUOTE_ID] = _pair_rationales(out, config.rationale_window)
    logger.info("signals: %d dilemmas, %d decisions, %d rationales among %d quotes",
                sum(flags[schema.IS_DILEMMA]), sum(flags[schema.IS_DECISION]),
                sum(flags[schema.IS_RATIONALE]), len(out))
    return out


def _pair_rationales(quotes: pd.DataFrame, window: int) -> list[str]:
    """For each decision, the quote id of its stated reason: itself or one of the next `window` units."""
    paired = [""] * len(quotes)
    for _, group in quotes.groupby(schema.TRANSCRIPT_ID, sort=False):
        positions = list(group.index)
        for i, row_index in enumerate(positions):
            if not quotes.at[row_index, schema.IS_DECISION]:
                continue
            for candidate in positions[i:i + window + 1]:
                if quotes.at[candidate, schema.IS_RATIONALE]:
                    paired[quotes.index.get_loc(row_index)] = quotes.at[candidate, schema.QUOTE_ID]
                    break
    return paired

"""Flag quote units that voice a dilemma, a decision, or the reason for one.

Cues are spaCy `Matcher` patterns over lemmas (so "chose", "choosing" and
"choose" are one cue) and `DependencyMatcher` patterns over the parse (a
first-person-plural or team subject whose verb is a change: "we stopped
doing", "the team moved to"). Patterns, not keywords: "decide" in "it's hard
to decide" is not a decision, "we decided to" is.

A reason is often given without a cue word, because the interviewer asked
for one: "Why apprentices, rather than agency drivers?" So the first units
of an answer to a question that asks why (`WHY_PROMPT_PATTERNS`, in the
question's last sentence) are reasons too, with the cue `answers_why`.
"""
from __future__ import annotations

import logging
from functools import lru_cache

import pandas as pd

from . import schema
from .config import SignalsConfig
from .segment import preceding_prompts

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
    # Weighing one side against the other, in the words people use for it.
    "but_equally": [[{"LOWER": {"IN": ["but", "and", "yet"]}}, {"LOWER": "at"}, {"LOWER": "the"}, {"LOWER": "same"},
                     {"LOWER": "time"}],
                    [{"LOWER": "but"}, {"LOWER": {"IN": ["equally", "conversely"]}}],
                    [{"LOWER": {"IN": ["but", "and"]}}, {"LOWER": "then"}, {"LOWER": "again"}],
                    [{"LOWER": "having"}, {"LOWER": "said"}, {"LOWER": "that"}],
                    [{"LOWER": "that"}, {"LOWER": "said"}, {"IS_PUNCT": True}]],
    # Two courses set side by side as a question: "do I stick to the process, or do I ...?"
    "or_do_we": [[{"LOWER": "or"}, {"LOWER": {"IN": ["do", "should", "shall", "would", "can", "could"]}},
                  {"LOWER": {"IN": ["i", "we", "you", "they"]}}],
                 [{"LOWER": "whether"}, {"LOWER": "to"}, {"OP": "{1,8}", "IS_PUNCT": False}, {"LOWER": "or"},
                  {"LOWER": {"NOT_IN": ["not"]}}]],
    "both_right": [[{"LOWER": "both"}, {"LEMMA": "be"}, {"LOWER": {"IN": ["right", "wrong", "true", "valid", "fair"]}}],
                   [{"LOWER": "they"}, {"LEMMA": "be"}, {"LOWER": "both"},
                    {"LOWER": {"IN": ["right", "wrong", "true", "valid", "fair"]}}]],
    "idioms": [[{"LOWER": "swings"}, {"LOWER": "and"}, {"LOWER": "roundabouts"}],
               [{"LOWER": "rock"}, {"LOWER": "and"}, {"LOWER": "a"}, {"LOWER": "hard"}, {"LOWER": "place"}],
               [{"LOWER": {"IN": ["double-edged", "double"]}}, {"LOWER": {"IN": ["sword", "-", "edged"]}}],
               [{"LOWER": "torn"}]],
}

_TEAM_DOER = {"LOWER": {"IN": ["we", "i", "team", "service", "council", "management", "department", "board"]}}

DECISION_PATTERNS = {
    "decided_to": [[_lemmas("decide", "agree", "opt", "choose", "resolve", "vote"), {"LOWER": "to"}]],
    "made_decision": [[_lemmas("make", "take"), {"LOWER": {"IN": ["the", "a"]}, "OP": "?"},
                       {"OP": "?", "POS": "ADJ"}, _lemmas("decision", "call", "choice")]],
    # With the team as the doer: "the repairs stopped coming in", "our drivers started leaving" are
    # things that happened to it, not decisions.
    "stopped_doing": [[_TEAM_DOER, {"POS": "ADV", "OP": "{0,2}"}, _lemmas("stop", "quit", "cease"), {"TAG": "VBG"}]],
    "started_doing": [[_TEAM_DOER, {"POS": "ADV", "OP": "{0,2}"},
                       {"LEMMA": {"IN": ["start", "begin"]}, "TAG": {"IN": ["VBD", "VBN"]}},
                       {"TAG": {"IN": ["VBG", "TO"]}}]],
    "from_now_on": [[{"LOWER": "from"}, {"LOWER": {"IN": ["now", "then"]}}, {"LOWER": "on"}]],
    "went_with": [[{"LEMMA": "go", "TAG": {"IN": ["VBD", "VBN"]}}, {"LOWER": {"IN": ["with", "for"]}}]],
    # A new rule of work, told as what people may now do: "officers can now spend up to 250 pounds".
    "can_now": [[{"LOWER": {"IN": ["can", "could"]}}, {"LOWER": "now"}, {"POS": "VERB"}]],
    "took_on": [[{"LOWER": {"IN": ["we", "i", "they"]}}, {"LEMMA": "take", "TAG": "VBD"},
                 {"LOWER": {"IN": ["on", "over"]}}]],
    "what_we_did": [[{"LOWER": "what"}, {"LOWER": {"IN": ["we", "i", "they"]}}, {"LEMMA": "do", "TAG": "VBD"},
                     {"LOWER": {"IN": ["was", "is"]}}]],
    "got_them_to_agree": [[{"LOWER": {"IN": ["we", "i"]}}, {"LEMMA": "get", "TAG": "VBD"}, {"OP": "{1,3}"},
                           {"LOWER": "to"}, _lemmas("agree", "approve", "sign", "fund")]],
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

# The same verbs under a modal, "get" or "if" tell of no decision taken: "I'll get started",
# "if we moved away from it", "we could switch". A `we_changed` match whose verb is hedged
# so within the unit does not count.
HEDGE_DEP_PATTERNS = {
    "hedged": [
        [{"RIGHT_ID": "verb", "RIGHT_ATTRS": {"LEMMA": {"IN": CHANGE_VERBS}}},
         {"LEFT_ID": "verb", "REL_OP": ">", "RIGHT_ID": "hedge",
          "RIGHT_ATTRS": {"DEP": {"IN": ["aux", "auxpass"]},
                          "LEMMA": {"IN": ["will", "would", "could", "should", "might", "may", "shall", "can",
                                           "get"]}}}],
        [{"RIGHT_ID": "verb", "RIGHT_ATTRS": {"LEMMA": {"IN": CHANGE_VERBS}}},
         {"LEFT_ID": "verb", "REL_OP": ">", "RIGHT_ID": "hedge",
          "RIGHT_ATTRS": {"DEP": {"IN": ["mark"]}, "LOWER": {"IN": ["if", "unless", "whether"]}}}],
    ],
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


# An interviewer's question that asks for a reason ("Why apprentices?", "What made you
# start questioning it?", "And the reasoning for putting damp first?").
WHY_PROMPT_PATTERNS = {
    "why": [[{"LOWER": "why"}], [{"LOWER": "how"}, {"LOWER": "come"}]],
    "what_made": [[{"LOWER": "what"}, _lemmas("make", "lead", "drive", "prompt", "push", "convince")],
                  [{"LOWER": "what"}, {"LEMMA": "be"}, {"LOWER": "behind"}]],
    "the_reason": [[_lemmas("reason", "reasoning", "rationale", "motivation")],
                   [{"LOWER": "the"}, {"LOWER": "thinking"}]],
}
WHY_CUE = "answers_why"

KINDS = ("dilemma", "decision", "rationale")
_MATCHER_PATTERNS = (("dilemma", DILEMMA_PATTERNS), ("decision", DECISION_PATTERNS), ("rationale", RATIONALE_PATTERNS))


# Matching runs once per Doc and a unit keeps the matches lying wholly inside
# it (`doc_cue_names`), which is what matching a copy of the unit alone
# (`Span.as_doc`) gives only for patterns that read what `as_doc` copies
# unchanged. `as_doc` keeps each token's text, lexical flags, tag, POS and
# lemma, but gives a token whose head lies outside the span an in-span head
# and the label "dep". So: token patterns may test only the attributes below;
# dependency links must be parent > child (or child < parent) with the child
# required to carry a label other than "dep" (an in-span child with such a
# label kept its head), and only such children may test DEP. Checked when the
# matchers are built, so a new pattern cannot silently change the results.
_SPAN_SAFE_ATTRS = frozenset({"OP", "ORTH", "TEXT", "LOWER", "IS_PUNCT", "LEMMA", "TAG", "POS"})


def _check_span_safe(token_patterns: dict, dep_patterns: dict) -> None:
    """Raise ValueError for a pattern whose matches on a span's copy could differ from the Doc's inside the span."""
    for name, pattern_list in token_patterns.items():
        for pattern in pattern_list:
            for token_spec in pattern:
                if not set(token_spec) <= _SPAN_SAFE_ATTRS:
                    raise ValueError(f"cue {name!r} tests {sorted(set(token_spec) - _SPAN_SAFE_ATTRS)}, which "
                                     "Span.as_doc may change; per-Doc matching would not equal per-unit matching")
    for name, pattern_list in dep_patterns.items():
        for pattern in pattern_list:
            attrs = {node["RIGHT_ID"]: node["RIGHT_ATTRS"] for node in pattern}
            children = set()
            for node in pattern[1:]:
                if node["REL_OP"] not in (">", "<"):
                    raise ValueError(f"cue {name!r} uses REL_OP {node['REL_OP']!r}; only > and < are span-safe")
                children.add(node["RIGHT_ID"] if node["REL_OP"] == ">" else node["LEFT_ID"])
            for node_id, node_attrs in attrs.items():
                if not set(node_attrs) <= _SPAN_SAFE_ATTRS | {"DEP"}:
                    raise ValueError(f"cue {name!r} node {node_id!r} tests attributes Span.as_doc may change")
                dep = node_attrs.get("DEP")
                if node_id not in children:
                    if dep is not None:
                        raise ValueError(f"cue {name!r} node {node_id!r} tests DEP but is no link's child")
                    continue
                labels = [dep] if isinstance(dep, str) else dep.get("IN") if isinstance(dep, dict) else None
                if not labels or "dep" in labels or (isinstance(dep, dict) and set(dep) != {"IN"}):
                    raise ValueError(f"cue {name!r} node {node_id!r} must require DEP labels other than 'dep'")


@lru_cache(maxsize=4)
def _matchers(vocab_id: int, vocab):
    from spacy.matcher import DependencyMatcher, Matcher

    _check_span_safe({name: pattern_list for _, patterns in _MATCHER_PATTERNS
                      for name, pattern_list in patterns.items()}, {**DECISION_DEP_PATTERNS, **HEDGE_DEP_PATTERNS})
    built = {}
    for kind, patterns in _MATCHER_PATTERNS:
        matcher = Matcher(vocab)
        for name, pattern_list in patterns.items():
            matcher.add(name, pattern_list)
        built[kind] = matcher
    dep = DependencyMatcher(vocab)
    for name, pattern_list in DECISION_DEP_PATTERNS.items():
        dep.add(name, pattern_list)
    built["decision_dep"] = dep
    hedge = DependencyMatcher(vocab)
    for name, pattern_list in HEDGE_DEP_PATTERNS.items():
        hedge.add(name, pattern_list)
    built["hedge_dep"] = hedge
    return built


# --- A cheap test of whether a matcher can fire on a Doc at all ---------------
# Matching is the cost of this stage (spaCy evaluates every "IN" predicate on
# every token, in Python), yet most turns hold no cue. Every token of a
# pattern that has no "OP" must match some token of the Doc, so a pattern
# cannot match a Doc none of whose tokens has a LOWER (or LEMMA) value that
# one of those tokens requires, and a matcher none of whose patterns can match
# need not run. This is a necessary condition only (other tests such as TAG,
# POS or optional tokens are ignored): it never skips a Doc the matcher could
# match, so the output is the same as always running it.
#
# Each distinct required test ("LOWER in {...}", "LEMMA in {...}") is one bit;
# a Doc's mask has the bits of the tests some token of it passes, and a
# pattern can match only if its mask (the bits of its required tests) is
# contained in the Doc's.

_COLUMNS = ("LOWER", "LEMMA")  # the attributes the test reads, in `_doc_mask`'s order


def _required_tests(pattern: list[dict]) -> list[tuple[str, frozenset]]:
    """(attribute, allowed values) of the LOWER/LEMMA tests every match of `pattern` must pass on some token."""
    tests = []
    for token_spec in pattern:
        # A DependencyMatcher node holds its token pattern under RIGHT_ATTRS; every node is required.
        attrs = token_spec.get("RIGHT_ATTRS", token_spec)
        if "OP" in attrs:  # optional, repeated or negated: proves nothing
            continue
        for attr, value in attrs.items():
            if attr not in _COLUMNS:
                continue
            if isinstance(value, str):
                tests.append((attr, frozenset([value])))
            elif isinstance(value, dict) and set(value) == {"IN"}:
                tests.append((attr, frozenset(value["IN"])))
    return tests


@lru_cache(maxsize=4)
def _prefilter(vocab_id: int, vocab) -> tuple[tuple[dict, dict], dict[str, list[int]]]:
    """Bits of each (LOWER, LEMMA) string hash, and the masks of the patterns of each matcher of `_matchers`."""
    test_bits: dict[tuple[str, frozenset], int] = {}
    value_bits: tuple[dict, dict] = ({}, {})
    pattern_masks: dict[str, list[int]] = {}
    groups = list(_MATCHER_PATTERNS) + [("decision_dep", DECISION_DEP_PATTERNS)]
    for matcher_name, patterns in groups:
        masks = pattern_masks.setdefault(matcher_name, [])
        for pattern_list in patterns.values():
            for pattern in pattern_list:
                mask = 0
                for attr, values in _required_tests(pattern):
                    if (attr, values) not in test_bits:
                        bit = test_bits[(attr, values)] = 1 << len(test_bits)
                        column = value_bits[_COLUMNS.index(attr)]
                        for value in values:
                            key = vocab.strings[value]
                            column[key] = column.get(key, 0) | bit
                    mask |= test_bits[(attr, values)]
                masks.append(mask)
    return value_bits, pattern_masks


def _doc_mask(doc, value_bits: tuple[dict, dict]) -> int:
    """The bits of the required tests that some token of `doc` passes."""
    from spacy.attrs import LEMMA, LOWER

    if not len(doc):
        return 0
    array = doc.to_array([LOWER, LEMMA])
    mask = 0
    for column, bits in enumerate(value_bits):
        for key in set(array[:, column].tolist()):
            mask |= bits.get(key, 0)
    return mask


def _can_match(pattern_masks: list[int], doc_mask: int) -> bool:
    return any(mask & doc_mask == mask for mask in pattern_masks)


# --- Matching once per Doc ------------------------------------------------------

def doc_cue_names(doc, token_ranges: list[tuple[int, int]], vocab_matchers=None) -> list[dict[str, list[str]]]:
    """Names of the cues of each kind that fire in each `doc[start:end]` of `token_ranges`.

    Same result as matching each span on its own (`span.as_doc()`, as this
    stage used to), with the matchers run once over the whole Doc:

    - a token `Matcher` match depends only on the tokens it covers, whose
      tested attributes `as_doc` copies unchanged, so the span's matches are
      the Doc's matches that lie wholly inside the span;
    - `as_doc` gives a token whose head is outside the span an in-span head
      and the label "dep", so on the span copy a parent > child link whose
      child must be e.g. `nsubj` (`we_changed`) is exactly a Doc link with
      both tokens inside the span (an in-span subject keeps head and label);
    - a hedge (`HEDGE_DEP_PATTERNS`, a modal or "if" on the verb) cancels a
      dependency match only when it too lies inside the span, as on the copy.

    `_check_span_safe` holds every pattern to these conditions, and
    `tests/test_signals.py` checks the result against per-span matching.
    """
    if vocab_matchers is None:
        vocab_matchers = (_matchers(id(doc.vocab), doc.vocab), _prefilter(id(doc.vocab), doc.vocab))
    matchers, (value_bits, pattern_masks) = vocab_matchers
    strings = doc.vocab.strings
    doc_mask = _doc_mask(doc, value_bits)
    hits = []  # (kind, name, first token, end token)
    for kind in KINDS:
        if _can_match(pattern_masks[kind], doc_mask):
            hits.extend((kind, strings[m_id], start, end) for m_id, start, end in matchers[kind](doc))
    hedges = []  # (verb, first token, end token) of each hedged change verb
    if _can_match(pattern_masks["decision_dep"], doc_mask):
        dep_hits = matchers["decision_dep"](doc)
        if dep_hits:
            hedges = [(tokens[0], min(tokens), max(tokens) + 1) for _, tokens in matchers["hedge_dep"](doc)]
        # The verb (the pattern's first node) rides along, so a hedge on it can cancel the match.
        hits.extend(("decision", strings[m_id], min(tokens), max(tokens) + 1, tokens[0]) for m_id, tokens in dep_hits)
    found = []
    for span_start, span_end in token_ranges:
        names = {kind: set() for kind in KINDS}
        hedged = {verb for verb, start, end in hedges if span_start <= start and end <= span_end}
        for kind, name, start, end, *verb in hits:
            if span_start <= start and end <= span_end and not (verb and verb[0] in hedged):
                names[kind].add(name)
        found.append({kind: sorted(names[kind]) for kind in KINDS})
    return found


def cue_names(span, matchers=None) -> dict[str, list[str]]:
    """Names of the cues of each kind that fire in `span` (a spaCy Span)."""
    doc = span.doc
    if matchers is not None:
        matchers = (matchers, _prefilter(id(doc.vocab), doc.vocab))
    return doc_cue_names(doc, [(span.start, span.end)], matchers)[0]


def detect_signals(quotes: pd.DataFrame, docs: list, config: SignalsConfig,
                   turns: pd.DataFrame | None = None) -> pd.DataFrame:
    """Add is_dilemma, is_decision, is_rationale (0/1) and the cue names to a copy of `quotes`.

    With `turns` (the table `docs` was parsed from, interviewer turns
    included), the first `config.why_answer_units` units answering a
    question that asks why are reasons too (`answers_why`).
    """
    schema.require_columns(quotes, [schema.CHAR_START, schema.CHAR_END, "_doc"], "signals")
    out = quotes.copy()
    # Token ranges of the units, grouped by the Doc (turn) they come from, so
    # each Doc is matched once however many units it holds.
    no_cues = {kind: [] for kind in KINDS}
    found: list[dict[str, list[str]]] = [no_cues] * len(quotes)
    by_doc: dict[int, list[tuple[int, tuple[int, int]]]] = {}
    for row, (start, end, position) in enumerate(zip(quotes[schema.CHAR_START], quotes[schema.CHAR_END],
                                                      quotes["_doc"])):
        span = docs[position].char_span(int(start), int(end), alignment_mode="expand")
        if span is not None:
            by_doc.setdefault(position, []).append((row, (span.start, span.end)))
    for position, units in by_doc.items():
        doc = docs[position]
        vocab_matchers = (_matchers(id(doc.vocab), doc.vocab), _prefilter(id(doc.vocab), doc.vocab))
        for (row, _), names in zip(units, doc_cue_names(doc, [r for _, r in units], vocab_matchers)):
            found[row] = names
    if turns is not None and config.why_answer_units > 0:
        for row in answers_to_why(quotes, docs, turns, config.why_answer_units):
            found[row] = {**found[row], "rationale": sorted({*found[row]["rationale"], WHY_CUE})}
    flags = {schema.IS_DILEMMA: [int(bool(f["dilemma"])) for f in found],
             schema.IS_DECISION: [int(bool(f["decision"])) for f in found],
             schema.IS_RATIONALE: [int(bool(f["rationale"])) for f in found]}
    for column, values in flags.items():
        out[column] = pd.Series(values, index=out.index, dtype="int64")
    out["cues"] = ["; ".join(f"{k}:{c}" for k in KINDS for c in f[k]) for f in found]
    out[schema.RATIONALE_QUOTE_ID] = _pair_rationales(out, config.rationale_window)
    logger.info("signals: %d dilemmas, %d decisions, %d rationales among %d quotes",
                sum(flags[schema.IS_DILEMMA]), sum(flags[schema.IS_DECISION]),
                sum(flags[schema.IS_RATIONALE]), len(out))
    return out


def answers_to_why(quotes: pd.DataFrame, docs: list, turns: pd.DataFrame, n_units: int) -> list[int]:
    """Row positions of the first `n_units` quote units answering each interviewer question that asks why.

    A question asks why when a `WHY_PROMPT_PATTERNS` cue lies in the last
    sentence of the interviewer's turn and that sentence ends as a question
    ("?") or trails off for the participant to finish ("So the reason was...").
    A turn that only mentions reasons ("the choices you made and why.") does
    not count.
    """
    prompts = preceding_prompts(quotes, turns)
    asks_why: dict[int, bool] = {}
    answers: dict[int, list[tuple[int, int, int]]] = {}
    for row, (prompt, turn, start) in enumerate(zip(prompts, quotes[schema.TURN], quotes[schema.CHAR_START])):
        if prompt is None:
            continue
        if prompt not in asks_why:
            doc = docs[prompt]
            last = list(doc.sents)[-1] if len(doc) and doc.has_annotation("SENT_START") else doc[:]
            ending = last.text.rstrip()
            matcher = _why_matcher(id(doc.vocab), doc.vocab)
            asks_why[prompt] = ending.endswith(("?", "...", "\u2026")) and bool(matcher(last))
        if asks_why[prompt]:
            answers.setdefault(prompt, []).append((int(turn), int(start), row))
    return sorted(row for units in answers.values() for _, _, row in sorted(units)[:n_units])


@lru_cache(maxsize=4)
def _why_matcher(vocab_id: int, vocab):
    from spacy.matcher import Matcher

    matcher = Matcher(vocab)
    for name, pattern_list in WHY_PROMPT_PATTERNS.items():
        matcher.add(name, pattern_list)
    return matcher


def _pair_rationales(quotes: pd.DataFrame, window: int) -> list[str]:
    """For each decision, the quote id of its stated reason: the nearest reason within `window` units.

    Itself first, then outwards, the unit after before the unit before: a
    reason follows its decision ("... because ...", the answer to "Why?") or
    comes just before it ("We were losing a third of them. So we ...").
    """
    # Plain lists by row position rather than `DataFrame.at` per row: the same
    # walk, without pandas' per-lookup cost.
    is_decision = quotes[schema.IS_DECISION].tolist()
    is_rationale = quotes[schema.IS_RATIONALE].tolist()
    quote_ids = quotes[schema.QUOTE_ID].tolist()
    paired = [""] * len(quotes)
    for rows in quotes.groupby(schema.TRANSCRIPT_ID, sort=False).indices.values():
        rows = rows.tolist()  # row positions of one transcript, in table order
        for i, row in enumerate(rows):
            if not is_decision[row]:
                continue
            nearest_first = [i] + [j for d in range(1, window + 1) for j in (i + d, i - d) if 0 <= j < len(rows)]
            for candidate in (rows[j] for j in nearest_first):
                if is_rationale[candidate]:
                    paired[row] = quote_ids[candidate]
                    break
    return paired

"""The cue patterns of the signals stage, as data: what a dilemma, a decision and a reason sound like.

Token patterns for spaCy's `Matcher` over lemmas, and dependency patterns
for its `DependencyMatcher` over the parse. `cues` builds the matchers and
checks that every pattern is span-safe; `detect` applies them.
"""
from __future__ import annotations


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
                "remove", "add", "recruit", "hire", "train", "give", "let", "allow", "pause", "rewrite",
                "cap", "limit", "flip", "require", "ban", "extend", "halve", "double", "freeze"]
SUBJECTS = ["we", "team", "service", "council", "manager", "management", "i", "they", "department", "board"]

_TEAM_SUBJECT = {"DEP": {"IN": ["nsubj", "nsubjpass"]}, "LOWER": {"IN": SUBJECTS}}


def _taken_away(via_object: bool) -> list[dict]:
    """Something taken away from the way of working: "we took names off the board"; via the object
    where the parser hangs "off" under it: "we took handling time off the wallboard"."""
    nodes = [{"RIGHT_ID": "verb", "RIGHT_ATTRS": {"LEMMA": "take", "TAG": {"IN": ["VBD", "VBN"]}}},
             {"LEFT_ID": "verb", "REL_OP": ">", "RIGHT_ID": "subject", "RIGHT_ATTRS": _TEAM_SUBJECT}]
    if via_object:
        nodes.append({"LEFT_ID": "verb", "REL_OP": ">", "RIGHT_ID": "object",
                      "RIGHT_ATTRS": {"DEP": {"IN": ["dobj", "xcomp"]}}})
    nodes.append({"LEFT_ID": "object" if via_object else "verb", "REL_OP": ">", "RIGHT_ID": "away",
                  "RIGHT_ATTRS": {"DEP": {"IN": ["prt", "prep", "advmod"]}, "LOWER": {"IN": ["off", "out", "away"]}}})
    return nodes


DECISION_DEP_PATTERNS = {
    "we_changed": [
        [{"RIGHT_ID": "verb", "RIGHT_ATTRS": {"LEMMA": {"IN": CHANGE_VERBS}, "TAG": {"IN": ["VBD", "VBN"]}}},
         {"LEFT_ID": "verb", "REL_OP": ">", "RIGHT_ID": "subject", "RIGHT_ATTRS": _TEAM_SUBJECT}],
        _taken_away(via_object=False),
        _taken_away(via_object=True),
    ],
}

# The same verbs under a modal, "get" or "if" tell of no decision taken: "I'll get started",
# "if we moved away from it", "we could switch". A `we_changed` match whose verb is hedged
# so within the unit does not count.
HEDGE_DEP_PATTERNS = {
    "hedged": [
        [{"RIGHT_ID": "verb", "RIGHT_ATTRS": {"LEMMA": {"IN": [*CHANGE_VERBS, "take"]}}},
         {"LEFT_ID": "verb", "REL_OP": ">", "RIGHT_ID": "hedge",
          "RIGHT_ATTRS": {"DEP": {"IN": ["aux", "auxpass"]},
                          "LEMMA": {"IN": ["will", "would", "could", "should", "might", "may", "shall", "can",
                                           "get"]}}}],
        [{"RIGHT_ID": "verb", "RIGHT_ATTRS": {"LEMMA": {"IN": [*CHANGE_VERBS, "take"]}}},
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

# Cues by which a speaker names a reason as such ("the reason was", "that's why", "the idea was"),
# where "because" or "so that" may explain anything: a decision's reason is looked for among these
# first, after a principle (dilemmas/decisions.py).
NAMED_REASON_CUES = ("the_reason", "thats_why", "the_idea")


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

# An interviewer's question that asks what the team did about it: the consultant's method goes back
# to the decision point ("So what did you do?", "What did you change?", "What did you end up doing?",
# "How did you go about changing it?", "Where did you land?"). The answer states the decision,
# often without a cue word ("We did two things. On the ward, we now ask ...").
# Who did it: "you", "you guys", "your team", "the service", "they".
_WHO = [{"LOWER": {"IN": ["your", "the"]}, "OP": "?"},
        {"LOWER": {"IN": ["you", "ye", "y'all", "they", "we", "team", "service", "department", "council"]}},
        {"LOWER": {"IN": ["guys", "all", "lot", "folks"]}, "OP": "?"},
        {"POS": "ADV", "OP": "?"}]  # "what did you actually do", "what did you then do"
# Past or perfect only: "What do you do?" asks for a job, "What did you do?" for an action.
_DID = {"LOWER": {"IN": ["did", "have", "'ve", "has"]}}
_ACTED = _lemmas("do", "change", "try", "decide", "agree", "introduce", "settle", "land", "choose", "put",
                 "fix", "solve", "tackle", "handle", "address", "resolve", "sort", "deal", "respond", "react",
                 "manage")
CHANGE_PROMPT_PATTERNS = {
    "what_did_you_do": [[{"LOWER": "what"}, _DID, *_WHO, {"LOWER": "end", "OP": "?"},
                         {"LOWER": "up", "OP": "?"}, _ACTED]],
    "how_did_you": [[{"LOWER": "how"}, _DID, *_WHO, {"LOWER": {"IN": ["go", "set"]}, "OP": "?"},
                     {"LOWER": "about", "OP": "?"}, _ACTED]],
    "what_changed": [[{"LOWER": "what"}, {"LOWER": {"IN": ["has", "have", "'s", "'ve"]}, "OP": "?"},
                      {"LOWER": {"IN": ["changed", "change"]}}]],
    "where_did_you_land": [[{"LOWER": "where"}, _DID, *_WHO, _lemmas("land", "end")]],
    "the_outcome": [[{"LOWER": "what"}, {"LEMMA": "be"}, {"LOWER": "the"},
                     _lemmas("outcome", "decision", "solution", "fix", "answer", "upshot", "result")]],
}
CHANGE_CUE = "answers_change"

KINDS = ("dilemma", "decision", "rationale")
MATCHER_PATTERNS = (("dilemma", DILEMMA_PATTERNS), ("decision", DECISION_PATTERNS), ("rationale", RATIONALE_PATTERNS))

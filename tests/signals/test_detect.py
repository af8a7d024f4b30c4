import pytest
from helpers import make_turns

from pipeline import schema
from pipeline.anonymise import anonymise
from pipeline.config import load_config
from pipeline.segment import segment
from pipeline.signals import cues, detect_signals, patterns

P, I = schema.ROLE_PARTICIPANT, schema.ROLE_INTERVIEWER


def _signals(nlp, texts):
    config = load_config()
    turns = make_turns([("a.txt", "Priya Shah", schema.ROLE_PARTICIPANT, "x", t) for t in texts])
    docs = list(nlp.pipe(turns[schema.TEXT]))
    anonymised = anonymise(turns, docs, config.anonymise)
    quotes = segment(anonymised.turns, anonymised.docs, config.segment)
    return detect_signals(quotes, anonymised.docs, config.signals)


@pytest.mark.parametrize("text", [
    "We had to choose between answering the phones and clearing the casework backlog.",
    "On the one hand people want it online, on the other hand half our tenants have no broadband.",
    "It's a constant balancing act between speed and getting it right for the family.",
    "There's a real tension there, because sharing the data helps but consent matters too.",
    "You're always torn between the target and what the resident actually needs.",
])
def test_dilemmas_are_flagged(nlp, text):
    assert _signals(nlp, [text])[schema.IS_DILEMMA].tolist() == [1]


@pytest.mark.parametrize("text", [
    "So in the end we decided to close the phone lines on Wednesday afternoons.",
    "We stopped using agency staff for the night shifts altogether last spring.",
    "The team moved to a triage rota so that urgent calls got picked up first.",
    "We made the call to drop the second sign-off for anything under two hundred pounds.",
    "Officers can now spend up to two hundred and fifty pounds per case without any sign-off.",
    "Second, we took on four newly qualified social workers, all at once, on the same day.",
    "We got HR to agree an extra payment on top of the grade for the surveyors we kept.",
    "What we did was move every residential round to start after seven in the morning.",
    "In the end we went for apprentices rather than recruiting experienced drivers from agencies.",
    "But in the end we took handling time off the wallboard completely, and nobody missed it.",
    "So we capped it at two agency surveyors, and that is for covering sickness and peaks only.",
])
def test_decisions_are_flagged(nlp, text):
    assert _signals(nlp, [text])[schema.IS_DECISION].tolist() == [1]


@pytest.mark.parametrize("text", [
    "It was a lovely morning and the car park was completely full again today.",
    "I have worked in the housing team for about eleven years now, give or take.",
    "It's hard to decide what to have for lunch when the canteen is closed.",
    "Right, I'll get started on the minutes for the meeting as soon as we finish.",
    "If we switched the rota to triage, would anybody on the floor even notice it?",
    "The new library opened at the same time as the contact centre, back in the spring of that year.",
    "So our drivers started leaving for the supermarkets, and the repairs stopped coming in as well.",
    "I honestly don't know whether or not they came to the drop-in session at the library that week.",
    "If we took the target off the wallboard, would anybody on the floor even notice the difference?",
])
def test_ordinary_speech_is_neither(nlp, text):
    flags = _signals(nlp, [text])
    assert flags[schema.IS_DILEMMA].tolist() == [0]
    assert flags[schema.IS_DECISION].tolist() == [0]


def test_a_decision_is_paired_with_the_reason_that_follows(nlp):
    quotes = _signals(nlp, [("So we decided to close the phone lines on Wednesday afternoons for a trial. "
                             "The reason was that officers could never finish a case without interruptions.")])
    decision = quotes[quotes[schema.IS_DECISION] == 1].iloc[0]
    rationale = quotes[quotes[schema.IS_RATIONALE] == 1].iloc[0]
    assert decision[schema.RATIONALE_QUOTE_ID] == rationale[schema.QUOTE_ID]


def test_a_reason_told_just_before_the_decision_is_paired_when_none_follows(nlp):
    quotes = _signals(nlp, ["Nobody could ever finish a case, because the phones rang all day long without a break.",
                            "So in the end we decided to close the phone lines on Wednesday afternoons.",
                            "It was a lovely morning and the car park was completely full again today."])
    assert quotes[schema.IS_DECISION].tolist() == [0, 1, 0]
    assert quotes[schema.RATIONALE_QUOTE_ID].tolist()[1] == quotes[schema.QUOTE_ID].iloc[0]


def _interview(nlp, rows):
    config = load_config()
    turns = make_turns(rows)
    docs = list(nlp.pipe(turns[schema.TEXT]))
    anonymised = anonymise(turns, docs, config.anonymise)
    quotes = segment(anonymised.turns, anonymised.docs, config.segment)
    return detect_signals(quotes, anonymised.docs, config.signals, turns=anonymised.turns)


ANSWER = ("The drivers we trained up ourselves, from the loaders on the rounds, tended to stay with us for years and years. "
          "Agency drivers came and went every few weeks, cost us nearly double, and honestly they never properly learned the rounds at all. "
          "The depot has got a new roof as well this year, which has nothing whatsoever to do with any of it really.")


@pytest.mark.parametrize("question", ["Why apprentices, rather than recruiting experienced drivers?",
                                      "That's interesting. So what made you go down that route?",
                                      "And the reasoning behind that was..."])
def test_the_first_units_answering_a_why_question_are_reasons(nlp, question):
    quotes = _interview(nlp, [("a.txt", "Helen Marsh", I, "x", question), ("a.txt", "Priya Shah", P, "waste", ANSWER)])
    assert len(quotes) == 3
    assert quotes[schema.IS_RATIONALE].tolist() == [1, 1, 0]
    assert all("rationale:answers_why" in cues for cues in quotes["cues"][:2])


@pytest.mark.parametrize("question", ["So tell me about the drivers and the depot.",
                                      "I'm asking everyone about the changes they made and why."])
def test_answers_to_other_questions_are_not_reasons_by_position(nlp, question):
    quotes = _interview(nlp, [("a.txt", "Helen Marsh", I, "x", question), ("a.txt", "Priya Shah", P, "waste", ANSWER)])
    assert quotes[schema.IS_RATIONALE].tolist() == [0, 0, 0]


@pytest.mark.parametrize("question", ["So what did you do?", "Right. And what did you end up doing?",
                                      "What did you change?", "How did you go about changing it?",
                                      "What has changed since then?", "So where did you land?",
                                      "And what was the outcome...", "What did you guys end up doing?",
                                      "And what did your team actually do about it?", "How did you deal with that?",
                                      "What's changed?"])
def test_the_first_unit_answering_what_the_team_did_is_a_decision(nlp, question):
    quotes = _interview(nlp, [("a.txt", "Helen Marsh", I, "x", question), ("a.txt", "Priya Shah", P, "waste", ANSWER)])
    assert quotes[schema.IS_DECISION][0] == 1
    assert ["decision:answers_change" in cues for cues in quotes["cues"]] == [True, False, False]


@pytest.mark.parametrize("question", ["So what do you do?", "What did the drivers think of the depot?",
                                      "What did you change? And how were the drivers before?",
                                      "Tell me what you did next."])
def test_answers_to_other_questions_are_not_decisions_by_position(nlp, question):
    # Asking for a job ("what do you do"), for others' views, or not as the question's last sentence.
    quotes = _interview(nlp, [("a.txt", "Helen Marsh", I, "x", question), ("a.txt", "Priya Shah", P, "waste", ANSWER)])
    assert not any("answers_change" in cues for cues in quotes["cues"])


@pytest.mark.parametrize("text", [
    "You can't do both, not with the staff we've got, so something always gives.",
    "At the time it felt like we had no choice but to bring the contractors back in.",
    "We've sort of traded some of the instant answering for getting the actual work done.",
    "If we don't answer, they ring back twice as angry, so the queue only gets longer.",
    "So it's, do I stick to the process, or do I do the obviously sensible thing for the family?",
    "But equally the person on the phone is often frightened, they're ringing because nobody got back to them.",
    "You can't not answer that. But at the same time we've got the assessments, and that list just grew.",
    "And honestly both are wrong, a little bit, which is what the data protection officer told us.",
    "We had to work out whether to close the line in the mornings or keep it open all day.",
])
def test_dilemmas_voiced_without_textbook_words(nlp, text):
    assert _signals(nlp, [text])[schema.IS_DILEMMA].tolist() == [1]


# --- Matching once per Doc gives what matching each unit on its own gave -----

# Two interleaved transcripts and an interviewer turn (context, never quoted),
# with several units per turn: cues at the first and last token of a unit,
# cues whose tokens cross a unit boundary (a Matcher pattern across a sentence
# end, a dependency whose subject and verb fall in different pieces of a
# run-on), negations and questions.
SYNTHETIC = [
    ("a.txt", "Priya Shah", schema.ROLE_PARTICIPANT, "housing",
     ("Because the phones never stopped, nobody could finish a case. We decided to close the lines on Wednesdays. "
      "It was agreed. Was it the right call, though? I honestly think it was the lesser of two evils versus")),
    ("b.txt", "Tom Reid", schema.ROLE_INTERVIEWER, "x", "And why did you decide to do that, was it the budget?"),
    ("b.txt", "Sam Cole", schema.ROLE_PARTICIPANT, "waste",
     ("The upside is that the queue is shorter now. The downside is the cost to the families who wait. "
      "But then. We lose the evening slots altogether, and that hurts the people who work days.")),
    ("a.txt", "Priya Shah", schema.ROLE_PARTICIPANT, "housing",
     ("We, after a long and honestly quite painful consultation with tenants, staff, councillors, the unions "
      "and pretty much everyone else who had a view on it, finally switched the whole rota over to a triage model.")),
    ("b.txt", "Sam Cole", schema.ROLE_PARTICIPANT, "waste",
     ("We didn't decide to close anything in the end. We don't do home visits anymore, not since the cuts. "
      "If we don't answer, they ring back twice as angry. You can't do both with the staff we've got. "
      "If we switched the rota over to triage, I'll get started, and we could drop the walk-ins.")),
    ("a.txt", "Priya Shah", schema.ROLE_PARTICIPANT, "housing",
     ("Should we go with the cheaper supplier? Why did we stop doing home visits? What was the reason for that? "
      "Is it a trade-off between speed and getting it right, or is it just about money?")),
    ("b.txt", "Sam Cole", schema.ROLE_PARTICIPANT, "waste",
     ("On the one hand people want it online. On the other hand half our tenants have no broadband at all. "
      "It was a lovely morning and the car park was full again. We made the call to drop the second sign-off. "
      "The reason was that it doubled the waiting time for everyone.")),
    ("a.txt", "Priya Shah", schema.ROLE_PARTICIPANT, "housing",
     ("Let's go with the rota then. So that everyone knows where they are, we stopped taking walk-ins after four. "
      "The team moved to a shared inbox, which was either brilliant or a disaster depending on who you ask.")),
]
# The default units, and short ones (one sentence, run-ons cut at commas) so
# that more cues sit at or across unit edges.
UNIT_SETTINGS = [{}, {"segment.min_words": 4, "segment.max_words": 10, "segment.max_sentences": 1,
                      "segment.drop_below_words": 1}]
KINDS = ("dilemma", "decision", "rationale")


def _reference_cue_names(span, matchers) -> dict[str, list[str]]:
    """The former per-unit matching, verbatim: each unit copied to its own Doc and matched there."""
    doc = span.as_doc()
    vocab = doc.vocab
    found = {kind: sorted({vocab.strings[m_id] for m_id, _, _ in matchers[kind](doc)})
             for kind in ("dilemma", "decision", "rationale")}
    dep_hits = matchers["decision_dep"](doc)
    hedged = {tokens[0] for _, tokens in matchers["hedge_dep"](doc)}
    dep_hits = [(m_id, tokens) for m_id, tokens in dep_hits if tokens[0] not in hedged]
    if dep_hits:
        found["decision"] = sorted(set(found["decision"]) | {vocab.strings[m_id] for m_id, _ in dep_hits})
    return found


def _reference_signals(quotes, docs, window) -> dict[str, list]:
    """Flags, cues and paired rationales as the stage computed them before (per unit, `DataFrame.at`)."""
    out = quotes.copy()
    found = []
    for start, end, position in zip(quotes[schema.CHAR_START], quotes[schema.CHAR_END], quotes["_doc"]):
        doc = docs[position]
        span = doc.char_span(int(start), int(end), alignment_mode="expand")
        found.append(_reference_cue_names(span, cues.vocab_matchers_for(id(doc.vocab), doc.vocab)) if span is not None
                     else {kind: [] for kind in KINDS})
    out[schema.IS_DILEMMA] = [int(bool(f["dilemma"])) for f in found]
    out[schema.IS_DECISION] = [int(bool(f["decision"])) for f in found]
    out[schema.IS_RATIONALE] = [int(bool(f["rationale"])) for f in found]
    out["cues"] = ["; ".join(f"{k}:{c}" for k in KINDS for c in f[k]) for f in found]
    paired = [""] * len(out)
    for _, group in out.groupby(schema.TRANSCRIPT_ID, sort=False):
        positions = list(group.index)
        for i, row_index in enumerate(positions):
            if not out.at[row_index, schema.IS_DECISION]:
                continue
            nearest_first = [i] + [j for d in range(1, window + 1) for j in (i + d, i - d) if 0 <= j < len(positions)]
            for candidate in (positions[j] for j in nearest_first):
                if out.at[candidate, schema.IS_RATIONALE]:
                    paired[out.index.get_loc(row_index)] = out.at[candidate, schema.QUOTE_ID]
                    break
    out[schema.RATIONALE_QUOTE_ID] = paired
    return out[RESULT_COLUMNS].to_dict("list")


RESULT_COLUMNS = [schema.IS_DILEMMA, schema.IS_DECISION, schema.IS_RATIONALE, "cues", schema.RATIONALE_QUOTE_ID]


def _synthetic(nlp, overrides):
    config = load_config(**overrides)
    turns = make_turns(SYNTHETIC)
    docs = list(nlp.pipe(turns[schema.TEXT]))
    anonymised = anonymise(turns, docs, config.anonymise)
    return segment(anonymised.turns, anonymised.docs, config.segment), anonymised.docs, config


def _doc_hits(doc):
    """Every match on the whole Doc as (kind, name, first token, end token); dependency matches by their extent."""
    matchers, strings = cues.vocab_matchers_for(id(doc.vocab), doc.vocab), doc.vocab.strings
    hits = [(kind, strings[m_id], start, end) for kind in KINDS for m_id, start, end in matchers[kind](doc)]
    return hits + [("dep", strings[m_id], min(tokens), max(tokens) + 1)
                   for m_id, tokens in matchers["decision_dep"](doc)]


def _unit_ranges(quotes, docs):
    for start, end, position in zip(quotes[schema.CHAR_START], quotes[schema.CHAR_END], quotes["_doc"]):
        span = docs[position].char_span(int(start), int(end), alignment_mode="expand")
        yield position, span.start, span.end


@pytest.mark.parametrize("overrides", UNIT_SETTINGS)
def test_matching_each_doc_once_gives_the_per_unit_results(nlp, overrides):
    quotes, docs, config = _synthetic(nlp, overrides)
    got = detect_signals(quotes, docs, config.signals)[RESULT_COLUMNS].to_dict("list")
    want = _reference_signals(quotes, docs, config.signals.rationale_window)
    assert got == want
    # The input exercises what could differ: several units per turn, every
    # kind of cue, several cues in one unit, and paired reasons.
    assert quotes.groupby("_doc").size().max() >= 2
    assert all(sum(want[column]) > 0 for column in (schema.IS_DILEMMA, schema.IS_DECISION, schema.IS_RATIONALE))
    assert any(cues.count(";") >= 1 for cues in want["cues"])
    assert any(want[schema.RATIONALE_QUOTE_ID])


def test_cues_crossing_a_unit_boundary_are_not_credited(nlp):
    quotes, docs, config = _synthetic(nlp, UNIT_SETTINGS[1])
    crossing = set()
    for position, start, end in _unit_ranges(quotes, docs):
        for kind, _, hit_start, hit_end in _doc_hits(docs[position]):
            if hit_start < end and start < hit_end and not (start <= hit_start and hit_end <= end):
                crossing.add(kind if kind == "dep" else "token")
    # A token pattern and a dependency pattern each cross some unit's edge
    # (contrast_eval across a sentence end; "We, ..., switched" cut at commas) ...
    assert crossing == {"token", "dep"}
    # ... and the units get what matching each unit alone gives.
    got = detect_signals(quotes, docs, config.signals)[RESULT_COLUMNS].to_dict("list")
    assert got == _reference_signals(quotes, docs, config.signals.rationale_window)
    switched = [cues for text, cues in zip(quotes[schema.TEXT], got["cues"]) if "finally switched" in text]
    assert switched == [""]


def test_windows_around_every_match_agree_with_per_span_matching(nlp):
    docs = list(nlp.pipe(text for *_, text in SYNTHETIC))
    checked = with_cues = 0
    for doc in docs:
        n = len(doc)
        windows = {(0, n)}
        # Every window whose edges sit on, just inside or just outside a match's ends.
        for _, _, start, end in _doc_hits(doc):
            windows.update((a, b) for a in range(start - 2, start + 2) for b in range(end - 2, end + 3)
                           if 0 <= a < b <= n)
        windows = sorted(windows)
        matchers = cues.vocab_matchers_for(id(doc.vocab), doc.vocab)
        for (a, b), got in zip(windows, cues.doc_cue_names(doc, windows)):
            want = _reference_cue_names(doc[a:b], matchers)
            assert got == want, (doc[a:b].text, got, want)
            assert cues.cue_names(doc[a:b]) == want
            checked += 1
            with_cues += any(want.values())
    assert checked > 300 and 0 < with_cues < checked


def test_the_prefilter_skips_docs_no_pattern_can_match(nlp):
    value_bits, pattern_masks = cues.prefilter_for(id(nlp.vocab), nlp.vocab)

    def runnable(text):
        mask = cues._doc_mask(nlp(text), value_bits)
        return {name for name, masks in pattern_masks.items() if cues._can_match(masks, mask)}

    assert runnable("It was a lovely morning and the car park was completely full again today.") == set()
    # Optional tokens are not required: "weigh" alone may match weigh_up.
    assert runnable("You just have to weigh.") == {"dilemma"}
    assert runnable("We switched suppliers because the old one kept failing.") == {
        "decision_dep", "rationale"}


def test_patterns_per_doc_matching_cannot_reproduce_are_refused():
    token_patterns = {name: patterns for group in (patterns.DILEMMA_PATTERNS, patterns.DECISION_PATTERNS,
                                                   patterns.RATIONALE_PATTERNS) for name, patterns in group.items()}
    cues._check_span_safe(token_patterns, patterns.DECISION_DEP_PATTERNS)  # today's patterns pass
    verb = {"RIGHT_ID": "verb", "RIGHT_ATTRS": {"LEMMA": "decide"}}
    subject = {"LEFT_ID": "verb", "REL_OP": ">", "RIGHT_ID": "subject",
               "RIGHT_ATTRS": {"DEP": "nsubj", "LOWER": "we"}}
    cues._check_span_safe({}, {"ok": [[verb, subject]]})
    refused = [
        ({"sent": [[{"IS_SENT_START": True}, {"LOWER": "so"}]]}, {}),  # as_doc starts a sentence at the span
        ({"dep": [[{"DEP": "nsubj"}]]}, {}),  # as_doc relabels tokens whose head is outside
        ({}, {"ancestor": [[verb, {**subject, "REL_OP": ">>"}]]}),  # as_doc shortens paths through outside tokens
        ({}, {"any_child": [[verb, {**subject, "RIGHT_ATTRS": {"LOWER": "we"}}]]}),  # a re-headed token is a child
        ({}, {"dep_label": [[verb, {**subject, "RIGHT_ATTRS": {"DEP": {"IN": ["nsubj", "dep"]}}}]]}),
        ({}, {"root_label": [[{**verb, "RIGHT_ATTRS": {"DEP": "ROOT"}}, subject]]}),
    ]
    for token_bad, dep_bad in refused:
        with pytest.raises(ValueError):
            cues._check_span_safe(token_bad, dep_bad)

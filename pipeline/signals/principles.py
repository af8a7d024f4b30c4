"""Reasons stated as principles: the rule a team holds, which other teams can hold too.

A team gives many reasons for a decision: what went wrong before ("that call
takes three times as long"), the evidence ("complaints doubled"), and the
principle it acted on ("the people doing the work know their caseloads, so
they should be the ones making the call"). Only the principle travels: it is
what several teams can share across different dilemmas, the common ground
the design workshop starts from. A sentence states one when it says, in the
present, how things ought to be or what generally pays:

- a deontic modal ("should", "must", "ought") on a verb whose subject is a
  person or people other than the speakers: "the advisor ... is the one who
  should decide", "you shouldn't need to be online to get your kitchen
  fixed". Not a proposal or a prediction ("we should just go for
  push-buttons", "it should be fine"), not a regret ("they should have
  asked"), not a question, and not a modal in a reported or open clause
  ("she said they should track it", "we look at whether they should be on
  council tax support");
- "has to", "need to" with a generic person as subject: "anyone who can't get
  online still has to be able to reach a real person", "people who can't get
  online still need a person to pick up". A named or particular subject
  states a procedure instead ("an assessor has to ring the person first");
- a general comparison in the present whose subject is an action: "doing
  it right the first time is cheaper than paying contractors to fix it
  later", "getting a survey right the first time saves more than it costs".

These read the parse of the whole turn (tags, dependencies, sentences), so
they run once per Doc, like the dependency cues.
"""
from __future__ import annotations

PRINCIPLE_CUE = "principle"

_DEONTIC = frozenset({"should", "must", "ought"})
# A turn holding none of these words states no principle: most turns are skipped on this test
# of the text alone, before any token is read (matching is this stage's cost).
_TRIGGERS = ("should", "must", "ought", "has to", "have to", "need", "than")
# Subjects that speak of people in general, not of someone in particular. Not "you": "you have
# to press F8" gives an instruction.
_GENERIC_PEOPLE = frozenset({"anyone", "anybody", "everyone", "everybody", "people", "nobody", "someone",
                             "somebody", "no one"})
# Subjects under which a modal proposes or predicts rather than states a rule: "we should just
# go for push-buttons", "I should say", "it should be fine", "there should be a list".
_NOT_RULE_SUBJECTS = frozenset({"i", "we", "it", "that", "this", "there"})
_SAYING = frozenset({"say", "tell", "ask", "suggest", "think", "wonder", "argue"})
# Words a spoken sentence opens with before its subject: "And so, getting it right ...".
_OPENERS = frozenset({"and", "but", "so", "because", "well", "yeah", "yes", "no", "then", "now", "actually",
                      "really", "honestly", "basically", "i", "think", "mean"})


def principle_sentences(doc, token_ranges: list[tuple[int, int]]) -> list[str]:
    """For each `doc[start:end]` of `token_ranges`, the first sentence in it that states a principle, or "".

    A sentence longer than the unit counts by its part inside the unit, the
    whole sentence read: the parse of the turn decides.

    Examples
    --------
    >>> from pipeline.nlp import load_spacy  # doctest: +SKIP
    >>> doc = load_spacy()("We stopped it. The crews know the streets, so they should make the call.")  # doctest: +SKIP
    >>> principle_sentences(doc, [(0, len(doc))])  # doctest: +SKIP
    ['The crews know the streets, so they should make the call.']
    """
    lowered = doc.text.lower()
    if not doc.has_annotation("DEP") or not any(word in lowered for word in _TRIGGERS):
        return [""] * len(token_ranges)
    stated = [(sentence.start, sentence.end) for sentence in doc.sents if _states_principle(sentence)]
    found = []
    for start, end in token_ranges:
        inside = next(((max(s, start), min(e, end)) for s, e in stated if s < end and start < e), None)
        found.append("" if inside is None else doc[inside[0]:inside[1]].text)
    return found


def _states_principle(sentence) -> bool:
    if sentence.text.rstrip().endswith("?"):
        return False
    for token in sentence:
        if token.tag_ == "MD" and token.lower_ in _DEONTIC and _deontic(token.head):
            return True
        if token.lemma_ in ("have", "need") and token.tag_ in ("VBZ", "VBP") and _generic_obligation(token):
            return True
    return _general_comparison(sentence)


def _deontic(verb) -> bool:
    """A modal's verb that states how things ought to be: not a proposal or a prediction ("we should",
    "it should be fine"), a regret ("should have"), a report or a question."""
    subject = _subject(verb)
    if subject is not None and subject.lower_ in _NOT_RULE_SUBJECTS:
        return False
    if any(child.dep_ == "aux" and child.lower_ in ("have", "'ve") for child in verb.children):
        return False
    # "should be fine", "should be user-friendly" judge how something will turn out; "should be able to" is a rule.
    if verb.lemma_ == "be" and any(child.dep_ == "acomp" and child.lower_ != "able" for child in verb.children):
        return False
    return not _reported(verb)


def _generic_obligation(verb) -> bool:
    """ "has to", "need(s) to" with people in general as subject."""
    if not any(child.dep_ in ("xcomp", "ccomp") for child in verb.children):
        return False
    subject = _subject(verb)
    return subject is not None and subject.lower_ in _GENERIC_PEOPLE and not _reported(verb)


def _general_comparison(sentence) -> bool:
    """ "Doing X is cheaper than Y": an action as subject (the sentence opens with a gerund) and "-er than"
    on a verb in the present ("getting it right took longer than planned" tells what happened)."""
    first = next((token for token in sentence if not token.is_punct and token.lower_ not in _OPENERS), None)
    if first is None or first.tag_ != "VBG":
        return False
    return any(token.lower_ == "than" and token.i > sentence.start and token.nbor(-1).tag_ in ("JJR", "RBR")
               and _verb_of(token.nbor(-1)).tag_ in ("VBZ", "VBP") for token in sentence)


def _verb_of(token):
    """The verb a word hangs from: the word's head, up the parse until a verb (or the root)."""
    while token.head is not token and token.pos_ not in ("VERB", "AUX"):
        token = token.head
    return token


def _subject(verb):
    return next((child for child in verb.children if child.dep_ in ("nsubj", "nsubjpass", "expl")), None)


def _reported(verb) -> bool:
    """Said by someone else or left open: "she said we should ...", "whether they should ..."."""
    if any(child.dep_ == "mark" and child.lower_ in ("whether", "if") for child in verb.children):
        return True
    return verb.dep_ in ("ccomp", "xcomp") and verb.head.lemma_ in _SAYING and verb.head.tag_ in ("VBD", "VBN")

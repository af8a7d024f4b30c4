"""Reasons stated as principles: the rule a team holds, told apart from its story and its procedures."""
import pytest
from helpers import make_turns

from pipeline import schema
from pipeline.anonymise import anonymise
from pipeline.config import load_config
from pipeline.segment import segment
from pipeline.signals import detect_signals
from pipeline.signals.principles import principle_sentences


def _stated(nlp, text):
    doc = nlp(text)
    return principle_sentences(doc, [(0, len(doc))])[0]


@pytest.mark.parametrize("text", [
    "The people doing the work know their caseloads, so they should be the ones making the call.",
    "The advisor who's actually talking to the resident is the one who should decide.",
    "You shouldn't need to be online to get your kitchen fixed.",
    "Whatever the strategy says, if you can't get online you should still be able to get hold of a real person.",
    "Anyone who can't get online still has to be able to reach a real person.",
    "People who can't get online still need a person to pick up.",
    "Doing it right the first time is cheaper than paying contractors to fix it later.",
    "And getting a survey right the first time saves more than it costs us.",
    "Doing it properly works out better than rushing it.",
    "Getting the small things right and listening to people work better than any target.",
    "Families must be told who we share their records with.",
])
def test_a_rule_of_how_things_ought_to_be_or_what_pays_is_a_principle(nlp, text):
    assert _stated(nlp, text) == text


@pytest.mark.parametrize("text", [
    "I should probably say I've only been in the job a year.",       # the speaker alone
    "We should just go for push-buttons to keep the costs down.",    # a proposal
    "A single curve should be fine, so.",                             # a prediction
    "If you do language adaptation, there should be no problem.",     # a prediction
    "You have to press function F8 and then the arrow.",             # an instruction
    "They should have done the impact assessment at the start.",     # a regret
    "And we kept a note of it all, because the manager said they should track it.",  # reported
    "We look at whether they should be on council tax support.",     # an open question
    "Should we keep the phone line open?",                            # a question
    "Should the advisors decide that for themselves?",                # a question
    "They should've asked the residents first.",                      # a regret
    "People need help with the forms.",                               # a need, not an obligation
    "Getting the survey done took longer than we planned.",           # what happened, not what pays
    "Getting it right took longer than anyone expects.",              # what happened, not what pays
    "Getting it right, cheaper than fixing it later.",                # no verb to say it holds
    "Getting it right takes longer. People need it.",                 # a comparison without "than"
    "It must be said that the pilot was a mess.",                     # a turn of phrase
    "We check if the advisors should get a say.",                     # an open question
    "It has been said that staff should decide.",                     # reported
    "Now an assessor has to ring the person first.",                  # a procedure
    "He knows those houses better than any agency person ever did.",  # a particular person
    "We stopped closing claims at a month for missing evidence.",     # a decision
    "Because the calls took three times as long.",                    # a story
])
def test_a_story_a_procedure_a_regret_or_a_question_is_no_principle(nlp, text):
    assert _stated(nlp, text) == ""


def test_a_sentence_of_fillers_or_a_rule_without_a_subject_is_read_without_error(nlp):
    assert _stated(nlp, "Yeah. Staff should decide.") == "Staff should decide."
    assert _stated(nlp, "Should be used only for the TV.") == "Should be used only for the TV."  # a requirement


def test_the_principle_is_the_sentence_of_the_unit_that_states_it(nlp):
    doc = nlp("Took it off the wall. The crews know the streets, so they should make the call. That was May.")
    first = next(iter(doc.sents))
    assert principle_sentences(doc, [(0, len(doc)), (0, first.end)]) == [
        "The crews know the streets, so they should make the call.", ""]


def test_the_signals_stage_flags_a_principle_as_a_reason_and_keeps_its_sentence(nlp):
    config = load_config()
    texts = ["We took the league table off the wall in the spring, all of it, the whole thing.",
             "The crews out on the rounds know the streets, so they should make the call on what gets done first."]
    turns = make_turns([("a.txt", "Priya Shah", schema.ROLE_PARTICIPANT, "x", t) for t in texts])
    docs = list(nlp.pipe(turns[schema.TEXT]))
    anonymised = anonymise(turns, docs, config.anonymise)
    quotes = detect_signals(segment(anonymised.turns, anonymised.docs, config.segment), anonymised.docs,
                            config.signals)
    assert quotes[schema.PRINCIPLE].tolist() == ["", texts[1]]
    assert quotes[schema.IS_RATIONALE].tolist() == [0, 1]
    assert ["rationale:principle" in cues for cues in quotes[schema.CUES]] == [False, True]

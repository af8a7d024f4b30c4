import pytest

from pipeline import schema
from pipeline.anonymise import anonymise
from pipeline.config import load_config
from pipeline.segment import segment
from pipeline.signals import detect_signals

from helpers import make_turns


def _signals(nlp, texts):
    config = load_config()
    turns = make_turns([("a.txt", "Priya Shah", schema.ROLE_PARTICIPANT, "x", t) for t in texts])
    docs = list(nlp.pipe(turns[schema.TEXT]))
    quotes = segment(anonymise(turns, docs, config.anonymise).turns, docs, config.segment)
    return detect_signals(quotes, docs, config.signals)


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
])
def test_decisions_are_flagged(nlp, text):
    assert _signals(nlp, [text])[schema.IS_DECISION].tolist() == [1]


@pytest.mark.parametrize("text", [
    "It was a lovely morning and the car park was completely full again today.",
    "I have worked in the housing team for about eleven years now, give or take.",
    "It's hard to decide what to have for lunch when the canteen is closed.",
])
def test_ordinary_speech_is_neither(nlp, text):
    flags = _signals(nlp, [text])
    assert flags[schema.IS_DILEMMA].tolist() == [0]
    assert flags[schema.IS_DECISION].tolist() == [0]


def test_a_decision_is_paired_with_the_reason_that_follows(nlp):
    quotes = _signals(nlp, ["So we decided to close the phone lines on Wednesday afternoons for a trial. "
                            "The reason was that officers could never finish a case without interruptions."])
    decision = quotes[quotes[schema.IS_DECISION] == 1].iloc[0]
    rationale = quotes[quotes[schema.IS_RATIONALE] == 1].iloc[0]
    assert decision[schema.RATIONALE_QUOTE_ID] == rationale[schema.QUOTE_ID]


@pytest.mark.parametrize("text", [
    "You can't do both, not with the staff we've got, so something always gives.",
    "At the time it felt like we had no choice but to bring the contractors back in.",
    "We've sort of traded some of the instant answering for getting the actual work done.",
    "If we don't answer, they ring back twice as angry, so the queue only gets longer.",
])
def test_dilemmas_voiced_without_textbook_words(nlp, text):
    assert _signals(nlp, [text])[schema.IS_DILEMMA].tolist() == [1]

import pandas as pd
from helpers import make_turns

from pipeline import schema
from pipeline.anonymise import anonymise
from pipeline.config import load_config
from pipeline.segment import preceding_prompts, segment

P, I = schema.ROLE_PARTICIPANT, schema.ROLE_INTERVIEWER


def _segment(nlp, rows, **overrides):
    config = load_config(**overrides)
    turns = make_turns(rows)
    docs = list(nlp.pipe(turns[schema.TEXT]))
    anon = anonymise(turns, docs, config.anonymise)
    return segment(anon.turns, anon.docs, config.segment)


def test_interviewer_turns_are_never_quotes(nlp):
    quotes = _segment(nlp, [
        ("a.txt", "Helen Marsh", I, "x", "So what made you change the way the phones were answered in the end?"),
        ("a.txt", "Priya Shah", P, "x", "We closed the phone lines on Wednesday afternoons to clear the casework backlog."),
    ])
    assert quotes[schema.TURN].tolist() == [1]
    assert quotes[schema.SPEAKER].tolist() == ["Participant 1"]


def test_short_sentences_join_and_back_channel_is_dropped(nlp):
    quotes = _segment(nlp, [
        ("a.txt", "Priya Shah", P, "x", "Yeah. Right."),
        ("a.txt", "Helen Marsh", I, "x", "Go on."),
        ("a.txt", "Priya Shah", P, "x", "It was hard. Really hard. We had no staff and the calls kept coming in all day."),
    ])
    assert len(quotes) == 1
    assert quotes[schema.TEXT].iloc[0].startswith("It was hard. Really hard.")


def test_a_conversation_of_one_short_request_keeps_it_but_not_a_lone_thanks(nlp):
    quotes = _segment(nlp, [
        ("ticket-1", "Priya Shah", P, "x", "Retrieve my recent transactions"),
        ("ticket-2", "Sam Cole", P, "x", "No, thanks."),
        ("call.txt", "Priya Shah", P, "x", "Card declined twice."),  # short, but the conversation says more
        ("call.txt", "Priya Shah", P, "x", "We had no staff and the calls kept coming in all day, every day."),
    ])
    assert quotes[schema.TEXT].tolist() == ["Retrieve my recent transactions",
                                            "We had no staff and the calls kept coming in all day, every day."]


def test_run_on_sentences_are_split_below_max_words(nlp):
    long_turn = ", and then ".join(["we phoned the tenant back about the repair"] * 20) + "."
    quotes = _segment(nlp, [("a.txt", "Priya Shah", P, "x", long_turn)], **{"segment.max_words": 30})
    assert len(quotes) > 3
    assert all(len(t.split()) <= 34 for t in quotes[schema.TEXT])


def test_quote_text_is_anonymised_and_ids_are_stable(nlp):
    rows = [("a.txt", "Priya Shah", P, "x", "My manager Gary Holt decided we would stop the Friday rota completely.")]
    first, second = _segment(nlp, rows), _segment(nlp, rows)
    assert "Gary" not in first[schema.TEXT].iloc[0]
    assert "someone" in first[schema.EMBED_TEXT].iloc[0]
    assert first[schema.QUOTE_ID].tolist() == second[schema.QUOTE_ID].tolist()


def test_prompts_are_the_interviewer_turn_just_before():
    turns = pd.DataFrame({schema.TRANSCRIPT_ID: ["a"] * 4, schema.TURN: [0, 1, 2, 3],
                          schema.ROLE: ["interviewer", "participant", "interviewer", "participant"]})
    quotes = pd.DataFrame({schema.TRANSCRIPT_ID: ["a", "a", "b"], schema.TURN: [1, 3, 1]})
    assert preceding_prompts(quotes, turns) == [0, 2, None]


def test_a_quote_before_any_question_or_between_conversations_has_its_own_prompt():
    turns = pd.DataFrame({schema.TRANSCRIPT_ID: ["a", "a", "b", "a", "b"], schema.TURN: [0, 5, 1, 9, 4],
                          schema.ROLE: ["participant", "interviewer", "interviewer", "interviewer", "participant"]})
    quotes = pd.DataFrame({schema.TRANSCRIPT_ID: ["a", "a", "a", "b", "b"], schema.TURN: [0, 6, 12, 4, 0]})
    assert preceding_prompts(quotes, turns) == [None, 1, 3, 2, None]

from pipeline.ingest.records import Transcript, Turn
from pipeline.ingest.roles import decide_roles, file_method


def transcript(tid, *turns, source=None):
    return Transcript(tid, source or tid, [
        Turn(i, speaker, text, 0.0, "team", role) for i, (speaker, text, role) in
        enumerate((t + (None,))[:3] for t in turns)])


def methods(decisions):
    return {tid: (sorted(d.interviewers), d.method) for tid, d in decisions.items()}


def test_manifest_beats_config_beats_heuristics():
    t = transcript("a", ("Sam", "Why?"), ("Kim", "Hm."), ("Anna", "Because."))
    assert methods(decide_roles([t], ["anna"], {"a": ["KIM"]})) == {"a": (["kim"], "manifest")}
    assert methods(decide_roles([t], ["ANNA"], {})) == {"a": (["anna"], "config")}


def test_manifest_name_that_matches_nobody_falls_through(caplog):
    t = transcript("a", ("Sam", "Why?"), ("Anna", "Because."))
    assert methods(decide_roles([t], [], {"a": ["Nobody Here"]})) == {
        "a": (["sam"], "heuristic:most-questions")}
    assert "no speaker matches" in caplog.text and "Nobody" not in caplog.text


def test_rows_roles():
    t = transcript("a", ("Sam", "Hello.", "interviewer"), ("Anna", "Why?"), ("", "Hm.", "interviewer"))
    decision = decide_roles([t], [], {})["a"]
    assert (sorted(decision.interviewers), decision.method) == (["sam"], "rows")
    assert [decision.role_of(turn) for turn in t.turns] == ["interviewer", "participant", "interviewer"]


def test_q_a_labels():
    t = transcript("a", ("Q", "Hello."), ("A", "Why?"))
    assert methods(decide_roles([t], [], {})) == {"a": (["q"], "labels")}


def test_most_conversations():
    ts = [transcript("a", ("Sam", "Hello."), ("Anna", "Why? Why? Why?")),
          transcript("b", ("Sam", "Hi."), ("Bo", "Ok.")),
          transcript("c", ("Kim", "What?"), ("Lee", "This."))]
    assert methods(decide_roles(ts, [], {})) == {
        "a": (["sam"], "heuristic:most-conversations"),
        "b": (["sam"], "heuristic:most-conversations"),
        "c": (["kim"], "heuristic:most-questions"),
    }


def test_most_conversations_needs_more_than_half_and_no_tie():
    # Sam in 2 of 4: not more than half.
    ts = [transcript("a", ("Sam", "Hello."), ("Anna", "Why?")),
          transcript("b", ("Sam", "Hi."), ("Bo", "Ok?")),
          transcript("c", ("Kim", "Tell me?"), ("Lee", "This.")),
          transcript("d", ("Kim", "Well?"), ("Mo", "That."))]
    assert {d.method for d in decide_roles(ts, [], {}).values()} == {"heuristic:most-questions"}
    # Sam and Kim both in every transcript: a tie.
    ts = [transcript("a", ("Sam", "Hello."), ("Kim", "Why?"), ("Anna", "x"), ("Kim", "And how?")),
          transcript("b", ("Sam", "Hi?"), ("Kim", "Ok."), ("Bo", "y"), ("Sam", "How are you?"))]
    assert methods(decide_roles(ts, [], {})) == {
        "a": (["kim"], "heuristic:most-questions"), "b": (["sam"], "heuristic:most-questions")}


def test_most_questions_rate_per_turn_and_ties():
    t = transcript("a", ("Sam", "Why? And how?"), ("Anna", "Because."), ("Sam", "Really?"),
                   ("Anna", "Yes? Yes."))
    assert methods(decide_roles([t], [], {})) == {"a": (["sam"], "heuristic:most-questions")}
    tie = transcript("b", ("Sam", "Why?"), ("Anna", "Why not?"))
    assert methods(decide_roles([tie], [], {})) == {"b": ([], "none")}
    no_questions = transcript("c", ("Sam", "Hello."), ("Anna", "Hi."))
    assert methods(decide_roles([no_questions], [], {})) == {"c": ([], "none")}


def test_single_speaker_has_no_interviewer():
    t = transcript("a", ("Anna", "Why? Because."))
    decision = decide_roles([t], [], {})["a"]
    assert decision.method == "none"
    assert decision.role_of(t.turns[0]) == "participant"


def test_file_method_is_the_weakest():
    assert file_method(["manifest", "heuristic:most-questions", "rows"]) == "heuristic:most-questions"
    assert file_method([]) == "none"


def test_role_label_conventions():
    cases = {
        "mr": ((("M", "Why?"), ("R", "Because.")), ["m"]),
        "ir": ((("I", "Why?"), ("R", "Because.")), ["i"]),
        "rp": ((("R", "Why?"), ("P", "Because.")), ["r"]),  # researcher and participant
        "numbered": ((("Interviewer 1", "Why?"), ("Respondent 2", "Because.")), ["interviewer 1"]),
        "tagged": ((("Sam Jones (Interviewer)", "Why?"), ("Anna", "Because.")),
                   ["sam jones (interviewer)"]),
    }
    for tid, (turns, expected) in cases.items():
        decision = decide_roles([transcript(tid, *turns)], [], {})[tid]
        assert (sorted(decision.interviewers), decision.method) == (expected, "labels"), tid


def test_generic_labels_never_win_most_conversations():
    # "Speaker 1" is in every Otter export, but it is a different person each time.
    ts = [transcript(t, ("Speaker 1", "We did it."), ("Speaker 2", "Why?"))
          for t in ("a", "b", "c")]
    decisions = decide_roles(ts, [], {})
    assert {d.method for d in decisions.values()} == {"heuristic:most-questions"}
    assert {tuple(d.interviewers) for d in decisions.values()} == {("speaker 2",)}


def test_a_one_question_third_speaker_does_not_outrank_the_interviewer():
    t = transcript("a", *[(speaker, text) for _ in range(5) for speaker, text in (
        ("Sam", "And what happened then?"), ("Anna", "We carried on as before."))],
        ("Sam", "Right."), ("Kim", "Sorry, is this room booked?"))
    assert methods(decide_roles([t], [], {})) == {"a": (["sam"], "heuristic:most-questions")}


def _meeting(asker_questions_in_ten: int):
    """Four speakers taking turns for 40 turns; "Pat" asks in `asker_questions_in_ten` of each ten of theirs,
    the others in one of ten."""
    turns = []
    for i in range(10):
        for speaker in ("Pat", "Lee", "Mo", "Jo"):
            asks = i < (asker_questions_in_ten if speaker == "Pat" else 1)
            turns.append((speaker, "What do we think about the case?" if asks else "We could make it round."))
    return transcript("m", *turns)


def test_a_meeting_whose_keenest_asker_asks_at_a_meetings_rate_has_no_interviewer():
    # Pat asks in 3 of 10 turns: 3 / 12 = 0.25, about the highest of the 137 AMI meetings.
    decision = decide_roles([_meeting(3)], [], {})["m"]
    assert (sorted(decision.interviewers), decision.method) == ([], "none")
    assert {decision.role_of(turn) for turn in _meeting(3).turns} == {"participant"}


def test_a_moderator_asking_in_most_turns_of_a_group_is_still_found():
    # 6 of 10: 6 / 12 = 0.5, as the interviewers of the sample and of world_after_covid ask.
    assert methods(decide_roles([_meeting(6)], [], {})) == {"m": (["pat"], "heuristic:most-questions")}


def test_two_speakers_need_no_interview_rate():
    t = transcript("a", *[(s, "Is that so?" if s == "Sam" and i == 0 else "Right.")
                          for i in range(5) for s in ("Sam", "Anna")])
    assert methods(decide_roles([t], [], {})) == {"a": (["sam"], "heuristic:most-questions")}


def test_the_chair_of_a_series_of_meetings_is_no_interviewer_unless_they_ask_as_one():
    def series(asker_questions_in_ten):
        meetings = []
        for name, others in (("m1", ("Lee", "Mo", "Jo")), ("m2", ("Ann", "Bo", "Cy"))):
            meeting = _meeting(asker_questions_in_ten)
            renamed = dict(zip(("Lee", "Mo", "Jo"), others))
            meetings.append(transcript(name, *[(renamed.get(t.speaker, t.speaker), t.text) for t in meeting.turns]))
        return meetings
    assert methods(decide_roles(series(3), [], {})) == {"m1": ([], "none"), "m2": ([], "none")}
    assert methods(decide_roles(series(6), [], {})) == {
        "m1": (["pat"], "heuristic:most-conversations"), "m2": (["pat"], "heuristic:most-conversations")}


def test_a_transcription_services_letters_never_win_most_conversations():
    # AssemblyAI letters speakers in order of speaking: the consultant is "A" in every export, the
    # interviewee "B" in every export too, and B is a different person each time.
    ts = [transcript(t, ("A", "What changed in your team this year?"), ("B", "We stopped the Friday visits."),
                     ("A", "Why did you decide that?"), ("B", "The caseloads were too high."))
          for t in ("a", "b", "c")]
    assert methods(decide_roles(ts, [], {})) == {t: (["a"], "heuristic:most-questions") for t in ("a", "b", "c")}
    # Rev.ai numbers them: "1" is in every conversation where the consultant is "0" in some and "1" in others.
    ts = [transcript("d", ("0", "What changed?"), ("1", "We cut the hours.")),
          transcript("e", ("0", "Why?"), ("1", "The budget.")),
          transcript("f", ("1", "And then?"), ("2", "We hired.")),
          transcript("g", ("1", "What now?"), ("2", "We wait."))]
    assert {tid: interviewers for tid, (interviewers, _) in methods(decide_roles(ts, [], {})).items()} == {
        "d": ["0"], "e": ["0"], "f": ["1"], "g": ["1"]}


def test_a_transcription_services_ninth_speaker_i_is_no_interviewer_label():
    # AssemblyAI's speakers A to I: "I" is a slot here, not the I: of the I:/R: convention.
    t = transcript("a", *[(letter, "We could make it round.") for letter in "ABCDEFGHI"])
    assert methods(decide_roles([t], [], {})) == {"a": ([], "none")}
    assert methods(decide_roles([transcript("b", ("I", "Why?"), ("R", "Because."), ("R2", "Yes."))], [], {})) == {
        "b": (["i"], "labels")}


def test_assemblyai_exports_are_read_with_the_right_interviewer_and_a_b_per_transcript(tmp_path, ingest_config):
    import json

    from pipeline.ingest import read_corpus
    for team, answer in (("housing", "We stopped the Friday home visits."), ("waste", "We moved to a four day week.")):
        (tmp_path / team).mkdir()
        export = {"utterances": [{"speaker": "A", "text": "What changed in your team this year?"},
                                 {"speaker": "B", "text": answer}, {"speaker": "A", "text": "Why?"},
                                 {"speaker": "B", "text": "The caseloads were too high."}]}
        (tmp_path / team / "a.json").write_text(json.dumps(export), encoding="utf-8")
    turns = read_corpus(tmp_path, ingest_config()).turns
    assert turns.groupby("role").text.apply(list)["participant"] == [
        "We stopped the Friday home visits.", "The caseloads were too high.", "We moved to a four day week.",
        "The caseloads were too high."]
    interviewees = sorted(set(turns[turns.role == "participant"].speaker))
    assert len(interviewees) == 2 and all(s.startswith("B@") for s in interviewees)


def test_an_interviewee_answering_with_rhetorical_questions_is_not_the_interviewer():
    # Question marks counted, B's three per answer outrank A's one per question; it is the turns that ask, and
    # a question that hands the floor over counts more than one on the way to an answer.
    t = transcript("a", ("A", "What changed in your team this year?"),
                   ("B", "Honestly? Who knows what will last. Did we get it right? Maybe. We stopped the visits."),
                   ("A", "Why did you decide that?"),
                   ("B", "What else could we do? The caseloads were too high."))
    assert methods(decide_roles([t], [], {})) == {"a": (["a"], "heuristic:most-questions")}


def test_a_meeting_member_asking_several_questions_a_turn_is_no_moderator():
    # Pat asks in 3 of 10 turns, three questions each time: 3 / 12 asking turns, a meeting's rate, not 9 / 12.
    meeting = _meeting(3)
    turns = [(t.speaker, "What? Why? How would it work?" if t.text.endswith("?") and t.speaker == "Pat" else t.text)
             for t in meeting.turns]
    assert methods(decide_roles([transcript("m", *turns)], [], {})) == {"m": ([], "none")}


# Speech-to-text without punctuation (IBM Watson, some Otter and AWS exports): no turn ends with "?".
def test_an_unpunctuated_interview_finds_its_interviewer_by_the_words_that_ask():
    t = transcript("a", ("Noor Adeyemi", "hi thanks for making the time could you say who you are and what you do"),
                   ("Tam Orlov", "i run the repairs desk for the north patch we cover about four thousand homes"),
                   ("Noor Adeyemi", "okay great and what changed in your team this year"),
                   ("Tam Orlov", "what we did was stop the friday visits because the caseloads were too high"),
                   ("Noor Adeyemi", "so the caseloads were the reason did the tenants notice"),
                   ("Tam Orlov", "some did the older ones rang us more and we had to call them back"),
                   ("Noor Adeyemi", "that's really helpful tell me about the call backs"),
                   ("Tam Orlov", "we set up a rota two of us each morning and it has held up well"))
    assert methods(decide_roles([t], [], {})) == {"a": (["noor adeyemi"], "heuristic:most-questions")}


def test_an_unpunctuated_question_after_a_long_preamble_asks():
    # The question is the last clause: "... in response to the pandemic what would it be".
    t = transcript("a", *[(s, text) for _ in range(3) for s, text in (
        ("Ivo Brand", "if you were to predict the part of social life that will change most after the lockdowns "
                      "what would it be"),
        ("Lena Sorell", "people will value their neighbours more that is what i think will last"))])
    assert methods(decide_roles([t], [], {})) == {"a": (["ivo brand"], "heuristic:most-questions")}


def test_an_unpunctuated_meeting_has_no_interviewer_and_a_moderator_is_found():
    def group(moderator_questions_in_ten):
        turns = []
        for i in range(10):
            for speaker in ("Pat", "Lee", "Mo", "Jo"):
                ask = i < (moderator_questions_in_ten if speaker == "Pat" else 1)
                turns.append((speaker, "so what do we think about the case" if ask else "we could make it round"))
        return transcript("m", *turns)
    assert methods(decide_roles([group(3)], [], {})) == {"m": ([], "none")}
    assert methods(decide_roles([group(6)], [], {})) == {"m": (["pat"], "heuristic:most-questions")}


def test_answers_that_only_look_like_questions_do_not_ask():
    from pipeline.ingest.roles import opens_asking
    for answer in ("what we did was stop the visits", "what happened was the repairs stopped",
                   "we had the same problem and so did they", "it was hard you know do you know what i mean",
                   "that's how it is in the end", "the one which is there on the left", "we stopped the visits"):
        assert not opens_asking(answer), answer
    for question in ("okay great and how did your team cope", "tell me about the rota", "talk me through it",
                     "what happened then", "thanks that is helpful so did you keep the visits",
                     "a fair point was there anything else you changed", "why", "is there anyone else i should see",
                     "it sounds like you both meant well what does the middle look like",
                     "what kind of wisdom will people need after this", "can you hear me"):
        assert opens_asking(question), question


def test_question_marks_decide_wherever_there_are_any():
    # Anna's turns open like questions but end as statements; Sam asks with a question mark. The words
    # decide only where the transcript has no question mark at all.
    t = transcript("a", ("Anna", "Did you know we cut the visits."), ("Sam", "Really? And then?"),
                   ("Anna", "Do you want the figures. They are bad."), ("Sam", "Go on."),
                   ("Anna", "Can you believe it. Half of them."))
    assert methods(decide_roles([t], [], {})) == {"a": (["sam"], "heuristic:most-questions")}
    stripped = transcript("b", *[(turn.speaker, turn.text.replace("?", "")) for turn in t.turns])
    assert methods(decide_roles([stripped], [], {})) == {"b": (["anna"], "heuristic:most-questions")}


def test_a_stray_question_mark_in_unpunctuated_text_still_reads_the_words():
    turns = [(s, text) for _ in range(60) for s, text in (
        ("Noor", "and what happened after that"), ("Tam", "we carried on as before with the same rota"))]
    turns[1] = ("Tam", "we carried on as before with the same rota or did we ?")
    assert methods(decide_roles([transcript("a", *turns)], [], {})) == {"a": (["noor"], "heuristic:most-questions")}

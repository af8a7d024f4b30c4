import csv
import datetime
import io
import json
import math

import openpyxl
import pytest

from pipeline.errors import InputFileError
from pipeline.ingest.records import ParseOptions
from pipeline.ingest.rows import COLUMN_ALIASES, parse_csv, parse_json, parse_jsonl
from pipeline.ingest.tables import TEXT_HEADERS
from pipeline.ingest.xlsx_reader import parse_xlsx

OPTIONS = ParseOptions("fixture")


def test_csv_with_all_columns():
    data = (b"transcript_id,speaker,team,role,text,start,extra\n"
            b"t1,Sam,Housing,interviewer,How did it go?,1.5,x\n"
            b't1,Anna,Housing,participant,"Well, mostly.",00:00:05,y\n'
            b"t2,Sam,Youth,Interviewer,And you?,,\n")
    turns = parse_csv(data, OPTIONS)
    assert [(t.transcript_id, t.row, t.speaker, t.team, t.role, t.text) for t in turns] == [
        ("t1", 0, "Sam", "Housing", "interviewer", "How did it go?"),
        ("t1", 1, "Anna", "Housing", "participant", "Well, mostly."),
        ("t2", 0, "Sam", "Youth", "interviewer", "And you?"),
    ]
    assert turns[0].start == 1.5 and turns[1].start == 5.0 and math.isnan(turns[2].start)


def test_csv_text_only_semicolon_and_case_insensitive_header():
    turns = parse_csv(b"Speaker;TEXT\nSam;Hi; there\nAnna;Yes\n", OPTIONS)
    assert [(t.speaker, t.text, t.transcript_id, t.row) for t in turns] == [
        ("Sam", "Hi", None, 0), ("Anna", "Yes", None, 1)]


def test_csv_tab_separated_utf16_like_excel():
    data = "speaker\ttext\nSam\tÇa va?\n".encode("utf-16")
    assert [(t.speaker, t.text) for t in parse_csv(data, OPTIONS)] == [("Sam", "Ça va?")]


def test_csv_without_speaker_column():
    turns = parse_csv(b"text\nOne.\nTwo.\n", OPTIONS)
    assert [(t.speaker, t.text, t.row) for t in turns] == [("", "One.", 0), ("", "Two.", 1)]


def test_csv_empty_text_rows_keep_their_index():
    turns = parse_csv(b"speaker,text\nSam,One\nAnna,\nSam,Three\n", OPTIONS)
    assert [t.row for t in turns] == [0, 1, 2]


def test_csv_multiline_quoted_text():
    turns = parse_csv(b'speaker,text\nSam,"Line one\nline two"\n', OPTIONS)
    assert turns[0].text == "Line one\nline two"


@pytest.mark.parametrize("data, message", [
    (b"speaker,summary\nSam,Hi\n", "no 'text' column"),  # a ticket's title, never its text
    (b"Sam said hi, and Anna said yes\n", "no 'text' column"),
    (b"speaker,text\n", "no rows"),
])
def test_csv_errors(data, message):
    with pytest.raises(InputFileError, match=message) as info:
        parse_csv(data, OPTIONS)
    assert "Sam" not in str(info.value)  # never quote the file's content


@pytest.mark.parametrize("header", ["Said", "What was said", "Words", "Statement", "Quote", "Remarks",
                                    "Your response", "your_response", "WHAT-WAS-SAID"])
def test_a_hand_typed_logs_words_column_is_the_text(header):
    data = f"Interviewee,{header}\nRiya Okonjo,The rota changed twice.\nRiya Okonjo,Nobody asked us.\n"
    turns = parse_csv(data.encode(), OPTIONS)
    assert [t.text for t in turns] == ["The rota changed twice.", "Nobody asked us."]


def test_the_new_text_names_come_after_the_old_ones():
    # A consultation export with the full response beside a remark and a pull quote: the response is the text.
    data = b"Remarks,Quote,Response\nlate,the hours,We lost the evening hours.\n"
    assert [t.text for t in parse_csv(data, OPTIONS)] == ["We lost the evening hours."]
    data = b"Words,Your response\n5,We lost the evening hours.\n"  # "Words" may be a count: last
    assert [t.text for t in parse_csv(data, OPTIONS)] == ["We lost the evening hours."]


def test_every_word_table_text_header_is_a_text_column_of_a_csv():
    # One list (`tables.SPOKEN_TEXT_HEADERS`) for both readers: a Word table and the same table in a .csv
    # or an .xlsx are read alike.
    for header in TEXT_HEADERS:
        data = f"speaker,{header.title()}\nSam,Why?\nAnna,Because.\n".encode()
        assert [(t.speaker, t.text) for t in parse_csv(data, OPTIONS)] == [("Sam", "Why?"), ("Anna", "Because.")]
        assert header == "text" or header in COLUMN_ALIASES["text"]


def test_unknown_role_is_ignored_and_logged(caplog):
    turns = parse_csv(b"speaker,role,text\nSam,boss,Hi\n", OPTIONS)
    assert turns[0].role is None
    assert "role other than" in caplog.text and "boss" not in caplog.text


def test_jsonl_rows():
    lines = [{"transcript_id": 7, "speaker": "Sam", "text": "Why?"},
             {"speaker": None, "text": "Because.", "Team": "Youth"},
             {"transcript_id": 7, "speaker": "Anna", "text": "So.", "role": "participant"}]
    data = ("\n".join(json.dumps(line) for line in lines) + "\n\n").encode()
    turns = parse_jsonl(data, OPTIONS)
    assert [(t.transcript_id, t.row, t.speaker, t.team, t.role) for t in turns] == [
        ("7", 0, "Sam", None, None), (None, 0, "", "Youth", None), ("7", 1, "Anna", None, "participant")]


def test_jsonl_keeps_unicode_line_separators_inside_strings():
    data = json.dumps({"text": "one\u2028two"}, ensure_ascii=False).encode()
    assert parse_jsonl(data, OPTIONS)[0].text == "one\u2028two"


@pytest.mark.parametrize("data, message", [
    (b'{"text": "ok"}\nnot json\n', "line 2 is not valid JSON"),
    (b'["text"]\n', "line 1 is not a JSON object"),
    (b'{"speaker": "Sam"}\n', "line 1 has no \"text\" key"),
    (b'{"text": ["a"]}\n', "list or object"),
    (b"[" * 100000 + b"\n", "not valid JSON"),
])
def test_jsonl_errors(data, message):
    with pytest.raises(InputFileError, match=message):
        parse_jsonl(data, OPTIONS)


# .json exports: the list of turns wherever the service puts it.

def test_json_whisper_segments_are_read_not_the_whole_text_beside_them():
    data = json.dumps({"text": " We agreed. Then we stopped.", "language": "en",
                       "segments": [{"id": 0, "start": 0.0, "end": 1.2, "text": " We agreed."},
                                    {"id": 1, "start": 1.2, "end": 2.5, "text": " Then we stopped."}]}).encode()
    turns = parse_json(data, OPTIONS)
    # Timed segments carry no row index: `assemble` merges a speaker's consecutive segments, as it does cues.
    assert [(t.text, t.start, t.row, t.speaker) for t in turns] == [
        ("We agreed.", 0.0, None, ""), ("Then we stopped.", 1.2, None, "")]


def test_json_utterances_with_speakers_and_their_word_lists():
    # AssemblyAI: each utterance lists its words; the words lie deeper than the turns and are not turns.
    words = [{"text": "Yes", "start": 0, "end": 200}, {"text": "please.", "start": 200, "end": 400}]
    data = json.dumps({"id": "x", "utterances": [{"speaker": "A", "text": "Yes please.", "start": 0, "words": words},
                                                 {"speaker": "B", "text": "Why?", "start": 500, "words": []}],
                       "words": words * 2}).encode()
    assert [(t.speaker, t.text) for t in parse_json(data, OPTIONS)] == [("A", "Yes please."), ("B", "Why?")]


def test_json_words_with_speakers_beside_the_utterances_are_not_taken_for_the_turns():
    # With speaker labels on, AssemblyAI's top-level words name their speaker too, and outnumber the utterances.
    words = [{"text": word, "start": 100 * n, "end": 100 * n + 90, "speaker": speaker}
             for n, (speaker, word) in enumerate([("A", "Why"), ("A", "change?"), ("B", "To"), ("B", "rest.")])]
    data = json.dumps({"id": "x", "words": words, "utterances": [
        {"speaker": "A", "text": "Why change?", "start": 0, "end": 190},
        {"speaker": "B", "text": "To rest.", "start": 200, "end": 390}]}).encode()
    assert [(t.speaker, t.text) for t in parse_json(data, OPTIONS)] == [("A", "Why change?"), ("B", "To rest.")]


def test_json_segments_that_name_no_speaker_are_warned_about(caplog):
    data = json.dumps({"text": "Why? The rota.", "segments": [{"start": 0.0, "end": 1.0, "text": " Why?"},
                                                              {"start": 1.0, "end": 2.0, "text": " The rota."}]})
    with caplog.at_level("WARNING"):
        parse_json(data.encode(), OPTIONS)
    assert "one unnamed speaker" in caplog.text and "rota" not in caplog.text
    caplog.clear()
    named = [{"speaker": "SPEAKER_00", "start": 0.0, "end": 1.0, "text": "Why?"}]
    with caplog.at_level("WARNING"):
        parse_json(json.dumps({"segments": named * 2}).encode(), OPTIONS)
    assert "unnamed" not in caplog.text


def test_json_nested_lists_and_aliased_keys_are_found():
    deepgram = {"metadata": {"duration": 3}, "results": {"utterances": [{"speaker": 0, "Transcript": "Hello."}]}}
    qmsum = {"topic_list": [{"topic": "intro"}], "meeting_transcripts": [{"speaker": "PM", "content": "Right."}]}
    listed = [{"Speaker Name": "Anna", "Utterance": "We cut the hours."}]
    assert [(t.speaker, t.text) for t in parse_json(json.dumps(deepgram).encode(), OPTIONS)] == [("0", "Hello.")]
    assert [(t.speaker, t.text) for t in parse_json(json.dumps(qmsum).encode(), OPTIONS)] == [("PM", "Right.")]
    assert [(t.speaker, t.text) for t in parse_json(json.dumps(listed).encode(), OPTIONS)] == [
        ("Anna", "We cut the hours.")]


def test_a_json_file_without_a_list_of_turns_is_skipped_and_broken_json_fails():
    for other in ({"inputs": [{"file": "a.vtt", "status": "ok"}]}, {"PERSON_1": "Anna"}, ["a", "b"]):
        with pytest.raises(InputFileError) as skipped:
            parse_json(json.dumps(other).encode(), OPTIONS)
        assert skipped.value.status == "skipped" and "no list of turns" in skipped.value.message
    with pytest.raises(InputFileError) as broken:
        parse_json(b'{"segments": [{"text": "We agr', OPTIONS)
    assert broken.value.status == "failed" and "not valid JSON" in broken.value.message


def test_requests_and_comments_tables_are_read_by_the_names_their_tools_give_the_columns():
    polis = b'timestamp,comment-id,author-id,agrees,comment-body\n1,298,427,1,"The youth need a say."\n'
    assert [(t.speaker, t.text) for t in parse_csv(polis, OPTIONS)] == [("427", "The youth need a say.")]
    requests = b"id,user,message,category\n7,u12,My card was declined at the shop.,card\n"
    assert [(t.speaker, t.text) for t in parse_csv(requests, OPTIONS)] == [("u12", "My card was declined at the shop.")]
    grouped = b"Comment,Author,Group\nThe youth need a say.,participant 427,group_1\n"
    assert [(t.speaker, t.team) for t in parse_csv(grouped, OPTIONS)] == [("participant 427", "group_1")]
    department = b"Department,Speaker,Text\nHousing,Anna,We agreed.\n"
    assert [t.team for t in parse_csv(department, OPTIONS)] == ["Housing"]
    both = b"speaker,text,comment\nAnna,We agreed.,(reviewer note)\n"  # the contract's own name wins
    assert [(t.speaker, t.text) for t in parse_csv(both, OPTIONS)] == [("Anna", "We agreed.")]


def test_a_tsv_file_is_read_as_tab_separated_rows():
    # Whisper's .tsv: start and end in milliseconds, then the text.
    assert [t.text for t in parse_csv(b"start\tend\ttext\n0\t1200\tWe agreed.\n1200\t2500\tThen we stopped.\n",
                                      ParseOptions("a.tsv"))] == ["We agreed.", "Then we stopped."]


def test_a_table_of_one_row_per_person_and_one_column_per_question_is_read_row_by_row():
    answer = "We will appreciate the people we did not appreciate enough before, the neighbours above all."
    data = ("RecordingDate,Name,Field,Q1,Q2\n"
            f'3-Jul-20,Anna Smith,SC,"{answer}","Part of it is memory, and keeping hold of what we learnt this year."\n'
            f'4-Jul-20,Bo Lind,Other,"{answer}",\n').encode()
    turns = parse_csv(data, ParseOptions("experts.csv"))
    assert [(t.transcript_id, t.speaker, t.row, t.role) for t in turns] == [
        ("experts.csv#1", "Anna Smith", 0, "participant"), ("experts.csv#1", "Anna Smith", 1, "participant"),
        ("experts.csv#2", "Bo Lind", 0, "participant")]  # a conversation per row, named by its number, not its name
    assert turns[0].text == answer


def test_a_table_without_a_text_column_or_answers_is_still_refused():
    with pytest.raises(InputFileError, match="no 'text' column"):
        parse_csv(b"Name,Field,Score\nAnna,SC,3\nBo,Other,4\n", OPTIONS)


def test_a_turn_per_row_under_a_text_column_of_another_name_stays_one_conversation():
    data = (b"Speaker,Said\nSam,Why did you change the rota in February, after all that time?\n"
            b"Anna,Because the backlog kept growing and the phones ate the whole morning.\n"
            b"Sam,And what did the team make of it when you told them about it?\n")
    turns = parse_csv(data, OPTIONS)
    assert [(t.transcript_id, t.speaker, t.row) for t in turns] == [(None, "Sam", 0), (None, "Anna", 1), (None, "Sam", 2)]


def test_a_meeting_or_session_column_names_each_rows_conversation():
    data = b"meeting,speaker,text\nES2002a,B,Okay.\nES2002a,A,Right.\nES2002b,B,So.\n"
    assert [(t.transcript_id, t.row) for t in parse_csv(data, OPTIONS)] == [("ES2002a", 0), ("ES2002a", 1),
                                                                             ("ES2002b", 0)]
    session = b'{"session": "s1", "text": "Hi."}\n{"session": "s2", "text": "Yes."}\n'
    assert [t.transcript_id for t in parse_jsonl(session, OPTIONS)] == ["s1", "s2"]


def test_excels_separator_line_above_the_header_is_dropped():
    data = b"sep=;\r\nSpeaker;Text\r\nRuth;The depot closes at six.\r\nOwen;Since when?\r\n"
    assert [(t.speaker, t.text, t.transcript_id) for t in parse_csv(data, OPTIONS)] == [
        ("Ruth", "The depot closes at six.", None), ("Owen", "Since when?", None)]


def test_json_rev_ai_monologues_are_spelled_from_their_elements():
    def words(*values):
        return [{"type": "text" if v.strip(" .,?") else "punct", "value": v, "ts": 1.5} for v in values]
    data = json.dumps({"monologues": [
        {"speaker": 0, "elements": words("Who", " ", "pays", "?")},
        {"speaker": 1, "speaker_name": "Ruth", "elements": words("The", " ", "parish", ".", " ")}]}).encode()
    assert [(t.speaker, t.text, t.start) for t in parse_json(data, OPTIONS)] == [
        ("0", "Who pays?", 1.5), ("Ruth", "The parish.", 1.5)]


def test_a_chat_export_names_each_sender_from_the_object_that_holds_the_name_not_by_an_id():
    import json

    from pipeline.ingest.records import ParseOptions
    from pipeline.ingest.rows import parse_json

    slack = [{"type": "message", "user": "U01AB", "text": "We moved the rota.", "ts": "1700000000.1",
              "user_profile": {"image_72": "x", "name": "anna.s", "real_name": "Anna Smith"}},
             {"type": "message", "user": "U02CD", "text": "Why?", "user_profile": {"real_name": "Sam Jones"}}]
    discord = {"messages": [{"author": {"id": "1", "name": "Kim"}, "content": "Because of the queue."}]}
    assert [t.speaker for t in parse_json(json.dumps(slack).encode(), ParseOptions("c.json"))] == \
        ["Anna Smith", "Sam Jones"]
    assert [t.speaker for t in parse_json(json.dumps(discord).encode(), ParseOptions("d.json"))] == ["Kim"]


# Tables of submissions: ticket queues, request logs, consultation responses.

def test_a_ticket_export_reads_the_description_as_the_text_and_each_submitter_as_a_conversation():
    # A service desk's ;-separated export with Excel's sep= line; short descriptions, so no survey reading.
    data = ("sep=;\r\nTicket Number;Submitted By;Department;Description;Created\r\n"
            'INC001;"Sørensen, Björn";Finance;Retrieve my recent transactions;01/03/2024 08:00\r\n'
            'INC002;"Pryce, Gareth";Finance;Card declined at the till;01/03/2024 08:37\r\n'
            'INC003;"Sørensen, Björn";Finance;Card declined again;01/03/2024 09:14\r\n').encode()
    turns = parse_csv(data, ParseOptions("tickets.csv"))
    assert [(t.transcript_id, t.row, t.speaker, t.team, t.text) for t in turns] == [
        ("tickets.csv#1", 0, "Sørensen, Björn", "Finance", "Retrieve my recent transactions"),
        ("tickets.csv#2", 0, "Pryce, Gareth", "Finance", "Card declined at the till"),
        ("tickets.csv#1", 1, "Sørensen, Björn", "Finance", "Card declined again")]
    assert all(t.row is not None for t in turns)  # rows, never merged: "Created" is no segment's end


@pytest.mark.parametrize("text, person", [
    ("Details", "Requester"), ("Request", "Reporter"), ("Response", "Respondent Name"), ("Answer", "respondent-name"),
    ("Feedback", "Customer"), ("Body", "Caller"), ("comment_body", "Created By"), ("Description", "submitted_by"),
])
def test_the_names_exports_give_the_text_and_the_writer_are_understood_however_spelled(text, person):
    data = f"{person},{text}\nAna,The lift is broken.\nBo,The lights flicker.\n".encode()
    turns = parse_csv(data, OPTIONS)
    assert [(t.speaker, t.text, t.transcript_id) for t in turns] == [
        ("Ana", "The lift is broken.", "fixture#1"), ("Bo", "The lights flicker.", "fixture#2")]


def test_a_description_wins_over_a_summary_and_columns_that_are_not_the_requesters_words_are_never_taken():
    data = b"Summary,Description,Reporter\nLift,The lift has been stuck on floor two since Monday.,Ana\n"
    assert [t.text for t in parse_csv(data, OPTIONS)] == ["The lift has been stuck on floor two since Monday."]
    for other in (b"Summary,Reporter\nLift stuck,Ana\n", b"Notes,Reporter\nCalled back,Ana\n",
                  b"Subject,Reporter\nLift,Ana\n"):
        with pytest.raises(InputFileError, match="no 'text' column"):
            parse_csv(other, OPTIONS)
    # What a ticket is about and who handles it are not the team; a "Contact" yes/no is not a person.
    routed = b"Category,Queue,Contact,Description\nHardware,IT,Yes,The lift is broken.\n"
    assert [(t.team, t.speaker) for t in parse_csv(routed, OPTIONS)] == [(None, "")]


def test_a_consultation_export_names_each_respondent_and_their_stakeholder_group():
    lines = [{"response_id": "R-1", "respondent_name": "Aroha Ngata", "stakeholder_group": "Landowner",
              "response": "Pest control on private land should be funded by the council."},
             {"response_id": "R-2", "respondent_name": "Grace Liu", "stakeholder_group": "Community group",
              "response": "Volunteers need more support to keep the traps running."},
             {"response_id": "R-3", "respondent_name": "Aroha Ngata", "stakeholder_group": "Landowner",
              "response": "And fencing."}]
    data = "".join(json.dumps(line) + "\n" for line in lines).encode()
    turns = parse_jsonl(data, ParseOptions("responses.jsonl"))
    assert [(t.transcript_id, t.row, t.speaker, t.team) for t in turns] == [
        ("responses.jsonl#1", 0, "Aroha Ngata", "Landowner"), ("responses.jsonl#2", 0, "Grace Liu", "Community group"),
        ("responses.jsonl#1", 1, "Aroha Ngata", "Landowner")]
    unnamed = b'{"respondent": "", "response": "Yes."}\n{"respondent": "", "response": "No."}\n'
    assert [t.transcript_id for t in parse_jsonl(unnamed, OPTIONS)] == ["fixture#1", "fixture#2"]  # two people


def test_a_comment_board_of_many_writers_is_a_conversation_each_and_a_meeting_or_chat_stays_one():
    board = "author,comment\n" + "".join(f"P{n},Comment number {n} on the plan.\n" for n in range(12))
    assert len({t.transcript_id for t in parse_csv(board.encode(), OPTIONS)}) == 12
    # Few people, many turns each (AMI's meetings: 4 speakers), or a chair between the others: one conversation.
    meeting = "speaker,text\n" + "".join(f"{who},Turn {n}.\n" for n in range(10) for who in "ABCD")
    town_hall = "user,message\n" + "".join(f"Chair,Next question.\nP{n},My question {n}.\n" for n in range(12))
    for table in (meeting, town_hall):
        assert {t.transcript_id for t in parse_csv(table.encode(), OPTIONS)} == {None}
    # A turn table's speaker wins over a submitter column beside it: the call stays one conversation.
    call = b"speaker,customer,text\nAgent,C-7,How can I help?\nAna,C-7,My card was declined.\n"
    assert [(t.speaker, t.transcript_id) for t in parse_csv(call, OPTIONS)] == [("Agent", None), ("Ana", None)]
    # Rows that name their conversation keep it, whoever wrote them.
    named = b"ticket_id,requester,description\nT1,Ana,Lift broken.\nT1,Agent,On its way.\n"
    assert [t.transcript_id for t in parse_csv(named, OPTIONS)] == ["T1", "T1"]


def test_only_timed_segments_lose_their_row_index_to_be_merged():
    segments = b"start,end,speaker,text\n0.0,1.0,A,We stopped.\n1.0,2.0,A,On Fridays.\n"
    assert [t.row for t in parse_csv(segments, OPTIONS)] == [None, None]
    turns_table = b"start,speaker,text\n0.0,A,We stopped.\n1.0,A,On Fridays.\n"  # two turns on purpose
    assert [t.row for t in parse_csv(turns_table, OPTIONS)] == [0, 1]
    chat = json.dumps([{"user": "U1", "text": "Hi.", "ts": "1700000000.1"},
                       {"user": "U1", "text": "Anyone?", "ts": "1700000001.1"}]).encode()
    assert [t.row for t in parse_json(chat, OPTIONS)] == [0, 1]


def test_a_survey_export_names_each_row_by_its_respondent_column_not_by_an_answer():
    answer = "We will appreciate the people we did not appreciate enough before, the neighbours above all."
    data = f'Respondent,Stakeholder Group,Q1\nAnna,Landowner,"{answer}"\nBo,Individual,"{answer}"\n'.encode()
    assert [(t.transcript_id, t.speaker, t.team) for t in parse_csv(data, ParseOptions("s.csv"))] == [
        ("s.csv#1", "Anna", "Landowner"), ("s.csv#2", "Bo", "Individual")]


INTERVIEW_LOG = (
    "Interviewee,Department,Question,Answer\n"
    "Ana Pryce,Housing,What changed?,We cut the phone hours.\n"
    "Ana Pryce,Housing,Why?,The casework was piling up.\n"
    "Ana Pryce,Housing,,And nobody could clear it.\n"
    "Bo Lind,Revenues,What changed?,We stopped closing claims at a month.\n"
    "Bo Lind,Revenues,Why?,Evidence comes in late.\n"
)


def test_an_interview_log_is_a_conversation_per_interviewee_each_answer_after_its_question():
    turns = parse_csv(INTERVIEW_LOG.encode(), ParseOptions("log.csv"))
    by_conversation: dict[str, list] = {}
    for turn in turns:
        by_conversation.setdefault(turn.transcript_id, []).append(turn)
    assert len(by_conversation) == 2
    first = [(t.speaker, t.role, t.text, t.row) for t in by_conversation["log.csv#1"]]
    assert first == [("Interviewer", "interviewer", "What changed?", 0),
                     ("Ana Pryce", None, "We cut the phone hours.", 1),
                     ("Interviewer", "interviewer", "Why?", 2),
                     ("Ana Pryce", None, "The casework was piling up.", 3),
                     ("Ana Pryce", None, "And nobody could clear it.", 4)]  # an answer over two rows: asked once
    assert {t.team for t in by_conversation["log.csv#2"]} == {"Revenues"}


def test_a_focus_group_log_stays_one_conversation_and_asks_each_question_once():
    log = ("Question,Participant,Answer\n"
           "What changed?,Ana,We cut the phone hours.\nWhat changed?,Bo,We stopped closing claims.\n"
           "Why?,Ana,The casework.\nWhy?,Bo,Late evidence.\n")
    turns = parse_csv(log.encode(), ParseOptions("group.csv"))
    assert {t.transcript_id for t in turns} == {None}
    assert [t.speaker for t in turns] == ["Interviewer", "Ana", "Bo", "Interviewer", "Ana", "Bo"]


def test_an_interview_log_reads_as_interviews_with_the_questions_never_quoted(tmp_path, ingest_config):
    from pipeline.ingest import read_corpus

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "log.csv").write_text(INTERVIEW_LOG, encoding="utf-8")
    turns = read_corpus(tmp_path / "in", ingest_config()).turns
    assert turns["transcript_id"].nunique() == 2
    asked = turns[turns["role"] == "interviewer"]
    assert set(asked["text"]) == {"What changed?", "Why?"}
    assert all(speaker.startswith("Interviewer") for speaker in asked["speaker"])  # scoped per conversation
    assert set(turns[turns["role"] == "participant"]["speaker"]) == {"Ana Pryce", "Bo Lind"}


def test_an_interview_log_naming_its_people_as_speakers_is_a_conversation_per_person():
    log = ("Name,Question,Answer\n"
           "Ana,What changed?,We cut the phone hours.\nAna,Why?,The casework.\n"
           "Bo,What changed?,We stopped closing claims.\nBo,Why?,Late evidence.\n")
    turns = parse_csv(log.encode(), ParseOptions("log.csv"))
    assert [(t.transcript_id, t.speaker) for t in turns if t.role is None] == [
        ("log.csv#1", "Ana"), ("log.csv#1", "Ana"), ("log.csv#2", "Bo"), ("log.csv#2", "Bo")]


# Exports of excerpts: a coding tool's coded segments, a research repository's highlights.

def test_nvivo_coded_text_is_the_text_and_the_analysts_comment_is_not():
    data = (b"Document,Code,Coded text,Comment\n"
            b"Interview 1.docx,Workload,The backlog doubled.,memo: compare with survey\n"
            b"Interview 1.docx,Staffing,We lost two planners.,\n"
            b"Interview 2.docx,Workload,The queue is shorter.,\n")
    turns = parse_csv(data, OPTIONS)
    assert [(t.transcript_id, t.row, t.text) for t in turns] == [
        ("Interview 1.docx", 0, "The backlog doubled."),
        ("Interview 1.docx", 1, "We lost two planners."),
        ("Interview 2.docx", 0, "The queue is shorter."),
    ]


def test_atlas_ti_quotation_content_beside_an_empty_comment():
    data = (b"ID,Document,Codes,Quotation Content,Comment\n"
            b"1:1,1 Site visit,cost,The van costs more than the overtime.,\n"
            b"1:2,1 Site visit,cost,So we sold the van.,\n")
    turns = parse_csv(data, OPTIONS)
    assert [(t.transcript_id, t.text) for t in turns] == [
        ("1 Site visit", "The van costs more than the overtime."), ("1 Site visit", "So we sold the van.")]


def test_a_segment_coded_twice_is_read_once():
    data = (b"Document,Code,Coded text\n"
            b"Interview 1,Workload,We cut the visits and the backlog doubled.\n"
            b"Interview 1,Cost,We cut the visits and the backlog doubled.\n"
            b"Interview 1,Cost,The overtime bill fell.\n"
            b"Interview 2,Cost,We cut the visits and the backlog doubled.\n")
    turns = parse_csv(data, OPTIONS)
    assert [(t.transcript_id, t.row, t.text) for t in turns] == [
        ("Interview 1", 0, "We cut the visits and the backlog doubled."),
        ("Interview 1", 1, "The overtime bill fell."),
        ("Interview 2", 0, "We cut the visits and the backlog doubled."),
    ]


def test_highlights_by_participant_are_a_conversation_per_participant():
    rows = [("Ilse", "The phone line closes too early for shift workers."),
            ("Ilse", "We moved call-backs to the evening."),
            ("Marek", "Nobody came to the drop-in sessions any more."),
            ("Ilse", "Complaints fell after the change."),
            ("Marek", "Older tenants cannot reach us at all now.")]
    data = "Highlight,Participant,Tags,Created at\n" + "".join(
        f"{text},{person},access,2024-03-01\n" for person, text in rows)
    turns = parse_csv(data.encode(), OPTIONS)
    assert [(t.transcript_id, t.row, t.speaker) for t in turns] == [
        ("fixture#1", 0, "Ilse"), ("fixture#1", 1, "Ilse"), ("fixture#2", 0, "Marek"),
        ("fixture#1", 2, "Ilse"), ("fixture#2", 1, "Marek")]


def test_a_turn_table_with_a_participant_column_and_no_tags_stays_one_conversation():
    data = b"Participant,Text\nIlse,Why did you stop?\nMarek,Nobody came.\nIlse,And then?\nMarek,We closed it.\n"
    assert {t.transcript_id for t in parse_csv(data, OPTIONS)} == {None}


def test_a_text_column_empty_in_every_row_is_refused_with_a_reason():
    with pytest.raises(InputFileError, match="empty in every row"):
        parse_csv(b"speaker,comment\nIlse,\nMarek,\n", OPTIONS)


def test_an_excerpt_column_of_another_name_is_read_and_the_analysts_memos_are_not():
    data = (b"Document,Code,Extract,Comment\n"
            b"Interview 1,Workload,We cut the home visits last spring and the repairs backlog doubled within weeks.,"
            b"memo: ask about it\n"
            b"Interview 1,Staffing,We lost two planners in a single month and nobody replaced them at all.,"
            b"memo: check\n"
            b"Interview 2,Workload,The queue is much shorter since we merged the two teams into one desk.,"
            b"memo: good quote\n")
    turns = parse_csv(data, OPTIONS)
    assert [(t.transcript_id, t.text[:14]) for t in turns] == [
        ("Interview 1", "We cut the hom"), ("Interview 1", "We lost two pl"), ("Interview 2", "The queue is m")]
    assert not any("memo" in t.text for t in turns)


# An anonymous form's export with one open column named like a text column: a conversation per respondent.

_FORM_ANSWERS = ["The rota should be set by the team itself and not the office",
                 "Open the phone line later for those of us who work days",
                 "Fewer meetings and more time with the families we support"]


@pytest.mark.parametrize("stamp", [("Timestamp",), ("Start time", "Completion time"), ("Submit Date (UTC)",),
                                   ("Submission Date",)])
@pytest.mark.parametrize("text", ["Comments", "Feedback", "Response"])
def test_an_anonymous_form_with_one_open_column_is_a_conversation_per_respondent(stamp, text):
    header = ",".join((*stamp, text))
    data = (header + "\n" + "".join(",".join((*(f"2024-03-04 10:0{n}:11",) * len(stamp), answer)) + "\n"
                                    for n, answer in enumerate(_FORM_ANSWERS))).encode()
    turns = parse_csv(data, ParseOptions("form.csv"))
    assert [(t.transcript_id, t.row, t.speaker, t.text) for t in turns] == [
        (f"form.csv#{n + 1}", 0, "", answer) for n, answer in enumerate(_FORM_ANSWERS)]


@pytest.mark.parametrize("header, cells", [
    # A ticket queue's own column beside the form's time: rows of one queue, as before.
    ("Timestamp,Comments,Priority", "3/4/2024 10:0{n}:11,{answer},High"),
    # The rows name their conversation.
    ("Timestamp,Session,Comments", "3/4/2024 10:0{n}:11,S1,{answer}"),
    # A transcription tool's clock time, not a form's date: one conversation's turns.
    ("Timestamp,Comments", "00:0{n}:11,{answer}"),
])
def test_rows_a_ticket_column_a_conversation_or_a_clock_time_speak_for_stay_as_they_are(header, cells):
    data = (header + "\n" + "".join(cells.format(n=n, answer=answer) + "\n"
                                    for n, answer in enumerate(_FORM_ANSWERS))).encode()
    turns = parse_csv(data, ParseOptions("form.csv"))
    assert len(turns) == 3 and len({t.transcript_id for t in turns}) == 1

# Microsoft Forms' export of an anonymous form: its Name and Email columns say "anonymous" (or nothing) in
# every row. Such a column names nobody, so each row is its own respondent's conversation; a column that names
# people is read by person as before.

# Invented answers, long enough to read as open answers.
FORM_ANSWERS = [
    "The rota should be set by the team itself and not by the office upstairs",
    "Open the phone line later in the evening for those of us who work days",
    "Fewer meetings and more time with the families we are meant to support",
    "The new booking system loses half of the requests we send to it each week",
    "Parking near the depot is impossible after eight so people arrive late",
    "Training for new starters takes far too long before they can work alone",
    "We need a quiet room for calls that deal with difficult family matters",
    "The vans break down often and the repairs take a month to be arranged",
    "Let the night shift swap days with each other without asking a manager",
    "The forms we fill in for every visit ask the same questions three times",
    "Share the minutes of the board meetings with everyone on the front line",
    "A small budget for each team to fix the little things would help a lot",
]
FORM_QUESTIONS = ["What would you change about the service?", "What gets in the way of your work?",
             "What should we keep doing?"]
ANONYMOUS_CELLS = {
    "anonymous": lambda n: ("anonymous", "anonymous"),
    "Anonymous": lambda n: ("Anonymous", "Anonymous"),
    "empty": lambda n: ("", ""),
    "mixed": lambda n: (["anonymous", "Anonymous", "", "ANONYMOUS "][n % 4], ["", "anonymous"][n % 2]),
}


def _anonymous_form_rows(who, questions=("Comments",), dates=True):
    """Microsoft Forms' columns (ID, Start time, Completion time, Email, Name), then the questions."""
    rows = [["ID", "Start time", "Completion time", "Email", "Name", *questions]]
    for n in range(len(FORM_ANSWERS)):
        start = datetime.datetime(2024, 3, 4, 10, n, 11)
        stamps = (start, start + datetime.timedelta(minutes=4)) if dates else (
            start.strftime("%m/%d/%Y %H:%M:%S"), (start + datetime.timedelta(minutes=4)).strftime("%m/%d/%Y %H:%M:%S"))
        email, name = who(n)
        rows.append([n + 1, *stamps, email, name, *(FORM_ANSWERS[(n + k) % len(FORM_ANSWERS)] for k in range(len(questions)))])
    return rows


def _form_csv(rows) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode()


def _form_xlsx(rows) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _read_form(kind, rows):
    if kind == "csv":
        return parse_csv(_form_csv(rows), ParseOptions("form.csv")), "form.csv"
    return parse_xlsx(_form_xlsx(rows), ParseOptions("form.xlsx")), "form.xlsx"


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
@pytest.mark.parametrize("hidden", sorted(ANONYMOUS_CELLS))
def test_an_anonymous_forms_export_with_one_comments_column_is_a_conversation_per_respondent(kind, hidden):
    rows = _anonymous_form_rows(ANONYMOUS_CELLS[hidden], dates=kind == "xlsx")
    turns, name = _read_form(kind, rows)
    assert [(t.transcript_id, t.row, t.text) for t in turns] == [
        (f"{name}#{n + 1}", 0, answer) for n, answer in enumerate(FORM_ANSWERS)]
    assert {t.speaker for t in turns} == {""}  # "anonymous" is nobody's name


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
@pytest.mark.parametrize("hidden", sorted(ANONYMOUS_CELLS))
def test_an_anonymous_forms_export_with_several_questions_is_a_conversation_per_respondent(kind, hidden):
    turns, name = _read_form(kind, _anonymous_form_rows(ANONYMOUS_CELLS[hidden], questions=FORM_QUESTIONS, dates=kind == "xlsx"))
    said = [t for t in turns if t.role == "participant"]
    assert len(said) == 3 * len(FORM_ANSWERS)
    assert [t.transcript_id for t in said] == [f"{name}#{n + 1}" for n in range(len(FORM_ANSWERS)) for _ in FORM_QUESTIONS]


# Named people: the rows are read by person exactly as before the fix.
FORM_NAMES = ["Orla Quennell", "Tamsin Vossberg", "Bertrand Aldous", "Ines Marchetti"]


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_form_whose_name_column_names_people_is_read_as_before(kind):
    # Two people who each come back row after row: the turns of one table, one conversation, as ever.
    turns, _ = _read_form(kind, _anonymous_form_rows(lambda n: ("", FORM_NAMES[n % 2]), dates=kind == "xlsx"))
    assert len({t.transcript_id for t in turns}) == 1
    assert [t.speaker for t in turns] == [FORM_NAMES[n % 2] for n in range(len(FORM_ANSWERS))]


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_name_column_naming_some_people_and_anonymous_others_is_read_as_before(kind):
    # One named person among hidden ones: the column names someone, so the rows are not taken for an
    # anonymous form's; they stay one conversation, with their speakers as written.
    who = (lambda n: ("", FORM_NAMES[0] if n == 0 else "anonymous"))
    turns, _ = _read_form(kind, _anonymous_form_rows(who, dates=kind == "xlsx"))
    assert len({t.transcript_id for t in turns}) == 1
    assert [t.speaker for t in turns] == [FORM_NAMES[0]] + ["anonymous"] * (len(FORM_ANSWERS) - 1)


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_form_whose_respondents_give_their_names_is_a_conversation_per_person(kind):
    # Ten people, two of whom write twice: submissions by person, as before; never a row each.
    people = [f"{first} {n}" for n, first in enumerate(FORM_NAMES * 3)][:10]

    def who(n):
        person = people[n if n < 10 else n - 10]
        return f"{person.split()[0].lower()}{n % 10}@example.org", person
    turns, name = _read_form(kind, _anonymous_form_rows(who, dates=kind == "xlsx"))
    assert [t.transcript_id for t in turns] == [f"{name}#{n + 1}" for n in range(10)] + [f"{name}#1", f"{name}#2"]
    assert [t.speaker for t in turns] == people + people[:2]

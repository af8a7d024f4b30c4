import logging
import re

import pytest
from helpers import make_turns

from pipeline import schema
from pipeline.anonymise import (
    PLACEHOLDER_RE,
    anonymise,
    apply_redactions,
    neutralise_placeholders,
    speaker_pseudonyms,
)
from pipeline.config import load_config
from pipeline.leakcheck import find_leaks
from pipeline.nlp import common_words

P, I = schema.ROLE_PARTICIPANT, schema.ROLE_INTERVIEWER


def _run(nlp, rows, roster=(), **overrides):
    turns = make_turns(rows)
    docs = list(nlp.pipe(turns[schema.TEXT]))
    config = load_config(**overrides).anonymise
    return anonymise(turns, docs, config, list(roster), common_words=common_words(nlp))


def test_speakers_become_stable_pseudonyms_by_role():
    turns = make_turns([("a.txt", "Helen Marsh", I, "x", "Hi"), ("a.txt", "Priya Shah", P, "x", "Hello"),
                        ("b.txt", "Helen Marsh", I, "y", "Hi"), ("b.txt", "Tom Kowalski", P, "y", "Hey")])
    assert speaker_pseudonyms(turns) == {"helen marsh": "Interviewer 1", "priya shah": "Participant 1",
                                         "tom kowalski": "Participant 2"}


def test_one_person_one_placeholder_in_every_form(nlp):
    result = _run(nlp, [
        ("a.txt", "Priya Shah", P, "x", "I spoke to my manager Sarah Jones about it last week."),
        ("a.txt", "Priya Shah", P, "x", "Sarah said no, and sarah's view was clear. It was Sarah's call."),
    ])
    first, second = result.turns[schema.TEXT]
    placeholder = PLACEHOLDER_RE.search(first).group()
    assert "Sarah" not in first + second and "sarah" not in second
    assert second.count(placeholder) == 3
    assert result.turns[schema.SPEAKER].tolist() == ["Participant 1", "Participant 1"]


def test_speaker_and_roster_names_are_replaced_in_any_case(nlp):
    result = _run(nlp, [
        ("a.txt", "Helen Marsh", I, "x", "Thanks for coming in."),
        ("a.txt", "Priya Shah", P, "x", "no problem helen. I asked dave and DAVE agreed; ask priya anything."),
    ], roster=["Dave Pritchard"])
    text = result.turns[schema.TEXT].iloc[1].lower()
    for name in ("helen", "dave", "priya"):
        assert name not in text


@pytest.mark.parametrize("label", ["MAUD", "MARK", "DAWN", "Maud"])
def test_a_speaker_named_in_capitals_is_a_name_and_leaves_the_file_name(nlp, label):
    # "MAUD" had been read as a role "MAU" lettered "D" (as "Respondent A"), so the file named after her kept it.
    result = _run(nlp, [(f"housing/{label.lower()}.txt", "TAMSIN", I, "housing", "Why did you stop?"),
                        (f"housing/{label.lower()}.txt", label, P, "housing",
                         f"We stopped because the money ran out, {label.lower()} said.")])
    assert label.lower() not in result.turns[schema.TRANSCRIPT_ID].iloc[0].lower()
    assert label.lower() not in result.turns[schema.TEXT].iloc[1].lower()


@pytest.mark.parametrize("datum, kind", [
    ("gary.holt@eastbrook.gov.uk", "EMAIL"),
    ("07700 900123", "PHONE"), ("07700900123", "PHONE"), ("+44 7700 900456", "PHONE"),
    ("(0114) 496 0999", "PHONE"), ("020 7946 0958", "PHONE"), ("0161 496 0732", "PHONE"),
    ("EB4 7QT", "POSTCODE"), ("https://example.org/x", "URL"),
    ("GB59NAWV77136867049356", "IBAN"), ("@fen_hargreaves", "HANDLE"), ("192.168.10.200", "IP"),
])
def test_contact_details_become_typed_placeholders(nlp, datum, kind):
    result = _run(nlp, [("a.txt", "Priya Shah", P, "x", f"You can reach it on {datum} most days.")])
    text = result.turns[schema.TEXT].iloc[0]
    assert datum not in text
    assert f"[{kind}]" in text
    assert result.counts[kind] == 1


def test_places_found_by_the_entity_recogniser_are_replaced_everywhere(nlp):
    result = _run(nlp, [
        ("a.txt", "Priya Shah", P, "x", "We moved the office to Sheffield in the spring."),
        ("b.txt", "Tom Kowalski", P, "y", "The sheffield office never worked for us."),
    ])
    joined = " ".join(result.turns[schema.TEXT]).lower()
    assert "sheffield" not in joined
    assert "[place 1]" in joined


def test_keep_list_terms_survive(nlp):
    result = _run(nlp, [("a.txt", "Priya Shah", P, "x", "The Better Lives programme changed everything in Leeds.")],
                  **{"anonymise.keep": ["Better Lives", "Leeds"]})
    assert "Better Lives" in result.turns[schema.TEXT].iloc[0]
    assert "Leeds" in result.turns[schema.TEXT].iloc[0]


def test_input_table_is_not_modified(nlp):
    turns = make_turns([("a.txt", "Priya Shah", P, "x", "Email me at a.b@example.com.")])
    before = turns.copy()
    anonymise(turns, list(nlp.pipe(turns[schema.TEXT])), load_config().anonymise)
    assert turns.equals(before)


def test_key_maps_originals_to_pseudonyms_and_redact_cleans_paths(nlp):
    result = _run(nlp, [("housing/priya_shah.vtt", "Priya Shah", P, "x", "Ask Sarah Jones.")])
    assert result.key["Priya Shah"] == "Participant 1"
    assert "priya" not in result.redact("housing/priya_shah.vtt").lower()
    assert "sarah" not in result.redact("notes from sarah.txt").lower()


def test_apply_redactions_clips_to_the_window():
    text = "Call Sarah Jones today"
    assert apply_redactions(text, [(5, 16, "[PERSON 1]")]) == "Call [PERSON 1] today"
    assert apply_redactions(text, [(5, 16, "[PERSON 1]")], offset=11, end=22) == "[PERSON 1] today"


def test_placeholders_are_neutralised_for_the_embedder():
    assert neutralise_placeholders("Ask [PERSON 3] at [EMAIL] in [PLACE 2]") == \
        "Ask someone at an email address in somewhere"


def test_transcript_ids_named_after_people_are_redacted(nlp):
    result = _run(nlp, [("housing/priya_shah.vtt", "Priya Shah", P, "x", "We changed the rota.")])
    assert "priya" not in result.turns[schema.TRANSCRIPT_ID].iloc[0].lower()
    assert result.turns[schema.TRANSCRIPT_ID].iloc[0].startswith("housing/")


@pytest.mark.parametrize("sentence, name", [
    ("Warrane, can I please speak to your boss?", "Warrane"),          # a vocative
    ("What's your last name? Nyberg", "Nyberg"),                       # an answer to "name?"
    ("my name is vitoria and I run the desk", "vitoria"),              # lower case after "my name is"
    ("Please ask Mrs Okonkwo, she knows.", "Okonkwo"),                 # a title
    ("Usamov and Bowers were the engineers.", "Usamov"),               # a list with a surname
    ("That was Crystal's point too.", "Crystal"),                      # a first name that is a word
    ("The form went to Iva D. Grusová last week.", "Grusová"),         # an initial inside a name
    ("Willemine ten Pas will be talking.", "Willemine ten Pas"),       # a particle inside a name
    ("I grew up in Kangerlussuaq, a long way north.", "Kangerlussuaq"),  # a place the model does not know
    ("I sat down with my colleague tobias wexley and we rewrote it.", "tobias wexley"),  # a rarer first name
    ("My co-worker tobias wexley rewrote it.", "tobias wexley"),
    ("Our neighbour tobias moved away.", "tobias"),
])
def test_names_the_small_model_misses(nlp, sentence, name):
    text = _run(nlp, [("a.txt", "", P, "x", sentence)]).turns[schema.TEXT].iloc[0]
    assert name not in text


@pytest.mark.parametrize("sentence", [
    "Maybe, to be honest, the Euro price was fine.",
    "We moved the casework onto the new system in March.",
    "Mm-hmm. Yeah. Dunno, kinda.",
    "The Green Party and the Labour group both voted for it.",
    "Young people in Housing need the most help.",
])
def test_ordinary_capitalised_words_stay(nlp, sentence):
    result = _run(nlp, [("a.txt", "", P, "housing", sentence)])
    assert result.turns[schema.TEXT].iloc[0] == sentence


def test_transcribed_backchannel_is_not_a_name(nlp):
    # AMI writes assent as "Hu yeah ." and "Uh-hu", and acronyms as "R_S_I_": none names anyone.
    rows = [("a.txt", "", P, "x", "Hu yeah ."), ("a.txt", "", P, "x", "Uh-hu oh , oh yes ."),
            ("a.txt", "", P, "x", "I. Yeah, I said so."), ("a.txt", "", P, "x", "Bad for R_S_I_. Yeah, really.")]
    result = _run(nlp, rows)
    assert result.turns[schema.TEXT].tolist() == [row[4] for row in rows]
    assert not {"Hu", "hu", "I. Yeah", "I Yeah"} & set(result.leak_terms)


def test_names_inside_hyphenated_words_are_replaced_as_the_leak_check_reads_them(nlp, tmp_path):
    result = _run(nlp, [("a.txt", "Priya Okonkwo", P, "x", "Hello."),
                        ("a.txt", "Tom Kowalski", P, "x", "We ran an okonkwo-style rota, pre-kowalski."),
                        ("a.txt", "Tom Kowalski", P, "x", "Okonkwo'll sort it; see kowalski_notes.")])
    text = " ".join(result.turns[schema.TEXT].iloc[1:])
    assert "okonkwo" not in text.lower() and "kowalski" not in text.lower() and "-style rota" in text
    assert "'ll sort it" in text
    (tmp_path / "quotes.csv").write_text(text, encoding="utf-8")
    assert find_leaks(tmp_path, result.leak_terms) == []


def test_team_names_are_kept(nlp):
    result = _run(nlp, [("a.txt", "Priya Shah", P, "social_care", "I moved from Revenues to Social Care.")],)
    assert "Social Care" in result.turns[schema.TEXT].iloc[0]


def test_known_names_that_are_words_are_replaced_where_they_name_someone(nlp):
    result = _run(nlp, [("a.txt", "Will Green", P, "x", "Will said it will be fine, and will's view won."),
                        ("a.txt", "Rose Hill", P, "x", "Prices rose, but Rose agreed with Will.")])
    first, second = result.turns[schema.TEXT]
    assert "Will" not in first.replace("will be", "") and "Rose" not in second and "Will" not in second
    assert "it will be fine" in first and "Prices rose" in second


def test_placeholders_are_stable_across_re_runs(nlp):
    rows = [("b.txt", "Tom Kowalski", P, "y", "Ask Sarah Jones or Kwame Mensah."),
            ("a.txt", "Priya Shah", P, "x", "Kwame Mensah rang, then Sarah.")]
    assert _run(nlp, rows).key == _run(nlp, list(reversed(rows))).key


def test_leak_terms_name_every_original_but_no_ordinary_word(nlp):
    result = _run(nlp, [("a.txt", "Will Green", P, "x", "Ask Sarah Jones at sarah@example.org about Tanners Row."),
                        ("a.txt", "Priya Shah", P, "x", "Brown was there.")], roster=["Dave Pritchard"])
    terms = result.leak_terms
    assert terms["Sarah Jones"] == "person name" and terms["sarah@example.org"] == "email address"
    assert terms["Priya Shah"] == "speaker name" and terms["Dave Pritchard"] == "roster name"
    assert terms["Tanners Row"] == "place" and terms.get("pritchard") == "roster name"
    assert not {"will", "Will", "green", "Green", "Brown"} & set(terms)


def test_generic_speaker_labels_are_not_names(nlp):
    result = _run(nlp, [("a.txt", "Speaker_2@cfc7b4", P, "x", "The speaker said the answer was two.")])
    assert result.turns[schema.TEXT].iloc[0] == "The speaker said the answer was two."
    assert "Speaker_2@cfc7b4" not in result.leak_terms


def test_placeholders_never_become_key_phrases(nlp):
    from pipeline.segment import segment
    from pipeline.themes.phrases import quote_phrases

    rows = [("a.txt", "Priya Shah", P, "x", ("Sarah Jones and the Beechwood estate team moved the casework "
                                            "backlog to Sheffield, and Sarah Jones signed the new rota off."))]
    turns = make_turns(rows)
    docs = list(nlp.pipe(turns[schema.TEXT]))
    anonymised = anonymise(turns, docs, load_config().anonymise, common_words=common_words(nlp))
    quotes = segment(anonymised.turns, anonymised.docs, load_config().segment)
    phrases = quote_phrases(quotes, anonymised.docs, anonymised.distinctive)
    terms = " ".join(f"{p.key} {p.text.lower()}" for found in phrases for p in found)
    assert "[" not in " ".join(quotes[schema.EMBED_TEXT])
    for word in ("sarah", "jones", "beechwood", "sheffield", "person", "place"):
        assert word not in terms


def test_nothing_personal_in_logs_or_errors(nlp, caplog):
    rows = [("a.txt", "Priya Shah", P, "x", "Ask Sarah Jones on 07911 123456.")]
    with caplog.at_level(logging.DEBUG, logger="pipeline"):
        _run(nlp, rows)
    for datum in ("Priya", "Sarah", "07911"):
        assert datum not in caplog.text
    turns = make_turns(rows)
    with pytest.raises(ValueError) as error:
        anonymise(turns, [], load_config().anonymise)
    assert "Sarah" not in str(error.value) and "Priya" not in str(error.value)


# ----------------------------------------------------------------------------- precision: what is not a name

TECH_TALK = [
    "We moved the whole pipeline from Python to Spark last year.",
    "Most of it runs on Azure now, in Kubernetes, packaged with Docker.",
    "Honestly the API was the bottleneck, not the GPU.",
    "The finance people still live in Excel and send everything over Teams.",
    "Nvidia cards are expensive, so we rent them from Amazon, and Microsoft gave us credits.",
    "I had to choose between keeping Jira or moving everyone to GitHub issues.",
    "We dropped Tableau because nobody opened the dashboards.",
    "It's like a Panasonic remote control, and the Bluetooth pairing kept failing on it.",
]


def test_technology_and_product_names_are_kept_while_people_in_the_same_talk_are_not(nlp):
    rows = [(f"t{i}.txt", "Priya Shah", P, "data", line) for i, line in enumerate(TECH_TALK)]
    rows.append(("t9.txt", "Priya Shah", P, "data", "My manager Sarah Okafor pushed us to use Tableau instead."))
    result = _run(nlp, rows)
    texts = result.turns[schema.TEXT].tolist()
    assert texts[:len(TECH_TALK)] == TECH_TALK
    assert "Sarah" not in texts[-1] and "Okafor" not in texts[-1] and "Tableau" in texts[-1]
    assert result.not_names.get("technology", 0) >= len(TECH_TALK)


def test_a_word_written_in_lower_case_across_the_corpus_is_no_name(nlp):
    rows = [("a.txt", "Priya Shah", P, "x", "We put everything on the whiteboard in the office."),
            ("b.txt", "Tom Kowalski", P, "y", "The whiteboard was always full, and whiteboards are cheap."),
            ("c.txt", "Ann Lee", P, "z", "I remember Whiteboard sessions were where it happened, then Whiteboard got wiped.")]
    result = _run(nlp, rows)
    assert result.turns[schema.TEXT].iloc[2].count("Whiteboard") == 2
    assert "whiteboard" not in {t.lower() for t in result.leak_terms}


def test_the_text_saying_it_is_a_person_outweighs_the_corpus(nlp):
    """'Spark' is a framework everywhere, except where a title says it is Mr Spark."""
    rows = [("a.txt", "Priya Shah", P, "x", "We moved everything to Spark."),
            ("b.txt", "Tom Kowalski", P, "y", "I asked Mr Spark about the contract and he said no.")]
    texts = _run(nlp, rows).turns[schema.TEXT].tolist()
    assert "Spark" not in texts[1]


def test_organisations_are_kept_by_default_and_redacted_when_asked(nlp):
    rows = [(f"{n}.txt", "Priya Shah", P, "x", text) for n, text in enumerate([
        "We buy the licences from Northgate these days.",
        "The contract with Northgate ends in March.",
        "Northgate runs the payroll for three councils.",
    ])]
    kept = _run(nlp, rows).turns[schema.TEXT].tolist()
    redacted = _run(nlp, rows, **{"anonymise.redact_organisations": True}).turns[schema.TEXT].tolist()
    labels = [[e.label_ for e in nlp(t).ents if e.text == "Northgate"] for _, _, _, _, t in rows]
    if sum("ORG" in ls for ls in labels) < 2:
        pytest.skip("the pinned parser does not read 'Northgate' as an organisation here")
    assert all("Northgate" in t for t in kept)
    assert not any("Northgate" in t for t in redacted)


def test_one_conversation_alone_does_not_make_an_unusual_surname_an_organisation(nlp):
    """The small model calls many a rare surname ORG; one conversation is no evidence it is one."""
    text = _run(nlp, [("a.txt", "", P, "x", "Usamov and Bowers were the engineers.")]).turns[schema.TEXT].iloc[0]
    assert "Usamov" not in text and "Bowers" not in text


@pytest.mark.parametrize("label", ["P2", "R1", "Speaker 3", "Participant 12", "Respondent A", "Interviewee",
                                   "Project Manager", "User Interface", "Marketing"])
def test_slot_and_role_labels_name_no_one_and_stay_in_the_text(nlp, label):
    rows = [("a.txt", label, P, "x", f"As {label} I look after the budget, and the project manager agrees."),
            ("a.txt", "Helen Marsh", I, "x", f"Thanks, {label}.")]
    result = _run(nlp, rows)
    assert label not in result.leak_terms
    assert "project manager" in result.turns[schema.TEXT].iloc[0]


def test_a_slot_label_that_is_also_the_team_stays_both(nlp):
    result = _run(nlp, [("session_P2.txt", "P2", P, "P2", "I could not find the save button at all.")])
    assert result.turns[schema.TEAM].iloc[0] == "P2"
    assert result.turns[schema.TRANSCRIPT_ID].iloc[0] == "session_P2.txt"


def test_a_team_named_after_a_person_becomes_a_team_pseudonym(nlp, caplog):
    rows = [("priya/a.txt", "Priya Shah", P, "Priya Shah", "We changed the rota in the spring."),
            ("tom/b.txt", "Tom Kowalski", P, "Tom Kowalski", "We kept the rota as it was."),
            ("c.txt", "Ann Lee", P, "housing", "We never had a rota.")]
    with caplog.at_level(logging.WARNING):
        result = _run(nlp, rows)
    assert result.turns[schema.TEAM].tolist() == ["Team 1", "Team 2", "housing"]
    assert result.leak_terms["Priya Shah"] == "speaker name"
    assert "shown as 'Team N'" in caplog.text and "Priya" not in caplog.text


def test_transcript_ids_keep_everything_but_a_real_name(nlp):
    rows = [("TS3003a", "Project Manager", I, "x", "Shall we start? And the remote, Sarah?"),
            ("TS3003a", "Marketing", P, "x", "Yes, and I spoke to Sarah Jones about the remote."),
            ("housing/sarah_jones.txt", "Ann Lee", P, "housing", "We cut the phone hours.")]
    ids = _run(nlp, rows).turns[schema.TRANSCRIPT_ID].tolist()
    assert ids[0] == "TS3003a"
    assert "sarah" not in ids[2].lower() and ids[2].startswith("housing/")


def test_every_replacement_is_counted_by_type(nlp):
    result = _run(nlp, [("a.txt", "Priya Shah", P, "x",
                         "I asked Sarah Jones, then Sarah again, and wrote to jo@example.org and ann@example.org.")])
    assert result.counts["PERSON"] == 2 and result.counts["EMAIL"] == 2


def test_overlapping_spans_merge_into_the_earliest_stretched_over_the_rest():
    from pipeline.anonymise.core import _merge_overlaps

    spans = [(5, 10, "PERSON"), (0, 3, "EMAIL"), (8, 14, "PLACE"), (3, 4, "ID"), (20, 22, "PHONE"),
             (20, 25, "URL"), (21, 25, "POSTCODE"), (25, 27, "PERSON")]
    assert _merge_overlaps(spans) == [(0, 3, "EMAIL"), (3, 4, "ID"), (5, 14, "PERSON"), (20, 25, "URL"),
                                      (25, 27, "PERSON")]  # touching is not overlapping


def _doc_with_pos(nlp, text, pos):
    """A Doc whose parts of speech are given, so the test says what the parse decides, whatever the model."""
    from spacy.tokens import Doc

    return Doc(nlp.vocab, words=text.split(), pos=pos)


@pytest.mark.parametrize("pos, replaced", [("NOUN", True), ("VERB", False)])
def test_the_replacing_pass_reads_the_parse_for_a_roster_name_that_is_also_a_word(nlp, pos, replaced):
    # "brown" in lower case is no name the first pass finds on its own: only the parse
    # of the turn, read when the registered forms are replaced, says it names someone.
    text = "we asked brown about it"
    turns = make_turns([("a.txt", "Priya Shah", P, "x", text)])
    docs = [_doc_with_pos(nlp, text, ["PRON", "VERB", pos, "ADP", "PRON"])]
    result = anonymise(turns, docs, load_config().anonymise, ["Mark Brown"], common_words=common_words(nlp))
    assert ("brown" not in result.turns[schema.TEXT].iloc[0]) is replaced


def test_file_names_lose_a_name_found_in_the_run_in_any_case_as_a_word_part_or_joined(nlp, tmp_path):
    # A file named after the person, as interview exports are: "Thorn" is also a word, so it is matched in the
    # text only where capitalised, but a name found on strong evidence is a name in a file name in any case.
    rows = [("housing/thorn_assemblyai.json", "B", I, "housing", "Thanks for joining us today, Professor Thorn."),
            ("housing/thorn_assemblyai.json", "A", P, "housing", "Happy to help, I'm Paul Thorn."),
            ("waste/holtcarver_notes.txt", "A", P, "waste", "Hello, I'm Nadia Holt Carver."),
            ("waste/VanDalen-rev.json", "A", P, "waste", "Hello, I'm Joost Van Dalen."),
            ("waste/RuizPena-rev.json", "A", P, "waste", "Hello, I'm Inés Ruiz-Peña."),
            ("waste/interview_notes-2.txt", "A", P, "waste", "We changed the housing rota in the spring.")]
    result = _run(nlp, rows)
    ids = sorted(set(result.turns[schema.TRANSCRIPT_ID]))
    assert ids == ["housing/PERSON-1_assemblyai.json", "waste/PERSON-2-rev.json", "waste/PERSON-3-rev.json",
                   "waste/PERSON-4_notes.txt", "waste/interview_notes-2.txt"]
    # Each file takes the placeholder its text gives the person, also where the file name is typed plainer
    # ("RuizPena" for "Ruiz-Peña").
    for transcript, text in zip(result.turns[schema.TRANSCRIPT_ID], result.turns[schema.TEXT]):
        found = re.search(r"PERSON-(\d+)", transcript)
        assert found is None or f"[PERSON {found.group(1)}]" in text, (transcript, text)
    # A message naming the file loses the name too, and nothing else.
    assert result.redact("could not read housing/thorn_assemblyai.json; it will be skipped") == \
        "could not read housing/PERSON-1_assemblyai.json; it will be skipped"
    # The ids as written are leak terms: an output that took one from elsewhere is caught and masked.
    (tmp_path / "decisions.csv").write_text("transcript_id\nhousing/thorn_assemblyai.json\nwaste/VanDalen-rev.json\n")
    assert find_leaks(tmp_path, result.leak_terms) == [("decisions.csv", "person name")]


def test_a_speaker_labelled_with_the_team_leaves_the_team_folder_in_the_file_names(nlp):
    # "Jo from Housing" is a speaker label, so its words are names to the anonymiser, but the team column
    # shows "housing" in every output anyway: its folder stays in the transcript ids.
    rows = [("housing/visit-1.txt", "Jo from Housing", P, "housing", "We changed the rota in the spring."),
            ("housing/visit-1.txt", "Helen Marsh", I, "housing", "What did you change?")]
    result = _run(nlp, rows)
    assert set(result.turns[schema.TRANSCRIPT_ID]) == {"housing/visit-1.txt"}


def test_a_word_found_only_weakly_as_a_name_stays_in_a_file_name(nlp):
    result = _run(nlp, [("notes/masters_interview.txt", "", P, "x", "The unit cost about eight Pounds."),
                        ("notes/masters_interview.txt", "", P, "x", "Ask Jo, she has a degree from Masters.")])
    assert result.turns[schema.TRANSCRIPT_ID].iloc[0] == "notes/masters_interview.txt"


def test_a_name_a_greeting_or_a_sign_off_addresses_is_a_person_whatever_the_entity_label(nlp):
    # The small model calls "Björn" an organisation and "Marta" a place; in three conversations the corpus
    # vote would keep "Björn" as an organisation.
    rows = [(f"tickets.csv#{n}", "somebody", P, "x", f"Hi, {ask}. Thanks, {name}") for n, (ask, name) in enumerate([
        ("what is the current time in the new york office", "Björn"),
        ("please translate this message from portuguese to italian", "Björn"),
        ("how much do i owe for my gas and phone bills", "Björn"),
        ("my expenses claim for march has not been paid yet", "Marta"),
        ("the heating has been broken since monday", "Leila")])]
    result = _run(nlp, rows)
    texts = result.turns[schema.TEXT].tolist()
    assert all(re.search(r"Thanks, \[PERSON \d+\]$", t) for t in texts), texts
    assert "organisation" not in result.not_names and result.counts == {"PERSON": 5}


@pytest.mark.parametrize("sentence", [
    "The unit cost came to about eight Pounds, roughly ten Dollars if you buy it in the Shops.",
    "It is fifteen Pounds or so, and 15 Pounds online.",
    "We hired a graduate with a Masters degree. Maybe the Dollar was too strong anyway.",
    "Should we ask Meli Should we ask our expert? So this type should be better for you.",
    "Man was created with domain over nature, and any level of Govt should respect that.",
    "Thanks for joining us today, Professor Park.",
    "We priced it in Euros. So under twelve and a half Euros, I think.",
])
def test_units_modals_titles_and_words_after_an_article_are_not_names(nlp, sentence):
    # What stays: every capitalised word but the names ("Meli", "Park").
    result = _run(nlp, [("a.txt", "", P, "x", sentence), ("b.txt", "", P, "x", "Ask Professor Fancourt.")])
    kept = PLACEHOLDER_RE.sub("", result.turns[schema.TEXT].iloc[0])
    for word in re.findall(r"\b[A-Z][a-z]+\b", sentence):
        assert (word in kept) is (word not in {"Meli", "Park"}), word
    assert "[PLACE" not in result.turns[schema.TEXT].iloc[1]  # "Professor" is no place


@pytest.mark.parametrize("sentence, name", [
    ("That was Will's point, and Rose agreed.", "Rose"),
    ("Mark began writing the report.", "Mark"),
    ("Grace and Hope both said no.", "Hope"),
    ("I asked Bill about the Will.", "Bill"),
    ("We met the Kowalski family.", "Kowalski"),
    ("He lives at 14 Tanners now.", "Tanners"),
    ("Thanks, Will", "Will"),
])
def test_names_that_are_also_words_are_still_found(nlp, sentence, name):
    text = _run(nlp, [("a.txt", "", P, "x", sentence)]).turns[schema.TEXT].iloc[0]
    assert name not in text, text


@pytest.mark.parametrize("sentence", [
    "My manager said we should rewrite the triage rules.",  # a verb after the cue is no name
    "My colleague agreed and my friend will help.",
    "I asked my coworker about the budget.",
])
def test_a_relation_word_before_an_ordinary_word_takes_no_name(nlp, sentence):
    result = _run(nlp, [("a.txt", "", P, "x", sentence)])
    assert result.turns[schema.TEXT].iloc[0] == sentence


def test_a_date_of_birth_is_replaced_and_other_dates_stay(nlp):
    sentence = "I was born on 14 March 1981 and we moved on 2 May 2019, born in 1981 as I said."
    result = _run(nlp, [("a.txt", "", P, "x", sentence)])
    text = result.turns[schema.TEXT].iloc[0]
    assert "14 March 1981" not in text and "[DOB]" in text and "2 May 2019" in text and "born in 1981" in text
    assert result.counts["DOB"] == 1 and result.leak_terms["14 March 1981"] == "date of birth"


def test_false_starts_interjections_and_products_of_a_meeting_stay(nlp):
    # Masked, each of these became a name the run-wide register took from every later quote.
    rows = [("m.txt", "", P, "x", "Um here are some topics. Expe our experiences with remote controls."),
            ("m.txt", "", P, "x", "Whoohoo."),
            ("m.txt", "", P, "x", "Yep. Shh. Whoohoo."),
            ("m.txt", "", P, "x", "'S like playing Pictionary."),
            ("m.txt", "", P, "x", "Chain companies like Carphone Warehouse, you can pop in anytime."),
            ("m.txt", "", P, "x", "It'd become the Rolls Royce of remote controls basically."),
            ("m.txt", "", P, "x", "Maybe in Legos you know? Be fun with Legos too."),
            ("m.txt", "", P, "x", "Rather than going uh Miss Marketing and Miss this and Miss that."),
            ("m.txt", "", P, "x", "So Ve Velmira will explain the interface. Are we at ma right now?"),
            ("m.txt", "", P, "x", "I spoke to Velmira Oduya about the budget.")]
    result = _run(nlp, rows)
    texts = result.turns[schema.TEXT].tolist()
    assert texts[:8] == [row[4] for row in rows[:8]]
    assert "Velmira" not in texts[8] and "at ma right" in texts[8]  # the name goes, the stutter names no one
    assert "Velmira" not in texts[9] and "Oduya" not in texts[9]

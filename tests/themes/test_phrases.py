from helpers import make_turns

from pipeline import schema
from pipeline.anonymise import anonymise
from pipeline.config import load_config
from pipeline.nlp import common_words
from pipeline.segment import segment
from pipeline.themes.phrases import Phrase, quote_phrases, span_phrases

P = schema.ROLE_PARTICIPANT


def _phrases(nlp, text, roster=()):
    """Every quote's candidates of one anonymised participant turn, as the themes stage reads them."""
    turns = make_turns([("a.txt", "Priya Shah", P, "x", text)])
    config = load_config()
    anonymised = anonymise(turns, list(nlp.pipe(turns[schema.TEXT])), config.anonymise, list(roster),
                           common_words=common_words(nlp))
    quotes = segment(anonymised.turns, anonymised.docs, config.segment)
    return quotes, [p for found in quote_phrases(quotes, anonymised.docs, anonymised.distinctive) for p in found]


def test_every_phrase_is_said_verbatim_in_its_quote(nlp):
    quotes, phrases = _phrases(nlp, "So in the end we cut the phone hours and set up a duty rota for the "
                                    "older tenants, because the casework backlog kept growing.")
    text = quotes[schema.TEXT].iloc[0]
    assert phrases and all(p.text in text for p in phrases)
    assert Phrase("cut phone hour", "cut the phone hours") in phrases  # a verb phrase, as said
    assert Phrase("duty rota", "duty rota") in phrases  # a noun chunk, its determiner trimmed
    assert Phrase("casework backlog", "casework backlog") in phrases


def test_lemmas_group_forms_but_each_phrase_keeps_its_own_words(nlp):
    doc = nlp("The missed bins came back, and another missed bin was reported.")
    found = {p for p in span_phrases(doc[:]) if p.key == "miss bin"}
    assert found == {Phrase("miss bin", "missed bins"), Phrase("miss bin", "missed bin")}


def test_no_phrase_opens_or_closes_on_a_stop_word_filler_or_adverb(nlp):
    doc = nlp("Um, basically the newly qualified workers really liked the new rota, you know.")
    phrases = span_phrases(doc[:])
    assert phrases
    for p in phrases:
        first, last = p.text.split()[0].lower(), p.text.split()[-1].lower()
        assert first not in {"um", "basically", "the", "newly", "really", "you"}
        assert last not in {"know", "the", "really"}


def test_no_phrase_holds_a_placeholder_or_a_word_of_a_name(nlp):
    quotes, phrases = _phrases(nlp, "Sarah Jones and the Beechwood estate team moved the casework backlog to "
                                    "Sheffield, and Sarah Jones signed the new rota off with Whiteboard's manager.",
                               roster=["Whiteboard"])
    assert "[PERSON" in quotes[schema.TEXT].iloc[0]  # the anonymiser replaced the names
    said = " ".join(f"{p.key} {p.text}" for p in phrases).lower()
    assert "casework backlog" in said
    for word in ("sarah", "jones", "beechwood", "sheffield", "whiteboard", "[", "person", "place"):
        assert word not in said


def test_a_word_of_a_name_is_kept_out_as_written_and_as_a_lemma(nlp):
    doc = nlp("We moved the whiteboards into the duty room and cleared the casework backlog.")
    phrases = span_phrases(doc[:], name_words=frozenset({"whiteboard"}))
    assert Phrase("casework backlog", "casework backlog") in phrases
    assert not [p for p in phrases if "whiteboard" in p.text.lower() or "whiteboard" in p.key]


def test_a_placeholder_inside_a_phrase_keeps_the_phrase_out(nlp):
    quotes, phrases = _phrases(nlp, "Last spring we cut the Sheffield phone hours and nobody asked the tenants.")
    assert "[PLACE" in quotes[schema.TEXT].iloc[0]
    assert phrases and not [p for p in phrases if "[" in p.text or "place" in p.key]


def test_a_quote_without_a_noun_or_phrase_offers_its_content_words(nlp):
    assert {p.text for p in span_phrases(nlp("I am really not sure.")[:])} == {"sure"}
    assert "sure" not in {p.text for p in span_phrases(nlp("I am not sure about the rota.")[:])}


def test_no_phrase_holds_a_name_a_filler_or_a_stop_word(nlp):
    """The key phrases the segment stage offered before: the same words stay out here."""
    _, phrases = _phrases(nlp, "Um, yeah, so Gary Holt basically wanted the casework backlog cleared before the audit.")
    keys = {p.key for p in phrases}
    assert "casework backlog" in keys
    words = {w for p in phrases for w in f"{p.key} {p.text.lower()}".split()}
    assert not {"gary", "holt", "um", "yeah", "basically", "the", "so"} & words


def test_no_phrase_is_a_word_whose_lemma_is_a_stop_word(nlp):
    _, phrases = _phrases(nlp, "The older ones especially would rather wait for the call-back than sit in the queue.")
    keys = {p.key for p in phrases}
    assert "queue" in keys
    assert not {"one", "ones", "old one", "older one"} & keys


def test_stop_words_that_name_a_thing_or_an_act_may_make_a_phrase(nlp):
    # spaCy lists "name", "call" and "next" as stop words; as a noun, verb or adjective each says what a quote is about.
    found = {p for text in ("Can you tell me my user name?", "Please call my mum now.",
                            "When is the next bank holiday?") for p in span_phrases(nlp(text)[:])}
    assert Phrase("user name", "user name") in found
    assert Phrase("call mum", "call my mum") in found
    assert Phrase("next bank holiday", "next bank holiday") in found


def test_other_stop_words_still_open_and_close_no_phrase(nlp):
    phrases = span_phrases(nlp("The other team went back to several older offices.")[:])
    assert phrases
    assert not any(w in {"other", "several", "back"} for p in phrases for w in (p.text.split()[0], p.text.split()[-1]))


def test_a_word_said_twice_in_a_row_makes_no_phrase(nlp):
    doc = nlp("It's like the biggest Indie Indie bookstore in the country, and the new new rota starts Monday.")
    texts = [p.text for p in span_phrases(doc[:])]
    assert texts and not any(t.lower().count("indie") > 1 or "new new" in t.lower() for t in texts)
    assert "Indie bookstore" in texts or "bookstore" in texts  # the phrase said once is still a candidate

"""`leakcheck.match`: whole-token matching, any case, any spacing; numbers with short separators."""
from pipeline.leakcheck.match import Matcher, whole_word_at


def test_every_whole_word_occurrence_is_found_and_no_part_of_a_word():
    assert whole_word_at("Sarah, Sarah and Sarah", "Sarah") == [0, 7, 17]
    assert whole_word_at("Sarahville Sarah xSarah", "Sarah") == [11]
    assert whole_word_at("Sarah", "Sarah") == [0]


def test_terms_of_two_characters_count_and_a_tiny_term_does_not_hide_the_next():
    matcher = Matcher({"J": "person name", "Al": "person name", "Priya": "speaker name"})
    assert matcher.found_in("J and Al met Priya", one_per_kind=False) == {("Al", "person name"),
                                                                         ("Priya", "speaker name")}


def test_one_per_kind_stops_at_the_first_term_of_a_kind_but_not_at_other_kinds():
    matcher = Matcher({"Priya Shah": "speaker name", "Priya Patel": "speaker name", "Priya": "person name",
                       "Shah": "speaker name"})
    text = "Priya Shah, Priya Patel and Priya"
    assert matcher.found_in(text, one_per_kind=True) == {("Priya Shah", "speaker name"), ("Priya", "person name")}
    assert matcher.found_in(text, one_per_kind=False) == {
        ("Priya Shah", "speaker name"), ("Priya Patel", "speaker name"), ("Priya", "person name"),
        ("Shah", "speaker name")}


def test_a_number_matches_across_separators_of_up_to_three_characters():
    matcher = Matcher({"07700 900123": "phone number"})
    assert matcher.found_in("call 07700 - 900123", one_per_kind=False) == {("07700 900123", "phone number")}
    assert matcher.found_in("call 07700 -- 900123", one_per_kind=False) == set()


def test_distinct_tokens_are_the_tokens_the_pattern_finds():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from pipeline.leakcheck.match import TOKEN, distinct_tokens

    tricky = "aZ9_ -.,'’\u00e9\u0130\u0307\u2013\u00a0\u3042\u0663\u00bd\U0001F600\t\n<>&;\u00df\u2160\u200b"

    @settings(max_examples=500, deadline=None)
    @given(st.text(alphabet=st.sampled_from(tricky), max_size=40) | st.text(max_size=40))
    def same(text):
        assert distinct_tokens(text) == set(TOKEN.findall(text))

    same()
    assert distinct_tokens("İlkay met dave_pritchard—Priya") == {"İlkay", "met", "dave", "pritchard", "Priya"}

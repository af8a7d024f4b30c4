"""The two competing sides of a dilemma, verbatim from the quote that voices it."""
import pytest

from pipeline.dilemmas.sides import contrast_of, sides_of


@pytest.mark.parametrize("text, sides", [
    ("We had to choose between answering the phones and clearing the casework backlog.",
     ("answering the phones", "clearing the casework backlog")),
    ("On the one hand the savings are real, on the other hand people cannot get through.",
     ("the savings are real", "people cannot get through")),
    ("It was speed versus getting it right.", ("It was speed", "getting it right")),
    ("We were renting skills instead of building them.", ("We were renting skills", "building them")),
    ("Either we pay the agency rates, or we train our own people.", ("we pay the agency rates", "we train our own people")),
    ("So do I stick to the process, or do I do the obviously sensible thing?",
     ("stick to the process", "do the obviously sensible thing")),
    ("Online saves money, but older residents cannot use the forms.",
     ("Online saves money", "older residents cannot use the forms")),
    ("So we've traded some of the instant answering for getting the work done.",
     ("some of the instant answering", "getting the work done")),
    ("You have to balance the savings against the people who can't get online.",
     ("the savings", "the people who can't get online")),
    ("We hit the target at the expense of the residents.", ("We hit the target", "the residents")),
])
def test_each_way_of_saying_a_contrast_gives_its_two_sides(text, sides):
    assert sides_of(text) == sides


def test_the_plainest_contrast_wins_over_a_but_in_the_same_quote():
    # "between ... and ..." names the two sides more plainly than the "but" before it.
    text = "But honestly, it came down to a choice between the phone queue and the inbox."
    assert sides_of(text) == ("the phone queue", "the inbox")


def test_sides_are_cut_to_the_words_next_to_the_contrast():
    text = ("And so, yeah, well, basically the thing is that we always used to answer every single call that came in, "
            "but the backlog of casework kept on growing and growing all through the winter months.")
    assert sides_of(text, max_words=5) == ("single call that came in", "the backlog of casework kept")


def test_leading_fillers_and_connectives_are_dropped_from_a_side():
    assert sides_of("Well, so, you answer the phones, but then the casework piles up.") == \
        ("you answer the phones", "the casework piles up")


def test_a_reply_word_before_a_comma_is_dropped_but_the_same_word_inside_a_side_stays():
    assert sides_of("Alright, we could keep the hub open, but still, the budget is gone.") == \
        ("we could keep the hub open", "the budget is gone")
    assert sides_of("Right handed users are fine, but left handed users struggle.") == \
        ("Right handed users are fine", "left handed users struggle")


@pytest.mark.parametrize("text", [
    "It was a good year.",
    "Yes, but no.",  # one word a side names nothing
    "",
])
def test_no_contrast_no_sides(text):
    assert sides_of(text) is None


def test_a_plain_choice_is_a_stronger_title_than_a_but_and_a_whole_clause_than_a_cut_one():
    plain_whole = contrast_of("We had to choose between answering the phones and clearing the casework backlog.")
    asked_whole = contrast_of("So do I stick to the process, or do I do the obviously sensible thing?")
    plain_cut = contrast_of("There is a choice between freedom and the long list of worries that people have about "
                            "their security and the security of their families.")
    but_whole = contrast_of("Online saves money, but older residents cannot use the forms.")
    but_cut = contrast_of("And so, yeah, well, basically the thing is that we always used to answer every single "
                          "call, but it was fine.")
    assert plain_whole.strength() == asked_whole.strength()
    assert plain_whole.strength() < plain_cut.strength() < but_whole.strength() < but_cut.strength()


def test_sides_said_before_on_the_one_hand_and_on_the_other_are_the_two_sides():
    # As interviewees say it, each side before its "hand"; a one-word side names a plain choice.
    assert sides_of("I think we have to balance freedom on the one hand and security on the other.") == \
        ("freedom", "security")


def test_a_side_cut_to_its_words_loses_the_function_words_left_hanging_at_the_cut():
    text = "It is the national versus the transnational ever since the innovation of the printing press in Europe."
    assert sides_of(text, max_words=7) == ("the national", "the transnational ever since the innovation")


def test_a_side_that_ends_where_the_speaker_ended_it_keeps_its_last_words():
    assert sides_of("Either we wait for them or we do it ourselves.") == ("we wait for them", "we do it ourselves")


@pytest.mark.parametrize("text", [
    "They live in a street that's either clean or it isn't.",  # a side of a pronoun and an auxiliary
    "Between fifty and two hundred, a supervisor signs.",  # numbers: a range, not two goods
    "Well, you are, but your gut's been trained.",
    "It was, but it wasn't.",
])
def test_a_side_that_names_nothing_makes_no_contrast(text):
    found = contrast_of(text)
    assert found is None or found.plain is False and "fifty" not in found.a


def test_a_plain_choice_with_a_side_that_names_nothing_gives_way_to_a_contrast_that_names_both():
    found = contrast_of("It's either clean or it isn't. The crews like the rounds, but the fly-tips keep coming.")
    assert (found.a, found.b, found.plain) == ("The crews like the rounds", "the fly-tips keep coming", False)


def test_a_side_cut_out_of_a_longer_clause_does_not_start_with_the_stranded_end_of_the_one_before():
    text = ("So we asked how can we help the next person to succeed under these conditions, and then having "
            "a positive ripple effect, rather than a negative ripple effect.")
    assert sides_of(text) == ("having a positive ripple effect", "a negative ripple effect")


def test_a_side_cut_out_of_a_longer_clause_ends_at_its_first_clause_boundary():
    text = ("Some of us can work from home, versus those who are exposed at work, in central roles, "
            "on the front lines, with no way out.")
    assert sides_of(text) == ("Some of us can work from home", "those who are exposed at work")


def test_a_quotation_mark_left_open_by_the_cut_is_left_out_with_the_words_beyond_it():
    text = 'It should say the homelessness team, not "the council, but the homelessness team", or whoever it is.'
    assert sides_of(text) == ("the council", "the homelessness team")


def test_between_one_side_on_the_one_hand_and_the_other_on_the_other_names_the_sides_alone():
    assert sides_of("There is a trade-off between freedom on the one hand and security on the other.") == \
        ("freedom", "security")


def test_a_contrast_whose_sides_name_nothing_gives_way_to_the_next_one_said_the_same_way():
    text = "That balancing between me and we, balancing between freedom and security, those require judgment."
    assert sides_of(text) == ("freedom", "security")


def test_the_side_said_after_the_contrast_ends_at_its_first_clause_boundary():
    assert sides_of("Council tax we can't touch, but that's revenues, fair enough, it's their system.") == \
        ("Council tax we can't touch", "that's revenues")


def test_a_fluent_contrast_is_a_stronger_title_than_one_that_stumbles_however_plainly_said():
    stumbling = contrast_of("Do we go for the wh the rubber, or the plastic?")
    fluent_but = contrast_of("The phones come first, but the casework piles up.")
    assert stumbling is not None and not stumbling.fluent and stumbling.plain
    assert fluent_but.fluent and fluent_but.strength() < stumbling.strength()


@pytest.mark.parametrize("text", [
    "Which adm admittedly is gonna come at a cost, but a certain aesthetic value matters.",  # a word begun again
    "We could add something, but maybe if.",                                               # a clause left open
])
def test_a_side_that_restarts_a_word_or_breaks_off_a_clause_stumbles(text):
    found = contrast_of(text)
    assert found is not None and not found.fluent


def test_a_side_with_a_short_word_that_begins_the_next_is_fluent():
    assert contrast_of("We owe them an answer, but the theory says otherwise.").fluent


@pytest.mark.parametrize("text, side_b", [
    ("Either we make it round, or we make it flat um.", "we make it flat"),
    ("Either we make it round, or we make it flat, you know.", "we make it flat"),
    ("Either we make it round, or just we make it flat.", "we make it flat"),
])
def test_a_side_loses_the_hesitations_and_tags_it_trails_off_with(text, side_b):
    assert sides_of(text)[1] == side_b


def test_a_side_of_a_speakers_tag_alone_names_nothing():
    assert sides_of("It has to be trendy, appealing to a wide market, but you know.") is None


@pytest.mark.parametrize("text", [
    'We say who, exactly. Not "the council", but "the homelessness team", or whoever it is.',
    "Not because she disagreed with me, but because she'd have to defend it.",
    "It wasn't the money, but the time it took.",
])
def test_a_correction_is_no_contrast_of_two_goods(text):
    # "Not X, but Y" puts X right with Y: a title "the council · the homelessness team" names no dilemma.
    assert contrast_of(text) is None


def test_a_but_after_a_clause_that_is_no_correction_still_gives_two_sides():
    assert sides_of("Nobody liked the wallboard, but the figures did come down.") == (
        "Nobody liked the wallboard", "the figures did come down")

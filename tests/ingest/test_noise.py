import pytest

from pipeline.ingest.noise import clean_text, is_empty


@pytest.mark.parametrize("raw, clean", [
    ("Okay {disfmarker} so {vocalsound} we {gap} agreed .", "Okay so we agreed."),
    ("We {any_marker_at_all} went", "We went"),
    ("I [inaudible] think [crosstalk] so", "I think so"),
    ("It was (laughs) fine (inaudible 00:03:12) really", "It was fine really"),
    ("Yes [INAUDIBLE 00:03:12] and (Anna laughs) ok", "Yes and ok"),
    ("So [00:01:02] then 00:01:05 we met", "So then we met"),
    ("hmm *laughs* right", "hmm right"),
    ("from #00:01:02-5# here", "from here"),
    ("  lots   of\n\t space  ", "lots of space"),
    ("It went well. (edited)", "It went well."),  # Slack's and Discord's mark on a changed message
])
def test_noise_is_removed(raw, clean):
    assert clean_text(raw) == clean


@pytest.mark.parametrize("kept", [
    "We met at 10:30 on Monday.",
    "They said [the council] would pay.",
    "It is (in short) a budget problem.",
    "The (council's music programme) stays.",
])
def test_speech_in_brackets_and_clock_times_are_kept(kept):
    assert clean_text(kept) == kept


@pytest.mark.parametrize("text, empty", [
    ("", True), (".", True), (" - ", True), ("Mm-hmm.", False), ("5", False),
])
def test_is_empty(text, empty):
    assert is_empty(text) is empty


def test_marker_only_turn_is_empty_after_cleaning():
    assert is_empty(clean_text("{vocalsound} {gap} ."))


@pytest.mark.parametrize("raw, clean", [
    ("we did [multiple voices] it", "we did it"),
    ("Kirkvale [ph] said so.", "Kirkvale said so."),
    ("[talks over] yes", "yes"),
    ("[indiscernible 00:12:03] and so on.", "and so on."),
])
def test_focus_group_markers_are_removed(raw, clean):
    assert clean_text(raw) == clean


@pytest.mark.parametrize("kept", ["(PhD) in", "[philosophy] yes", "[the talks overseas] went"])
def test_words_near_the_focus_group_markers_are_kept(kept):
    assert clean_text(kept) == kept

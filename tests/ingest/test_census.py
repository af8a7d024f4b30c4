"""Which labels name speakers, decided over the whole file."""
from pipeline.ingest.census import Candidate, accepted_labels, canonical_spellings


def labels(*found, known=frozenset()):
    return accepted_labels([Candidate(label, form) for label, form in found], known)


def test_strict_labels_are_accepted_on_sight():
    assert labels(("Anna Smith", "colon")) == {"anna smith"}


def test_loose_labels_need_to_recur():
    assert labels(("iPhone", "colon")) == frozenset()
    assert labels(("iPhone", "colon"), ("iPhone", "colon")) == {"iphone"}
    assert labels(("sam jones", "colon"), ("Sam Jones", "colon")) == {"sam jones"}


def test_loose_labels_in_a_speaker_only_form_count_once():
    assert labels(("iPhone", "marked")) == {"iphone"}


def test_prose_never_becomes_a_label_however_often():
    assert labels(("we met at", "stamped"), ("we met at", "stamped"), ("Note", "colon"),
                  ("Note", "colon")) == frozenset()


def test_a_one_off_capitalised_phrase_among_two_regular_speakers_is_prose():
    found = [("Sam", "colon"), ("Anna", "colon")] * 3 + [("Housing First", "colon")]
    assert labels(*found) == {"sam", "anna"}


def test_a_one_off_label_is_kept_when_timed_known_or_when_few_speakers_recur():
    regular = [("Sam", "colon"), ("Anna", "colon")] * 3
    assert "kim lee" in labels(*regular, ("Kim Lee", "stamped"))
    assert "kim lee" in labels(*regular, ("Kim Lee", "colon"), known=frozenset({"kim lee"}))
    # Only Sam recurs: Anna's single answer is a real turn.
    assert labels(("Sam", "colon"), ("Anna", "colon"), ("Sam", "colon")) == {"sam", "anna"}


def test_canonical_spelling_prefers_the_capitalised_form():
    assert canonical_spellings(["sam jones", "Sam Jones"], frozenset({"sam jones"})) == {
        "sam jones": "Sam Jones"}
    assert canonical_spellings(["iPhone"], frozenset({"iphone"})) == {"iphone": "iPhone"}


def test_a_one_off_label_with_a_role_in_brackets_is_a_speaker():
    found = [Candidate("Tove (Facilitator)", "colon"), *[Candidate(name, "colon") for name in ("Ilse", "Marek") * 3]]
    assert "tove (facilitator)" in accepted_labels(found)
    found = [Candidate("Housing First", "colon"), *[Candidate(name, "colon") for name in ("Ilse", "Marek") * 3]]
    assert "housing first" not in accepted_labels(found)

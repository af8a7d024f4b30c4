"""A slot label renamed part-way (Otter's "Speaker 1" becoming a name): warned about by position, never merged."""
import logging

import pandas as pd

from pipeline import schema
from pipeline.ingest import read_corpus
from pipeline.ingest.relabelled import relabelled_pairs

WARNING = "renamed one speaker part-way"


def frame(speakers, source="call.txt"):
    return pd.DataFrame({schema.SOURCE_FILE: source, schema.TRANSCRIPT_ID: source, schema.SPEAKER: speakers})


def test_a_slot_that_stops_where_a_name_starts_in_an_interview():
    slot = "Speaker_1@ab12cd"
    assert relabelled_pairs(frame(["Sam", slot, "Sam", slot, "Sam", "Anna Berg", "Sam", "Anna Berg"])) == {
        "call.txt": 1}


def test_a_meeting_where_the_slot_was_silent_a_while_before_the_name_starts():
    slot = "Speaker_2@ab12cd"
    # Silent for five turns between its two; the name starts five turns after its last, past `MAX_GAP`.
    turns = ["Ana", slot, "Bo", "Cy", "Ana", "Bo", slot, "Cy", "Bo", "Ana", "Cy", "Dee Lund", "Bo", "Dee Lund", "Ana"]
    assert relabelled_pairs(frame(turns)) == {"call.txt": 1}


def test_no_warning_where_the_signs_are_not_there():
    slot = "Speaker_1@ab12cd"
    # The slot speaks on after the name starts: two people.
    assert relabelled_pairs(frame(["Sam", slot, "Sam", slot, "Anna Berg", "Sam", "Anna Berg", slot])) == {}
    # The name spoke before the slot stopped.
    assert relabelled_pairs(frame(["Sam", "Anna Berg", slot, "Sam", slot, "Sam", "Anna Berg", "Sam"])) == {}
    # A slot that speaks once, or a name that speaks once.
    assert relabelled_pairs(frame(["Sam", slot, "Sam", "Anna Berg", "Sam", "Anna Berg"])) == {}
    assert relabelled_pairs(frame(["Sam", slot, "Sam", slot, "Sam", "Anna Berg", "Sam"])) == {}
    # Nobody else speaks on both sides of the change: another conversation, not a renamed speaker.
    assert relabelled_pairs(frame([slot, "Sam", slot, "Anna Berg", "Cy", "Anna Berg"])) == {}
    # Two slots stop where one name starts: which one was renamed cannot be told.
    other = "Speaker_3@ab12cd"
    assert relabelled_pairs(frame(["Sam", slot, other, "Sam", slot, other, "Sam", "Anna Berg", "Sam",
                                   "Anna Berg"])) == {}
    # Two names start where one slot stops: which one it became cannot be told.
    assert relabelled_pairs(frame(["Sam", slot, "Sam", slot, "Sam", "Anna Berg", "Cy Lund", "Sam", "Anna Berg",
                                   "Cy Lund"])) == {}
    # Slots and names of one file's two conversations are never paired across them.
    two = pd.concat([frame(["Sam", slot, "Sam", slot]).assign(transcript_id="a#1"),
                     frame(["Sam", "Anna Berg", "Sam", "Anna Berg"]).assign(transcript_id="a#2")])
    assert relabelled_pairs(two) == {}


def test_an_otter_export_renamed_part_way_is_warned_about_by_position_without_names(tmp_path, ingest_config, caplog):
    lines = []
    for n, who in enumerate(["Sam Okafor", "Speaker 1"] * 3 + ["Sam Okafor", "Anna Berg"] * 3):
        lines.append(f"{who}  0:{n:02d}\nWe talked about the rota and the phones, turn {n}.\n")
    (tmp_path / "call.txt").write_text("\n".join(lines))
    (tmp_path / "other.txt").write_text("Sam Okafor  0:01\nWhy?\n\nSpeaker 1  0:02\nBecause.\n\n"
                                        "Sam Okafor  0:03\nAnd then?\n\nSpeaker 1  0:04\nWe stopped.\n")
    with caplog.at_level(logging.WARNING):
        read_corpus(tmp_path, ingest_config())
    warnings = [r.getMessage() for r in caplog.records if WARNING in r.getMessage()]
    assert len(warnings) == 1 and warnings[0].startswith("input 1 of 2")
    assert "Anna" not in warnings[0] and "call.txt" not in warnings[0] and "rota" not in warnings[0]

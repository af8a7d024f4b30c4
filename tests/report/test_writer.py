"""staging_folder: everything is written beside OUT, checked, then moved in; nothing half-done is left."""
from __future__ import annotations

import json

import pandas as pd
import pytest

from pipeline.errors import LeakError, OutputError
from pipeline.report.writer import staging_folder, write_csv, write_json


def _beside(out):
    return sorted(p.name for p in out.parent.iterdir() if p != out)


def test_files_and_folders_move_into_a_new_out_and_the_staging_folder_goes(tmp_path):
    out = tmp_path / "runs" / "out"  # neither folder exists yet
    with staging_folder(out) as staging:
        assert staging.parent == out.parent and staging.name.startswith(".out.tmp-")
        assert not out.exists()  # nothing is published while the run writes
        (staging / "themes.csv").write_text("a\n", encoding="utf-8")
        (staging / "transcripts").mkdir()
        (staging / "transcripts" / "t1.txt").write_text("b\n", encoding="utf-8")
    assert sorted(p.name for p in out.iterdir()) == ["themes.csv", "transcripts"]
    assert (out / "transcripts" / "t1.txt").read_text(encoding="utf-8") == "b\n"
    assert _beside(out) == []


def test_each_file_is_moved_in_whole_by_a_rename_never_copied(tmp_path):
    """A rename swaps the finished file in at once; a copy could leave half a file where a good one stood."""
    out = tmp_path / "out"
    with staging_folder(out) as staging:
        (staging / "themes.csv").write_text("a\n", encoding="utf-8")
        staged_inode = (staging / "themes.csv").stat().st_ino
    assert (out / "themes.csv").stat().st_ino == staged_inode


def test_a_new_run_replaces_the_files_it_writes_and_leaves_the_others(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "themes.csv").write_text("old\n", encoding="utf-8")
    (out / "curation.toml").write_text("kept\n", encoding="utf-8")
    with staging_folder(out) as staging:
        (staging / "themes.csv").write_text("new\n", encoding="utf-8")
    assert (out / "themes.csv").read_text(encoding="utf-8") == "new\n"
    assert (out / "curation.toml").read_text(encoding="utf-8") == "kept\n"
    assert _beside(out) == []


def test_the_check_sees_every_staged_file_before_anything_is_published(tmp_path):
    out = tmp_path / "out"
    seen = []

    def check(folder):
        seen.append((folder.parent == tmp_path, sorted(p.name for p in folder.iterdir()), out.exists()))

    with staging_folder(out, check=check) as staging:
        (staging / "quotes.csv").write_text("q\n", encoding="utf-8")
        assert seen == []  # not before the run has written everything
    assert seen == [(True, ["quotes.csv"], False)]
    assert (out / "quotes.csv").exists()


def test_a_check_that_refuses_publishes_nothing_and_leaves_no_staging_folder(tmp_path):
    out = tmp_path / "out"

    def refuse(folder):
        raise LeakError("personal data survived anonymisation", "add it to the roster")

    with pytest.raises(LeakError), staging_folder(out, check=refuse) as staging:
        (staging / "quotes.csv").write_text("q\n", encoding="utf-8")
    assert not out.exists()
    assert _beside(out) == []


def test_a_refused_rerun_keeps_the_previous_outputs_as_they_were(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "quotes.csv").write_text("previous\n", encoding="utf-8")

    def refuse(folder):
        raise LeakError("personal data survived anonymisation", "add it to the roster")

    with pytest.raises(LeakError), staging_folder(out, check=refuse) as staging:
        (staging / "quotes.csv").write_text("leaky\n", encoding="utf-8")
    assert (out / "quotes.csv").read_text(encoding="utf-8") == "previous\n"
    assert _beside(out) == []


def test_a_crash_while_writing_publishes_nothing_and_leaves_no_staging_folder(tmp_path):
    out = tmp_path / "out"
    with pytest.raises(RuntimeError, match="disk full"), staging_folder(out) as staging:
        (staging / "themes.csv").write_text("half", encoding="utf-8")
        raise RuntimeError("disk full")
    assert not out.exists()
    assert _beside(out) == []


def test_an_out_folder_that_cannot_be_made_is_a_usage_error_naming_the_fix(tmp_path):
    blocker = tmp_path / "a file"
    blocker.write_text("", encoding="utf-8")
    with pytest.raises(OutputError) as raised, staging_folder(blocker / "out"):
        pass
    assert "cannot create the output folder" in str(raised.value)
    assert "--out" in raised.value.hint


def test_csv_and_json_are_utf8_with_unix_line_ends_and_no_index(tmp_path):
    write_csv(pd.DataFrame({"label": ["Café rota", "b"]}), tmp_path / "t.csv")
    assert (tmp_path / "t.csv").read_bytes() == "label\nCafé rota\nb\n".encode()
    write_json({"n": 1, "label": "Café", "input": tmp_path / "in"}, tmp_path / "run.json")
    text = (tmp_path / "run.json").read_bytes().decode("utf-8")  # keys in the order given, paths as text
    assert text == '{\n  "n": 1,\n  "label": "Café",\n  "input": ' + json.dumps(str(tmp_path / "in")) + '\n}\n'


import json
import subprocess
import sys

import pytest

from pipeline.cli import build_parser, main


def _subcommands():
    parser = build_parser()
    action = next(a for a in parser._actions if a.dest == "command")
    return action.choices


def test_every_command_has_help_with_an_example():
    for name, sub in _subcommands().items():
        assert "example:" in sub.format_help(), name
    assert "example:" in build_parser().format_help()


def test_no_command_prints_help_and_exits_2(capsys):
    assert main([]) == 2
    assert "commonground" in capsys.readouterr().out


def test_missing_input_exits_2_naming_the_path(tmp_path, capsys):
    code = main(["run", str(tmp_path / "nowhere"), "--out", str(tmp_path / "out"), "-q"])
    err = capsys.readouterr().err
    assert code == 2
    assert "nowhere" in err and "Traceback" not in err
    assert not (tmp_path / "out").exists()


def test_bad_config_exits_2_and_writes_nothing(tmp_path, capsys):
    (tmp_path / "in").mkdir()
    (tmp_path / "c.toml").write_text("[cluster]\nbogus = 1\n")
    code = main(["run", str(tmp_path / "in"), "--out", str(tmp_path / "out"), "--config", str(tmp_path / "c.toml")])
    assert code == 2
    assert "cluster.bogus" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_python_dash_m_pipeline_is_the_same_command():
    done = subprocess.run([sys.executable, "-m", "pipeline", "run", "--help"], capture_output=True, text=True)
    assert done.returncode == 0
    assert "--out" in done.stdout and "exit status" in done.stdout


@pytest.mark.parametrize("argv", [["run"], ["run", "x"], ["bogus"]])
def test_bad_usage_exits_2(argv):
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 2


def test_anonymise_writes_copies_and_a_private_key_outside_out(tmp_path, capsys):
    src = tmp_path / "in" / "housing"
    src.mkdir(parents=True)
    (src / "priya.vtt").write_text("WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v Helen Marsh>What changed?</v>\n\n"
                                   "00:00:05.000 --> 00:00:09.000\n<v Priya Shah>Gary Holt said ring 07700 900123 "
                                   "or email gary.holt@example.org.</v>\n", encoding="utf-8")
    (tmp_path / "in" / "manifest.csv").write_text("file,team,interviewer\nhousing/priya.vtt,housing,Helen Marsh\n")
    key = tmp_path / "private" / "key.json"
    code = main(["anonymise", str(tmp_path / "in"), "--out", str(tmp_path / "out"), "--key", str(key), "-q"])
    assert code == 0
    copies = list((tmp_path / "out").rglob("*.txt"))
    assert len(copies) == 1 and copies[0].parent.name == "housing"
    text = copies[0].read_text()
    for datum in ("Priya", "priya", "Gary", "Holt", "07700", "gary.holt", "Helen"):
        assert datum not in text, datum
    assert "Participant 1:" in text and "[PHONE]" in text and "[EMAIL]" in text
    assert key.stat().st_mode & 0o777 == 0o600
    assert json.loads(key.read_text())["Priya Shah"] == "Participant 1"


def test_anonymise_refuses_a_key_inside_out(tmp_path, capsys):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("Ann: hello there, this is a test of the refusal.\n")
    code = main(["anonymise", str(tmp_path / "in"), "--out", str(tmp_path / "out"),
                 "--key", str(tmp_path / "out" / "key.json"), "-q"])
    assert code == 2
    assert not (tmp_path / "out" / "key.json").exists()

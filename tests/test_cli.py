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

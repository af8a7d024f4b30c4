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


# --- commonground report ------------------------------------------------------

@pytest.fixture(scope="module")
def finished_run(tmp_path_factory, nlp):
    """A finished run of a small corpus (real spaCy, fake embedder, PCA)."""
    from pipeline.config import load_config
    from pipeline.embed import HashingEmbedder
    from pipeline.runner import run

    base = tmp_path_factory.mktemp("report-cli")
    for team in ("housing", "finance"):
        (base / "in" / team).mkdir(parents=True)
        for n in range(3):
            (base / "in" / team / f"t{n}.txt").write_text(
                "Helen Marsh: Shall we start?\n"
                f"Ann {team}{n}: We had to choose between the phones and the casework backlog every week.\n"
                "Helen Marsh: And staffing?\n"
                f"Ann {team}{n}: The agency staff cost a fortune so we decided to train permanent staff.\n",
                encoding="utf-8")
    (base / "in" / "manifest.csv").write_text("file,team,interviewer\n" + "".join(
        f"{team}/t{n}.txt,{team},Helen Marsh\n" for team in ("housing", "finance") for n in range(3)))
    out = base / "out"
    # k-means with one cluster per topic: two themes, whatever HDBSCAN makes of a corpus this small.
    config = load_config(**{"reduce.method": "pca", "cluster.method": "kmeans", "cluster.n_clusters": 2})
    run(base / "in", out=out, config=config, embedder=HashingEmbedder(dim=64), nlp=nlp, cache_dir=None)
    return out


def test_report_rerenders_a_run_and_keys_its_themes(finished_run, tmp_path, capsys):
    import pandas as pd

    out = tmp_path / "again"
    assert main(["report", str(finished_run), "--out", str(out)]) == 0
    themes = pd.read_csv(out / "themes.csv", keep_default_na=False)
    assert themes.theme_key.str.fullmatch(r"t[0-9a-f]{8}").all()
    assert (out / "theme_keys.json").is_file() and (out / "sticky_notes.csv").is_file()
    assert "curation actions applied" in capsys.readouterr().err


def test_report_applies_a_curation_file_without_touching_the_run(finished_run, tmp_path, capsys):
    import pandas as pd

    keyed = tmp_path / "keyed"
    assert main(["report", str(finished_run), "--out", str(keyed), "-q"]) == 0
    key = pd.read_csv(keyed / "themes.csv").theme_key.iloc[0]
    curation = tmp_path / "curation.toml"
    curation.write_text(f'[[rename]]\ntheme = "{key}"\nlabel = "Phones versus backlog"\n', encoding="utf-8")
    before = (finished_run / "themes.csv").read_bytes()
    out = tmp_path / "curated"
    assert main(["report", str(keyed), "--curation", str(curation), "--out", str(out), "-q"]) == 0
    assert "Phones versus backlog" in pd.read_csv(out / "themes.csv").label.tolist()
    assert (finished_run / "themes.csv").read_bytes() == before


@pytest.mark.parametrize("problem, message", [
    ("bad-curation", "[[rename]] 1 needs 'label'"),
    ("missing-curation", "curation file not found"),
    ("not-a-run", "not a Common Ground run folder"),
])
def test_report_errors_exit_2_and_write_nothing(finished_run, tmp_path, capsys, problem, message):
    curation = tmp_path / "curation.toml"
    curation.write_text('[[rename]]\ntheme = "t1"\n', encoding="utf-8")
    run_dir = tmp_path if problem == "not-a-run" else finished_run
    args = ["report", str(run_dir), "--out", str(tmp_path / "out")]
    if problem != "not-a-run":
        args += ["--curation", str(curation if problem == "bad-curation" else tmp_path / "none.toml")]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert not (tmp_path / "out").exists()


def test_help_and_version_load_no_model_library():
    # Building the parser names the version; reading it through the runner imported spaCy and PyTorch,
    # and `commonground --help` took seconds.
    code = ("import sys; from pipeline.cli import build_parser; build_parser(); "
            "print(sorted(m for m in ('spacy', 'torch', 'sentence_transformers') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"

"""A file name that names a person is masked in every output and in the log, read or not."""
import json
import logging
import re

import pytest

from pipeline.cli import main
from pipeline.errors import EXIT_PARTIAL, NoUsableInputError
from pipeline.runner import anonymise_corpus, run
from pipeline.runner.log_names import HeldFileNames

ANSWER = ("We stopped answering every call straight away and set up a rota so two advisors clear the casework each "
          "morning, because the backlog kept growing and residents waited weeks for a reply.")
BROKEN = "Housing/Interview 2 - Kim Farrow.pdf"


def _folder(root):
    """A good transcript and a file that is no PDF, named after someone the text never names."""
    (root / "Housing").mkdir(parents=True)
    lines = "".join(f"Interviewer: {q}\nParticipant: {ANSWER}\n" for q in ("What changed?", "Why?", "How did it go?"))
    (root / "Housing" / "Interview 1 - notes.txt").write_text(lines, encoding="utf-8")
    (root / BROKEN).write_bytes(b"this is not a pdf")
    return root


def _outputs(out):
    """The text of every published file, the XML inside the .docx included."""
    import zipfile

    texts = {}
    for path in sorted(p for p in out.rglob("*") if p.is_file()):
        if path.suffix == ".docx":
            with zipfile.ZipFile(path) as package:
                texts[path.name] = "".join(package.read(n).decode("utf-8", "replace") for n in package.namelist())
        else:
            texts[path.name] = path.read_text(encoding="utf-8", errors="replace")
    return texts


def _no_name(text, where):
    assert not re.search(r"farrow|\bkim\b", text, re.IGNORECASE), where


def test_a_failed_file_s_name_is_masked_in_run_json_the_report_and_the_log(tmp_path, nlp, fake_embedder, caplog):
    caplog.set_level(logging.INFO, logger="pipeline")
    result = run(_folder(tmp_path / "in"), out=tmp_path / "out", embedder=fake_embedder, nlp=nlp, cache_dir=None)
    assert result.exit_status == EXIT_PARTIAL
    outputs = _outputs(tmp_path / "out")
    assert {"run.json", "theme_report.html", "theme_report.md", "theme_cards.docx"} <= set(outputs)
    for name, text in outputs.items():
        _no_name(text, name)
    failed = [i for i in json.loads(outputs["run.json"])["inputs"] if i["status"] == "failed"]
    assert [i["file"] for i in failed] == ["Housing/Interview 2 - PERSON-1.pdf"]
    assert "Interview 2 - PERSON-1.pdf" in outputs["theme_report.md"]  # the report's table of files not read
    _no_name(caplog.text, "log")
    # The log names the file as run.json does, so the user can tell which it is.
    assert any(r.getMessage().startswith("Housing/Interview 2 - PERSON-1.pdf: failed: ") for r in caplog.records)


def test_without_any_readable_file_the_error_and_the_log_mask_the_name_alike(tmp_path, nlp, fake_embedder, caplog):
    (tmp_path / "in" / "Housing").mkdir(parents=True)
    (tmp_path / "in" / BROKEN).write_bytes(b"this is not a pdf")
    with pytest.raises(NoUsableInputError) as raised:
        run(tmp_path / "in", embedder=fake_embedder, nlp=nlp, cache_dir=None)
    _no_name(str(raised.value), "error")
    _no_name(caplog.text, "log")
    assert "Housing/Interview 2 - PERSON-1.pdf (failed: " in str(raised.value)
    assert any(r.getMessage().startswith("Housing/Interview 2 - PERSON-1.pdf: failed: ") for r in caplog.records)


def test_the_anonymise_command_masks_the_name_in_its_summary_and_its_log(tmp_path, nlp, caplog, capsys):
    summary = anonymise_corpus(_folder(tmp_path / "in"), tmp_path / "out", nlp=nlp)
    _no_name(json.dumps(summary), "summary")
    _no_name(caplog.text, "log")
    assert any(r.getMessage().startswith("Housing/Interview 2 - PERSON-1.pdf: failed: ") for r in caplog.records)
    caplog.clear()
    assert main(["anonymise", str(tmp_path / "in"), "--out", str(tmp_path / "out2")]) == EXIT_PARTIAL
    captured = capsys.readouterr()
    _no_name(captured.err + caplog.text, "console")
    assert "failed: Housing/Interview 2 - PERSON-1.pdf" in captured.err
    for name, text in _outputs(tmp_path / "out2").items():
        _no_name(text + name, name)


def test_a_notebook_without_logging_configured_sees_the_masked_name(capsys, monkeypatch):
    # Nothing configured: Python's last resort prints warnings to stderr, and is filtered as a handler is.
    log = logging.getLogger("pipeline.ingest.corpus")
    monkeypatch.setattr(log, "propagate", False)
    with HeldFileNames([BROKEN]) as held:
        log.warning("%s: failed: not a PDF", BROKEN)
        assert "Farrow" not in capsys.readouterr().err  # held until the run knows how to mask it
        held.release(lambda path: path.replace("Kim Farrow", "PERSON-4"))
    assert capsys.readouterr().err == "Housing/Interview 2 - PERSON-4.pdf: failed: not a PDF\n"
    log.warning("%s: after the run", BROKEN)  # the filter is gone with the run
    assert "Kim Farrow" in capsys.readouterr().err


def test_records_held_when_the_run_stops_early_are_masked_by_the_file_names_alone(caplog):
    log = logging.getLogger("pipeline.ingest.corpus")
    with pytest.raises(RuntimeError), HeldFileNames([BROKEN, "Housing/notes.txt"]):
        log.warning("%s: failed", BROKEN)
        log.warning("%s: read", "Housing/notes.txt")
        raise RuntimeError("stopped")
    assert [r.getMessage() for r in caplog.records] == ["Housing/Interview 2 - PERSON-1.pdf: failed",
                                                         "Housing/notes.txt: read"]

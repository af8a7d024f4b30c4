"""Every notebook, executed by a real Jupyter kernel from notebooks/ as JupyterLab runs it, on the sample's runs.

The kernel is this interpreter (the project's .venv), registered under the
name the notebooks ask for in a folder of the test's own, so a fresh clone
needs no `jupyter kernelspec` step. The notebooks read the two finished
runs of `sample_runs` (seconds: nothing is recomputed); any cell error, and
any output on stderr, fails the test.
"""
from __future__ import annotations

import base64
import hashlib
import re
import sys
from pathlib import Path

import nbclient
import nbformat
import numpy as np
import pytest

from pipeline.vendored import plotly_js

NOTEBOOKS_DIR = Path(__file__).resolve().parents[2] / "notebooks"
NOTEBOOKS = sorted(NOTEBOOKS_DIR.glob("*.ipynb"))
KERNEL = "commonground"  # the kernel `make setup` registers inside .venv
PLOTLY_MIME = "application/vnd.plotly.v1+json"
CELL_TIMEOUT = 300  # seconds; a notebook that falls back to running the pipeline takes about a minute


@pytest.fixture(scope="module")
def kernel_env(tmp_path_factory, sample_runs):
    """The environment the kernel starts in: our kernelspec first on JUPYTER_PATH, the runs to read, a scratch TMPDIR."""
    from ipykernel.kernelspec import write_kernel_spec

    base = tmp_path_factory.mktemp("jupyter")
    write_kernel_spec(base / "kernels" / KERNEL, overrides={"display_name": "Python (Common Ground)",
                                                             "argv": [sys.executable, "-m", "ipykernel_launcher",
                                                                      "-f", "{connection_file}"]})
    (base / "tmp").mkdir()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("JUPYTER_PATH", str(base))
        patch.setenv("TMPDIR", str(base / "tmp"))  # the curation demo's scratch folder
        patch.setenv("COMMONGROUND_RUN_DIR", str(sample_runs[0].out_dir))
        patch.setenv("COMMONGROUND_OTHER_RUN_DIR", str(sample_runs[1].out_dir))
        patch.setenv("PYDEVD_DISABLE_FILE_VALIDATION", "1")  # the debugger's start-up note would go to stderr
        yield base


def execute(path: Path):
    notebook = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(notebook, timeout=CELL_TIMEOUT, kernel_name=KERNEL,
                                     resources={"metadata": {"path": str(NOTEBOOKS_DIR)}})
    client.execute()  # raises CellExecutionError, naming the cell, on any error
    return notebook


def outputs(notebook) -> list:
    return [output for cell in notebook.cells if cell.cell_type == "code" for output in cell.outputs]


def folder_digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_the_notebooks_are_there_and_ask_for_the_projects_kernel():
    assert [p.name for p in NOTEBOOKS] == ["00-quickstart.ipynb", "01-shared-dilemmas.ipynb", "02-one-team.ipynb",
                                           "03-compare-settings.ipynb", "04-curate.ipynb"]
    for path in NOTEBOOKS:
        notebook = nbformat.read(path, as_version=4)
        nbformat.validate(notebook)
        assert notebook.metadata.kernelspec.name == KERNEL, path.name
        first = notebook.cells[0]
        # Each opens with what it is for and how long it takes.
        assert first.cell_type == "markdown" and "**What for:**" in first.source and "**How long:**" in first.source
        assert not outputs(notebook), f"{path.name} is committed with outputs"


@pytest.mark.models  # the sample's runs use the real models
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_each_notebook_runs_under_a_real_kernel(path, kernel_env, sample_runs):
    before = [folder_digest(run.out_dir) for run in sample_runs]
    notebook = execute(path)
    shown = outputs(notebook)
    assert not [o for o in shown if o.output_type == "error"]
    assert not [o.text for o in shown if o.output_type == "stream" and o.name == "stderr"]
    # The run shows itself as HTML (its summary) in every notebook, first thing.
    first = notebook.cells[1].outputs[-1]
    assert "Common Ground run" in first.data["text/html"] and "Failed files" in first.data["text/html"]
    # Figures draw offline: Plotly JSON for JupyterLab, and HTML whose plotly.js is the pinned one, inlined once.
    figures = [o for o in shown if PLOTLY_MIME in o.get("data", {})]
    html = "".join(o.data.get("text/html", "") for o in shown if "data" in o)
    assert html.count(plotly_js()) == (1 if figures else 0)
    assert not re.search(r"<script[^>]*\bsrc=", html), "an output loads a script from elsewhere"
    assert all("text/html" in o.data for o in figures)
    # Nothing is written into the runs' folders (the curation demo writes to a scratch folder).
    assert [folder_digest(run.out_dir) for run in sample_runs] == before
    check = CHECKS.get(path.stem)
    if check:
        check(notebook, sample_runs)


def plotly_array(value) -> np.ndarray:
    """An array as Plotly's JSON holds it: a list, or base64 bytes with a dtype and a shape."""
    if not isinstance(value, dict):
        return np.asarray(value)
    flat = np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"])
    return flat.reshape([int(n) for n in str(value["shape"]).split(",")]) if "shape" in value else flat


def text_of(notebook, cell: int) -> str:
    return "".join(o.get("text", "") + o.get("data", {}).get("text/plain", "") for o in notebook.cells[cell].outputs)


def check_quickstart(notebook, runs):
    first = runs[0]
    figures = [o for o in outputs(notebook) if PLOTLY_MIME in o.get("data", {})]
    assert len(figures) == 2  # the map and the heat map
    heat = figures[1].data[PLOTLY_MIME]["data"][0]
    assert heat["type"] == "heatmap" and plotly_array(heat["z"]).sum() == len(first.quotes)
    if len(first.dilemmas):
        assert text_of(notebook, 3).startswith(f"Dilemma {first.dilemmas.dilemma_id.iloc[0]}:")
    assert text_of(notebook, 5).startswith("Theme 0:")


def check_shared_dilemmas(notebook, runs):
    cards = [o for o in notebook.cells[5].outputs if o.output_type == "display_data"]
    assert len(cards) == min(3, int((runs[0].dilemmas.n_teams >= 2).sum()))
    assert all("Decision point (what the team changed)" in card.data["text/html"] for card in cards)


def check_compare(notebook, runs):
    assert "median overlap 1.00" in text_of(notebook, 4)  # the two runs share a seed: the same themes
    figure = next(o for o in outputs(notebook) if PLOTLY_MIME in o.get("data", {})).data[PLOTLY_MIME]
    n = len(runs[0].themes)
    assert np.diag(plotly_array(figure["data"][0]["z"])).tolist() == [1.0] * n


def check_curate(notebook, runs):
    written = text_of(notebook, 5)  # the curation file
    for action in ("[[rename]]", 'label = "Rules versus judgement"', "[[merge]]", "[[split]]", "[[hide]]"):
        assert action in written
    # A merge and a hide take a theme each, a split gives one back; the report is re-rendered into scratch.
    assert f"Run({len(runs[0].themes) - 1} themes" in text_of(notebook, 7)
    assert "theme_report.html" in text_of(notebook, 7)
    assert text_of(notebook, 8).startswith("Theme 0:")


CHECKS = {"00-quickstart": check_quickstart, "01-shared-dilemmas": check_shared_dilemmas,
          "03-compare-settings": check_compare, "04-curate": check_curate}

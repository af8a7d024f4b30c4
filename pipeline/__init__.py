"""Common Ground: find the common ground in conversation transcripts.

Notebook use (`make notebook` opens JupyterLab on notebooks/, which walk through all of it)::

    import pipeline
    result = pipeline.run("data/sample", out="reports/sample")   # about a minute; help(pipeline.run)
    result = pipeline.load_run("reports/sample")                  # a finished run, in seconds
    result                       # in a notebook: counts, top shared dilemmas and themes, failed files
    result.dilemmas              # DataFrames as in the run folder's CSV files: dilemmas,
    result.dilemma(0)            # dilemma_decisions, common_ground, themes, quotes, decisions;
    result.theme(0)              # a card each, as the report shows it
    result.said("housing")       # the decisions a team took and its reasons, in its words
    result.map(); result.heatmap(); result.compare_figure(other)   # Plotly, drawn with no network
    pipeline.Curator(result).rename(0, "Phones or casework")        # curation, kept in curation.toml

Imports are lazy so that `import pipeline` stays fast and loads no model.
"""
from __future__ import annotations

__all__ = ["run", "load_run", "rerender", "load_config", "Run", "Curator"]


def __getattr__(name: str):
    if name in {"run", "load_run", "rerender", "Run"}:
        from . import runner as _run_module

        return getattr(_run_module, name)
    if name == "Curator":
        from .curator import Curator

        return Curator
    if name == "load_config":
        from .config import load_config

        return load_config
    raise AttributeError(name)

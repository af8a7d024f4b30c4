"""Common Ground: find the common ground in conversation transcripts.

Notebook use::

    import pipeline
    r = pipeline.run("data/sample", out="reports/sample")
    r.themes.head()
    r2 = pipeline.load_run("reports/sample")

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

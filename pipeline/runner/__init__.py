"""The runner: orders the stages, checks their columns, times them, writes nothing itself.

The only orchestrator, for a fresh run and for a finished one alike:

- `fresh`: `run()`, every stage from the input folder to the report;
- `rerender`: `rerender()`, a finished run's curation re-applied and its report written again;
- `copies`: `anonymise_corpus()`, the anonymise command;
- `result`: the `Run` they return, `load_run()`, and what they share.
"""
from ..version import package_version
from .copies import anonymise_corpus
from .fresh import run
from .rerender import Rendered, rerender
from .result import DEFAULT_CACHE, Run, default_cache_dir, load_run, report_data

__all__ = ["DEFAULT_CACHE", "Rendered", "Run", "anonymise_corpus", "default_cache_dir", "load_run",
           "package_version", "report_data", "rerender", "run"]

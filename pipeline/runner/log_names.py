"""Log records that name an input file wait until the run knows how to mask its name.

Ingest warns about a file by its path ("Housing/Interview 2 - Kim Farrow.pdf:
failed: ...") before anything is anonymised, and a file name may hold a
person's name. For the duration of a run, a filter on every handler the
pipeline's records reach (the root's, as the CLI's `basicConfig` and pytest's
caplog install them; those of the `pipeline` loggers; Python's last resort,
which prints a notebook's warnings when nothing is configured) holds back each
record whose message names one of the input files. Once the anonymise stage
has run, each held record is written with every input path in it replaced by
its masked form, the one run.json's `inputs[].file` shows, and later records
are masked as they come. A run that stops before then (no readable file, an
error) masks them by the file names' own evidence alone
(`pipeline.anonymise.file_name_masker`). Records that name no input file pass
at once.
"""
from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable, Iterable
from pathlib import Path

from ..anonymise import file_name_masker
from ..ingest.discover import discover


class HeldFileNames:
    """A context manager: records naming one of `paths` are held, then masked with `release(mask)`.

    Parameters
    ----------
    paths : the input files' paths relative to INPUT (`ingest.discover`), as ingest names them.

    Examples
    --------
    >>> import logging
    >>> records = []
    >>> class Keep(logging.Handler):
    ...     def emit(self, record): records.append(record.getMessage())
    >>> handler, log = Keep(), logging.getLogger("pipeline.example")
    >>> log.addHandler(handler)
    >>> with HeldFileNames(["Housing/Interview 2 - Kim Farrow.pdf"]) as held:
    ...     log.warning("%s: failed: not a PDF", "Housing/Interview 2 - Kim Farrow.pdf")
    ...     log.warning("stage: parse")
    ...     held.release(lambda path: path.replace("Kim Farrow", "PERSON-3"))
    >>> log.removeHandler(handler)
    >>> records
    ['stage: parse', 'Housing/Interview 2 - PERSON-3.pdf: failed: not a PDF']
    """

    def __init__(self, paths: Iterable[str]):
        self.paths = sorted({p for p in paths if len(p) >= 3}
                            | {p.rsplit("/", 1)[-1] for p in paths if len(p.rsplit("/", 1)[-1]) >= 3},
                            key=lambda p: (-len(p), p))
        self.pattern = re.compile("|".join(map(re.escape, self.paths))) if self.paths else None
        self.mask: Callable[[str], str] | None = None
        self.held: list[tuple[logging.Handler, logging.LogRecord]] = []
        self.filters: list[tuple[logging.Handler, _Filter]] = []
        self.lock = threading.Lock()

    def __enter__(self) -> HeldFileNames:
        if self.pattern is None:
            return self
        for handler in _handlers():
            self.filters.append((handler, _Filter(self, handler)))
            handler.addFilter(self.filters[-1][1])
        return self

    def __exit__(self, *exc) -> None:
        try:
            if self.mask is None:  # the run stopped before the anonymise stage
                self.release(file_name_masker(self.paths))
        finally:
            for handler, log_filter in self.filters:
                handler.removeFilter(log_filter)

    def release(self, mask: Callable[[str], str]) -> None:
        """Mask every path with `mask` from now on, and write the records held so far."""
        with self.lock:
            self.mask, held, self.held = mask, self.held, []
        for handler, record in held:
            handler.handle(record)

    def keep(self, handler: logging.Handler, record: logging.LogRecord) -> bool:
        """Whether `handler` may write `record` now: when it names no input file, or once it is masked."""
        if self.pattern is None or getattr(record, "_names_masked", False):
            return True
        message = record.getMessage()
        if not self.pattern.search(message):
            return True
        with self.lock:
            if self.mask is None:
                self.held.append((handler, record))
                return False
            # Rewritten once, for every handler: the message is final, the arguments spent.
            record.msg, record.args = self.pattern.sub(lambda m: self.mask(m.group()), message), None
            record._names_masked = True
        return True


def input_files(input_path: Path) -> list[str]:
    """The paths relative to INPUT that ingest will name, as it names them; none when INPUT is not there."""
    try:
        return [found.relative for found in discover(input_path)] if input_path.exists() else []
    except OSError:  # ingest reports an unreadable INPUT itself
        return []


class _Filter(logging.Filter):
    """One handler's filter: which handler a held record was meant for is needed to write it later."""

    def __init__(self, held: HeldFileNames, handler: logging.Handler):
        super().__init__()
        self.held, self.handler = held, handler

    def filter(self, record: logging.LogRecord) -> bool:
        return self.held.keep(self.handler, record)


def _handlers() -> list[logging.Handler]:
    """Every handler a record of a `pipeline` logger may reach: theirs, the root's, and the last resort."""
    loggers = [logging.getLogger("pipeline"), logging.getLogger()]
    loggers += [log for name, log in sorted(logging.Logger.manager.loggerDict.items())
                if name.startswith("pipeline.") and isinstance(log, logging.Logger)]
    handlers = [h for log in loggers for h in log.handlers]
    if logging.lastResort is not None:
        handlers.append(logging.lastResort)
    return list(dict.fromkeys(handlers))

"""Every error the pipeline raises on purpose, with a code and a hint.

Messages name the file and say what to do. They never contain transcript
text or personal data: callers pass paths, counts and setting names only.
"""
from __future__ import annotations

from pathlib import Path

# Exit statuses of the command-line contract (README: Exit status).
EXIT_OK = 0
EXIT_INTERNAL = 1  # nothing usable, or an internal error
EXIT_USAGE = 2  # bad usage or configuration; nothing written
EXIT_PARTIAL = 3  # some inputs failed; the report covers the rest


class CommonGroundError(Exception):
    """Base class. `code` is stable for scripts; `hint` says what to do."""

    code = "E000"
    exit_status = EXIT_INTERNAL

    def __init__(self, message: str, hint: str = "", path: str | Path | None = None):
        self.message = message
        self.hint = hint
        self.path = str(path) if path is not None else None
        super().__init__(self.__str__())

    def __str__(self) -> str:
        where = f"{self.path}: " if self.path else ""
        hint = f" ({self.hint})" if self.hint else ""
        return f"[{self.code}] {where}{self.message}{hint}"


class ConfigError(CommonGroundError):
    """A setting is missing, unknown or out of range."""

    code = "E100"
    exit_status = EXIT_USAGE


class UsageError(CommonGroundError):
    """The command line asks for something impossible (missing input, bad --out)."""

    code = "E101"
    exit_status = EXIT_USAGE


class InputFileError(CommonGroundError):
    """One input file cannot be read. The batch records it and goes on."""

    code = "E200"
    exit_status = EXIT_PARTIAL

    def __init__(self, message: str, hint: str = "", path: str | Path | None = None,
                 status: str = "failed"):
        self.status = status
        super().__init__(message, hint, path)


class NoUsableInputError(CommonGroundError):
    """Nothing in INPUT could be turned into quotes."""

    code = "E201"
    exit_status = EXIT_INTERNAL


class ModelError(CommonGroundError):
    """A pinned model is missing or its weights fail their checksum."""

    code = "E300"
    exit_status = EXIT_USAGE


class OutputError(CommonGroundError):
    """An output cannot be written where asked."""

    code = "E400"
    exit_status = EXIT_USAGE


class LeakError(CommonGroundError):
    """A personal datum survived anonymisation; nothing was published."""

    code = "E500"
    exit_status = EXIT_INTERNAL

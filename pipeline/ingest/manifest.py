"""The two optional side files at the root of INPUT: ``manifest.csv`` and ``roster.txt``.

The manifest says which team each transcript belongs to, and optionally who
interviewed, when, and under which transcript id. The roster lists names the
anonymiser must always replace. A broken side file stops the run with a
usage error instead of being skipped: silently losing the manifest would put
every transcript in the wrong team, and losing the roster could leak names.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from pipeline.errors import InputFileError, UsageError

from .encoding import decode_text
from .rows import csv_records
from .sniff import foreign_format

MANIFEST_NAME = "manifest.csv"
ROSTER_NAME = "roster.txt"
# Several interviewers in one manifest cell; a comma would split "Smith, Anna".
NAME_SEPARATOR = ";"

_MANIFEST_HINT = ("manifest.csv needs a header row with a 'file' column "
                  "(and usually 'team'; optional: interviewer, date, transcript_id)")
# A manifest saved as a workbook or a document: renamed to its own extension it would be read as a transcript,
# so the hint `sniff.hint_for` gives a transcript is wrong here.
_SAVE_AS_CSV = "save it from Excel as CSV (comma separated) and name it manifest.csv"


@dataclass(frozen=True)
class ManifestEntry:
    """One manifest row. Empty strings mean "not given"."""

    file: str
    team: str = ""
    interviewers: tuple[str, ...] = ()
    date: str = ""
    transcript_id: str = ""


def normalise_relpath(value: str) -> str:
    """A path relative to INPUT in posix form: ``.\\housing\\anna.vtt`` -> ``housing/anna.vtt``."""
    return PurePosixPath(value.strip().replace("\\", "/")).as_posix().lstrip("/")


def read_manifest(path: Path, fallback_encoding: str) -> dict[str, ManifestEntry]:
    """Manifest entries by normalised file path; raises `UsageError` if unreadable.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "manifest.csv").write_text("file,team\\nhousing/a.vtt,Housing\\n")
    >>> read_manifest(folder / "manifest.csv", "cp1252")["housing/a.vtt"].team
    'Housing'
    """
    try:
        data = path.read_bytes()
        real_format = foreign_format(data)
        if real_format is not None:
            raise UsageError(f"the file is {real_format}, not a CSV text file", _SAVE_AS_CSV, path=MANIFEST_NAME)
        text = decode_text(data, MANIFEST_NAME, fallback_encoding)
        entries: dict[str, ManifestEntry] = {}
        for line, row in csv_records(text, "file", MANIFEST_NAME, _MANIFEST_HINT):
            entry = _entry(row)
            if not entry.file:
                raise UsageError(f"line {line} has an empty 'file'",
                                 "give every row the transcript's path relative to INPUT",
                                 path=MANIFEST_NAME)
            if entry.file in entries:
                raise UsageError(f"line {line} lists a file that an earlier line already lists",
                                 "keep one row per file", path=MANIFEST_NAME)
            entries[entry.file] = entry
    except InputFileError as exc:
        raise UsageError(exc.message, exc.hint or _MANIFEST_HINT, path=MANIFEST_NAME) from None
    except OSError as exc:
        raise UsageError(f"cannot be read ({exc.strerror})", "check its permissions",
                         path=MANIFEST_NAME) from None
    return entries


def read_roster(path: Path, fallback_encoding: str) -> list[str]:
    """Names from roster.txt, one per line; ``#`` starts a comment. Raises `UsageError`."""
    try:
        data = path.read_bytes()
        # An empty roster is a valid "no names yet", not a broken file.
        text = decode_text(data, ROSTER_NAME, fallback_encoding) if data.strip() else ""
    except InputFileError as exc:
        raise UsageError(exc.message, "fix roster.txt: one name per line, '#' for comments",
                         path=ROSTER_NAME) from None
    except OSError as exc:
        raise UsageError(f"cannot be read ({exc.strerror})", "check its permissions",
                         path=ROSTER_NAME) from None
    names = []
    for line in text.splitlines():
        name = " ".join(line.split("#", 1)[0].split())
        if name and name not in names:
            names.append(name)
    return names


def _entry(row: dict[str, str]) -> ManifestEntry:
    interviewers = tuple(
        " ".join(name.split()) for name in row.get("interviewer", "").split(NAME_SEPARATOR)
        if name.strip())
    return ManifestEntry(
        file=normalise_relpath(row.get("file", "")) if row.get("file", "").strip() else "",
        team=" ".join(row.get("team", "").split()),
        interviewers=interviewers,
        date=row.get("date", "").strip(),
        transcript_id=row.get("transcript_id", "").strip(),
    )

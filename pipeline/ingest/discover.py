"""Find the files under INPUT and sort them into transcripts, side files and others.

The walk is recursive and sorted, so two runs over the same folder see the
same files in the same order. Hidden folders (``.git``, ``.ipynb_checkpoints``)
are not entered. Every other file is listed, so run.json accounts for it: a
transcript to read, a side file at the root (manifest, roster, README, key),
or a file skipped with the reason and what to do.
"""
from __future__ import annotations

import os
import zipfile
from dataclasses import dataclass
from pathlib import Path

from .manifest import MANIFEST_NAME, ROSTER_NAME
from .rtf_reader import OLD_WORD_HINT
from .sniff import is_html, is_rtf

TRANSCRIPT_EXTENSIONS = (".vtt", ".srt", ".sbv", ".docx", ".odt", ".rtf", ".pdf", ".txt", ".md", ".csv", ".tsv",
                         ".xlsx", ".xlsm", ".jsonl", ".json", ".eml", ".html", ".htm")

KIND_TRANSCRIPT = "transcript"
KIND_MANIFEST = "manifest"
KIND_ROSTER = "roster"
KIND_SKIPPED = "skipped"

_CONVERT = "convert it to one of " + " ".join(TRANSCRIPT_EXTENSIONS) + " or move it out of INPUT"
# Common non-transcript formats get a precise hint instead of the generic one.
_FORMAT_HINTS = {
    ".doc": OLD_WORD_HINT,
    ".xls": "it is an old Excel 97-2003 workbook; open it in Excel and save it as .xlsx, or export the sheet as .csv",
    ".xlsb": "Excel binary workbooks are not read; open it in Excel and save it as .xlsx, or export the sheet as .csv",
    ".ods": "OpenDocument spreadsheets are not read; save it as .xlsx or export the sheet as .csv",
    ".numbers": "Apple Numbers spreadsheets are not read; export the table as .xlsx or .csv",
    ".pages": "Apple Pages documents are not read; export the transcript as .docx",
    ".msg": "Outlook .msg files are not read; in Outlook, save the message as .eml or .txt (File > Save As)",
    ".mbox": "mailbox files are not read; save the messages as .eml files, or as one .txt",
    **dict.fromkeys((".mht", ".mhtml", ".webarchive"),
                    "web archives are not read; save the page from the browser as 'Web page, HTML only' (.html)"),
    **dict.fromkeys((".mp4", ".m4a", ".mp3", ".wav", ".webm", ".mov", ".ogg", ".aac", ".flac"),
                    "it is a recording: transcribe it first (Teams, Zoom or Otter export a .vtt, "
                    ".docx or .txt), or move it out of INPUT"),
}


@dataclass(frozen=True)
class FoundFile:
    """A file under INPUT: where it is, what it is, and why it is skipped if it is."""

    relative: str  # posix path relative to INPUT; the file name for a single-file INPUT
    path: Path
    kind: str
    reason: str = ""


def discover(root: Path) -> list[FoundFile]:
    """Every file under `root` (or `root` itself if a file), sorted by relative path.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "a.vtt").write_text("WEBVTT")
    >>> _ = (folder / "notes.rtf").write_bytes(b"{\\rtf1")
    >>> _ = (folder / "old.xls").write_bytes(b"")
    >>> [(f.relative, f.kind) for f in discover(folder)]
    [('a.vtt', 'transcript'), ('notes.rtf', 'transcript'), ('old.xls', 'skipped')]
    """
    if root.is_file():
        return [_classify(root.name, root, at_root=False)]
    found = []
    for directory, folders, files in os.walk(root):
        folders[:] = sorted(f for f in folders if not f.startswith("."))
        base = Path(directory)
        for name in files:
            path = base / name
            relative = path.relative_to(root).as_posix()
            found.append(_classify(relative, path, at_root=base == root))
    return sorted(found, key=lambda f: f.relative)


def _classify(relative: str, path: Path, at_root: bool) -> FoundFile:
    name = path.name
    folded = name.casefold()
    suffix = path.suffix.casefold()
    if at_root:
        if folded == MANIFEST_NAME:
            return FoundFile(relative, path, KIND_MANIFEST,
                             "the manifest: read for teams, interviewers and ids, not a transcript")
        if folded == ROSTER_NAME:
            return FoundFile(relative, path, KIND_ROSTER,
                             "the roster: names to anonymise, not a transcript")
        if folded in ("readme.md", "readme.txt"):
            return FoundFile(relative, path, KIND_SKIPPED, "a README, not a transcript")
    if folded.endswith(".key.json"):  # wherever it lies: a key holds the real names, never read as a transcript
        return FoundFile(relative, path, KIND_SKIPPED,
                         "an anonymisation key, not a transcript; keep keys outside INPUT")
    if name.startswith("."):
        return FoundFile(relative, path, KIND_SKIPPED, "a hidden file, not a transcript")
    if name.startswith("~$"):
        return FoundFile(relative, path, KIND_SKIPPED,
                         "a lock file Word leaves while a document is open; "
                         "close Word and delete it")
    if suffix in TRANSCRIPT_EXTENSIONS or suffix == ".doc" and _read_doc(path):
        return FoundFile(relative, path, KIND_TRANSCRIPT)
    described = f"'{suffix}' files are" if suffix else "files without an extension are"
    return FoundFile(relative, path, KIND_SKIPPED,
                     f"{described} not a transcript format; {_FORMAT_HINTS.get(suffix, _CONVERT)}")


def _read_doc(path: Path) -> bool:
    """Whether a ``.doc`` is one that is read, by its first bytes: RTF (Word's Save As "Rich Text Format" kept
    under the old name, WordPad, many tools' "export to Word"), a web page (what other tools' "export to Word"
    and Word's "Web Page" write) or a Word .docx renamed .doc (a zip whose index lists ``word/document.xml``;
    nothing is unpacked); `rtf_reader.parse_doc` reads each as its own format. Any other .doc is Word 97-2003's
    binary format, skipped with its hint; so is one that cannot be opened here (its read says why).
    """
    try:
        with path.open("rb") as handle:
            head = handle.read(2048)
        if is_rtf(head) or is_html(head):
            return True
        if not head.startswith(b"PK\x03\x04"):
            return False
        with zipfile.ZipFile(path) as archive:
            return "word/document.xml" in archive.namelist()
    except (OSError, zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError):
        return False

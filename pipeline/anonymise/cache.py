"""What the anonymiser's first pass found in each turn, on disk, without the text.

The first pass (contact-detail patterns and name finding over the parse) is
most of the anonymiser's time and depends on nothing but the turn's text,
its parse and the settings; the run-wide register built from its findings
and the replacement pass are cheap and are always redone. `FindingsCache`
keeps, per turn, only offsets, a kind and a strength:

    contacts: (start, end, kind)          findings: (start, end, kind, strong, certain, label)

The originals are re-read from the run's own text (`text[start:end]`), so no
name, address or number is stored, and the only hash of the text is the key.
A turn whose findings are not plain slices of its text is not stored.

The key is sha256(settings + "\\0" + lower-case flag + "\\0" + text), where
the settings digest names the cache format, the anonymiser's source code
(every module of this package, so a change to a rule misses the old
entries), the versions of the pinned name and word lists, the spaCy
pipeline's fingerprint, the common words added to the dictionary, the names
to keep (including the run's team names) and the entity labels used.
"""
from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Sequence
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from ..keyed_rows import rows_by_key
from .lexicon import NAMES_DISTRIBUTION, WORDS_DISTRIBUTION
from .names import Found

# Bump when the stored layout changes.
FORMAT = 2
_FILE = "anonymise.sqlite3"

# (start, end, kind, surface) contact spans and Found name findings, per turn.
Contacts = list[tuple[int, int, str, str]]
Findings = list[Found]


@lru_cache(maxsize=1)
def source_digest() -> str:
    """sha256 of this package's source and word-list files: a changed rule or list changes every key."""
    digest = hashlib.sha256()
    for path in sorted([*Path(__file__).parent.glob("*.py"), *Path(__file__).parent.glob("*.txt")]):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def settings_digest(parse_fingerprint: str, common_words: frozenset[str], keep: frozenset[str],
                    entity_labels: frozenset[str]) -> str:
    """Everything besides a turn's text that its first-pass findings depend on."""
    versions = []
    for pinned in (NAMES_DISTRIBUTION, WORDS_DISTRIBUTION):  # "names==0.3.0": what is installed counts
        name = pinned.split("==")[0]
        try:
            versions.append(f"{name}=={version(name)}")
        except PackageNotFoundError:
            versions.append(f"{name}==?")
    words = hashlib.sha256("\n".join(sorted(common_words)).encode()).hexdigest()
    parts = [f"findings-v{FORMAT}", source_digest(), *versions, parse_fingerprint, words,
             json.dumps(sorted(keep)), json.dumps(sorted(entity_labels))]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


class FindingsCache:
    """First-pass findings on disk (`folder/anonymise.sqlite3`), keyed by settings and text.

    `hits` and `misses` count looked-up turns; `stored` counts turns written.
    """

    def __init__(self, folder: str | Path, parse_fingerprint: str):
        self.folder = Path(folder)
        self.parse_fingerprint = parse_fingerprint
        self.hits = self.misses = self.stored = 0

    def _connect(self) -> sqlite3.Connection:
        self.folder.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(self.folder / _FILE)
        conn.execute("CREATE TABLE IF NOT EXISTS findings (key TEXT PRIMARY KEY, entry TEXT)")
        return conn

    @staticmethod
    def key(settings: str, text: str, lower_case_text: bool) -> str:
        return hashlib.sha256(f"{settings}\0{int(lower_case_text)}\0{text}".encode()).hexdigest()

    def get_many(self, keys: Sequence[str], texts: Sequence[str]) -> dict[int, tuple[Contacts, Findings]]:
        """{position: (contacts, findings)} for the turns found, originals re-read from `texts`."""
        with self._connect() as conn:
            entries: dict[str, str] = dict(rows_by_key(conn, "findings", "entry", keys))
        conn.close()
        found = {}
        parsed: dict[str, list] = {}  # entry -> its lists: most turns share one ("[[],[]]", nothing found)
        for i, (key, text) in enumerate(zip(keys, texts)):
            if key in entries:
                entry = entries[key]
                if entry not in parsed:
                    parsed[entry] = json.loads(entry)
                contacts, names = parsed[entry]
                found[i] = ([(s, e, kind, text[s:e]) for s, e, kind in contacts],
                            [Found(s, e, kind, text[s:e], bool(strong), bool(certain), label)
                             for s, e, kind, strong, certain, label in names])
        self.hits += len(found)
        self.misses += len(keys) - len(found)
        return found

    def put_many(self, items: dict[str, tuple[str, Contacts, Findings]]) -> int:
        """Store {key: (text, contacts, findings)}; a turn with a finding that is not a slice of its text is skipped."""
        rows = []
        for key, (text, contacts, names) in items.items():
            if any(text[s:e] != surface for s, e, _, surface in contacts) or \
                    any(text[f.start:f.end] != f.surface for f in names):
                continue
            entry = [[[s, e, kind] for s, e, kind, _ in contacts],
                     [[f.start, f.end, f.kind, int(f.strong), int(f.certain), f.label] for f in names]]
            rows.append((key, json.dumps(entry, separators=(",", ":"))))
        if rows:
            with self._connect() as conn:
                conn.executemany("INSERT OR REPLACE INTO findings VALUES (?, ?)", rows)
            conn.close()
        self.stored += len(rows)
        return len(rows)

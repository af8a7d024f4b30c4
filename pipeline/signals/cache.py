"""The cue matches of each parsed turn, on disk, without the text.

Matching the cue patterns is most of the signals stage on a re-run (1.3 of
its 1.5 s on 40 AMI meetings) and depends on nothing but the turn's parse
and the patterns. `CueCache` keeps, per turn, what `cues.doc_matches`
found: cue names (pattern names such as "choose_between") and token
positions. No word of the turn is stored, and the only hash of its text is
the key.

The Doc matched is the anonymised one (`anonymise.docs`): the anonymised
text with the parse of the original, the placeholder taking the name's
place. Its annotations depend on both texts, so the key is
sha256(settings + "\\0" + original text + "\\0" + anonymised text), where
the settings name the cache format, the source of the cue rules (every
module they are built from, so a changed pattern misses the old entries)
and the spaCy pipeline's fingerprint (`parsecache.fingerprint`).
"""
from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from ..keyed_rows import rows_by_key
from .cues import DocMatches

# Bump when the stored layout changes.
FORMAT = 1
_FILE = "cues.sqlite3"
# The modules the matches are computed from: the patterns and the matching itself.
_SOURCES = ("cues.py", "patterns.py", "cache.py")


@lru_cache(maxsize=1)
def source_digest() -> str:
    """sha256 of the cue rules' source: a changed pattern changes every key."""
    digest = hashlib.sha256()
    for name in _SOURCES:
        digest.update(name.encode() + b"\0" + (Path(__file__).parent / name).read_bytes() + b"\0")
    return digest.hexdigest()


class CueCache:
    """Whole-Doc cue matches on disk (`folder/cues.sqlite3`), keyed by settings and both texts of a turn.

    `hits` and `misses` count looked-up turns; `stored` counts turns written.
    """

    def __init__(self, folder: str | Path, parse_fingerprint: str):
        self.folder = Path(folder)
        self.settings = hashlib.sha256("\0".join(
            [f"cues-v{FORMAT}", source_digest(), parse_fingerprint]).encode()).hexdigest()
        self.hits = self.misses = self.stored = 0

    def key(self, original_text: str, anonymised_text: str) -> str:
        return hashlib.sha256(f"{self.settings}\0{original_text}\0{anonymised_text}".encode()).hexdigest()

    def _connect(self) -> sqlite3.Connection:
        self.folder.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(self.folder / _FILE)
        conn.execute("CREATE TABLE IF NOT EXISTS cues (key TEXT PRIMARY KEY, entry TEXT)")
        return conn

    def get_many(self, keys: Sequence[str]) -> dict[str, DocMatches]:
        """{key: matches} for the keys found."""
        with self._connect() as conn:
            entries: dict[str, str] = dict(rows_by_key(conn, "cues", "entry", keys))
        conn.close()
        found: dict[str, DocMatches] = {}
        parsed: dict[str, DocMatches] = {}  # most turns share one entry ("[[],[]]": no cue)
        for key, entry in entries.items():
            if entry not in parsed:
                hits, hedges = json.loads(entry)
                parsed[entry] = ([tuple(h) for h in hits], [tuple(h) for h in hedges])
            found[key] = parsed[entry]
        self.hits += len(found)
        self.misses += len(set(keys)) - len(found)
        return found

    def put_many(self, items: dict[str, DocMatches]) -> int:
        """Store {key: matches}; returns how many were written."""
        rows = [(key, json.dumps([[list(h) for h in hits], [list(h) for h in hedges]], separators=(",", ":")))
                for key, (hits, hedges) in items.items()]
        with self._connect() as conn:
            conn.executemany("INSERT OR REPLACE INTO cues VALUES (?, ?)", rows)
        conn.close()
        self.stored += len(rows)
        return len(rows)

"""Reading many rows of a key-value SQLite table at once, for the caches (embeddings, parses, findings)."""
from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator

# SQLite caps the variables in one statement (999 in older builds): ask in chunks below that.
CHUNK = 500


def rows_by_key(conn: sqlite3.Connection, table: str, columns: str, keys: Iterable[str]) -> Iterator[tuple]:
    """(key, *columns) for every row of `table` whose key is among `keys` (each asked once).

    Examples
    --------
    >>> conn = sqlite3.connect(":memory:")
    >>> _ = conn.execute("CREATE TABLE t (key TEXT PRIMARY KEY, v INTEGER)")
    >>> _ = conn.executemany("INSERT INTO t VALUES (?, ?)", [("a", 1), ("b", 2)])
    >>> sorted(rows_by_key(conn, "t", "v", ["b", "a", "b", "z"]))
    [('a', 1), ('b', 2)]
    """
    unique = sorted(set(keys))
    for i in range(0, len(unique), CHUNK):
        chunk = unique[i:i + CHUNK]
        marks = ",".join("?" * len(chunk))
        yield from conn.execute(f"SELECT key, {columns} FROM {table} WHERE key IN ({marks})", chunk)

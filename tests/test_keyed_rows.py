import sqlite3

from pipeline.keyed_rows import CHUNK, rows_by_key


def test_more_keys_than_one_statement_takes_are_all_found_once():
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE t (key TEXT PRIMARY KEY, a INTEGER, b TEXT)")
    n = 2 * CHUNK + 7
    conn.executemany("INSERT INTO t VALUES (?, ?, ?)", [(f"k{i}", i, f"v{i}") for i in range(n)])
    asked = [f"k{i}" for i in range(n)] * 2 + ["missing"]
    rows = list(rows_by_key(conn, "t", "a, b", asked))
    assert len(rows) == n and {r[0] for r in rows} == {f"k{i}" for i in range(n)}
    assert all(a == int(key[1:]) and b == f"v{a}" for key, a, b in rows)

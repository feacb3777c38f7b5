"""Writing many rows at once inside an import's transaction: multi-row INSERTs, the indexes of a
table bulk-loaded while empty dropped first and rebuilt after, and households or disputes loaded
into a laptop without any with their search triggers lifted (app.sync.importer and its benchmark use these)."""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import AbstractContextManager
from itertools import chain

from app.sync.tables import TableSpec, to_storage
from db.bulk_load import bulk_load, family

# Rows per INSERT statement. FTS5 (the household search index, kept by triggers) writes out
# its pending terms at the end of every statement: one statement per row, as executemany
# does, makes 50,000 tiny index segments out of a station's households (5x slower).
ROWS_PER_INSERT = 500


def variables(conn) -> int:
    """How many ``?`` one statement may hold on this connection's SQLite."""
    import sqlite3

    getlimit = getattr(conn.connection.dbapi_connection, "getlimit", None)  # Python's sqlite3, not sqlcipher3
    if getlimit is not None:
        return getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    version = tuple(map(int, conn.exec_driver_sql("SELECT sqlite_version()").scalar().split(".")))
    return 32766 if version >= (3, 32) else 999  # SQLite's compiled-in default before and since 3.32


def insert_rows(conn, spec: TableSpec, rows: list[list], limit: int) -> None:
    """Insert rows (working or wire form), up to ROWS_PER_INSERT of them per statement and at
    most ``limit`` values (``variables(conn)``)."""
    width = len(spec.columns)
    per = max(1, min(ROWS_PER_INSERT, limit // width))
    one = "(" + ",".join("?" * width) + ")"
    head = f"INSERT INTO {spec.name} ({', '.join(spec.columns)}) VALUES "
    for start in range(0, len(rows), per):
        part = [to_storage(spec, r) for r in rows[start:start + per]]
        conn.exec_driver_sql(head + ",".join([one] * len(part)), tuple(chain.from_iterable(part)))


def record_received(conn, table: str, ids: Iterable[str], limit: int) -> None:
    """Journal rows an import wrote (what this laptop's next export must pass on), as many per
    statement as ``insert_rows`` writes rows (executemany would make a statement of each)."""
    ids, table = list(ids), str(table)  # a plain str: a table's own name (quoted_name) costs sqlite3 an adapter look-up
    per = max(1, min(ROWS_PER_INSERT, limit // 2))
    head = "INSERT INTO sync_received (table_name, row_id) VALUES "
    for start in range(0, len(ids), per):
        part = ids[start:start + per]
        conn.exec_driver_sql(head + ",".join(["(?, ?)"] * len(part)), tuple(chain.from_iterable(
            (table, i) for i in part)))


def search_load(conn, searched: str) -> AbstractContextManager[None]:
    """For a load of many rows of a searched table (households, disputes: db.bulk_load.SEARCHED) into
    a database that has none: bulk mode for its family (db.bulk_load, as the demo build uses it: the
    search triggers and the family's secondary indexes lifted while rows pour in, then each index
    made once and the search rows and trigram index derived in one pass each, the same rows the
    triggers would have made). Entered and left inside the import's transaction, so a refused file or
    a crash leaves triggers and indexes as they were."""
    return bulk_load(conn, (searched,), indexed=family(searched))


def drop_indexes(conn, table: str) -> list[tuple[str, str]]:
    """Drop a table's secondary indexes before a bulk load into it; returns them, to be rebuilt
    from their own definitions after: one sort each instead of a scattered write per row (a new
    laptop's first full import is three times faster). All inside the import's transaction, so
    a failure or a crash leaves the indexes as they were. Indexes SQLite keeps for a key or a
    UNIQUE constraint have no definition (sql IS NULL) and stay."""
    indexes = conn.exec_driver_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL",
        (table,)).fetchall()
    for name, _sql in indexes:
        conn.exec_driver_sql(f'DROP INDEX "{name}"')
    return indexes

"""Bulk loading (the demo build, a full sync into an empty database): triggers and secondary indexes
lifted while rows pour in, then each index made once and the household search structures derived in
one pass each.

Kept row by row, every resident rewrote its household's search text and the trigram index twice
(delete, insert), and every random id landed on a random index page: at city scale (millions of
rows) that was most of the build. Made at the end, an index is one sort and the search rows one
INSERT ... SELECT; the result is the same rows, ids included, that the triggers would have made.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from db.models import SYNCED_TABLES

# Tables whose triggers keep a derived search structure (migrations 0001 and 0011): the household
# search rows, the trigram index over them and its term list, which reads the index itself.
SEARCH_SOURCES = ("household", "resident", "household_search")
SEARCH_ROW_TRIGGER = "household_search_after_insert"  # makes a household's search row
FTS_TABLES = ("household_fts",)  # external-content indexes over household_search, rebuilt whole
INDEXED_TABLES = (*SYNCED_TABLES, "household_search")


@contextmanager
def bulk_load(conn) -> Iterator[None]:
    """Inside one transaction on ``conn``: drop the search triggers and the secondary indexes,
    let the caller insert, then make the indexes, the search rows and the trigram index, and the
    triggers again from their own definitions. A failure rolls the whole transaction back,
    triggers and indexes included."""
    triggers = _schema(conn, "trigger", SEARCH_SOURCES)
    indexes = _schema(conn, "index", INDEXED_TABLES)
    for kind, objects in (("TRIGGER", triggers), ("INDEX", indexes)):
        for name in objects:
            conn.exec_driver_sql(f'DROP {kind} "{name}"')
    yield
    for sql in indexes.values():
        conn.exec_driver_sql(sql)
    conn.exec_driver_sql(set_based(triggers[SEARCH_ROW_TRIGGER]))
    for fts in FTS_TABLES:
        conn.exec_driver_sql(f"INSERT INTO {fts} ({fts}) VALUES ('rebuild')")
    for sql in triggers.values():
        conn.exec_driver_sql(sql)


def set_based(trigger_sql: str) -> str:
    """The search-row trigger's own statement for every household at once, in insertion order (so
    the search rows get the ids the trigger would have given): its ``SELECT ... FROM household h
    WHERE h.id = NEW.id`` with ``NEW.id`` read as ``h.id``. Deriving it from the trigger keeps one
    definition of the search text (migration 0011's pads it; a later one may change it again)."""
    body = trigger_sql[trigger_sql.index("BEGIN") + len("BEGIN"):trigger_sql.rindex("END")].strip()
    statement = body.replace("NEW.id", "h.id").rstrip(";")
    if not body.upper().startswith("INSERT INTO HOUSEHOLD_SEARCH") or "NEW." in statement or ";" in statement:
        raise RuntimeError(f"{SEARCH_ROW_TRIGGER} changed shape; db/bulk_load.py must learn it: {trigger_sql}")
    return statement + " ORDER BY h.rowid"


def _schema(conn, kind: str, tables: tuple[str, ...]) -> dict[str, str]:
    """Name -> CREATE statement of the ``kind`` objects on ``tables``, in creation order; indexes
    a constraint makes (no SQL of their own) stay, as they cannot be dropped."""
    marks = ", ".join("?" * len(tables))
    rows = conn.exec_driver_sql(f"SELECT name, sql FROM sqlite_master WHERE type = ? AND tbl_name IN ({marks}) "
                                "AND sql IS NOT NULL ORDER BY rowid", (kind, *tables)).all()
    return dict(rows)

"""Bulk loading (the demo build, a full sync into an empty database): triggers and secondary indexes
lifted while rows pour in, then each index made once and the search structures (of households and
of disputes) derived in one pass each.

Kept row by row, every resident rewrote its household's search text and the trigram index twice
(delete, insert), and every random id landed on a random index page: at city scale (millions of
rows) that was most of the build. Made at the end, an index is one sort and the search rows one
INSERT ... SELECT; the result is the same rows, ids included, that the triggers would have made.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from itertools import chain

from db.models import SYNCED_TABLES

# Each searched table X (migrations 0001, 0011, 0013) has a derived search table ``X_search``,
# one row per X made by the trigger ``X_search_after_insert`` and kept by triggers on X and on the
# child tables named here, and a trigram index ``X_fts`` over it (external content, rebuilt whole;
# its term list reads the index itself). One rule for all, so a new one is one line.
SEARCHED = {"household": ("resident",), "dispute": ("dispute_party",)}
INDEXED_TABLES = (*SYNCED_TABLES, *(f"{x}_search" for x in SEARCHED))


def family(searched: str) -> tuple[str, ...]:
    """A searched table, the child tables its search text reads, and its search table."""
    return (searched, *SEARCHED[searched], f"{searched}_search")


@contextmanager
def bulk_load(conn, searched: Iterable[str] = tuple(SEARCHED), *,
              indexed: Iterable[str] = INDEXED_TABLES) -> Iterator[None]:
    """Inside one transaction on ``conn``: drop the search triggers of the ``searched`` tables (keys of
    SEARCHED) and the secondary indexes of the ``indexed`` tables, let the caller insert, then make
    the indexes, the search rows and the trigram index, and the triggers again from their own
    definitions. A failure rolls the whole transaction back, triggers and indexes included.

    Every searched table must be empty when the load begins: its search rows are then derived whole
    (rows it held already have theirs, and would get a second)."""
    searched = tuple(searched)
    for x in searched:
        if conn.exec_driver_sql(f"SELECT 1 FROM {x} LIMIT 1").first():
            raise RuntimeError(f"bulk_load: {x} is not empty")
    triggers = _schema(conn, "trigger", tuple(chain.from_iterable(family(x) for x in searched)))
    indexes = _schema(conn, "index", tuple(indexed))
    for kind, objects in (("TRIGGER", triggers), ("INDEX", indexes)):
        for name in objects:
            conn.exec_driver_sql(f'DROP {kind} "{name}"')
    yield
    for sql in indexes.values():
        conn.exec_driver_sql(sql)
    for x in searched:
        conn.exec_driver_sql(set_based(triggers[f"{x}_search_after_insert"]))
        conn.exec_driver_sql(f"INSERT INTO {x}_fts ({x}_fts) VALUES ('rebuild')")
    for sql in triggers.values():
        conn.exec_driver_sql(sql)


def set_based(trigger_sql: str) -> str:
    """A search-row trigger's own statement for every row of its table at once, in insertion order
    (so the search rows get the ids the trigger would have given): its ``INSERT INTO X_search ...
    SELECT ... FROM X a WHERE a.id = NEW.id`` with ``NEW.id`` read as ``a.id``. Deriving it from
    the trigger keeps one definition of each search text (a later migration may change it)."""
    body = trigger_sql[trigger_sql.index("BEGIN") + len("BEGIN"):trigger_sql.rindex("END")].strip().rstrip(";")
    shape = re.search(r"FROM (\w+) (\w+) WHERE \2\.id = NEW\.id$", body)
    statement = shape and body.replace("NEW.id", f"{shape[2]}.id")
    if not (shape and body.upper().startswith(f"INSERT INTO {shape[1].upper()}_SEARCH")) \
            or "NEW." in statement or ";" in statement:
        raise RuntimeError(f"a search-row trigger changed shape; db/bulk_load.py must learn it: {trigger_sql}")
    return f"{statement} ORDER BY {shape[2]}.rowid"


def _schema(conn, kind: str, tables: tuple[str, ...]) -> dict[str, str]:
    """Name -> CREATE statement of the ``kind`` objects on ``tables``, in creation order; indexes
    a constraint makes (no SQL of their own) stay, as they cannot be dropped."""
    marks = ", ".join("?" * len(tables))
    rows = conn.exec_driver_sql(f"SELECT name, sql FROM sqlite_master WHERE type = ? AND tbl_name IN ({marks}) "
                                "AND sql IS NOT NULL ORDER BY rowid", (kind, *tables)).all()
    return dict(rows)

"""Bulk inserts for the demo: rows buffered per table and written by executemany, parents first.

A station's worth of rows through the ORM took minutes; Core executemany in batches takes seconds.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from sqlalchemy import insert

from db.engine import Database
from db.models import SYNCED_MODELS
from db.stamping import insert_stamps

BATCH = 5_000


class Writer:
    """Buffers rows per table; flushes every buffer in foreign-key order, so parents land first."""

    def __init__(self, conn, db: Database, new_id: Callable[[], str]) -> None:
        self.conn, self.clock, self.new_id = conn, db.clock, new_id
        self.officer_id: str | None = None  # the admin once made: the demo rows' last editor
        self.buffers: dict[type, list[dict]] = {model: [] for model in SYNCED_MODELS}
        self.counts = Counter({model.__tablename__: 0 for model in SYNCED_MODELS})
        # One executemany needs the same keys in every row: columns a row leaves out are NULL.
        self.nullable = {model: [column.name for column in model.__table__.columns if column.nullable]
                         for model in SYNCED_MODELS}

    def add(self, model: type, row: dict) -> str:
        """Queue a row with a new id (or the one it brings: a record named by what it is, as a
        notice by its inspection's) and its sync stamps; returns the id."""
        for column in self.nullable[model]:
            row.setdefault(column, None)
        row.update(insert_stamps(self.clock, self.officer_id), deleted=False)
        if "id" not in row:
            row["id"] = self.new_id()
        rows = self.buffers[model]
        rows.append(row)
        if len(rows) >= BATCH:
            self.flush()
        return row["id"]

    def flush(self) -> None:
        for model, rows in self.buffers.items():
            if rows:
                self.conn.execute(insert(model.__table__), rows)
                self.counts[model.__tablename__] += len(rows)
                rows.clear()

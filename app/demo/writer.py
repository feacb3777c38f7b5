"""Bulk inserts for the demo: rows buffered per table and written by executemany, parents first.

A station's worth of rows through the ORM took minutes. Core ``insert()`` with dicts then spent a
third of the build converting values row by row inside SQLAlchemy; here each column's own
converter (the dialect's bind processor: dates, JSON, booleans as SQLAlchemy stores them) is
looked up once and the rows go to the driver as tuples, so the stored values are the same.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from operator import itemgetter

from db.engine import Database
from db.models import SYNCED_MODELS
from db.stamping import insert_stamps

BATCH = 5_000


class _Table:
    """One table's INSERT statement, its columns in order with their converters, and the values
    of the columns a row leaves out: NULL where allowed, else the column's default as Core fills it."""

    def __init__(self, model: type, dialect) -> None:
        columns = list(model.__table__.columns)
        self.names = [column.name for column in columns]
        self.sql = (f"INSERT INTO {model.__tablename__} ({', '.join(self.names)}) "
                    f"VALUES ({', '.join('?' * len(columns))})")
        self.pick = itemgetter(*self.names)
        self.convert = [(i, convert) for i, column in enumerate(columns)
                        if (convert := column.type.dialect_impl(dialect).bind_processor(dialect))]
        self.missing: dict[str, Callable[[], object]] = {}
        for column in columns:
            default = column.default
            if column.nullable or default is None:
                self.missing[column.name] = lambda: None
            elif default.is_scalar:
                self.missing[column.name] = lambda value=default.arg: value
            else:  # a factory such as dict or utcnow, which SQLAlchemy calls with its context
                self.missing[column.name] = lambda make=default.arg: make(None)

    def values(self, row: dict) -> tuple:
        if len(row) != len(self.names):
            if unknown := set(row) - set(self.names):
                raise KeyError(f"no such columns: {', '.join(sorted(unknown))}")
            for name in self.names:
                if name not in row:
                    row[name] = self.missing[name]()
        values = list(self.pick(row))
        for i, convert in self.convert:
            values[i] = convert(values[i])
        return tuple(values)


class Writer:
    """Buffers rows per table; flushes every buffer in foreign-key order, so parents land first."""

    def __init__(self, conn, db: Database, new_id: Callable[[], str]) -> None:
        self.conn, self.clock, self.new_id = conn, db.clock, new_id
        self.officer_id: str | None = None  # the admin once made: the demo rows' last editor
        self.tables = {model: _Table(model, conn.dialect) for model in SYNCED_MODELS}
        self.buffers: dict[type, list[dict]] = {model: [] for model in SYNCED_MODELS}
        self.counts = Counter({model.__tablename__: 0 for model in SYNCED_MODELS})
        self.pending: list[tuple[dict, str, Future]] = []
        self.pool: ThreadPoolExecutor | None = None

    def add(self, model: type, row: dict) -> str:
        """Queue a row with a new id (or the one it brings: a record named by what it is, as a
        notice by its inspection's) and its sync stamps; returns the id."""
        row.update(insert_stamps(self.clock, self.officer_id), deleted=False)
        if "id" not in row:
            row["id"] = self.new_id()
        rows = self.buffers[model]
        rows.append(row)
        if len(rows) >= BATCH:
            self.flush()
        return row["id"]

    def later(self, row: dict, column: str, slow: Callable, *args) -> None:
        """Fill ``row[column]`` with ``slow(*args)`` on a worker thread before the row is written:
        for work that releases the GIL (a salted PBKDF2 hash), so the other core does it while
        this one makes rows. The result is the same as calling it here."""
        if self.pool is None:
            self.pool = ThreadPoolExecutor(max_workers=os.cpu_count() or 1, thread_name_prefix="demo")
        self.pending.append((row, column, self.pool.submit(slow, *args)))

    def flush(self) -> None:
        for row, column, result in self.pending:
            row[column] = result.result()
        self.pending.clear()
        for model, rows in self.buffers.items():
            if rows:
                table = self.tables[model]
                self.conn.exec_driver_sql(table.sql, [table.values(row) for row in rows])
                self.counts[model.__tablename__] += len(rows)
                rows.clear()

    def close(self) -> None:
        """Write what is buffered and stop the worker threads."""
        self.flush()
        if self.pool is not None:
            self.pool.shutdown()

"""Bulk inserts for the demo: rows buffered per table and written by executemany, parents first.

A station's worth of rows through the ORM took minutes; Core ``insert()`` with dicts then spent a
third of the build converting values row by row inside SQLAlchemy, and stamping each row alone
(a clock reading, two datetimes and a JSON document) cost as much again. Here each column's own
converter (the dialect's bind processor: dates, JSON, booleans as SQLAlchemy stores them) is
looked up once and remembered per value (a city has a few thousand distinct days, millions of
rows), the sync stamps are made once per batch, and the rows go to the driver as tuples, so the
stored values are the same as ``db.stamping.insert_stamps`` would give.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from operator import itemgetter

from sqlalchemy import JSON

from db.base import ALL_FIELDS, utcnow
from db.engine import Database
from db.hlc import parse
from db.models import SYNCED_MODELS

BATCH = 20_000
STAMPS = ("created_at", "updated_at", "hlc", "clocks", "deleted", "updated_by")  # written by the writer
_PLACEHOLDER = "<<hlc>>"
_COUNTERS = 16**4  # a stamp's counter has four hex digits (db/hlc.py)


class _Memo(dict):
    """A converter remembered per value: a city repeats its days, times and flags millions of times."""

    def __init__(self, convert: Callable) -> None:
        super().__init__()
        self.convert = convert

    def __missing__(self, value):
        result = self[value] = self.convert(value)
        return result


class _Table:
    """One table's INSERT statement (data columns, then the stamps), its converters, and the
    values of the columns a row leaves out: NULL where allowed, else the column's default as Core fills it."""

    def __init__(self, model: type, dialect) -> None:
        columns = [column for column in model.__table__.columns if column.name not in STAMPS]
        by_name = {column.name: column for column in model.__table__.columns}
        self.names = [column.name for column in columns]
        self.sql = (f"INSERT INTO {model.__tablename__} ({', '.join(self.names + list(STAMPS))}) "
                    f"VALUES ({', '.join('?' * (len(columns) + len(STAMPS)))})")
        self.pick = itemgetter(*self.names)
        self.convert: list[tuple[int, Callable]] = []
        for i, column in enumerate(columns):
            if convert := column.type.dialect_impl(dialect).bind_processor(dialect):
                # JSON values (lists, dicts) cannot be remembered by value
                self.convert.append((i, convert if isinstance(column.type, JSON) else _Memo(convert).__getitem__))
        self.missing: dict[str, Callable[[], object]] = {}
        for column in columns:
            default = column.default
            if column.nullable or default is None:
                self.missing[column.name] = lambda: None
            elif default.is_scalar:
                self.missing[column.name] = lambda value=default.arg: value
            else:  # a factory such as dict or utcnow, which SQLAlchemy calls with its context
                self.missing[column.name] = lambda make=default.arg: make(None)
        convert = {name: by_name[name].type.dialect_impl(dialect).bind_processor(dialect) or (lambda v: v)
                   for name in STAMPS}
        self.stamp_time = convert["created_at"]
        self.not_deleted = convert["deleted"](False)
        self.clocks = convert["clocks"]({ALL_FIELDS: [_PLACEHOLDER, None]}).split(_PLACEHOLDER)

    def rows(self, rows: list[dict], stamps: list[str], officer_id: str | None) -> zip:
        """The rows as tuples in the statement's order, with their stamps (one per row, in order)."""
        defaults = {name: make() for name, make in self.missing.items()}
        full = len(defaults)
        values = []
        for row in rows:
            if len(row) != full:
                row = {**defaults, **row}
                if len(row) != full:
                    raise KeyError(f"no such columns: {', '.join(sorted(set(row) - set(self.names)))}")
            values.append(self.pick(row))
        columns = list(zip(*values))
        for i, convert in self.convert:
            columns[i] = list(map(convert, columns[i]))
        n, now = len(rows), self.stamp_time(utcnow())
        before, after = self.clocks
        return zip(*columns, [now] * n, [now] * n, stamps, [before + s + after for s in stamps],
                   [self.not_deleted] * n, [officer_id] * n)


class Writer:
    """Buffers rows per table; flushes every buffer in foreign-key order, so parents land first."""

    def __init__(self, conn, db: Database, new_id: Callable[[], str]) -> None:
        self.conn, self.clock, self.new_id = conn, db.clock, new_id
        self.driver = conn.connection.dbapi_connection  # the rows go straight to sqlite3, in conn's transaction
        self._officer_id: str | None = None
        self.tables = {model: _Table(model, conn.dialect) for model in SYNCED_MODELS}
        self.buffers: dict[type, list[dict]] = {model: [] for model in SYNCED_MODELS}
        self.counts = Counter({model.__tablename__: 0 for model in SYNCED_MODELS})
        self.pending: list[tuple[dict, str, Future]] = []
        self.pool: ThreadPoolExecutor | None = None

    @property
    def officer_id(self) -> str | None:
        """The admin once made: the demo rows' last editor."""
        return self._officer_id

    @officer_id.setter
    def officer_id(self, officer_id: str) -> None:
        self.flush()  # the rows made before (the admin's own) were edited by no one
        self._officer_id = officer_id

    def add(self, model: type, row: dict) -> str:
        """Queue a row with a new id (or the one it brings: a record named by what it is, as a
        notice by its inspection's); it is stamped when written. Returns the id."""
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
                self.driver.executemany(table.sql, table.rows(rows, self.stamps(len(rows)), self._officer_id))
                self.counts[model.__tablename__] += len(rows)
                rows.clear()

    def stamps(self, n: int) -> list[str]:
        """``n`` clock stamps in a row, as ``n`` calls of ``clock.now()`` would make them when the
        wall clock stands still (it moves little while a batch is written); the clock then goes on
        from the last, so every stamp made after the build is above them."""
        first = parse(self.clock.now())
        node, ms, counter = first.node, first.ms, first.counter
        made = []
        while len(made) < n:
            take = min(n - len(made), _COUNTERS - counter)
            prefix = f"{ms:012x}-"
            made += [f"{prefix}{c:04x}-{node}" for c in range(counter, counter + take)]
            ms, counter = ms + 1, 0  # past the counter's last value: the next millisecond
        self.clock.observe(made[-1])
        return made

    def close(self) -> None:
        """Write what is buffered and stop the worker threads."""
        self.flush()
        if self.pool is not None:
            self.pool.shutdown()


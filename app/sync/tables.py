"""What travels in a sync file: each synced table's columns and kinds, and row reads (checks: app.sync.rows).

Rows travel as lists of SQLite storage values in ``TableSpec.columns`` order (text for dates
and times, 0/1 for booleans), except JSON columns, which travel decoded so the file is plain
JSON. The merge works on the same lists (the "working form"); the wire form only leaves out
what a never-edited row makes obvious (see ``to_file``).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import JSON, Boolean, Date, DateTime, Float, Integer, Time, TypeDecorator

from db.base import ALL_FIELDS, SYNC_COLUMNS
from db.models import SYNCED_MODELS

STAMP_RX = re.compile(r"[0-9a-f]{12}-[0-9a-f]{4}-[0-9a-f]{12}")
CONFLICT_TABLE = "sync_conflict"


_canonical = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode


def canonical(value: Any) -> str:
    """One JSON text per value: how rows travel, and how values are compared and kept in conflicts."""
    return _canonical(value)


def _kind(column) -> str:
    # sqlmodel's datetime columns are a TypeDecorator (UTCDateTime) over DateTime: judge by what is stored.
    sa_type = column.type.impl if isinstance(column.type, TypeDecorator) else column.type
    for cls, kind in ((Boolean, "bool"), (Integer, "int"), (Float, "float"), (JSON, "json"),
                      (DateTime, "datetime"), (Date, "date"), (Time, "time")):
        if isinstance(sa_type, cls):
            return kind
    return "text"


@dataclass(frozen=True)
class TableSpec:
    name: str
    columns: tuple[str, ...]
    kinds: tuple[str, ...]
    nullable: tuple[bool, ...]
    fks: tuple[tuple[int, str], ...]  # (column index, parent table)
    index: dict[str, int] = field(repr=False)
    data_fields: tuple[tuple[str, int], ...] = field(repr=False)  # merged field by field (with deleted)
    # JSON columns other than clocks; computed once: it is read for every row of an import.
    other_json: tuple[int, ...] = field(repr=False, default=())

    def select_sql(self) -> str:
        return f"SELECT {', '.join(self.columns)} FROM {self.name}"

    def insert_sql(self) -> str:
        return f"INSERT INTO {self.name} ({', '.join(self.columns)}) VALUES ({', '.join('?' * len(self.columns))})"

    def update_sql(self) -> str:
        sets = ", ".join(f"{c} = ?" for c in self.columns if c != "id")
        return f"UPDATE {self.name} SET {sets} WHERE id = ?"


def _spec(model) -> TableSpec:
    table = model.__table__
    columns = tuple(c.name for c in table.columns)
    fks = tuple((columns.index(c.name), next(iter(c.foreign_keys)).column.table.name)
                for c in table.columns if c.foreign_keys)
    index = {c: i for i, c in enumerate(columns)}
    return TableSpec(
        name=table.name, columns=columns, kinds=tuple(_kind(c) for c in table.columns),
        nullable=tuple(bool(c.nullable) for c in table.columns), fks=fks, index=index,
        data_fields=tuple((c, i) for c, i in index.items() if c not in SYNC_COLUMNS),
        other_json=tuple(i for i, c in enumerate(table.columns) if _kind(c) == "json" and c.name != "clocks"))


SPECS: dict[str, TableSpec] = {model.__tablename__: _spec(model) for model in SYNCED_MODELS}
# Every spec puts the sync columns where the mixin declares them: id, created_at, updated_at, hlc, clocks, deleted,
# updated_by; the merge relies on these positions.
ID, CREATED, UPDATED, HLC, CLOCKS, DELETED, UPDATED_BY = range(7)
assert all(s.columns[:7] == ("id", "created_at", "updated_at", "hlc", "clocks", "deleted", "updated_by")
           for s in SPECS.values())


# Most rows were never edited: their clocks hold the insert stamp alone, and their times
# are equal. On the wire such clocks are null and such an updated_at is null, which spares
# the JSON codec half a million small objects each way for a full station.
_INSERT_ONLY = re.compile(r'\{"\*": \["([0-9a-f]{12}-[0-9a-f]{4}-[0-9a-f]{12})", null\]\}')
_encode = json.JSONEncoder(ensure_ascii=False, sort_keys=True).encode
_decode = json.JSONDecoder().decode


def to_file(spec: TableSpec, row, *, wire: bool = False) -> list:
    """A stored row (raw SQLite values) in its working form, or with ``wire`` as it travels."""
    out = list(row)
    m = _INSERT_ONLY.fullmatch(out[CLOCKS])
    if m is None:
        out[CLOCKS] = _decode(out[CLOCKS])
    else:
        out[CLOCKS] = None if wire else {ALL_FIELDS: [m.group(1), None]}
    if wire and out[UPDATED] == out[CREATED]:
        out[UPDATED] = None
    for i in spec.other_json:
        if out[i] is not None:
            out[i] = _decode(out[i])
    return out


def expand(row: list) -> list:
    """A row from the wire in its working form (in place): the elided clocks and time filled in."""
    if row[CLOCKS] is None:
        row[CLOCKS] = {ALL_FIELDS: [row[HLC], None]}
    if row[UPDATED] is None:
        row[UPDATED] = row[CREATED]
    return row


def to_storage(spec: TableSpec, row: list) -> tuple:
    """A working or wire row as SQLite values."""
    out = list(row)
    clocks = out[CLOCKS]
    if clocks is None:
        out[CLOCKS] = f'{{"*": ["{out[HLC]}", null]}}'
    else:
        star = clocks.get(ALL_FIELDS) if len(clocks) == 1 else None
        out[CLOCKS] = (f'{{"*": ["{star[0]}", null]}}' if star is not None and star[1] is None
                       else _encode(clocks))
    if out[UPDATED] is None:
        out[UPDATED] = out[CREATED]
    for i in spec.other_json:
        out[i] = _encode(out[i])
    return tuple(out)


# --- reading stored rows ---------------------------------------------------------------------

_CHUNK = 500  # ids per IN (…) query


def _chunks(items: list, size: int = _CHUNK):
    for start in range(0, len(items), size):
        yield items[start:start + size]


def fetch(conn, spec: TableSpec, ids: list[str], *, wire: bool = False) -> dict[str, list]:
    """Stored rows of ``spec`` with these ids, in working form (or wire form)."""
    present = fetch_ids(conn, spec.name, ids)
    out = {}
    for chunk in _chunks(present):
        sql = f"{spec.select_sql()} WHERE id IN ({','.join('?' * len(chunk))})"
        for row in conn.exec_driver_sql(sql, tuple(chunk)):
            out[row[0]] = to_file(spec, row, wire=wire)
    return out


def fetch_ids(conn, table: str, ids) -> list[str]:
    """Which of ``ids`` exist in ``table``: by lookups, or by one scan when the table is small."""
    ids = list(ids)
    if not ids:
        return []
    if len(ids) > 5000 and conn.exec_driver_sql(f"SELECT count(*) FROM {table}").scalar() <= 4 * len(ids):
        wanted = set(ids)
        return [row[0] for row in conn.exec_driver_sql(f"SELECT id FROM {table}") if row[0] in wanted]
    found = []
    for chunk in _chunks(ids):
        sql = f"SELECT id FROM {table} WHERE id IN ({','.join('?' * len(chunk))})"
        found += [row[0] for row in conn.exec_driver_sql(sql, tuple(chunk))]
    return found


def fetch_versions(conn, records: set[tuple[str, str]]) -> dict[str, list]:
    """Every stored version row of these records."""
    by_table: dict[str, list[str]] = {}
    for table, record in records:
        by_table.setdefault(table, []).append(record)
    out = {}
    for table, ids in by_table.items():
        for chunk in _chunks(ids):
            marks = ",".join("?" * len(chunk))
            sql = f"{SPECS[CONFLICT_TABLE].select_sql()} WHERE table_name = ? AND record_id IN ({marks})"
            for row in conn.exec_driver_sql(sql, (table, *chunk)):
                out[row[0]] = to_file(SPECS[CONFLICT_TABLE], row)
    return out

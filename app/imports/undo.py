"""Undoing the last Excel import: exactly what it added soft-deleted, what it changed put back.

Refused, with one line, when any of its records was edited since (its stamp moved on) or when a
record made since hangs on one it added (a visit to an imported household): undo must never take
away or overwrite an officer's later work. The undo is a change like any other: stamped, synced,
audited once.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime

from sqlalchemy import Date, DateTime, select, update

from app.core.errors import UserError
from app.core.vocab import TABLE_LABELS
from app.imports.writing import CACHE_KIB, ImportSummary, Writer, audit
from db.base import utcnow
from db.engine import Database
from db.models import SYNCED_MODELS, ImportBatch, ImportRecord
from db.stamping import seed_from_storage

MODELS = {model.__tablename__: model for model in SYNCED_MODELS}


def _summary(batch) -> ImportSummary:
    return ImportSummary(batch_id=batch.id, kind=batch.kind, file_name=batch.file_name, at=batch.at,
                         added=batch.added, updated=batch.updated, skipped=batch.skipped,
                         undone=batch.undone_at is not None)


def _newest(conn):
    b = ImportBatch.__table__.c
    return conn.execute(select(ImportBatch.__table__).where(b.undone_at.is_(None))
                        .order_by(b.at.desc()).limit(1)).first()


def last_import(db: Database) -> ImportSummary | None:
    """The newest import not yet undone."""
    with db.connect() as conn:
        batch = _newest(conn)
    return _summary(batch) if batch else None


def _edited_since(conn, records) -> str | None:
    """Why the undo must be refused, or None: a record whose stamp moved on, or a living record
    not of this import that refers to one it added. The import's records go into a temporary
    table first, so each check is one statement however large the import."""
    conn.exec_driver_sql("CREATE TEMP TABLE IF NOT EXISTS undo_record "
                         "(table_name TEXT, record_id TEXT, hlc TEXT, added INTEGER, PRIMARY KEY (record_id))")
    conn.exec_driver_sql("DELETE FROM undo_record")
    rows = [(r.table_name, r.record_id, r.hlc, r.old is None) for r in records]
    for start in range(0, len(rows), 5_000):
        conn.exec_driver_sql("INSERT OR REPLACE INTO undo_record VALUES (?, ?, ?, ?)", rows[start:start + 5_000])
    tables = {r.table_name for r in records}
    added = {r.table_name for r in records if r.old is None}
    try:
        for name in tables:
            moved = conn.exec_driver_sql(
                f"SELECT 1 FROM {name} t JOIN undo_record u ON u.record_id = t.id "  # noqa: S608 (our table names)
                f"WHERE u.table_name = ? AND t.hlc != u.hlc LIMIT 1", (name,)).first()
            if moved:
                return f"这次导入的{TABLE_LABELS.get(name, name)}已被修改，不能撤销导入"
        for model in SYNCED_MODELS:
            for fk in model.__table__.foreign_keys:
                target = fk.column.table.name
                if target not in added:
                    continue
                child, column = model.__tablename__, fk.parent.name
                later = conn.exec_driver_sql(
                    f"SELECT 1 FROM {child} WHERE NOT deleted AND {column} IN "  # noqa: S608
                    f"(SELECT record_id FROM undo_record WHERE table_name = ? AND added) "
                    f"AND id NOT IN (SELECT record_id FROM undo_record) LIMIT 1", (target,)).first()
                if later:
                    what, since = TABLE_LABELS.get(target, target), TABLE_LABELS.get(child, child)
                    return f"这次导入的{what}已被修改（之后又登记了{since}），不能撤销导入"
    finally:
        conn.exec_driver_sql("DROP TABLE IF EXISTS temp.undo_record")
    return None


def _stored(model: type, values: dict) -> dict:
    """The undo list's JSON values back as the columns store them."""
    columns = model.__table__.c
    out = {}
    for key, value in values.items():
        if isinstance(value, str) and isinstance(columns[key].type, DateTime):
            value = datetime.fromisoformat(value)
        elif isinstance(value, str) and isinstance(columns[key].type, Date):
            value = date.fromisoformat(value)
        out[key] = value
    return out


def undo_last(db: Database, *, officer_id: str | None) -> ImportSummary:
    """Undo the newest import not yet undone, in one transaction."""
    with db.engine.connect() as conn:
        with conn.begin():
            seed_from_storage(conn, db.clock)  # the write lock first: nobody edits between check and undo
            cache = conn.exec_driver_sql("PRAGMA cache_size").scalar()
            conn.exec_driver_sql(f"PRAGMA cache_size=-{CACHE_KIB}")  # as the import's write (writing.py)
            try:
                batch = _undo(db, conn, officer_id)
            finally:
                conn.exec_driver_sql(f"PRAGMA cache_size={cache}")
    summary = _summary(batch)
    summary.undone = True
    return summary


def _undo(db: Database, conn, officer_id: str | None):
    batch = _newest(conn)
    if batch is None:
        raise UserError("没有可以撤销的导入")
    r = ImportRecord.__table__.c
    records = conn.execute(select(ImportRecord.__table__).where(r.batch_id == batch.id).order_by(r.id)).all()
    if reason := _edited_since(conn, records):
        raise UserError(reason)
    writer = Writer(conn, db, officer_id)
    added = defaultdict(list)
    for record in records:
        if record.old is None:
            added[record.table_name].append(record.record_id)
    for model in reversed(SYNCED_MODELS):  # children first, as a form deletes
        if ids := added.get(model.__tablename__):
            writer.soft_delete(model, ids)
    for record in records:
        if record.old is not None:
            model = MODELS[record.table_name]
            writer.update(model, record.record_id, _stored(model, record.old))
    b = ImportBatch.__table__.c
    conn.execute(update(ImportBatch.__table__).where(b.id == batch.id).values(undone_at=utcnow()))
    audit(db, conn, "undo_import", officer_id, file=batch.file_name, rows=batch.added, changed=batch.updated)
    return batch

"""Writing a checked import: one transaction, stamped for sync, audited once, remembered for undo.

Rows go in by Core executemany (the ORM took minutes for a station's worth, as the demo found),
so this module does what the stamping hook does for a form's save: sync stamps on every row
inserted or changed (``db.stamping.insert_stamps``, per-field clocks on updates), after taking
the write lock and restarting the clock above everything stored (``seed_from_storage``). The
audit trail gets one ``import_xlsx`` entry for the whole import, as a sync import gets one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.orm import Session

from app.core.errors import UserError
from app.imports.checking import CheckResult, ImportCancelled, Progress
from app.imports.kinds import Changes, kind_module
from app.sync.bulk import ROWS_PER_INSERT, variables
from db.base import field_stamp, new_id, utcnow
from db.engine import Database
from db.models import SYNCED_MODELS, AuditEntry, Household, ImportBatch, ImportRecord, Resident
from db.stamping import CLOCK, OFFICER, insert_stamps, seed_from_storage

BATCH = 5_000
# Page cache for the write (SQLite's default is 2 MB): 50,000 residents land at random places in the
# indexes of a station's 200,000; 64 MB, as the sync import takes, keeps them in memory.
CACHE_KIB = 64 * 1024
# Residents before their households (foreign keys deferred to the commit): the search triggers then
# build each new household's search row once, with its residents, instead of rewriting it (and its
# full-text entry) for every resident added. Otherwise parents first.
_PARENTS_FIRST = tuple(m for m in SYNCED_MODELS if m is not Household)
_AFTER_RESIDENT = _PARENTS_FIRST.index(Resident) + 1
FLUSH_ORDER = (*_PARENTS_FIRST[:_AFTER_RESIDENT], Household, *_PARENTS_FIRST[_AFTER_RESIDENT:])


@dataclass
class ImportSummary:
    batch_id: str
    kind: str
    file_name: str
    at: datetime
    added: int  # records made (a household and its residents count apart)
    updated: int  # records changed
    skipped: int  # rows not written (skipped, or with problems)
    undone: bool


class _Insert:
    """One table's INSERT with its columns in order, each value converted as SQLAlchemy would store it
    (the dialect's bind processors: dates, JSON, booleans), so rows go to the driver as tuples: Core's
    per-row conversion of dicts was a quarter of an import's time."""

    def __init__(self, model: type, dialect) -> None:
        columns = list(model.__table__.columns)
        self.names = [column.name for column in columns]
        self.head = f"INSERT INTO {model.__tablename__} ({', '.join(self.names)}) VALUES "
        self.one = f"({', '.join('?' * len(columns))})"
        self.convert = [(i, convert) for i, column in enumerate(columns)
                        if (convert := column.type.dialect_impl(dialect).bind_processor(dialect))]
        self.defaults = {column.name: column.default.arg for column in columns
                         if column.default is not None and column.default.is_scalar}

    def values(self, row: dict) -> list:
        values = [row[name] if name in row else self.defaults.get(name) for name in self.names]
        for i, convert in self.convert:
            values[i] = convert(values[i])
        return values

    def write(self, conn, rows: list[dict], limit: int) -> None:
        """Several rows per INSERT statement (as app/sync/bulk.py does, for the same reason: the
        household search index writes out its pending terms after every statement)."""
        per = max(1, min(ROWS_PER_INSERT, limit // len(self.names)))
        cursor = conn.connection.cursor()  # the driver's own: values as they are
        try:
            for start in range(0, len(rows), per):
                part = rows[start:start + per]
                cursor.execute(self.head + ",".join([self.one] * len(part)),
                               [value for row in part for value in self.values(row)])
        finally:
            cursor.close()


class Writer:
    """Buffers inserts per table and flushes them parents first; changes rows one by one, stamped
    per field. Remembers what it added and the old values of what it changed (``changes``), and
    each row's stamp as left (``stamps``), which is what undo compares with later."""

    def __init__(self, conn, db: Database, officer_id: str | None, *,
                 tick: Callable[[int], None] | None = None) -> None:
        self.conn, self.clock, self.officer_id = conn, db.clock, officer_id
        self.tick = tick or (lambda _done: None)
        self.buffers: dict[type, list[dict]] = {model: [] for model in FLUSH_ORDER}
        self.pending: set[str] = set()
        self.inserts = {model: _Insert(model, conn.dialect) for model in SYNCED_MODELS}
        self.limit = variables(conn)
        self.changes = Changes()
        self.stamps: dict[tuple[str, str], str] = {}
        self._old: dict[tuple[str, str], dict] = {}
        self.done = 0

    def add(self, model: type, row: dict) -> str:
        row.update(insert_stamps(self.clock, self.officer_id), deleted=False, id=row.get("id") or new_id())
        self.buffers[model].append(row)
        self.pending.add(row["id"])
        self.changes.added.append((model.__tablename__, row["id"]))
        self.stamps[(model.__tablename__, row["id"])] = row["hlc"]
        self.done += 1
        if len(self.buffers[model]) >= BATCH:
            self.flush()
        return row["id"]

    def update(self, model: type, record_id: str, values: dict) -> bool:
        if record_id in self.pending:
            self.flush()
        table = model.__table__
        row = self.conn.execute(select(table).where(table.c.id == record_id)).mappings().first()
        if row is None:
            return False
        changed = {key: value for key, value in values.items() if row[key] != value}
        if not changed:
            return False
        hlc = self.clock.now()
        clocks = dict(row["clocks"])
        for key in changed:
            clocks[key] = [hlc, field_stamp(row["clocks"], key)[0]]
        self.conn.execute(update(table).where(table.c.id == record_id)
                          .values(**changed, clocks=clocks, hlc=hlc, updated_at=utcnow(), updated_by=self.officer_id))
        key = (table.name, record_id)
        if key not in self._old:
            self.changes.updated.append((table.name, record_id, self._old.setdefault(key, {})))
        for field, value in changed.items():
            self._old[key].setdefault(field, jsonable(row[field]))
        self.stamps[key] = hlc
        self.done += 1
        return True

    def soft_delete(self, model: type, ids: list[str]) -> None:
        """Mark rows deleted in one executemany, stamped as a form's delete is (``deleted`` changed)."""
        table = model.__table__
        parent = func.coalesce(func.json_extract(table.c.clocks, "$.deleted[0]"),
                               func.json_extract(table.c.clocks, '$."*"[0]'))
        statement = (update(table).where(table.c.id == bindparam("b_id"))
                     .values(deleted=True, hlc=bindparam("b_hlc"), updated_at=bindparam("b_at"),
                             updated_by=self.officer_id,
                             clocks=func.json_set(table.c.clocks, "$.deleted",
                                                  func.json_array(bindparam("b_hlc"), parent))))
        for start in range(0, len(ids), BATCH):
            now = utcnow()
            rows = [{"b_id": record_id, "b_hlc": self.clock.now(), "b_at": now}
                    for record_id in ids[start:start + BATCH]]
            self.conn.execute(statement, rows)
            self.done += len(rows)
            self.tick(self.done)

    def flush(self) -> None:
        for model, rows in self.buffers.items():
            if rows:
                self.inserts[model].write(self.conn, rows, self.limit)
                rows.clear()
        self.pending.clear()
        self.tick(self.done)


def jsonable(value):
    """A stored value as the undo list keeps it (JSON): days and times as ISO text."""
    return value.isoformat() if isinstance(value, (date, datetime)) else value


def audit(db: Database, conn, action: str, officer_id: str | None, **detail) -> None:
    """One audit entry on the import's own connection (it commits with the import), stamped and
    chained like any entry, as app/sync/commit.py's ``audit_import`` does."""
    with Session(bind=conn, info={CLOCK: db.clock, OFFICER: officer_id}) as session:
        session.add(AuditEntry(officer_id=officer_id, action=action, detail=detail))
        session.flush()


def write(db: Database, *, result: CheckResult, officer_id: str | None, progress: Progress | None = None,
          should_stop: Callable[[], bool] | None = None) -> ImportSummary:
    """Write the rows whose action is add/update/both in ONE transaction; cancel rolls it all back."""
    module = kind_module(result.kind)
    planned = result.planned()  # streamed back from the check's spill, chunk by chunk
    if not len(planned):
        raise UserError("没有要写入的行：每一行都有问题或都选择了跳过")
    report = progress or (lambda _stage, _done, _total: None)
    stop = should_stop or (lambda: False)
    total = len(planned)

    def tick(done: int) -> None:
        if stop():
            raise ImportCancelled("已取消导入，数据库未改动")
        report("写入数据库", min(done, total), total)

    summary = ImportSummary(batch_id=new_id(), kind=result.kind, file_name=Path(result.path).name, at=utcnow(),
                            added=0, updated=0, skipped=result.total - total, undone=False)
    report("写入数据库", 0, total)
    with db.engine.connect() as conn:
        with conn.begin():
            seed_from_storage(conn, db.clock)
            cache = conn.exec_driver_sql("PRAGMA cache_size").scalar()
            conn.exec_driver_sql(f"PRAGMA cache_size=-{CACHE_KIB}")
            conn.exec_driver_sql("PRAGMA defer_foreign_keys = ON")  # checked at the commit (FLUSH_ORDER)
            try:
                writer = Writer(conn, db, officer_id, tick=tick)
                module.write(writer, planned)
                writer.flush()
                tick(total)
                summary.added, summary.updated = len(writer.changes.added), len(writer.changes.updated)
                remember(conn, summary, officer_id, writer)
                audit(db, conn, "import_xlsx", officer_id, file=str(Path(result.path).absolute()),
                      kind=module.TITLE, rows=summary.added, changed=summary.updated)
            finally:
                conn.exec_driver_sql(f"PRAGMA cache_size={cache}")
    if summary.added > 1_000:
        db.refresh_statistics()  # thousands of new rows: the planner's numbers are stale
    return summary


def remember(conn, summary: ImportSummary, officer_id: str | None, writer: Writer) -> None:
    """The import batch and every record it added or changed, for undo (local, never synced)."""
    conn.execute(insert(ImportBatch.__table__), [{
        "id": summary.batch_id, "kind": summary.kind, "file_name": summary.file_name[:255],
        "officer_id": officer_id, "at": summary.at, "added": summary.added, "updated": summary.updated,
        "skipped": summary.skipped, "undone_at": None}])
    records = [{"batch_id": summary.batch_id, "table_name": table, "record_id": record_id,
                "hlc": writer.stamps[(table, record_id)], "old": None}
               for table, record_id in writer.changes.added]
    records += [{"batch_id": summary.batch_id, "table_name": table, "record_id": record_id,
                 "hlc": writer.stamps[(table, record_id)], "old": old}
                for table, record_id, old in writer.changes.updated]
    for start in range(0, len(records), BATCH):
        conn.execute(insert(ImportRecord.__table__), records[start:start + BATCH])

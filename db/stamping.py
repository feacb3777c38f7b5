"""The one place synced rows get their sync columns, so no service can forget.

Every ORM session opened by ``db.engine.Database`` carries this laptop's clock and the
officer at work in ``session.info``; before each flush the hook below stamps new rows,
changed rows and soft deletes. Physical deletes and bulk ORM updates of synced tables are
refused: they would slip past the stamps (and a deleted row could come back by sync).
Bulk Core inserts (demo data, sync import) stamp with ``insert_stamps`` themselves.

Each write transaction first takes SQLite's write lock and restarts the clock from the
highest stamp stored (``seed_from_storage``): whatever another program or an import stored
since this clock last looked, a change is stamped above it, so an export's cut-off (the
highest stamp when it read) can never pass over a change committed after it, and a row's
stamp is never below one of its field stamps.

The same hook writes the audit trail of every ORM create, update and soft delete (which
fields changed, never their values) and refuses any change to an audit entry: the log is
append-only here and, for every other path to the file, by SQL triggers (migration 0004).
"""

from __future__ import annotations

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from db.base import ALL_FIELDS, SYNC_COLUMNS, SyncedTable, field_stamp, utcnow
from db.hlc import HybridClock
from db.models import SYNCED_TABLES
from db.models.accounts import AuditEntry

CLOCK = "clock"
OFFICER = "officer_id"
_SEEDED = "seeded_in"  # session.info: the transaction whose clock was seeded (once per transaction)
# The highest stamp stored: one index lookup per synced table, in one statement.
TOP_STAMP_SQL = "SELECT max(top) FROM ({})".format(
    " UNION ALL ".join(f"SELECT max(hlc) AS top FROM {table}" for table in SYNCED_TABLES))


class StampingError(RuntimeError):
    """A write that would leave a synced row without correct stamps."""


def insert_stamps(clock: HybridClock, officer_id: str | None = None) -> dict:
    """Sync columns for a row inserted now (for bulk Core inserts)."""
    hlc = clock.now()
    now = utcnow()
    return {
        "hlc": hlc,
        "clocks": {ALL_FIELDS: [hlc, None]},
        "created_at": now,
        "updated_at": now,
        "updated_by": officer_id,
    }


def changed_fields(obj: SyncedTable) -> list[str]:
    """Data columns of a persistent row whose value differs from the stored one."""
    state = inspect(obj)
    changed = []
    for attr in state.mapper.column_attrs:
        if attr.key in SYNC_COLUMNS:
            continue
        history = state.attrs[attr.key].history
        if history.has_changes() and list(history.added) != list(history.deleted):
            changed.append(attr.key)
    return changed


def seed_from_storage(conn, clock: HybridClock) -> None:
    """Take the write lock on ``conn``'s transaction, then restart ``clock`` from the highest
    stamp stored. With the lock held nothing can be stored above it until this transaction
    ends, so every stamp ``clock`` makes before then is above everything stored."""
    conn.exec_driver_sql("UPDATE local_device SET name = name WHERE 0")  # begins the write transaction
    top = conn.exec_driver_sql(TOP_STAMP_SQL).scalar()
    clock.rebase(top)


def _seed_once(session: Session, clock: HybridClock) -> None:
    transaction = session.get_transaction()
    if session.info.get(_SEEDED) is not transaction:
        seed_from_storage(session.connection(), clock)
        session.info[_SEEDED] = transaction


def _clock_of(session: Session) -> HybridClock:
    clock = session.info.get(CLOCK)
    if clock is None:
        raise StampingError("synced rows can only be written through Database.session()")
    return clock


@event.listens_for(Session, "before_flush")
def _stamp_before_flush(session: Session, _context, _instances) -> None:
    if any(isinstance(obj, SyncedTable) for obj in session.deleted):
        raise StampingError("synced rows are never deleted; set deleted=True instead")
    new = [obj for obj in session.new if isinstance(obj, SyncedTable)]
    dirty = [obj for obj in session.dirty if isinstance(obj, SyncedTable)]
    if not new and not dirty:
        return
    clock = _clock_of(session)
    _seed_once(session, clock)
    officer_id = session.info.get(OFFICER)
    trail: list[AuditEntry] = []
    for obj in new:
        for key, value in insert_stamps(clock, officer_id).items():
            setattr(obj, key, value)
        if not isinstance(obj, AuditEntry):
            trail.append(_audit(obj, "create", officer_id))
    for obj in dirty:
        fields = changed_fields(obj)
        if not fields:
            continue
        if isinstance(obj, AuditEntry):
            raise StampingError("audit entries are append-only")
        deleting = "deleted" in fields and obj.deleted
        trail.append(_audit(obj, "delete" if deleting else "update", officer_id,
                            None if deleting else {"fields": fields}))
        hlc = clock.now()
        clocks = dict(obj.clocks)
        for field in fields:
            clocks[field] = [hlc, field_stamp(obj.clocks, field)[0]]
        obj.clocks = clocks
        obj.hlc = hlc
        obj.updated_at = utcnow()
        obj.updated_by = officer_id
    for entry in trail:
        for key, value in insert_stamps(clock, officer_id).items():
            setattr(entry, key, value)
        session.add(entry)


def _audit(obj: SyncedTable, action: str, officer_id: str | None, detail: dict | None = None) -> AuditEntry:
    return AuditEntry(officer_id=officer_id, action=action, table_name=obj.__tablename__, record_id=obj.id,
                      detail=detail or {})


@event.listens_for(Session, "do_orm_execute")
def _refuse_bulk_writes(orm_state) -> None:
    if not (orm_state.is_update or orm_state.is_delete):
        return
    mapper = orm_state.bind_mapper
    if mapper is not None and issubclass(mapper.class_, SyncedTable):
        raise StampingError(f"bulk update/delete of {mapper.class_.__tablename__} bypasses the stamps")

"""Open sync conflicts for an officer to review, and the officer's choice (itself a synced change)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from sqlalchemy import JSON, select

from app.core.errors import UserError
from db.engine import Database
from db.hlc import node_of, parse
from db.models import SYNCED_MODELS, SyncConflict, SyncLog

MODELS = {model.__tablename__: model for model in SYNCED_MODELS}
# Columns that name a record for a person, in order of preference.
LABEL_COLUMNS = ("name", "number", "head_name", "username", "item", "problem", "estate", "body", "action")


@dataclass(frozen=True)
class Conflict:
    id: str
    table: str
    record_id: str
    record_label: str
    field: str
    lost_value: Any  # decoded
    kept_value: Any
    current_value: Any  # what the record holds now (it may have moved on since)
    lost_hlc: str
    kept_hlc: str
    lost_by: str  # device short code when known, else the stamp's node
    kept_by: str
    lost_at: datetime
    kept_at: datetime
    resolved: bool
    resolution: str | None


def stamp_moment(stamp: str) -> datetime:
    return datetime.fromtimestamp(parse(stamp).ms / 1000, UTC)


def device_names(db: Database) -> dict[str, str]:
    """Stamp node -> device short code, for every device this laptop has heard of."""
    names = {node_of(db.device.id): db.device.short_code}
    with db.connect() as conn:
        for device_id, code in conn.execute(select(SyncLog.device_id, SyncLog.device_code).distinct()):
            try:
                names.setdefault(node_of(device_id), code)
            except ValueError:
                continue
    return names


def list_conflicts(db: Database, *, include_resolved: bool = False) -> list[Conflict]:
    """Open conflicts (and, with ``include_resolved``, decided ones), newest first."""
    names = device_names(db)
    with db.session() as s:
        query = select(SyncConflict).where(SyncConflict.deleted == False)  # noqa: E712
        if not include_resolved:
            query = query.where(SyncConflict.resolved == False)  # noqa: E712
        rows = s.scalars(query.order_by(SyncConflict.lost_hlc.desc())).all()
        return [_conflict(s, row, names) for row in rows]


def _conflict(s, row: SyncConflict, names: dict[str, str]) -> Conflict:
    model = MODELS.get(row.table_name)
    record = s.get(model, row.record_id) if model else None
    current, label = None, row.record_id[:8]
    if record is not None:
        current = _storage(s, model, row.field, getattr(record, row.field, None))
        label = next((str(getattr(record, c)) for c in LABEL_COLUMNS if getattr(record, c, None)), label)
    who = lambda stamp: names.get(stamp[-12:], stamp[-12:])  # noqa: E731
    return Conflict(
        id=row.id, table=row.table_name, record_id=row.record_id, record_label=label, field=row.field,
        lost_value=json.loads(row.lost_value) if row.lost_value else None,
        kept_value=json.loads(row.kept_value) if row.kept_value else None, current_value=current,
        lost_hlc=row.lost_hlc, kept_hlc=row.kept_hlc, lost_by=who(row.lost_hlc), kept_by=who(row.kept_hlc),
        lost_at=stamp_moment(row.lost_hlc), kept_at=stamp_moment(row.kept_hlc), resolved=row.resolved,
        resolution=row.resolution)


def _storage(s, model, field: str, value: Any) -> Any:
    """A Python value as the sync file holds it (dates as text, booleans as 0/1)."""
    column = model.__table__.c[field]
    if value is None or isinstance(column.type, JSON):
        return value
    processor = column.type.bind_processor(s.get_bind().dialect)
    return processor(value) if processor else value


def resolve_conflict(db: Database, *, conflict_id: str, keep: Literal["kept", "lost"],
                     officer_id: str | None = None) -> None:
    """Keep the value that won (``kept``) or put the lost value back (``lost``); both sync."""
    if keep not in ("kept", "lost"):
        raise ValueError(keep)
    with db.session(officer_id=officer_id) as s:
        row = s.get(SyncConflict, conflict_id)
        if row is None or row.deleted:
            raise UserError("这条同步冲突已不存在")
        if keep == "lost":
            model = MODELS[row.table_name]
            record = s.get(model, row.record_id)
            if record is None:
                raise UserError("冲突所在的记录已不存在")
            setattr(record, row.field, _python(s, model, row.field, json.loads(row.lost_value)))
        row.resolved = True
        row.resolution = "restored" if keep == "lost" else "kept"
        s.commit()


def _python(s, model, field: str, stored: Any) -> Any:
    """The ORM value for a value in its stored form (the reverse of ``_storage``)."""
    column = model.__table__.c[field]
    if stored is None or isinstance(column.type, JSON):
        return stored
    processor = column.type.result_processor(s.get_bind().dialect, None)
    return processor(stored) if processor else stored


@dataclass(frozen=True)
class LastSync:
    device_code: str
    device_id: str
    direction: str  # export/import
    at: datetime
    file_name: str | None
    rows: int


def last_syncs(db: Database) -> list[LastSync]:
    """The latest export and import per device, newest first (for the sync settings)."""
    with db.session() as s:
        logs = s.scalars(select(SyncLog).order_by(SyncLog.at.desc(), SyncLog.id.desc())).all()
    seen, out = set(), []
    for log in logs:
        if (log.device_id, log.direction) in seen:
            continue
        seen.add((log.device_id, log.direction))
        counts = log.counts or {}
        rows = (sum(counts.get("rows", {}).values()) if log.direction == "export"
                else sum(sum(v for k, v in c.items() if k != "conflicts") for c in counts.values()
                         if isinstance(c, dict)))
        out.append(LastSync(log.device_code, log.device_id, log.direction, log.at, log.file_name, rows))
    return out

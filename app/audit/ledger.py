"""审计日志 to .xlsx: the entries the admin's view shows with its filters, newest first."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from app.audit import log as audit
from app.output.xlsx import LedgerColumn, save_ledger
from db.engine import Database

TITLE = "审计日志"
COLUMNS = tuple(LedgerColumn(header, width) for header, width in (
    ("时间", 20), ("民警", 12), ("操作", 14), ("对象", 12), ("记录编号", 34), ("说明", 70),
))
NOBODY = "（未登录）"  # work done before anyone logged in, or from the command line without a login
MAX_ROWS = 1_048_575  # an Excel sheet's rows under the header


def entry_cells(row: audit.AuditRow) -> tuple:
    """One entry as the view and the ledger show it: local time and Chinese labels."""
    return (row.at.astimezone().strftime("%Y-%m-%d %H:%M:%S"), row.officer or NOBODY,
            audit.ACTIONS.get(row.action, row.action), audit.TABLES.get(row.table_name or "", row.table_name or ""),
            row.record_id or "", row.describe(table=False))


def write_ledger(db: Database, *, start: date | None = None, end: date | None = None, path: Path,
                 officer_id: str | None = None, action: str | None = None, table: str | None = None,
                 record_id: str | None = None) -> int:
    """Write every entry matching the filters (those of ``audit.search_audit``; either end of the
    period may be open) to ``path``; returns how many. Writing it is itself logged, with the
    filters in words."""
    filters = dict(officer_id=officer_id, start=start, end=end, action=action, table=table, record_id=record_id)
    # One query, one consistent snapshot; it checks the period (app.core.timeutil.day_range) before any file is made.
    entries = audit.search_audit(db, **filters, limit=MAX_ROWS)
    said = _said(db, filters)
    return save_ledger(db, ledger=TITLE, path=path, columns=COLUMNS, rows=(entry_cells(row) for row in entries),
                       **({"filters": said} if said else {}))


def _said(db: Database, filters: dict) -> str:
    """The filters in words, for the entry that logs this export."""
    parts = []
    if filters["start"] or filters["end"]:
        parts.append(f"{filters['start'] or '不限'} 至 {filters['end'] or '不限'}")
    if filters["officer_id"]:
        names = {o.id: o.name for o in audit.officers(db)}
        parts.append("民警 " + names.get(filters["officer_id"], filters["officer_id"]))
    if filters["action"]:
        parts.append("操作 " + audit.ACTIONS.get(filters["action"], filters["action"]))
    if filters["table"]:
        parts.append("对象 " + audit.TABLES.get(filters["table"], filters["table"]))
    if filters["record_id"]:
        parts.append("记录 " + filters["record_id"])
    return "，".join(parts)

"""审计日志 to .xlsx: the entries the admin's view shows with its filters, newest first."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from app.audit import log as audit
from app.output.xlsx import LedgerColumn, write_ledger
from db.engine import Database

TITLE = "审计日志"
COLUMNS = (
    LedgerColumn("时间", 20),
    LedgerColumn("民警", 12),
    LedgerColumn("操作", 14),
    LedgerColumn("对象", 12),
    LedgerColumn("记录编号", 34),
    LedgerColumn("说明", 70),
)
NOBODY = "（未登录）"  # work done before anyone logged in, or from the command line without a login
MAX_ROWS = 1_048_575  # an Excel sheet's rows under the header


def entry_cells(row: audit.AuditRow) -> tuple:
    """One entry as the view and the ledger show it: local time and Chinese labels."""
    return (row.at.astimezone().strftime("%Y-%m-%d %H:%M:%S"), row.officer or NOBODY,
            audit.ACTIONS.get(row.action, row.action), audit.TABLES.get(row.table_name or "", row.table_name or ""),
            row.record_id or "", row.describe(table=False))


def write_audit_ledger(db: Database, *, path: Path, officer_id: str | None = None, start: date | None = None,
                       end: date | None = None, action: str | None = None, table: str | None = None,
                       record_id: str | None = None) -> int:
    """Write every entry matching the filters (those of ``audit.search_audit``) to ``path``;
    returns how many. Writing it is itself logged (action "ledger", with the filters in words)."""
    filters = dict(officer_id=officer_id, start=start, end=end, action=action, table=table, record_id=record_id)
    entries = audit.search_audit(db, **filters, limit=MAX_ROWS)  # one query: one consistent snapshot
    count = write_ledger(Path(path), title=TITLE, columns=COLUMNS, rows=(entry_cells(row) for row in entries))
    said = _said(db, filters)
    audit.record(db, "ledger", ledger=TITLE, file=str(Path(path).absolute()), rows=count,
                 **({"filters": said} if said else {}))
    return count


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

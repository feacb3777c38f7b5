"""What surrounds an import's merge transaction: the backup right before the merge, the audit
entry inside it, and what to say when the disk fails it (app.sync.importer calls these)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sqlalchemy.exc import DBAPIError
from sqlmodel import Session

from app.core.oserrors import storage_problem
from app.sync.container import SyncError
from db.backup import make_backup
from db.engine import Database
from db.errors import StorageError
from db.models import AuditEntry
from db.stamping import CLOCK, OFFICER

Progress = Callable[[str, int, int], None]


def backup_before_merge(db: Database, progress: Progress) -> None:
    """Right before a merge that will run (the file and its references checked): a refused
    file makes no backup. The open write transaction has written nothing yet, so the copy is
    the database as it was."""
    progress("备份", 0, 1)
    try:
        make_backup(db.path, reason="before-import")  # a merge can be undone by restoring this
    except StorageError as exc:
        problem = storage_problem(exc) or str(exc)
        raise SyncError("backup", f"导入前无法备份数据库（{problem}），导入未完成，数据库未改动") from exc


def audit_import(db: Database, conn, summary, path: Path, *, merged: bool = False) -> None:
    """This laptop's ``import`` entry, through the ORM (stamped and chained like any entry) on
    the merge's own connection: it commits with the merge. ``merged``: an admin merged another
    station's file, and the entry says into which station."""
    detail = {"file": str(Path(path).absolute()), "device": summary.device_code, "rows": summary.rows,
              "changed": summary.changed, "conflicts": summary.conflicts}
    if merged:
        detail["into"] = summary.station
    with Session(bind=conn, info={CLOCK: db.clock, OFFICER: db.officer_id}) as session:
        session.add(AuditEntry(officer_id=db.officer_id, action="import", detail=detail))
        session.flush()


def storage_failure(db: Database, exc: BaseException, export_id: str) -> SyncError | None:
    """What a storage failure of the merge left, exactly (None when ``exc`` is not one). SQLite
    rolls a failed commit back; the file itself is asked whether the merge is in it."""
    problem = storage_problem(exc)
    if problem is None:
        return None
    try:
        committed = _already_imported(db, export_id)
    except (DBAPIError, OSError):
        return SyncError("storage", f"{problem}：无法确认导入是否完成，请腾出空间后用 cpdesk check 检查，再导入一次")
    if committed:
        return SyncError("storage", f"同步包已导入，但随后{problem}：请腾出磁盘空间")
    return SyncError("storage", f"{problem}，导入未完成，数据库未改动")


def _already_imported(db: Database, export_id: str) -> bool:
    with db.connect() as conn:
        return conn.exec_driver_sql("SELECT 1 FROM sync_log WHERE export_id = ? AND direction = 'import'",
                                    (export_id,)).first() is not None

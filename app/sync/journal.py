"""The audit trail of sync files: one entry per export written and per import that changed something.

Called by the front doors (``cpdesk export``/``import`` and the GUI dialogs) after the work
succeeded, never by ``app.sync.export``/``importer`` themselves: those must leave identical
databases on every laptop, and an audit entry is this laptop's own (it travels with the next
export like any other row).
"""

from __future__ import annotations

from pathlib import Path

from app import audit
from db.engine import Database


def record_export(db: Database, result) -> None:
    """After ``export_changes``: the file, full or incremental, and the rows it carries."""
    audit.record(db, "export", file=str(Path(result.path).absolute()), kind="完整" if result.full else "增量",
                 rows=result.rows, **({"tables": _nonzero(result.counts)} if result.rows else {}))


def record_import(db: Database, summary, path: Path | str) -> bool:
    """After ``import_file``: the file, the device it came from and what it changed.

    A file imported before changed nothing and leaves no entry (returns False)."""
    if summary.already_imported:
        return False
    audit.record(db, "import", file=str(Path(path).absolute()), device=summary.device_code, rows=summary.rows,
                 changed=summary.changed, conflicts=summary.conflicts)
    return True


def _nonzero(counts: dict[str, int]) -> str:
    return "、".join(f"{audit.TABLES.get(table, table)} {n}" for table, n in counts.items() if n)

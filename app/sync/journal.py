"""The audit trail of sync exports: one entry per file written.

Called by the front doors (``cpdesk export`` and the GUI dialog) after the work succeeded,
never by ``app.sync.export`` itself: exports must leave identical databases on every laptop.
An import's entry is written inside its merge transaction instead (app.sync.commit), so the
two commit together or neither does.
"""

from __future__ import annotations

from pathlib import Path

from app.audit import log as audit
from db.engine import Database


def record_export(db: Database, result) -> None:
    """After ``export_changes``: the file, full or incremental, and the rows it carries."""
    audit.record(db, "export", file=str(Path(result.path).absolute()), kind="完整" if result.full else "增量",
                 rows=result.rows, **({"tables": _nonzero(result.counts)} if result.rows else {}))


def _nonzero(counts: dict[str, int]) -> str:
    return "、".join(f"{audit.TABLES.get(table, table)} {n}" for table, n in counts.items() if n)

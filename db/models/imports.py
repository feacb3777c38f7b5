"""Local, never synced: each Excel import and the records it added or changed, so it can be undone.

Undo needs to know exactly what an import wrote and whether anyone touched it since; the rows
themselves travel by sync like anything typed, this bookkeeping stays on the laptop that imported.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON
from sqlmodel import Field, SQLModel

from db.base import new_id, utcnow


class ImportBatch(SQLModel, table=True):
    """One import written: what kind, from which file, by whom, how many rows; undone or not."""

    __tablename__ = "import_batch"

    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    kind: str = Field(max_length=16)  # app.imports.service.KINDS
    file_name: str = Field(max_length=255)
    officer_id: str | None = Field(default=None, max_length=32)
    at: datetime = Field(default_factory=utcnow, index=True)
    added: int = 0
    updated: int = 0
    skipped: int = 0
    undone_at: datetime | None = None


class ImportRecord(SQLModel, table=True):
    """A record an import added (``old`` is None) or changed (``old``: the values it replaced)."""

    __tablename__ = "import_record"

    id: int | None = Field(default=None, primary_key=True)
    batch_id: str = Field(foreign_key="import_batch.id", index=True, max_length=32)
    table_name: str = Field(max_length=32)
    record_id: str = Field(max_length=32)
    hlc: str = Field(max_length=30)  # the row's stamp as the import left it: a newer one means edited since
    old: dict | None = Field(default=None, sa_type=JSON)

"""Officer accounts and the append-only audit log."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Index, event
from sqlmodel import Field

from db import audit_chain
from db.base import SyncedTable, utcnow


class Officer(SyncedTable, table=True):
    __tablename__ = "officer"

    # Not unique in SQL: two laptops may enroll the same name before they sync;
    # the account service refuses duplicates it can see.
    username: str = Field(max_length=32, index=True)
    name: str = Field(max_length=32)
    role: str = Field(default="officer", max_length=12)  # officer/auxiliary/admin
    badge_no: str | None = Field(default=None, max_length=16)
    phone: str | None = Field(default=None, max_length=20)
    police_room: str | None = Field(default=None, max_length=64)
    password_hash: str | None = Field(default=None, max_length=200)
    active: bool = True


class AuditEntry(SyncedTable, table=True):
    __tablename__ = "audit_entry"

    at: datetime = Field(default_factory=utcnow, index=True)
    officer_id: str | None = Field(default=None, index=True, max_length=32)
    action: str = Field(max_length=24)  # create/update/delete/export/import/print/login/…
    table_name: str | None = Field(default=None, max_length=32)
    record_id: str | None = Field(default=None, index=True, max_length=32)
    detail: dict = Field(default_factory=dict, sa_type=JSON)
    # Its place in its device's hash chain (db/audit_chain.py), set as it is inserted; entries
    # that arrive by sync keep the ones their own laptop gave them. Null only before chaining.
    device: str | None = Field(default=None, max_length=12)
    seq: int | None = None
    prev_hash: str | None = Field(default=None, max_length=64)
    entry_hash: str | None = Field(default=None, max_length=64)

    __table_args__ = (Index("ix_audit_entry_chain", "device", "seq"),)


# Every entry written through the ORM (app.audit.log.record, the stamping hook's trail) is linked.
event.listen(AuditEntry, "before_insert", audit_chain.link)

"""This laptop's identity and station, its sync log, and the conflicts imports left for an officer."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Index
from sqlmodel import Field, SQLModel

from db.base import SyncedTable, utcnow


class LocalDevice(SQLModel, table=True):
    """Local, never synced: the one row naming this laptop (made on first start)."""

    __tablename__ = "local_device"

    id: str = Field(primary_key=True, max_length=32)  # UUID hex
    short_code: str = Field(max_length=8)  # A03: goes into case and agreement numbers
    name: str | None = Field(default=None, max_length=64)
    created_at: datetime = Field(default_factory=utcnow)


class LocalStation(SQLModel, table=True):
    """Local, never synced: the station (派出所) this database belongs to, in at most one row.

    No row: not in a station yet (``cpdesk init`` without ``--new-station``); the first file
    imported decides. Every sync file carries it and an import checks it (app/sync/station.py).
    """

    __tablename__ = "local_station"

    id: str = Field(primary_key=True, max_length=32)  # UUID hex, made when the station was founded
    name: str = Field(default="", max_length=64)
    # Made by migration 0006 for a database from before stations: it gives way to a founded one.
    provisional: bool = False
    merged: list = Field(default_factory=list, sa_type=JSON)  # ids of stations merged into this one
    joined_at: datetime = Field(default_factory=utcnow)  # when this database founded or joined it


class SyncLog(SQLModel, table=True):
    """Local: every export made and file imported on this laptop."""

    __tablename__ = "sync_log"

    id: int | None = Field(default=None, primary_key=True)
    export_id: str = Field(max_length=32, index=True)
    direction: str = Field(max_length=8)  # export/import
    device_id: str = Field(max_length=32)  # the exporting device
    device_code: str = Field(max_length=8)
    device_name: str | None = Field(default=None, max_length=64)  # to name a laptop whose code clashes
    at: datetime = Field(default_factory=utcnow)
    since_hlc: str | None = Field(default=None, max_length=30)
    upto_hlc: str | None = Field(default=None, max_length=30)
    file_name: str | None = None
    counts: dict = Field(default_factory=dict, sa_type=JSON)


class SyncReceived(SQLModel, table=True):
    """Local journal of rows an import changed, in import order.

    An incremental export sends rows stamped since the last export (local edits) plus the
    rows received since then: those carry other devices' older stamps, and a hub (the
    station's master laptop) must pass them on.
    """

    __tablename__ = "sync_received"

    seq: int | None = Field(default=None, primary_key=True)
    table_name: str = Field(max_length=32)
    row_id: str = Field(max_length=32)


class SyncConflict(SyncedTable, table=True):
    """A same-field concurrent edit that lost the merge, kept for an officer to review."""

    __tablename__ = "sync_conflict"
    __table_args__ = (Index("ix_sync_conflict_record", "table_name", "record_id"),)

    table_name: str = Field(max_length=32)
    record_id: str = Field(max_length=32)
    field: str = Field(max_length=32)
    kept_value: str | None = None  # JSON of the winning value
    lost_value: str | None = None  # JSON of the losing value
    kept_hlc: str = Field(max_length=30)
    lost_hlc: str = Field(max_length=30)
    lost_by: str | None = Field(default=None, max_length=32)
    resolved: bool = False
    resolution: str | None = Field(default=None, max_length=8)  # kept/restored

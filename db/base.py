"""The columns every synced table shares, and helpers for ids and UTC time.

``clocks`` holds the per-field stamps the merge works with, ``{field: [hlc, parent_hlc]}``:
which change each field's value came from, and which change it replaced. Fields never
changed since the row was made share the insert's entry under the key ``"*"``, so a new
row carries one entry instead of one per column::

    {"*": ["<insert hlc>", null], "phone": ["<later hlc>", "<insert hlc>"]}

The stamping itself happens in one place, ``db.stamping``.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import JSON
from sqlmodel import Field, SQLModel

ALL_FIELDS = "*"


def new_id() -> str:
    return uuid.uuid4().hex


def utcnow() -> datetime:
    return datetime.now(UTC)


class SyncedTable(SQLModel):
    """Mixin for every table that travels between laptops. Rows are never deleted."""

    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    hlc: str = Field(default="", index=True, max_length=30)
    clocks: dict = Field(default_factory=dict, sa_type=JSON)
    deleted: bool = Field(default=False)
    updated_by: str | None = Field(default=None, max_length=32)


# Columns the stamping hook owns; a service never sets them and the merge never
# treats them as data fields.
SYNC_COLUMNS = frozenset({"id", "created_at", "updated_at", "hlc", "clocks", "updated_by"})


def field_stamp(clocks: dict, field: str) -> list:
    """The [hlc, parent_hlc] entry for one field of a row."""
    return clocks.get(field) or clocks[ALL_FIELDS]

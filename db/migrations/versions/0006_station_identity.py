"""station identity: which station (派出所) this database belongs to

- ``local_station`` (local, never synced): the station, in at most one row. A database made
  before stations existed (it has its device row) gets a new *provisional* station, which gives
  way to the station of the first file from a founded one (app/sync/station.py): two laptops of
  one station, upgraded apart, would otherwise refuse each other. A new database has none yet.
- ``sync_log.device_name``: the laptop a file came from, to name it when its short code clashes.
- ``dispute.number`` and ``agreement.number`` lose their UNIQUE constraint (an index stays): two
  laptops that once shared a short code both printed ``2026-A03-0001``; once one is re-coded they
  must be able to exchange, and a printed number is never changed (docs/stations.md).

SQLite cannot drop a constraint: the table is rebuilt. Not by renaming a copy into place (the
foreign keys of parties, agreements, revisits… would then fail at the commit), but by keeping the
rows aside, dropping the table and making it again under its own name, so the rows put back
satisfy every reference again within the transaction.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30 10:00:00
"""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_NUMBERED = ("dispute", "agreement")
_UNIQUE = re.compile(r",\s*UNIQUE \(number\)")


def upgrade() -> None:
    station = op.create_table(
        "local_station",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("provisional", sa.Boolean(), nullable=False),
        sa.Column("merged", sa.JSON(), nullable=False),
        sa.Column("joined_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("sync_log", schema=None) as batch_op:
        batch_op.add_column(sa.Column("device_name", sa.String(length=64), nullable=True))
    conn = op.get_bind()
    if conn.exec_driver_sql("SELECT 1 FROM local_device").first():  # a database in use before stations
        op.bulk_insert(station, [{"id": uuid.uuid4().hex, "name": "", "provisional": True, "merged": [],
                                  "joined_at": datetime.now(UTC)}])
    for table in _NUMBERED:
        _rebuild(table, unique=False)
        op.create_index(f"ix_{table}_number", table, ["number"], unique=False)


def downgrade() -> None:
    for table in _NUMBERED:
        op.drop_index(f"ix_{table}_number", table_name=table)
        _rebuild(table, unique=True)  # refused (IntegrityError) once two laptops' numbers coexist
    with op.batch_alter_table("sync_log", schema=None) as batch_op:
        batch_op.drop_column("device_name")
    op.drop_table("local_station")


def _rebuild(table: str, *, unique: bool) -> None:
    """Make ``table`` again with or without ``UNIQUE (number)``, rows, indexes and triggers kept."""
    conn = op.get_bind()
    create = conn.exec_driver_sql("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?",
                                  (table,)).scalar()
    extras = [sql for (sql,) in conn.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE tbl_name = ? AND type IN ('index', 'trigger') AND sql IS NOT NULL",
        (table,))]
    if unique:
        create, count = re.subn(r"\)\s*$", ", \n\tUNIQUE (number)\n)", create, count=1)
    else:
        create, count = _UNIQUE.subn("", create)
    head = re.match(rf'CREATE TABLE "?{table}"? \(', create)
    if count != 1 or head is None:
        raise RuntimeError(f"unexpected schema of {table}: {create}")
    keep = f"_keep_{table}"
    conn.exec_driver_sql("PRAGMA defer_foreign_keys = ON")  # the children point nowhere until the rows are back
    conn.exec_driver_sql(f"CREATE TABLE {keep} (" + create[head.end():])  # same column types: values kept as they are
    conn.exec_driver_sql(f"INSERT INTO {keep} SELECT * FROM {table}")
    conn.exec_driver_sql(f"DROP TABLE {table}")
    conn.exec_driver_sql(create)
    conn.exec_driver_sql(f"INSERT INTO {table} SELECT * FROM {keep}")
    conn.exec_driver_sql(f"DROP TABLE {keep}")
    for sql in extras:
        conn.exec_driver_sql(sql)

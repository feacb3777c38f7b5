"""patrol: teams' kinds and groups, volunteers' status, training, availability and cap, memberships,
leaves and status history, routes' kinds and teams, shift templates, shifts made from them, pinned
and leader seats, sign-in how and when, patrol logs, the patrol settings

New columns of existing tables are plain ``ALTER TABLE ADD COLUMN``s (an inline reference where
the column refers to a row): no copy of a large table, which Alembic's batch mode would make.
A NOT NULL column gets the model's default for the rows already there.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30 12:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

# (table, column, SQL type and constraint): in the models' order
ADDED = (
    ("volunteer_team", "kind", "VARCHAR(16) NOT NULL DEFAULT 'community'"),
    ("volunteer_team", "contact", "VARCHAR(64)"),
    ("volunteer_team", "group_size", "INTEGER NOT NULL DEFAULT 3"),
    ("volunteer_team", "group_leader", "BOOLEAN NOT NULL DEFAULT 1"),
    ("volunteer", "status", "VARCHAR(8) NOT NULL DEFAULT 'active'"),
    ("volunteer", "trained_on", "DATE"),
    ("volunteer", "weekly_cap", "INTEGER NOT NULL DEFAULT 2"),
    ("volunteer", "availability", "VARCHAR(100) NOT NULL DEFAULT ''"),
    ("patrol_route", "kind", "VARCHAR(8) NOT NULL DEFAULT 'night'"),
    ("patrol_route", "minutes", "INTEGER"),
    ("shift", "template_id", "VARCHAR REFERENCES shift_template (id)"),
    ("shift", "needs_leader", "BOOLEAN NOT NULL DEFAULT 0"),
    ("shift", "skill", "VARCHAR(16)"),
    ("shift", "confirmed_at", "DATETIME"),
    ("shift", "confirmed_by", "VARCHAR REFERENCES officer (id)"),
    ("shift_assignment", "pinned", "BOOLEAN NOT NULL DEFAULT 0"),
    ("shift_assignment", "as_leader", "BOOLEAN NOT NULL DEFAULT 0"),
    ("shift_assignment", "recorded_how", "VARCHAR(8)"),
    ("shift_assignment", "checked_out_at", "DATETIME"),
)


def _synced(name: str, *columns: sa.Column, refs: tuple[str, ...] = (), plain: tuple[str, ...] = ()) -> None:
    """A synced table (the columns of db.base.SyncedTable first) with an index on hlc, on each
    referring column in ``refs`` and on each column in ``plain``."""
    op.create_table(
        name,
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("hlc", sa.String(length=30), nullable=False),
        sa.Column("clocks", sa.JSON(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("updated_by", sa.String(length=32), nullable=True),
        *columns,
        sa.PrimaryKeyConstraint("id"),
    )
    for column in ("hlc", *refs, *plain):
        op.create_index(f"ix_{name}_{column}", name, [column], unique=False)


def _ref(column: str, target: str, *, nullable: bool = False) -> tuple[sa.Column, sa.ForeignKeyConstraint]:
    return sa.Column(column, sa.String(), nullable=nullable), sa.ForeignKeyConstraint([column], [f"{target}.id"])


def upgrade() -> None:
    _synced("volunteer_membership", *_ref("volunteer_id", "volunteer"), *_ref("team_id", "volunteer_team"),
            sa.Column("role", sa.String(length=12), nullable=False),
            sa.Column("joined_on", sa.Date(), nullable=True),
            refs=("team_id", "volunteer_id"))
    _synced("volunteer_leave", *_ref("volunteer_id", "volunteer"),
            sa.Column("starts_on", sa.Date(), nullable=False),
            sa.Column("ends_on", sa.Date(), nullable=False),
            sa.Column("reason", sa.String(length=64), nullable=True),
            refs=("volunteer_id",))
    _synced("volunteer_status", *_ref("volunteer_id", "volunteer"),
            sa.Column("status", sa.String(length=8), nullable=False),
            sa.Column("since", sa.Date(), nullable=False),
            sa.Column("reason", sa.String(length=100), nullable=True),
            refs=("volunteer_id",))
    _synced("route_team", *_ref("route_id", "patrol_route"), *_ref("team_id", "volunteer_team"),
            refs=("route_id", "team_id"))
    _synced("shift_template", *_ref("route_id", "patrol_route"), *_ref("team_id", "volunteer_team"),
            sa.Column("weekdays", sa.String(length=13), nullable=False),
            sa.Column("starts_at", sa.Time(), nullable=False),
            sa.Column("ends_at", sa.Time(), nullable=False),
            sa.Column("headcount", sa.Integer(), nullable=False),
            sa.Column("needs_leader", sa.Boolean(), nullable=False),
            sa.Column("skill", sa.String(length=16), nullable=True),
            sa.Column("valid_from", sa.Date(), nullable=False),
            sa.Column("valid_to", sa.Date(), nullable=True),
            sa.Column("notes", sa.String(), nullable=True),
            refs=("route_id", "team_id"))
    for table, column, sql in ADDED:
        op.execute(f"ALTER TABLE {table} ADD COLUMN {column} {sql}")
    op.create_index("ix_shift_template_id", "shift", ["template_id"], unique=False)
    _synced("patrol_log", *_ref("shift_id", "shift"),
            sa.Column("kind", sa.String(length=8), nullable=False),
            sa.Column("text", sa.String(length=500), nullable=False),
            *_ref("volunteer_id", "volunteer", nullable=True), *_ref("dispute_id", "dispute", nullable=True),
            sa.Column("settled", sa.Boolean(), nullable=False),
            refs=("dispute_id", "shift_id", "volunteer_id"))
    _synced("patrol_setting",
            sa.Column("name", sa.String(length=24), nullable=False),
            sa.Column("value", sa.Float(), nullable=False))


def downgrade() -> None:
    op.drop_table("patrol_setting")  # its indexes go with it
    op.drop_table("patrol_log")
    op.drop_index("ix_shift_template_id", table_name="shift")
    for table, column, _sql in reversed(ADDED):
        op.execute(f"ALTER TABLE {table} DROP COLUMN {column}")  # SQLite 3.35+, an inline reference too
    for table in ("shift_template", "route_team", "volunteer_status", "volunteer_leave", "volunteer_membership"):
        op.drop_table(table)

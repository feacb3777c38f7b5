"""audit entries are append-only: SQL itself refuses to change or remove one

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24 09:00:00
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # The ORM refuses too (db/stamping.py); the triggers cover every other path to the file.
    for verb in ("UPDATE", "DELETE"):
        op.execute(f"""
            CREATE TRIGGER audit_entry_no_{verb.lower()} BEFORE {verb} ON audit_entry
            BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END
        """)


def downgrade() -> None:
    for verb in ("update", "delete"):
        op.execute(f"DROP TRIGGER IF EXISTS audit_entry_no_{verb}")

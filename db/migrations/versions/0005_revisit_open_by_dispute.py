"""open revisits by dispute: the index the dispute list's revisit lookups need

The list asks, for each dispute, for its open revisits (the next due date, whether one is
due): without this index SQLite walked ix_revisit_open_due, every open revisit of the
station, once per dispute. The index holds only living, open revisits, and its WHERE is
written as the queries write it (``IS 0``), or SQLite would not use it for them.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("revisit", schema=None) as batch_op:
        batch_op.create_index("ix_revisit_open_by_dispute", ["dispute_id", "due_on"], unique=False,
                              sqlite_where=sa.text("deleted IS 0 AND done_on IS NULL"))


def downgrade() -> None:
    with op.batch_alter_table("revisit", schema=None) as batch_op:
        batch_op.drop_index("ix_revisit_open_by_dispute")

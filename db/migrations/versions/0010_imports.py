"""imports: what each Excel import added or changed, so the last one can be undone

- ``import_batch`` (local, never synced): one row per import written (kind, file, officer, counts,
  when it was undone).
- ``import_record`` (local): each record the import added, or changed with the values it replaced,
  and the row's stamp as the import left it (a newer stamp: edited since, the undo is refused).

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30 14:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel  # noqa: F401
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

_S = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    op.create_table(
        "import_batch",
        sa.Column("id", _S(length=32), nullable=False),
        sa.Column("kind", _S(length=16), nullable=False),
        sa.Column("file_name", _S(length=255), nullable=False),
        sa.Column("officer_id", _S(length=32), nullable=True),
        sa.Column("at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("added", sa.Integer(), nullable=False),
        sa.Column("updated", sa.Integer(), nullable=False),
        sa.Column("skipped", sa.Integer(), nullable=False),
        sa.Column("undone_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_import_batch_at", "import_batch", ["at"], unique=False)
    op.create_table(
        "import_record",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch_id", _S(length=32), nullable=False),
        sa.Column("table_name", _S(length=32), nullable=False),
        sa.Column("record_id", _S(length=32), nullable=False),
        sa.Column("hlc", _S(length=30), nullable=False),
        sa.Column("old", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(["batch_id"], ["import_batch.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_import_record_batch_id", "import_record", ["batch_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_import_record_batch_id", table_name="import_record")
    op.drop_table("import_record")
    op.drop_index("ix_import_batch_at", table_name="import_batch")
    op.drop_table("import_batch")

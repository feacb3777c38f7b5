"""audit chain: each audit entry carries the hash of the one before it (per device)

Existing entries are chained per device (the node of their clock stamp) in the order they were
written (their stamps), the same way on every laptop that holds them. An entry can no longer be
rewritten by INSERT OR REPLACE: REPLACE deletes the old row first, and SQLite fires delete
triggers for that only with recursive_triggers on, so a BEFORE INSERT trigger refuses any insert
of an id that exists (audit_entry has no other unique column a REPLACE could collide on).

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30 10:00:01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from db.audit_chain import HASHED, chain_rows

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

COLUMNS = (("device", sa.String(length=12)), ("seq", sa.Integer()), ("prev_hash", sa.String(length=64)),
           ("entry_hash", sa.String(length=64)))
BATCH = 5000
NO_UPDATE = """
    CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_entry
    BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END
"""


def upgrade() -> None:
    for name, type_ in COLUMNS:
        op.add_column("audit_entry", sa.Column(name, type_, nullable=True))
    op.create_index("ix_audit_entry_chain", "audit_entry", ["device", "seq"], unique=False)
    bind = op.get_bind()
    op.execute("DROP TRIGGER audit_entry_no_update")  # for the one update ever made to an entry
    tips: dict[str, tuple[int, str]] = {}
    after = ("", "")
    while True:  # a batch at a time, by the clock order, so a long log never sits in memory whole
        rows = bind.exec_driver_sql(f"SELECT {', '.join(HASHED)} FROM audit_entry WHERE (hlc, id) > (?, ?) "
                                    f"ORDER BY hlc, id LIMIT {BATCH}", after).all()
        if not rows:
            break
        bind.exec_driver_sql("UPDATE audit_entry SET device = ?, seq = ?, prev_hash = ?, entry_hash = ? WHERE id = ?",
                             chain_rows((row._mapping for row in rows), tips))
        after = (rows[-1].hlc, rows[-1].id)
    op.execute(NO_UPDATE)
    op.execute("""
        CREATE TRIGGER audit_entry_no_replace BEFORE INSERT ON audit_entry
        WHEN EXISTS (SELECT 1 FROM audit_entry WHERE id = NEW.id)
        BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END
    """)


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS audit_entry_no_replace")
    op.drop_index("ix_audit_entry_chain", table_name="audit_entry")
    for name, _type in reversed(COLUMNS):
        op.execute(f"ALTER TABLE audit_entry DROP COLUMN {name}")  # SQLite 3.35+, keeps the triggers

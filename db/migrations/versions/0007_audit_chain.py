"""audit chain: each audit entry carries the hash of the one before it (per device)

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30 10:00:01
"""

from __future__ import annotations

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass  # filled by the tamper-evident audit work (issue 10, item 10)


def downgrade() -> None:
    pass

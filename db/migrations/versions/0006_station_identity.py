"""station identity: which station (派出所) this database belongs to

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30 10:00:00
"""

from __future__ import annotations

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass  # filled by the station-identity work (issue 10, item 7)


def downgrade() -> None:
    pass

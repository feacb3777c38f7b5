"""dispute events: the history of status transitions and risk changes (time, officer, reason)

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 17:58:11.875314
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('dispute_event',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('hlc', sa.String(length=30), nullable=False),
    sa.Column('clocks', sa.JSON(), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('updated_by', sa.String(length=32), nullable=True),
    sa.Column('dispute_id', sa.String(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('officer_id', sa.String(), nullable=True),
    sa.Column('action', sa.String(length=12), nullable=False),
    sa.Column('from_value', sa.String(length=16), nullable=True),
    sa.Column('to_value', sa.String(length=16), nullable=False),
    sa.Column('reason', sa.String(), nullable=False),
    sa.Column('revisit_id', sa.String(), nullable=True),
    sa.ForeignKeyConstraint(['dispute_id'], ['dispute.id'], ),
    sa.ForeignKeyConstraint(['officer_id'], ['officer.id'], ),
    sa.ForeignKeyConstraint(['revisit_id'], ['revisit.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('dispute_event', schema=None) as batch_op:
        batch_op.create_index('ix_dispute_event_dispute_at', ['dispute_id', 'at'], unique=False)
        batch_op.create_index(batch_op.f('ix_dispute_event_hlc'), ['hlc'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('dispute_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dispute_event_hlc'))
        batch_op.drop_index('ix_dispute_event_dispute_at')

    op.drop_table('dispute_event')

"""visit campaigns, residents met on a visit, the sync journal of received rows

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 17:47:36.997678
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('campaign',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('hlc', sa.String(length=30), nullable=False),
    sa.Column('clocks', sa.JSON(), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('updated_by', sa.String(length=32), nullable=True),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=True),
    sa.Column('criteria', sa.JSON(), nullable=False),
    sa.Column('notes', sa.String(), nullable=True),
    sa.Column('closed', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('campaign', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_campaign_hlc'), ['hlc'], unique=False)

    op.create_table('sync_received',
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('table_name', sa.String(length=32), nullable=False),
    sa.Column('row_id', sa.String(length=32), nullable=False),
    sa.PrimaryKeyConstraint('seq')
    )
    op.create_table('campaign_household',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('hlc', sa.String(length=30), nullable=False),
    sa.Column('clocks', sa.JSON(), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('updated_by', sa.String(length=32), nullable=True),
    sa.Column('campaign_id', sa.String(), nullable=False),
    sa.Column('household_id', sa.String(), nullable=False),
    sa.Column('officer_id', sa.String(), nullable=True),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaign.id'], ),
    sa.ForeignKeyConstraint(['household_id'], ['household.id'], ),
    sa.ForeignKeyConstraint(['officer_id'], ['officer.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('campaign_household', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_campaign_household_campaign_id'), ['campaign_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_campaign_household_hlc'), ['hlc'], unique=False)
        batch_op.create_index(batch_op.f('ix_campaign_household_household_id'), ['household_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_campaign_household_officer_id'), ['officer_id'], unique=False)
        batch_op.create_index('ix_campaign_household_pair', ['campaign_id', 'household_id'], unique=False)

    op.create_table('visit_resident',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('hlc', sa.String(length=30), nullable=False),
    sa.Column('clocks', sa.JSON(), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('updated_by', sa.String(length=32), nullable=True),
    sa.Column('visit_id', sa.String(), nullable=False),
    sa.Column('resident_id', sa.String(), nullable=False),
    sa.Column('met', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['resident_id'], ['resident.id'], ),
    sa.ForeignKeyConstraint(['visit_id'], ['visit.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('visit_resident', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_visit_resident_hlc'), ['hlc'], unique=False)
        batch_op.create_index(batch_op.f('ix_visit_resident_resident_id'), ['resident_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_visit_resident_visit_id'), ['visit_id'], unique=False)

    # A plain ADD COLUMN with an inline reference: no copy of the (large) visit table,
    # which Alembic's batch mode would make.
    op.execute("ALTER TABLE visit ADD COLUMN campaign_id VARCHAR REFERENCES campaign (id)")
    op.create_index('ix_visit_campaign_id', 'visit', ['campaign_id'], unique=False)




def downgrade() -> None:
    op.drop_index('ix_visit_campaign_id', table_name='visit')
    with op.batch_alter_table('visit', schema=None) as batch_op:
        batch_op.drop_column('campaign_id')

    with op.batch_alter_table('visit_resident', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_visit_resident_visit_id'))
        batch_op.drop_index(batch_op.f('ix_visit_resident_resident_id'))
        batch_op.drop_index(batch_op.f('ix_visit_resident_hlc'))

    op.drop_table('visit_resident')
    with op.batch_alter_table('campaign_household', schema=None) as batch_op:
        batch_op.drop_index('ix_campaign_household_pair')
        batch_op.drop_index(batch_op.f('ix_campaign_household_officer_id'))
        batch_op.drop_index(batch_op.f('ix_campaign_household_household_id'))
        batch_op.drop_index(batch_op.f('ix_campaign_household_hlc'))
        batch_op.drop_index(batch_op.f('ix_campaign_household_campaign_id'))

    op.drop_table('campaign_household')
    op.drop_table('sync_received')
    with op.batch_alter_table('campaign', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_campaign_hlc'))

    op.drop_table('campaign')


"""initial schema: every table of the data model, and the household search triggers

Revision ID: 0001
Revises:
Create Date: 2026-11-23 17:12:23.364362
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


# household_search: one row per household, derived by the triggers below.
#   text      the formatted address (as app.households.service.format_address writes it), head of
#             household and phone, and the names, phones and ID numbers of living residents,
#             upper-cased (ID numbers end in X)
#   sort_key  estate, then building, unit and room left-padded so 2栋 sorts before 10栋
#   deleted   copied from the household, so a search never needs the household table
# household_fts: a trigram full-text index over household_search.text (external content,
# keyed by household_search.id), for search terms of three or more characters.
_SEARCH_VALUES = """
    h.estate || char(1) || substr('00000000' || h.building, -8) || char(1) ||
      substr('00000000' || h.unit, -8) || char(1) || substr('00000000' || h.room, -8),
    h.deleted,
    upper(
      h.estate ||
      CASE WHEN h.building != '' THEN h.building || '栋' ELSE '' END ||
      CASE WHEN h.unit != '' THEN h.unit || '单元' ELSE '' END ||
      CASE WHEN h.room != '' THEN h.room || '室' ELSE '' END || ' ' ||
      coalesce(h.head_name, '') || ' ' || coalesce(h.phone, '') || ' ' ||
      coalesce((SELECT group_concat(r.name || ' ' || coalesce(r.phone, '') || ' ' ||
                                    coalesce(r.id_number, ''), ' ')
                FROM resident r WHERE r.household_id = h.id AND r.deleted = 0), ''))
  FROM household h WHERE h.id = {hid}"""
_REFRESH = """
  UPDATE household_search SET (sort_key, deleted, text) = (SELECT """ + _SEARCH_VALUES + """)
  WHERE household_id = {hid};"""

SEARCH_TRIGGERS = {
    "household_search_after_insert": f"""AFTER INSERT ON household BEGIN
        INSERT INTO household_search (household_id, sort_key, deleted, text)
        SELECT h.id, {_SEARCH_VALUES.format(hid='NEW.id')}; END""",
    "household_search_after_update": f"AFTER UPDATE ON household BEGIN {_REFRESH.format(hid='NEW.id')} END",
    "resident_search_after_insert": f"""AFTER INSERT ON resident BEGIN
        {_REFRESH.format(hid='NEW.household_id')} END""",
    "resident_search_after_update": f"""AFTER UPDATE ON resident BEGIN
        {_REFRESH.format(hid='NEW.household_id')} END""",
    "resident_search_after_move": f"""AFTER UPDATE OF household_id ON resident
        WHEN OLD.household_id IS NOT NEW.household_id BEGIN
        {_REFRESH.format(hid='OLD.household_id')} END""",
    "household_fts_after_insert": """AFTER INSERT ON household_search BEGIN
        INSERT INTO household_fts (rowid, text) VALUES (NEW.id, NEW.text); END""",
    "household_fts_after_update": """AFTER UPDATE OF text ON household_search
        WHEN OLD.text IS NOT NEW.text BEGIN
        INSERT INTO household_fts (household_fts, rowid, text) VALUES ('delete', OLD.id, OLD.text);
        INSERT INTO household_fts (rowid, text) VALUES (NEW.id, NEW.text); END""",
}
FTS_TABLE = """CREATE VIRTUAL TABLE household_fts USING fts5(
    text, content='household_search', content_rowid='id', tokenize='trigram')"""


def upgrade() -> None:

    op.create_table('audit_entry',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('hlc', sa.String(length=30), nullable=False),
    sa.Column('clocks', sa.JSON(), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('updated_by', sa.String(length=32), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('officer_id', sa.String(length=32), nullable=True),
    sa.Column('action', sa.String(length=24), nullable=False),
    sa.Column('table_name', sa.String(length=32), nullable=True),
    sa.Column('record_id', sa.String(length=32), nullable=True),
    sa.Column('detail', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_entry_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_entry_hlc'), ['hlc'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_entry_officer_id'), ['officer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_entry_record_id'), ['record_id'], unique=False)

    op.create_table('community',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('hlc', sa.String(length=30), nullable=False),
    sa.Column('clocks', sa.JSON(), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('updated_by', sa.String(length=32), nullable=True),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=True),
    sa.Column('police_room', sa.String(length=64), nullable=True),
    sa.Column('notes', sa.String(), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('community', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_community_hlc'), ['hlc'], unique=False)

    op.create_table('local_device',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('short_code', sa.String(length=8), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('officer',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('hlc', sa.String(length=30), nullable=False),
    sa.Column('clocks', sa.JSON(), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('updated_by', sa.String(length=32), nullable=True),
    sa.Column('username', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=32), nullable=False),
    sa.Column('role', sa.String(length=12), nullable=False),
    sa.Column('badge_no', sa.String(length=16), nullable=True),
    sa.Column('phone', sa.String(length=20), nullable=True),
    sa.Column('police_room', sa.String(length=64), nullable=True),
    sa.Column('password_hash', sa.String(length=200), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('officer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_officer_hlc'), ['hlc'], unique=False)
        batch_op.create_index(batch_op.f('ix_officer_username'), ['username'], unique=False)

    op.create_table('sync_conflict',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('hlc', sa.String(length=30), nullable=False),
    sa.Column('clocks', sa.JSON(), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('updated_by', sa.String(length=32), nullable=True),
    sa.Column('table_name', sa.String(length=32), nullable=False),
    sa.Column('record_id', sa.String(length=32), nullable=False),
    sa.Column('field', sa.String(length=32), nullable=False),
    sa.Column('kept_value', sa.String(), nullable=True),
    sa.Column('lost_value', sa.String(), nullable=True),
    sa.Column('kept_hlc', sa.String(length=30), nullable=False),
    sa.Column('lost_hlc', sa.String(length=30), nullable=False),
    sa.Column('lost_by', sa.String(length=32), nullable=True),
    sa.Column('resolved', sa.Boolean(), nullable=False),
    sa.Column('resolution', sa.String(length=8), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('sync_conflict', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sync_conflict_hlc'), ['hlc'], unique=False)
        batch_op.create_index('ix_sync_conflict_record', ['table_name', 'record_id'], unique=False)

    op.create_table('sync_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('export_id', sa.String(length=32), nullable=False),
    sa.Column('direction', sa.String(length=8), nullable=False),
    sa.Column('device_id', sa.String(length=32), nullable=False),
    sa.Column('device_code', sa.String(length=8), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('since_hlc', sa.String(length=30), nullable=True),
    sa.Column('upto_hlc', sa.String(length=30), nullable=True),
    sa.Column('file_name', sa.String(), nullable=True),
    sa.Column('counts', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('sync_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sync_log_export_id'), ['export_id'], unique=False)

    op.create_table('enterprise',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('hlc', sa.String(length=30), nullable=False),
    sa.Column('clocks', sa.JSON(), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('updated_by', sa.String(length=32), nullable=True),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('credit_code', sa.String(length=18), nullable=True),
    sa.Column('category', sa.String(length=16), nullable=False),
    sa.Column('address', sa.String(length=200), nullable=True),
    sa.Column('legal_rep', sa.String(length=32), nullable=True),
    sa.Column('phone', sa.String(length=20), nullable=True),
    sa.Column('employees', sa.Integer(), nullable=True),
    sa.Column('community_id', sa.String(), nullable=True),
    sa.Column('liaison_officer_id', sa.String(), nullable=True),
    sa.Column('notes', sa.String(), nullable=True),
    sa.ForeignKeyConstraint(['community_id'], ['community.id'], ),
    sa.ForeignKeyConstraint(['liaison_officer_id'], ['officer.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('enterprise', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_enterprise_community_id'), ['community_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_enterprise_credit_code'), ['credit_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_enterprise_hlc'), ['hlc'], unique=False)
        batch_op.create_index(batch_op.f('ix_enterprise_liaison_officer_id'), ['liaison_officer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_enterprise_name'), ['name'], unique=False)

    op.create_table('grid',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('hlc', sa.String(length=30), nullable=False),
    sa.Column('clocks', sa.JSON(), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('updated_by', sa.String(length=32), nullable=True),
    sa.Column('community_id', sa.String(), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('grid_worker', sa.String(length=32), nullable=True),
    sa.Column('grid_worker_phone', sa.String(length=20), nullable=True),
    sa.ForeignKeyConstraint(['community_id'], ['community.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('grid', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_grid_community_id'), ['community_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_grid_hlc'), ['hlc'], unique=False)

    op.create_table('volunteer_team',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('hlc', sa.String(length=30), nullable=False),
    sa.Column('clocks', sa.JSON(), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('updated_by', sa.String(length=32), nullable=True),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('community_id', sa.String(), nullable=True),
    sa.Column('leader', sa.String(length=32), nullable=True),
    sa.Column('leader_phone', sa.String(length=20), nullable=True),
    sa.Column('notes', sa.String(), nullable=True),
    sa.ForeignKeyConstraint(['community_id'], ['community.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('volunteer_team', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_volunteer_team_community_id'), ['community_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_volunteer_team_hlc'), ['hlc'], unique=False)

    op.create_table('hire_check',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('hlc', sa.String(length=30), nullable=False),
    sa.Column('clocks', sa.JSON(), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('updated_by', sa.String(length=32), nullable=True),
    sa.Column('enterprise_id', sa.String(), nullable=False),
    sa.Column('name', sa.String(length=32), nullable=False),
    sa.Column('id_number', sa.String(length=18), nullable=False),
    sa.Column('phone', sa.String(length=20), nullable=True),
    sa.Column('checked_on', sa.Date(), nullable=False),
    sa.Column('result', sa.String(length=16), nullable=False),
    sa.Column('notes', sa.String(), nullable=True),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprise.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('hire_check', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hire_check_enterprise_id'), ['enterprise_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_hire_check_hlc'), ['hlc'], unique=False)
        batch_op.create_index(batch_op.f('ix_hire_check_id_number'), ['id_number'], unique=False)

    op.create_table('household',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('hlc', sa.String(length=30), nullable=False),
    sa.Column('clocks', sa.JSON(), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('updated_by', sa.String(length=32), nullable=True),
    sa.Column('community_id', sa.String(), nullable=False),
    sa.Column('grid_id', sa.String(), nullable=True),
    sa.Column('estate', sa.String(length=64), nullable=False),
    sa.Column('building', sa.String(length=16), nullable=False),
    sa.Column('unit', sa.String(length=16), nullable=False),
    sa.Column('room', sa.String(length=16), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('tags', sa.String(length=200), nullable=False),
    sa.Column('head_name', sa.String(length=32), nullable=True),
    sa.Column('phone', sa.String(length=20), nullable=True),
    sa.Column('notes', sa.String(), nullable=True),
    sa.ForeignKeyConstraint(['community_id'], ['community.id'], ),
    sa.ForeignKeyConstraint(['grid_id'], ['grid.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('household', schema=None) as batch_op:
        batch_op.create_index('ix_household_address_order', ['estate', 'building', 'unit', 'room'], unique=False)
        batch_op.create_index(batch_op.f('ix_household_community_id'), ['community_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_household_grid_id'), ['grid_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_household_hlc'), ['hlc'], unique=False)

    op.create_table('inspection',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('hlc', sa.String(length=30), nullable=False),
    sa.Column('clocks', sa.JSON(), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('updated_by', sa.String(length=32), nullable=True),
    sa.Column('enterprise_id', sa.String(), nullable=False),
    sa.Column('inspected_on', sa.Date(), nullable=False),
    sa.Column('officer_id', sa.String(), nullable=True),
    sa.Column('result', sa.String(length=16), nullable=False),
    sa.Column('notes', sa.String(), nullable=True),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprise.id'], ),
    sa.ForeignKeyConstraint(['officer_id'], ['officer.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('inspection', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inspection_enterprise_id'), ['enterprise_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_inspection_hlc'), ['hlc'], unique=False)
        batch_op.create_index(batch_op.f('ix_inspection_inspected_on'), ['inspected_on'], unique=False)

    op.create_table('liaison_visit',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('hlc', sa.String(length=30), nullable=False),
    sa.Column('clocks', sa.JSON(), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('updated_by', sa.String(length=32), nullable=True),
    sa.Column('enterprise_id', sa.String(), nullable=False),
    sa.Column('visited_on', sa.Date(), nullable=False),
    sa.Column('officer_id', sa.String(), nullable=True),
    sa.Column('contact', sa.String(length=32), nullable=True),
    sa.Column('notes', sa.String(), nullable=True),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprise.id'], ),
    sa.ForeignKeyConstraint(['officer_id'], ['officer.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('liaison_visit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_liaison_visit_enterprise_id'), ['enterprise_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_liaison_visit_hlc'), ['hlc'], unique=False)

    op.create_table('patrol_route',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('hlc', sa.String(length=30), nullable=False),
    sa.Column('clocks', sa.JSON(), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('updated_by', sa.String(length=32), nullable=True),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('community_id', sa.String(), nullable=True),
    sa.Column('team_id', sa.String(), nullable=True),
    sa.Column('waypoints', sa.String(), nullable=False),
    sa.Column('notes', sa.String(), nullable=True),
    sa.ForeignKeyConstraint(['community_id'], ['community.id'], ),
    sa.ForeignKeyConstraint(['team_id'], ['volunteer_team.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('patrol_route', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_patrol_route_community_id'), ['community_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_patrol_route_hlc'), ['hlc'], unique=False)
        batch_op.create_index(batch_op.f('ix_patrol_route_team_id'), ['team_id'], unique=False)

    op.create_table('household_search',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('household_id', sa.String(), nullable=False),
    sa.Column('sort_key', sa.String(), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('text', sa.String(), nullable=False),
    sa.ForeignKeyConstraint(['household_id'], ['household.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('household_search', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_household_search_household_id'), ['household_id'], unique=True)
        batch_op.create_index(batch_op.f('ix_household_search_sort_key'), ['sort_key'], unique=False)
    op.create_table('inspection_item',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('hlc', sa.String(length=30), nullable=False),
    sa.Column('clocks', sa.JSON(), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('updated_by', sa.String(length=32), nullable=True),
    sa.Column('inspection_id', sa.String(), nullable=False),
    sa.Column('category', sa.String(length=8), nullable=False),
    sa.Column('item', sa.String(length=100), nullable=False),
    sa.Column('passed', sa.Boolean(), nullable=False),
    sa.Column('remark', sa.String(), nullable=True),
    sa.ForeignKeyConstraint(['inspection_id'], ['inspection.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('inspection_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inspection_item_hlc'), ['hlc'], unique=False)
        batch_op.create_index(batch_op.f('ix_inspection_item_inspection_id'), ['inspection_id'], unique=False)

    op.create_table('rectification',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('hlc', sa.String(length=30), nullable=False),
    sa.Column('clocks', sa.JSON(), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('updated_by', sa.String(length=32), nullable=True),
    sa.Column('enterprise_id', sa.String(), nullable=False),
    sa.Column('inspection_id', sa.String(), nullable=True),
    sa.Column('problem', sa.String(), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=False),
    sa.Column('done_on', sa.Date(), nullable=True),
    sa.Column('verified', sa.Boolean(), nullable=False),
    sa.Column('verified_by', sa.String(), nullable=True),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprise.id'], ),
    sa.ForeignKeyConstraint(['inspection_id'], ['inspection.id'], ),
    sa.ForeignKeyConstraint(['verified_by'], ['officer.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('rectification', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rectification_deadline'), ['deadline'], unique=False)
        batch_op.create_index(batch_op.f('ix_rectification_enterprise_id'), ['enterprise_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_rectification_hlc'), ['hlc'], unique=False)
        batch_op.create_index(batch_op.f('ix_rectification_inspection_id'), ['inspection_id'], unique=False)

    op.create_table('resident',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('hlc', sa.String(length=30), nullable=False),
    sa.Column('clocks', sa.JSON(), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('updated_by', sa.String(length=32), nullable=True),
    sa.Column('household_id', sa.String(), nullable=True),
    sa.Column('name', sa.String(length=32), nullable=False),
    sa.Column('id_number', sa.String(length=18), nullable=True),
    sa.Column('gender', sa.String(length=1), nullable=True),
    sa.Column('birth_date', sa.Date(), nullable=True),
    sa.Column('ethnicity', sa.String(length=16), nullable=True),
    sa.Column('phone', sa.String(length=20), nullable=True),
    sa.Column('relation', sa.String(length=16), nullable=True),
    sa.Column('hukou_place', sa.String(length=100), nullable=True),
    sa.Column('occupation', sa.String(length=32), nullable=True),
    sa.Column('tags', sa.String(length=200), nullable=False),
    sa.Column('notes', sa.String(), nullable=True),
    sa.ForeignKeyConstraint(['household_id'], ['household.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('resident', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_resident_hlc'), ['hlc'], unique=False)
        batch_op.create_index(batch_op.f('ix_resident_household_id'), ['household_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_resident_id_number'), ['id_number'], unique=False)
        batch_op.create_index(batch_op.f('ix_resident_name'), ['name'], unique=False)
        batch_op.create_index(batch_op.f('ix_resident_phone'), ['phone'], unique=False)

    op.create_table('shift',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('hlc', sa.String(length=30), nullable=False),
    sa.Column('clocks', sa.JSON(), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('updated_by', sa.String(length=32), nullable=True),
    sa.Column('route_id', sa.String(), nullable=False),
    sa.Column('team_id', sa.String(), nullable=True),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('starts_at', sa.Time(), nullable=False),
    sa.Column('ends_at', sa.Time(), nullable=False),
    sa.Column('needed', sa.Integer(), nullable=False),
    sa.Column('notes', sa.String(), nullable=True),
    sa.ForeignKeyConstraint(['route_id'], ['patrol_route.id'], ),
    sa.ForeignKeyConstraint(['team_id'], ['volunteer_team.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('shift', schema=None) as batch_op:
        batch_op.create_index('ix_shift_day_start', ['day', 'starts_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_shift_hlc'), ['hlc'], unique=False)
        batch_op.create_index(batch_op.f('ix_shift_route_id'), ['route_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_shift_team_id'), ['team_id'], unique=False)

    op.create_table('visit',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('hlc', sa.String(length=30), nullable=False),
    sa.Column('clocks', sa.JSON(), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('updated_by', sa.String(length=32), nullable=True),
    sa.Column('household_id', sa.String(), nullable=False),
    sa.Column('visited_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('officer_id', sa.String(), nullable=True),
    sa.Column('companions', sa.String(length=200), nullable=False),
    sa.Column('purposes', sa.String(length=200), nullable=False),
    sa.Column('findings', sa.String(), nullable=True),
    sa.Column('requests', sa.String(), nullable=True),
    sa.Column('hazards', sa.String(), nullable=True),
    sa.Column('follow_up', sa.String(), nullable=True),
    sa.ForeignKeyConstraint(['household_id'], ['household.id'], ),
    sa.ForeignKeyConstraint(['officer_id'], ['officer.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('visit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_visit_hlc'), ['hlc'], unique=False)
        batch_op.create_index('ix_visit_household_when', ['household_id', 'visited_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_visit_officer_id'), ['officer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_visit_visited_at'), ['visited_at'], unique=False)

    op.create_table('dispute',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('hlc', sa.String(length=30), nullable=False),
    sa.Column('clocks', sa.JSON(), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('updated_by', sa.String(length=32), nullable=True),
    sa.Column('number', sa.String(length=24), nullable=False),
    sa.Column('source', sa.String(length=16), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('occurred_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('place', sa.String(length=200), nullable=True),
    sa.Column('facts', sa.String(), nullable=False),
    sa.Column('risk_level', sa.String(length=8), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('community_id', sa.String(), nullable=True),
    sa.Column('household_id', sa.String(), nullable=True),
    sa.Column('visit_id', sa.String(), nullable=True),
    sa.Column('officer_id', sa.String(), nullable=True),
    sa.Column('settled_on', sa.Date(), nullable=True),
    sa.Column('escalated_criminal', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['community_id'], ['community.id'], ),
    sa.ForeignKeyConstraint(['household_id'], ['household.id'], ),
    sa.ForeignKeyConstraint(['officer_id'], ['officer.id'], ),
    sa.ForeignKeyConstraint(['visit_id'], ['visit.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('number')
    )
    with op.batch_alter_table('dispute', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dispute_community_id'), ['community_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_dispute_hlc'), ['hlc'], unique=False)
        batch_op.create_index(batch_op.f('ix_dispute_household_id'), ['household_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_dispute_occurred_at'), ['occurred_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_dispute_officer_id'), ['officer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_dispute_risk_level'), ['risk_level'], unique=False)
        batch_op.create_index(batch_op.f('ix_dispute_status'), ['status'], unique=False)

    op.create_table('volunteer',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('hlc', sa.String(length=30), nullable=False),
    sa.Column('clocks', sa.JSON(), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('updated_by', sa.String(length=32), nullable=True),
    sa.Column('team_id', sa.String(), nullable=False),
    sa.Column('resident_id', sa.String(), nullable=True),
    sa.Column('name', sa.String(length=32), nullable=False),
    sa.Column('id_number', sa.String(length=18), nullable=True),
    sa.Column('gender', sa.String(length=1), nullable=True),
    sa.Column('birth_date', sa.Date(), nullable=True),
    sa.Column('phone', sa.String(length=20), nullable=True),
    sa.Column('skills', sa.String(length=200), nullable=False),
    sa.Column('joined_on', sa.Date(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['resident_id'], ['resident.id'], ),
    sa.ForeignKeyConstraint(['team_id'], ['volunteer_team.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('volunteer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_volunteer_hlc'), ['hlc'], unique=False)
        batch_op.create_index(batch_op.f('ix_volunteer_id_number'), ['id_number'], unique=False)
        batch_op.create_index(batch_op.f('ix_volunteer_name'), ['name'], unique=False)
        batch_op.create_index(batch_op.f('ix_volunteer_team_id'), ['team_id'], unique=False)

    op.create_table('agreement',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('hlc', sa.String(length=30), nullable=False),
    sa.Column('clocks', sa.JSON(), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('updated_by', sa.String(length=32), nullable=True),
    sa.Column('dispute_id', sa.String(), nullable=False),
    sa.Column('number', sa.String(length=24), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('facts', sa.String(), nullable=False),
    sa.Column('issues', sa.String(), nullable=False),
    sa.Column('responsibilities', sa.String(), nullable=True),
    sa.Column('terms', sa.JSON(), nullable=False),
    sa.Column('performance', sa.String(length=16), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=True),
    sa.Column('copies', sa.Integer(), nullable=False),
    sa.Column('signed_on', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['dispute_id'], ['dispute.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('number')
    )
    with op.batch_alter_table('agreement', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agreement_dispute_id'), ['dispute_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_agreement_hlc'), ['hlc'], unique=False)

    op.create_table('dispute_party',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('hlc', sa.String(length=30), nullable=False),
    sa.Column('clocks', sa.JSON(), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('updated_by', sa.String(length=32), nullable=True),
    sa.Column('dispute_id', sa.String(), nullable=False),
    sa.Column('resident_id', sa.String(), nullable=True),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=32), nullable=False),
    sa.Column('gender', sa.String(length=1), nullable=True),
    sa.Column('ethnicity', sa.String(length=16), nullable=True),
    sa.Column('age', sa.Integer(), nullable=True),
    sa.Column('occupation', sa.String(length=32), nullable=True),
    sa.Column('address', sa.String(length=200), nullable=True),
    sa.Column('phone', sa.String(length=20), nullable=True),
    sa.Column('id_number', sa.String(length=18), nullable=True),
    sa.ForeignKeyConstraint(['dispute_id'], ['dispute.id'], ),
    sa.ForeignKeyConstraint(['resident_id'], ['resident.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('dispute_party', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dispute_party_dispute_id'), ['dispute_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_dispute_party_hlc'), ['hlc'], unique=False)
        batch_op.create_index(batch_op.f('ix_dispute_party_resident_id'), ['resident_id'], unique=False)

    op.create_table('dispute_transfer',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('hlc', sa.String(length=30), nullable=False),
    sa.Column('clocks', sa.JSON(), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('updated_by', sa.String(length=32), nullable=True),
    sa.Column('dispute_id', sa.String(), nullable=False),
    sa.Column('direction', sa.String(length=8), nullable=False),
    sa.Column('body', sa.String(length=64), nullable=False),
    sa.Column('transferred_on', sa.Date(), nullable=False),
    sa.Column('receiver', sa.String(length=32), nullable=True),
    sa.Column('handler', sa.String(length=32), nullable=True),
    sa.Column('outcome', sa.String(), nullable=True),
    sa.ForeignKeyConstraint(['dispute_id'], ['dispute.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('dispute_transfer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dispute_transfer_dispute_id'), ['dispute_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_dispute_transfer_hlc'), ['hlc'], unique=False)

    op.create_table('mediation_session',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('hlc', sa.String(length=30), nullable=False),
    sa.Column('clocks', sa.JSON(), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('updated_by', sa.String(length=32), nullable=True),
    sa.Column('dispute_id', sa.String(), nullable=False),
    sa.Column('held_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('place', sa.String(length=200), nullable=True),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('host', sa.String(length=32), nullable=True),
    sa.Column('mediators', sa.String(length=200), nullable=False),
    sa.Column('attendees', sa.String(length=400), nullable=False),
    sa.Column('record', sa.String(), nullable=True),
    sa.ForeignKeyConstraint(['dispute_id'], ['dispute.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('mediation_session', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mediation_session_dispute_id'), ['dispute_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mediation_session_hlc'), ['hlc'], unique=False)

    op.create_table('revisit',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('hlc', sa.String(length=30), nullable=False),
    sa.Column('clocks', sa.JSON(), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('updated_by', sa.String(length=32), nullable=True),
    sa.Column('dispute_id', sa.String(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('done_on', sa.Date(), nullable=True),
    sa.Column('result', sa.String(length=16), nullable=True),
    sa.Column('notes', sa.String(), nullable=True),
    sa.Column('officer_id', sa.String(), nullable=True),
    sa.ForeignKeyConstraint(['dispute_id'], ['dispute.id'], ),
    sa.ForeignKeyConstraint(['officer_id'], ['officer.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('revisit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_revisit_dispute_id'), ['dispute_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_revisit_hlc'), ['hlc'], unique=False)
        batch_op.create_index('ix_revisit_open_due', ['done_on', 'due_on'], unique=False)

    op.create_table('shift_assignment',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('hlc', sa.String(length=30), nullable=False),
    sa.Column('clocks', sa.JSON(), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('updated_by', sa.String(length=32), nullable=True),
    sa.Column('shift_id', sa.String(), nullable=False),
    sa.Column('volunteer_id', sa.String(), nullable=False),
    sa.Column('attendance', sa.String(length=12), nullable=False),
    sa.Column('checked_in_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['shift_id'], ['shift.id'], ),
    sa.ForeignKeyConstraint(['volunteer_id'], ['volunteer.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('shift_assignment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_shift_assignment_hlc'), ['hlc'], unique=False)
        batch_op.create_index(batch_op.f('ix_shift_assignment_shift_id'), ['shift_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_shift_assignment_volunteer_id'), ['volunteer_id'], unique=False)


    op.execute(FTS_TABLE)
    for name, body in SEARCH_TRIGGERS.items():
        op.execute(f"CREATE TRIGGER {name} {body}")


def downgrade() -> None:
    for name in SEARCH_TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.execute("DROP TABLE IF EXISTS household_fts")

    with op.batch_alter_table('shift_assignment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_shift_assignment_volunteer_id'))
        batch_op.drop_index(batch_op.f('ix_shift_assignment_shift_id'))
        batch_op.drop_index(batch_op.f('ix_shift_assignment_hlc'))

    op.drop_table('shift_assignment')
    with op.batch_alter_table('revisit', schema=None) as batch_op:
        batch_op.drop_index('ix_revisit_open_due')
        batch_op.drop_index(batch_op.f('ix_revisit_hlc'))
        batch_op.drop_index(batch_op.f('ix_revisit_dispute_id'))

    op.drop_table('revisit')
    with op.batch_alter_table('mediation_session', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mediation_session_hlc'))
        batch_op.drop_index(batch_op.f('ix_mediation_session_dispute_id'))

    op.drop_table('mediation_session')
    with op.batch_alter_table('dispute_transfer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dispute_transfer_hlc'))
        batch_op.drop_index(batch_op.f('ix_dispute_transfer_dispute_id'))

    op.drop_table('dispute_transfer')
    with op.batch_alter_table('dispute_party', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dispute_party_resident_id'))
        batch_op.drop_index(batch_op.f('ix_dispute_party_hlc'))
        batch_op.drop_index(batch_op.f('ix_dispute_party_dispute_id'))

    op.drop_table('dispute_party')
    with op.batch_alter_table('agreement', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agreement_hlc'))
        batch_op.drop_index(batch_op.f('ix_agreement_dispute_id'))

    op.drop_table('agreement')
    with op.batch_alter_table('volunteer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_volunteer_team_id'))
        batch_op.drop_index(batch_op.f('ix_volunteer_name'))
        batch_op.drop_index(batch_op.f('ix_volunteer_id_number'))
        batch_op.drop_index(batch_op.f('ix_volunteer_hlc'))

    op.drop_table('volunteer')
    with op.batch_alter_table('dispute', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dispute_status'))
        batch_op.drop_index(batch_op.f('ix_dispute_risk_level'))
        batch_op.drop_index(batch_op.f('ix_dispute_officer_id'))
        batch_op.drop_index(batch_op.f('ix_dispute_occurred_at'))
        batch_op.drop_index(batch_op.f('ix_dispute_household_id'))
        batch_op.drop_index(batch_op.f('ix_dispute_hlc'))
        batch_op.drop_index(batch_op.f('ix_dispute_community_id'))

    op.drop_table('dispute')
    with op.batch_alter_table('visit', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_visit_visited_at'))
        batch_op.drop_index(batch_op.f('ix_visit_officer_id'))
        batch_op.drop_index('ix_visit_household_when')
        batch_op.drop_index(batch_op.f('ix_visit_hlc'))

    op.drop_table('visit')
    with op.batch_alter_table('shift', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_shift_team_id'))
        batch_op.drop_index(batch_op.f('ix_shift_route_id'))
        batch_op.drop_index(batch_op.f('ix_shift_hlc'))
        batch_op.drop_index('ix_shift_day_start')

    op.drop_table('shift')
    with op.batch_alter_table('resident', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_resident_phone'))
        batch_op.drop_index(batch_op.f('ix_resident_name'))
        batch_op.drop_index(batch_op.f('ix_resident_id_number'))
        batch_op.drop_index(batch_op.f('ix_resident_household_id'))
        batch_op.drop_index(batch_op.f('ix_resident_hlc'))

    op.drop_table('resident')
    with op.batch_alter_table('rectification', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rectification_inspection_id'))
        batch_op.drop_index(batch_op.f('ix_rectification_hlc'))
        batch_op.drop_index(batch_op.f('ix_rectification_enterprise_id'))
        batch_op.drop_index(batch_op.f('ix_rectification_deadline'))

    op.drop_table('rectification')
    with op.batch_alter_table('inspection_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inspection_item_inspection_id'))
        batch_op.drop_index(batch_op.f('ix_inspection_item_hlc'))

    op.drop_table('inspection_item')
    with op.batch_alter_table('household_search', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_household_search_sort_key'))
        batch_op.drop_index(batch_op.f('ix_household_search_household_id'))

    op.drop_table('household_search')
    with op.batch_alter_table('patrol_route', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_patrol_route_team_id'))
        batch_op.drop_index(batch_op.f('ix_patrol_route_hlc'))
        batch_op.drop_index(batch_op.f('ix_patrol_route_community_id'))

    op.drop_table('patrol_route')
    with op.batch_alter_table('liaison_visit', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_liaison_visit_hlc'))
        batch_op.drop_index(batch_op.f('ix_liaison_visit_enterprise_id'))

    op.drop_table('liaison_visit')
    with op.batch_alter_table('inspection', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inspection_inspected_on'))
        batch_op.drop_index(batch_op.f('ix_inspection_hlc'))
        batch_op.drop_index(batch_op.f('ix_inspection_enterprise_id'))

    op.drop_table('inspection')
    with op.batch_alter_table('household', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_household_hlc'))
        batch_op.drop_index(batch_op.f('ix_household_grid_id'))
        batch_op.drop_index(batch_op.f('ix_household_community_id'))
        batch_op.drop_index('ix_household_address_order')

    op.drop_table('household')
    with op.batch_alter_table('hire_check', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hire_check_id_number'))
        batch_op.drop_index(batch_op.f('ix_hire_check_hlc'))
        batch_op.drop_index(batch_op.f('ix_hire_check_enterprise_id'))

    op.drop_table('hire_check')
    with op.batch_alter_table('volunteer_team', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_volunteer_team_hlc'))
        batch_op.drop_index(batch_op.f('ix_volunteer_team_community_id'))

    op.drop_table('volunteer_team')
    with op.batch_alter_table('grid', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_grid_hlc'))
        batch_op.drop_index(batch_op.f('ix_grid_community_id'))

    op.drop_table('grid')
    with op.batch_alter_table('enterprise', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_enterprise_name'))
        batch_op.drop_index(batch_op.f('ix_enterprise_liaison_officer_id'))
        batch_op.drop_index(batch_op.f('ix_enterprise_hlc'))
        batch_op.drop_index(batch_op.f('ix_enterprise_credit_code'))
        batch_op.drop_index(batch_op.f('ix_enterprise_community_id'))

    op.drop_table('enterprise')
    with op.batch_alter_table('sync_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sync_log_export_id'))

    op.drop_table('sync_log')
    with op.batch_alter_table('sync_conflict', schema=None) as batch_op:
        batch_op.drop_index('ix_sync_conflict_record')
        batch_op.drop_index(batch_op.f('ix_sync_conflict_hlc'))

    op.drop_table('sync_conflict')
    with op.batch_alter_table('officer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_officer_username'))
        batch_op.drop_index(batch_op.f('ix_officer_hlc'))

    op.drop_table('officer')
    op.drop_table('local_device')
    with op.batch_alter_table('community', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_community_hlc'))

    op.drop_table('community')
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_entry_record_id'))
        batch_op.drop_index(batch_op.f('ix_audit_entry_officer_id'))
        batch_op.drop_index(batch_op.f('ix_audit_entry_hlc'))
        batch_op.drop_index(batch_op.f('ix_audit_entry_at'))

    op.drop_table('audit_entry')


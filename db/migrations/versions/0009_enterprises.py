"""enterprises (一企一警): liaison history, requests, versioned checklists, notices and re-checks

- ``enterprise``: industry, security head and phone, guard count, tags.
- ``liaison_assignment``: every change of an enterprise's 包企民警 with its date.
- ``liaison_visit``: the kind of contact (通报警情 …); ``contact`` (people met) widened to 100.
- ``enterprise_request``: an enterprise's 诉求, due on a date, answered.
- ``checklist``: a category's checklist as an admin edited it, one row per version.
- ``inspection``: inspectors, categories covered, the enterprise's people present and signer, the
  opinion; ``inspection_item``: 不适用, position, the checklist version it came from.
- ``rectification``: the item it came from and the day its re-check closed it.
- ``rectification_notice`` (责令限期整改通知书) and ``recheck`` (复查意见书).
- ``hire_check``: job, request date, legal basis or consent, who answered, keep-until and the
  salted hash kept after the ID number is masked; the answer date and result may be empty (a
  request not answered yet).

Older rows: an inspection's categories are taken from its items (its inspectors stay empty, the
officer who recorded it stands for them); a liaison visit keeps no kind. Tables that change a column or gain a
reference are copied by Alembic's batch mode (none of them has rows pointing at it yet).

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30 12:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel  # noqa: F401
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

_S = sqlmodel.sql.sqltypes.AutoString


def _synced(name: str, *columns, fks=()) -> None:
    """A synced table: the shared sync columns, then ``columns``; its hlc index."""
    op.create_table(
        name,
        sa.Column("id", _S(length=32), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("hlc", _S(length=30), nullable=False),
        sa.Column("clocks", sa.JSON(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("updated_by", _S(length=32), nullable=True),
        *columns,
        *(sa.ForeignKeyConstraint([column], [target]) for column, target in fks),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(f"ix_{name}_hlc", name, ["hlc"], unique=False)


def upgrade() -> None:
    with op.batch_alter_table("enterprise", schema=None) as batch_op:
        batch_op.add_column(sa.Column("industry", _S(length=32), nullable=True))
        batch_op.add_column(sa.Column("security_head", _S(length=32), nullable=True))
        batch_op.add_column(sa.Column("security_phone", _S(length=20), nullable=True))
        batch_op.add_column(sa.Column("guards", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("tags", _S(length=200), nullable=False, server_default=""))

    # Copied (the column type changes) before anything refers to it.
    with op.batch_alter_table("liaison_visit", schema=None) as batch_op:
        batch_op.add_column(sa.Column("kind", _S(length=16), nullable=True))
        batch_op.alter_column("contact", existing_type=sa.VARCHAR(length=32), type_=_S(length=100),
                              existing_nullable=True)

    with op.batch_alter_table("inspection", schema=None) as batch_op:
        batch_op.add_column(sa.Column("inspectors", _S(length=100), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("categories", _S(length=60), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("present", _S(length=100), nullable=True))
        batch_op.add_column(sa.Column("signer", _S(length=32), nullable=True))
        batch_op.add_column(sa.Column("opinion", _S(), nullable=True))

    with op.batch_alter_table("inspection_item", schema=None) as batch_op:
        batch_op.add_column(sa.Column("applicable", sa.Boolean(), nullable=False, server_default=sa.true()))
        batch_op.add_column(sa.Column("position", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("checklist_version", sa.Integer(), nullable=True))

    with op.batch_alter_table("rectification", schema=None) as batch_op:
        batch_op.add_column(sa.Column("item_id", _S(), nullable=True))
        batch_op.add_column(sa.Column("closed_on", sa.Date(), nullable=True))
        batch_op.create_foreign_key("fk_rectification_item_id_inspection_item", "inspection_item",
                                    ["item_id"], ["id"])

    with op.batch_alter_table("hire_check", schema=None) as batch_op:
        batch_op.add_column(sa.Column("job", _S(length=32), nullable=True))
        batch_op.add_column(sa.Column("requested_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("basis", _S(length=100), nullable=True))
        batch_op.add_column(sa.Column("officer_id", _S(), nullable=True))
        batch_op.add_column(sa.Column("keep_until", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("id_hash", _S(length=100), nullable=True))
        batch_op.alter_column("checked_on", existing_type=sa.DATE(), nullable=True)
        batch_op.alter_column("result", existing_type=sa.VARCHAR(length=16), nullable=True)
        batch_op.create_index("ix_hire_check_keep_until", ["keep_until"], unique=False)
        batch_op.create_foreign_key("fk_hire_check_officer_id_officer", "officer", ["officer_id"], ["id"])

    _synced("liaison_assignment",
            sa.Column("enterprise_id", _S(), nullable=False),
            sa.Column("officer_id", _S(), nullable=True),
            sa.Column("assigned_on", sa.Date(), nullable=False),
            sa.Column("notes", _S(length=200), nullable=True),
            fks=(("enterprise_id", "enterprise.id"), ("officer_id", "officer.id")))
    op.create_index("ix_liaison_assignment_enterprise_id", "liaison_assignment", ["enterprise_id"], unique=False)

    _synced("enterprise_request",
            sa.Column("enterprise_id", _S(), nullable=False),
            sa.Column("raised_on", sa.Date(), nullable=False),
            sa.Column("content", _S(), nullable=False),
            sa.Column("due_on", sa.Date(), nullable=False),
            sa.Column("officer_id", _S(), nullable=True),
            sa.Column("liaison_visit_id", _S(), nullable=True),
            sa.Column("answered_on", sa.Date(), nullable=True),
            sa.Column("answer", _S(), nullable=True),
            fks=(("enterprise_id", "enterprise.id"), ("liaison_visit_id", "liaison_visit.id"),
                 ("officer_id", "officer.id")))
    op.create_index("ix_enterprise_request_due_on", "enterprise_request", ["due_on"], unique=False)
    op.create_index("ix_enterprise_request_enterprise_id", "enterprise_request", ["enterprise_id"], unique=False)

    _synced("checklist",
            sa.Column("category", _S(length=8), nullable=False),
            sa.Column("version", sa.Integer(), nullable=False),
            sa.Column("items", sa.JSON(), nullable=False))
    op.create_index("ix_checklist_category", "checklist", ["category"], unique=False)

    _synced("rectification_notice",
            sa.Column("inspection_id", _S(), nullable=False),
            sa.Column("enterprise_id", _S(), nullable=False),
            sa.Column("number", _S(length=24), nullable=False),
            sa.Column("addressee", _S(length=100), nullable=False),
            sa.Column("issued_on", sa.Date(), nullable=False),
            sa.Column("deadline", sa.Date(), nullable=False),
            sa.Column("issuer", _S(length=32), nullable=False),
            sa.Column("delivered_on", sa.Date(), nullable=True),
            sa.Column("receiver", _S(length=32), nullable=True),
            fks=(("enterprise_id", "enterprise.id"), ("inspection_id", "inspection.id")))
    for column in ("enterprise_id", "inspection_id", "number"):
        op.create_index(f"ix_rectification_notice_{column}", "rectification_notice", [column], unique=False)

    _synced("recheck",
            sa.Column("inspection_id", _S(), nullable=False),
            sa.Column("notice_id", _S(), nullable=False),
            sa.Column("number", _S(length=24), nullable=False),
            sa.Column("rechecked_on", sa.Date(), nullable=False),
            sa.Column("inspectors", _S(length=100), nullable=False),
            sa.Column("opinion", _S(), nullable=False),
            sa.Column("outcome", _S(length=16), nullable=False),
            fks=(("inspection_id", "inspection.id"), ("notice_id", "rectification_notice.id")))
    for column in ("inspection_id", "notice_id", "number"):
        op.create_index(f"ix_recheck_{column}", "recheck", [column], unique=False)

    # Older inspections: the categories their items cover (their inspectors stay empty: the records
    # name the officer who recorded them, and a sync file is held to "at least two").
    conn = op.get_bind()
    conn.exec_driver_sql("""
        UPDATE inspection SET categories = coalesce((
            SELECT group_concat(category) FROM (
                SELECT DISTINCT category FROM inspection_item
                WHERE inspection_id = inspection.id ORDER BY category)), '')""")


def downgrade() -> None:
    op.get_bind().exec_driver_sql("PRAGMA defer_foreign_keys = ON")  # copied tables are referred to
    for table in ("recheck", "rectification_notice", "checklist", "enterprise_request", "liaison_assignment"):
        op.drop_table(table)  # their indexes go with them

    with op.batch_alter_table("hire_check", schema=None) as batch_op:
        batch_op.drop_constraint("fk_hire_check_officer_id_officer", type_="foreignkey")
        batch_op.drop_index("ix_hire_check_keep_until")
        batch_op.alter_column("result", existing_type=sa.VARCHAR(length=16), nullable=False)
        batch_op.alter_column("checked_on", existing_type=sa.DATE(), nullable=False)
        for column in ("id_hash", "keep_until", "officer_id", "basis", "requested_on", "job"):
            batch_op.drop_column(column)

    with op.batch_alter_table("rectification", schema=None) as batch_op:
        batch_op.drop_constraint("fk_rectification_item_id_inspection_item", type_="foreignkey")
        batch_op.drop_column("closed_on")
        batch_op.drop_column("item_id")

    with op.batch_alter_table("inspection_item", schema=None) as batch_op:
        for column in ("checklist_version", "position", "applicable"):
            batch_op.drop_column(column)

    with op.batch_alter_table("inspection", schema=None) as batch_op:
        for column in ("opinion", "signer", "present", "categories", "inspectors"):
            batch_op.drop_column(column)

    with op.batch_alter_table("liaison_visit", schema=None) as batch_op:
        batch_op.alter_column("contact", existing_type=_S(length=100), type_=sa.VARCHAR(length=32),
                              existing_nullable=True)
        batch_op.drop_column("kind")

    with op.batch_alter_table("enterprise", schema=None) as batch_op:
        for column in ("tags", "guards", "security_phone", "security_head", "industry"):
            batch_op.drop_column(column)

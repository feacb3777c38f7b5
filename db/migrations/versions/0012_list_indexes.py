"""lists: indexes so that every tab's first page is read, not scanned, at city scale

At a 50,000-household station the lists' queries scan small tables in milliseconds; at a city
(1M households, ~11M rows: `make bench-city`) the same plans scan for seconds. Each index below
serves the named list's first page (EXPLAIN QUERY PLAN: SEARCH ... USING INDEX, not SCAN).

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-30 23:00:00
"""

from __future__ import annotations

from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

# (name, table, columns SQL) — one line per index, grouped by the list it serves.
INDEXES: list[tuple[str, str, str]] = [
    # --- 工作台 (app/today.py) ---
    # Each worklist reads its open rows only (the null column first, as ix_revisit_open_due does),
    # instead of walking every done row of its table (at city, CPU ms before -> after: past shifts
    # 62 -> 14, untrained 47 -> 3, deadlines 54 -> 13, re-checks 114 -> 27, requests 40 -> 9).
    ("ix_shift_unconfirmed", "shift", "confirmed_at, day, starts_at"),  # past shifts to confirm
    ("ix_volunteer_untrained", "volunteer", "trained_on, name, id"),  # volunteers to train
    ("ix_rectification_open_deadline", "rectification", "done_on, closed_on, deadline"),  # deadlines
    ("ix_recheck_notice_living", "recheck", "notice_id, deleted"),  # re-checks made? (without reading the row)
    ("ix_enterprise_request_open_due", "enterprise_request", "answered_on, due_on, raised_on, id"),  # 诉求
    # --- 入户走访 (app/households) ---
    # --- 矛盾纠纷 (app/disputes) ---
    # The list's default order (app/disputes/queries.py SORT_KEYS["risk"], these exact expressions):
    # each view walks it and stops at the page's end, no sort of every dispute; the status in it
    # lets a view skip the rows it does not show without reading them.
    ("ix_dispute_list", "dispute",
     "(CASE WHEN status IN ('pending', 'mediating', 'to_center') THEN 0 ELSE 1 END), "
     "(CASE WHEN risk_level = 'high' THEN 0 WHEN risk_level = 'medium' THEN 1 ELSE 2 END), "
     "occurred_at DESC, id, status"),
    # The detail's repeat-party warning (app/disputes/risk.py): the same ID number or phone in other
    # disputes, found instead of scanning every party (200 ms at city scale).
    ("ix_dispute_party_id_number", "dispute_party", "id_number"),
    ("ix_dispute_party_phone", "dispute_party", "phone"),
    # The 已化解未安排回访 view: every resolved dispute and its revisits read from these two alone, in
    # dispute id order (150 ms to 35 ms at city scale, where each resolved dispute was looked up).
    ("ix_dispute_status_settled", "dispute", "status, id, settled_on, deleted"),
    ("ix_revisit_dispute_due", "revisit", "dispute_id, due_on, deleted"),
    # --- 义警巡逻 (app/patrol) ---
    # --- 一企一警 (app/enterprises) ---
    # The list's 最近检查: each enterprise's last inspection read from the index alone, for the sort on it
    # (every enterprise's, grouped: 170 ms to 95 ms at city scale) and for each row of a page.
    ("ix_inspection_last", "inspection", "enterprise_id, deleted, inspected_on"),
]


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({columns})")
    # Database.open refreshes the planner's statistics after any upgrade (db.engine.refresh_statistics).


def downgrade() -> None:
    for name, _table, _columns in INDEXES:
        op.execute(f"DROP INDEX IF EXISTS {name}")

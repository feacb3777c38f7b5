"""roster: a team's shifts of a week or a month read by (team_id, day)

The roster grid (app/patrol/grid.py) reads one team's shifts over a week or a month. With the day
index and the team index apart, the planner walked every team's shifts of the period and kept the
team's: at a city, ~15,000 shifts for a month's 124, 17.5 ms, where a station took 1 ms (the patrol
bench's roster grid was slower than its baseline without statistics, 31 ms against 13). By team and
day it reads those 124 alone (0.1 ms). It replaces ix_shift_team_id, whose work it does as well (its
first column: a team's shifts, the team's delete checks).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01 04:20:00
"""

from __future__ import annotations

from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_shift_team_day", "shift", ["team_id", "day"], unique=False)
    op.drop_index("ix_shift_team_id", table_name="shift")
    # Database.open refreshes the planner's statistics after any upgrade (db.engine.refresh_statistics).


def downgrade() -> None:
    op.create_index("ix_shift_team_id", "shift", ["team_id"], unique=False)
    op.drop_index("ix_shift_team_day", table_name="shift")

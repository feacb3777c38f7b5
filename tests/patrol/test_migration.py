"""Migration 0008 brings a database made before it up with its patrol rows kept and given the defaults."""

from __future__ import annotations

import sqlite3
from datetime import date

from alembic import command
from sqlalchemy import create_engine

from db import migrate
from db.engine import Database
from db.models import Volunteer, VolunteerTeam


def test_upgrading_from_0007_keeps_teams_and_volunteers_with_the_new_defaults(tmp_path):
    path = tmp_path / "old.sqlite3"
    Database.open(path, create=True).close()
    with create_engine(f"sqlite:///{path}").begin() as conn:
        command.downgrade(migrate._config(conn), "0007")
    conn = sqlite3.connect(path)
    with conn:
        hlc = "00000000000a-0000-aaaaaaaaaaaa"
        stamp = f'{{"*": ["{hlc}", null]}}'
        team = "t" * 32
        conn.execute("INSERT INTO volunteer_team (id, created_at, updated_at, hlc, clocks, deleted, name) "
                     "VALUES (?, '2026-01-01', '2026-01-01', ?, ?, 0, '老义警队')", (team, hlc, stamp))
        conn.execute("INSERT INTO volunteer (id, created_at, updated_at, hlc, clocks, deleted, team_id, name, skills, "
                     "active) VALUES ('v1', '2026-01-01', '2026-01-01', ?, ?, 0, ?, '老队员', '驾驶', 1)",
                     (hlc, stamp, team))
    conn.close()
    database = Database.open(path)
    try:
        with database.session() as s:
            team_row, volunteer = s.get(VolunteerTeam, team), s.get(Volunteer, "v1")
            assert (team_row.kind, team_row.group_size, team_row.group_leader) == ("community", 3, True)
            assert (volunteer.status, volunteer.weekly_cap, volunteer.availability, volunteer.trained_on) == \
                ("active", 2, "", None)
            volunteer.trained_on = date(2026, 1, 2)
            s.commit()
        with database.connect() as c:
            assert c.exec_driver_sql("PRAGMA foreign_key_check").all() == []
    finally:
        database.close()

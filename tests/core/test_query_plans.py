"""Planner statistics are kept fresh (demo, import, close) and the dispute list finds a dispute's
open revisits through the index by dispute, never by walking every open revisit per dispute.

Plans are read with EXPLAIN QUERY PLAN on the very statements the services run (captured as
they execute), so a rewritten query is checked as it is; no timing here (see tests/bench)."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest

from app.demo.build import build_demo
from app.disputes.queries import VIEWS, dispute_detail, search_disputes
from db.engine import Database
from tests.support.statements import statements_run
from tests.support.sync import Courier, make_device

TODAY = date(2026, 6, 15)
# The revisit indexes by dispute (ix_revisit_dispute_due: 0012, the unplanned view's).
BY_DISPUTE = ("ix_revisit_open_by_dispute", "ix_revisit_dispute_id", "ix_revisit_dispute_due")


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    db = Database.open(tmp_path_factory.mktemp("plans") / "small.sqlite3", create=True)
    build_demo(db, scale="small", seed=1, today=TODAY)
    yield db
    db.close()


def revisit_plans(db: Database, run) -> list[str]:
    """The plan lines on the revisit table of every statement ``run`` executes."""
    statements = statements_run(db, run)
    lines = []
    with db.connect() as conn:
        for sql, params in statements:
            if "revisit" in sql and sql.lstrip().upper().startswith("SELECT"):
                plan = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}", params).all()
                lines += [row[-1] for row in plan if " revisit " in f"{row[-1]} "]
    return lines


def stats_tables(path) -> set[str]:
    conn = sqlite3.connect(path)
    try:
        return {table for (table,) in conn.execute("SELECT tbl FROM sqlite_stat1")}
    finally:
        conn.close()


def test_the_due_revisits_view_looks_up_open_revisits_by_dispute(small):
    lines = revisit_plans(small, lambda: search_disputes(small, view="revisit_due", today=TODAY))
    assert "SEARCH revisit USING INDEX ix_revisit_open_by_dispute (dispute_id=? AND due_on<?)" in lines
    assert not [line for line in lines if "ix_revisit_open_due" in line or line.startswith("SCAN")]


@pytest.mark.parametrize("view", VIEWS)
def test_every_dispute_view_and_the_detail_search_revisits_by_dispute(small, view):
    def run() -> None:
        rows = search_disputes(small, view=view, today=TODAY)
        if rows:
            dispute_detail(small, rows[0].id, today=TODAY)

    lines = revisit_plans(small, run)
    assert lines
    assert [line for line in lines if not any(f"INDEX {name} (dispute_id=?" in line for name in BY_DISPUTE)] == []


def test_a_built_demo_has_planner_statistics(small):
    assert {"dispute", "revisit", "household", "visit"} <= stats_tables(small.path)


def test_a_merged_import_refreshes_the_planner_statistics(tmp_path, _template_db):
    source, target = (make_device(_template_db, tmp_path, code) for code in ("A01", "B02"))
    try:
        build_demo(source, scale="small", seed=1, today=TODAY)
        courier = Courier(tmp_path)
        assert "household" not in stats_tables(target.path)
        courier.bring(target, courier.export(source, full=True))
        assert {"dispute", "revisit", "household"} <= stats_tables(target.path)  # before any close
    finally:
        source.close()
        target.close()


def test_closing_a_database_analyzes_the_tables_its_queries_used(tmp_path, _template_db):
    built = make_device(_template_db, tmp_path, "A01")
    build_demo(built, scale="small", seed=1, today=TODAY)
    built.close()
    conn = sqlite3.connect(built.path)
    with conn:
        conn.execute("DELETE FROM sqlite_stat1")
    conn.close()
    db = Database.open(built.path)
    search_disputes(db, view="revisit_due", today=TODAY)
    assert stats_tables(db.path) == set()
    db.close()
    assert "revisit" in stats_tables(db.path)


def test_a_teams_roster_of_a_month_reads_its_own_shifts_by_team_and_day(small):
    """Migration 0014: not every team's shifts of the month, kept for the one team (17.5 ms at a city)."""
    from app.patrol.grid import roster_grid

    with small.connect() as conn:
        team_id = conn.exec_driver_sql("SELECT team_id FROM shift WHERE team_id IS NOT NULL LIMIT 1").scalar()
    grids = []
    statements = statements_run(small, lambda: grids.append(
        roster_grid(small, team_id=team_id, start=date(2026, 6, 1), end=date(2026, 6, 30))))
    assert grids[0].shifts
    sql, params = next((sql, params) for sql, params in statements if "FROM shift" in sql)
    with small.connect() as conn:
        plan = [row[-1] for row in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}", params)]
    assert any("USING INDEX ix_shift_team_day (team_id=? AND day>? AND day<?)" in line for line in plan), plan

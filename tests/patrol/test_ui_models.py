"""The patrol lists' and the roster grid's models held to Qt's model contract (qtmodeltester), and the
reads behind them kept fast: a fixed number of queries whatever the size (no N+1), none scanning the
shifts or their assignments (EXPLAIN QUERY PLAN)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import event

from app.patrol import details, grid, queries
from app.patrol.changes import assign
from app.patrol.schedule import make_shifts, shift_id_for
from app.patrol.volunteers import add_volunteer
from tests.patrol.conftest import NEXT_MONDAY, TODAY, volunteer_values
from tests.patrol.test_ui_tab import open_tab
from ui.patrol.models import PatrolTableModel, columns
from ui.patrol.roster_model import RosterModel


@pytest.fixture
def week(db, squad) -> list[str]:
    make_shifts(db, start=NEXT_MONDAY, end=NEXT_MONDAY + timedelta(days=6), team_id=squad.team)
    shifts = [shift_id_for(squad.template, NEXT_MONDAY + timedelta(days=d)) for d in range(7)]
    assign(db, shift_id=shifts[0], volunteer_id=squad.leader)
    assign(db, shift_id=shifts[0], volunteer_id=squad.members[0])
    return shifts


@pytest.mark.parametrize("view", ["volunteers", "teams", "routes"])
def test_the_list_models_keep_the_model_contract(qtmodeltester, db, squad, view):
    fetch = {"volunteers": queries.search_volunteers, "teams": queries.search_teams,
             "routes": queries.search_routes}[view]
    model = PatrolTableModel(columns(view), lambda **kw: fetch(db, **kw), page_size=4)
    model.reload()
    qtmodeltester.check(model)
    assert model.rowCount() >= 1


def test_the_roster_model_keeps_the_model_contract(qtmodeltester, db, squad, week):
    model = RosterModel()
    model.set_grid(grid.roster_grid(db, team_id=squad.team, start=NEXT_MONDAY, end=NEXT_MONDAY + timedelta(days=6)))
    qtmodeltester.check(model)


class Statements:
    """Every SQL statement run while in the block, with its parameters."""

    def __init__(self, db) -> None:
        self.db, self.seen = db, []

    def __enter__(self):
        event.listen(self.db.engine, "before_cursor_execute", self._heard)
        return self

    def __exit__(self, *exc) -> None:
        event.remove(self.db.engine, "before_cursor_execute", self._heard)

    def _heard(self, _conn, _cursor, statement, parameters, _context, _many) -> None:
        self.seen.append((statement, parameters))

    def plans(self) -> list[str]:
        out = []
        with self.db.engine.connect() as conn:
            raw = conn.connection.driver_connection
            for statement, parameters in self.seen:
                if statement.lstrip().upper().startswith("SELECT"):
                    out.append("\n".join(row[3] for row in raw.execute("EXPLAIN QUERY PLAN " + statement, parameters)))
        return out


def test_reads_are_few_and_indexed_whatever_the_number_of_volunteers(db, squad, week):
    for n in range(20, 60):
        add_volunteer(db, team_id=squad.team, values=volunteer_values(n))
    reads = {
        "grid": lambda: grid.roster_grid(db, team_id=squad.team, start=NEXT_MONDAY,
                                         end=NEXT_MONDAY + timedelta(days=6)),
        "day": lambda: grid.day_shifts(db, on=NEXT_MONDAY),
        "shift": lambda: grid.grid_shift(db, shift_id=week[0]),
        "volunteer": lambda: details.volunteer_detail(db, volunteer_id=squad.leader, today=TODAY),
        "route": lambda: details.route_detail(db, route_id=squad.route),
        "volunteers": lambda: queries.search_volunteers(db, text="孙", sort="team"),
        "teams": lambda: queries.search_teams(db),
    }
    for name, read in reads.items():
        with Statements(db) as statements:
            read()
        assert len(statements.seen) <= 8, (name, len(statements.seen))  # a fixed few, never one per row
        for plan in statements.plans():
            for table in ("shift", "shift_assignment", "patrol_log", "volunteer_leave"):
                assert f"SCAN {table}\n" not in plan + "\n" and f"SCAN {table} " not in plan, (name, plan)


def test_attached_again_the_tab_starts_on_the_view_shown(qtbot, db, squad):
    from tests.support.window import make_context

    tab = open_tab(qtbot, db)
    tab.set_view("teams")
    window = tab.open_roster(squad.team)
    tab.detach()
    assert not window.isVisible()
    tab.attach(make_context(db, today=TODAY))
    assert tab.view_key == "teams" and tab.model is tab.models["teams"] and tab.model.rowCount() == 1
    tab.set_view("volunteers")
    assert tab.model.rowCount() == 6 and tab.current_id() == tab.model.row_id(0)

"""The patrol tab's reads at `station` scale (2,000 volunteers, 9 teams, 12 routes, 3,000 shifts), each
cold (the first query after opening the database) and through the widget's model where that is cheap:
every list (义警, 义警队, 巡逻路线) as its first page and as a search, filled into the tab's
PatrolTableModel and read cell by cell, and its first row's detail shown in its pane, as the tab does on
selecting it (a team's members: 150 ms at city scale before issue 15, unmeasured); the roster grid of
the busiest team for the week and the month holding today, set into the grid's RosterModel and every
cell's rich text built; the busiest volunteer's detail, shown in his VolunteerPane. Target: <= 100 ms
each (<= 250 ms on the city, `make bench-city`).

Baseline, measured in the same run: the very same work on a copy of the same database without
planner statistics (sqlite_stat1 dropped) and without the patrol indexes migration 0008 added (on
memberships, leave, status history, route teams, templates, shift.template_id and patrol logs), as a
station would be had those never been made."""

from __future__ import annotations

import shutil
import sqlite3
import statistics
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt

from app.patrol import queries
from app.patrol.details import route_detail, team_detail, volunteer_detail
from app.patrol.grid import roster_grid
from db.engine import Database
from tests.bench.conftest import bench_scale, report
from ui.patrol.detail import PatrolDetail
from ui.patrol.models import PatrolTableModel, columns
from ui.patrol.roster_grid import period_of
from ui.patrol.roster_model import HTML_ROLE, RosterModel
from ui.patrol.tab import SHOW
from ui.patrol.volunteer_detail import VolunteerPane

ROUNDS = 7
TARGET_MS = {"station": 100, "city": 250}  # a list, a grid or a pane the officer switches to answers at once
SEARCHES = {"volunteers": "王", "teams": "彩虹", "routes": "路"}  # a surname, a team kind, a road on the route
FETCH = {"volunteers": queries.search_volunteers, "teams": queries.search_teams, "routes": queries.search_routes}
DETAIL = {"volunteers": lambda db, i, today: volunteer_detail(db, volunteer_id=i, today=today),
          "teams": lambda db, i, _today: team_detail(db, team_id=i),
          "routes": lambda db, i, _today: route_detail(db, route_id=i)}
# What migration 0008 indexed (its hlc indexes aside: sync reads them, these views do not).
PATROL_INDEXES = (
    "ix_volunteer_membership_team_id", "ix_volunteer_membership_volunteer_id", "ix_volunteer_leave_volunteer_id",
    "ix_volunteer_status_volunteer_id", "ix_route_team_route_id", "ix_route_team_team_id",
    "ix_shift_template_route_id", "ix_shift_template_team_id", "ix_shift_template_id",
    "ix_patrol_log_dispute_id", "ix_patrol_log_shift_id", "ix_patrol_log_volunteer_id",
)


def _strip(path: Path) -> None:
    """Back to the baseline: a closing connection may have analyzed tables again (PRAGMA optimize).
    Migration 0014's roster index goes too, the team index it replaced back."""
    conn = sqlite3.connect(path)
    try:
        for name in (*PATROL_INDEXES, "ix_shift_team_day"):
            conn.execute(f"DROP INDEX IF EXISTS {name}")
        conn.execute("CREATE INDEX IF NOT EXISTS ix_shift_team_id ON shift (team_id)")
        conn.execute("DROP TABLE IF EXISTS sqlite_stat1")
        conn.commit()
    finally:
        conn.close()


def _busiest(path: Path) -> tuple[str, str]:
    """The team with the most shifts and the volunteer with the most seats: the largest grid and pane."""
    conn = sqlite3.connect(path)
    try:
        team = conn.execute("SELECT team_id FROM shift WHERE deleted = 0 GROUP BY team_id "
                            "ORDER BY count(*) DESC, team_id LIMIT 1").fetchone()[0]
        volunteer = conn.execute("SELECT volunteer_id FROM shift_assignment WHERE deleted = 0 GROUP BY volunteer_id "
                                 "ORDER BY count(*) DESC, volunteer_id LIMIT 1").fetchone()[0]
        return team, volunteer
    finally:
        conn.close()


def _read_all(model) -> int:
    """Every cell as the view asks for it (display text; the grid's painter its rich text)."""
    role = HTML_ROLE if isinstance(model, RosterModel) else Qt.ItemDataRole.DisplayRole
    return sum(len(str(model.data(model.index(r, c), role) or ""))
               for r in range(model.rowCount()) for c in range(model.columnCount()))


def _list(view: str, text: str, today: date, pane: PatrolDetail) -> Callable[[Database], object]:
    def run(db: Database) -> int:
        fetch = FETCH[view]
        kw = {"today": today} if view == "volunteers" else {}
        model = PatrolTableModel(columns(view), lambda **k: fetch(db, **kw, **k), page_size=queries.PAGE_SIZE)
        model.set_filter(text)
        model.reload()
        assert model.rowCount() > 0
        detail = DETAIL[view](db, model.row_id(0), today)
        getattr(pane.panes[view], SHOW[view])(detail)
        return _read_all(model)
    return run


def _grid(team_id: str, mode: str, today: date) -> Callable[[Database], object]:
    start, end = period_of(today, mode)

    def run(db: Database) -> int:
        model = RosterModel()
        model.set_grid(roster_grid(db, team_id=team_id, start=start, end=end), today=today, compact=mode == "month")
        assert model.grid.shifts
        return _read_all(model)
    return run


def _detail(volunteer_id: str, today: date, pane: VolunteerPane) -> Callable[[Database], object]:
    def run(db: Database) -> int:
        detail = volunteer_detail(db, volunteer_id=volunteer_id, today=today)
        pane.show_volunteer(detail)
        assert detail.history
        return len(detail.history)
    return run


def _cold(path: Path, work: Callable[[Database], object]) -> float:
    db = Database.open(path)
    try:
        start = time.perf_counter()
        work(db)
        return time.perf_counter() - start
    finally:
        db.close()


def _spread(times: list[float]) -> str:
    ms = [t * 1000 for t in times]
    return f"{min(ms):7.1f} {statistics.median(ms):7.1f} {max(ms):7.1f}"


def test_every_patrol_view_answers_cold_within_the_target(qapp, station_db: Path, scratch: Path):
    baseline = scratch / "station-baseline.sqlite3"
    shutil.copy(station_db, baseline)
    today = date.today()
    team_id, volunteer_id = _busiest(station_db)
    pane, panes = VolunteerPane(), PatrolDetail()
    work: dict[str, Callable[[Database], object]] = {}
    for view, label in queries.VIEWS.items():
        work[f"{label} 首页"] = _list(view, "", today, panes)
        work[f"{label} 搜索“{SEARCHES[view]}”"] = _list(view, SEARCHES[view], today, panes)
    work["排班表 本周"] = _grid(team_id, "week", today)
    work["排班表 本月"] = _grid(team_id, "month", today)
    work["义警详情"] = _detail(volunteer_id, today, pane)
    ours: dict[str, list[float]] = {name: [] for name in work}
    base: dict[str, list[float]] = {name: [] for name in work}
    # Rounds interleave the two sides, so both meet the same machine load; within a round each
    # side has its own pass, so a slow baseline read does not slow the next of ours.
    for _ in range(ROUNDS):
        for name, run in work.items():
            ours[name].append(_cold(station_db, run))
        for name, run in work.items():
            _strip(baseline)
            base[name].append(_cold(baseline, run))
    report(f"patrol views, cold, ms min / median / max ({ROUNDS} rounds)", {
        name: f"ours {_spread(ours[name])}   baseline {_spread(base[name])}" for name in work})
    slow = {name: round(statistics.median(t) * 1000, 1) for name, t in ours.items()
            if statistics.median(t) * 1000 > TARGET_MS[bench_scale()]}
    assert slow == {}

"""一企一警 at `station` scale (2,500 enterprises with their inspections, rectifications, requests and hire
checks), each read cold (the first query after opening the database) and through the widget where
that is cheap: every view of the enterprise list (app.enterprises.queries.VIEWS) as its first page and
as a search, filled into the tab's EnterpriseTableModel and read cell by cell, its first enterprise's page
shown in the pane as the tab does on selecting it (target <= 100 ms, <= 250 ms on the city); the busiest
enterprise's page, shown in the EnterpriseDetailPane (the same); and the checklist form opening on it, from
reading the officers it offers to the form shown with its events processed
(ui/enterprises/checklist_form.py, Qt offscreen; target <= 150 ms).

Baseline, measured in the same run: the very same work on a copy of the same database without
planner statistics (sqlite_stat1 dropped) and without the indexes migration 0009 added (requests,
liaison assignments, notices and re-checks by enterprise, inspection and number; requests by due
day; hire checks by keeping day; checklists by category), as a station would be had those never
been made."""

from __future__ import annotations

import shutil
import sqlite3
import statistics
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.enterprises.queries import PAGE_SIZE, VIEWS, enterprise_page, officer_choices, search_enterprise_rows
from db.engine import Database
from tests.bench.conftest import bench_scale, report
from ui.enterprises.checklist_form import InspectionForm
from ui.enterprises.detail import EnterpriseDetailPane
from ui.enterprises.model import EnterpriseTableModel
from ui.enterprises.tab import EnterprisesTab

ROUNDS = 7
LIST_MS = {"station": 100, "city": 250}  # a list or a page the officer switches to answers at once
FORM_MS = 150  # the bound for opening the checklist form
SEARCH = "化工"  # what an officer types to find the chemical firms
INDEXES_0009 = (
    "ix_hire_check_keep_until", "ix_liaison_assignment_enterprise_id", "ix_enterprise_request_due_on",
    "ix_enterprise_request_enterprise_id", "ix_checklist_category", "ix_rectification_notice_enterprise_id",
    "ix_rectification_notice_inspection_id", "ix_rectification_notice_number", "ix_recheck_inspection_id",
    "ix_recheck_notice_id", "ix_recheck_number",
)
FORM = "检查表单 打开"


def _strip(path: Path) -> None:
    """Back to the baseline: a closing connection may have analyzed tables again (PRAGMA optimize)."""
    conn = sqlite3.connect(path)
    try:
        for name in INDEXES_0009:
            conn.execute(f"DROP INDEX IF EXISTS {name}")
        conn.execute("DROP TABLE IF EXISTS sqlite_stat1")
        conn.commit()
    finally:
        conn.close()


def _picks(path: Path) -> tuple[tuple[str, str, str], str]:
    """The enterprise with the most records (the longest page; a chemical firm: every checklist) and
    the officer with the most enterprises (the fullest 我包的企业)."""
    conn = sqlite3.connect(path)
    try:
        enterprise = conn.execute("""
            SELECT enterprise_id FROM (
                SELECT enterprise_id FROM inspection UNION ALL SELECT enterprise_id FROM rectification
                UNION ALL SELECT enterprise_id FROM enterprise_request UNION ALL SELECT enterprise_id FROM hire_check
                UNION ALL SELECT enterprise_id FROM liaison_visit)
            GROUP BY enterprise_id ORDER BY count(*) DESC, enterprise_id LIMIT 1""").fetchone()[0]
        name, category = conn.execute("SELECT name, category FROM enterprise WHERE id = ?", (enterprise,)).fetchone()
        officer = conn.execute("SELECT liaison_officer_id FROM enterprise WHERE deleted = 0 AND liaison_officer_id "
                               "IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1").fetchone()[0]
        return (enterprise, name, category), officer
    finally:
        conn.close()


def _list(tab: EnterprisesTab, view: str, text: str, today: date, officer_id: str,
          pane: EnterpriseDetailPane) -> Callable[[Database], object]:
    def run(db: Database) -> int:
        def fetch(**kwargs):
            return search_enterprise_rows(db, view=view, today=today, officer_id=officer_id, **kwargs)

        model = EnterpriseTableModel(tab.columns(), fetch, page_size=PAGE_SIZE)
        model.set_filter(text)
        model.reload()
        if model.rowCount():
            pane.show_page(enterprise_page(db, enterprise_id=model.row_id(0)))
        return sum(len(str(model.data(model.index(r, c), Qt.ItemDataRole.DisplayRole) or ""))
                   for r in range(model.rowCount()) for c in range(model.columnCount()))
    return run


def _detail(pane: EnterpriseDetailPane, enterprise_id: str) -> Callable[[Database], object]:
    def run(db: Database) -> int:
        page = enterprise_page(db, enterprise_id=enterprise_id)
        pane.show_page(page)
        assert page.inspections
        return len(page.inspections)
    return run


def _form(enterprise: tuple[str, str, str], today: date, officer_id: str) -> Callable[[Database], object]:
    """As ui/enterprises/flow.py opens it from the page shown: the officers offered, the form made (its
    checklists read), shown and its events processed."""
    enterprise_id, name, category = enterprise

    def run(db: Database) -> int:
        officers = [n for _id, n in officer_choices(db)]
        form = InspectionForm(db, enterprise_id=enterprise_id, name=name, category=category, officers=officers,
                              inspector=officers[0], officer_id=officer_id, today=today)
        form.show()
        QApplication.processEvents()
        assert len(form.tree.shown_categories()) == 5  # a chemical firm: every checklist
        return form
    return run


def _cold(path: Path, work: Callable[[Database], object]) -> float:
    db = Database.open(path)
    try:
        start = time.perf_counter()
        out = work(db)
        seconds = time.perf_counter() - start
        if isinstance(out, InspectionForm):  # closed untimed
            out.discard()
            out.deleteLater()
            QApplication.processEvents()
        return seconds
    finally:
        db.close()


def _spread(times: list[float]) -> str:
    ms = [t * 1000 for t in times]
    return f"{min(ms):7.1f} {statistics.median(ms):7.1f} {max(ms):7.1f}"


def test_every_enterprise_view_the_page_and_the_form_answer_cold(qapp, station_db: Path, scratch: Path):
    baseline = scratch / "station-baseline.sqlite3"
    shutil.copy(station_db, baseline)
    today = date.today()
    enterprise, officer_id = _picks(station_db)
    tab, pane = EnterprisesTab(), EnterpriseDetailPane()
    pane.today = lambda: today
    work: dict[str, Callable[[Database], object]] = {}
    for view, label in VIEWS.items():
        work[f"{label} 首页"] = _list(tab, view, "", today, officer_id, pane)
        work[f"{label} 搜索“{SEARCH}”"] = _list(tab, view, SEARCH, today, officer_id, pane)
    work["企业详情"] = _detail(pane, enterprise[0])
    work[FORM] = _form(enterprise, today, officer_id)
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
    report(f"enterprise views, cold, ms min / median / max ({ROUNDS} rounds)", {
        name: f"ours {_spread(ours[name])}   baseline {_spread(base[name])}" for name in work})
    slow = {name: round(statistics.median(t) * 1000, 1) for name, t in ours.items()
            if statistics.median(t) * 1000 > (FORM_MS if name == FORM else LIST_MS[bench_scale()])}
    assert slow == {}

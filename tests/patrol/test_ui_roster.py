"""The roster grid (routes x days, names, leader marked, short seats red), changes by hand from it (each
refused with the service's reason in its form), and generation: on a worker with progress and cancel,
then a preview (filled, short with reasons, per-person counts) that 保存排班 writes."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from sqlalchemy import func, select

from app.patrol.changes import assign
from app.patrol.schedule import make_shifts, shift_id_for
from db.models import ShiftAssignment
from tests.patrol.conftest import NEXT_MONDAY
from tests.patrol.test_ui_tab import open_tab
from ui.patrol.common import LEADER_MARK, SHORT_BG
from ui.patrol.preview_dialog import PreviewDialog
from ui.patrol.roster_forms import AssignForm, StandInForm, SwapForm

A = ShiftAssignment.__table__.c


def living_assignments(db) -> int:
    with db.connect() as conn:
        return conn.execute(select(func.count()).where(A.deleted.is_(False))).scalar()


@pytest.fixture
def week(db, squad) -> list[str]:
    """Next week's seven evening shifts of the squad (three each, a leader), none staffed yet."""
    make_shifts(db, start=NEXT_MONDAY, end=NEXT_MONDAY + timedelta(days=6), team_id=squad.team)
    return [shift_id_for(squad.template, NEXT_MONDAY + timedelta(days=d)) for d in range(7)]


def roster_at(qtbot, tab, squad, shift_id: str):
    opened = []
    tab.form_opened.connect(opened.append)
    tab.open_record("shift", shift_id)
    window = opened[-1]
    qtbot.addWidget(window)
    return window


def test_the_grid_shows_routes_by_days_names_the_leader_and_short_seats(qtbot, db, squad, week):
    assign(db, shift_id=week[0], volunteer_id=squad.leader)
    assign(db, shift_id=week[0], volunteer_id=squad.members[0])
    tab = open_tab(qtbot, db)
    window = roster_at(qtbot, tab, squad, week[0])
    model = window.model
    assert model.rowCount() == 1 and model.columnCount() == 7
    assert model.headerData(0, Qt.Orientation.Vertical) == "云栖里夜巡"
    assert model.headerData(0, Qt.Orientation.Horizontal).endswith("一")
    monday = model.index(0, 0)
    assert monday.data() == f"19:00-21:00\n{LEADER_MARK}钱小红\n孙建国\n缺1人"
    assert monday.data(Qt.ItemDataRole.BackgroundRole).color() == SHORT_BG
    assert model.index(0, 1).data().endswith("缺3人、缺小组长")
    top = window.cell.topLevelItem(0)
    assert top.text(1) == "缺1人" and top.child(0).text(0) == f"{LEADER_MARK}钱小红"

    window.mode.setCurrentIndex(window.mode.findData("month"))
    assert model.columnCount() >= 28 and model.index_of(week[0]).isValid()
    window.step(1)
    assert window.span()[0].day == 1


def test_assign_is_refused_with_the_reason_in_its_form_then_done(qtbot, db, squad, week):
    assign(db, shift_id=week[0], volunteer_id=squad.members[0])
    assign(db, shift_id=week[0], volunteer_id=squad.members[1])
    tab = open_tab(qtbot, db)
    window = roster_at(qtbot, tab, squad, week[0])
    form = window.assign()
    assert isinstance(form, AssignForm) and not form.save_button.isEnabled()
    form.pick(squad.members[2])
    form.save_button.click()
    assert form.message.isVisible() and "最后一个名额要留给小组长" in form.message.text()
    assert living_assignments(db) == 2
    form.pick(squad.leader)
    with qtbot.waitSignal(form.saved):
        form.save_button.click()
    assert window.model.index(0, 0).data().splitlines()[1] == f"{LEADER_MARK}钱小红"
    assert window.model.index(0, 0).data(Qt.ItemDataRole.BackgroundRole) is None  # full now


def test_remove_swap_stand_in_and_pin_from_the_grid(qtbot, db, squad, week):
    first = assign(db, shift_id=week[0], volunteer_id=squad.members[0])
    second = assign(db, shift_id=week[2], volunteer_id=squad.members[1])
    tab = open_tab(qtbot, db)
    window = roster_at(qtbot, tab, squad, week[0])

    window.select(week[0], first)
    swap = window.swap()
    assert isinstance(swap, SwapForm) and swap.choices.count() == 1
    swap.pick(second)
    with qtbot.waitSignal(swap.saved):
        swap.save_button.click()
    assert "李秀英" in window.model.index(0, 0).data() and "孙建国" in window.model.index(0, 2).data()

    window.select(week[0])
    seat = window.cell.topLevelItem(0).child(0).data(0, Qt.ItemDataRole.UserRole + 1)
    window.select(week[0], seat)
    stand_in = window.stand_in()
    assert isinstance(stand_in, StandInForm) and stand_in.choices.count() >= 1
    first_choice = stand_in.choices.item(0).text()
    assert "本周 0 班" in first_choice  # least loaded first
    stand_in.choices.setCurrentRow(0)
    with qtbot.waitSignal(stand_in.saved):
        stand_in.save_button.click()
    assert first_choice.split("　")[0] in window.model.index(0, 0).data()

    window.select(week[2])
    window.cell.setCurrentItem(window.cell.topLevelItem(0).child(0))
    assert window.actions["pin"].text() == "取消固定"  # a change by hand is pinned
    assert window.toggle_pin() and window.actions["pin"].text() == "固定"
    seat = window.chosen_assignment()
    before = living_assignments(db)
    assert window.remove(seat)
    assert living_assignments(db) == before - 1 and window.model.index(0, 2).data().endswith("缺3人、缺小组长")


def test_generation_runs_with_progress_shows_a_preview_and_saves_it(qtbot, db, squad, officer):
    tab = open_tab(qtbot, db, officer_id=officer)
    chooser = tab.open_generate(squad.team)
    assert chooser.team.currentData() == squad.team
    chooser.end.setDate(chooser.start.date().addDays(-1))
    assert "不能早于开始日期" in chooser.findChild(QLabel, "problem_end").text()
    assert not chooser.save_button.isEnabled()
    chooser.end.setDate(chooser.start.date().addDays(6))
    with qtbot.waitSignal(tab.roster_previewed, timeout=10000) as shown:
        chooser.save_button.click()
    preview = shown.args[0]
    assert isinstance(preview, PreviewDialog)
    p = preview.preview
    assert p.shifts == 7 and p.seats == 21 and p.filled == 12  # six people, two shifts a week each
    assert preview.short.count() == len(p.short) > 0
    reason = preview.short.item(0).text()
    assert "缺" in reason and "：" in reason and "云栖里夜巡" in reason
    counts = preview.counts
    assert counts.topLevelItemCount() == 6 and {counts.topLevelItem(n).text(1) for n in range(6)} == {"2"}
    summary = preview.summary_label.text()
    assert "已排 12 人次" in summary and "已按班次模板新建 7 个班次" in summary
    assert living_assignments(db) == 0  # nothing written before 保存
    with qtbot.waitSignal(preview.saved, timeout=10000):
        preview.save_button.click()
    assert living_assignments(db) == 12


def test_generation_can_be_cancelled_and_nothing_is_saved(qtbot, db, squad):
    from PySide6.QtWidgets import QMessageBox

    tab = open_tab(qtbot, db)
    op = tab.generate(squad.team, NEXT_MONDAY, NEXT_MONDAY + timedelta(days=27))
    tab.progress.cancel()  # 取消 on the progress dialog
    assert op.cancelled
    qtbot.waitUntil(lambda: any(isinstance(w, QMessageBox) and w.isVisible() for w in tab.findChildren(QMessageBox)))
    box = next(w for w in tab.findChildren(QMessageBox) if w.isVisible())
    assert "已取消排班生成" in box.text() and living_assignments(db) == 0


def test_generation_of_a_period_without_shifts_says_why(qtbot, db, team):
    from PySide6.QtWidgets import QMessageBox

    tab = open_tab(qtbot, db)
    tab.generate(team, NEXT_MONDAY, NEXT_MONDAY + timedelta(days=6))
    qtbot.waitUntil(lambda: any(isinstance(w, QMessageBox) and w.isVisible() for w in tab.findChildren(QMessageBox)))
    box = next(w for w in tab.findChildren(QMessageBox) if w.isVisible())
    assert "没有班次" in box.text()


def test_a_weeks_grid_reads_in_one_query_per_table(db, squad, week):
    """No N+1: a week's grid reads the shifts, then their people, then the routes."""
    from sqlalchemy import event

    from app.patrol.grid import roster_grid

    assign(db, shift_id=week[0], volunteer_id=squad.leader)
    statements = []
    engine = db.engine
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        grid = roster_grid(db, team_id=squad.team, start=NEXT_MONDAY, end=NEXT_MONDAY + timedelta(days=6))
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    assert len(grid.shifts) == 7 and len(statements) <= 3
    assert grid.shift(week[0]).people[0].as_leader and grid.shift(week[1]).leader_missing
    assert time(19) == grid.shift(week[1]).starts_at

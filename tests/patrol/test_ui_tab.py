"""The 义警巡逻 tab through its widgets: the three lists (paged, searched, sorted in SQL, numbers masked),
each record's detail (teams and roles, availability, leave, status history, shifts and totals), and
records opened from elsewhere (the 工作台's "shift", "volunteer", "volunteer_team")."""

from __future__ import annotations

from datetime import time, timedelta

from PySide6.QtCore import Qt

from app.patrol.attendance import confirm_shift, sign_in
from app.patrol.changes import assign
from app.patrol.points import volunteer_tallies
from app.patrol.schedule import ShiftValues, add_shift
from app.patrol.volunteers import add_leave, set_status
from tests.patrol.conftest import TODAY, volunteer_values
from tests.support.walk import click_row, search
from tests.support.window import make_context
from ui.patrol.common import DIM
from ui.patrol.tab import PatrolTab

YESTERDAY = TODAY - timedelta(days=1)


def open_tab(qtbot, db, *, officer_id=None, today=TODAY) -> PatrolTab:
    tab = PatrolTab()
    qtbot.addWidget(tab)
    tab.resize(1366, 700)
    tab.show()
    tab.attach(make_context(db, officer_id=officer_id, today=today))
    return tab


def served(db, squad, officer) -> str:
    """Yesterday's shift: the 小组长 leading and two members on it, signed in and confirmed."""
    shift = add_shift(db, values=ShiftValues(route_id=squad.route, team_id=squad.team, day=YESTERDAY,
                                             starts_at=time(19), ends_at=time(21), needed=3, needs_leader=True))
    seats = [assign(db, shift_id=shift, volunteer_id=v) for v in (squad.leader, *squad.members[:2])]
    sign_in(db, assignment_id=seats[0], attendance="present", how="leader", today=TODAY)
    sign_in(db, assignment_id=seats[1], attendance="late", how="paper", started=time(19, 30), today=TODAY)
    sign_in(db, assignment_id=seats[2], attendance="absent", how="paper", today=TODAY)
    confirm_shift(db, shift_id=shift, officer_id=officer, today=TODAY)
    return shift


def test_the_volunteers_list_is_searched_sorted_and_masked(qtbot, db, squad):
    tab = open_tab(qtbot, db)
    assert tab.model.rowCount() == 6 and tab.count_label.text() == "6 条"
    names = [tab.model.index(r, 0).data() for r in range(6)]
    assert names == sorted(names)
    first = tab.model._rows[0]
    assert "****" in first.phone and "*" * 8 in first.id_number  # masked as everywhere
    phone_column = next(c for c in range(tab.model.columnCount()) if tab.model.headerData(c, Qt.Orientation.Horizontal)
                        == "电话")
    assert tab.model.index(0, phone_column).data() == first.phone

    search(qtbot, tab, "孙建国")
    assert tab.model.rowCount() == 1 and tab.detail.volunteer.title.text().startswith("孙建国")
    tab.search.setText("云栖 快递员")  # every term must match: nobody has the skill
    tab._apply_search()
    assert tab.model.rowCount() == 0
    assert tab.detail.volunteer.title.text() == "未选择义警"
    search(qtbot, tab, "13800000002")  # by the full phone number, though shown masked
    assert tab.model.rowCount() == 1

    tab.search.clear()
    tab._apply_search()
    tab.table.horizontalHeader().sectionClicked.emit(0)  # 姓名 again: descending
    assert [tab.model.index(r, 0).data() for r in range(6)] == sorted(names, reverse=True)


def test_a_volunteer_shows_his_teams_availability_leave_history_shifts_and_totals(qtbot, db, squad, officer):
    served(db, squad, officer)
    add_leave(db, volunteer_id=squad.leader, starts_on=TODAY + timedelta(days=3), ends_on=TODAY + timedelta(days=5),
              reason="出差")
    tab = open_tab(qtbot, db, officer_id=officer)
    tab.open_record("volunteer", squad.leader)
    pane = tab.detail.volunteer
    assert tab.current_id() == squad.leader and pane.title.text().startswith("钱小红")
    assert pane.teams.topLevelItem(0).text(0) == "云栖义警队" and pane.teams.topLevelItem(0).text(1) == "小组长"
    assert pane.cells["3e"].text() == "●" and pane.cells["3m"].text() == "·"
    assert pane.leaves.topLevelItem(0).text(2) == "出差"
    assert pane.statuses.topLevelItem(0).text(0) == "在队"
    assert pane.history.topLevelItemCount() == 1 and "★" in pane.history.topLevelItem(0).text(0)
    tally = next(t for t in volunteer_tallies(db) if t.id == squad.leader)
    totals = tab.detail.volunteer.detail.totals
    assert (totals.hours, totals.points, totals.stars) == (tally.hours, tally.points, tally.stars)
    assert f"服务 {tally.hours:g} 小时" in pane.totals.text() and f"积分 {tally.points:g}" in pane.totals.text()
    assert "****" in pane.fields["phone"].text()
    pane.reveal_button.click()
    assert pane.fields["phone"].text() == volunteer_values(1).phone  # shown in full, and logged


def test_a_volunteer_paused_is_grey_and_his_status_history_kept(qtbot, db, squad):
    set_status(db, volunteer_id=squad.members[0], status="paused", since=TODAY, reason="身体原因")
    tab = open_tab(qtbot, db)
    row = tab.model.row_of(squad.members[0])
    assert tab.model.index(row, 0).data(Qt.ItemDataRole.ForegroundRole).color() == DIM
    click_row(tab.table, row)
    statuses = tab.detail.volunteer.statuses
    assert [statuses.topLevelItem(n).text(0) for n in range(2)] == ["暂停", "在队"]


def test_the_teams_and_routes_views_show_members_roles_routes_and_templates(qtbot, db, squad):
    tab = open_tab(qtbot, db)
    tab.view.setCurrentIndex(tab.view.findData("teams"))
    assert tab.view_key == "teams" and tab.model.rowCount() == 1
    assert tab.model.index(0, 0).data() == "云栖义警队" and tab.model.index(0, 4).data() == "6"
    pane = tab.detail.team
    assert pane.members.topLevelItemCount() == 6
    assert [pane.members.topLevelItem(n).text(1) for n in range(2)] == ["队长", "小组长"]
    assert "云栖里夜巡" in pane.routes.text() and pane.templates.topLevelItem(0).text(2) == "19:00-21:00"
    assert tab.search.placeholderText().startswith("搜索 队名")

    tab.view.setCurrentIndex(tab.view.findData("routes"))
    assert tab.model.index(0, 0).data() == "云栖里夜巡" and tab.model.index(0, 3).data() == "云栖义警队"
    assert tab.detail.route.fields["waypoints"].text() == "云栖里东门 → 文化广场"
    search(qtbot, tab, "文化广场")
    assert tab.model.rowCount() == 1

    tab.open_record("volunteer_team", squad.team)
    assert tab.view_key == "teams" and tab.current_id() == squad.team


def test_a_shift_opened_from_the_worklist_opens_its_sign_in_or_its_place_in_the_roster(qtbot, db, squad):
    past = add_shift(db, values=ShiftValues(route_id=squad.route, team_id=squad.team, day=YESTERDAY,
                                            starts_at=time(19), ends_at=time(21), needed=3, needs_leader=True))
    coming = add_shift(db, values=ShiftValues(route_id=squad.route, team_id=squad.team, day=TODAY + timedelta(days=2),
                                              starts_at=time(19), ends_at=time(21), needed=3, needs_leader=True))
    tab = open_tab(qtbot, db)
    opened = []
    tab.form_opened.connect(opened.append)
    tab.open_record("shift", past)
    assert type(opened[-1]).__name__ == "ShiftSignInForm" and opened[-1].shift_id == past
    tab.open_record("shift", coming)
    window = opened[-1]
    assert type(window).__name__ == "RosterWindow" and window.chosen_shift().id == coming


def test_lists_refresh_when_another_window_saves(qtbot, db, squad):
    from app.patrol.volunteers import add_volunteer
    from ui.widgets.ops import changes

    tab = open_tab(qtbot, db)
    add_volunteer(db, team_id=squad.team, values=volunteer_values(20))
    changes.announce("volunteer", source=None)
    assert tab.model.rowCount() == 7

"""The patrol forms, opened from the tab: checked as typed with the reason next to the field, nothing
invalid saved, a service's refusal said in the form; then saved and shown in the list."""

from __future__ import annotations

from datetime import date, time, timedelta

from PySide6.QtCore import Qt, QTime
from PySide6.QtWidgets import QLabel

from app.patrol.details import volunteer_detail
from app.patrol.queries import route_values, search_teams
from tests.patrol.conftest import TODAY, id_number
from tests.patrol.test_ui_tab import open_tab
from tests.support.walk import take_forms, type_text
from ui.patrol.common import q_date


def problem(form, name: str) -> str:
    label = form.findChild(QLabel, f"problem_{name}")
    return label.text() if label is not None and label.isVisible() else ""


def test_a_volunteer_form_checks_the_id_as_typed_warns_of_age_and_refuses_a_second_record(qtbot, db, squad):
    tab = open_tab(qtbot, db)
    tab.view.setCurrentIndex(tab.view.findData("teams"))
    form = take_forms(tab, tab.detail.team.add_member_button)
    assert form.team.currentData() == squad.team and not form.save_button.isEnabled()
    type_text(form.name, "林小华")
    type_text(form.id_number, "33010619850501001")  # 17 digits
    assert "18位" in problem(form, "id_number") and not form.save_button.isEnabled()
    form.id_number.setText(id_number(0))  # the captain's number: one person, one record
    assert "已登记为义警：赵大勇" in problem(form, "id_number")
    form.id_number.setText(id_number(40, born=date(1950, 3, 1), male=False))
    assert problem(form, "id_number") == "" and form.derived.text().startswith("女，")
    assert form.warning.isVisible() and "不在 18-65 岁之间" in form.warning.text()
    form.id_number.setText(id_number(41))
    assert not form.warning.isVisible() and form.derived.text().startswith("男，")
    form.phone.setText("123")
    assert problem(form, "phone") and not form.save_button.isEnabled()
    form.phone.setText("13912345678")
    form.skills["外卖员"].setChecked(True)
    form.trained_on.setDate(q_date(TODAY + timedelta(days=1)))
    assert "不能晚于今天" in problem(form, "trained_on")
    form.trained_on.setDate(q_date(TODAY - timedelta(days=10)))
    form.availability.evenings.setChecked(True)
    form.availability.boxes["6m"].setChecked(True)
    form.weekly_cap.setValue(3)
    assert form.save_button.isEnabled()
    with qtbot.waitSignal(form.saved) as saved:
        form.save_button.click()
    shown = tab.detail.volunteer.detail
    assert tab.view_key == "volunteers" and shown.row.id == saved.args[0] and shown.row.name == "林小华"
    assert shown.availability == frozenset({f"{d}e" for d in range(1, 8)} | {"6m"})
    assert shown.skills == ("外卖员",) and shown.row.weekly_cap == 3 and shown.teams[0][0] == squad.team


def test_editing_a_volunteer_keeps_his_values_and_saves_the_change(qtbot, db, squad):
    tab = open_tab(qtbot, db)
    tab.open_record("volunteer", squad.members[0])
    form = tab.edit_record()
    assert form.name.text() == "孙建国" and form.availability.tokens() == frozenset(f"{d}e" for d in range(1, 8))
    assert form.save_button.isEnabled() and not form.has_unsaved()
    form.availability.boxes["1e"].setChecked(False)
    with qtbot.waitSignal(form.saved):
        form.save_button.click()
    assert "1e" not in volunteer_detail(db, volunteer_id=squad.members[0]).availability


def test_leave_status_and_membership_forms(qtbot, db, squad, team):
    from app.patrol.teams import TeamValues, save_team

    other = save_team(db, values=TeamValues(name="新城义警队"))
    tab = open_tab(qtbot, db)
    tab.open_record("volunteer", squad.members[0])
    leave = tab.open_leave()
    leave.ends_on.setDate(q_date(TODAY - timedelta(days=1)))
    leave.starts_on.setDate(q_date(TODAY))
    leave.submit()
    assert "不能早于开始日期" in problem(leave, "ends_on") and not leave.save_button.isEnabled()
    leave.ends_on.setDate(q_date(TODAY + timedelta(days=2)))
    type_text(leave.reason, "出差")
    with qtbot.waitSignal(leave.saved):
        leave.save_button.click()
    assert tab.detail.volunteer.leaves.topLevelItem(0).text(2) == "出差"

    status = tab.open_status()
    assert status.status.currentData() == "paused"
    with qtbot.waitSignal(status.saved):
        status.save_button.click()
    assert tab.detail.volunteer.detail.row.status == "paused"

    join = tab.open_membership(None)
    assert join.team.findData(team) == -1 and join.team.findData(other) > 0  # not his own team again
    assert "请选择义警队" in join.problems().get("team", "")
    join.team.setCurrentIndex(join.team.findData(other))
    join.role.setCurrentIndex(join.role.findData("deputy"))
    with qtbot.waitSignal(join.saved):
        join.save_button.click()
    teams = tab.detail.volunteer.detail.teams
    assert (other, "新城义警队", "deputy", False) in teams

    tab.detail.volunteer.teams.setCurrentItem(tab.detail.volunteer.teams.topLevelItem(1))
    assert tab.leave_team(other, volunteer_id=squad.members[0])
    assert len(tab.detail.volunteer.detail.teams) == 1
    assert not tab.leave_team(team, volunteer_id=squad.members[0])  # his only team: refused, said in a box


def test_team_and_route_forms(qtbot, db, squad, community):
    tab = open_tab(qtbot, db)
    tab.view.setCurrentIndex(tab.view.findData("teams"))
    form = tab.new_record()
    form.submit()
    assert problem(form, "name") == "请填写队名"
    type_text(form.name, "海棠义警队")
    form.kind.setCurrentIndex(form.kind.findData("school"))
    form.community.setCurrentIndex(form.community.findData(community))
    form.group_size.setValue(4)
    with qtbot.waitSignal(form.saved) as saved:
        form.save_button.click()
    assert tab.current_id() == saved.args[0] and tab.detail.team.fields["kind"].text() == "专项：护校 / 阳光社区"
    team_id = saved.args[0]

    route = take_forms(tab, tab.detail.team.new_route_button)
    type_text(route.name, "实验小学护学岗")
    route.kind.setCurrentIndex(route.kind.findData("school"))
    route.waypoints.setPlainText("南门\n北门")
    route.minutes.setValue(5)
    assert "10分钟" in problem(route, "minutes")
    route.minutes.setValue(60)
    with qtbot.waitSignal(route.saved) as saved:
        route.save_button.click()
    values, teams = route_values(db, route_id=saved.args[0])
    assert values.waypoints == ("南门", "北门") and teams == (team_id,)
    assert tab.view_key == "routes" and tab.detail.route.fields["teams"].text() == "海棠义警队"

    edit = tab.edit_record()
    for row in range(edit.teams.count()):
        edit.teams.item(row).setCheckState(Qt.CheckState.Unchecked)
    assert problem(edit, "teams") == "请至少选择一个负责巡逻的义警队" and not edit.save_button.isEnabled()
    assert {t.name for t in search_teams(db)} == {"海棠义警队", "云栖义警队"}


def test_template_and_one_off_shift_forms_hold_the_teams_group_rule(qtbot, db, squad):
    from app.patrol.queries import template_values

    tab = open_tab(qtbot, db)
    tab.view.setCurrentIndex(tab.view.findData("teams"))
    form = tab.open_template(None, team_id=squad.team)
    assert form.route.count() == 2  # 请选择… and the team's one route
    form.route.setCurrentIndex(1)
    form.submit()
    assert problem(form, "weekdays") == "请至少选择一天"
    for box in form.weekdays[5:]:
        box.setChecked(True)
    form.headcount.setValue(2)
    assert "至少3人" in problem(form, "headcount")
    form.headcount.setValue(4)
    form.needs_leader.setChecked(False)
    assert "设小组长" in problem(form, "needs_leader")
    form.needs_leader.setChecked(True)
    form.starts_at.setTime(QTime(8, 0))
    form.ends_at.setTime(QTime(8, 0))
    assert "不能与开始时间相同" in problem(form, "ends_at")
    form.ends_at.setTime(QTime(10, 0))
    with qtbot.waitSignal(form.saved) as saved:
        form.save_button.click()
    values = template_values(db, template_id=saved.args[0])
    assert values.weekdays == (6, 7) and values.starts_at == time(8) and values.headcount == 4
    assert tab.detail.team.templates.topLevelItemCount() == 2

    shift = tab.new_shift(squad.team, TODAY + timedelta(days=3))
    shift.route.setCurrentIndex(1)
    shift.notes.setText("中考护学")
    opened = []
    tab.form_opened.connect(opened.append)
    with qtbot.waitSignal(shift.saved) as saved:
        shift.save_button.click()
    roster = opened[-1]
    assert type(roster).__name__ == "RosterWindow" and roster.chosen_shift().id == saved.args[0]
    assert roster.chosen_shift().starts_at == time(7, 30)


def test_a_form_closed_with_input_asks_and_an_unsaved_tab_can_refuse_to_close(qtbot, db, squad, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    tab = open_tab(qtbot, db)
    form = tab.new_volunteer(squad.team)
    type_text(form.name, "林")
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a) or QMessageBox.StandardButton.Cancel)
    assert not tab.can_close() and asked
    assert tab.new_volunteer(squad.team) is form  # one form per record: raised again
    form.discard()


"""Sign-in of a day's shifts in a few clicks: the day's list, a shift's form (everyone present at once,
the exceptions by hand, times checked as typed), 保存并确认; the patrol log with a 矛盾纠纷 registered
from it, prefilled; and the two printed sheets through the print preview."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from PySide6.QtWidgets import QLabel

from app.patrol.attendance import findings, sign_ins
from app.patrol.changes import assign
from app.patrol.schedule import ShiftValues, add_shift
from tests.patrol.conftest import TODAY
from tests.patrol.test_ui_tab import open_tab
from ui.patrol.sign_in import DaySignInWindow
from ui.patrol.sign_in_form import ShiftSignInForm

YESTERDAY = TODAY - timedelta(days=1)


@pytest.fixture
def yesterday(db, squad) -> str:
    """Yesterday's 19:00-21:00 shift with the 小组长 and two members on it, not signed in."""
    shift = add_shift(db, values=ShiftValues(route_id=squad.route, team_id=squad.team, day=YESTERDAY,
                                             starts_at=time(19), ends_at=time(21), needed=3, needs_leader=True))
    for volunteer in (squad.leader, *squad.members[:2]):
        assign(db, shift_id=shift, volunteer_id=volunteer)
    return shift


def rows_message(form) -> str:
    label = form.findChild(QLabel, "problem_rows")
    return label.text() if label.isVisible() else ""


def test_a_day_is_signed_in_and_confirmed_in_a_few_clicks(qtbot, db, squad, yesterday, officer):
    tab = open_tab(qtbot, db, officer_id=officer)
    opened = []
    tab.form_opened.connect(opened.append)
    tab.sign_in_button.click()
    day = opened[-1]
    assert isinstance(day, DaySignInWindow)
    day.go_to(YESTERDAY)
    assert day.shifts.topLevelItemCount() == 1 and day.shifts.topLevelItem(0).text(4) == "待签到"
    assert day.shifts.topLevelItem(0).text(0) == "19:00-21:00 云栖里夜巡"
    day.open_button.click()
    form = opened[-1]
    assert isinstance(form, ShiftSignInForm) and form.table.rowCount() == 3
    assert form.table.item(0, 0).text() == "★钱小红"

    form.mark_all_present()  # click 1
    form.set_row(1, "late", how="paper", started="1930")
    assert "时间请写成" in rows_message(form) and not form.save_button.isEnabled()
    form.set_row(1, "late", how="paper", started="18:50")
    assert "迟到的签到时间应晚于班次开始时间 19:00" in rows_message(form)
    form.set_row(1, "late", how="paper", started="19:30")
    form.set_row(2, "absent")
    assert form.rows[2]["how"].currentData() == "leader" and not form.rows[2]["started"].isEnabled()
    assert form.table.item(1, 5).text() == "1.5" and form.table.item(2, 5).text() == "0"
    with qtbot.waitSignal(form.saved):
        form.confirm_button.click()  # click 2: 保存并确认
    lines = {line.name: line for line in sign_ins(db, shift_id=yesterday)}
    assert lines["钱小红"].attendance == "present" and lines["钱小红"].how == "leader"
    assert lines["孙建国"].attendance == "late" and lines["孙建国"].hours == 1.5
    assert lines["李秀英"].attendance == "absent"
    assert day.shifts.topLevelItem(0).text(4).startswith("已确认") and "王警官" in day.shifts.topLevelItem(0).text(4)

    again = tab.open_sign_in(yesterday)
    assert not again.save_button.isEnabled() and "已确认" in rows_message(again) and again.unconfirm_button.isVisible()
    again.unconfirm()
    assert again.save_button.isEnabled() and not again.unconfirm_button.isVisible()


def test_a_future_shift_cannot_be_signed_in(qtbot, db, squad):
    coming = add_shift(db, values=ShiftValues(route_id=squad.route, team_id=squad.team, day=TODAY + timedelta(days=1),
                                              starts_at=time(19), ends_at=time(21), needed=3, needs_leader=False))
    assign(db, shift_id=coming, volunteer_id=squad.members[0])
    tab = open_tab(qtbot, db)
    form = tab.open_sign_in(coming)
    assert "班次还没到" in rows_message(form) and not form.save_button.isEnabled()


def test_a_dispute_found_on_patrol_opens_the_registration_prefilled_and_is_linked(qtbot, db, squad, yesterday,
                                                                                 officer):
    from tests.disputes.test_ui import fill_register_form
    from ui.disputes.register_form import RegisterForm

    tab = open_tab(qtbot, db, officer_id=officer)
    form = tab.open_sign_in(yesterday)
    form.add_finding()
    assert form.log_message.isVisible() and "请填写发现的情况" in form.log_message.text()
    form.finding_kind.setCurrentIndex(form.finding_kind.findData("dispute"))
    form.finding_by.setCurrentIndex(form.finding_by.findText("孙建国"))
    form.finding_text.setText("文化广场两位摊主因占道争吵，情绪激动。")
    finding = form.add_finding()
    assert finding and form.log.topLevelItem(0).text(3) == "未登记" and form.dispute_button.isEnabled()
    opened = []
    tab.form_opened.connect(opened.append)
    created = []
    tab.dispute_created.connect(created.append)
    form.dispute_button.click()
    register = opened[-1]
    assert isinstance(register, RegisterForm)
    assert register.facts.toPlainText() == "文化广场两位摊主因占道争吵，情绪激动。"
    assert register.place.text() == "云栖里夜巡"
    assert register.occurred_at.dateTime().toPython().date() == YESTERDAY
    fill_register_form(register)
    with qtbot.waitSignal(register.saved):
        register.save_button.click()
    assert created and findings(db, shift_id=yesterday)[0].dispute_id == created[0]
    assert form.log.topLevelItem(0).text(3) == "已登记" and not form.dispute_button.isEnabled()


def test_the_roster_and_sign_in_sheets_print_through_the_preview(qtbot, db, squad, yesterday):
    """The real documents (app.patrol.roster_pdf, app.patrol.sign_in_pdf) in the program's print preview."""
    from ui.widgets.print_preview import PdfPreviewDialog

    tab = open_tab(qtbot, db)
    previews = []
    tab.preview_opened.connect(previews.append)
    tab.open_record("volunteer_team", squad.team)
    tab.print_roster(tab.current_team_id(), YESTERDAY - timedelta(days=YESTERDAY.weekday()),
                     YESTERDAY - timedelta(days=YESTERDAY.weekday()) + timedelta(days=6))
    day = tab.open_day(YESTERDAY)
    day.print_button.click()
    assert len(previews) == 2 and all(isinstance(p, PdfPreviewDialog) for p in previews)
    qtbot.waitUntil(lambda: all(p.page_count() >= 1 for p in previews))
    assert "排班表" in previews[0].windowTitle() and "签到表" in previews[1].windowTitle()
    for preview in previews:
        preview.close()

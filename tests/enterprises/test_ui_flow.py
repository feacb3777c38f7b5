"""The rectification flow through the tab: a failed inspection -> 责令限期整改通知书 (printed with its stub)
-> delivered -> items reported put right -> 复查 -> 复查通过, or after the deadline -> 转执法办案; moves the
flow does not allow are refused in the form with the service's reason. And the year view."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from app.enterprises.notices import flow_state
from tests.enterprises.conftest import INSPECTED, TODAY
from tests.support.window import make_context
from ui.enterprises.tab import EnterprisesTab


class Day:
    """The day the tab works on, moved by the test."""

    def __init__(self) -> None:
        self.value = TODAY

    def __call__(self):
        return self.value


@pytest.fixture
def day():
    return Day()


@pytest.fixture
def tab(qtbot, db, officer, second_officer, failed_inspection, day):
    tab = EnterprisesTab()
    qtbot.addWidget(tab)
    tab.resize(1366, 690)
    tab.show()
    tab.attach(make_context(db, officer_id=officer, today=day))
    tab.open_record("inspection", failed_inspection)
    return tab


def problem(form, name: str) -> str:
    label = form.findChild(QLabel, f"problem_{name}")
    return label.text() if label is not None and label.isVisible() else ""


def opened(qtbot, tab, button):
    with qtbot.waitSignal(tab.form_opened) as shown:
        button.click()
    form = shown.args[0]
    qtbot.addWidget(form, before_close_func=lambda f: f.discard() if hasattr(f, "discard") else None)
    return form


def previewed(qtbot, tab, click):
    with qtbot.waitSignal(tab.previewing) as shown:
        click()
    preview = shown.args[0]
    qtbot.addWidget(preview)
    return preview


def test_notice_printed_with_its_stub_then_put_right_and_rechecked(qtbot, db, tab, failed_inspection):
    pane = tab.detail
    assert pane.selected("inspection") == [failed_inspection] and pane.notice_button.isEnabled()

    notice = opened(qtbot, tab, pane.notice_button)
    assert notice.issuer.text() == "王警官" and notice.addressee.text() == "杭州恒信化工有限公司"
    assert notice.deadline.date().toPython() == TODAY + timedelta(days=15)  # the items' own have passed
    notice.issued_on.setDate(notice.issued_on.date().addDays(-41))
    assert problem(notice, "issued_on") == "下发日期不能早于检查日期" and not notice.save_button.isEnabled()
    notice.issued_on.setDate(notice.issued_on.date().addDays(41))
    notice.delivered.setChecked(True)
    assert problem(notice, "receiver") == "当场送达的，请填写签收人"  # one line for the row
    notice.delivered.setChecked(False)
    preview = previewed(qtbot, tab, notice.print_button.click)
    assert preview.page_count() == 2  # the notice, and its stub kept at the station
    assert preview.audit[0] == "rectification_notice" and preview.audit[2] == "责令限期整改通知书"
    assert flow_state(db, inspection_id=failed_inspection) == "rectifying"
    assert pane.selected("inspection") == [failed_inspection]
    assert not pane.notice_button.isEnabled() and pane.recheck_button.isEnabled() and pane.deliver_button.isEnabled()
    assert "尚未登记送达" in pane.flow_note.text()
    number = pane.current_inspection().notice_number

    # A second notice for the same inspection is refused by the service, in the form.
    again = tab.flow.open_notice(failed_inspection)
    qtbot.addWidget(again, before_close_func=lambda f: f.discard())
    again.save_button.click()
    assert again.isVisible() and again.message.text() == f"该检查已下发整改通知书（编号 {number}），不能重复下发"
    again.discard()

    deliver = opened(qtbot, tab, pane.deliver_button)
    deliver.receiver.setText("周建国")
    with qtbot.waitSignal(deliver.saved):
        deliver.save_button.click()
    assert "已送达" in pane.flow_note.text() and not pane.deliver_button.isEnabled()

    # Re-checked before anything was put right: 复查通过 and 转执法办案 are both refused, with the reason.
    recheck = opened(qtbot, tab, pane.recheck_button)
    assert recheck.first.currentText() == "王警官"
    recheck.second.setEditText("李警官")
    assert recheck.outcome.currentData() == "enforcement" and "逾期未整改" in recheck.opinion.toPlainText()
    recheck.save_button.click()
    deadline = TODAY + timedelta(days=15)
    assert recheck.message.text() == f"改正期限（{deadline.isoformat()}）未过，尚不能判为逾期未改"
    recheck.outcome.setCurrentIndex(recheck.outcome.findData("passed"))
    recheck.save_button.click()
    assert recheck.message.text().startswith("还有2项未整改到位（值班制度落实，有值班记录：夜间值班记录缺失）")
    recheck.discard()

    # The enterprise reports both problems put right.
    rectifications = pane.trees["rectification"]
    for _ in range(2):  # the open ones are listed first
        pane.open_page("rectification")
        rectifications.setCurrentItem(rectifications.topLevelItem(0))
        done = opened(qtbot, tab, pane.done_button)
        done.done_on.setDate(done.done_on.date().addDays(1))
        assert problem(done, "done_on") == "整改日期不能晚于今天"
        done.done_on.setDate(done.done_on.date().addDays(-1))
        with qtbot.waitSignal(done.saved):
            done.save_button.click()
    assert {rectifications.topLevelItem(n).text(1) for n in range(2)} == {"已报整改，待复查"}

    pane.open_page("inspection")
    assert pane.selected("inspection") == [failed_inspection]
    recheck = opened(qtbot, tab, pane.recheck_button)
    recheck.second.setEditText("李警官")
    assert recheck.outcome.currentData() == "passed"
    assert recheck.opinion.toPlainText() == "经复查，上述隐患均已整改到位。"
    preview = previewed(qtbot, tab, recheck.print_button.click)
    assert preview.audit[2] == "复查意见书" and preview.page_count() == 1
    assert flow_state(db, inspection_id=failed_inspection) == "recheck_passed"
    assert pane.current_inspection().state_label == "复查通过" and "复查通过" in pane.flow_note.text()
    assert not pane.recheck_button.isEnabled()
    assert {pane.trees["rectification"].topLevelItem(n).text(1) for n in range(2)} == {"整改到位"}

    # Every document of the inspection prints from the pane.
    for kind, document in (("inspection", "安全检查记录"), ("notice", "责令限期整改通知书"), ("recheck", "复查意见书")):
        preview = previewed(qtbot, tab, pane.print_actions[kind].trigger)
        assert preview.audit[2] == document


def test_not_put_right_after_the_deadline_goes_to_enforcement(qtbot, db, tab, day, failed_inspection):
    pane = tab.detail
    notice = opened(qtbot, tab, pane.notice_button)
    notice.deadline.setDate(notice.issued_on.date().addDays(5))
    with qtbot.waitSignal(notice.saved):
        notice.save_button.click()
    day.value = TODAY + timedelta(days=6)  # the deadline has passed
    tab.day_turned(day.value)
    assert pane.selected("inspection") == [failed_inspection]
    recheck = opened(qtbot, tab, pane.recheck_button)
    assert recheck.rechecked_on.date().toPython() == day.value
    recheck.second.setEditText("李警官")
    recheck.fixed.item(0).setCheckState(Qt.CheckState.Checked)  # one put right, one not
    assert recheck.outcome.currentData() == "enforcement"
    assert recheck.opinion.toPlainText() == "经复查，录像保存不少于30天：录像仅保存7天逾期未整改。"
    with qtbot.waitSignal(recheck.saved):
        recheck.save_button.click()
    assert flow_state(db, inspection_id=failed_inspection) == "enforcement"
    assert pane.current_inspection().state_label == "逾期未改，已转执法办案"


def test_the_record_opens_on_screen_and_the_year_view_counts_it(qtbot, db, tab, failed_inspection, enterprise):
    pane = tab.detail
    record = opened(qtbot, tab, pane.record_button)
    assert record.items.topLevelItemCount() == 4 and record.items.topLevelItem(0).text(3) == "不合格"
    preview = previewed(qtbot, tab, record.print_button.click)
    assert preview.audit == ("inspection", failed_inspection, "安全检查记录")

    dialog = opened(qtbot, tab, tab.year_button)
    with qtbot.waitSignal(dialog.loaded, timeout=5000):
        dialog.year.setValue(INSPECTED.year - 1)
    with qtbot.waitSignal(dialog.loaded, timeout=5000):
        dialog.year.setValue(INSPECTED.year)
    assert dialog.figures["inspections"].text() == "1" and dialog.figures["items_failed"].text() == "2"
    assert dialog.by_enterprise.topLevelItemCount() == 1
    assert dialog.candidates.topLevelItemCount() == 0  # two problems overdue: not a candidate
    tab.open_record("enterprise", enterprise)

"""The 矛盾纠纷 tab end to end: register -> mediate -> agreement -> print -> schedule revisit -> due."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import QDateTime, Qt
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QLabel
from sqlalchemy import select

from app.disputes.revisits import reminders
from db.models import AuditEntry, Dispute
from tests.support.disputes import NOW, TODAY, add_dispute, register
from tests.support.window import make_context
from ui.disputes.model import HIGH_BG
from ui.disputes.tab import DisputesTab


def open_tab(qtbot, db, *, today=TODAY, officer_id=None) -> DisputesTab:
    tab = DisputesTab()
    qtbot.addWidget(tab)
    tab.resize(1300, 800)
    tab.show()
    tab.attach(make_context(db, officer_id=officer_id, today=today))
    return tab


def fill_register_form(form) -> None:
    form.source.setCurrentIndex(form.source.findData("walk_in"))
    form.kind.setCurrentIndex(form.kind.findData("neighbour"))
    form.occurred_at.setDateTime(QDateTime.currentDateTime().addSecs(-3600))
    form.place.setText("阳光花园3栋2单元")
    form.facts.setPlainText("张三反映楼上李四家夜间噪音扰民，李四扬言报复。")
    applicant, respondent = form.editors
    applicant.name.setText("张三")
    applicant.phone.setText("13800138000")
    applicant.id_number.setText("11010519491231002X")
    applicant.address.setText("阳光花园3栋2单元401室")
    respondent.name.setText("李四")
    respondent.gender.setCurrentIndex(respondent.gender.findData("男"))
    respondent.address.setText("阳光花园3栋2单元501室")


def test_the_whole_follow_up_from_registration_to_a_due_revisit(qtbot, db, officer, tmp_path):
    tab = open_tab(qtbot, db, officer_id=officer)
    assert tab.model.rowCount() == 0 and tab.detail.title.text() == "未选择纠纷"

    # 1. Register: checked as typed, Save only when valid, warnings from the facts shown live.
    form = tab.register()
    assert not form.save_button.isEnabled() and "尚不能保存" in form.summary.text()
    fill_register_form(form)
    form.editors[0].phone.setText("12345")
    assert form.editors[0].messages["phone"].isVisible() and not form.save_button.isEnabled()
    form.editors[0].phone.setText("13800138000")
    assert form.save_button.isEnabled() and not form.editors[0].messages["phone"].isVisible()
    # A threat in the facts raises the level; set lower, it wants a reason before it saves.
    assert "报复" in form.warnings.text() and form.risk.currentData() == "high" and form.risk_hint.text() == ""
    form.risk.setCurrentIndex(form.risk.findData("low"))
    assert form.risk_hint.text() == "程序建议：高" and not form.save_button.isEnabled()
    assert "写明理由" in form.findChild(QLabel, "problem_risk_reason").text()
    form.risk.setCurrentIndex(form.risk.findData("high"))
    assert form.save_button.isEnabled() and form.risk_reason.isHidden()
    with qtbot.waitSignal(form.saved) as saved:
        form.save_button.click()
    registered = saved.args[0]
    assert tab.model.rowCount() == 1 and tab.current_id == registered.id
    assert tab.detail.title.text() == f"{registered.number}　邻里" and "报复" in tab.detail.warnings.text()
    risk_cell = tab.model.index(0, 0)
    assert risk_cell.data() == "高 ⚠" and risk_cell.data(Qt.ItemDataRole.BackgroundRole).color() == HIGH_BG

    # 2. Mediate: a session moves the dispute into mediation.
    session = tab.open_session()
    session.host.setText("王警官")
    session.mediators.setText("王警官、赵调解员")
    with qtbot.waitSignal(session.saved):
        session.save_button.click()
    assert tab.detail.status.text() == "调处中" and tab.detail.sessions.topLevelItemCount() == 1

    # 3. Agreement: saving numbers it, settles the dispute and opens the preview.
    agreement = tab.open_agreement()
    agreement.terms.setPlainText("李四保证晚十点后不再制造噪音。\n双方今后互相谅解，和睦相处。")
    agreement.performance.setCurrentIndex(agreement.performance.findData("on_the_spot"))
    with qtbot.waitSignal(tab.previewing) as previewing:
        agreement.save_button.click()
    preview = previewing.args[0]
    assert preview.page_count() >= 1 and preview.isVisible()
    assert tab.detail.status.text() == "已化解" and tab.detail.agreements.topLevelItemCount() == 1
    assert tab.model.index(0, 6).data() == "未安排回访" and tab.detail.flag.isVisible()

    # 4. Print and save through the preview; both are audited.
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setResolution(100)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    with qtbot.waitSignal(preview.printed):
        preview.print_to(printer)
    with qtbot.waitSignal(preview.saved):
        preview.save_to(tmp_path / "协议书.pdf")
    assert (tmp_path / "printed.pdf").stat().st_size > 1000
    with db.session() as s:
        prints = select(AuditEntry).where(AuditEntry.table_name == "agreement", AuditEntry.action.in_(["print", "pdf"]))
        assert sorted(e.action for e in s.execute(prints).scalars()) == ["pdf", "print"]
    preview.close()

    # 5. One click schedules a revisit tomorrow; tomorrow it is due in the reminders and in the list.
    tab.detail.quick_buttons[1].click()
    assert tab.model.index(0, 6).data() == (TODAY + timedelta(days=1)).isoformat()
    assert not tab.detail.flag.isVisible()
    due = reminders(db, on=TODAY + timedelta(days=1)).due_today
    assert [r.number for r in due] == [registered.number]
    tomorrow = open_tab(qtbot, db, today=TODAY + timedelta(days=1))
    tomorrow.view.setCurrentIndex(tomorrow.view.findData("revisit_due"))
    assert tomorrow.model.rowCount() == 1 and tomorrow.model.index(0, 6).data() == "今日回访"


def test_a_relapse_recorded_on_the_revisit_reopens_the_dispute(qtbot, db):
    dispute = register(db, occurred_at=NOW - timedelta(days=3))
    with db.session() as s:
        row = s.get(Dispute, dispute.id)
        row.status, row.settled_on = "resolved", TODAY
        s.commit()
    tab = open_tab(qtbot, db)
    tab.schedule(days=2)
    revisit_id = tab.detail.selected_open_revisit()
    later = open_tab(qtbot, db, today=TODAY + timedelta(days=2))
    form = later.open_result(revisit_id)
    form.result.setCurrentIndex(form.result.findData("relapsed"))
    assert not form.save_button.isEnabled()  # a relapse needs a note
    form.notes.setPlainText("又因噪音争吵")
    with qtbot.waitSignal(form.saved):
        form.save_button.click()
    assert later.detail.status.text() == "调处中"
    assert "回访结果：反复" in later.detail.history.topLevelItem(later.detail.history.topLevelItemCount() - 1).text(3)


def test_a_transition_form_offers_only_allowed_moves_and_wants_a_reason(qtbot, db):
    register(db)
    tab = open_tab(qtbot, db)
    form = tab.open_transition()
    assert [form.to.itemData(i) for i in range(form.to.count())] == ["mediating", "to_center", "to_police"]
    form.to.setCurrentIndex(form.to.findData("to_center"))
    assert form.transfer_box.isVisibleTo(form) and form.body_name.text() == "矛调中心"
    assert not form.save_button.isEnabled()
    form.reason.setPlainText("涉及多户，需联合调解")
    with qtbot.waitSignal(form.saved):
        form.save_button.click()
    assert tab.detail.status.text() == "移交矛调中心" and tab.detail.transfers.topLevelItemCount() == 1


def test_an_unsaved_registration_is_kept_as_a_draft(qtbot, db):
    tab = open_tab(qtbot, db)
    form = tab.register()
    form.place.setText("草稿里的地点")
    form.close()
    again = tab.register()
    assert again is form and again.place.text() == "草稿里的地点"
    again.discard()
    assert tab.register() is not form


def test_the_list_model_passes_the_model_tester_and_filters_by_view(qtbot, qtmodeltester, db):
    add_dispute(db, number="2026-A03-0001", status="pending", risk="high", occurred=NOW - timedelta(days=2))
    add_dispute(db, number="2026-A03-0002", status="resolved", occurred=NOW - timedelta(days=1), settled_on=TODAY)
    tab = open_tab(qtbot, db)
    qtmodeltester.check(tab.model)
    assert [tab.model.index(r, 1).data() for r in range(2)] == ["2026-A03-0001", "2026-A03-0002"]
    tab.view.setCurrentIndex(tab.view.findData("unplanned"))
    assert tab.model.rowCount() == 1 and tab.model.index(0, 6).data() == "未安排回访"
    tab.view.setCurrentIndex(tab.view.findData("high"))
    assert tab.model.rowCount() == 1 and tab.model.index(0, 1).data() == "2026-A03-0001"


def test_statistics_dialog_states_the_definition(qtbot, db):
    register(db)
    tab = open_tab(qtbot, db)
    dialog = tab.open_statistics()
    assert "化解率 = 已化解 ÷ 已办结" in dialog.definition.text()
    assert dialog.figures["registered"].text() == "1" and dialog.figures["rate"].text() == "—"


def test_a_refused_revisit_date_is_a_message_box_not_a_traceback(qtbot, db):
    register(db)
    tab = open_tab(qtbot, db)
    from PySide6.QtWidgets import QMessageBox

    assert tab.schedule(due_on=TODAY - timedelta(days=1)) is None
    boxes = [w for w in tab.findChildren(QMessageBox) if w.isVisible()]
    assert boxes and "早于今天" in boxes[0].text()


@pytest.fixture(autouse=True)
def _no_home_writes(monkeypatch, tmp_path):
    monkeypatch.setenv("HOME", str(tmp_path))


def test_the_notifier_reports_due_and_overdue_at_start_and_when_the_day_turns(qtbot, db):
    from app.disputes.revisits import schedule_revisit
    from ui.disputes.tray import ReminderNotifier
    from ui.shell.day import DayWatcher

    dispute = register(db)
    schedule_revisit(db, dispute_id=dispute.id, days=1, today=TODAY)
    days = [TODAY]
    watcher = DayWatcher(today=lambda: days[0])  # the main window's, in the context it hands out
    notifier = ReminderNotifier(make_context(db, today=lambda: days[0], day=watcher), parent=watcher)
    assert notifier.start() is None  # nothing due yet: no message at all
    days[0] = TODAY + timedelta(days=1)
    with qtbot.waitSignal(notifier.notified) as blocker:
        watcher.check()
    assert blocker.args == ["今日到期回访 1 件，逾期未回访 0 件"]
    days[0] = TODAY + timedelta(days=3)
    with qtbot.waitSignal(notifier.notified) as blocker:
        watcher.check()
    assert blocker.args == ["今日到期回访 0 件，逾期未回访 1 件"]

"""The 入户走访 tab as an officer uses it: forms that check as you type, the duplicate-person offer,
find a household → record a visit → print its sheet, unsaved forms kept, campaigns and the ledger."""

from __future__ import annotations

import io
from datetime import date

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from app.households.service import household_detail
from ui.widgets.ops import changes


def search(qtbot, tab, text: str) -> None:
    tab.search.setText(text)
    qtbot.waitUntil(lambda: tab.detail.detail is not None and text in tab.detail.title.text() or
                    tab.model.rowCount() == 1, timeout=2000)


def pdf_text(pdf: bytes) -> str:
    return "".join("".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages)


def test_household_form_says_what_is_wrong_and_saves_only_when_valid(qtbot, tab):
    form = tab.new_household()
    assert not form.save_button.isEnabled()  # nothing typed yet
    form.community.setCurrentText("阳光社区")
    form.estate.setText("新村")
    form.room.setText("12")
    form.phone.setText("12345")
    message = form.findChild(QLabel, "problem_phone")
    assert message.isVisible() and "手机号" in message.text() and not form.save_button.isEnabled()
    assert form.address_preview.text() == "新村12室"
    form.phone.setText("13912345678")
    assert not message.isVisible() and form.save_button.isEnabled()
    with qtbot.waitSignal(changes.data_changed):
        form.save_button.click()
    assert tab.detail.title.text() == "新村12室" and tab.model.rowCount() == 1  # the list shows the new household


def test_a_refused_save_keeps_the_form_open_with_the_input(qtbot, tab):
    form = tab.new_household()
    form.community.setCurrentText("阳光社区")
    form.estate.setText("金桂苑")
    for field, text in ((form.building, "3"), (form.unit, "2"), (form.room, "502")):
        field.setText(text)
    with qtbot.waitSignal(form.refused) as refusal:
        form.save_button.click()
    assert "已登记过这个地址" in refusal.args[0]
    assert form.isVisible() and form.estate.text() == "金桂苑" and form.has_unsaved()


def test_resident_form_derives_gender_and_birth_date_and_offers_the_existing_person(qtbot, tab, db,
                                                                                    sample_households):
    search(qtbot, tab, "金桂苑")
    form = tab.new_resident()
    form.name.setText("张伟")
    form.id_number.setText("33010619851120001")  # 17 digits so far
    assert "18位" in form.findChild(QLabel, "problem_id_number").text()
    form.id_number.setText("33010619851120001X")
    assert form.gender.currentText() == "男" and not form.gender.isEnabled() and "1985-11-20" in form.derived.text()
    assert form.save_button.isEnabled()
    with qtbot.waitSignal(form.offered) as offer:
        form.id_number.setText("11010519491231002x")
    assert form.offer.isVisible() and "阳光花园2栋1单元101室" in form.offer_text.text()
    assert not form.save_button.isEnabled()  # no duplicate by accident
    form.phone.setText("13700000000")
    form.use_existing_button.click()
    assert form.resident_id == offer.args[0] and not form.offer.isVisible() and "迁入本户" in form.derived.text()
    assert form.phone.text() == "13700000000" and form.save_button.isEnabled()  # what was typed is kept
    with qtbot.waitSignal(changes.data_changed):
        form.save_button.click()
    names = [r.name for r in household_detail(db, sample_households[2]).residents]
    assert sorted(names) == ["张伟", "王芳"] and household_detail(db, sample_households[0]).residents == []


def test_find_a_household_record_a_visit_and_print_its_sheet(qtbot, tab, tmp_path):
    from PySide6.QtPrintSupport import QPrinter

    search(qtbot, tab, "金桂苑")
    assert tab.detail.title.text() == "金桂苑3栋2单元502室"
    form = tab.record_visit()
    assert not form.save_button.isEnabled()  # no purpose yet
    form.purposes["安全隐患排查"].setChecked(True)
    form.purposes["反诈宣传"].setChecked(True)
    form.met.item(0).setCheckState(Qt.CheckState.Checked)
    form.texts["hazards"].setPlainText("电动车在楼道充电")
    with qtbot.waitSignal(tab.preview_opened, timeout=5000) as opened:
        form.save_print_button.click()
    assert not form.isVisible()
    history = tab.detail.visits
    assert history.topLevelItemCount() == 2 and history.topLevelItem(0).text(1) == "反诈宣传、安全隐患排查"
    assert tab.model.data(tab.model.index(0, 6)) == date.today().isoformat()  # 最近走访 in the list
    preview = opened.args[0]
    assert preview.page_count() == 1
    text = pdf_text(preview.pdf)
    assert "金桂苑3栋2单元502室" in text and "■反诈宣传" in text and "■安全隐患排查" in text
    assert "电动车在楼道充电" in text
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setResolution(100)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    with qtbot.waitSignal(preview.printed):
        preview.print_to(printer)
    with qtbot.waitSignal(preview.saved):
        preview.save_to(tmp_path / "登记表.pdf")
    assert (tmp_path / "printed.pdf").stat().st_size > 1000
    assert "金桂苑3栋2单元502室" in pdf_text((tmp_path / "登记表.pdf").read_bytes())


def test_a_dispute_found_on_a_visit_is_announced_for_the_dispute_tab(qtbot, tab):
    search(qtbot, tab, "张伟")
    form = tab.record_visit()
    form.purposes["矛盾纠纷排查"].setChecked(True)
    form.dispute.setChecked(True)
    assert not form.save_button.isEnabled() and form.findChild(QLabel, "problem_dispute_kind").isVisible()
    form.dispute_kind.setCurrentIndex(form.dispute_kind.findData("neighbour"))
    form.dispute_facts.setPlainText("与邻居因停车位争吵")
    assert form.dispute_applicant.currentText() == "张伟（户主）"  # the household's first resident
    assert not form.save_button.isEnabled() and form.findChild(QLabel, "problem_dispute_respondent").isVisible()
    form.dispute_respondent.setText("邻居王某")
    with qtbot.waitSignal(tab.dispute_created) as created:
        form.save_button.click()
    from app.disputes.queries import dispute_detail

    detail = dispute_detail(tab.db, created.args[0])
    assert [(p.role, p.name) for p in detail.parties] == [("申请人", "张伟"), ("被申请人", "邻居王某")]
    assert detail.row.risk_level == "low"


@pytest.mark.qt_log_ignore("This plugin does not support raise")  # offscreen cannot raise a window
def test_an_unsaved_form_survives_until_the_officer_agrees_to_discard(qtbot, tab, monkeypatch):
    search(qtbot, tab, "李娜")
    form = tab.record_visit()
    assert tab.record_visit() is form  # the same household's form is raised, not opened twice
    form.texts["findings"].setPlainText("正在写……")
    answers = []
    monkeypatch.setattr(type(form), "confirm_discard", lambda self: answers.append(1) or False)
    assert tab.can_close() is False and answers == [1]
    form.reject()  # Esc or the close button: asked again, kept again
    assert form.isVisible() and form.texts["findings"].toPlainText() == "正在写……"
    monkeypatch.setattr(type(form), "confirm_discard", lambda self: True)
    assert tab.can_close() is True
    form.reject()
    qtbot.waitUntil(lambda: tab.open_forms() == [], timeout=2000)  # closed and deleted


def test_editing_a_visit_from_the_history(qtbot, tab):
    search(qtbot, tab, "王芳")
    tab.detail.visits.setCurrentItem(tab.detail.visits.topLevelItem(0))
    form = tab.open_visit(tab.detail.visits.topLevelItem(0).data(0, Qt.ItemDataRole.UserRole))
    assert form.purposes["反诈宣传"].isChecked() and form.texts["findings"].toPlainText() == "一切正常"
    assert not form.has_unsaved()
    form.texts["findings"].setPlainText("一切正常，已发放反诈宣传单")
    with qtbot.waitSignal(changes.data_changed):
        form.save_button.click()
    assert tab.detail.visits.topLevelItem(0).text(3) == "一切正常，已发放反诈宣传单"


def test_a_campaign_from_the_window_with_progress_blank_sheets_and_a_visit(qtbot, tab):
    window = tab.open_campaigns()
    assert "还没有走访计划" in window.title.text()
    form = window.new_campaign()
    form.name.setText("十一月敲门行动")
    form.kinds["owner"].setChecked(True)
    qtbot.waitUntil(lambda: form.count.text() == "2 户", timeout=3000)  # counted on a worker as criteria change
    with qtbot.waitSignal(window.changed):
        form.save_button.click()
    assert window.title.text() == "十一月敲门行动" and window.progress.format() == "已走访 0/2 户（0%）"
    assert window.lists.tabText(0) == "未走访（2）" and window.not_yet.model().rowCount() == 2
    with qtbot.waitSignal(tab.preview_opened, timeout=10000) as opened:
        window.print_blank_sheets()
    assert opened.args[0].page_count() == 2
    window.not_yet.selectRow(0)
    with qtbot.waitSignal(tab.form_opened) as visit_form:
        window.visit_button.click()
    form = visit_form.args[0]
    assert form.campaign.currentText() == "十一月敲门行动"
    form.purposes["日常走访"].setChecked(True)
    form.save_button.click()
    assert window.progress.format() == "已走访 1/2 户（50%）" and window.lists.tabText(1) == "已走访（1）"
    assert [window.per_officer.topLevelItem(0).text(i) for i in range(4)] == ["未分配", "2", "1", "50%"]


def test_the_ledger_is_exported_on_a_worker(qtbot, tab, tmp_path):
    from openpyxl import load_workbook

    dialog = tab.export_visits_ledger()
    dialog.start.setDate(dialog.start.date().addYears(-1))
    with qtbot.waitSignal(dialog.exported, timeout=10000) as done:
        dialog.export_to(tmp_path / "台账.xlsx")
    assert done.args[0] == load_workbook(tmp_path / "台账.xlsx").active.max_row - 1


def test_the_main_window_gets_menu_actions(tab):
    assert [a.text() for a in tab.menu_actions()] == ["走访计划(&C)…", "导出走访台账(&L)…", "打印走访登记表(&P)…"]

"""一企一警 as the officer meets it, logged into the real window on the small demo: every view's first, a
middle and its last enterprise and one found by search, opened with their forms; an enterprise registered
and found again; then an inspection with two failures typed on the keyboard, its notice issued and
printed with the stub, both problems put right and the re-check passed, the worklist following along."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit

from tests.support.walk import (
    agenda_rows,
    click_row,
    close_form,
    double_click_row,
    rows_to_open,
    search,
    shoot,
    take_forms,
    type_text,
)


def enterprise_tab(window):
    tab = window.tab("enterprises")
    window.tabs.setCurrentWidget(tab)
    return tab


def check_shown(tab, row: int) -> None:
    listed = tab.model._rows[row]
    assert tab.current_id == listed.id and tab.detail.title.text() == listed.name
    assert tab.detail.fields["liaison"].text() == (listed.liaison or "（未指定）")
    edit = take_forms(tab, tab.detail.edit_button)
    assert edit.enterprise_id == listed.id and edit.name.text() == listed.name
    close_form(edit)
    inspection = take_forms(tab, tab.detail.inspect_button)
    assert inspection.enterprise_id == listed.id and listed.name in inspection.windowTitle()
    assert inspection.tree.rows()  # the checklist is there to fill
    close_form(inspection)


def test_every_view_opens_its_first_middle_last_and_searched_enterprises(qtbot, officer_at_work):
    window, _day = officer_at_work
    tab = enterprise_tab(window)
    from app.enterprises.queries import VIEWS

    opened = 0
    for index, code in enumerate(VIEWS):
        tab.view.setCurrentIndex(index)
        assert tab.view.currentData() == code
        for row in rows_to_open(tab.model):
            if tab.model.rowCount() == 0:
                break
            click_row(tab.table, row)
            check_shown(tab, row)
            opened += 1
    assert opened >= 3 * 4  # 全部, 重点/涉爆/涉危化, 有未整改 and 整改逾期 have rows on the demo

    tab.view.setCurrentIndex(0)
    shoot(qtbot, window, "enterprises_window")
    middle = tab.model._rows[tab.model.rowCount() // 2]
    search(qtbot, tab, middle.credit_code or middle.name)
    assert tab.model.rowCount() == 1
    click_row(tab.table, 0)
    check_shown(tab, 0)
    assert tab.current_id == middle.id


def test_an_enterprise_registered_is_found_again_inspected_noticed_and_rechecked(qtbot, officer_at_work):
    window, day = officer_at_work
    tab = enterprise_tab(window)
    admin = window.officer.name

    # Registered from the tab: the credit code is checked as typed.
    form = take_forms(tab, tab.new_button)
    type_text(form.name, "杭州明远危化品仓储有限公司")
    type_text(form.credit_code, "91330106MA2B3C4D5X")
    assert not form.save_button.isEnabled() and "校验位" in form.summary.text()
    form.credit_code.clear()
    from app.core.validation import uscc_check_char

    type_text(form.credit_code, "91330106MA7Q8R9T0" + uscc_check_char("91330106MA7Q8R9T0"))
    form.category.setCurrentIndex(form.category.findData("chemicals"))
    type_text(form.address, "杭州市西湖区三墩镇振华路9号")
    type_text(form.security_head, "冯志强")
    assert form.liaison.currentData() == window.officer.id and form.save_button.isEnabled(), form.summary.text()
    with qtbot.waitSignal(form.saved) as saved:
        form.save_button.click()
    firm = saved.args[0]
    assert tab.current_id == firm and tab.detail.fields["liaison"].text() == admin
    search(qtbot, tab, "冯志强")
    assert [r.id for r in tab.model._rows] == [firm]
    click_row(tab.table, 0)

    # The inspection, from the keyboard: two failures, each with what is wrong.
    inspection = take_forms(tab, tab.detail.inspect_button)
    shoot(qtbot, inspection, "enterprises_inspection_on_demo")
    assert inspection.first.currentText() == admin
    type_text(inspection.second.lineEdit(), "李卫国")
    tree = inspection.tree
    tree.setFocus()

    def fail_current(note: str) -> None:
        QTest.keyClick(tree, Qt.Key.Key_2)
        editor = next(e for e in tree.viewport().findChildren(QLineEdit) if e.isVisible())
        type_text(editor, note)
        QTest.keyClick(editor, Qt.Key.Key_Return)
        QApplication.processEvents()

    QTest.keyClick(tree, Qt.Key.Key_1)
    fail_current("门卫未登记外来车辆")
    for _ in range(4):
        QTest.keyClick(tree, Qt.Key.Key_1)
    QTest.keyClick(tree, Qt.Key.Key_Down)  # past the 物防 row
    fail_current("北侧围墙破损约3米")
    type_text(inspection.signer, "冯志强")
    assert inspection.result.text() == "不合格（2项）" and inspection.save_button.isEnabled(), inspection.summary.text()
    with qtbot.waitSignal(inspection.saved) as saved:
        inspection.save_button.click()
    inspection_id = saved.args[0]
    pane = tab.detail
    assert pane.selected("inspection") == [inspection_id] and pane.notice_button.isEnabled()
    assert pane.trees["rectification"].topLevelItemCount() == 2

    # The notice, issued and printed with its stub.
    notice = take_forms(tab, pane.notice_button)
    with qtbot.waitSignal(tab.previewing) as previewed:
        notice.print_button.click()
    preview = previewed.args[0]
    assert preview.page_count() == 2 and preview.audit[2] == "责令限期整改通知书"
    preview.close()
    number = pane.current_inspection().notice_number
    assert number and pane.recheck_button.isEnabled()

    # Ten days on the deadlines come close: the worklist shows them and opens them where they are.
    day.value += timedelta(days=10)
    window.day_watcher.check()
    due = [(row, item) for row, item in enumerate(agenda_rows(window)) if item.table == "rectification"
           and item.what.startswith("杭州明远危化品仓储有限公司")]
    assert len(due) == 2
    window.tabs.setCurrentWidget(window.today)
    double_click_row(window.today.table, due[0][0])
    assert window.tabs.currentWidget() is tab and tab.current_id == firm
    assert pane.selected("rectification") == [due[0][1].record_id]

    # Both put right; the re-check passes and its opinion prints.
    for _ in range(2):  # the open ones are listed first
        rectifications = pane.trees["rectification"]
        pane.open_page("rectification")
        rectifications.setCurrentItem(rectifications.topLevelItem(0))
        done = take_forms(tab, pane.done_button)
        with qtbot.waitSignal(done.saved):
            done.save_button.click()
    pane.open_page("inspection")
    pane.select("inspection", inspection_id)
    recheck = take_forms(tab, pane.recheck_button)
    type_text(recheck.second.lineEdit(), "李卫国")
    assert recheck.outcome.currentData() == "passed"
    with qtbot.waitSignal(tab.previewing) as previewed:
        recheck.print_button.click()
    assert previewed.args[0].audit[2] == "复查意见书"
    previewed.args[0].close()
    assert pane.current_inspection().state_label == "复查通过"
    assert not [item for item in agenda_rows(window) if item.what.startswith("杭州明远危化品仓储有限公司")]

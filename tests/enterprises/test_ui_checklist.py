"""The inspection checklist form: filled from the keyboard alone, refusing what the service would refuse
(in the form, next to the field), opening fast, and kept when closed unsaved (稍后再填)."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDateEdit, QLabel, QLineEdit

from app.enterprises.inspections import inspection_record
from app.enterprises.rectifications import rectifications_of
from tests.enterprises.conftest import TODAY
from tests.support.walk import type_text
from tests.support.window import make_context
from ui.enterprises.checklist_tree import DEADLINE, RESULT
from ui.enterprises.tab import EnterprisesTab

OPEN_MS = 150  # the bound for opening the checklist form


@pytest.fixture
def tab(qtbot, db, officer, second_officer, enterprise):
    tab = EnterprisesTab()
    qtbot.addWidget(tab)
    tab.resize(1366, 690)
    tab.show()
    tab.attach(make_context(db, officer_id=officer, today=TODAY))
    tab.open_record("enterprise", enterprise)
    return tab


def open_form(qtbot, tab):
    with qtbot.waitSignal(tab.form_opened) as opened:
        tab.detail.inspect_button.click()
    form = opened.args[0]
    qtbot.addWidget(form, before_close_func=lambda f: f.discard())
    form.activateWindow()  # its shortcuts (Ctrl+S) work in the active window
    assert QTest.qWaitForWindowActive(form)
    qtbot.waitUntil(form.isActiveWindow)  # the widget hears of it on the next turn of the event loop
    return form


def key(widget, k, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    QTest.keyClick(widget, k, modifier)


def confirm(editor) -> None:
    """Enter in an item's editor: the view commits it on its next turn of the event loop."""
    key(editor, Qt.Key.Key_Return)
    QApplication.processEvents()


def note_editor(tree) -> QLineEdit:
    editors = [e for e in tree.viewport().findChildren(QLineEdit) if e.isVisible()]  # a closed one lingers
    assert len(editors) == 1, "no note editor open"
    return editors[0]


def results(form) -> list[tuple[str, str, str]]:
    return [(item.item, item.result, item.note) for item in form.tree.items()]


def problem(form, name: str) -> str:
    label = form.findChild(QLabel, f"problem_{name}")
    return label.text() if label is not None and label.isVisible() else ""


def test_an_inspection_with_two_failures_is_filled_and_saved_from_the_keyboard(qtbot, db, tab, enterprise):
    form = open_form(qtbot, tab)
    tree = form.tree
    # The chemical firm is inspected on all five categories (储存管理 too), the officer is the first inspector.
    assert form.tree.shown_categories() == ("人防", "物防", "技防", "消防", "储存管理")
    assert form.first.currentText() == "王警官" and form.focusWidget() is form.second
    type_text(form.second.lineEdit(), "李警官")
    tree.setFocus()
    assert tree.currentItem() is tree.topLevelItem(0).child(0)

    key(tree, Qt.Key.Key_1)  # 合格, on to the next item
    key(tree, Qt.Key.Key_2)  # 不合格: the note opens at once
    type_text(note_editor(tree), "夜间值班记录缺失")
    confirm(note_editor(tree))  # confirmed: on to the next item
    assert tree.currentItem() is tree.topLevelItem(0).child(2) and tree.currentColumn() == RESULT
    key(tree, Qt.Key.Key_3)  # 不适用
    key(tree, Qt.Key.Key_Space)  # cycles the item now current: 合格 -> 不合格
    assert tree.currentItem().data(0, Qt.ItemDataRole.UserRole + 1) == "fail"
    key(tree, Qt.Key.Key_Space)
    key(tree, Qt.Key.Key_Space)  # ... -> 不适用 -> 合格
    assert tree.currentItem().data(0, Qt.ItemDataRole.UserRole + 1) == "pass"
    assert results(form)[:3] == [("设立治安保卫机构或配备专（兼）职治安保卫人员", "pass", ""),
                                 ("门卫制度落实，人员、车辆出入登记", "fail", "夜间值班记录缺失"),
                                 ("值班制度落实，有值班记录", "na", "")]
    assert form.result.text() == "不合格（1项）" and form.opinion.toPlainText()  # a suggested opinion

    # A failure without a note stops saving, and says which item.
    technical = tree.topLevelItem(2)
    tree.setCurrentItem(technical.child(2), RESULT)
    key(tree, Qt.Key.Key_2)
    key(note_editor(tree), Qt.Key.Key_Escape)  # left empty
    QApplication.processEvents()
    assert "“录像保存不少于30天”不合格，请写明存在的问题" == problem(form, "items")
    assert not form.save_button.isEnabled()
    key(tree, Qt.Key.Key_Return)  # Enter writes the note of the current item
    type_text(note_editor(tree), "录像仅保存7天")
    confirm(note_editor(tree))
    assert problem(form, "items") == ""

    # 1 on a category's row marks its every item; the storage rules are not inspected this time.
    storage = tree.topLevelItem(4)
    tree.setCurrentItem(storage)
    key(tree, Qt.Key.Key_3)
    assert {tree.topLevelItem(4).child(i).text(RESULT) for i in range(storage.childCount())} == {"不适用"}
    form.categories["储存管理"].click()
    assert "储存管理" not in form.tree.shown_categories()
    assert form.result.text() == "不合格（2项）" and form.save_button.isEnabled(), form.summary.text()
    form.signer.setText("周建国")
    type_text(form.present, "吴卫东（保卫科长）")
    key(form.present, Qt.Key.Key_Return)  # Enter moves on; it never saves a checklist half filled
    assert form.isVisible() and form.focusWidget() is not form.present

    with qtbot.waitSignal(form.saved) as saved:
        key(form, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    record = inspection_record(db, inspection_id=saved.args[0])
    assert record.inspectors == ("王警官", "李警官") and record.categories == ("人防", "物防", "技防", "消防")
    assert [(i.item, i.note) for i in record.failed] == [("门卫制度落实，人员、车辆出入登记", "夜间值班记录缺失"),
                                                         ("录像保存不少于30天", "录像仅保存7天")]
    assert record.result == "issues" and record.present == "吴卫东（保卫科长）"
    deadlines = {r.deadline for r in rectifications_of(db, inspection_id=record.id)}
    assert deadlines == {TODAY + timedelta(days=15)}
    pane = tab.detail
    assert pane.tabs.currentIndex() == pane._pages["inspection"] and pane.selected("inspection") == [record.id]
    assert pane.notice_button.isEnabled()


def test_the_form_refuses_what_the_record_may_not_say(qtbot, tab):
    form = open_form(qtbot, tab)
    key(form, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)  # saving too early: every problem shows
    assert problem(form, "inspectors") == "检查人员至少两名（请写明姓名，用“、”分隔）"
    form.second.setEditText("李警官")
    assert problem(form, "inspectors") == ""
    form.inspected_on.setDate(form.inspected_on.date().addDays(1))
    assert problem(form, "inspected_on") == "检查日期不能晚于今天"
    form.inspected_on.setDate(form.inspected_on.date().addDays(-1))
    for box in form.categories.values():
        box.setChecked(False)
    assert problem(form, "categories") == "请选择检查类别（可多选）" and not form.save_button.isEnabled()
    form.categories["人防"].setChecked(True)
    tree = form.tree
    tree.setCurrentItem(tree.topLevelItem(0).child(0), RESULT)
    key(tree, Qt.Key.Key_2)
    type_text(note_editor(tree), "无专职保卫人员")
    confirm(note_editor(tree))
    form.deadline.setDate(form.inspected_on.date())
    assert problem(form, "deadline") == "整改期限应晚于检查日期"
    form.deadline.setDate(form.inspected_on.date().addDays(10))
    form.opinion.clear()
    assert problem(form, "opinion") == "请填写整改或处罚意见"
    form.opinion.setPlainText("责令十日内配备")
    assert form.save_button.isEnabled(), form.summary.text()


def test_a_failed_item_can_have_its_own_deadline(qtbot, db, tab):
    form = open_form(qtbot, tab)
    form.second.setEditText("李警官")
    tree = form.tree
    tree.setCurrentItem(tree.topLevelItem(0).child(0), RESULT)
    key(tree, Qt.Key.Key_2)
    type_text(note_editor(tree), "无专职保卫人员")
    confirm(note_editor(tree))
    row = tree.topLevelItem(0).child(0)
    assert row.text(DEADLINE) == "同整改期限"
    tree.setCurrentItem(row, RESULT)
    key(tree, Qt.Key.Key_F3)  # the item's own deadline
    editor = tree.viewport().findChild(QDateEdit)
    own = TODAY + timedelta(days=30)
    editor.setDate(QDate(own.year, own.month, own.day))
    confirm(editor)
    assert row.text(DEADLINE) == own.isoformat()
    with qtbot.waitSignal(form.saved) as saved:
        form.save_button.click()
    assert [r.deadline for r in rectifications_of(db, inspection_id=saved.args[0])] == [own]


def test_the_form_opens_fast_and_is_kept_when_closed_unsaved(qtbot, tab):
    times = []
    for _ in range(3):
        start = time.perf_counter()
        form = tab.flow.open_inspection()
        QApplication.processEvents()
        times.append(time.perf_counter() - start)
        form.discard()
        QApplication.processEvents()
    assert min(times) * 1000 <= OPEN_MS, f"{min(times) * 1000:.0f} ms"

    form = tab.flow.open_inspection()
    qtbot.addWidget(form, before_close_func=lambda f: f.discard())
    form.second.setEditText("李警官")
    form.tree.set_result(form.tree.topLevelItem(1).child(0), "na")
    form.cancel_button.click()  # 稍后再填
    assert not form.isVisible()
    again = tab.flow.open_inspection()
    assert again is form and form.isVisible() and form.second.currentText() == "李警官"
    assert form.tree.items()[6].result == "na"

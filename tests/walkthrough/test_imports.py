"""The Excel import as the officer meets it, logged into the real window on the small demo: 文件 → 从
Excel 导入, a small household register, its columns mapped, checked, imported; the new household found
by its estate in 入户走访 and opened; then 文件 → 撤销上次导入, and it is gone (issue 14)."""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox, QWizard

from tests.imports.files import register_workbook
from tests.support.walk import click_row, file_menu_action, search, shoot, type_text

ESTATE_COMMUNITY = "临江社区"  # not in the demo: its estate (临江小区) is found only once imported


def press_next(wizard) -> None:
    button = wizard.button(QWizard.WizardButton.NextButton)
    assert button.isEnabled(), wizard.currentPage().title()
    button.click()


def write_and_finish(qtbot, wizard, shot: str | None = None) -> None:
    """From the check page: on to 导入, write, see what was added, close the wizard."""
    press_next(wizard)
    with qtbot.waitSignal(wizard.imported, timeout=20000):
        wizard.write_page.write_button.click()
    assert "新增" in wizard.write_page.outcome.text()
    if shot:
        shoot(qtbot, wizard, shot)
    wizard.button(QWizard.WizardButton.FinishButton).click()


def test_a_household_register_is_imported_found_opened_and_undone_through_the_file_menu(
        qtbot, officer_at_work, tmp_path, monkeypatch):
    from ui.imports.wizard import ImportWizard
    from ui.widgets import fit

    monkeypatch.setattr(fit, "available_area", lambda _window: QRect(0, 0, 1366, 728))  # the window's laptop

    window, _day = officer_at_work
    households = window.households
    made = register_workbook(tmp_path / "临江社区实有人口.xlsx", communities=(ESTATE_COMMUNITY,), households=1,
                             residents_per=2)
    estate = made.people[0].estate
    window.tabs.setCurrentWidget(households)
    households.search.clear()
    type_text(households.search, estate)
    QTest.keyClick(households.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: households.model.rowCount() == 0, timeout=3000)  # not there before

    file_menu_action(window, "从 Excel 导入").trigger()
    wizards = [w for w in QApplication.topLevelWidgets() if isinstance(w, ImportWizard) and w.isVisible()]
    assert len(wizards) == 1
    wizard = wizards[0]
    source = wizard.source_page
    type_text(source.path, str(made.path))
    source.path.editingFinished.emit()
    qtbot.waitUntil(lambda: source.isComplete(), timeout=10000)
    assert source.header_row.value() == made.header_row
    shoot(qtbot, wizard, "1_source")
    press_next(wizard)
    assert wizard.mapping_page.mapping()[made.headers.index("姓名")] == "name"
    shoot(qtbot, wizard, "2_mapping")
    press_next(wizard)
    qtbot.waitUntil(lambda: wizard.result is not None, timeout=20000)
    assert wizard.result.counts == {"rows": 2, "good": 2, "bad": 0, "matched": 0}
    shoot(qtbot, wizard, "3_check")
    write_and_finish(qtbot, wizard, "4_written")
    assert not wizard.isVisible()

    search(qtbot, households, estate)  # the tab refreshed on the import's announcement
    assert households.model.rowCount() == 1
    click_row(households.table, 0)
    assert estate in households.detail.title.text()
    shoot(qtbot, window, "5_found")

    file_menu_action(window, "撤销上次导入").trigger()
    question = next(w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible())
    assert made.path.name in question.text()
    question.button(QMessageBox.StandardButton.Yes).click()
    qtbot.waitUntil(lambda: "已撤销" in window.statusBar().currentMessage(), timeout=20000)
    qtbot.waitUntil(lambda: households.model.rowCount() == 0, timeout=5000)  # the tab heard of the undo

    file_menu_action(window, "撤销上次导入").trigger()
    nothing = next(w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible())
    assert "没有可以撤销的导入" in nothing.text()
    nothing.close()

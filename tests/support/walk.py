"""Driving the program's widgets as an officer does: typing (Chinese by the input method), clicking
rows, searching, opening forms and menus."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

DEMO_PASSWORD = "demo1234"  # the small demo's admin (make run)


def type_text(widget, text: str) -> None:
    """Type as the officer does: Chinese arrives committed by the input method, the rest as keys
    (QTest.keyClicks knows Latin-1 keys only)."""
    from PySide6.QtGui import QInputMethodEvent
    from PySide6.QtWidgets import QApplication

    widget.setFocus()
    if text.isascii():
        QTest.keyClicks(widget, text)
        return
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def click_row(table, row: int) -> None:
    """Scroll to ``row`` and click it, as the officer would."""
    index = table.model().index(row, 1)
    table.scrollTo(index)
    QTest.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=table.visualRect(index).center())


def search(qtbot, tab, text: str) -> None:
    tab.search.clear()
    type_text(tab.search, text)
    QTest.keyClick(tab.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: tab.model.rowCount() >= 1, timeout=3000)


def rows_to_open(model) -> list[int]:
    count = model.rowCount()
    return sorted({0, count // 2, count - 1})


def take_forms(tab, open_button) -> object:
    """Click ``open_button`` and return the window the tab reports as opened."""
    opened = []
    tab.form_opened.connect(opened.append)
    try:
        open_button.click()
    finally:
        tab.form_opened.disconnect(opened.append)
    assert opened, f"{open_button.text()} opened nothing"
    return opened[-1]


def close_form(form) -> None:
    if hasattr(form, "discard"):
        form.discard()
    else:
        form.reject()


def double_click_row(table, row: int) -> None:
    index = table.model().index(row, 1)
    table.scrollTo(index)
    centre = table.visualRect(index).center()
    QTest.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=centre)  # a double-click's first press
    QTest.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=centre)


def agenda_rows(window) -> list:
    for _ in range(1000):  # the first agenda after the login comes from a worker
        if window.today.listed:
            break
        QTest.qWait(10)
    model = window.today.model
    return [model.item(row) for row in range(model.rowCount())]


def file_menu_action(window, text: str):
    """The File menu's action whose text starts with ``text`` (what the officer clicks)."""
    menu = next(action.menu() for action in window.menuBar().actions() if action.text().startswith("文件"))
    return next(action for action in menu.actions() if action.text().startswith(text))


def open_dialog(qtbot, window, text: str, kind: type):
    from PySide6.QtWidgets import QApplication

    file_menu_action(window, text).trigger()
    dialogs = [w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()]
    assert len(dialogs) == 1, dialogs
    return dialogs[0]


def shoot(qtbot, widget, name: str) -> None:
    """With CPDESK_SHOTS=<folder>, the window as the officer sees it (walk_<name>.png), to be looked at."""
    if folder := os.environ.get("CPDESK_SHOTS"):
        Path(folder).mkdir(parents=True, exist_ok=True)
        qtbot.wait(200)
        widget.grab().save(str(Path(folder) / f"walk_{name}.png"))

"""The idle lock: after the set idle time (an injected clock here) or Ctrl+L the window hides
all data behind a lock screen; only the same officer's password unlocks it, and the open
forms come back with what was typed in them."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QMessageBox

from app.accounts.login import log_in
from app.audit import log as audit
from tests.support.accounts import ADMIN_PASSWORD, OFFICER_PASSWORD, Clock, close_all, make_station, make_window

pytestmark = pytest.mark.usefixtures("cheap_kdf")


@pytest.fixture
def station(tmp_path):
    path = tmp_path / "station.sqlite3"
    make_station(path).db.close()
    return path


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def window(qtbot, tmp_path, station, clock):
    window = make_window(qtbot, tmp_path, clock=clock)
    window.attach_login(log_in(station, "wang", OFFICER_PASSWORD))
    yield window
    close_all(window)


def unlock(qtbot, window, password: str) -> None:
    screen = window.idle.screen
    screen.password.setText(password)
    screen.unlock_button.click()
    qtbot.waitUntil(lambda: screen.password.isEnabled(), timeout=10000)


def actions(db) -> list[str]:
    from ui.widgets.ops import wait_for_workers

    wait_for_workers()
    return [row.action for row in audit.search_audit(db, officer_id=db.officer_id)]


def test_idle_lock_after_the_timeout_hides_data_and_keeps_an_open_visit_form_with_its_typed_text(
        qtbot, window, clock, monkeypatch):
    tab = window.households
    form = tab.record_visit()
    form.texts["findings"].setPlainText("楼道堆放杂物，已提醒清理")
    form.purposes["反诈宣传"].setChecked(True)
    clock.advance(9 * 60)
    qtbot.mouseMove(tab.table.viewport(), QPoint(5, 5))  # the officer is still there
    clock.advance(2 * 60)
    window.idle.check()
    assert not window.is_locked()
    clock.advance(8 * 60 + 1)  # ten minutes since the last input
    window.idle.check()

    assert window.is_locked()
    screen = window.idle.screen
    assert screen.isVisible() and screen.geometry() == window.rect()
    for point in (QPoint(5, 5), window.rect().center(), QPoint(window.width() - 5, window.height() - 5)):
        under = window.childAt(point)  # menu bar, tabs, status bar: all covered
        assert under is screen or screen.isAncestorOf(under)
    assert not form.isVisible() and not window.tabs.isEnabled() and not window.menuBar().isEnabled()
    assert screen.who.text() == "当前民警：王警官（民警）"
    assert "lock" in actions(window.db)

    unlock(qtbot, window, OFFICER_PASSWORD)
    assert not window.is_locked() and not screen.isVisible() and window.tabs.isEnabled()
    assert form.isVisible() and tab.open_forms() == [form]
    assert form.texts["findings"].toPlainText() == "楼道堆放杂物，已提醒清理"
    assert form.purposes["反诈宣传"].isChecked() and form.has_unsaved()
    assert actions(window.db)[0] == "unlock"
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)
    form.close()


def test_wrong_unlock_password_is_refused(qtbot, window):
    window.lock()
    assert window.is_locked()
    unlock(qtbot, window, ADMIN_PASSWORD)  # another officer's password does not open his session
    assert window.is_locked() and window.idle.screen.message.text() == "密码错误"
    assert window.idle.screen.password.text() == ""
    window.idle.screen.unlock_button.click()
    assert window.idle.screen.message.text() == "请输入密码"
    unlock(qtbot, window, OFFICER_PASSWORD)
    assert not window.is_locked()
    assert actions(window.db)[:3] == ["unlock", "login_failed", "lock"]


def test_ctrl_l_locks_at_once(qtbot, window):
    assert window.accounts.lock.shortcut().toString() == "Ctrl+L"
    window.activateWindow()
    qtbot.keyClick(window.tabs, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.is_locked()
    qtbot.keyClick(window.idle.screen.password, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.is_locked() and window.idle.screen.isVisible()  # pressed again: still the same lock


def test_a_window_opened_while_locked_waits_behind_the_lock(qtbot, window):
    window.lock()
    box = QMessageBox(QMessageBox.Icon.Information, "导入完成", "已导入 3 户", parent=window)
    box.open()  # e.g. an import finishing on a worker
    qtbot.waitUntil(lambda: not box.isVisible(), timeout=2000)
    unlock(qtbot, window, OFFICER_PASSWORD)
    assert box.isVisible()
    box.close()


def test_closing_while_locked_does_not_ask_about_open_forms(qtbot, window, monkeypatch):
    form = window.households.record_visit()
    form.texts["findings"].setPlainText("未保存的内容")
    window.lock()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: pytest.fail("asked while locked"))
    assert window.close()


def test_the_lock_waits_for_the_minutes_set_and_needs_a_login(qtbot, tmp_path, station, db, clock):
    window = make_window(qtbot, tmp_path, clock=clock)
    window.attach_database(db)  # no officer logged in (tests, tools): nothing to lock, nobody to unlock
    assert window.idle is None and not window.accounts.lock.isEnabled()
    window.lock()
    assert not window.is_locked()
    window.settings.set("security/lock_minutes", 3)
    other = make_window(qtbot, tmp_path, clock=clock)
    other.attach_login(log_in(station, "wang", OFFICER_PASSWORD))
    assert other.idle.timeout == 180
    clock.advance(180)
    other.idle.check()
    assert other.is_locked()
    close_all(other)

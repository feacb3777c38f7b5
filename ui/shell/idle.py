"""The idle lock: after some minutes without keyboard or mouse (or on 账户 → 锁定) the main
window shows a lock screen instead of any data, until the officer who was working types his
password again (``unlock_again``, on a worker).

Nothing is closed: the tabs stay as they were under the lock screen (disabled, so no key
reaches them), and every other window of the program (open forms, dialogs, message boxes)
is hidden and shown again after the unlock with what was typed in it. A window that wants to
show itself while locked (an import finishing, say) is hidden too and comes back with the
others. A modal dialog running its own event loop (``exec``) ends when hidden: the program
uses those only for printing and fatal messages, never for a form.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from app.core.errors import UserError
from ui.accounts.common import password_edit
from ui.widgets.messages import ERROR_STYLE, HINT_STYLE
from ui.widgets.ops import Op

log = logging.getLogger(__name__)

INPUT_EVENTS = frozenset({
    QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove, QEvent.Type.Wheel,
    QEvent.Type.TouchBegin, QEvent.Type.TouchUpdate, QEvent.Type.TabletPress, QEvent.Type.TabletMove,
})
TRANSIENT = (Qt.WindowType.Popup, Qt.WindowType.ToolTip, Qt.WindowType.Desktop)  # closed, not kept
CHECK_MS = 15_000


class LockScreen(QWidget):
    """Covers the whole main window: who is logged in, a password field and 解锁."""

    unlock_requested = Signal(str)

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("lockScreen")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet("#lockScreen { background: #34495e; }"
                           "#lockCard { background: #ffffff; border-radius: 8px; }")
        card = QFrame(self, objectName="lockCard")
        card.setFixedWidth(440)
        title = QLabel(self.tr("工作台已锁定"), card)
        title.setStyleSheet("font-size: 20px; font-weight: bold;")
        self.who = QLabel(card)
        self.who.setStyleSheet("font-size: 14px;")
        self.password = password_edit(card, self.tr("请输入密码"))
        self.password.returnPressed.connect(self._submit)
        self.unlock_button = QPushButton(self.tr("解锁"), card, default=True)
        self.unlock_button.clicked.connect(self._submit)
        self.message = QLabel(card, wordWrap=True)
        hint = QLabel(self.tr("为保护居民信息，离开电脑一段时间后自动锁定。只有本人输入密码才能解锁，"
                              "打开的表单和填写的内容都会保留。离开时也可以按 Ctrl+L 立即锁定。"), card, wordWrap=True)
        hint.setStyleSheet(HINT_STYLE)
        row = QHBoxLayout()
        row.addWidget(self.password, 1)
        row.addWidget(self.unlock_button)
        inner = QVBoxLayout(card)
        inner.setContentsMargins(28, 24, 28, 24)
        inner.setSpacing(12)
        for widget in (title, self.who):
            inner.addWidget(widget)
        inner.addLayout(row)
        inner.addWidget(self.message)
        inner.addWidget(hint)
        middle = QHBoxLayout()  # stretches, not an alignment: the wrapped hint then gets its height
        middle.addStretch(1)
        middle.addWidget(card)
        middle.addStretch(1)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        outer.addLayout(middle)
        outer.addStretch(2)

    def reset(self, account) -> None:
        self.who.setText(self.tr("当前民警：{name}（{role}）").format(name=account.name, role=account.role_label))
        self.password.clear()
        self.message.clear()
        self.set_busy(False)

    def set_busy(self, busy: bool) -> None:
        self.password.setEnabled(not busy)
        self.unlock_button.setEnabled(not busy)
        if busy:
            self.message.setStyleSheet(HINT_STYLE)
            self.message.setText(self.tr("正在验证…"))

    def refuse(self, text: str) -> None:
        self.set_busy(False)
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setText(text)
        self.password.clear()
        self.password.setFocus()

    def _submit(self) -> None:
        if not self.password.text():
            self.refuse(self.tr("请输入密码"))
            return
        self.unlock_requested.emit(self.password.text())


class IdleLock(QObject):
    """Watches the whole program's input; ``start(db, account)`` after a login arms it."""

    locked = Signal()
    unlocked = Signal()

    def __init__(self, window: QMainWindow, *, minutes: int, clock: Callable[[], float] = time.monotonic,
                 check_ms: int = CHECK_MS) -> None:
        super().__init__(window)
        self.window = window
        self.timeout = max(1, minutes) * 60
        self.clock = clock
        self.db = self.account = None
        self.is_locked = False
        self.screen: LockScreen | None = None
        self._last_input = clock()
        self._hidden: list[QWidget] = []  # windows hidden by the lock, in the order they go back
        self._focus: QWidget | None = None
        self._active: QWidget | None = None
        self._timer = QTimer(self, interval=check_ms)
        self._timer.timeout.connect(self.check)

    def start(self, db, account) -> None:
        self.db, self.account = db, account
        self._last_input = self.clock()
        self._timer.start()
        QApplication.instance().installEventFilter(self)  # once: installing again moves it first

    def stop(self) -> None:
        """Disarmed (the database closed, the window closing): it no longer watches or hides."""
        self._timer.stop()
        self.db = None
        QApplication.instance().removeEventFilter(self)

    def check(self) -> None:
        """Lock if nobody has touched keyboard or mouse for the set time."""
        if self.db is not None and not self.is_locked and self.clock() - self._last_input >= self.timeout:
            self.lock()

    # --- locking ----------------------------------------------------------------------------
    def lock(self) -> None:
        if self.db is None or self.is_locked or not self.window.isVisible():
            return
        self.is_locked = True
        app = QApplication.instance()
        self._active, self._focus = app.activeWindow(), self.window.focusWidget()
        for _ in range(10):  # open menus and drop-downs close first
            popup = app.activePopupWidget()
            if popup is None:
                break
            popup.close()
        for widget in app.topLevelWidgets():
            if widget.isVisible() and widget is not self.window:
                self._hide(widget)
        screen = self._screen()
        screen.reset(self.account)
        screen.setGeometry(self.window.rect())
        screen.raise_()
        screen.show()
        self.window.menuBar().setEnabled(False)
        self.window.centralWidget().setEnabled(False)
        self.window.activateWindow()
        screen.password.setFocus()
        from app.accounts.login import record_lock

        db = self.db
        Op(self, lambda: record_lock(db)).on_failure(lambda exc: log.warning("lock not audited: %s", exc)).run()
        self.locked.emit()

    def _screen(self) -> LockScreen:
        if self.screen is None:
            self.screen = LockScreen(self.window)
            self.screen.unlock_requested.connect(self._try_unlock)
        return self.screen

    def _hide(self, widget: QWidget) -> None:
        if widget.windowType() in TRANSIENT:
            widget.hide()
            return
        if widget not in self._hidden:
            self._hidden.append(widget)
        widget.hide()

    def _hide_late(self, widget: QWidget) -> None:
        if self.is_locked and isValid(widget) and widget.isVisible():
            self._hide(widget)

    # --- unlocking --------------------------------------------------------------------------
    def _try_unlock(self, password: str) -> None:
        from app.accounts.login import unlock_again

        self.screen.set_busy(True)
        db = self.db
        Op(self, lambda: unlock_again(db, password)).on_success(lambda _r: self._unlock()).on_failure(
            self._refused).run()

    def _refused(self, exc: Exception) -> None:
        if isinstance(exc, UserError):
            self.screen.refuse(str(exc))
        else:
            log.warning("unlock failed: %s", exc)
            self.screen.refuse(self.tr("解锁失败：{error}").format(error=exc))

    def _unlock(self) -> None:
        self.is_locked = False
        self.screen.hide()
        self.screen.reset(self.account)
        self.window.menuBar().setEnabled(True)
        self.window.centralWidget().setEnabled(True)
        hidden, self._hidden = self._hidden, []
        for widget in hidden:
            if isValid(widget):
                widget.show()
        if self._active is not None and isValid(self._active) and self._active.isVisible():
            self._active.raise_()
            self._active.activateWindow()
        if self._focus is not None and isValid(self._focus):
            self._focus.setFocus()
        self._active = self._focus = None
        self._last_input = self.clock()
        self.unlocked.emit()

    # --- every event of the program passes here: keep it cheap ------------------------------
    def eventFilter(self, obj, event) -> bool:
        kind = event.type()
        if kind in INPUT_EVENTS:
            self._last_input = self.clock()
        elif self.is_locked:
            if kind == QEvent.Type.Shortcut:
                return True  # no menu action runs behind the lock screen
            if (kind == QEvent.Type.Show and obj.isWidgetType() and obj.isWindow() and obj is not self.window
                    and obj.windowType() not in TRANSIENT):  # the password field's own menu may show
                QTimer.singleShot(0, lambda widget=obj: self._hide_late(widget))
            elif kind == QEvent.Type.Close and obj in self._hidden:
                self._hidden.remove(obj)  # closed by the program meanwhile: not shown again
            elif kind == QEvent.Type.Resize and obj is self.window and self.screen is not None:
                self.screen.setGeometry(self.window.rect())
        return False

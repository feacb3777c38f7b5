"""Revisit reminders outside the tab: a tray message at start-up and whenever the day turns."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QSystemTrayIcon

CHECK_MS = 60_000  # officers leave the program open overnight: look at the date once a minute


class DayWatcher(QObject):
    """Emits ``day_turned(date)`` when the local date changes."""

    day_turned = Signal(object)

    def __init__(self, parent: QObject | None = None, *, today: Callable[[], date] = date.today,
                 interval_ms: int = CHECK_MS) -> None:
        super().__init__(parent)
        self._today = today
        self._day = today()
        self._timer = QTimer(self, interval=interval_ms)
        self._timer.timeout.connect(self.check)
        self._timer.start()

    def check(self) -> None:
        day = self._today()
        if day != self._day:
            self._day = day
            self.day_turned.emit(day)


class ReminderNotifier(QObject):
    """``ReminderNotifier(db, tray=icon, parent=window).start()``: 今日回访/逾期 counts as a tray message.

    Without a tray (or on a desktop that has none) the text still comes out as ``notified``, for
    the status bar."""

    notified = Signal(str)

    def __init__(self, db, *, tray: QSystemTrayIcon | None = None, parent: QObject | None = None,
                 today: Callable[[], date] = date.today) -> None:
        super().__init__(parent)
        self.db, self.tray, self._today = db, tray, today  # the main window calls notify() when the day turns

    def start(self) -> str | None:
        return self.notify()

    def notify(self) -> str | None:
        from app.disputes.revisits import reminder_counts

        due, overdue = reminder_counts(self.db, on=self._today())
        if not due and not overdue:
            return None
        text = self.tr("今日到期回访 {due} 件，逾期未回访 {overdue} 件").format(due=due, overdue=overdue)
        if self.tray is not None and QSystemTrayIcon.isSystemTrayAvailable() and self.tray.isVisible():
            icon = QSystemTrayIcon.MessageIcon.Warning if overdue else QSystemTrayIcon.MessageIcon.Information
            self.tray.showMessage(self.tr("矛盾纠纷回访提醒"), text, icon, 15_000)
        self.notified.emit(text)
        return text

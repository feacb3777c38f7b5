"""Revisit reminders outside the tab: a tray message at start-up and whenever the day turns."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QSystemTrayIcon

if TYPE_CHECKING:
    from ui.shell.context import Context


class ReminderNotifier(QObject):
    """``ReminderNotifier(context, tray=icon, parent=window).start()``: 今日回访/逾期 counts as a tray
    message, again whenever the context's day watcher says the day turned.

    Without a tray (or on a desktop that has none) the text still comes out as ``notified``, for
    the status bar."""

    notified = Signal(str)

    def __init__(self, context: Context, *, tray: QSystemTrayIcon | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.context, self.tray = context, tray
        if context.day is not None:
            context.day.day_turned.connect(self._day_turned)

    def start(self) -> str | None:
        return self.notify()

    def stop(self) -> None:
        """The database is about to close: no more reminders from it."""
        if self.context.day is not None:
            self.context.day.day_turned.disconnect(self._day_turned)

    def _day_turned(self, _day) -> None:
        self.notify()

    def notify(self) -> str | None:
        from app.disputes.revisits import reminder_counts

        due, overdue = reminder_counts(self.context.db, on=self.context.today())
        if not due and not overdue:
            return None
        text = self.tr("今日到期回访 {due} 件，逾期未回访 {overdue} 件").format(due=due, overdue=overdue)
        if self.tray is not None and QSystemTrayIcon.isSystemTrayAvailable() and self.tray.isVisible():
            icon = QSystemTrayIcon.MessageIcon.Warning if overdue else QSystemTrayIcon.MessageIcon.Information
            self.tray.showMessage(self.tr("矛盾纠纷回访提醒"), text, icon, 15_000)
        self.notified.emit(text)
        return text

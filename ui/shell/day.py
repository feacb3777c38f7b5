"""The one watch on the date: officers leave the program open overnight, and the agenda, the
overdue marks and the tray reminder all move on when the day turns."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QObject, QTimer, Signal

CHECK_MS = 60_000  # look at the date once a minute


class DayWatcher(QObject):
    """Emits ``day_turned(date)`` when ``today()`` (the local date; tests move it) changes.

    The main window owns the one watcher and hands it to every tab in the Context
    (ui/shell/context.py); nothing else in ui/ watches the date."""

    day_turned = Signal(object)

    def __init__(self, parent: QObject | None = None, *, today: Callable[[], date] = date.today,
                 interval_ms: int = CHECK_MS) -> None:
        super().__init__(parent)
        self.today = today
        self._day = today()
        self._timer = QTimer(self, interval=interval_ms)
        self._timer.timeout.connect(self.check)
        self._timer.start()

    def check(self) -> None:
        day = self.today()
        if day != self._day:
            self._day = day
            self.day_turned.emit(day)

"""Python's cyclic garbage collection, run on the UI thread only.

Left automatic, a collection runs on whichever thread happens to allocate: a worker of the
thread pool (a sync import, a report) may then destroy a dialog or model that sat in a
reference cycle, a Qt object of the UI thread, and corrupt the heap (seen as "malloc():
unsorted double linked list corrupted" far from the cause). The usual cure in PyQt/PySide
programs (calibre, Anki) is to switch automatic collection off and collect from a timer on
the UI thread, by the same generation thresholds Python would use.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 1000
HOLD_AT_MOST_MS = 10_000  # collections resume after this long even if start-up is not over (a login dialog)


class MainThreadGC(QObject):
    """``MainThreadGC(app)``: from now on garbage cycles are collected on this (the UI) thread."""

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self.threshold = gc.get_threshold()
        gc.disable()
        self.timer = QTimer(self, interval=INTERVAL_MS)
        self.timer.timeout.connect(self.check)
        self.timer.start()

    def hold_until(self, signal) -> None:
        """No collections until ``signal`` (the window usable), then the objects start-up made leave
        the collector's sight (``gc.freeze``): ~150k of them (modules, classes, the window) that live
        as long as the program. Collecting during start-up cost ~70 ms of it, and every later full
        collection would walk them all (~130 ms) to find ~1,500 garbage objects, which stay."""
        self.timer.stop()
        signal.connect(self._settle)
        QTimer.singleShot(HOLD_AT_MOST_MS, self, self.timer.start)

    def _settle(self) -> None:
        if not self.property("settled"):  # the first time only: a later login changes nothing
            self.setProperty("settled", True)
            gc.freeze()
        if not self.timer.isActive():
            self.timer.start()

    def check(self) -> None:
        if gc.get_count()[0] > self.threshold[0]:
            collect_as_python_would(self.threshold)


def collect_as_python_would(threshold: tuple[int, ...] | None = None) -> None:
    """One collection of the generation Python's own thresholds would pick: mostly the young
    objects, the older ones every tenth time and everything every hundredth (a full collection
    walks every object alive, which is what makes it slow)."""
    _young, middle, old = gc.get_count()
    _first, second, third = threshold or gc.get_threshold()
    gc.collect(2 if old > third else 1 if middle > second else 0)

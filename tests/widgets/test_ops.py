"""Work off the UI thread comes back on the UI thread, to a living parent, and leaves nothing behind."""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QThread
from PySide6.QtWidgets import QApplication

from ui.widgets.ops import Op, wait_for_workers


def test_the_result_arrives_on_the_ui_thread(qtbot):
    parent, seen = QObject(), []
    Op(parent, lambda: QThread.currentThread()).on_success(
        lambda worker: seen.append((worker, QThread.currentThread()))).run()
    qtbot.waitUntil(lambda: bool(seen), timeout=2000)
    worker, receiver = seen[0]
    assert receiver is QApplication.instance().thread() and worker is not receiver


def test_an_exception_goes_to_on_failure_not_on_success(qtbot):
    parent, failures, successes = QObject(), [], []

    def fail():
        raise ValueError("磁盘已满")

    Op(parent, fail).on_success(successes.append).on_failure(failures.append).run()
    qtbot.waitUntil(lambda: bool(failures), timeout=2000)
    assert str(failures[0]) == "磁盘已满" and successes == []


def test_callbacks_of_a_parent_deleted_meanwhile_are_dropped(qtbot):
    from shiboken6 import delete

    parent, seen = QObject(), []
    Op(parent, lambda: 1).on_success(seen.append).run()
    delete(parent)
    wait_for_workers()
    qtbot.wait(50)
    assert seen == []
    assert not Op._pending


def test_many_operations_collecting_garbage_on_workers_all_report_once(qtbot):
    """Cyclic GC running on a worker once destroyed a per-operation QObject there and crashed."""
    parent, seen = QObject(), []

    def work(n):
        gc.collect()
        return n

    # A full collection walks every object of the test run (seconds on a loaded 2-core machine):
    # 20 of them, with room to finish.
    for n in range(20):
        Op(parent, lambda n=n: work(n)).on_success(seen.append).run()
    qtbot.waitUntil(lambda: len(seen) == 20, timeout=90000)
    assert sorted(seen) == list(range(20)) and not Op._pending

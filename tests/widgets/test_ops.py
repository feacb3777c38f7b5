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


class FakeProgress:
    """A progress reporter that writes down what it was told."""

    def __init__(self) -> None:
        self.calls = []

    def start(self, op) -> None:
        self.calls.append("start")

    def update(self, stage: str, done: int, total: int) -> None:
        self.calls.append((stage, done, total))

    def finish(self) -> None:
        self.calls.append("finish")


def test_the_progress_reporter_hears_the_start_every_step_and_the_end_before_the_callback(qtbot):
    parent, progress = QObject(), FakeProgress()

    def work():
        for n in range(3):
            op.report("合并", n, 3)
        return "完成"

    op = Op(parent, work).with_progress(progress).on_success(lambda result: progress.calls.append(result))
    op.run()
    qtbot.waitUntil(lambda: "完成" in progress.calls, timeout=2000)
    assert progress.calls == ["start", ("合并", 0, 3), ("合并", 1, 3), ("合并", 2, 3), "finish", "完成"]


def test_a_cancel_asks_the_work_to_stop(qtbot):
    import threading

    parent, results, started = QObject(), [], threading.Event()

    def work():
        started.set()
        while not op.should_stop():
            QThread.msleep(5)
        return "stopped"

    op = Op(parent, work).on_success(results.append)
    op.run()
    assert started.wait(2)
    op.cancel()
    qtbot.waitUntil(lambda: results == ["stopped"], timeout=2000)
    assert op.cancelled


def test_writes_run_one_at_a_time_in_the_order_started(qtbot):
    import threading

    parent, lock, running, order, done = QObject(), threading.Lock(), [0], [], []
    most = [0]

    def write(n):
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
        QThread.msleep(10)
        order.append(n)
        with lock:
            running[0] -= 1
        return n

    for n in range(6):
        Op(parent, lambda n=n: write(n)).writes().on_success(done.append).run()
    qtbot.waitUntil(lambda: len(done) == 6, timeout=5000)
    assert most[0] == 1 and order == list(range(6)) and done == list(range(6))


def test_without_on_failure_the_officer_gets_one_line_in_a_warning_box(qtbot):
    from PySide6.QtWidgets import QMessageBox, QWidget

    from app.core.errors import UserError

    parent = QWidget()
    qtbot.addWidget(parent)

    def fail():
        raise UserError("该住户已删除")

    Op(parent, fail).run()
    qtbot.waitUntil(lambda: parent.findChild(QMessageBox) is not None, timeout=2000)
    box = parent.findChild(QMessageBox)
    assert box.text() == "该住户已删除" and box.icon() == QMessageBox.Icon.Warning and box.isVisible()
    box.close()


def test_a_bug_without_on_failure_is_one_line_too_and_its_traceback_goes_to_the_log(qtbot, tmp_path):
    from PySide6.QtWidgets import QMessageBox, QWidget

    parent = QWidget()
    qtbot.addWidget(parent)

    def bug():
        raise KeyError("visit_id")

    Op(parent, bug).run()
    qtbot.waitUntil(lambda: parent.findChild(QMessageBox) is not None, timeout=2000)
    box = parent.findChild(QMessageBox)
    assert box.text().startswith("内部错误：") and "\n" not in box.text() and "Traceback" not in box.text()
    assert "KeyError" in (tmp_path / "data" / "cpdesk" / "cpdesk-error.log").read_text(encoding="utf-8")
    box.close()


def test_a_write_announces_its_tables_to_the_tabs_that_show_them(qtbot, db):
    from PySide6.QtWidgets import QWidget

    from tests.support.window import make_context
    from ui.widgets.base_tab import AreaTab
    from ui.widgets.ops import ANY_TABLE, changes

    class Tab(AreaTab, QWidget):
        shows = ("household", "resident")

        def __init__(self) -> None:
            super().__init__()
            self.refreshed = 0

        def refresh(self) -> None:
            self.refreshed += 1

    tab, other = Tab(), QObject()
    qtbot.addWidget(tab)
    tab.attach(make_context(db))
    with qtbot.waitSignal(changes.data_changed) as heard:
        Op(other, lambda: None).writes("household").run()
    assert heard.args == [frozenset({"household"}), other] and tab.refreshed == 1
    changes.announce("dispute", source=other)  # not shown here
    changes.announce("resident", source=tab)  # its own change: the tab shows it already
    assert tab.refreshed == 1
    changes.announce(ANY_TABLE, source=other)  # a sync import: anything may have changed
    assert tab.refreshed == 2
    failed = []
    Op(other, lambda: 1 / 0).writes("household").on_failure(failed.append).run()  # nothing written
    qtbot.waitUntil(lambda: bool(failed), timeout=2000)
    assert tab.refreshed == 2
    tab.detach()
    changes.announce("household", source=other)
    assert tab.refreshed == 2

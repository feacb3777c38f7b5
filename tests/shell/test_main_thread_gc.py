"""Garbage cycles are collected on the UI thread by a timer, never by a worker that happens to allocate."""

from __future__ import annotations

import gc
import threading
import weakref

from PySide6.QtCore import QObject


class Node:
    def __init__(self) -> None:
        self.me = self  # a reference cycle: only the cyclic collector frees it


def test_automatic_collection_is_off_and_the_timer_collects_on_the_ui_thread(qtbot):
    from ui.shell.main_thread_gc import MainThreadGC

    owner = QObject()
    collector = MainThreadGC(owner)
    assert not gc.isenabled() and collector.timer.isActive()

    cycle = Node()
    gone = weakref.ref(cycle)
    del cycle
    threads_ran = []

    def allocate() -> None:  # a worker making more garbage than a generation's threshold
        for _ in range(gc.get_threshold()[0] * 3):
            Node()
        threads_ran.append(gone() is not None)

    worker = threading.Thread(target=allocate)
    worker.start()
    worker.join()
    assert threads_ran == [True]  # the worker's allocations collected nothing
    with qtbot.waitSignal(collector.timer.timeout, timeout=3000):
        pass
    assert gone() is None  # the UI thread's timer did


def test_collections_wait_for_start_up_then_its_objects_are_frozen_out_of_sight(qtbot):
    from PySide6.QtCore import Signal

    from ui.shell.main_thread_gc import MainThreadGC

    class Window(QObject):
        usable = Signal()

    owner, window = QObject(), Window()
    collector = MainThreadGC(owner)
    collector.hold_until(window.usable)
    try:
        assert not collector.timer.isActive()  # nothing collected while start-up runs
        window.usable.emit()
        assert collector.timer.isActive() and gc.get_freeze_count() > 0
        frozen = gc.get_freeze_count()
        window.usable.emit()  # a second login: start-up's objects were settled once
        assert gc.get_freeze_count() == frozen
    finally:
        gc.unfreeze()
        collector.timer.stop()

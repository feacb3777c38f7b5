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

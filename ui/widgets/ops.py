"""The one way to run work off the UI thread: ``Op(parent, fn).on_success(cb).run()``.

``fn`` runs on the global thread pool; its result or exception comes back to the
callbacks on the UI thread through a queued signal.

One relay object lives as long as the program and carries every result, keyed by the
operation's number. No QObject is made or destroyed per operation: a per-operation relay
sat in a reference cycle with its own slots, so Python's cyclic GC could destroy it on
whichever thread happened to collect (a worker, say) and crash the UI thread.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot
from shiboken6 import isValid

from app.core.errors import as_user_error


class _Relay(QObject):
    """Lives on the UI thread; a signal emitted from a worker reaches ``deliver`` queued."""

    finished = Signal(int, bool, object)  # op number, succeeded, result or exception

    def __init__(self) -> None:
        super().__init__()
        self.finished.connect(self.deliver)

    @Slot(int, bool, object)
    def deliver(self, number: int, succeeded: bool, value: Any) -> None:
        op = Op._pending.pop(number, None)
        if op is not None:
            op._report(succeeded, value)


class _Task(QRunnable):
    def __init__(self, number: int, fn: Callable[[], Any]) -> None:
        super().__init__()
        self._number = number
        self._fn = fn

    def run(self) -> None:
        try:
            result = self._fn()
        except Exception as exc:  # handed to on_failure, which shows it to the officer
            # A full disk or a read-only file arrives as a UserError in plain words
            # (app.core.errors: the same lines as the command line's).
            _relay().finished.emit(self._number, False, as_user_error(exc))
        else:
            _relay().finished.emit(self._number, True, result)
        finally:
            self._fn = None  # let go of what the work held (a database, say) on this thread


class Op:
    _numbers = itertools.count(1)
    _pending: dict[int, Op] = {}  # until their task reports

    def __init__(self, parent: QObject, fn: Callable[[], Any]) -> None:
        self._parent = parent  # callbacks are dropped if the parent is gone by then
        self._fn = fn
        self._on_success: Callable[[Any], None] = lambda _result: None
        self._on_failure: Callable[[Exception], None] | None = None

    def on_success(self, callback: Callable[[Any], None]) -> Op:
        self._on_success = callback
        return self

    def on_failure(self, callback: Callable[[Exception], None]) -> Op:
        self._on_failure = callback
        return self

    def run(self) -> None:
        _relay()  # made here, on the UI thread, so the relay's slots run on it
        number = next(Op._numbers)
        Op._pending[number] = self
        QThreadPool.globalInstance().start(_Task(number, self._fn))

    def _report(self, succeeded: bool, value: Any) -> None:
        if not isValid(self._parent):
            return
        if succeeded:
            self._on_success(value)
        else:
            (self._on_failure or _raise)(value)


def wait_for_workers(msecs: int = -1) -> bool:
    """Block until every running operation has finished (closing, tests); results still
    arrive through the event loop afterwards."""
    return QThreadPool.globalInstance().waitForDone(msecs)


_the_relay: _Relay | None = None


def _relay() -> _Relay:
    global _the_relay
    if _the_relay is None:
        _the_relay = _Relay()
    return _the_relay


def _raise(exc: Exception) -> None:
    raise exc

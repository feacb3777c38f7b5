"""The one way to run work off the UI thread: ``Op(parent, fn).on_success(cb).run()``.

``fn`` runs on the global thread pool; its result or exception comes back to the
callbacks on the UI thread through a queued signal.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal
from shiboken6 import isValid


class _Relay(QObject):
    succeeded = Signal(object)
    failed = Signal(object)


class _Task(QRunnable):
    def __init__(self, fn: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self._fn = fn
        self._relay = relay

    def run(self) -> None:
        try:
            result = self._fn()
        except Exception as exc:  # handed to on_failure, which shows it to the officer
            self._relay.failed.emit(exc)
        else:
            self._relay.succeeded.emit(result)


class Op:
    _running: set[_Relay] = set()  # keeps relays alive until their task reports

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
        # The relay lives on the UI thread, owned by Python (no Qt parent, no deleteLater,
        # which would delete it under the wrapper); it is dropped once it has reported.
        relay = _Relay()
        Op._running.add(relay)

        def done(callback, value) -> None:
            Op._running.discard(relay)
            if isValid(self._parent):
                callback(value)

        relay.succeeded.connect(lambda result: done(self._on_success, result))
        relay.failed.connect(lambda exc: done(self._on_failure or _raise, exc))
        QThreadPool.globalInstance().start(_Task(self._fn, relay))


def _raise(exc: Exception) -> None:
    raise exc

"""The one way to run work off the UI thread, and the one announcement of what changed.

``Op(parent, fn).on_success(cb).on_failure(cb).run()``: ``fn`` runs on the global thread pool;
its result or exception comes back to the callbacks on the UI thread through a queued signal.
Like Anki's ``CollectionOp``, an operation can also

- ``.writes("household", ...)``: run on the one writer thread (writes one at a time, in the order
  they were started) and, once it succeeded, announce those tables as changed (``changes``);
- ``.with_progress(reporter)``: tell a progress reporter (``Progress``; ui.widgets.progress has
  the dialog, tests give a fake) that it started, how far the work got (``fn`` calls
  ``op.report(stage, done, total)`` and may stop early at ``op.should_stop()``) and that it ended;
- fail without an ``on_failure``: the officer gets a warning box with one clear line
  (app.core.errors.explain), never a traceback.

``changes.data_changed(tables, source)`` tells every tab which tables an operation changed; each
tab names the tables it shows and refreshes itself (ui/widgets/base_tab.py ``AreaTab``).

One relay object lives as long as the program and carries every result, keyed by the
operation's number. No QObject is made or destroyed per operation: a per-operation relay
sat in a reference cycle with its own slots, so Python's cyclic GC could destroy it on
whichever thread happened to collect (a worker, say) and crash the UI thread.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable, Iterable
from typing import Any, Protocol

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot
from shiboken6 import isValid

from app.core.errors import as_user_error

ANY_TABLE = "*"  # announced when any table may have changed (a sync import, a decided conflict)


class Progress(Protocol):
    """A progress reporter, called on the UI thread; it belongs to the op's parent (gone with it)."""

    def start(self, op: Op) -> None: ...  # the op was started; a Cancel button calls op.cancel()

    def update(self, stage: str, done: int, total: int) -> None: ...  # what the work reported

    def finish(self) -> None: ...  # the work ended (before the callbacks run)


class Changes(QObject):
    """The one notice of changed data: ``announce(*tables, source=who)`` on the UI thread, heard by
    every ``data_changed(tables: frozenset[str], source)``. ``ANY_TABLE`` among the tables means any."""

    data_changed = Signal(object, object)  # frozenset of table names, the object that made the change (or None)

    def announce(self, *tables: str, source: object = None) -> None:
        if tables:
            self.data_changed.emit(frozenset(tables), source)

    @staticmethod
    def touches(changed: Iterable[str], shown: Iterable[str]) -> bool:
        """Whether a change of ``changed`` tables concerns a view of ``shown`` tables."""
        changed = frozenset(changed)
        return ANY_TABLE in changed or bool(changed & frozenset(shown))


changes = Changes()  # made at import, on the UI thread (ui/ is imported there)


class _Relay(QObject):
    """Lives on the UI thread; a signal emitted from a worker reaches ``deliver`` queued."""

    finished = Signal(int, bool, object)  # op number, succeeded, result or exception
    progressed = Signal(int, str, int, int)  # op number, stage, done, total

    def __init__(self) -> None:
        super().__init__()
        self.finished.connect(self.deliver)
        self.progressed.connect(self.progress)

    @Slot(int, bool, object)
    def deliver(self, number: int, succeeded: bool, value: Any) -> None:
        op = Op._pending.pop(number, None)
        if op is not None:
            op._report(succeeded, value)

    @Slot(int, str, int, int)
    def progress(self, number: int, stage: str, done: int, total: int) -> None:
        op = Op._pending.get(number)
        if op is not None and op._progress is not None and isValid(op._parent):
            op._progress.update(stage, done, total)


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
        self._progress: Progress | None = None
        self._writes: tuple[str, ...] | None = None  # None: a read, on the pool
        self._number = 0
        self._stop = threading.Event()

    def on_success(self, callback: Callable[[Any], None]) -> Op:
        self._on_success = callback
        return self

    def on_failure(self, callback: Callable[[Exception], None]) -> Op:
        """Without one, a failure is shown in a warning box (one line)."""
        self._on_failure = callback
        return self

    def with_progress(self, reporter: Progress) -> Op:
        self._progress = reporter
        return self

    def writes(self, *tables: str) -> Op:
        """A write: queued behind the other writes on one thread; ``tables`` announced once it succeeded."""
        self._writes = tables
        return self

    def run(self) -> Op:
        _relay()  # made here, on the UI thread, so the relay's slots run on it
        self._number = next(Op._numbers)
        Op._pending[self._number] = self
        if self._progress is not None:
            self._progress.start(self)
        pool = _writer() if self._writes is not None else QThreadPool.globalInstance()
        pool.start(_Task(self._number, self._fn))
        return self

    # --- for the work, on its thread ---------------------------------------------------------
    def report(self, stage: str, done: int, total: int) -> None:
        """How far the work got; shown by the progress reporter. A work whose parent is gone is asked to stop."""
        if not isValid(self._parent):
            self._stop.set()
        elif self._progress is not None:
            _relay().progressed.emit(self._number, stage, done, total)

    def should_stop(self) -> bool:
        return self._stop.is_set()

    def cancel(self) -> None:
        """Ask the work to stop at its next step (it reports the stop as it sees fit)."""
        self._stop.set()

    @property
    def cancelled(self) -> bool:
        return self._stop.is_set()

    # --- back on the UI thread -----------------------------------------------------------------
    def _report(self, succeeded: bool, value: Any) -> None:
        if not isValid(self._parent):
            return
        if self._progress is not None:
            self._progress.finish()
        if succeeded:
            if self._writes:  # first, so the parent's own callback has the last word on what it shows
                changes.announce(*self._writes, source=self._parent)
            self._on_success(value)
        elif self._on_failure is not None:
            self._on_failure(value)
        else:
            show_failure(self._parent, value)


def show_failure(parent: QObject, exc: BaseException, *, title: str | None = None) -> None:
    """A warning box with the one line an officer is shown for ``exc``; opened, never exec()'d."""
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QApplication, QWidget

    from app.core.errors import explain
    from ui.widgets.messages import show_error

    widget = parent
    while widget is not None and not isinstance(widget, QWidget):
        widget = widget.parent()
    show_error(widget or QApplication.activeWindow(), title or QCoreApplication.translate("Op", "操作没有完成"),
               explain(exc))


def wait_for_workers(msecs: int = -1) -> bool:
    """Block until every running operation has finished (closing, tests); results still
    arrive through the event loop afterwards."""
    pools = [QThreadPool.globalInstance(), *([_the_writer] if _the_writer is not None else [])]
    return all([pool.waitForDone(msecs) for pool in pools])


def workers_busy() -> bool:
    """Whether an operation is running on a worker now (the UI thread then keeps from importing:
    two threads importing one package at once can see it half made)."""
    pools = [QThreadPool.globalInstance(), *([_the_writer] if _the_writer is not None else [])]
    return any(pool.activeThreadCount() for pool in pools)


_the_relay: _Relay | None = None
_the_writer: QThreadPool | None = None


def _relay() -> _Relay:
    global _the_relay
    if _the_relay is None:
        _the_relay = _Relay()
    return _the_relay


def _writer() -> QThreadPool:
    """The one thread SQLite writes run on (Anki's ``max_workers=1`` collection executor)."""
    global _the_writer
    if _the_writer is None:
        _the_writer = QThreadPool()
        _the_writer.setMaxThreadCount(1)
    return _the_writer

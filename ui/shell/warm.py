"""Importing, while the login dialog waits for the password, the modules the window needs once the
officer is in: importing a tab's module costs ~0.1 s the first time (shiboken makes the Python enums
of every Qt class it names), and would otherwise be paid after 登录 is pressed.

One module per turn of the event loop, its own imports first, so a key press waits for one
module's body at most (a few ms to ~40 ms), never for the lot. Only what a module imports at its
top (of this program: ``app``, ``db``, ``ui``) is followed; what it imports inside functions is
left lazy unless named too (a tab's ``warms``). Then the Qt classes, a few ms' worth at a time."""

from __future__ import annotations

import dis
import importlib
import importlib.util
import sys
import time
from collections.abc import Iterable, Iterator

from PySide6.QtCore import QObject, QTimer

OURS = ("app", "db", "ui")


def top_imports(name: str) -> list[str]:
    """The modules of this program that module ``name`` imports at its top, in order: read from its
    compiled code, so a bundle (no sources) answers too."""
    spec = importlib.util.find_spec(name)
    try:
        code = spec.loader.get_code(name) if spec is not None and spec.loader is not None else None
    except (AttributeError, ImportError, OSError):  # a loader without code (an extension module)
        code = None
    found: list[str] = []
    module = None
    for step in dis.get_instructions(code) if code is not None else ():  # functions' own code is not walked
        if step.opname == "IMPORT_NAME":
            module = step.argval if step.argval.split(".")[0] in OURS else None
            if module is not None:
                found.append(module)
        elif step.opname == "IMPORT_FROM" and module is not None and _is_package(module):
            if importlib.util.find_spec(f"{module}.{step.argval}") is not None:  # ``from ui.widgets import ops``
                found.append(f"{module}.{step.argval}")
    return found


def _is_package(name: str) -> bool:
    spec = importlib.util.find_spec(name)
    return spec is not None and spec.submodule_search_locations is not None


def qt_classes() -> Iterator[tuple[object, str]]:
    """Every class of the Qt modules loaded, by module and name (not yet touched: Qt's are lazy)."""
    for name, module in list(sys.modules.items()):
        if name.startswith("PySide6.Qt") and module is not None:
            for attr in dir(module):
                if attr.startswith("Q"):
                    yield module, attr


class Warmer(QObject):
    """``Warmer(names, parent).start()``: imports ``names`` (an iterable, read as it goes: a later name
    may depend on an earlier import), one module per zero-timer; then touches every class of the Qt
    modules loaded, a few ms' worth per zero-timer. Stops with its parent.

    Why the classes: the first time Qt hands Python an object of a class Python has not met (the
    idle lock's event filter sees Qt's private window classes), shiboken makes every Qt class it
    has not made yet, with their enums: ~0.1 s on the UI thread in one piece."""

    STEP_S = 0.008  # CPU seconds of class-touching per turn of the event loop
    BUSY_WAIT_MS = 20  # how long to wait while a worker runs before looking again

    def __init__(self, names: Iterable[str], parent: QObject) -> None:
        super().__init__(parent)
        self._names: Iterator[str] = iter(names)
        self._pending: list[str] = []  # a stack: a module's imports above it
        self._classes: Iterator[tuple[object, str]] | None = None
        self.imported: list[str] = []
        self.done = False

    def start(self) -> None:
        QTimer.singleShot(0, self, self._step)

    def _step(self) -> None:
        from ui.widgets.ops import workers_busy

        if workers_busy():  # the login's key derivation imports too: wait rather than race it
            QTimer.singleShot(self.BUSY_WAIT_MS, self, self._step)
            return
        if self._classes is None:
            name = self._next()
            if name is not None:
                importlib.import_module(name)
                self.imported.append(name)
            else:
                self._classes = qt_classes()
        else:
            end = time.thread_time() + self.STEP_S
            for module, attr in self._classes:
                getattr(module, attr)
                if time.thread_time() >= end:
                    break
            else:
                self.done = True
                return
        QTimer.singleShot(0, self, self._step)

    def _next(self) -> str | None:
        """The next module to import whose own imports are in: None when all are."""
        seen = set()
        while True:
            if not self._pending:
                name = next(self._names, None)
                if name is None:
                    return None
                self._pending.append(name)
            name = self._pending[-1]
            if name in sys.modules:
                self._pending.pop()
                continue
            missing = [m for m in top_imports(name) if m not in sys.modules and m not in seen] \
                if name not in seen else []
            seen.add(name)
            if not missing:
                return self._pending.pop()
            self._pending.extend(reversed(missing))

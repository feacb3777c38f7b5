"""The forms and windows a tab opens, one per key (a record, a kind of form): a second click raises
the one already open; a form kept with its input (稍后再填) shows again; closing the program asks
about every form with unsaved input."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QWidget


class OwnWindows:
    """Mixed into a tab that has a ``form_opened`` signal (tests and the walkthrough follow it)."""

    def open_window(self, key: tuple, make: Callable[[], QWidget]) -> QWidget:
        windows = self._own_windows()
        window = windows.get(key)
        if window is None:
            window = windows[key] = make()
            window.destroyed.connect(lambda _obj=None, key=key: windows.pop(key, None))
            if hasattr(window, "finished"):  # a dialog closed for good is forgotten, a kept form stays
                window.finished.connect(lambda _result, key=key, window=window: self._window_closed(key, window))
        if window.isVisible():
            window.raise_()
            window.activateWindow()
        window.show()
        self.form_opened.emit(window)
        return window

    def open_forms(self) -> list[QWidget]:
        return list(self._own_windows().values())

    def can_close(self) -> bool:
        """Ask about every form with unsaved input; False when the officer wants to keep one. A form
        that is kept when closed (稍后再填) and as a draft on disk is offered again at the next start."""
        for window in self.open_forms():
            if _unsaved(window) and not _kept(window) and not window.confirm_discard():
                return False
        return True

    def _window_closed(self, key: tuple, window: QWidget) -> None:
        windows = self._own_windows()
        if not _unsaved(window) and windows.get(key) is window:
            del windows[key]
            window.deleteLater()

    def _own_windows(self) -> dict[tuple, QWidget]:
        if "_windows" not in vars(self):
            self._windows = {}
        return self._windows


def _kept(window: QWidget) -> bool:
    return getattr(window, "keep_on_close", False) and bool(getattr(window, "draft_area", ""))


def _unsaved(window: QWidget) -> bool:
    return getattr(window, "has_unsaved", lambda: False)()

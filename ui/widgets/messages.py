"""Message boxes that never block (tabs and dialogs outside a form) and the styles of the lines
that say what is wrong or what to do."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from app.core.errors import UserError, explain

ERROR_STYLE = "color: #c0392b;"
PROBLEM_STYLE = "color: #c0392b; font-size: 12px;"  # a problem under its field
HINT_STYLE = "color: #666; font-size: 12px;"
BUSY_STYLE = "color: #555555;"
HEADING_STYLE = "font-size: 18px; font-weight: bold;"


def tell(parent: QWidget, title: str, text: str, *, icon=QMessageBox.Icon.Information) -> QMessageBox:
    """A message box the officer closes; opened, never exec()'d, so nothing blocks (or hangs a test)."""
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box


def show_error(parent: QWidget, title: str, text: str) -> QMessageBox:
    return tell(parent, title, text, icon=QMessageBox.Icon.Warning)


def guarded(parent: QWidget, title: str, fn: Callable[[], Any]) -> tuple[bool, Any]:
    """Run a service call: (True, result), or (False, None) after telling the officer what went
    wrong, in the words a form uses (``Form.fail``)."""
    try:
        return True, fn()
    except Exception as exc:
        show_error(parent, title, str(exc) if isinstance(exc, UserError) else explain(exc))
    return False, None

"""What every dispute form shares: checks as typed, Save only when valid, refusals shown, drafts kept."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime
from typing import Any

from PySide6.QtCore import QDate, QDateTime, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import UserError, explain
from ui.widgets import drafts
from ui.widgets.form import FitsScreen, FormCommon, scrolling_body

PROBLEM_STYLE = "color: #c0392b; font-size: 12px;"
HINT_STYLE = "color: #666; font-size: 12px;"


def show_error(parent: QWidget, title: str, text: str) -> QMessageBox:
    """A warning the officer closes; opened, never exec()'d, so nothing blocks (or hangs a test)."""
    box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box


def guarded(parent: QWidget, title: str, fn: Callable[[], Any]) -> tuple[bool, Any]:
    """Run a service call: (True, result), or (False, None) after telling the officer what went wrong.

    A UserError is the service's own words; a full disk or a read-only file is said in plain words
    (app.core.errors.explain, as on the command line); a bug is logged and summarised, never a traceback."""
    try:
        return True, fn()
    except UserError as exc:
        show_error(parent, title, str(exc))
    except Exception as exc:
        show_error(parent, title, explain(exc))
    return False, None


def aware(value: QDateTime) -> datetime:
    """A QDateTime the officer picked (local time) as an aware datetime."""
    return value.toPython().astimezone()


def py_date(value: QDate) -> date:
    return value.toPython()


def q_date(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)


class DisputeForm(FormCommon, FitsScreen, drafts.DraftForm, QDialog):
    """Subclasses build fields with ``add_row``, and implement ``problems`` and ``save``.
    The fields (``body``) scroll inside the window; the buttons below them stay in view.

    Closing with unsaved input only hides the form: the tab keeps it and shows it again,
    so a draft survives a closed window (放弃 throws it away). A form with a ``draft_key`` is also
    kept on disk (ui/widgets/drafts.py), so the draft survives a crash or the program closing."""

    saved = Signal(object)  # what the service returned
    edited = Signal()  # the officer changed something (not a load)
    discarded = Signal()  # 放弃: the input is thrown away
    draft_area = "disputes"

    def __init__(self, parent: QWidget | None, *, title: str, save_text: str | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setModal(False)
        self.setWindowFlag(Qt.WindowType.Window)
        self._messages: dict[str, QLabel] = {}
        self._touched: set[str] = set()  # fields the officer has edited: only they show messages
        self._dirty = False
        self._loading = False

        self.buttons = QDialogButtonBox(self)
        self.save_button = QPushButton(save_text or self.tr("保存"), self)
        self.save_button.setDefault(True)
        self.buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.discard_button = QPushButton(self.tr("放弃"), self)
        self.buttons.addButton(self.discard_button, QDialogButtonBox.ButtonRole.DestructiveRole)
        self.buttons.addButton(QPushButton(self.tr("稍后再填"), self), QDialogButtonBox.ButtonRole.RejectRole)
        self.save_button.clicked.connect(self.submit)
        self.discard_button.clicked.connect(self.discard)
        self.buttons.rejected.connect(self.reject)
        # What still stops saving, beside the disabled Save button (untouched fields stay quiet).
        self.summary = QLabel(self)
        self.summary.setObjectName("summary")
        self.summary.setStyleSheet(HINT_STYLE)
        self.summary.setWordWrap(True)
        self.scroll, self.body = scrolling_body(self)
        outer = QVBoxLayout(self)
        outer.addWidget(self.scroll, 1)
        footer = QHBoxLayout()
        footer.addWidget(self.summary, 1)
        footer.addWidget(self.buttons)
        outer.addLayout(footer)

    def new_form(self) -> QFormLayout:
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        return form

    def message_label(self, names: str | Iterable[str]) -> QLabel:
        """A red line for the problems called ``names``, placed by the caller next to its field."""
        message = QLabel(self)
        message.setStyleSheet(PROBLEM_STYLE)
        message.setWordWrap(True)
        message.hide()
        for name in [names] if isinstance(names, str) else names:
            message.setObjectName(f"problem_{name}")
            self._messages[name] = message
        return message

    def add_row(self, form: QFormLayout, names: str | Iterable[str], label: str, field: QWidget | QLayout) -> QLabel:
        """A labelled field with its message line under it."""
        message = self.message_label(names)
        if isinstance(field, QWidget):
            self.bind(names, field)
        column = QVBoxLayout()
        column.setSpacing(2)
        column.addWidget(field) if isinstance(field, QWidget) else column.addLayout(field)
        column.addWidget(message)
        form.addRow(label, column)
        return message

    def forget_messages(self, prefix: str) -> None:
        """Drop the message lines of a removed part of the form (a party editor)."""
        for name in [n for n in self._messages if n.startswith(prefix)]:
            del self._messages[name]

    def bind(self, names: str | Iterable[str], *widgets: QWidget) -> None:
        """Editing one of ``widgets`` re-checks the form and lets the problems ``names`` show."""
        keys = [names] if isinstance(names, str) else list(names)
        for widget in widgets:
            signal = _edit_signal(widget)
            if signal is not None:
                signal.connect(lambda *_a, keys=keys: self._touch(keys))

    def _touch(self, keys: list[str]) -> None:
        if not self._loading:
            self._touched.update(keys)
        self.changed()

    def changed(self, *_args) -> None:
        if not self._loading:
            self._dirty = True
            self.revalidate()
            self.edited.emit()

    def revalidate(self) -> dict[str, str]:
        problems = self.problems()
        shown: dict[QLabel, str] = {}
        for name, label in self._messages.items():
            if name in problems and name in self._touched:
                shown.setdefault(label, problems[name])
        for label in set(self._messages.values()):
            label.setText(shown.get(label, ""))
            label.setVisible(label in shown)
        self.save_button.setEnabled(not problems)
        if problems:
            first = next(iter(problems.values()))
            more = self.tr("（还有{n}处）").format(n=len(problems) - 1) if len(problems) > 1 else ""
            self.summary.setText(self.tr("尚不能保存：{first}{more}").format(first=first, more=more))
        else:
            self.summary.setText("")
        return problems

    def has_unsaved(self) -> bool:
        return self._dirty

    def submit(self) -> bool:
        """Save when valid; a refusal is shown and the form stays open with the input kept."""
        if self.revalidate():
            return False
        ok, result = guarded(self, self.tr("无法保存"), self.save)
        if not ok:
            return False
        self._dirty = False
        self.saved.emit(result)
        self.accept()
        return True

    def discard(self) -> None:
        self._dirty = False
        self.discarded.emit()
        self.reject()


def _edit_signal(widget: QWidget):
    """The signal a field emits when the officer edits it."""
    if isinstance(widget, QLineEdit):
        return widget.textChanged
    if isinstance(widget, QPlainTextEdit):
        return widget.textChanged
    if isinstance(widget, QComboBox):
        return widget.currentIndexChanged
    if isinstance(widget, QDateTimeEdit):  # QDateEdit too
        return widget.dateTimeChanged
    if isinstance(widget, QAbstractSpinBox):
        return widget.valueChanged
    if isinstance(widget, QAbstractButton):
        return widget.toggled
    return None

"""The one form base (``Form``): fields checked as typed, one service call to save, and one way to
say why saving did not happen. Fitting a window on a laptop screen is ui/widgets/fit.py, message boxes and styles
ui/widgets/messages.py."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from PySide6.QtCore import Qt, Signal
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
    QListWidget,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import UserError, explain
from ui.widgets import drafts
from ui.widgets.fit import FitsScreen, scrolling_body
from ui.widgets.messages import BUSY_STYLE, ERROR_STYLE, HEADING_STYLE, HINT_STYLE, PROBLEM_STYLE
from ui.widgets.ops import Op

DIALOG_WIDTH = 420  # the least width of a form that is a dialog over its parent


def edit_signal(widget: QWidget):
    """The signal a field emits when the officer edits it (None: not a field)."""
    if isinstance(widget, QLineEdit | QPlainTextEdit):
        return widget.textChanged
    if isinstance(widget, QComboBox):  # an editable one changes its text without changing its index
        return widget.currentTextChanged if widget.isEditable() else widget.currentIndexChanged
    if isinstance(widget, QDateTimeEdit):  # QDateEdit too
        return widget.dateTimeChanged
    if isinstance(widget, QAbstractSpinBox):
        return widget.valueChanged
    if isinstance(widget, QAbstractButton):
        return widget.toggled
    if isinstance(widget, QListWidget):  # an item checked or unchecked
        return widget.itemChanged
    return None


# --- the form base -----------------------------------------------------------------------------
class Form(FitsScreen, QDialog):
    """A form whose fields are checked as typed and saved through one service call.

    Subclasses build their fields into ``body`` (``new_form`` + ``add_row``, which binds a field:
    editing it re-checks the form; ``watch``/``bind`` for fields inside a layout), and implement
    ``problems()`` ({name: message}; Save is disabled while there is one) and ``save()`` (the
    service call; raise UserError to refuse). Options, as class attributes:

    - ``quiet``: a problem shows under its field only once the officer has edited that field (or
      pressed Save); a line beside the buttons says what still stops saving.
    - ``keep_on_close``: closing (稍后再填) only hides the form with its input, for its tab to show
      again; 放弃 throws the input away. Otherwise closing with unsaved input asks first.
    - ``on_worker``: ``save()`` reads the fields and returns the call to run on a worker
      (ui.widgets.ops.Op); meanwhile the fields are disabled and ``busy_text`` is shown.
    - ``own_window``: a non-modal window of its own (switching tabs leaves it open), gone when
      closed unless kept; otherwise a dialog over its parent, which its opener disposes of.
    - ``pass_on``: a failure that is not a refusal goes to the opener (``failed``) instead of being
      shown (the login: a damaged database goes to the backup offer).
    - ``draft_area`` with ``draft_key()``: the unsaved input is also kept on disk (ui/widgets/drafts/).

    A service error reaches the officer one way: in the form, in one line above its buttons, with
    the input kept: a refusal (UserError) in the service's words, anything else as
    app.core.errors.explain says it (the traceback goes to the log, never to the officer)."""

    saved = Signal(object)  # what the service returned
    edited = Signal()  # the officer changed something (not a load)
    discarded = Signal()  # the input was thrown away
    refused = Signal(str)  # the line shown when saving was refused or failed
    failed = Signal(object)  # with ``pass_on``: the exception, for the opener

    quiet = False
    keep_on_close = False
    on_worker = False
    own_window = False
    pass_on = False
    draft_area = ""

    def __init__(self, parent: QWidget | None, *, title: str, save_text: str = "", busy_text: str = "",
                 heading: str = "", intro: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        if self.own_window:
            self.setModal(False)
            self.setWindowFlag(Qt.WindowType.Window)
            if not self.keep_on_close:
                self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        else:
            self.setMinimumWidth(DIALOG_WIDTH)
        self.busy_text, self.busy = busy_text, False
        self.touched: set[str] = set()  # problems the officer may see already (``quiet``)
        self._messages: dict[str, QLabel] = {}
        self._dirty = self._loading = self._pressed = False

        outer = QVBoxLayout(self)
        if heading:
            outer.setContentsMargins(24, 20, 24, 16)
            outer.setSpacing(12)
            outer.addWidget(QLabel(heading, self, styleSheet=HEADING_STYLE))
        if intro:
            outer.addWidget(QLabel(intro, self, wordWrap=True))
        self.scroll, self.body = scrolling_body(self)
        self.fields = self.scroll.widget()  # disabled while busy
        outer.addWidget(self.scroll, 1)
        self.message = QLabel(self, wordWrap=True)  # a refusal or failure; what the form is busy with
        self.message.setObjectName("message")
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.hide()
        outer.addWidget(self.message)

        self.buttons = QDialogButtonBox(self)
        self.save_button = QPushButton(save_text or self.tr("保存"), self, default=True)
        self.buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.clicked.connect(self.submit)
        self._save_buttons = [self.save_button]
        if self.keep_on_close:
            self.discard_button = QPushButton(self.tr("放弃"), self)
            self.buttons.addButton(self.discard_button, QDialogButtonBox.ButtonRole.DestructiveRole)
            self.discard_button.clicked.connect(self.discard)
        self.cancel_button = QPushButton(self.tr("稍后再填") if self.keep_on_close else self.tr("取消"), self)
        self.buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.rejected.connect(self.reject)
        self.summary = QLabel(self, wordWrap=True, styleSheet=HINT_STYLE)  # ``quiet``: what stops saving
        self.summary.setObjectName("summary")
        self.footer = QHBoxLayout()
        self.footer.addWidget(self.summary, 1)
        self.footer.addWidget(self.buttons)
        outer.addLayout(self.footer)

    @property
    def ok_button(self) -> QPushButton:  # what a dialog calls its save button
        return self.save_button

    # --- for subclasses -------------------------------------------------------------------
    def problems(self) -> dict[str, str]:
        return {}

    def save(self) -> Any:
        """Call the service and return its result (``on_worker``: return the call); raise UserError to refuse."""
        raise NotImplementedError

    def on_refused(self) -> None:
        """After the work on a worker was refused: where the officer types again (a wrong password)."""

    # --- building -------------------------------------------------------------------------
    def new_form(self) -> QFormLayout:
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        return form

    def message_label(self, names: str | Iterable[str]) -> QLabel:
        """A red line for the problems called ``names``, placed by the caller next to its field."""
        message = QLabel(self, wordWrap=True, styleSheet=PROBLEM_STYLE)
        message.hide()
        for name in [names] if isinstance(names, str) else names:
            message.setObjectName(f"problem_{name}")
            self._messages[name] = message
        return message

    def add_row(self, form: QFormLayout, names: str | Iterable[str], label: str, field: QWidget | QLayout) -> QLabel:
        """A labelled field with the message line of the problems ``names`` under it."""
        message = self.message_label(names)
        if isinstance(field, QWidget):
            self.bind(names, field)
        column = QVBoxLayout()
        column.setSpacing(2)
        column.addWidget(field) if isinstance(field, QWidget) else column.addLayout(field)
        column.addWidget(message)
        form.addRow(label, column)
        return message

    def add_save_button(self, text: str) -> QPushButton:
        """Another button that saves (e.g. save and print), enabled only while the form is valid."""
        button = QPushButton(text, self)
        self.buttons.addButton(button, QDialogButtonBox.ButtonRole.ApplyRole)
        self._save_buttons.append(button)
        return button

    def watch(self, *signals) -> None:
        """Re-check the form whenever one of ``signals`` fires (an edit)."""
        for signal in signals:
            signal.connect(self.on_edit)

    def bind(self, names: str | Iterable[str], *widgets: QWidget) -> None:
        """Editing one of ``widgets`` re-checks the form and lets the problems ``names`` show."""
        keys = [names] if isinstance(names, str) else list(names)
        for widget in widgets:
            if (signal := edit_signal(widget)) is not None:
                signal.connect(lambda *_a, keys=keys: self._touch(keys))

    @contextmanager
    def loading(self) -> Iterator[None]:
        """``with self.loading():`` fills fields without marking the form changed."""
        self._loading = True
        try:
            yield
        finally:
            self._loading = False
            self.revalidate()

    # --- checking as typed ----------------------------------------------------------------
    def _touch(self, keys: list[str]) -> None:
        if not self._loading:
            self.touched.update(keys)
        self.on_edit()

    def on_edit(self, *_args) -> None:
        if self._loading:
            return
        self._dirty = True
        if not self.busy:
            self.message.hide()  # a refusal of what has just been changed no longer holds
        self.revalidate()
        self.edited.emit()

    def showing_all(self) -> bool:
        """Every problem is shown (not ``quiet``, or Save was pressed)."""
        return not self.quiet or self._pressed

    def revalidate(self) -> dict[str, str]:
        problems = self.problems()
        shown: dict[QLabel, str] = {}
        for name, label in self._messages.items():
            if name in problems and (self.showing_all() or name in self.touched):
                shown.setdefault(label, problems[name])
        for label in set(self._messages.values()):
            label.setText(shown.get(label, ""))
            label.setVisible(label in shown)
        for button in self._save_buttons:
            button.setEnabled(not problems and not self.busy)
        summary = ""
        if problems and self.quiet:
            first = next(iter(problems.values()))
            more = self.tr("（还有{n}处）").format(n=len(problems) - 1) if len(problems) > 1 else ""
            summary = self.tr("尚不能保存：{first}{more}").format(first=first, more=more)
        self.summary.setText(summary)
        return problems

    def has_unsaved(self) -> bool:
        return self._dirty

    # --- saving ---------------------------------------------------------------------------
    def submit(self) -> bool:
        """Save when valid: True once saved (``on_worker``: once the work is started)."""
        if self.busy:
            return False
        self._pressed = True
        if self.revalidate():
            return False
        self.message.hide()
        try:
            result = self.save()
        except Exception as exc:  # refused before any work started (two passwords that differ, say)
            self.fail(exc)
            return False
        if not self.on_worker:
            self._saved(result)
            return True
        self.set_busy(True)
        Op(self, result).on_success(self._saved).on_failure(self._work_failed).run()
        return True

    def _saved(self, result) -> None:
        if self.busy:
            self.set_busy(False)
        self._dirty = False
        self.saved.emit(result)
        self.accept()

    def _work_failed(self, exc: Exception) -> None:
        self.set_busy(False)
        self.fail(exc)
        if isinstance(exc, UserError):
            self.on_refused()

    def fail(self, exc: BaseException) -> None:
        """Say why saving did not happen; the form stays open with the input kept."""
        if not isinstance(exc, UserError) and self.pass_on:
            self.failed.emit(exc)
            return
        self.refuse(str(exc) if isinstance(exc, UserError) else explain(exc))

    def refuse(self, text: str) -> None:
        """Show ``text`` above the buttons, in red, until the next edit or save."""
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setText(text)
        self.message.show()
        self.refused.emit(text)

    def set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.fields.setEnabled(not busy)
        for button in self.buttons.buttons():
            button.setEnabled(not busy)
        if busy:
            self.message.setStyleSheet(BUSY_STYLE)
            self.message.setText(self.busy_text)
            self.message.setVisible(bool(self.busy_text))
        else:
            self.message.hide()
            self.revalidate()

    # --- closing --------------------------------------------------------------------------
    def reject(self) -> None:
        if self.busy:  # the work under way (a key derivation, say) finishes first
            return
        if not self.keep_on_close:
            if self._dirty and not self.confirm_discard():
                return
            self._dirty = False
            self.discarded.emit()
        super().reject()

    def discard(self) -> None:
        """放弃: close without saving and without asking; the input (and its draft) goes."""
        if self.busy:
            return
        self._dirty = False
        self.discarded.emit()
        super().reject()

    def confirm_discard(self) -> bool:
        self.raise_()
        self.activateWindow()
        question = self.tr("「{title}」还有未保存的内容，确定放弃吗？").format(title=self.windowTitle())
        answer = QMessageBox.question(
            self, self.tr("放弃修改？"), question,
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Cancel)
        if answer == QMessageBox.StandardButton.Discard:
            self.discarded.emit()  # the draft goes too, even if closing the window is then called off
            return True
        return False

    # --- drafts (ui/widgets/drafts/keeper.py) -----------------------------------------------
    def draft_key(self) -> tuple[str, str | None, dict] | None:
        """(kind, id of the record edited or None, what else reopens it); None: not kept as a draft."""
        return None

    def draft_values(self) -> dict:
        """The input as JSON-able values; forms with special widgets add theirs."""
        return drafts.widget_values(self)

    def restore_draft(self, values: dict) -> None:
        """Fill the form with a draft's values; it then counts as unsaved input."""
        with self.loading():
            self.apply_draft(values)
        self._dirty = True

    def apply_draft(self, values: dict) -> None:
        drafts.restore_widgets(self, values)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        drafts.track(self)


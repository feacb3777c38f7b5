"""What every form of the household tab shares: a message next to each field as the officer
types, Save disabled while anything is invalid, refusals in a message box, and no silent loss
of unsaved input (the forms are non-modal windows; closing one with changes asks first, and the
input is kept on disk as a draft until saved or discarded: ui/widgets/drafts.py). The fields scroll
inside the window and Save stays in view, so a form fits a laptop screen (ui/widgets/form.py)."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLayout,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import UserError
from ui.widgets import drafts
from ui.widgets.form import FitsScreen, FormCommon, scrolling_body

PROBLEM_STYLE = "color: #c0392b; font-size: 12px;"
log = logging.getLogger(__name__)


def tell(parent: QWidget, title: str, text: str, *, icon=QMessageBox.Icon.Information) -> QMessageBox:
    """A message box that does not block (``open()``, no nested event loop): refusals, notices."""
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box


class FormDialog(FormCommon, FitsScreen, drafts.DraftForm, QDialog):
    """Subclasses build their fields with ``add_row``, and implement ``problems`` and ``save``;
    ``draft_key`` (how to open the form again) makes its unsaved input a draft on disk."""

    saved = Signal(object)  # what the service returned
    refused = Signal(str)  # a service refusal, also shown in a message box
    edited = Signal()  # the officer changed something (not a load)
    discarded = Signal()  # the officer threw the input away
    draft_area = "households"

    def __init__(self, parent: QWidget | None, *, title: str) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setModal(False)
        self.setWindowFlag(Qt.WindowType.Window)  # its own window: switching tabs leaves it open
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._messages: dict[str, QLabel] = {}
        self._dirty = False
        self._loading = False

        self.buttons = QDialogButtonBox(self)
        self.save_button = QPushButton(self.tr("保存"), self)
        self.save_button.setDefault(True)
        self.buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(QPushButton(self.tr("取消"), self), QDialogButtonBox.ButtonRole.RejectRole)
        self.save_button.clicked.connect(self.submit)
        self._save_buttons = [self.save_button]
        self.buttons.rejected.connect(self.reject)
        self.scroll, self.body = scrolling_body(self)
        outer = QVBoxLayout(self)
        outer.addWidget(self.scroll, 1)
        outer.addWidget(self.buttons)

    # --- building -------------------------------------------------------------------------
    def new_form(self) -> QFormLayout:
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        return form

    def add_row(self, form: QFormLayout, names: str | Iterable[str], label: str,
                field: QWidget | QLayout) -> QLabel:
        """A labelled field with its message line under it; ``names`` are the problem keys it shows."""
        message = QLabel(self)
        message.setStyleSheet(PROBLEM_STYLE)
        message.setWordWrap(True)
        message.hide()
        column = QVBoxLayout()
        column.setSpacing(2)
        column.addWidget(field) if isinstance(field, QWidget) else column.addLayout(field)
        column.addWidget(message)
        form.addRow(label, column)
        for name in [names] if isinstance(names, str) else names:
            message.setObjectName(f"problem_{name}")
            self._messages[name] = message
        return message

    def add_save_button(self, text: str) -> QPushButton:
        """Another button that saves (e.g. save and print), enabled only while the form is valid."""
        button = QPushButton(text, self)
        self.buttons.addButton(button, QDialogButtonBox.ButtonRole.ApplyRole)
        self._save_buttons.append(button)
        return button

    # --- behaviour ------------------------------------------------------------------------
    def changed(self, *_args) -> None:
        if not self._loading:
            self._dirty = True
            self.edited.emit()
        self.revalidate()

    def revalidate(self) -> dict[str, str]:
        problems = self.problems()
        shown: dict[QLabel, str] = {}
        for name, label in self._messages.items():
            if name in problems:
                shown.setdefault(label, problems[name])
        for label in set(self._messages.values()):
            label.setText(shown.get(label, ""))
            label.setVisible(label in shown)
        for button in self._save_buttons:
            button.setEnabled(not problems)
        return problems

    def has_unsaved(self) -> bool:
        return self._dirty

    def submit(self) -> bool:
        """Save when valid; a refusal is shown, the form stays open with the input kept."""
        if self.revalidate():
            return False
        try:
            result = self.save()
        except UserError as exc:
            self.refuse(str(exc))
            return False
        except Exception as exc:  # never a traceback for the officer: say it, log it, keep the input
            log.exception("saving %s failed", type(self).__name__)
            self.refuse(self.tr("保存失败（内部错误：{error}），填写的内容仍保留在表中。").format(error=exc))
            return False
        self._dirty = False
        self.saved.emit(result)
        self.accept()
        return True

    def refuse(self, message: str) -> None:
        self.refused.emit(message)
        tell(self, self.tr("无法保存"), message, icon=QMessageBox.Icon.Warning)

    def discard(self) -> None:
        """Close without saving and without asking."""
        self._dirty = False
        self.reject()

    def reject(self) -> None:
        if self._dirty and not self.confirm_discard():
            return
        self._dirty = False
        self.discarded.emit()
        super().reject()

    def confirm_discard(self) -> bool:
        self.raise_()
        self.activateWindow()
        answer = QMessageBox.question(
            self, self.tr("放弃修改？"), self.tr("「{title}」还有未保存的内容，确定放弃吗？").format(title=self.windowTitle()),
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Cancel)
        if answer == QMessageBox.StandardButton.Discard:
            self.discarded.emit()  # the draft goes too, even if closing the window is then called off
            return True
        return False

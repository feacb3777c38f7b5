"""What the account dialogs share: password fields, a message under the fields, and a service
call run on a worker while the dialog shows it is busy (Argon2 takes ~0.15 s a password)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import UserError
from ui.widgets.form import FitsScreen, limit_length
from ui.widgets.ops import Op

ERROR_STYLE = "color: #c0392b;"
BUSY_STYLE = "color: #555555;"
NOTE_STYLE = "color: #666666; font-size: 12px;"
HEADING_STYLE = "font-size: 18px; font-weight: bold;"
PASSWORD_HINT = "至少 8 位，须同时含有字母和数字"
NAME_LIMIT = 32  # user name and name, as app.accounts.service checks them
BADGE_LIMIT = 16  # the officer table's column (db/models)


def password_edit(parent: QWidget, placeholder: str = "") -> QLineEdit:
    return QLineEdit(parent, echoMode=QLineEdit.EchoMode.Password, placeholderText=placeholder)


def name_edit(parent: QWidget, text: str = "", placeholder: str = "") -> QLineEdit:
    """A user name or a person's name, stopped at the accounts service's limit."""
    edit = QLineEdit(text, parent, placeholderText=placeholder)
    limit_length(edit, NAME_LIMIT)
    return edit


def note(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent, wordWrap=True)
    label.setStyleSheet(NOTE_STYLE)
    return label


class ServiceDialog(FitsScreen, QDialog):
    """A small form whose OK button calls ``submit()``; ``run(fn, done)`` then calls ``fn`` on a
    worker with the fields disabled and ``busy_text`` shown. A refusal (UserError) comes back
    as the message under the fields. Anything else is shown there too, unless ``pass_on`` is
    set: then ``failed`` carries it to whoever opened the dialog (login: a damaged database)."""

    failed = Signal(object)
    pass_on = False

    def __init__(self, parent: QWidget | None, *, title: str, ok_text: str, busy_text: str,
                 heading: str = "", intro: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.busy_text = busy_text
        self.busy = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        layout.setSpacing(12)
        if heading:
            label = QLabel(heading, self)
            label.setStyleSheet(HEADING_STYLE)
            layout.addWidget(label)
        if intro:
            layout.addWidget(QLabel(intro, self, wordWrap=True))
        self.fields = QWidget(self)
        self.form = QFormLayout(self.fields)
        self.form.setContentsMargins(0, 4, 0, 0)
        self.form.setVerticalSpacing(10)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        layout.addWidget(self.fields)
        self.message = QLabel(self, wordWrap=True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.hide()
        layout.addWidget(self.message)
        layout.addStretch(1)

        self.buttons = QDialogButtonBox(self)
        self.ok_button = self.buttons.addButton(ok_text, QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok_button.setDefault(True)
        self.cancel_button = self.buttons.addButton(self.tr("取消"), QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.bottom = QHBoxLayout()  # room on the left for a link (忘记密码)
        self.bottom.addStretch(1)
        self.bottom.addWidget(self.buttons)
        layout.addLayout(self.bottom)
        self.setMinimumWidth(420)

    # --- for subclasses -------------------------------------------------------------------
    def submit(self) -> None:
        raise NotImplementedError

    def refused(self) -> None:
        """After a refusal: where the officer types again (e.g. clear and focus the password)."""

    # --- shared behaviour -----------------------------------------------------------------
    def accept(self) -> None:  # Enter and the OK button: check and run, never just close
        if not self.busy:
            self.submit()

    def reject(self) -> None:
        if not self.busy:  # a key derivation under way finishes first
            super().reject()

    def finish(self) -> None:
        """Close as accepted, once the work is done."""
        super().accept()

    def show_error(self, text: str) -> None:
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setText(text)
        self.message.show()

    def show_busy(self, busy: bool) -> None:
        self.busy = busy
        self.fields.setEnabled(not busy)
        self.ok_button.setEnabled(not busy)
        self.cancel_button.setEnabled(not busy)
        if busy:
            self.message.setStyleSheet(BUSY_STYLE)
            self.message.setText(self.busy_text)
            self.message.show()
        else:
            self.message.hide()

    def run(self, fn: Callable[[], Any], done: Callable[[Any], None]) -> None:
        self.show_busy(True)

        def succeeded(result) -> None:
            self.show_busy(False)
            done(result)

        def failed(exc: Exception) -> None:
            self.show_busy(False)
            if isinstance(exc, UserError):
                self.show_error(str(exc))
                self.refused()
            elif self.pass_on:
                self.failed.emit(exc)
            else:
                from app.core.errors import log_traceback

                log_traceback(exc)
                self.show_error(self.tr("操作没有完成：{error}").format(error=exc))

        Op(self, fn).on_success(succeeded).on_failure(failed).run()

    def check_twice(self, first: QLineEdit, second: QLineEdit) -> bool:
        """The new password typed the same twice; otherwise says so and focuses the second."""
        if first.text() != second.text():
            self.show_error(self.tr("两次输入的密码不一致"))
            second.clear()
            second.setFocus()
            return False
        return True

"""What the account forms share (ui/accounts/forms.py, ui/shell/login.py): password and name fields
and the check that a new password was typed the same twice. The forms themselves are ``Form``s
(ui/widgets/form.py) that save on a worker: Argon2 takes ~0.15 s a password."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QLineEdit, QWidget

from app.core.errors import UserError
from ui.widgets.fit import limit_length
from ui.widgets.messages import HINT_STYLE

PASSWORD_HINT = "至少 8 位，须同时含有字母和数字"
NAME_LIMIT = 32  # user name and name, as app.accounts.account checks them
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
    label.setStyleSheet(HINT_STYLE)
    return label


def check_twice(first: QLineEdit, second: QLineEdit) -> None:
    """The new password typed the same twice; otherwise the second is cleared and focused, and the
    form is told why (a UserError raised in ``save()`` is shown like the service's own)."""
    if first.text() != second.text():
        second.clear()
        second.setFocus()
        raise UserError(second.tr("两次输入的密码不一致"))


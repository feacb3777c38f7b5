"""The password forms of a working session: change one's own, and the admin's new account,
reset password and enrolment on this laptop. Each calls one account service on a worker."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QLineEdit, QWidget

from ui.accounts.common import BADGE_LIMIT, PASSWORD_HINT, check_twice, name_edit, note, password_edit
from ui.widgets.fit import limit_length
from ui.widgets.form import Form


class ChangePasswordDialog(Form):
    """账户 → 修改密码: the officer's own password, old one first."""

    changed = Signal()
    on_worker = True

    def __init__(self, db, parent: QWidget | None = None) -> None:
        super().__init__(parent, title=self.tr("修改密码"), save_text=self.tr("修改"),
                         busy_text=self.tr("正在修改密码…"))
        self.db = db
        self.old = password_edit(self)
        self.password = password_edit(self, self.tr(PASSWORD_HINT))
        self.again = password_edit(self, self.tr("再输入一次"))
        form = self.new_form()
        form.addRow(self.tr("原密码："), self.old)
        form.addRow(self.tr("新密码："), self.password)
        form.addRow(self.tr("确认新密码："), self.again)
        self.body.addLayout(form)
        self.saved.connect(lambda _result: self.changed.emit())

    def save(self):
        from app.accounts.manage import change_password

        check_twice(self.password, self.again)
        db, old, new = self.db, self.old.text(), self.password.text()
        return lambda: change_password(db, old, new)


class NewAccountDialog(Form):
    """新建账户: an officer, an auxiliary or another admin, with a first password."""

    created = Signal(object)  # app.accounts.account.Account
    on_worker = True

    def __init__(self, db, parent: QWidget | None = None) -> None:
        from app.core.vocab import OFFICER_ROLES

        super().__init__(parent, title=self.tr("新建账户"), save_text=self.tr("新建"),
                         busy_text=self.tr("正在新建账户…"))
        self.db = db
        self.username = name_edit(self, placeholder=self.tr("小写字母、数字，如 wangjh"))
        self.name = name_edit(self, placeholder=self.tr("如 王建华"))
        self.role = QComboBox(self)
        for code in ("officer", "auxiliary", "admin"):
            self.role.addItem(self.tr(OFFICER_ROLES[code]), code)
        self.badge = QLineEdit(self, placeholderText=self.tr("可不填"))
        limit_length(self.badge, BADGE_LIMIT)
        self.password = password_edit(self, self.tr(PASSWORD_HINT))
        self.again = password_edit(self, self.tr("再输入一次"))
        form = self.new_form()
        form.addRow(self.tr("用户名："), self.username)
        form.addRow(self.tr("姓名："), self.name)
        form.addRow(self.tr("身份："), self.role)
        form.addRow(self.tr("警号："), self.badge)
        form.addRow(self.tr("初始密码："), self.password)
        form.addRow(self.tr("确认密码："), self.again)
        self.body.addLayout(form)
        self.body.addWidget(note(
            self.tr("请把初始密码当面告诉本人，并请他登录后在「账户 → 修改密码」中改成自己的密码。"), self))
        self.saved.connect(self.created)

    def save(self):
        from app.accounts.manage import create_account

        check_twice(self.password, self.again)
        db = self.db
        values = {"username": self.username.text(), "name": self.name.text(), "role": self.role.currentData(),
                  "password": self.password.text(), "badge_no": self.badge.text().strip() or None}
        return lambda: create_account(db, **values)


class ResetPasswordDialog(Form):
    """重设密码: the admin gives an officer who forgot his a new one."""

    done_for = Signal(object)  # the Account
    on_worker = True

    def __init__(self, db, account, parent: QWidget | None = None) -> None:
        intro = self.tr("为 {name}（{username}）设一个新密码。请当面告诉本人，并请他登录后改成自己的密码。")
        super().__init__(parent, title=self.tr("重设密码"), save_text=self.tr("重设"),
                         busy_text=self.tr("正在重设密码…"),
                         intro=intro.format(name=account.name, username=account.username))
        self.db, self.account = db, account
        self.password = password_edit(self, self.tr(PASSWORD_HINT))
        self.again = password_edit(self, self.tr("再输入一次"))
        form = self.new_form()
        form.addRow(self.tr("新密码："), self.password)
        form.addRow(self.tr("确认新密码："), self.again)
        self.body.addLayout(form)
        self.saved.connect(lambda _result: self.done_for.emit(self.account))

    def save(self):
        from app.accounts.manage import reset_password

        check_twice(self.password, self.again)
        db, officer_id, password = self.db, self.account.id, self.password.text()
        return lambda: reset_password(db, officer_id, password)


class EnrollDialog(Form):
    """在本机启用: an account that came by sync may log in here once its owner types his password."""

    done_for = Signal(object)  # the Account
    on_worker = True

    def __init__(self, db, account, parent: QWidget | None = None) -> None:
        super().__init__(parent, title=self.tr("在本机启用"), save_text=self.tr("启用"), busy_text=self.tr("正在验证…"),
                         intro=self.tr("{name}（{username}）的账户是从其他电脑同步来的。请{name}本人在下面输入"
                                       "自己的密码，之后他就可以在这台电脑上登录。").format(
                                           name=account.name, username=account.username))
        self.db, self.account = db, account
        self.password = password_edit(self)
        form = self.new_form()
        form.addRow(self.tr("本人密码："), self.password)
        self.body.addLayout(form)
        self.saved.connect(self.done_for)

    def save(self):
        from app.accounts.manage import enroll

        db, username, password = self.db, self.account.username, self.password.text()
        return lambda: enroll(db, username, password)

    def on_refused(self) -> None:
        self.password.clear()
        self.password.setFocus()

"""Logging in when the program starts: the dialog the station needs (first admin, login, a
missing key file), then the logged-in database handed to the main window.

The window paints first (ui/shell/app.py); ``LoginFlow.start`` then asks on a worker what the
station needs, and every key derivation runs on a worker too, so the dialogs stay responsive.
Errors that are not a refused login (a damaged file, say) go to the window's usual handling,
which offers a backup; after a restore the flow starts again, so nobody gets in without a login.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import UserError
from ui.accounts.common import PASSWORD_HINT, check_twice, name_edit, note, password_edit
from ui.shell.database import explain_failure
from ui.shell.main_window import MainWindow
from ui.widgets.fit import FitsScreen
from ui.widgets.form import Form
from ui.widgets.ops import Op


class LoginDialog(Form):
    logged_in = Signal(object)  # app.accounts.account.Login
    forgot = Signal(str)  # the user name typed so far
    on_worker = True
    pass_on = True

    def __init__(self, path: Path, *, username: str = "", now: Callable[[], float] = time.time,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent, title=self.tr("登录"), save_text=self.tr("登录"), busy_text=self.tr("正在验证…"),
                         heading=self.tr("社区警务工作台"), intro=self.tr("请用您的账户登录。"))
        self.path, self.now = Path(path), now
        self.cancel_button.setText(self.tr("退出"))
        self.username = name_edit(self, username, self.tr("如 wangjh"))
        self.password = password_edit(self)
        form = self.new_form()
        form.addRow(self.tr("用户名："), self.username)
        form.addRow(self.tr("密码："), self.password)
        self.body.addLayout(form)
        where = note(self.tr("数据库：{name}").format(name=self.path.name), self)
        where.setToolTip(str(self.path))
        self.layout().insertWidget(self.layout().indexOf(self.message) + 1, where)
        self.forgot_link = QLabel(f'<a href="#">{self.tr("忘记密码？")}</a>', self)
        self.forgot_link.linkActivated.connect(lambda _link: self.forgot.emit(self.username.text().strip()))
        self.footer.insertWidget(0, self.forgot_link)
        self.saved.connect(self.logged_in)
        (self.password if username else self.username).setFocus()

    def save(self):
        from app.accounts.login import log_in

        username, password = self.username.text().strip(), self.password.text()
        for field, text, missing in ((self.username, username, self.tr("请输入用户名")),
                                     (self.password, password, self.tr("请输入密码"))):
            if not text:
                field.setFocus()
                raise UserError(missing)
        path, now = self.path, self.now
        return lambda: explain_failure(path, lambda: log_in(path, username, password, now=now))

    def on_refused(self) -> None:
        self.password.clear()
        self.password.setFocus()

    def set_busy(self, busy: bool) -> None:
        super().set_busy(busy)
        self.forgot_link.setEnabled(not busy)


class FirstStartDialog(Form):
    """The station's first admin (所领导) account; the database is encrypted from then on."""

    logged_in = Signal(object)
    on_worker = True
    pass_on = True

    def __init__(self, path: Path, parent: QWidget | None = None) -> None:
        super().__init__(
            parent, title=self.tr("第一次使用"), save_text=self.tr("创建并登录"),
            busy_text=self.tr("正在创建账户并加密数据库，请稍候…"), heading=self.tr("创建管理员账户"),
            intro=self.tr("这是本机第一次使用社区警务工作台。请为本所创建管理员（所领导）账户，"
                          "之后用它登录并为其他民警、辅警开设账户。\n数据库将加密保存，只有登录后才能打开。"))
        self.path = Path(path)
        self.username = name_edit(self, "admin")
        self.name = name_edit(self, placeholder=self.tr("如 张建国"))
        self.password = password_edit(self, self.tr(PASSWORD_HINT))
        self.again = password_edit(self, self.tr("再输入一次"))
        form = self.new_form()
        form.addRow(self.tr("用户名："), self.username)
        form.addRow(self.tr("姓名："), self.name)
        form.addRow(self.tr("密码："), self.password)
        form.addRow(self.tr("确认密码："), self.again)
        self.body.addLayout(form)
        self.saved.connect(self.logged_in)
        self.name.setFocus()

    def save(self):
        from app.accounts.first_start import create_station

        check_twice(self.password, self.again)
        path, username, name, password = self.path, self.username.text(), self.name.text(), self.password.text()
        return lambda: explain_failure(path, lambda: create_station(path, username=username, name=name,
                                                                    password=password))


class RecoverDialog(Form):
    """忘记密码: the recovery code from the station safe sets a new password."""

    logged_in = Signal(object)
    on_worker = True
    pass_on = True

    def __init__(self, path: Path, *, username: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent, title=self.tr("忘记密码"), save_text=self.tr("重设并登录"),
                         busy_text=self.tr("正在验证恢复码…"), heading=self.tr("用恢复码重设密码"),
                         intro=self.tr("恢复码在创建本所管理员账户时显示过一次，应抄写存放在所里保险柜。"
                                       "请向所领导索取，用它为您的账户设一个新密码。"))
        self.path = Path(path)
        self.username = name_edit(self, username)
        self.code = QLineEdit(self, placeholderText="XXXX-XXXX-XXXX-XXXX-XXXX-XXXX")
        self.password = password_edit(self, self.tr(PASSWORD_HINT))
        self.again = password_edit(self, self.tr("再输入一次"))
        form = self.new_form()
        form.addRow(self.tr("用户名："), self.username)
        form.addRow(self.tr("恢复码："), self.code)
        form.addRow(self.tr("新密码："), self.password)
        form.addRow(self.tr("确认新密码："), self.again)
        self.body.addLayout(form)
        self.saved.connect(self.logged_in)
        (self.code if username else self.username).setFocus()

    def save(self):
        from app.accounts.login import recover

        check_twice(self.password, self.again)
        path, code, username, password = self.path, self.code.text(), self.username.text(), self.password.text()
        return lambda: explain_failure(path, lambda: recover(path, code=code, username=username,
                                                             new_password=password))


class RecoveryCodeDialog(FitsScreen, QDialog):
    """Shown once, when the station's key file is made: the code to copy by hand."""

    def __init__(self, code: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("请抄写恢复码"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        layout.setSpacing(12)
        heading = QLabel(self.tr("本所的恢复码"), self)
        heading.setStyleSheet("font-size: 18px; font-weight: bold;")
        layout.addWidget(heading)
        layout.addWidget(QLabel(self.tr("恢复码用于忘记密码时重设，请抄写并存放在所里保险柜。"), self, wordWrap=True))
        self.code = QLabel(code, self)
        self.code.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.code.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.code.setStyleSheet("font-family: monospace; font-size: 22px; font-weight: bold; letter-spacing: 2px;"
                                "padding: 14px; background: #f4f6f8; border: 1px solid #c8ccd0; border-radius: 4px;")
        layout.addWidget(self.code)
        layout.addWidget(note(self.tr("它只显示这一次，程序不会保存可再次查看的副本。"
                                      "拿到恢复码的人可以重设任何账户的密码，请像保管钥匙一样保管它。"), self))
        self.copy_button = QPushButton(self.tr("复制"), self)
        self.copy_button.clicked.connect(self._copy)
        self.done_button = QPushButton(self.tr("我已抄写"), self, default=True)
        self.done_button.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addWidget(self.copy_button)
        buttons.addStretch(1)
        buttons.addWidget(self.done_button)
        layout.addLayout(buttons)
        self.setMinimumWidth(480)

    def _copy(self) -> None:
        QGuiApplication.clipboard().setText(self.code.text())
        self.copy_button.setText(self.tr("已复制"))

    def accept(self) -> None:
        clipboard = QGuiApplication.clipboard()
        if clipboard.text() == self.code.text():  # pasted where it belongs by now; not left lying around
            clipboard.clear()
        super().accept()

    def reject(self) -> None:  # Esc or the title bar's close: only "我已抄写" closes it
        pass


class LoginFlow(QObject):
    """From the painted window to a logged-in one; ``cancelled`` when the officer gives up."""

    cancelled = Signal()
    logged_in = Signal(object)  # app.accounts.account.Login, after the window has it

    def __init__(self, window: MainWindow, path: Path, *, now: Callable[[], float] = time.time) -> None:
        super().__init__(window)
        self.window, self.path, self.now = window, Path(path), now
        self.dialog: QDialog | None = None
        self._warmer = None  # ui.shell.warm.Warmer, started with the first dialog
        window.login_again = self.start  # after a restore made before anyone logged in

    def start(self) -> None:
        def work():
            from app.accounts.first_start import needs_first_admin, station_state

            return "first" if needs_first_admin(path) else station_state(path)

        path = self.path
        Op(self, lambda: explain_failure(path, work)).on_success(self._route).on_failure(
            self.window.report_open_failure).run()

    def _route(self, state: str) -> None:
        if state == "first":
            self._show(FirstStartDialog(self.path, self.window))
        elif state == "no_keys":
            self._ask_for_keys()
        else:
            dialog = LoginDialog(self.path, username=self.window.settings.get("login/username"), now=self.now,
                                 parent=self.window)
            dialog.forgot.connect(self._forgot)
            dialog.forgot_link.setVisible(state == "encrypted")  # a plain file has no recovery code yet
            self._show(dialog)

    def _show(self, dialog: Form) -> None:
        self.dialog = dialog
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.logged_in.connect(self._logged_in)
        dialog.failed.connect(self._failed)
        dialog.rejected.connect(self.cancelled)
        dialog.open()
        if self._warmer is None:  # while he types: what the window needs once he is in
            from ui.shell.warm import Warmer

            self._warmer = Warmer(self.window.warm_modules(), self)
            self._warmer.start()

    def _forgot(self, username: str) -> None:
        recover = RecoverDialog(self.path, username=username, parent=self.dialog)
        recover.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        recover.logged_in.connect(self._logged_in)
        recover.failed.connect(self._failed)
        recover.open()  # cancelled: back to the login dialog below it

    def _close_dialog(self) -> None:
        from shiboken6 import isValid

        if self.dialog is not None and isValid(self.dialog):
            self.dialog.blockSignals(True)  # closing it is not the officer giving up
            self.dialog.close()
        self.dialog = None

    def _logged_in(self, login) -> None:
        self._close_dialog()
        self.window.settings.set("login/username", login.officer.username)
        self.window.attach_login(login)
        if login.recovery_code:
            code = RecoveryCodeDialog(login.recovery_code, self.window)
            code.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            code.open()
        self.logged_in.emit(login)

    def _failed(self, exc: Exception) -> None:
        self._close_dialog()
        self.window.report_open_failure(exc)

    def _ask_for_keys(self) -> None:
        from app.accounts.keyring import keyring_path

        keys = keyring_path(self.path)
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("找不到密钥文件"), self.tr(
            "数据库 {name} 已加密，但它旁边的密钥文件 {keys} 不见了，没有它无法打开数据库。").format(
                name=self.path.name, keys=keys.name), parent=self.window)
        box.setInformativeText(self.tr("如果有密钥文件的备份（例如所领导保存在U盘里的副本），请选择它来恢复；"
                                       "否则请联系所领导。\n文件夹：{folder}").format(folder=self.path.parent))
        restore = box.addButton(self.tr("恢复密钥文件…"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(self.tr("退出"), QMessageBox.ButtonRole.RejectRole)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.finished.connect(
            lambda _r: self._restore_keys() if box.clickedButton() is restore else self.cancelled.emit())
        self.dialog = box
        box.open()

    def _restore_keys(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        chosen, _ = QFileDialog.getOpenFileName(self.window, self.tr("选择密钥文件"), str(self.path.parent),
                                                self.tr("密钥文件 (*.keys);;所有文件 (*)"))
        if not chosen:
            self._ask_for_keys()
            return
        problem = restore_keys(self.path, Path(chosen))
        if problem:
            QMessageBox.warning(self.window, self.tr("无法使用这个文件"), problem)
            self._ask_for_keys()
            return
        self.start()


def restore_keys(db_path: Path, chosen: Path) -> str | None:
    """Copy a saved key file beside the database; the reason when it is not one."""
    import shutil

    from app.accounts.keyring import Keyring, keyring_path

    target = keyring_path(db_path)
    try:
        shutil.copyfile(chosen, target)
        Keyring.load(db_path)
    except (OSError, UserError) as exc:
        target.unlink(missing_ok=True)
        return str(exc)
    return None


def smoke_login(window: MainWindow, path: Path) -> None:
    """For the bundle check only (``cpdesk gui --smoke``: build_spec/smoke.py, tests/bench):
    log in without a dialog as $CPDESK_USER (default admin) with $CPDESK_PASSWORD, making the
    station first if it is new. Without $CPDESK_PASSWORD a plain database opens as before
    logins existed (the window quits at once, after 'ready'); an encrypted one is refused."""
    import os

    password = os.environ.get("CPDESK_PASSWORD")
    username = os.environ.get("CPDESK_USER", "admin")

    def work():
        from app.accounts.first_start import create_station, needs_first_admin, station_state
        from app.accounts.login import log_in
        from app.core.errors import UserError

        if not password:
            if station_state(path) in ("new", "plain"):
                return None
            raise UserError("smoke: 数据库已加密，请设置 CPDESK_PASSWORD")
        if needs_first_admin(path):
            return create_station(path, username=username, name="管理员", password=password)
        return log_in(path, username, password)

    def done(login) -> None:
        if login is None:
            window.open_database(path)
        else:
            window.attach_login(login)

    Op(window, lambda: explain_failure(path, work)).on_success(done).on_failure(window.report_open_failure).run()

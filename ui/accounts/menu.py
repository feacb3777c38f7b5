"""The 账户 menu: change one's password and lock for everyone; manage accounts and read the
audit log for the station admin (所领导) only."""

from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow, QMenu

# Built before the first paint: no Qt enums here (see ui/shell/placeholder.py); the Ctrl+L shortcut
# is set at login, when a QKeySequence no longer costs start-up time.


class AccountMenu:
    """Owns the account actions; ``attach(db, account)`` enables them for that officer."""

    def __init__(self, window: QMainWindow, menu: QMenu) -> None:
        self.window, self.db, self.account = window, None, None
        self._dialogs: dict[str, object] = {}  # one of each open at a time, kept alive
        self.change_password = self._add(menu, window.tr("修改密码(&P)…"), self.open_change_password)
        self.lock = self._add(menu, window.tr("锁定(&L)"), window.lock)
        menu.addSeparator()
        self.manage = self._add(menu, window.tr("账户管理(&M)…"), self.open_accounts)
        self.audit = self._add(menu, window.tr("审计日志(&G)…"), self.open_audit)
        for action in (self.manage, self.audit):
            action.setVisible(False)

    def _add(self, menu: QMenu, text: str, slot) -> QAction:
        action = QAction(text, self.window, enabled=False)
        action.triggered.connect(lambda _checked=False: slot())
        menu.addAction(action)
        return action

    def attach(self, db, account) -> None:
        from PySide6.QtGui import QKeySequence

        self.db, self.account = db, account
        self.lock.setShortcut(QKeySequence("Ctrl+L"))
        for action in (self.change_password, self.lock, self.manage, self.audit):
            action.setEnabled(True)
        for action in (self.manage, self.audit):
            action.setVisible(account.is_admin)

    def detach(self) -> None:
        self.db = None
        for dialog in self._dialogs.values():
            dialog.close()
        self._dialogs.clear()
        for action in (self.change_password, self.lock, self.manage, self.audit):
            action.setEnabled(False)

    def _show(self, key: str, make):
        dialog = self._dialogs.get(key)
        if dialog is None or not dialog.isVisible():
            dialog = self._dialogs[key] = make()
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()
        return dialog

    def open_change_password(self):
        from ui.accounts.forms import ChangePasswordDialog

        def make():
            dialog = ChangePasswordDialog(self.db, self.window)
            dialog.changed.connect(
                lambda: self.window.statusBar().showMessage(self.window.tr("密码已修改"), 8000))
            return dialog

        return self._show("password", make)

    def open_accounts(self):
        from ui.accounts.dialog import AccountsDialog

        return self._show("accounts", lambda: AccountsDialog(self.db, self.window))

    def open_audit(self) -> None:
        try:
            from ui.audit import open_audit_view
        except ImportError:  # the view is built by another part of issue 6
            from PySide6.QtWidgets import QMessageBox

            QMessageBox.information(self.window, self.window.tr("审计日志"), self.window.tr("审计日志查看尚未完成。"))
            return
        open_audit_view(self.window, self.db)

"""账户管理 (station admin): the station's accounts, with new account, reset password,
disable/enable and enrolment on this laptop. Accounts are never deleted: their work stays theirs."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import UserError
from ui.widgets.fit import FitsScreen
from ui.widgets.messages import ERROR_STYLE, HINT_STYLE

COL_USERNAME, COL_NAME, COL_ROLE, COL_STATUS, COL_ENROLLED = range(5)
ID_ROLE = Qt.ItemDataRole.UserRole + 1


class AccountsModel(QAbstractTableModel):
    """Plain app.accounts.account.Account rows, as listed by the service (by user name)."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.rows: list = []
        self.headers = [self.tr("用户名"), self.tr("姓名"), self.tr("身份"), self.tr("状态"), self.tr("本机可登录")]

    def set_rows(self, rows: list) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers[section]
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        account = self.rows[index.row()]
        if role == ID_ROLE:
            return account.id
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(account, index.column())
        if role == Qt.ItemDataRole.ForegroundRole and not account.active:
            from PySide6.QtGui import QColor

            return QColor("#888888")
        return None

    def _text(self, account, column: int) -> str:
        if column == COL_USERNAME:
            return account.username
        if column == COL_NAME:
            return account.name
        if column == COL_ROLE:
            return self.tr(account.role_label)
        if column == COL_STATUS:
            return self.tr("启用") if account.active else self.tr("停用")
        return self.tr("是") if account.active and account.enrolled else self.tr("否")

    def row_of(self, account_id: str) -> int | None:
        return next((i for i, a in enumerate(self.rows) if a.id == account_id), None)


class AccountsDialog(FitsScreen, QDialog):
    def __init__(self, db, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.setWindowTitle(self.tr("账户管理"))
        self.setWindowFlag(Qt.WindowType.Window)  # its own window, like the forms
        self.model = AccountsModel(self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setMinimumSectionSize(72)
        self.table.setAlternatingRowColors(True)

        self.new_button = self._button(self.tr("新建账户…"), self.new_account)
        self.reset_button = self._button(self.tr("重设密码…"), self.reset_password)
        self.active_button = self._button(self.tr("停用"), self.toggle_active)
        self.enroll_button = self._button(self.tr("在本机启用…"), self.enroll)
        close = self._button(self.tr("关闭"), self.close)
        side = QVBoxLayout()
        for button in (self.new_button, self.reset_button, self.active_button, self.enroll_button):
            side.addWidget(button)
        side.addStretch(1)
        side.addWidget(close)
        body = QHBoxLayout()
        body.addWidget(self.table, 1)
        body.addLayout(side)
        self.message = QLabel(self, wordWrap=True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addWidget(self.message)
        layout.addWidget(self._hint())
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._enable())
        self.resize(720, 420)
        self.reload()

    def _button(self, text: str, slot) -> QPushButton:
        button = QPushButton(text, self)
        button.clicked.connect(lambda _checked=False: slot())
        return button

    def _hint(self) -> QLabel:
        hint = QLabel(self.tr("账户不会被删除：停用后不能再登录，但其工作记录和审计日志都保留，可随时重新启用。"
                              "从其他电脑同步来的账户，须本人输入密码「在本机启用」后才能在这台电脑登录。"),
                      self, wordWrap=True)
        hint.setStyleSheet(HINT_STYLE)
        return hint

    # --- the list ---------------------------------------------------------------------------
    def reload(self, select_id: str | None = None) -> None:
        from app.accounts.manage import list_accounts

        select_id = select_id or self.selected_id()
        self.model.set_rows(list_accounts(self.db))
        self.table.resizeColumnsToContents()
        for column in (COL_USERNAME, COL_NAME):  # room for longer names than the first ones
            self.table.setColumnWidth(column, max(self.table.columnWidth(column) + 24, 120))
        row = self.model.row_of(select_id) if select_id else None
        if row is not None:
            self.table.selectRow(row)
        self._enable()

    def selected(self):
        rows = self.table.selectionModel().selectedRows()
        return self.model.rows[rows[0].row()] if rows else None

    def selected_id(self) -> str | None:
        account = self.selected()
        return account.id if account else None

    def select(self, account_id: str) -> None:
        row = self.model.row_of(account_id)
        if row is not None:
            self.table.selectRow(row)

    def _enable(self) -> None:
        account = self.selected()
        self.reset_button.setEnabled(account is not None and account.active)
        self.active_button.setEnabled(account is not None and account.id != self.db.officer_id)
        self.active_button.setText(self.tr("启用") if account is not None and not account.active else self.tr("停用"))
        self.enroll_button.setEnabled(account is not None and account.active and not account.enrolled)

    def tell(self, text: str, *, error: bool = False) -> None:
        self.message.setStyleSheet(ERROR_STYLE if error else "")
        self.message.setText(text)

    # --- actions ----------------------------------------------------------------------------
    def new_account(self):
        from ui.accounts.forms import NewAccountDialog

        dialog = NewAccountDialog(self.db, self)
        dialog.created.connect(lambda a: self._done(a, self.tr("已新建账户 {name}（{username}）。")))
        return self._open(dialog)

    def reset_password(self):
        from ui.accounts.forms import ResetPasswordDialog

        account = self.selected()
        if account is None:
            return None
        dialog = ResetPasswordDialog(self.db, account, self)
        dialog.done_for.connect(lambda a: self._done(a, self.tr("已为 {name}（{username}）重设密码。")))
        return self._open(dialog)

    def enroll(self):
        from ui.accounts.forms import EnrollDialog

        account = self.selected()
        if account is None:
            return None
        dialog = EnrollDialog(self.db, account, self)
        dialog.done_for.connect(lambda a: self._done(a, self.tr("{name}（{username}）现在可以在本机登录。")))
        return self._open(dialog)

    def toggle_active(self) -> None:
        from app.accounts.manage import set_active

        account = self.selected()
        if account is None:
            return
        try:
            set_active(self.db, account.id, not account.active)
        except UserError as exc:
            self.tell(str(exc), error=True)
            return
        self.reload(select_id=account.id)
        now = self.model.rows[self.model.row_of(account.id)]
        if not now.active:
            text = self.tr("已停用 {name}（{username}）：不能再登录，工作记录保留。")
        elif now.enrolled:
            text = self.tr("已启用 {name}（{username}）。")
        else:
            text = self.tr("已启用 {name}（{username}）。本人须「在本机启用」后才能在这台电脑登录。")
        self.tell(text.format(name=account.name, username=account.username))

    def _open(self, dialog: QDialog) -> QDialog:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def _done(self, account, text: str) -> None:
        self.reload(select_id=account.id)
        self.tell(text.format(name=account.name, username=account.username))

"""The main window's 文件 → 从 Excel 导入… and 文件 → 撤销上次导入: one wizard at a time, and the
last import taken back after the officer confirms it."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QMainWindow, QMessageBox

from ui.imports.common import kind_tables
from ui.widgets.messages import show_error, tell
from ui.widgets.ops import Op


def _tr(text: str) -> str:
    return QCoreApplication.translate("ImportMenu", text)


def _ready(window: QMainWindow) -> bool:
    if window.db is None or window.officer is None:
        window.statusBar().showMessage(_tr("请先登录，再导入"), 8000)
        return False
    return True


def open_import_wizard(window: QMainWindow):
    """The import wizard over ``window`` (the one already open is raised); None before login."""
    from ui.imports.wizard import ImportWizard

    if not _ready(window):
        return None
    wizard = next((child for child in window.findChildren(ImportWizard) if child.isVisible()), None)
    if wizard is None:
        wizard = ImportWizard(window.db, window.officer.id, window)
        wizard.imported.connect(lambda summary: window.statusBar().showMessage(
            _tr("已从“{file}”导入：新增 {added} 条，更新 {updated} 条").format(
                file=summary.file_name, added=summary.added, updated=summary.updated), 15000))
    wizard.show()
    wizard.raise_()
    wizard.activateWindow()
    return wizard


def undo_last_import(window: QMainWindow) -> QMessageBox | None:
    """Ask about the newest import not yet undone, then soft-delete what it added (on the writer)."""
    from app.imports.service import KINDS, last_import

    if not _ready(window):
        return None
    db, officer_id = window.db, window.officer.id
    last = last_import(db)
    if last is None:
        return tell(window, _tr("撤销上次导入"), _tr("没有可以撤销的导入"))
    question = QMessageBox(QMessageBox.Icon.Question, _tr("撤销上次导入"), _tr(
        "撤销 {at} 从“{file}”导入的{kind}？\n新增的 {added} 条将被删除，更新的 {updated} 条恢复原样。").format(
        at=last.at.astimezone().strftime("%m-%d %H:%M"), file=last.file_name, kind=KINDS.get(last.kind, last.kind),
        added=last.added, updated=last.updated),
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, window)
    question.button(QMessageBox.StandardButton.Yes).setText(_tr("撤销导入"))
    question.button(QMessageBox.StandardButton.Cancel).setText(_tr("取消"))
    question.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def confirmed() -> None:
        from app.core.errors import UserError
        from app.imports.service import undo_last

        def work():
            newest = last_import(db)
            if newest is None or newest.batch_id != last.batch_id:
                raise UserError(_tr("要撤销的导入已经变了，请重新选择“撤销上次导入”"))
            return undo_last(db, officer_id=officer_id)

        def done(summary) -> None:
            said = _tr("已撤销“{file}”的导入：删除新增的 {added} 条记录").format(file=summary.file_name,
                                                                        added=summary.added)
            window.statusBar().showMessage(said, 15000)

        Op(window, work).writes(*kind_tables(last.kind)).on_success(done).on_failure(
            lambda exc: show_error(window, _tr("撤销上次导入"), _explain(exc))).run()

    question.buttonClicked.connect(
        lambda button: confirmed() if question.standardButton(button) == QMessageBox.StandardButton.Yes else None)
    question.open()
    return question


def _explain(exc: BaseException) -> str:
    from app.core.errors import explain

    return explain(exc)

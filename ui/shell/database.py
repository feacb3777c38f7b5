"""The database file seen from the window: why it would not open, the 文件 menu's backup and
restore, and what the clock repair after opening did."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QAction

from ui.widgets.ops import Op, show_failure

if TYPE_CHECKING:
    from ui.shell.main_window import MainWindow


def explain_failure(path: Path, work: Callable[[], Any]) -> Any:
    """Run ``work``, which opens ``path`` (on a worker). An error from SQLite that is damage
    becomes DamagedDatabase, which the program answers by offering a backup; refusals
    (a wrong password, a file that is not a database) pass unchanged."""
    from app.core.errors import UserError
    from db.engine import check, looks_like_sqlite
    from db.errors import DamagedDatabase, StorageError

    try:
        return work()
    except (StorageError, UserError):
        raise
    except Exception as exc:  # SQLite could not read it: say whether it is damage
        if path.exists() and looks_like_sqlite(path) and (problems := check(path, quick=True)):
            raise DamagedDatabase(path, problems) from exc
        raise


def say_clock_repair(window: MainWindow, repair) -> None:
    """What the clock repair did (app/sync/clock_repair.py): in the status bar, and in a box
    too when the station has something to do (void files, or another laptop's clock)."""
    if repair is None or not repair.message:
        return
    window.statusBar().showMessage(repair.message)
    if repair.void_files or repair.stuck_on:
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(QMessageBox.Icon.Warning, window.tr("本机时钟曾有误"), repair.message, parent=window)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()


class BackupActions:
    """文件 → 备份数据库 / 从备份恢复, enabled while a database is open (``attach``/``detach``)."""

    def __init__(self, window: MainWindow, menu) -> None:
        self.window, self.db = window, None
        self.backup = QAction(window.tr("备份数据库(&B)…"), window, enabled=False)
        self.backup.triggered.connect(self.ask_backup)
        menu.addAction(self.backup)
        self.restore = QAction(window.tr("从备份恢复(&R)…"), window, enabled=False)
        self.restore.triggered.connect(self.ask_restore)
        menu.addAction(self.restore)

    def attach(self, db) -> None:
        self.db = db
        self.backup.setEnabled(True)
        self.restore.setEnabled(True)

    def detach(self) -> None:
        self.db = None
        self.backup.setEnabled(False)
        self.restore.setEnabled(False)

    def backup_to(self, dest: Path) -> Op:
        """A copy of the open database at ``dest`` (never onto a device), on a worker."""
        from app.output.files import check_output
        from db.backup import backup_file

        path, window = self.db.path, self.window
        op = Op(window, lambda: backup_file(path, check_output(dest)))
        op.on_success(lambda _r: window.statusBar().showMessage(window.tr("已备份到 {dest}").format(dest=dest), 8000))
        return op.on_failure(lambda exc: show_failure(window, exc, title=window.tr("备份失败")))

    def ask_backup(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        suggested = str(self.db.path.with_name(self.db.path.stem + "-备份.sqlite3"))
        dest, _ = QFileDialog.getSaveFileName(self.window, self.window.tr("备份数据库"), suggested,
                                              self.window.tr("数据库 (*.sqlite3)"))
        if dest:
            self.backup_to(Path(dest)).run()

    def ask_restore(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        from ui.shell.backups import choose_backup

        window, path = self.window, self.db.path
        chosen = choose_backup(window, path)
        if not chosen or not window.can_close_forms():
            return
        answer = QMessageBox.question(
            window, window.tr("从备份恢复"),
            window.tr("用 {backup} 替换当前数据库？\n当前数据库会先另存一份备份。").format(backup=Path(chosen).name))
        if answer == QMessageBox.StandardButton.Yes:
            window.restore_and_reopen(Path(chosen), path).run()

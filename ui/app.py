"""Starting the GUI: paint the window first, then log in and open the database behind it."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QTimer, QTranslator
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from app.paths import resource_path
from ui.fonts import install_cjk_font
from ui.main_window import MainWindow
from ui.ops import wait_for_workers
from ui.settings import Settings


def run(db_path: Path, *, smoke: bool = False) -> int:
    """Show the main window on ``db_path``. ``smoke`` reports 'painted' and 'ready' on
    stdout and quits once the first page of households is in (start-up checks, bundle),
    logging in without a dialog (see ui.login.smoke_login)."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("cpdesk")
    app.setApplicationDisplayName(app.translate("main", "社区警务工作台"))
    install_cjk_font(app)
    install_qt_translations(app)
    app.setWindowIcon(QIcon(str(resource_path("icons", "cpdesk.png"))))
    window = MainWindow(Settings())
    sys.excepthook = lambda _kind, exc, _tb: report_unexpected(window, exc)

    def failed(message: str) -> None:
        if smoke:
            print(f"failed: {message}", file=sys.stderr, flush=True)
        else:
            QMessageBox.critical(window, window.tr("无法打开数据库"), message)
        app.exit(1)

    def damaged(exc) -> None:
        if smoke:
            failed(str(exc))
        elif not offer_backup(window, exc, db_path):
            app.exit(1)

    window.database_failed.connect(failed)
    window.database_damaged.connect(damaged)
    if smoke:
        window.first_painted.connect(lambda: print("painted", flush=True))
        window.database_ready.connect(lambda: (print("ready", flush=True), window.close(), app.exit(0)))
    # The login comes after the first paint: importing SQLAlchemy costs ~0.5 s.
    window.first_painted.connect(lambda: QTimer.singleShot(0, lambda: log_in(window, db_path, smoke=smoke)))
    window.show()
    code = app.exec()
    wait_for_workers()  # a backup or check still running finishes before the interpreter goes
    return code


def log_in(window: MainWindow, db_path: Path, *, smoke: bool = False) -> None:
    """The login dialog over the painted window (or, for the bundle check, no dialog);
    giving up on it quits the program."""
    from ui.login import LoginFlow, smoke_login

    if smoke:
        smoke_login(window, db_path)
        return
    flow = LoginFlow(window, db_path)
    flow.cancelled.connect(lambda: QApplication.instance().exit(0))
    flow.start()


def install_qt_translations(app: QApplication) -> None:
    """Qt's own texts (OK, Cancel, Close in standard dialogs) in Simplified Chinese too."""
    translator = QTranslator(app)
    if translator.load("qtbase_zh_CN", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(translator)


def report_unexpected(window: MainWindow, exc: BaseException) -> None:
    """Last resort for a bug: the traceback goes to the log file, the officer gets one line."""
    from app.errors import log_traceback

    log = log_traceback(exc)
    text = window.tr("操作没有完成：{error}\n详情已记录到 {log}，请告知管理员。").format(error=exc, log=log)
    QMessageBox.warning(window, window.tr("程序出错"), text)


def offer_backup(window: MainWindow, exc, db_path: Path) -> bool:
    """The database is damaged: offer the newest good backup. False when there is none or
    the officer declines (the damaged file is never overwritten: restoring keeps it aside)."""
    from db.engine import newest_good_backup

    backup = newest_good_backup(db_path)
    if backup is None:
        QMessageBox.critical(window, window.tr("数据库已损坏"),
                             window.tr("{error}\n没有可用的备份，请联系所里的管理员。").format(error=exc))
        return False
    answer = QMessageBox.question(
        window, window.tr("数据库已损坏"),
        window.tr("{error}\n\n是否用最新的完好备份 {backup} 恢复？损坏的文件会保留，不会被覆盖。").format(
            error=exc, backup=backup.name))
    if answer != QMessageBox.StandardButton.Yes:
        return False
    window.restore_and_reopen(backup, db_path).run()
    return True

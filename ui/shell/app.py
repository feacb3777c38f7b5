"""Starting the GUI: paint the window first, then log in and open the database behind it."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, QTimer, QTranslator
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from app.core.paths import resource_path
from ui.shell.fonts import install_cjk_font
from ui.shell.main_thread_gc import MainThreadGC
from ui.shell.main_window import MainWindow
from ui.shell.settings import Settings, program_locale
from ui.widgets.ops import wait_for_workers


def run(db_path: Path, *, smoke: bool = False) -> int:
    """Show the main window on ``db_path``. ``smoke`` reports 'painted' and 'ready' on
    stdout and quits once the first page of households is in (start-up checks, bundle),
    logging in without a dialog (see ui.shell.login.smoke_login)."""
    settings = Settings()
    date_files_in_language(settings)  # before Qt reads the machine's locale
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("cpdesk")
    collector = MainThreadGC(app)  # a child of the app: from now on no worker collects a Qt object
    locale = install_language(app, settings)
    app.setApplicationDisplayName(app.translate("main", "社区警务工作台"))
    install_cjk_font(app)
    app.setWindowIcon(QIcon(str(resource_path("icons", "cpdesk.png"))))
    window = MainWindow(settings)
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

    collector.hold_until(window.database_ready)
    window.database_failed.connect(failed)
    window.database_damaged.connect(damaged)
    if smoke:
        window.first_painted.connect(lambda: print("painted", flush=True))
        window.database_ready.connect(lambda: (print("ready", flush=True), window.close(), app.exit(0)))
    # Dialogs are chosen after the first paint (touching Qt's enum namespace costs ~14 ms), and so
    # is the login: importing SQLAlchemy costs ~0.5 s.
    window.first_painted.connect(lambda: choose_dialogs(app, locale))
    window.first_painted.connect(lambda: QTimer.singleShot(0, lambda: log_in(window, db_path, smoke=smoke)))
    window.show()
    code = app.exec()
    wait_for_workers()  # a backup or check still running finishes before the interpreter goes
    return code


def log_in(window: MainWindow, db_path: Path, *, smoke: bool = False) -> None:
    """The login dialog over the painted window (or, for the bundle check, no dialog);
    giving up on it quits the program."""
    from ui.shell.login import LoginFlow, smoke_login

    if smoke:
        smoke_login(window, db_path)
        return
    flow = LoginFlow(window, db_path)
    flow.cancelled.connect(lambda: QApplication.instance().exit(0))
    flow.start()


# --- the program's language, not the machine's ----------------------------------------------------
def install_language(app: QApplication, settings: Settings) -> QLocale:
    """Make everything Qt shows speak the language setting (default Simplified Chinese), whatever
    the machine's: dates and calendars (the default locale) and Qt's own texts (its translations and
    the few its Chinese file lacks); choose_dialogs then picks the dialogs that speak it too.
    Call it before any widget is made: a widget takes the default locale when it is made."""
    locale = program_locale(settings)
    QLocale.setDefault(locale)
    qtbase = QTranslator(app)
    if qtbase.load(locale, "qtbase", "_", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        if locale.name() == "zh_CN":
            app.installTranslator(QtChineseGaps(qtbase, app))  # asked after qtbase: installed before it
        app.installTranslator(qtbase)
    return locale


def choose_dialogs(app: QApplication, locale: QLocale) -> None:
    """Native dialogs only where they speak ``locale``'s language (native_dialogs_speak). Any time
    before the first dialog will do; run() calls it after the first paint, as it needs PySide6's
    ``Qt`` namespace, whose ~100 enums take ~14 ms to create (ui/shell/placeholder.py)."""
    from PySide6.QtCore import Qt

    app.setAttribute(Qt.ApplicationAttribute.AA_DontUseNativeDialogs, not native_dialogs_speak(locale))


def native_dialogs_speak(locale: QLocale, system: QLocale | None = None) -> bool:
    """Whether the machine's own file (and colour, font, message) dialogs speak ``locale``'s
    language; ``system`` is the machine's display language (asked from the system by default).

    A native dialog speaks the system's display language and ignores the program's. On these
    officers' Chinese Windows that is Chinese, and the native dialog is the one they know (with
    their quick-access folders and USB drives), so it stays. Where the system speaks something
    else (an English Windows, a Linux desktop, LANG=C), Qt's own dialogs are used instead: they
    follow the locale and translations set by install_language (choose_dialogs applies this)."""
    if system is None:
        languages = QLocale.system().uiLanguages()
        system = QLocale(languages[0]) if languages else QLocale.system()
    return (system.language(), system.script()) == (locale.language(), locale.script())


def date_files_in_language(settings: Settings) -> None:
    """Qt's own file dialog dates files in the machine's locale, not the default one
    (QFileSystemModel asks QLocale.system(): "30 11 2026" under LANG=C). On Linux that locale's
    dates come from LC_TIME, read once as Qt starts, so it is set to the program's language
    before the QApplication is made. Windows keeps its own formats (its dialogs are native)."""
    language = str(settings.get("ui/language"))
    if sys.platform.startswith("linux") and not os.environ.get("LC_ALL") \
            and re.fullmatch(r"[a-z]{2,3}_[A-Z]{2}", language):
        os.environ["LC_TIME"] = f"{language}.UTF-8"


class QtChineseGaps(QTranslator):
    """Qt 6 texts that Qt's shipped qtbase_zh_CN lacks: two file dialog labels that gained a
    shortcut in Qt 6, and the file type names Qt 6 moved to another context."""

    TEXTS = {("QFileDialog", "&Look in:"): "查找范围(&L)：", ("QFileDialog", "Files of &type:"): "文件类型(&T)："}
    MOVED = {"QAbstractFileIconProvider": "QFileDialog"}  # "Folder", "File", "%1 File", "Drive" …

    def __init__(self, qtbase: QTranslator, parent=None) -> None:
        super().__init__(parent)
        self._qtbase = qtbase

    def translate(self, context, source, disambiguation=None, n=-1):
        if (context, source) in self.TEXTS:
            return self.TEXTS[context, source]
        if context in self.MOVED:
            return self._qtbase.translate(self.MOVED[context], source, disambiguation, n) or None
        return None  # not ours: Qt goes on to the source text

    def isEmpty(self) -> bool:
        return False


def report_unexpected(window: MainWindow, exc: BaseException) -> None:
    """Last resort for a bug: the traceback goes to the log file, the officer gets one line."""
    from app.core.errors import log_traceback

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

"""The main window: a tab per area of app/areas.py, the File, Accounts and Help menus, the status bar,
and the database's life in it (opened on a worker, checked, swapped for a backup)."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QMainWindow, QTabWidget, QWidget

from ui.accounts.menu import AccountMenu
from ui.shell.context import Context
from ui.shell.database import BackupActions, explain_failure, say_clock_repair
from ui.shell.day import DayWatcher
from ui.shell.settings import PreserveGeometry, Settings
from ui.shell.tabs import AreaPages
from ui.sync.menu import SyncMenu
from ui.widgets.ops import Op, wait_for_workers


# Qt classes used only after start-up (dialogs, message boxes) are imported where used:
# each import builds its Python enums, and the first paint should not wait for them.
class MainWindow(PreserveGeometry, QMainWindow):
    first_painted = Signal()
    database_ready = Signal()
    database_failed = Signal(str)
    database_damaged = Signal(object)  # db.errors.DamagedDatabase: the app offers a backup
    checked = Signal()  # the background check after opening found no damage

    def __init__(self, settings: Settings, parent=None, *, clock: Callable[[], float] = time.monotonic,
                 today: Callable[[], date] = date.today) -> None:
        """``clock`` (monotonic seconds) times the idle lock and ``today`` gives the day every tab
        works on; tests move them."""
        super().__init__(parent)
        self.settings = settings
        self.today_fn = today
        self.db = None
        self.officer = None  # app.accounts.account.Account of the officer logged in
        self.context: Context | None = None  # what the tabs were handed, while a database is open
        self.login_again: Callable[[], None] | None = None  # ui/shell/login.py: how to open after a restore
        self.idle = None  # ui.shell.idle.IdleLock, made at the first login
        self._clock = clock
        self.reminders = self._tray = None
        self._painted = False
        self.setWindowTitle(self.tr("社区警务工作台"))
        self.resize(1280, 800)

        self.officer_label = QLabel(self)
        self.db_label = QLabel(self.tr("正在打开数据库…"), self)
        self.device_label = QLabel(self)
        self.sync_label = QLabel(self.tr("尚未同步"), self)
        for label in (self.officer_label, self.db_label, self.device_label, self.sync_label):
            self.statusBar().addPermanentWidget(label)
        self._build_menus()
        self.tabs = QTabWidget(self)
        self.areas = AreaPages(self, self.tabs, menus_before=self.accounts_menu)  # built with the database
        self.setCentralWidget(self.tabs)

        # The one watch on the date: handed to every tab and to the tray reminder in the Context.
        self.day_watcher = DayWatcher(self, today=today)

        self.restore_geometry(settings)
        self.tabs.setCurrentIndex(min(settings.get("window/tab"), self.tabs.count() - 1))

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("文件(&F)"))
        self.backups = BackupActions(self, file_menu)
        file_menu.addSeparator()
        self.sync = SyncMenu(self, file_menu, self.sync_label)
        file_menu.addSeparator()
        for text, slot in ((self.tr("从 Excel 导入(&L)…"), self.open_import),
                           (self.tr("撤销上次导入(&U)…"), self.undo_import)):
            action = QAction(text, self)
            action.triggered.connect(slot)
            file_menu.addAction(action)
        file_menu.addSeparator()
        quit_action = QAction(self.tr("退出(&X)"), self)  # Alt+F4 closes; a QKeySequence costs 17 ms of start-up
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)
        # The areas' own menus (入户走访…) go before 账户 once the database is open.
        self.accounts_menu = self.menuBar().addMenu(self.tr("账户(&A)"))
        self.accounts = AccountMenu(self, self.accounts_menu)
        help_menu = self.menuBar().addMenu(self.tr("帮助(&H)"))
        about = QAction(self.tr("关于(&A)"), self)
        about.triggered.connect(self._about)
        help_menu.addAction(about)

    def open_import(self):
        """文件 → 从 Excel 导入…: the import wizard (ui/imports/), one at a time."""
        from ui.imports.menu import open_import_wizard

        return open_import_wizard(self)

    def undo_import(self):
        """文件 → 撤销上次导入…: asks, then takes the newest import back."""
        from ui.imports.menu import undo_last_import

        return undo_last_import(self)

    # --- the areas' tabs ----------------------------------------------------------------------
    def tab(self, key: str) -> QWidget | None:
        """The tab of the area ``key`` (app/areas.py), built now if it was not yet (only the tab on
        screen is built at login); None before the database is open."""
        return self.areas.tab(key)

    today = property(lambda self: self.tab("today"))
    households = property(lambda self: self.tab("households"))
    disputes = property(lambda self: self.tab("disputes"))

    def open_record(self, table: str, record_id: str) -> bool:
        """Show a record where it is worked on (a worklist row's double-click); False when no tab has it."""
        if self.areas.open_record(table, record_id):
            return True
        self.statusBar().showMessage(self.tr("该事项所在的页面尚未建成"), 8000)
        return False

    # What attaching a database imports inside functions, besides the tabs' modules.
    WARMS = ("app.accounts.account", "ui.shell.idle", "app.sync.conflicts", "ui.disputes.tray",
             "app.disputes.revisits")

    def warm_modules(self):
        """The modules to import while the login dialog waits (ui/shell/warm.py): the tab on screen's
        first, then the window's own, then the other tabs' (the menus import them)."""
        yield from self.areas.warm_modules(on_screen=True)
        yield from self.WARMS
        yield from self.areas.warm_modules(on_screen=False)

    # --- database ---------------------------------------------------------------------------
    def open_database(self, path: Path) -> None:
        """Open (or create) the file on a worker; the window is already on screen.

        SQLite's quick check (~0.9 s at station scale) and the daily backup run after the
        tabs are usable; a file too damaged to open is checked at once."""

        def work():
            from db.engine import Database

            return explain_failure(path, lambda: Database.open(path, create=True))

        def opened(db) -> None:
            if self.officer is not None:  # opened again after a restore: the same officer works on
                db.officer_id = self.officer.id
            self.attach_database(db)
            self._check_when_listed(db)

        Op(self, work).on_success(opened).on_failure(self.report_open_failure).run()

    def attach_login(self, login) -> None:
        """After the login (ui/shell/login.py): the officer's database, checked in the background."""
        self.attach_database(login.db)
        self._check_when_listed(login.db)

    def _check_when_listed(self, db) -> None:
        """The check reads the whole file: once the tab on screen is listed, not competing with it."""
        self.areas.when_listed(lambda: self._check_in_background(db.path) if self.db is db else None)

    def _check_in_background(self, path: Path) -> None:
        """Quick check, then the first backup of the day (only of a healthy file: a damaged
        copy must never push a good backup out of the rotation), then the clock repair."""
        db = self.db if self.db is not None and self.db.path == path else None

        def work():
            from app.sync.clock_repair import repair_future_stamps
            from db.backup import backup_once_a_day
            from db.engine import check
            from db.errors import DamagedDatabase

            if problems := check(path, quick=True):
                raise DamagedDatabase(path, problems)
            backup_once_a_day(path)
            if db is None:
                return None, []
            return repair_future_stamps(db), self._upkeep(db)

        def done(result) -> None:
            repair, upkept = result
            say_clock_repair(self, repair)
            if upkept:
                self.statusBar().showMessage("；".join(upkept), 15000)
            self.checked.emit()

        Op(self, work).on_success(done).on_failure(self.report_open_failure).run()

    def _upkeep(self, db) -> list[str]:
        """The areas' housekeeping (app/areas.py ``upkeep``: hire checks past their keep-until day purged),
        on the worker: what was done, or why not; it never stops the window."""
        from app.areas import upkeep

        try:
            return upkeep(db, on=self.today_fn())
        except Exception as exc:  # said in the status bar; a bug's traceback is logged
            from app.core.errors import explain

            return [self.tr("例行清理未完成：") + explain(exc)]

    def report_open_failure(self, exc: Exception) -> None:
        from db.errors import DamagedDatabase

        if isinstance(exc, DamagedDatabase):
            self.database_damaged.emit(exc)
        else:
            self.database_failed.emit(str(exc))

    def restore_and_reopen(self, backup: Path, path: Path) -> Op:
        """Close the database, replace the file by ``backup`` (the old one is kept), open again."""
        from db.backup import restore_backup
        from db.engine import restorable_problems

        if self.db is not None:
            self._detach_database()

        def work():
            return restore_backup(backup, path, problems=restorable_problems(backup, for_db=path))

        def restored(aside) -> None:
            if aside:
                self.statusBar().showMessage(self.tr("原数据库已保存到 {aside}").format(aside=aside), 15000)
            if self.officer is None and self.login_again is not None:
                self.login_again()  # nobody logged in yet (damaged at start): log in to the restored file
            else:
                self.open_database(path)

        op = Op(self, work).writes()  # behind any write still queued for the old file
        return op.on_success(restored).on_failure(lambda exc: self.database_failed.emit(str(exc)))

    def _start_reminders(self, context: Context) -> None:
        """Due and overdue revisits as a tray notification now and when the day turns."""
        from PySide6.QtWidgets import QSystemTrayIcon

        from ui.disputes.tray import ReminderNotifier

        if self._tray is None and QSystemTrayIcon.isSystemTrayAvailable():
            self._tray = QSystemTrayIcon(self.windowIcon(), self)
            self._tray.show()
        self.reminders = ReminderNotifier(context, tray=self._tray, parent=self)
        self.reminders.notified.connect(lambda text: self.statusBar().showMessage(text, 30000))
        self.reminders.start()

    def _detach_database(self) -> None:
        self.sync.detach()
        self.accounts.detach()
        self.backups.detach()
        if self.idle is not None:
            self.idle.stop()
        self.areas.detach()
        if self.reminders is not None:
            self.reminders.stop()
            self.reminders.deleteLater()
            self.reminders = None
        self.context = None
        wait_for_workers()  # none may still be reading the file about to be replaced
        self.db.close()
        self.db = None

    def attach_database(self, db) -> None:
        """Hand ``db`` to the window; ``database_ready`` once the tab on screen lists its first page."""
        from PySide6.QtCore import QTimer

        from app.accounts.account import current_account

        self.db = db
        self.db_label.setText(self.tr("数据库：{path}").format(path=db.path))
        self.db_label.setToolTip(str(db.path))
        self.device_label.setText(self.tr("本机编号：{code}").format(code=db.device.short_code))
        self.backups.attach(db)
        # The officer first: every tab stamps what he saves and names him where a form asks.
        self.officer = current_account(db) if db.officer_id else None
        context = self.context = Context(db, officer=self.officer, today=self.today_fn, settings=self.settings,
                                         day=self.day_watcher)
        self.areas.attach(context)  # the tab on screen; the others when first shown
        self.sync.attach(db)
        if self.officer is not None:
            self._attach_officer(db)
        self.areas.when_listed(lambda: self.database_ready.emit() if self.context is context else None)
        # Once the tab on screen is listed: the tray reminder (it counts revisits, ~70 ms at station scale)
        # and, on a worker, the other tabs' first queries compiled (ui/widgets/base_tab.py ``warm_up``).
        self.areas.when_listed(lambda: QTimer.singleShot(0, self, lambda: self._when_usable(context)))

    def _when_usable(self, context: Context) -> None:
        if self.context is context:
            self._start_reminders(context)
            self.areas.warm_up_unbuilt()

    def _attach_officer(self, db) -> None:
        """The officer logged in: status bar, his menu items, the idle lock."""
        from ui.shell.idle import IdleLock

        self.officer_label.setText(self.tr("当前民警：{name}（{role}）").format(
            name=self.officer.name, role=self.officer.role_label))
        self.accounts.attach(db, self.officer)
        if self.idle is None:
            self.idle = IdleLock(self, minutes=self.settings.get("security/lock_minutes"), clock=self._clock)
        self.idle.start(db, self.officer)

    def lock(self) -> None:
        """账户 → 锁定 (Ctrl+L): hide everything until the officer's password is typed again."""
        if self.idle is not None:
            self.idle.lock()

    def is_locked(self) -> bool:
        return self.idle is not None and self.idle.is_locked

    def _about(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.about(
            self,
            self.tr("关于 社区警务工作台"),
            self.tr("社区警务工作台\n离线的社区民警工作台：入户走访、矛盾纠纷、义警巡逻、一企一警。"),
        )

    # --- window life ------------------------------------------------------------------------
    def paintEvent(self, event) -> None:
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            self.first_painted.emit()

    def can_close_forms(self) -> bool:
        """Open forms with unsaved input ask first; False when the officer keeps one."""
        return self.areas.can_close()

    def closeEvent(self, event) -> None:
        # Locked, nobody may answer for the open forms: they close without asking, and their
        # input stays on disk as drafts, offered again at the next start (ui/widgets/drafts/).
        if not self.is_locked() and not self.can_close_forms():
            event.ignore()
            return
        if self.idle is not None:
            self.idle.stop()
        for tab in self.areas.built():  # closed: no tab answers another's change or the day turning
            tab.detach()
        self.save_geometry(self.settings)
        self.settings.set("window/tab", self.tabs.currentIndex())
        self.settings.sync()
        super().closeEvent(event)

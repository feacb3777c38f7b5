"""The main window: one tab per area, the File, Accounts and Help menus, and the status bar."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QMainWindow, QTabWidget, QWidget

from ui.accounts.menu import AccountMenu
from ui.shell.placeholder import PlaceholderTab, centred_note
from ui.shell.settings import PreserveGeometry, Settings
from ui.sync.menu import SyncMenu
from ui.widgets.ops import Op, wait_for_workers

TODAY_TAB, HOUSEHOLDS_TAB, DISPUTES_TAB = 0, 1, 2


def _loading_page(parent: QWidget) -> QLabel:
    return centred_note(parent.tr("正在打开数据库…"), parent)


def _warn(parent: QWidget, title: str, text: str) -> None:
    from PySide6.QtWidgets import QMessageBox

    QMessageBox.warning(parent, title, text)


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


# Qt classes used only after start-up (dialogs, message boxes) are imported where used:
# each import builds its Python enums, and the first paint should not wait for them.
class MainWindow(PreserveGeometry, QMainWindow):
    first_painted = Signal()
    database_ready = Signal()
    database_failed = Signal(str)
    database_damaged = Signal(object)  # db.errors.DamagedDatabase: the app offers a backup
    day_changed = Signal(object)  # datetime.date
    checked = Signal()  # the background check after opening found no damage

    def __init__(self, settings: Settings, parent=None, *, clock: Callable[[], float] = time.monotonic,
                 today: Callable[[], date] = date.today) -> None:
        """``clock`` (monotonic seconds) times the idle lock and ``today`` gives the day every tab
        works on; tests move them."""
        super().__init__(parent)
        self.settings = settings
        self.today_fn = today
        self.db = None
        self.officer = None  # app.accounts.service.Account of the officer logged in
        self.login_again: Callable[[], None] | None = None  # ui/shell/login.py: how to open after a restore
        self.idle = None  # ui.shell.idle.IdleLock, made at the first login
        self._clock = clock
        self.reminders = self._tray = None
        self._painted = False
        self.setWindowTitle(self.tr("社区警务工作台"))
        self.resize(1280, 800)

        self.tabs = QTabWidget(self)
        self.today = self.households = self.disputes = None  # built with the database, after the first paint
        self.tabs.addTab(_loading_page(self), self.tr("工作台"))
        self.tabs.addTab(_loading_page(self), self.tr("入户走访"))
        self.tabs.addTab(_loading_page(self), self.tr("矛盾纠纷"))
        self.tabs.addTab(PlaceholderTab(self.tr("义警巡逻排班"), self), self.tr("义警巡逻"))
        self.tabs.addTab(PlaceholderTab(self.tr("一企一警"), self), self.tr("一企一警"))
        self.setCentralWidget(self.tabs)

        self.officer_label = QLabel(self)
        self.db_label = QLabel(self.tr("正在打开数据库…"), self)
        self.device_label = QLabel(self)
        self.sync_label = QLabel(self.tr("尚未同步"), self)
        for label in (self.officer_label, self.db_label, self.device_label, self.sync_label):
            self.statusBar().addPermanentWidget(label)
        self._build_menus()

        # The one watch on the date: officers leave the program open overnight, and the agenda,
        # the overdue marks and the tray reminder all move on when the day turns.
        from ui.disputes.tray import DayWatcher

        self.day_watcher = DayWatcher(self, today=today)
        self.day_watcher.day_turned.connect(self._day_turned)

        self.restore_geometry(settings)
        self.tabs.setCurrentIndex(min(settings.get("window/tab"), self.tabs.count() - 1))

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("文件(&F)"))
        self.backup_action = QAction(self.tr("备份数据库(&B)…"), self, enabled=False)
        self.backup_action.triggered.connect(self._ask_backup)
        file_menu.addAction(self.backup_action)
        self.restore_action = QAction(self.tr("从备份恢复(&R)…"), self, enabled=False)
        self.restore_action.triggered.connect(self._ask_restore)
        file_menu.addAction(self.restore_action)
        file_menu.addSeparator()
        self.sync = SyncMenu(self, file_menu, self.sync_label)
        file_menu.addSeparator()
        quit_action = QAction(self.tr("退出(&X)"), self)  # Alt+F4 closes; a QKeySequence costs 17 ms of start-up
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)
        # Filled by the area tabs once the database is open (their actions live with them).
        self.visits_menu = self.menuBar().addMenu(self.tr("入户走访(&V)"))
        self.visits_menu.setEnabled(False)
        self.accounts = AccountMenu(self, self.menuBar().addMenu(self.tr("账户(&A)")))
        help_menu = self.menuBar().addMenu(self.tr("帮助(&H)"))
        about = QAction(self.tr("关于(&A)"), self)
        about.triggered.connect(self._about)
        help_menu.addAction(about)

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
            self._check_in_background(db.path)

        Op(self, work).on_success(opened).on_failure(self.report_open_failure).run()

    def attach_login(self, login) -> None:
        """After the login (ui/shell/login.py): the officer's database, checked in the background."""
        self.attach_database(login.db)
        self._check_in_background(login.db.path)

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
            return repair_future_stamps(db) if db is not None else None

        def done(repair) -> None:
            self._say_clock_repair(repair)
            self.checked.emit()

        Op(self, work).on_success(done).on_failure(self.report_open_failure).run()

    def _say_clock_repair(self, repair) -> None:
        """What the clock repair did (app/sync/clock_repair.py): in the status bar, and in a box
        too when the station has something to do (void files, or another laptop's clock)."""
        if repair is None or not repair.message:
            return
        self.statusBar().showMessage(repair.message)
        if repair.void_files or repair.stuck_on:
            from PySide6.QtCore import Qt
            from PySide6.QtWidgets import QMessageBox

            box = QMessageBox(QMessageBox.Icon.Warning, self.tr("本机时钟曾有误"), repair.message, parent=self)
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            box.open()

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

        return Op(self, work).on_success(restored).on_failure(lambda exc: self.database_failed.emit(str(exc)))

    def _day_turned(self, day: date) -> None:
        if self.today is not None:
            self.today.set_day(day)
        if self.disputes is not None:
            self.disputes.refresh()
        if self.reminders is not None:
            self.reminders.notify()
        self.day_changed.emit(day)

    def refresh_areas(self) -> None:
        """After an import or a decided conflict: every list shows the merged data."""
        for _index, page in self._area_pages():
            if page is not None:
                page.refresh()

    def _area_pages(self) -> list[tuple[int, QWidget]]:
        return [(TODAY_TAB, self.today), (HOUSEHOLDS_TAB, self.households), (DISPUTES_TAB, self.disputes)]

    def _start_reminders(self, db) -> None:
        """Due and overdue revisits as a tray notification now and when the day turns."""
        from PySide6.QtWidgets import QSystemTrayIcon

        from ui.disputes.tray import ReminderNotifier

        if self._tray is None and QSystemTrayIcon.isSystemTrayAvailable():
            self._tray = QSystemTrayIcon(self.windowIcon(), self)
            self._tray.show()
        if self.reminders is not None:  # a database opened again after a restore
            self.reminders.deleteLater()
        self.reminders = ReminderNotifier(db, tray=self._tray, parent=self, today=self.today_fn)
        self.reminders.notified.connect(lambda text: self.statusBar().showMessage(text, 30000))
        self.reminders.start()

    def _detach_database(self) -> None:
        self.sync.detach()
        self.accounts.detach()
        if self.idle is not None:
            self.idle.stop()
        self.visits_menu.clear()
        self.visits_menu.setEnabled(False)
        for index, _page in self._area_pages():
            self._replace_page(index, _loading_page(self))
        self.today = self.households = self.disputes = None
        self.backup_action.setEnabled(False)
        self.restore_action.setEnabled(False)
        wait_for_workers()  # none may still be reading the file about to be replaced
        self.db.close()
        self.db = None

    def attach_database(self, db) -> None:
        self.db = db
        self.db_label.setText(self.tr("数据库：{path}").format(path=db.path))
        self.db_label.setToolTip(str(db.path))
        self.device_label.setText(self.tr("本机编号：{code}").format(code=db.device.short_code))
        self.backup_action.setEnabled(True)
        self.restore_action.setEnabled(True)
        from app.accounts.service import current_account
        from ui.disputes.tab import DisputesTab
        from ui.households.tab import HouseholdsTab
        from ui.today.tab import TodayTab

        # The officer first: every tab stamps what he saves and names him where a form asks.
        self.officer = current_account(db) if db.officer_id else None
        self.today = TodayTab(self, today=self.today_fn, soon_days=self.settings.get("worklist/soon_days"))
        self.households = HouseholdsTab(self)
        self.disputes = DisputesTab(self, today=self.today_fn)
        for tab in (self.households, self.disputes):
            tab.set_officer(self.officer.id if self.officer is not None else None)
        for index, page in self._area_pages():
            self._replace_page(index, page)
            page.attach(db)
        self.households.data_changed.connect(self.today.refresh)
        self.households.dispute_created.connect(lambda _id: self.disputes.refresh())
        self.disputes.changed.connect(self.today.refresh)
        self.today.open_requested.connect(self.open_record)
        self.sync.attach(db)
        self._start_reminders(db)
        self.visits_menu.addActions(self.households.menu_actions())
        self.visits_menu.setEnabled(True)
        if self.officer is not None:
            self._attach_officer(db)
        self.database_ready.emit()

    def open_record(self, table: str, record_id: str) -> bool:
        """Show a record where it is worked on (a worklist row's double-click); False when no tab has it."""
        if table == "dispute" and self.disputes is not None:
            self.tabs.setCurrentIndex(DISPUTES_TAB)
            self.disputes.show_dispute(record_id)
            return True
        self.statusBar().showMessage(self.tr("该事项所在的页面尚未建成"), 8000)
        return False

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

    def _replace_page(self, index: int, page: QWidget) -> None:
        current, title = self.tabs.currentIndex(), self.tabs.tabText(index)
        old = self.tabs.widget(index)
        self.tabs.removeTab(index)
        self.tabs.insertTab(index, page, title)
        self.tabs.setCurrentIndex(current)
        old.deleteLater()

    def backup_to(self, dest: Path) -> Op:
        from app.output.files import check_output
        from db.backup import backup_file

        op = Op(self, lambda: backup_file(self.db.path, check_output(dest)))  # never onto a device
        op.on_success(lambda _r: self.statusBar().showMessage(self.tr("已备份到 {dest}").format(dest=dest), 8000))
        op.on_failure(lambda exc: _warn(self, self.tr("备份失败"), str(exc)))
        return op

    def _ask_backup(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        suggested = str(self.db.path.with_name(self.db.path.stem + "-备份.sqlite3"))
        dest, _ = QFileDialog.getSaveFileName(self, self.tr("备份数据库"), suggested, self.tr("数据库 (*.sqlite3)"))
        if dest:
            self.backup_to(Path(dest)).run()

    def _ask_restore(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        from ui.shell.backups import choose_backup

        path = self.db.path
        chosen = choose_backup(self, path)
        if not chosen:
            return
        if not self.can_close_forms():
            return
        answer = QMessageBox.question(
            self, self.tr("从备份恢复"),
            self.tr("用 {backup} 替换当前数据库？\n当前数据库会先另存一份备份。").format(backup=Path(chosen).name))
        if answer == QMessageBox.StandardButton.Yes:
            self.restore_and_reopen(Path(chosen), path).run()

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
        return self.households is None or self.households.can_close()  # dispute forms keep drafts

    def closeEvent(self, event) -> None:
        # Locked, nobody may answer for the open forms: they close without asking, and their
        # input stays on disk as drafts, offered again at the next start (ui/widgets/drafts.py).
        if not self.is_locked() and not self.can_close_forms():
            event.ignore()
            return
        if self.idle is not None:
            self.idle.stop()
        self.save_geometry(self.settings)
        self.settings.set("window/tab", self.tabs.currentIndex())
        self.settings.sync()
        super().closeEvent(event)

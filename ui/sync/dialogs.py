"""文件 → 导出同步包 / 导入同步包, and 同步设置: the passphrase and the last sync per device."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.sync.common import PassphraseStore, RowsModel, table_view
from ui.widgets.fit import FitsScreen
from ui.widgets.ops import ANY_TABLE, Op
from ui.widgets.paged_model import Column
from ui.widgets.progress import ProgressDialog

MIN_PASSPHRASE = 8
__all__ = ["ExportDialog", "ImportDialog", "PassphraseStore", "SyncSettingsDialog", "SyncTask"]


class SyncTask(QObject):
    """Runs ``work(progress, should_stop)`` through ui.widgets.ops.Op, on the writer thread, behind a
    cancellable progress dialog (ui.widgets.progress); ``writes`` are the tables announced changed
    once it succeeded.

    Cancel asks the work to stop at its next step; the import then rolls back and the export
    leaves no file, so nothing is half-done. Reports by ``succeeded(result)`` or ``failed(str)``."""

    succeeded = Signal(object)
    failed = Signal(str)

    def __init__(self, parent: QWidget, title: str, work: Callable[[Callable, Callable[[], bool]], Any], *,
                 writes: tuple[str, ...] = ()) -> None:
        super().__init__(parent)
        stages = {"读取文件": self.tr("读取文件"), "解密与校验": self.tr("解密与校验"),
                  "解析数据": self.tr("解析数据"), "检查数据": self.tr("检查数据"), "合并": self.tr("合并"),
                  "写入": self.tr("写入数据库"), "提交": self.tr("提交"), "读取数据": self.tr("读取数据"),
                  "加密写出": self.tr("加密写出"), "写入目标文件": self.tr("写入目标文件"), "完成": self.tr("完成")}
        self.progress = ProgressDialog(parent, title, stages=stages)
        self.dialog = self.progress.dialog
        self._op = Op(parent, lambda: work(self._op.report, self._op.should_stop)).writes(*writes)
        self._op.with_progress(self.progress).on_success(self.succeeded.emit).on_failure(self._fail)

    def start(self) -> None:
        self._op.run()

    def cancel(self) -> None:
        self.progress.cancel()

    def _fail(self, exc: Exception) -> None:
        from app.core.errors import UserError
        from db.errors import StorageError

        known = isinstance(exc, UserError | StorageError)
        self.failed.emit(str(exc) if known else self.tr("内部错误：{error}").format(error=exc))


class _SyncFileDialog(FitsScreen, QDialog):
    """Shared by export and import: a file, the passphrase (stored or typed), a run, a result."""

    def __init__(self, db, store: PassphraseStore, parent=None) -> None:
        super().__init__(parent)
        self.db, self.store, self.task = db, store, None
        self.path = QLineEdit(self)
        browse = QPushButton(self.tr("浏览…"), self)
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        self.form = QFormLayout()
        self.form.addRow(self.tr("文件："), row)
        self.passphrase = QLineEdit(self)
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        if store.get():
            self.passphrase.hide()
            self.form.addRow(self.tr("同步口令："), QLabel(self.tr("使用“同步设置”中保存的口令"), self))
        else:
            self.form.addRow(self.tr("同步口令："), self.passphrase)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("关闭"))
        self.buttons.rejected.connect(self.reject)
        self.run_button = self.buttons.addButton(self.tr("开始"), QDialogButtonBox.ButtonRole.ActionRole)
        self.run_button.clicked.connect(self.run)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.status)

    def done(self, result: int) -> None:
        """Closing the dialog cancels what it started (an import then rolls back)."""
        if self.task is not None:
            self.task.cancel()
        super().done(result)

    def chosen_passphrase(self) -> str:
        return self.store.get() or self.passphrase.text()

    def _say(self, text: str, *, error: bool = False) -> None:
        self.status.setStyleSheet("color: #b00020" if error else "")
        self.status.setText(text)

    def _start(self, title: str, work, *, writes: tuple[str, ...] = ()) -> None:
        self.run_button.setEnabled(False)
        self._say("")
        self.task = SyncTask(self, title, work, writes=writes)
        self.task.succeeded.connect(self._finished)
        self.task.failed.connect(self._failed)
        self.task.start()

    def _failed(self, message: str) -> None:
        self.run_button.setEnabled(True)
        self._say(message, error=True)

    def _journal(self, record: Callable[[], Any]) -> str:
        """Log the finished export or import in the audit trail (app.sync.journal); a failure to
        log is said in the dialog, it does not undo the work. Returns what to add to the status."""
        try:
            record()
        except Exception as exc:  # the file is written or merged all the same: say so, keep the details
            import logging

            logging.getLogger(__name__).exception("audit entry for a sync file failed")
            return "\n" + self.tr("（未能写入审计日志：{error}）").format(error=exc)
        return ""


class ExportDialog(_SyncFileDialog):
    """导出同步包. Emits ``exported(ExportResult)``."""

    exported = Signal(object)

    def __init__(self, db, store: PassphraseStore, parent=None, *, folder: Path | None = None) -> None:
        super().__init__(db, store, parent)
        from app.sync.export import default_file_name

        self.setWindowTitle(self.tr("导出同步包"))
        self.resize(640, 240)
        self.path.setText(str((folder or Path.home()) / default_file_name(db)))
        self.full = QCheckBox(self.tr("完整导出（全部记录，而不只是上次导出以来的变化）"), self)
        self.form.addRow("", self.full)
        self.run_button.setText(self.tr("导出"))
        self.layout().addWidget(self.buttons)

    def _browse(self) -> None:
        chosen, _ = QFileDialog.getSaveFileName(self, self.tr("导出到"), self.path.text(), self.tr("同步包 (*.cpsync)"))
        if chosen:
            self.path.setText(chosen if chosen.endswith(".cpsync") else chosen + ".cpsync")

    def run(self) -> None:
        from app.sync.export import export_changes

        out, passphrase, full = Path(self.path.text()), self.chosen_passphrase(), self.full.isChecked()
        if not passphrase:
            self._say(self.tr("请输入同步口令（或先在“同步设置”中保存）"), error=True)
            return
        self._start(self.tr("正在导出同步包"), lambda progress, stop: export_changes(
            self.db, out=out, passphrase=passphrase, full=full, progress=progress, should_stop=stop))

    def _finished(self, result) -> None:
        from app.sync.journal import record_export

        self.run_button.setEnabled(True)
        kind = self.tr("完整") if result.full else self.tr("增量")
        logged = self._journal(lambda: record_export(self.db, result))
        self._say(self.tr("已导出{kind}同步包，共 {rows} 条记录，{size} KB：\n{path}").format(
            kind=kind, path=result.path, rows=result.rows, size=max(1, result.size // 1024)) + logged)
        self.exported.emit(result)


class ImportDialog(_SyncFileDialog):
    """导入同步包, then the summary per table. Emits ``imported(ImportSummary)`` and, from its
    button, ``show_conflicts()`` when the import left conflicts to review."""

    imported = Signal(object)
    show_conflicts = Signal()

    def __init__(self, db, store: PassphraseStore, parent=None, *, path: Path | None = None) -> None:
        super().__init__(db, store, parent)
        self.setWindowTitle(self.tr("导入同步包"))
        self.resize(640, 480)
        if path:
            self.path.setText(str(path))
        self.run_button.setText(self.tr("导入"))
        # Shown to an admin once a file of another station was refused: merging is deliberate.
        self.merge_station = QCheckBox(
            self.tr("合并派出所：本机并入该同步包所属的派出所（管理员操作，记入审计日志）"), self)
        self.merge_station.hide()
        self.form.addRow("", self.merge_station)
        self._station_refused = False  # set by the worker before it reports the failure
        self.summary = table_view(self)
        self.summary.hide()
        self.conflicts_button = QPushButton(self.tr("查看同步冲突"), self)
        self.conflicts_button.clicked.connect(self.show_conflicts)
        self.conflicts_button.hide()
        self.layout().addWidget(self.summary, 1)
        self.layout().addWidget(self.conflicts_button)
        self.layout().addWidget(self.buttons)

    def _browse(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(self, self.tr("选择同步包"), self.path.text(),
                                                self.tr("同步包 (*.cpsync);;所有文件 (*)"))
        if chosen:
            self.path.setText(chosen)

    def run(self) -> None:
        from app.sync.importer import import_file

        path, passphrase = Path(self.path.text()), self.chosen_passphrase()
        if not self.path.text():
            self._say(self.tr("请选择要导入的同步包"), error=True)
            return
        merge = self.merge_station.isVisibleTo(self) and self.merge_station.isChecked()
        self._station_refused = False

        def work(progress, stop):
            from app.sync.container import SyncError

            try:
                return import_file(self.db, path=path, passphrase=passphrase, progress=progress, should_stop=stop,
                                   merge_station=merge, audit=True)  # the audit entry commits with the merge
            except SyncError as exc:
                self._station_refused = exc.kind == "station"
                raise

        self._start(self.tr("正在导入同步包"), work, writes=(ANY_TABLE,))  # every tab shows the merged data

    def _failed(self, message: str) -> None:
        super()._failed(message)
        if self._station_refused and _is_admin(self.db):
            self.merge_station.show()

    def _finished(self, summary) -> None:
        self.run_button.setEnabled(True)
        if summary.already_imported:
            self._say(self.tr("这个同步包已经导入过（设备 {code}），没有改动。").format(code=summary.device_code))
        else:
            self._say(self.tr("已导入设备 {code} 的同步包：共 {rows} 条记录，{conflicts} 处冲突待处理。").format(
                code=summary.device_code, rows=summary.rows, conflicts=summary.conflicts)
                + (f"\n{summary.station}" if summary.station else ""))
            self.summary.setModel(RowsModel(self._columns(), self._rows(summary), self.summary))
            self.summary.show()
            self.conflicts_button.setVisible(summary.conflicts > 0)
        self.imported.emit(summary)

    def _columns(self) -> list[Column]:
        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        return [Column(self.tr("表"), "table"), *(Column(title, attr, align=right) for title, attr in (
            (self.tr("新增"), "added"), (self.tr("更新"), "updated"), (self.tr("未变"), "unchanged"),
            (self.tr("删除"), "deleted"), (self.tr("冲突"), "conflicts")))]

    def _rows(self, summary) -> list:
        from types import SimpleNamespace

        from ui.sync.labels import table_label

        return [SimpleNamespace(table=table_label(name), **vars(counts))
                for name, counts in summary.tables.items()
                if counts.added or counts.updated or counts.unchanged or counts.deleted or counts.conflicts]


def _is_admin(db) -> bool:
    from app.accounts.account import current_account
    from app.core.errors import UserError

    try:
        return current_account(db).is_admin
    except UserError:  # nobody logged in (a plain database)
        return False


class SyncSettingsDialog(FitsScreen, QDialog):
    """同步设置: the passphrase (typed twice, never shown) and the last export/import per device."""

    saved = Signal()

    def __init__(self, db, store: PassphraseStore, parent=None) -> None:
        super().__init__(parent)
        from app.sync.conflicts import last_syncs

        self.db, self.store = db, store
        self.setWindowTitle(self.tr("同步设置"))
        self.resize(620, 420)
        self.state = QLabel(self)
        self.first, self.second = QLineEdit(self), QLineEdit(self)
        for edit in (self.first, self.second):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.first.setPlaceholderText(self.tr("至少 {n} 个字符").format(n=MIN_PASSPHRASE))
        self.error = QLabel(self)
        self.error.setStyleSheet("color: #b00020")
        form = QFormLayout()
        form.addRow(self.tr("当前口令："), self.state)
        form.addRow(self.tr("新的同步口令："), self.first)
        form.addRow(self.tr("再输入一次："), self.second)
        form.addRow("", self.error)
        self.history = table_view(self)
        self.history.setModel(RowsModel([
            Column(self.tr("设备"), "device_code"),
            Column(self.tr("方向"), "direction", fmt=lambda d: self.tr("导出") if d == "export" else self.tr("导入")),
            Column(self.tr("时间"), "at", fmt=lambda at: at.astimezone().strftime("%Y-%m-%d %H:%M")),
            Column(self.tr("记录数"), "rows"), Column(self.tr("文件"), "file_name")], last_syncs(db), self.history))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Close,
                                   self)
        buttons.button(QDialogButtonBox.StandardButton.Save).setText(self.tr("保存口令"))
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("关闭"))
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel(self.tr("各设备最近一次同步："), self))
        layout.addWidget(self.history, 1)
        layout.addWidget(buttons)
        self._show_state()

    def _show_state(self) -> None:
        self.state.setText(self.tr("已设置（不显示）") if self.store.get() else self.tr("尚未设置"))

    def save(self) -> bool:
        first, second = self.first.text(), self.second.text()
        if len(first) < MIN_PASSPHRASE:
            self.error.setText(self.tr("口令至少需要 {n} 个字符").format(n=MIN_PASSPHRASE))
        elif first != second:
            self.error.setText(self.tr("两次输入的口令不一致"))
        else:
            self.store.set(first)
            for edit in (self.first, self.second):
                edit.clear()
            self.error.clear()
            self._show_state()
            self.saved.emit()
            return True
        return False

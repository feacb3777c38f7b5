"""审计日志 dialog: the audit trail newest first, filtered in SQL by officer, day, kind and record.

Pages of ``PAGE_SIZE`` entries are fetched as the list scrolls (or by 加载更多), so a log of
many thousands of entries opens at once. 导出Excel… writes the filtered entries to .xlsx.
As it opens, the log's hash chain is checked on a worker (it reads every entry); a red line
above the list says from which entry on the log was changed behind the program's back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import QDate, QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.audit import log as audit
from ui.widgets.fit import ElidedLabel, FitsScreen, limit_length
from ui.widgets.ops import Op
from ui.widgets.paged_model import Column, PagedTableModel

PAGE_SIZE = 200
FILTER_DELAY_MS = 300  # the record box filters as you type, not on every keystroke
RECORD_CHARS = 8  # of a record id shown in the list (all of it in the tooltip)
RECORD_ID_LIMIT = 32  # a record id's length (db/base.py)


@dataclass(frozen=True)
class AuditLine:
    """One entry as the list shows it."""

    id: str
    when: str
    officer: str
    action: str
    table: str
    record_id: str
    note: str


def _line(row: audit.AuditRow) -> AuditLine:
    from app.audit.ledger import entry_cells

    when, officer, action, table, record_id, note = entry_cells(row)
    return AuditLine(row.id, when, officer, action, table, record_id, note)


class AuditModel(PagedTableModel):
    """PagedTableModel with the full record id and explanation as tooltips."""

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.ToolTipRole and index.isValid() and index.row() < self.rowCount():
            line = self.line(index.row())
            return {COL_RECORD: line.record_id, COL_NOTE: line.note}.get(index.column()) or None
        return super().data(index, role)

    def line(self, row: int) -> AuditLine:
        return self._rows[row]


COL_TIME, COL_OFFICER, COL_ACTION, COL_TABLE, COL_RECORD, COL_NOTE = range(6)


def _short(record_id: str) -> str:
    return record_id[:RECORD_CHARS] + "…" if len(record_id) > RECORD_CHARS else record_id


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


class AuditDialog(FitsScreen, QDialog):
    """Open with ``show()`` (``open_audit_view``). ``reloaded`` after each filter change;
    ``exported(count, path)`` or ``failed(message)`` after 导出Excel…; ``chain_checked(problem)``
    once the hash chain is checked ("" when every entry is as written)."""

    reloaded = Signal()
    exported = Signal(int, str)
    failed = Signal(str)
    chain_checked = Signal(str)

    def __init__(self, db, parent: QWidget | None = None, *, page_size: int = PAGE_SIZE,
                 today: date | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self._total = 0  # entries matching the filters (the list holds the first pages of them)
        self.setWindowTitle(self.tr("审计日志"))
        self.setWindowFlag(Qt.WindowType.Window)
        self.resize(1180, 680)
        today = today or date.today()

        self.officer = QComboBox(self)
        self.officer.addItem(self.tr("全部民警"), None)
        for o in audit.officers(db):
            self.officer.addItem(f"{o.name}（{o.username}）", o.id)
        self.action = QComboBox(self)
        self.action.addItem(self.tr("全部操作"), None)
        for code, label in audit.ACTIONS.items():
            self.action.addItem(self.tr(label), code)
        self.dated = QCheckBox(self.tr("日期"), self)
        self.dated.setToolTip(self.tr("勾选后只看这段日期内的记录（含首尾两天）"))
        self.start = QDateEdit(_qdate(today - timedelta(days=30)), self, calendarPopup=True,
                               displayFormat="yyyy-MM-dd")
        self.end = QDateEdit(_qdate(today), self, calendarPopup=True, displayFormat="yyyy-MM-dd")
        self.record = QLineEdit(self, placeholderText=self.tr("记录编号（双击列表中的一行即填入）"),
                                clearButtonEnabled=True)
        self.record.setMinimumWidth(260)
        limit_length(self.record, RECORD_ID_LIMIT)
        self.clear_button = QPushButton(self.tr("清除筛选"), self)
        self.clear_button.clicked.connect(self.clear_filters)
        self._record_timer = QTimer(self, singleShot=True, interval=FILTER_DELAY_MS)
        self._record_timer.timeout.connect(self.reload)

        top = QHBoxLayout()
        for label, widget in ((self.tr("民警："), self.officer), (self.tr("操作："), self.action)):
            top.addWidget(QLabel(label, self))
            top.addWidget(widget)
            top.addSpacing(12)
        top.addWidget(self.dated)
        top.addWidget(self.start)
        top.addWidget(QLabel(self.tr("至"), self))
        top.addWidget(self.end)
        top.addSpacing(12)
        top.addWidget(QLabel(self.tr("记录："), self))
        top.addWidget(self.record, 1)
        top.addWidget(self.clear_button)

        self.table = QTableView(self)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        self.table.doubleClicked.connect(self._follow_record)
        self.model = AuditModel(self._columns(), self._fetch, page_size=page_size, parent=self)
        self.table.setModel(self.model)
        self._size_columns()

        self.count = ElidedLabel("", self)  # after an export it names the file
        self.more_button = QPushButton(self.tr("加载更多"), self)
        self.more_button.clicked.connect(self.load_more)
        self.export_button = QPushButton(self.tr("导出Excel…"), self)
        self.export_button.clicked.connect(self._ask_export)
        close = QPushButton(self.tr("关闭"), self)
        close.clicked.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(self.count)
        bottom.addWidget(self.more_button)
        bottom.addStretch(1)
        bottom.addWidget(self.export_button)
        bottom.addWidget(close)

        self.tampered = QLabel(self)  # shown only when the chain check finds a change
        self.tampered.setWordWrap(True)
        self.tampered.setStyleSheet("color: #b00020; font-weight: bold")
        self.tampered.hide()

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tampered)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)

        for combo in (self.officer, self.action):
            combo.currentIndexChanged.connect(self.reload)
        for edit in (self.start, self.end):
            edit.dateChanged.connect(self._dates_changed)
        self.dated.toggled.connect(self._dates_toggled)
        self.record.textChanged.connect(self._record_timer.start)
        self.record.returnPressed.connect(self.reload)
        self.model.rowsInserted.connect(self._show_count)
        for edit in (self.start, self.end):
            edit.setEnabled(False)
        self.reload()
        self.check_chain()

    # --- the hash chain ---------------------------------------------------------------------
    def check_chain(self) -> Op:
        """Check every entry against the chain on a worker; the answer shows above the list."""
        db = self.db
        op = Op(self, lambda: audit.chain_problem(db) or "")
        op.on_success(self._chain_checked).on_failure(self._chain_unchecked).run()
        return op

    def _chain_checked(self, problem: str) -> None:
        if problem:
            self.tampered.setText(self.tr("⚠ {problem}：有人绕过本程序改动或删除了记录，请报告所领导")
                                  .format(problem=problem))
        self.tampered.setVisible(bool(problem))
        self.chain_checked.emit(problem)

    def _chain_unchecked(self, exc: Exception) -> None:
        message = self.tr("无法核对审计日志：{error}").format(error=exc)
        self.tampered.setText(message)
        self.tampered.show()
        self.chain_checked.emit(message)

    # --- the list ---------------------------------------------------------------------------
    def _columns(self) -> list[Column]:
        return [Column(self.tr("时间"), "when"), Column(self.tr("民警"), "officer"),
                Column(self.tr("操作"), "action"), Column(self.tr("对象"), "table"),
                Column(self.tr("记录"), "record_id", fmt=_short), Column(self.tr("说明"), "note")]

    def _size_columns(self) -> None:
        """Fixed widths from the font (the first page must not decide them); 说明 takes the rest."""
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        metrics = self.fontMetrics()
        samples = {COL_TIME: "2026-01-01 00:00:00", COL_OFFICER: "王警官王警官", COL_ACTION: "合并重复人员",
                   COL_TABLE: "调解协议书", COL_RECORD: "0123abcd…"}
        for column, sample in samples.items():
            header.resizeSection(column, metrics.horizontalAdvance(sample) + 24)

    def filters(self) -> dict:
        """The chosen filters, as keyword arguments of app.audit.log.search_audit."""
        dated = self.dated.isChecked()
        return {"officer_id": self.officer.currentData(), "action": self.action.currentData(),
                "start": self.start.date().toPython() if dated else None,
                "end": self.end.date().toPython() if dated else None,
                "record_id": self.record.text().strip() or None}

    def _fetch(self, *, text: str = "", sort=None, descending: bool = False, offset: int = 0, limit: int = PAGE_SIZE):
        return [_line(row) for row in audit.search_audit(self.db, **self.filters(), limit=limit, offset=offset)]

    def reload(self, *_args) -> None:
        self._record_timer.stop()
        self.model.reload()
        self._total = audit.count_audit(self.db, **self.filters())
        self._show_count()
        self.reloaded.emit()

    def load_more(self) -> None:
        if self.model.canFetchMore():
            self.model.fetchMore()

    def _show_count(self, *_args) -> None:
        shown, total = self.model.rowCount(), self._total
        if shown < total:
            self.count.setText(self.tr("共 {total} 条，已显示 {shown} 条").format(total=total, shown=shown))
        else:
            self.count.setText(self.tr("共 {total} 条").format(total=total))
        self.more_button.setVisible(self.model.canFetchMore())
        self.export_button.setEnabled(total > 0)

    # --- filters ----------------------------------------------------------------------------
    def _dates_toggled(self, on: bool) -> None:
        for edit in (self.start, self.end):
            edit.setEnabled(on)
        self.reload()

    def _dates_changed(self, *_args) -> None:
        if self.end.date() < self.start.date():  # keep the range the right way round
            sender = self.sender()
            other = self.end if sender is self.start else self.start
            other.blockSignals(True)
            other.setDate(sender.date())
            other.blockSignals(False)
        if self.dated.isChecked():
            self.reload()

    def clear_filters(self) -> None:
        for widget in (self.officer, self.action, self.dated, self.record):
            widget.blockSignals(True)
        self.officer.setCurrentIndex(0)
        self.action.setCurrentIndex(0)
        self.dated.setChecked(False)
        for edit in (self.start, self.end):
            edit.setEnabled(False)
        self.record.clear()
        for widget in (self.officer, self.action, self.dated, self.record):
            widget.blockSignals(False)
        self.reload()

    def _follow_record(self, index: QModelIndex) -> None:
        """Double-click: every entry of that record (its whole history)."""
        record_id = self.model.line(index.row()).record_id if index.isValid() else ""
        if record_id:
            self.record.setText(record_id)
            self.reload()

    # --- export -----------------------------------------------------------------------------
    def _ask_export(self) -> None:
        suggested = str(Path.home() / f"审计日志-{date.today():%Y%m%d}.xlsx")
        path, _ = QFileDialog.getSaveFileName(self, self.tr("导出审计日志"), suggested,
                                              self.tr("Excel 工作簿 (*.xlsx)"))
        if path:
            self.export_to(Path(path if path.endswith(".xlsx") else path + ".xlsx"))

    def export_to(self, path: Path) -> Op:
        """Write the filtered entries on a worker; the export is itself logged, then shown."""
        from app.audit.ledger import write_ledger

        filters = self.filters()
        self.export_button.setEnabled(False)
        self.count.setText(self.tr("正在导出…"))
        op = Op(self, lambda: write_ledger(self.db, path=path, **filters))
        op.on_success(lambda count: self._exported(count, path)).on_failure(self._export_failed).run()
        return op

    def _exported(self, count: int, path: Path) -> None:
        self.reload()
        self.count.setText(self.count.text() + self.tr("　已导出 {n} 条到 {path}").format(n=count, path=path))
        self.exported.emit(count, str(path))

    def _export_failed(self, exc: Exception) -> None:
        from app.core.errors import UserError

        self._show_count()
        message = str(exc) if isinstance(exc, UserError) else self.tr("导出失败：{error}").format(error=exc)
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("导出失败"), message, QMessageBox.StandardButton.Ok, self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        self.failed.emit(message)


def open_audit_view(parent: QWidget | None, db) -> AuditDialog:
    """Show the 审计日志 window (for the station admin's menu entry); returns it, already shown."""
    dialog = AuditDialog(db, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog

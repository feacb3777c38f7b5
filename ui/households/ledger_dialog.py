"""走访台账 export: choose the date range and the file; the workbook is written on a worker."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
)

from ui.widgets.fit import FitsScreen
from ui.widgets.messages import tell
from ui.widgets.ops import Op


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


class LedgerDialog(FitsScreen, QDialog):
    exported = Signal(int, str)  # visits written, path
    failed = Signal(str)

    def __init__(self, db, *, parent=None) -> None:
        super().__init__(parent)
        self.db = db
        self.setWindowTitle(self.tr("导出走访台账"))
        self.setWindowFlag(Qt.WindowType.Window)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        today = date.today()
        self.start = QDateEdit(_qdate(today.replace(day=1)), self, calendarPopup=True, displayFormat="yyyy-MM-dd")
        self.end = QDateEdit(_qdate(today), self, calendarPopup=True, displayFormat="yyyy-MM-dd")
        self.status = QLabel(self.tr("每次走访一行，含住址、民警、事由、见面人员、发现情况等。"), self, wordWrap=True)
        self.problem = QLabel(self)
        self.problem.setStyleSheet("color: #c0392b;")
        self.export_button = QPushButton(self.tr("导出…"), self)
        self.export_button.clicked.connect(self._ask_path)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.addButton(self.export_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(self.tr("开始日期："), self.start)
        form.addRow(self.tr("结束日期："), self.end)
        form.addRow("", self.problem)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        self.start.dateChanged.connect(self._check)
        self.end.dateChanged.connect(self._check)
        self.resize(460, 0)  # room for the hint on one or two lines
        self._check()

    def range(self) -> tuple[date, date]:
        return self.start.date().toPython(), self.end.date().toPython()

    def _check(self) -> None:
        start, end = self.range()
        bad = self.tr("结束日期不能早于开始日期") if end < start else ""
        self.problem.setText(bad)
        self.export_button.setEnabled(not bad)

    def _ask_path(self) -> None:
        start, end = self.range()
        suggested = Path.home() / f"走访台账-{start:%Y%m%d}-{end:%Y%m%d}.xlsx"
        path, _ = QFileDialog.getSaveFileName(self, self.tr("导出走访台账"), str(suggested),
                                              self.tr("Excel 文件 (*.xlsx)"))
        if path:
            self.export_to(Path(path if path.endswith(".xlsx") else path + ".xlsx"))

    def export_to(self, path: Path) -> None:
        """Write the ledger on a worker; ``exported`` or ``failed`` reports back."""
        from app.households.ledger import write_ledger

        start, end = self.range()
        self.export_button.setEnabled(False)
        self.status.setText(self.tr("正在导出…"))
        Op(self, lambda: write_ledger(self.db, start=start, end=end, path=path)) \
            .on_success(lambda count: self._done(count, path)).on_failure(self._failed).run()

    def _done(self, count: int, path: Path) -> None:  # the writer has logged it in the audit trail
        self.export_button.setEnabled(True)
        self.status.setText(self.tr("已导出 {n} 条走访记录到 {path}").format(n=count, path=path))
        self.exported.emit(count, str(path))

    def _failed(self, exc: Exception) -> None:
        from app.core.errors import UserError

        self.export_button.setEnabled(True)
        message = str(exc) if isinstance(exc, UserError) else self.tr("导出失败：{error}").format(error=exc)
        self.status.setText(message)
        self.failed.emit(message)
        tell(self, self.tr("导出失败"), message, icon=QMessageBox.Icon.Warning)

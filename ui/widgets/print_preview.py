"""Preview a rendered PDF in the program, then print it through Qt's dialog or save it."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize, Qt, Signal
from PySide6.QtGui import QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFileDialog, QMessageBox, QPushButton, QVBoxLayout

from ui.widgets.fit import FitsScreen

PRINT_DPI = 300  # pages are painted as images: 300 dpi is sharp, 1200 dpi would be 500 MB a page


class PdfPreviewDialog(FitsScreen, QDialog):
    """Shows every page; 打印… and 另存为PDF… report what they did by signal.

    Given ``db`` and ``audit=(table, record_id, document name)`` (a document with personal
    data), the dialog itself logs each print ("print") and each saved file ("pdf")."""

    printed = Signal()
    saved = Signal(str)

    def __init__(self, pdf: bytes, *, title: str, suggested_name: str, parent=None, db=None,
                 audit: tuple[str, str | None, str] | None = None) -> None:
        super().__init__(parent)
        if audit is not None and db is None:
            raise ValueError("an audited preview needs the database")
        self.db, self.audit = db, audit
        self.setWindowTitle(title)
        self.resize(820, 960)
        self.pdf = pdf
        self._suggested = suggested_name
        self._bytes = QByteArray(pdf)  # QBuffer reads from this: keep it alive with the dialog
        self._buffer = QBuffer(self._bytes, self)
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document = QPdfDocument(self)
        self.document.load(self._buffer)

        self.view = QPdfView(self)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setDocument(self.document)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        print_button = QPushButton(self.tr("打印(&P)…"), self)
        save_button = QPushButton(self.tr("另存为PDF(&S)…"), self)
        buttons.addButton(print_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(save_button, QDialogButtonBox.ButtonRole.ActionRole)
        print_button.clicked.connect(self._ask_print)
        save_button.clicked.connect(self._ask_save)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addWidget(buttons)

    def page_count(self) -> int:
        return self.document.pageCount()

    def print_to(self, printer: QPrinter) -> None:
        """Paint every page at the printer's resolution."""
        painter = QPainter()
        if not painter.begin(printer):
            raise OSError(self.tr("无法开始打印"))
        try:
            for page in range(self.document.pageCount()):
                if page:
                    printer.newPage()
                target = painter.viewport()
                size = self.document.pagePointSize(page)
                scale = min(target.width() / size.width(), target.height() / size.height())
                image = self.document.render(page, QSize(int(size.width() * scale), int(size.height() * scale)))
                painter.drawImage(0, 0, image)
        finally:
            painter.end()
        self._log("print")
        self.printed.emit()

    def save_to(self, path: Path) -> None:
        Path(path).write_bytes(self.pdf)
        self._log("pdf", path)
        self.saved.emit(str(path))

    def _log(self, action: str, path: Path | None = None) -> None:
        """The audit entry of a print or a saved file; failing to log is said, the paper is out anyway."""
        if self.audit is None:
            return
        from app.audit.log import record_document

        table, record_id, document = self.audit
        try:
            record_document(self.db, action, table=table, record_id=record_id, document=document,
                            path=Path(path).absolute() if path else None, pages=self.page_count() or None)
        except Exception as exc:
            logging.getLogger(__name__).exception("audit entry for a %s failed", action)
            box = QMessageBox(QMessageBox.Icon.Warning, self.tr("未能写入审计日志"), str(exc),
                              QMessageBox.StandardButton.Ok, self)
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            box.open()

    def _ask_print(self) -> None:
        from PySide6.QtPrintSupport import QPrintDialog

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setResolution(PRINT_DPI)
        dialog = QPrintDialog(printer, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            try:
                self.print_to(printer)
            except OSError as exc:
                QMessageBox.warning(self, self.tr("打印失败"), str(exc))

    def _ask_save(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("另存为PDF"), self._suggested, "PDF (*.pdf)")
        if path:
            try:
                self.save_to(Path(path))
            except OSError as exc:
                QMessageBox.warning(self, self.tr("保存失败"), exc.strerror or str(exc))

"""文件 → 从 Excel 导入…: the wizard that brings an officer's ledger in, in four pages (the file and
what it holds; its columns to fields; the check, where nothing is written; the write, with undo)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QWizard

from ui.widgets.fit import FitsScreen

WIZARD_SIZE = (1120, 700)  # fits a 1366x768 laptop with the taskbar and the title bar


@dataclass
class Source:
    """What page 1 settled: the kind, the file, its sheets, where its header is, and how it reads."""

    kind: str = "households"
    path: Path | None = None
    sheets: list[str] = field(default_factory=list)
    header_row: int = 1
    header_rows: int = 1
    headers: list[str] = field(default_factory=list)
    preview: list[list[str]] = field(default_factory=list)
    template: str | None = None  # a saved mapping template to apply, or None to guess

    def key(self) -> tuple:
        """What the column mapping depends on: a change starts the mapping afresh."""
        return (self.kind, str(self.path), tuple(self.headers), self.template)


class ImportWizard(FitsScreen, QWizard):
    """``ImportWizard(db, officer_id, parent)``; ``imported(ImportSummary)`` once written,
    ``undone(ImportSummary)`` once the officer took it back."""

    imported = Signal(object)
    undone = Signal(object)

    def __init__(self, db, officer_id: str | None, parent=None, *, templates_folder: Path | None = None) -> None:
        from ui.imports.check_page import CheckPage
        from ui.imports.mapping_page import MappingPage
        from ui.imports.source_page import SourcePage
        from ui.imports.write_page import WritePage

        super().__init__(parent)
        self.db, self.officer_id = db, officer_id
        self.templates_folder = templates_folder  # tests keep their templates apart
        self.source = Source()
        self.mapping: dict[int, str] = {}  # column index -> field key
        self.result = None  # app.imports.service.CheckResult of the last check
        self.summary = None  # app.imports.service.ImportSummary once written
        self.setWindowTitle(self.tr("从 Excel 导入"))
        self.setWindowFlag(Qt.WindowType.Window)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setOption(QWizard.WizardOption.NoDefaultButton, False)
        self.setOption(QWizard.WizardOption.HaveHelpButton, False)
        for button, text in ((QWizard.WizardButton.BackButton, self.tr("< 上一步")),
                             (QWizard.WizardButton.NextButton, self.tr("下一步 >")),
                             (QWizard.WizardButton.FinishButton, self.tr("完成")),
                             (QWizard.WizardButton.CancelButton, self.tr("取消"))):
            self.setButtonText(button, text)
        self.source_page = SourcePage(self)
        self.mapping_page = MappingPage(self)
        self.check_page = CheckPage(self)
        self.write_page = WritePage(self)
        for page in (self.source_page, self.mapping_page, self.check_page, self.write_page):
            self.addPage(page)
        self.resize(*WIZARD_SIZE)

    def fields(self):
        """The fields of the kind chosen (app/imports/kinds/)."""
        from app.imports.service import fields

        return fields(self.source.kind)

    def reject(self) -> None:
        """取消 or closing: a check under way is stopped; a write under way must end first (its own
        取消 rolls it back), so the window never closes over half-done work."""
        if self.write_page.busy():
            self.write_page.say_busy()
            return
        for page in (self.source_page, self.mapping_page, self.check_page):
            page.stop()
        super().reject()

    def closeEvent(self, event) -> None:
        if self.write_page.busy():
            self.write_page.say_busy()
            event.ignore()
            return
        super().closeEvent(event)

"""Page 3 of the import wizard: every row checked by app.imports.service.check on a worker (progress,
取消), the counts, the rows with problems and the rows already in the database, where the officer
chooses 更新/跳过/都保留; the report saved as .xlsx. Nothing is written to the database here."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWizardPage,
)

from ui.imports.check_model import VIEWS, ActionDelegate, CheckModel
from ui.imports.common import ACTIONS, MATCHED_ACTIONS, InlineProgress, label, say
from ui.widgets.ops import Op


class CheckPage(QWizardPage):
    def __init__(self, wizard) -> None:
        super().__init__(wizard)
        self._wizard = wizard
        self.setTitle(self.tr("检查"))
        self.setSubTitle(self.tr("每一行都按录入时的规则检查；这一步不写入任何数据。"))
        self._op: Op | None = None
        self._checked = None  # what the result was checked for: (Source.key(), mapping)

        self.counts = QLabel(self)
        self.counts.setStyleSheet("font-size: 15px; font-weight: bold;")
        self.view = QComboBox(self)
        for key, text in VIEWS.items():
            self.view.addItem(label(text), key)
        self.view.currentIndexChanged.connect(lambda _i: self.model.set_view(self.view.currentData()))
        self.report_button = QPushButton(self.tr("保存检查报告…"), self)
        self.report_button.setEnabled(False)
        self.report_button.setToolTip(self.tr("有问题的行和已有记录的行（行号、原来各列、问题），改好后可以再导入；"
                                              "检查无误的行只计数，不列出"))
        self.report_button.clicked.connect(self._ask_report_path)
        top = QHBoxLayout()
        top.addWidget(self.counts, 1)
        top.addWidget(QLabel(self.tr("显示："), self))
        top.addWidget(self.view)
        top.addWidget(self.report_button)

        self.progress = InlineProgress(self)
        self.model = CheckModel(self)
        self.model.actions_changed.connect(self._actions_changed)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setItemDelegateForColumn(CheckModel.ACTION, ActionDelegate(self.table))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(CheckModel.REASON, QHeaderView.ResizeMode.Stretch)
        for column, width in ((CheckModel.SHEET, 90), (CheckModel.LINE, 50), (CheckModel.STATE, 60),
                              (CheckModel.CONTENT, 340), (CheckModel.ACTION, 80)):
            self.table.setColumnWidth(column, width)
        self.model.modelReset.connect(lambda: self.table.setColumnHidden(CheckModel.SHEET,
                                                                         not self.model.multi_sheet()))

        self.all_buttons = []
        matched_row = QHBoxLayout()
        self.matched_label = QLabel(self.tr("已存在的行全部："), self)
        matched_row.addWidget(self.matched_label)
        for action in MATCHED_ACTIONS:
            button = QPushButton(label(ACTIONS[action]), self)
            button.clicked.connect(lambda _c=False, action=action: self.model.choose_all(action))
            matched_row.addWidget(button)
            self.all_buttons.append(button)
        matched_row.addWidget(QLabel(self.tr("（也可以在“处理”一栏逐行选）"), self))
        matched_row.addStretch(1)
        self.status = QLabel(self, wordWrap=True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status.hide()

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.progress)
        layout.addWidget(self.table, 1)
        layout.addLayout(matched_row)
        layout.addWidget(self.status)

    # --- checking ------------------------------------------------------------------------------
    def initializePage(self) -> None:
        wizard = self._wizard
        wanted = (wizard.source.key(), tuple(sorted(wizard.mapping.items())))
        if self._checked == wanted and wizard.result is not None:
            return  # back from the last page: the officer's choices stay
        self.run_check()

    def run_check(self) -> None:
        from app.imports.service import check

        wizard = self._wizard
        source, mapping = wizard.source, dict(wizard.mapping)
        wanted = (source.key(), tuple(sorted(mapping.items())))
        self.stop()
        old, wizard.result = wizard.result, None
        self.model.set_result(None)
        if old is not None:
            old.close()  # its temporary file goes now, not when the garbage is collected
        self.counts.setText(self.tr("正在检查…"))
        say(self.status, "")
        self.report_button.setEnabled(False)

        def work():
            return check(wizard.db, kind=source.kind, path=source.path, sheets=source.sheets,
                         header_row=source.header_row, header_rows=source.header_rows, mapping=mapping,
                         progress=op.report, should_stop=op.should_stop)

        op = Op(self, work).with_progress(self.progress)
        op.on_success(lambda result: self._checked_ok(op, wanted, result))
        op.on_failure(lambda exc: self._check_failed(op, exc))
        self._op = op.run()
        self.completeChanged.emit()

    def _checked_ok(self, op: Op, wanted, result) -> None:
        if op is not self._op:
            return
        self._op = None
        self._checked = wanted
        self._wizard.result = result
        counts = result.counts
        # The rows that need a look first; when none does, every row, so the table is never blank.
        view = "attention" if counts["bad"] or counts["matched"] else "all"
        self.view.blockSignals(True)
        self.view.setCurrentIndex(self.view.findData(view))
        self.view.blockSignals(False)
        self.model.set_view(view)
        self.model.set_result(result)
        self.counts.setText(
            self.tr("共 {rows} 行：可导入 {good}（其中已存在 {matched}），有问题 {bad}").format(**counts))
        if not counts["rows"]:
            say(self.status, self.tr("表头下面没有数据行，没有可导入的内容"), error=True)
        self.report_button.setEnabled(True)
        self.completeChanged.emit()

    def _check_failed(self, op: Op, exc: Exception) -> None:
        if op is not self._op:
            return
        from app.core.errors import explain

        self._op = None
        self.counts.setText(self.tr("检查没有完成"))
        say(self.status, explain(exc), error=True)
        self.completeChanged.emit()

    def _actions_changed(self) -> None:
        result = self._wizard.result
        matched = result.counts["matched"] if result else 0
        for widget in (*self.all_buttons, self.matched_label):
            widget.setEnabled(matched > 0)
        if result is not None and result.total and not self.writing_rows():
            say(self.status, self.tr("没有要写入的行：有问题的行请在表格里改好后重新导入"), error=True)
        elif result is not None and result.counts["rows"]:
            say(self.status, "")
        self.completeChanged.emit()

    def writing_rows(self) -> int:
        result = self._wizard.result
        return result.writing() if result else 0

    def isComplete(self) -> bool:
        return self._op is None and self._wizard.result is not None and self.writing_rows() > 0

    # --- the report ----------------------------------------------------------------------------
    def _ask_report_path(self) -> None:
        source = self._wizard.source
        suggested = source.path.with_name(f"{source.path.stem}-检查报告.xlsx") if source.path else Path("检查报告.xlsx")
        chosen, _filter = QFileDialog.getSaveFileName(self, self.tr("保存检查报告"), str(suggested),
                                                      self.tr("Excel 表格 (*.xlsx)"))
        if chosen:
            self.save_report_to(Path(chosen))

    def save_report_to(self, path: Path) -> Op | None:
        """The report (the flagged rows: the original columns, 行号 and 问题) written on a worker."""
        from app.imports.service import save_report

        result = self._wizard.result
        if result is None:
            return None
        if path.suffix.lower() != ".xlsx":
            path = path.with_name(path.name + ".xlsx")
        say(self.status, self.tr("正在保存检查报告…"))
        self.report_button.setEnabled(False)

        def saved(_none) -> None:
            self.report_button.setEnabled(True)
            say(self.status, self.tr("检查报告已保存：{path}").format(path=path))

        def failed(exc: Exception) -> None:
            from app.core.errors import explain

            self.report_button.setEnabled(True)
            say(self.status, explain(exc), error=True)

        return Op(self, lambda: save_report(result, path)).on_success(saved).on_failure(failed).run()

    # --- the wizard asks -----------------------------------------------------------------------
    def busy(self) -> bool:
        return self._op is not None

    def stop(self) -> None:
        if self._op is not None:
            self._op.cancel()
            self._op = None  # its answer is dropped; the check writes nothing, so nothing is left behind

    def cleanupPage(self) -> None:
        self.stop()

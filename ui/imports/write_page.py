"""Page 4 of the import wizard: what will be written, the write itself (app.imports.service.write, one
transaction on the writer thread, with progress and 取消), the counts, and 撤销这次导入."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWizard, QWizardPage

from ui.imports.common import InlineProgress, kind_tables, say
from ui.widgets.ops import Op


class WritePage(QWizardPage):
    def __init__(self, wizard) -> None:
        super().__init__(wizard)
        self._wizard = wizard
        self.setTitle(self.tr("导入"))
        self.setSubTitle(self.tr("确认后写入数据库（一次写完，中途取消则什么也不写）；导入后可以撤销。"))
        self._op: Op | None = None

        self.plan = QLabel(self, wordWrap=True)
        self.plan.setStyleSheet("font-size: 15px;")
        self.write_button = QPushButton(self.tr("开始导入"), self)
        self.write_button.clicked.connect(self.start_write)
        self.progress = InlineProgress(self)
        self.outcome = QLabel(self, wordWrap=True)
        self.outcome.setStyleSheet("font-size: 15px; font-weight: bold;")
        self.outcome.hide()
        self.undo_button = QPushButton(self.tr("撤销这次导入"), self)
        self.undo_button.clicked.connect(self.start_undo)
        self.undo_button.hide()
        self.status = QLabel(self, wordWrap=True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status.hide()
        buttons = QHBoxLayout()
        buttons.addWidget(self.write_button)
        buttons.addWidget(self.undo_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.plan)
        layout.addLayout(buttons)
        layout.addWidget(self.progress)
        layout.addWidget(self.outcome)
        layout.addWidget(self.status)
        layout.addStretch(1)
        self.setFinalPage(True)

    def initializePage(self) -> None:
        result = self._wizard.result
        actions = result.actions()
        add, update, both, skip = actions["add"], actions["update"], actions["both"], actions["skip"]
        self.plan.setText(self.tr(
            "将从“{file}”导入{kind}：\n　· 新增 {add} 行\n　· 更新已有记录 {update} 行\n"
            "　· 已存在但仍新增 {both} 行\n　· 跳过 {skip} 行（其中有问题的 {bad} 行）\n"
            "点“开始导入”后才写入数据库。").format(
            file=result.path.name, kind=self._kind_label(), add=add, update=update, both=both, skip=skip,
            bad=result.counts["bad"]))
        self.plan.show()
        self.write_button.show()
        self.write_button.setEnabled(True)
        self.outcome.hide()
        self.undo_button.hide()
        say(self.status, "")

    def _kind_label(self) -> str:
        from app.imports.service import KINDS

        return KINDS[self._wizard.result.kind]

    def _tables(self) -> tuple[str, ...]:
        return kind_tables(self._wizard.result.kind)

    # --- writing -------------------------------------------------------------------------------
    def start_write(self) -> Op | None:
        from app.imports.service import write

        wizard = self._wizard
        if self._op is not None or wizard.summary is not None:
            return None
        result = wizard.result
        self.write_button.setEnabled(False)
        say(self.status, "")

        def work():
            return write(wizard.db, result=result, officer_id=wizard.officer_id, progress=op.report,
                         should_stop=op.should_stop)

        op = Op(self, work).writes(*self._tables()).with_progress(self.progress)
        op.on_success(self._written).on_failure(self._write_failed)
        self._op = op.run()
        self.completeChanged.emit()
        return op

    def _written(self, summary) -> None:
        self._op = None
        wizard = self._wizard
        wizard.summary = summary
        self.write_button.hide()
        self.plan.hide()
        self.outcome.setText(self.tr("已从“{file}”导入{kind}：新增记录 {added} 条，更新记录 {updated} 条，"
                                     "跳过 {skipped} 行。").format(
            file=summary.file_name, kind=self._kind_label(), added=summary.added, updated=summary.updated,
            skipped=summary.skipped))
        self.outcome.show()
        self.undo_button.setEnabled(True)
        self.undo_button.show()
        say(self.status, self.tr("如发现导错了，可以点“撤销这次导入”（导入的记录被修改之前都可以撤销）。"))
        wizard.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)  # what is written is not re-checked
        wizard.setOption(QWizard.WizardOption.NoCancelButton, True)
        self.completeChanged.emit()
        wizard.imported.emit(summary)

    def _write_failed(self, exc: Exception) -> None:
        from app.core.errors import explain

        self._op = None
        self.write_button.setEnabled(True)
        say(self.status, explain(exc), error=True)  # a refusal, a cancel or a failure: nothing was written
        self.completeChanged.emit()

    # --- undoing -------------------------------------------------------------------------------
    def start_undo(self) -> Op | None:
        from app.core.errors import UserError
        from app.imports.service import last_import, undo_last

        wizard = self._wizard
        if self._op is not None or wizard.summary is None:
            return None
        batch = wizard.summary.batch_id
        self.undo_button.setEnabled(False)
        say(self.status, self.tr("正在撤销…"))

        def work():
            last = last_import(wizard.db)
            if last is None or last.batch_id != batch:
                raise UserError(self.tr("这次导入之后又导入过别的文件，请先用“文件 → 撤销上次导入”撤销后面那次"))
            return undo_last(wizard.db, officer_id=wizard.officer_id)

        op = Op(self, work).writes(*self._tables())
        op.on_success(self._undone).on_failure(self._undo_failed)
        self._op = op.run()
        self.completeChanged.emit()
        return op

    def _undone(self, summary) -> None:
        self._op = None
        self.outcome.setText(self.tr("已撤销这次导入：新增的 {added} 条记录已删除，更新的 {updated} 条已恢复原样。")
                             .format(added=summary.added, updated=summary.updated))
        say(self.status, "")
        self.completeChanged.emit()
        self._wizard.undone.emit(summary)

    def _undo_failed(self, exc: Exception) -> None:
        from app.core.errors import explain

        self._op = None
        self.undo_button.setEnabled(True)
        say(self.status, explain(exc), error=True)
        self.completeChanged.emit()

    # --- the wizard asks -----------------------------------------------------------------------
    def busy(self) -> bool:
        return self._op is not None

    def say_busy(self) -> None:
        say(self.status, self.tr("正在写入，请等它完成，或点进度条旁的“取消”（取消则什么也不写）"), error=True)

    def stop(self) -> None:
        if self._op is not None:
            self.progress.cancel()

    def isComplete(self) -> bool:
        """完成 only once written: before that the way out is 取消, so nobody takes 完成 for 导入."""
        return self._op is None and self._wizard.summary is not None

    def cleanupPage(self) -> None:
        pass  # going back (before writing) leaves the check's result and the officer's choices as they are

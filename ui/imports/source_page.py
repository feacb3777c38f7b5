"""Page 1 of the import wizard: what the file holds (the kind), the file, its sheets, and its header
row, found by app/imports/reading.py and shown over a preview for the officer to confirm or move."""

from __future__ import annotations

from itertools import islice
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWizardPage,
)

from ui.imports.common import TextTableModel, say, shown, text_table
from ui.widgets.ops import Op

PREVIEW_ROWS = 8
MAX_HEADER_ROW = 200  # a header further down is not a header the guess or the officer would pick


def read_headers(path: Path, sheets: list[str], header_row: int, header_rows: int) -> tuple[list, list, list]:
    """On a worker: the headers at ``header_row`` of each sheet, and the first rows under them of the
    first sheet. Returns (headers per sheet, preview rows as text, their row numbers)."""
    from app.imports.reading import headers_at, read_rows

    headers = [headers_at(path, sheet=sheet, header_row=header_row, header_rows=header_rows) for sheet in sheets]
    rows = list(islice(read_rows(path, sheet=sheets[0], header_row=header_row, header_rows=header_rows),
                       PREVIEW_ROWS))
    return headers, [[shown(value) for value in row.values] for row in rows], [str(row.line) for row in rows]


class SourcePage(QWizardPage):
    def __init__(self, wizard) -> None:
        from app.imports.service import KINDS

        super().__init__(wizard)
        self._wizard = wizard  # wizard() is None until the page is added
        self.setTitle(self.tr("选择文件和数据类型"))
        self.setSubTitle(self.tr("选择要导入的表格；几个工作表（如每个社区一张）可以一起导入，表头要相同。"))
        self._infos = []  # app.imports.reading.SheetInfo of the file's sheets
        self._loading = 0  # the number of the load under way (0: none); older answers are dropped
        self._loads = 0
        self._problem = ""
        self._opened: Path | None = None  # the file whose sheets are shown
        self._headers: list[str] = []
        self._preview: list[list[str]] = []

        self.kind = QComboBox(self)
        for key, label in KINDS.items():
            self.kind.addItem(label, key)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.path = QLineEdit(self)
        self.path.setPlaceholderText(self.tr("Excel/WPS 表格（.xlsx .xlsm .xls）或 .csv 文件"))
        self.path.editingFinished.connect(lambda: self.open_file(self.path.text()))
        browse = QPushButton(self.tr("浏览…"), self)
        browse.clicked.connect(self._browse)
        file_row = QHBoxLayout()
        file_row.addWidget(self.path, 1)
        file_row.addWidget(browse)
        self.template = QComboBox(self)
        self.template.setMinimumWidth(300)
        self.kind.setMinimumWidth(300)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)  # the combos stay narrow
        form.addRow(self.tr("数据类型："), self.kind)
        form.addRow(self.tr("文件："), file_row)
        form.addRow(self.tr("对应模板："), self.template)

        self.sheets = QListWidget(self)
        self.sheets.setMaximumWidth(240)
        self.sheets.itemChanged.connect(lambda _item: self._schedule())
        self.header_row = QSpinBox(self, minimum=1, maximum=MAX_HEADER_ROW)
        self.header_row.valueChanged.connect(lambda _value: self._schedule())
        self.two_rows = QCheckBox(self.tr("表头占两行（上一行是合并的大标题）"), self)
        self.two_rows.toggled.connect(lambda _on: self._schedule())
        self.found = QLabel(self)
        self.model = TextTableModel(self)
        self.preview = text_table(self, self.model)
        header_line = QHBoxLayout()
        header_line.addWidget(QLabel(self.tr("表头在第"), self))
        header_line.addWidget(self.header_row)
        header_line.addWidget(QLabel(self.tr("行"), self))
        header_line.addSpacing(16)
        header_line.addWidget(self.two_rows)
        header_line.addStretch(1)
        right = QVBoxLayout()
        right.addLayout(header_line)
        right.addWidget(self.found)
        right.addWidget(self.preview, 1)
        left = QVBoxLayout()
        left.addWidget(QLabel(self.tr("工作表："), self))
        left.addWidget(self.sheets, 1)
        middle = QHBoxLayout()
        middle.addLayout(left)
        middle.addLayout(right, 1)
        self.status = QLabel(self, wordWrap=True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status.hide()
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(middle, 1)
        layout.addWidget(self.status)

        self._timer = QTimer(self, singleShot=True, interval=250)  # typing 12 in the spin box reads once
        self._timer.timeout.connect(self._reload_headers)
        self._kind_changed()

    # --- the page's state ------------------------------------------------------------------
    def busy(self) -> bool:
        return bool(self._loading)

    def stop(self) -> None:
        self._timer.stop()
        self._loading = 0  # the answer of a read under way is dropped

    def chosen_sheets(self) -> list[str]:
        return [self.sheets.item(row).data(Qt.ItemDataRole.UserRole) for row in range(self.sheets.count())
                if self.sheets.item(row).checkState() == Qt.CheckState.Checked]

    def isComplete(self) -> bool:
        return (not self._loading and not self._problem and bool(self._infos) and bool(self.chosen_sheets())
                and any(self._headers))

    def validatePage(self) -> bool:
        source = self._wizard.source
        source.kind = self.kind.currentData()
        source.path = self._opened  # the file read, even if the field was edited since
        source.sheets = self.chosen_sheets()
        source.header_row = self.header_row.value()
        source.header_rows = 2 if self.two_rows.isChecked() else 1
        source.headers, source.preview = list(self._headers), [list(row) for row in self._preview]
        source.template = self.template.currentData()
        return True

    # --- the officer's choices ---------------------------------------------------------------
    def _kind_changed(self) -> None:
        from app.imports.templates import template_names

        self.template.clear()
        self.template.addItem(self.tr("（不用模板，按表头自动对应）"), None)
        try:
            names = template_names(self.kind.currentData(), folder=self._wizard.templates_folder)
        except Exception:  # an unreadable templates file must not stop the import: guess instead
            names = []
        for name in names:
            self.template.addItem(name, name)
        self.completeChanged.emit()

    def add_template(self, name: str) -> None:
        """A template just saved on the next page: offered here too, for the next file."""
        if self.template.findData(name) < 0:
            self.template.addItem(name, name)

    def _browse(self) -> None:
        chosen, _filter = QFileDialog.getOpenFileName(self, self.tr("选择要导入的表格"), self.path.text(),
                                                      self.tr("表格文件 (*.xlsx *.xlsm *.xls *.csv);;所有文件 (*)"))
        if chosen:
            self.path.setText(chosen)
            self.open_file(chosen, again=True)

    def open_file(self, text: str, *, again: bool = False) -> None:
        """Read the file's sheets and guessed header rows on a worker, then its headers and preview."""
        text = text.strip()
        if not text:
            return
        path = Path(text)
        if not again and self._infos and path == self._opened:
            return  # the same file again (editingFinished after a browse): nothing to read
        self._opened = path
        self._infos, self._headers, self._preview = [], [], []
        self.sheets.clear()
        self.model.set_rows([], [])
        self.found.clear()

        def work():
            from app.imports.reading import sheets

            infos = sheets(path)
            chosen = _default_sheets(infos)
            # What sheets() found is shown as it is: opening a big workbook again costs seconds. The
            # preview's row numbers come once the officer moves the header (read_headers).
            by_name = {info.name: info for info in infos}
            first = by_name[chosen[0]].preview if chosen else []
            return infos, chosen, ([by_name[name].headers for name in chosen], first, [])

        self._start(work, self._file_read, self.tr("正在读取文件…"))

    def _file_read(self, answer) -> None:
        infos, chosen, headers = answer
        self._infos = infos
        guessed = next((info for info in infos if chosen and info.name == chosen[0]), None)
        blockers = (self.sheets, self.header_row, self.two_rows)
        for widget in blockers:
            widget.blockSignals(True)
        for info in infos:
            item = QListWidgetItem(info.name, self.sheets)
            item.setData(Qt.ItemDataRole.UserRole, info.name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if info.name in chosen else Qt.CheckState.Unchecked)
        if guessed is not None:
            self.header_row.setValue(guessed.header_row)
            self.two_rows.setChecked(guessed.header_rows == 2)
            self.found.setText(self.tr("已自动找到表头：第 {row} 行{two}。如不对，请改上面的行号。").format(
                row=guessed.header_row, two=self.tr("（两行表头）") if guessed.header_rows == 2 else ""))
        for widget in blockers:
            widget.blockSignals(False)
        if not infos or not chosen:
            self._refuse(self.tr("这个文件里没有找到带表头的工作表"))
            return
        self._show_headers(headers)

    def _schedule(self) -> None:
        if self._infos:
            self._problem = ""
            self.completeChanged.emit()
            self._timer.start()

    def _reload_headers(self) -> None:
        chosen = self.chosen_sheets()
        if not chosen:
            self._refuse(self.tr("请至少勾选一个工作表"))
            return
        path, row, rows = self._opened, self.header_row.value(), 2 if self.two_rows.isChecked() else 1
        self._start(lambda: read_headers(path, chosen, row, rows), self._show_headers, self.tr("正在读取表头…"))

    def _show_headers(self, answer) -> None:
        per_sheet, preview, lines = answer
        chosen = self.chosen_sheets()
        self._headers, self._preview = (list(per_sheet[0]) if per_sheet else []), preview
        self.model.set_rows(self._headers, preview, lines)
        from app.imports.mapping import normalise_header

        # The check finds each mapped column of another sheet by its header text (app/imports/checking.py):
        # the order may differ, the texts may not.
        first = {normalise_header(header) for header in self._headers if header}
        for name, headers in zip(chosen[1:], per_sheet[1:], strict=False):
            if {normalise_header(header) for header in headers if header} != first:
                self._refuse(self.tr("工作表“{sheet}”第 {row} 行的表头和“{first}”不同，请分开导入").format(
                    sheet=name, row=self.header_row.value(), first=chosen[0]))
                return
        if not any(self._headers):
            self._refuse(self.tr("第 {row} 行是空的，不是表头，请改行号").format(row=self.header_row.value()))
            return
        if not preview:
            say(self.status, self.tr("表头下面没有数据行"), error=True)
        else:
            say(self.status, "")
        self._problem = ""
        self.completeChanged.emit()

    # --- reading on a worker -------------------------------------------------------------------
    def _start(self, work, done, busy_text: str) -> None:
        self._loads += 1
        number = self._loading = self._loads
        say(self.status, busy_text)
        self.completeChanged.emit()

        def succeeded(answer) -> None:
            if self._loading == number:
                self._loading = 0
                done(answer)
                self.completeChanged.emit()

        def failed(exc: Exception) -> None:
            if self._loading == number:
                self._loading = 0
                from app.core.errors import explain

                self._refuse(explain(exc))

        Op(self, work).on_success(succeeded).on_failure(failed).run()

    def _refuse(self, text: str) -> None:
        self._problem = text
        say(self.status, text, error=True)
        self.completeChanged.emit()


def _default_sheets(infos) -> list[str]:
    """The sheets ticked at first: the first one with a header, and every other sheet with the same
    header in the same row (one sheet per community)."""
    from app.imports.mapping import normalise_header

    with_headers = [info for info in infos if any(info.headers)]
    if not with_headers:
        return []
    first = with_headers[0]
    same = {normalise_header(h) for h in first.headers if h}
    return [info.name for info in with_headers
            if info.header_row == first.header_row and {normalise_header(h) for h in info.headers if h} == same]

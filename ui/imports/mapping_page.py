"""Page 2 of the import wizard: each column of the file to a field (guessed from its header or taken
from a saved template), required fields said in red, the mapping saved as a named template, and how
addresses written in one cell split into 小区/楼栋/单元/房号 (app/imports/address.py)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from app.imports.mapping import column_letter
from ui.imports.common import say, shown
from ui.widgets.fit import ElidedLabel, FitScrollArea
from ui.widgets.messages import HINT_STYLE
from ui.widgets.ops import Op

ADDRESS_KEYS = ("address",)  # a field holding a whole address in one cell, split by app/imports/address.py
LISTED_UNSPLIT = 200  # the rows an address scan lists (the check lists every one)
EXAMPLES = 3


def scan_addresses(path, sheets, header_row, header_rows, column, *, should_stop) -> dict:
    """On a worker: how the addresses in ``column`` split, over the whole file (streamed)."""
    from app.imports.address import split_address
    from app.imports.reading import read_rows

    found = {"total": 0, "split": 0, "examples": [], "unsplit": [], "unsplit_count": 0}
    for sheet in sheets:
        for row in read_rows(path, sheet=sheet, header_row=header_row, header_rows=header_rows):
            if should_stop():
                return found
            text = shown(row.values[column]) if column < len(row.values) else ""
            if not text:
                continue
            found["total"] += 1
            address = split_address(text)
            if address is None:
                found["unsplit_count"] += 1
                if len(found["unsplit"]) < LISTED_UNSPLIT:
                    found["unsplit"].append((sheet, row.line, text))
            else:
                found["split"] += 1
                if len(found["examples"]) < EXAMPLES and all(text != seen for seen, _a in found["examples"]):
                    found["examples"].append((text, address))
    return found


class MappingPage(QWizardPage):
    def __init__(self, wizard) -> None:
        super().__init__(wizard)
        self._wizard = wizard
        self.setTitle(self.tr("对应列"))
        self.setSubTitle(self.tr("每一列导入到哪个字段：已按表头猜好，请核对；不需要的列选“不导入”。"))
        self.combos: list[QComboBox] = []
        self._built = None  # Source.key() the rows were made for
        self._scan: Op | None = None
        self._scanned_column: int | None = None

        self.grid_host = QWidget(self)
        self.grid = QGridLayout(self.grid_host)
        self.grid.setColumnStretch(1, 2)
        self.grid.setColumnStretch(3, 3)
        self.grid.setHorizontalSpacing(16)
        scroll = FitScrollArea(self.grid_host, self)
        self.problem = QLabel(self, wordWrap=True)
        self.problem.setObjectName("problem")
        self.problem.hide()

        self.template_name = QLineEdit(self)
        self.template_name.setPlaceholderText(self.tr("模板名称，如：实有人口登记表"))
        self.template_name.setMaxLength(40)
        self.template_name.setMinimumWidth(280)
        self.save_template_button = QPushButton(self.tr("保存为模板…"), self)
        self.save_template_button.clicked.connect(self.save_template)
        self.template_said = QLabel(self)
        self.template_said.hide()
        template_row = QHBoxLayout()
        template_row.addWidget(QLabel(self.tr("下次还用这样的对应："), self))
        template_row.addWidget(self.template_name)
        template_row.addWidget(self.save_template_button)
        template_row.addStretch(1)

        self.address_box = QGroupBox(self.tr("地址拆分（一格里的地址拆成小区/楼栋/单元/房号）"), self)
        self.address_said = QLabel(self.address_box, wordWrap=True)
        self.address_examples = QLabel(self.address_box, wordWrap=True)
        self.unsplit = QListWidget(self.address_box)
        box = QVBoxLayout(self.address_box)
        box.addWidget(self.address_said)
        box.addWidget(self.address_examples)
        box.addWidget(self.unsplit, 1)
        self.unsplit_hint = QLabel(self.address_box, wordWrap=True)
        self.unsplit_hint.hide()
        box.addWidget(self.unsplit_hint)
        box.addStretch(0)
        self.address_box.hide()

        columns = QHBoxLayout()
        columns.addWidget(scroll, 3)
        columns.addWidget(self.address_box, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(columns, 1)
        layout.addWidget(self.problem)
        layout.addLayout(template_row)
        layout.addWidget(self.template_said)

    # --- building the rows ---------------------------------------------------------------------
    def initializePage(self) -> None:
        source = self._wizard.source
        if self._built == source.key():
            self._scan_addresses()  # back and forth: the officer's choices stay
            return
        self._built = source.key()
        self._fill(source, self._first_mapping(source))

    def _first_mapping(self, source) -> dict[int, str]:
        """The saved template when one was chosen (its columns found by header text), else the guess."""
        from app.imports.mapping import guess
        from app.imports.templates import apply_template, load_template

        fields = self._wizard.fields()
        known = {field.key for field in fields}
        if source.template:
            try:
                template = load_template(source.kind, source.template, folder=self._wizard.templates_folder)
            except Exception as exc:  # a template gone or damaged: say so and guess instead
                from app.core.errors import explain

                say(self.template_said, explain(exc), error=True)
            else:
                mapping = {i: key for i, key in apply_template(template, source.headers).items() if key in known}
                say(self.template_said, self.tr("已套用模板“{name}”").format(name=source.template))
                return mapping
        return guess(source.headers, fields)

    def _fill(self, source, mapping: dict[int, str]) -> None:
        while self.grid.count():
            widget = self.grid.takeAt(0).widget()
            if widget is not None:
                widget.deleteLater()
        self.combos = []
        for column, title in enumerate((self.tr("列"), self.tr("表头"), self.tr("导入到"), self.tr("示例"))):
            self.grid.addWidget(QLabel(f"<b>{title}</b>", self.grid_host), 0, column)
        fields = self._wizard.fields()
        for index, header in enumerate(source.headers):
            sample = next((row[index] for row in source.preview if index < len(row) and row[index]), "")
            self.grid.addWidget(QLabel(column_letter(index), self.grid_host), index + 1, 0)
            self.grid.addWidget(ElidedLabel(header or self.tr("（无表头）"), self.grid_host), index + 1, 1)
            example = ElidedLabel(sample, self.grid_host)
            example.setStyleSheet(HINT_STYLE)
            self.grid.addWidget(example, index + 1, 3)
            combo = QComboBox(self.grid_host)
            combo.addItem(self.tr("不导入"), None)
            for field in fields:
                combo.addItem(field.label + (self.tr("（必填）") if field.required else ""), field.key)
            combo.setCurrentIndex(max(combo.findData(mapping.get(index)), 0))
            combo.setMinimumWidth(170)
            combo.currentIndexChanged.connect(self._changed)
            self.grid.addWidget(combo, index + 1, 2)
            self.combos.append(combo)
        self.grid.setRowStretch(len(source.headers) + 1, 1)
        self._changed()

    # --- the officer's choices -----------------------------------------------------------------
    def mapping(self) -> dict[int, str]:
        return {index: combo.currentData() for index, combo in enumerate(self.combos) if combo.currentData()}

    def choose(self, column: int, key: str | None) -> None:
        """Map ``column`` to the field ``key`` (None: 不导入), as the officer does with its combo box."""
        combo = self.combos[column]
        combo.setCurrentIndex(max(combo.findData(key), 0))

    def problems(self) -> list[str]:
        mapping = self.mapping()
        fields = self._wizard.fields()
        said = []
        for field in fields:
            columns = [column_letter(i) for i, key in mapping.items() if key == field.key]
            if len(columns) > 1:
                said.append(self.tr("“{field}”对应了 {columns} 几列，只能选一列").format(
                    field=field.label, columns="、".join(columns)))
        if not mapping:
            said.append(self.tr("还没有选择任何要导入的列"))
        missing = [field.label for field in fields if field.required and field.key not in mapping.values()]
        if missing:
            said.append(self.tr("必填的字段还没有对应的列：{fields}").format(fields="、".join(missing)))
        return said

    def _changed(self, *_args) -> None:
        said = self.problems()
        say(self.problem, "；".join(said), error=True)
        self._scan_addresses()
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return bool(self.combos) and not self.problems()

    def validatePage(self) -> bool:
        self._wizard.mapping = self.mapping()
        return True

    def save_template(self) -> bool:
        """保存为模板…: this mapping under the name typed, for the next file of this kind."""
        from app.imports.templates import save_template

        name = self.template_name.text().strip()
        if not name:
            say(self.template_said, self.tr("请先填写模板名称"), error=True)
            return False
        source = self._wizard.source
        by_header = {source.headers[i]: key for i, key in self.mapping().items() if source.headers[i]}
        try:
            save_template(source.kind, name, by_header, folder=self._wizard.templates_folder)
        except Exception as exc:
            from app.core.errors import explain

            say(self.template_said, explain(exc), error=True)
            return False
        self._wizard.source_page.add_template(name)
        say(self.template_said, self.tr("已保存模板“{name}”，下次在第一步选它即可").format(name=name))
        return True

    # --- addresses in one cell -----------------------------------------------------------------
    def _scan_addresses(self) -> None:
        column = next((i for i, key in self.mapping().items() if key in ADDRESS_KEYS), None)
        if column == self._scanned_column:
            return
        self.stop()
        self._scanned_column = column
        self.unsplit.clear()
        self.unsplit.hide()
        self.unsplit_hint.hide()
        self.address_examples.clear()
        self.address_box.setVisible(column is not None)
        if column is None:
            return
        source = self._wizard.source
        say(self.address_said, self.tr("正在查看地址能否拆分…"))
        op = Op(self, lambda: scan_addresses(source.path, source.sheets, source.header_row, source.header_rows,
                                             column, should_stop=op.should_stop))
        self._scan = op.on_success(lambda found: self._scanned(op, found)).on_failure(
            lambda exc: self._scan_failed(op, exc)).run()

    def _scanned(self, op: Op, found: dict) -> None:
        if op is not self._scan:
            return
        self._scan = None
        say(self.address_said, self.tr("共 {total} 个地址，{split} 个能拆分，{unsplit} 个拆不开。").format(
            total=found["total"], split=found["split"], unsplit=found["unsplit_count"]),
            error=bool(found["unsplit_count"]))
        examples = [self.tr("{text} → 小区 {estate}，楼栋 {building}，单元 {unit}，房号 {room}").format(
            text=text, estate=a.estate, building=a.building or "—", unit=a.unit or "—", room=a.room or "—")
            for text, a in found["examples"]]
        self.address_examples.setText("\n".join(examples))
        for sheet, line, text in found["unsplit"]:
            where = f"{sheet} " if len(self._wizard.source.sheets) > 1 else ""
            self.unsplit.addItem(self.tr("{where}行 {line}：{text}").format(where=where, line=line, text=text))
        self.unsplit.setVisible(bool(found["unsplit"]))
        if found["unsplit_count"]:
            more = self.tr("（只列出前 {n} 行）").format(n=LISTED_UNSPLIT) \
                if found["unsplit_count"] > LISTED_UNSPLIT else ""
            say(self.unsplit_hint, self.tr(
                "上面这些行拆不开{more}：检查时列为有问题、不导入。请在表格里改成“某某小区3栋2单元501室”"
                "的写法，或分成小区、楼栋、单元、房号几列，再导入这些行。").format(more=more))

    def _scan_failed(self, op: Op, exc: Exception) -> None:
        if op is self._scan:
            from app.core.errors import explain

            self._scan = None
            say(self.address_said, explain(exc), error=True)

    # --- the wizard asks -----------------------------------------------------------------------
    def stop(self) -> None:
        if self._scan is not None:
            self._scan.cancel()
            self._scan = None

    def cleanupPage(self) -> None:
        self.stop()
        self._scanned_column = None  # coming back scans again (the file or its header may have changed)

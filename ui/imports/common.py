"""Pieces the import wizard's pages share: a progress line with 取消 on the page itself, a small
read-only text table (the file's preview), the tables each kind writes, and how a cell is shown."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QAbstractTableModel, QCoreApplication, QModelIndex, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QHeaderView, QLabel, QProgressBar, QPushButton, QTableView, QWidget

from app.imports.mapping import column_letter
from ui.widgets.messages import ERROR_STYLE, HINT_STYLE
from ui.widgets.ops import Op


def kind_tables(kind: str) -> tuple[str, ...]:
    """What an import of ``kind`` (or its undo) may change, announced when written so every open tab
    showing one of them refreshes itself (ui/widgets/ops.py ``changes``)."""
    from app.imports.kinds import kind_module

    return kind_module(kind).TABLES


# RowResult.action as shown
ACTIONS = {"add": QT_TRANSLATE_NOOP("Import", "新增"), "update": QT_TRANSLATE_NOOP("Import", "更新"),
           "skip": QT_TRANSLATE_NOOP("Import", "跳过"), "both": QT_TRANSLATE_NOOP("Import", "都保留")}
MATCHED_ACTIONS = ("update", "skip", "both")  # what the officer may choose for a row already in the database


def label(text: str) -> str:
    """A word marked with QT_TRANSLATE_NOOP("Import", …) (actions, views, columns), translated."""
    return QCoreApplication.translate("Import", text)


def shown(value) -> str:
    """A cell as the officer typed it: a date as a date, 12.0 as 12, blanks empty."""
    from app.imports.cells import text

    return text(value) or ""


def say(label: QLabel, text: str, *, error: bool = False) -> None:
    """One line on a page: red when it refuses, grey when it only tells."""
    label.setStyleSheet(ERROR_STYLE if error else HINT_STYLE)
    label.setText(text)
    label.setVisible(bool(text))


class InlineProgress(QWidget):
    """The ``Progress`` of an Op shown on the page (a bar, the stage, 取消) instead of a modal dialog,
    so the wizard stays one window. ``ended`` is emitted once the work stopped, either way."""

    ended = Signal()

    def __init__(self, parent: QWidget, *, stages: dict[str, str] | None = None) -> None:
        super().__init__(parent)
        self._stages = stages or {}
        self._op: Op | None = None
        self.label = QLabel(self)
        self.bar = QProgressBar(self)
        self.bar.setTextVisible(True)
        self.cancel_button = QPushButton(self.tr("取消"), self)
        self.cancel_button.clicked.connect(self.cancel)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.bar, 1)
        layout.addWidget(self.cancel_button)
        self.hide()

    @property
    def running(self) -> bool:
        return self._op is not None

    def start(self, op: Op) -> None:
        self._op = op
        self.label.setText(self.tr("正在准备…"))
        self.bar.setRange(0, 0)  # busy until the work says how much there is
        self.cancel_button.setEnabled(True)
        self.show()

    def update(self, stage: str, done: int, total: int) -> None:
        if self._op is None or self._op.cancelled:
            return
        stage = self._stages.get(stage, stage)
        if total <= 0:  # not known yet (rows still being read): busy, with how far it got
            self.bar.setRange(0, 0)
            self.label.setText(self.tr("{stage}（{done} 行）").format(stage=stage, done=done) if done else stage)
            return
        self.label.setText(stage)
        self.bar.setRange(0, total)
        self.bar.setValue(min(done, total))

    def finish(self) -> None:
        self._op = None
        self.hide()
        self.ended.emit()

    def cancel(self) -> None:
        if self._op is not None:
            self._op.cancel()
            self.label.setText(self.tr("正在取消…"))
            self.cancel_button.setEnabled(False)


class TextTableModel(QAbstractTableModel):
    """Rows of text under headers, read-only; ``row_names`` label the rows (Excel's row numbers)."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._headers: list[str] = []
        self._rows: list[list[str]] = []
        self._row_names: list[str] = []

    def set_rows(self, headers: list[str], rows: list[list[str]], row_names: list[str] | None = None) -> None:
        self.beginResetModel()
        self._headers, self._rows = list(headers), [list(row) for row in rows]
        self._row_names = list(row_names or [])
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        row = self._rows[index.row()]
        return row[index.column()] if index.column() < len(row) else ""

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            if section >= len(self._headers):
                return None
            return self._headers[section] or self.tr("（{letter}列无表头）").format(letter=column_letter(section))
        # Excel's row number when known; else nothing, rather than a count that looks like one
        return self._row_names[section] if section < len(self._row_names) else None


def text_table(parent: QWidget, model: QAbstractTableModel) -> QTableView:
    """A read-only table whose columns fit their text, within reason."""
    view = QTableView(parent)
    view.setModel(model)
    view.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
    view.setWordWrap(False)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setMaximumSectionSize(260)
    model.modelReset.connect(view.resizeColumnsToContents)
    return view

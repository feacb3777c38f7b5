"""The rows of an import check (app.imports.service.CheckResult) as a table: what is wrong with each
bad row, which record a matched row meets, and what the officer chose for it (更新/跳过/都保留)."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QComboBox, QStyledItemDelegate

from ui.imports.common import ACTIONS, MATCHED_ACTIONS, label, shown

ROW_ROLE = Qt.ItemDataRole.UserRole + 1  # the RowResult
BAD_COLOUR = QColor("#c0392b")
MATCHED_COLOUR = QColor("#8a5a00")
SUMMARY_VALUES = 4  # the values of a row shown so the officer knows which it is

# What the table shows: rows needing a look (bad or matched), one kind of them, or every row.
VIEWS = {"attention": QT_TRANSLATE_NOOP("Import", "有问题和已存在的行"),
         "bad": QT_TRANSLATE_NOOP("Import", "只看有问题的行"),
         "matched": QT_TRANSLATE_NOOP("Import", "只看已存在的行"), "all": QT_TRANSLATE_NOOP("Import", "全部行")}
STATES = {"bad": QT_TRANSLATE_NOOP("Import", "有问题"), "matched": QT_TRANSLATE_NOOP("Import", "已存在"),
          "good": QT_TRANSLATE_NOOP("Import", "可导入")}


def state(row) -> str:
    """bad (a problem: not imported), matched (already in the database) or good."""
    if row.problems:
        return "bad"
    return "matched" if row.match_id else "good"


class CheckModel(QAbstractTableModel):
    """``set_result(result)``; ``set_view(key)`` picks the rows shown (VIEWS); the 处理 column of a
    matched row is edited with ``setData(index, action)`` (its delegate) or for all at once with
    ``choose_all(action)``. ``actions_changed`` follows every choice."""

    actions_changed = Signal()
    COLUMNS = (QT_TRANSLATE_NOOP("Import", "工作表"), QT_TRANSLATE_NOOP("Import", "行"),
               QT_TRANSLATE_NOOP("Import", "结果"), QT_TRANSLATE_NOOP("Import", "内容"),
               QT_TRANSLATE_NOOP("Import", "问题 / 已有的记录"), QT_TRANSLATE_NOOP("Import", "处理"))
    SHEET, LINE, STATE, CONTENT, REASON, ACTION = range(6)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._result = None
        self._rows = []  # result.rows
        self._shown: list[int] = []  # indexes into result.rows, in the view's order
        self._view = "attention"

    # --- what it holds -------------------------------------------------------------------------
    def set_result(self, result) -> None:
        self.beginResetModel()
        self._result = result
        self._rows = result.rows if result is not None else []  # keeps the spill chunk last painted
        self._shown = self._select(self._view)
        self.endResetModel()
        self.actions_changed.emit()

    def set_view(self, view: str) -> None:
        self.beginResetModel()
        self._view = view
        self._shown = self._select(view)
        self.endResetModel()

    def _select(self, view: str) -> list[int]:
        if self._result is None:
            return []
        if view == "all":  # good rows come from the check's spill as they are painted
            return list(range(self._result.total))
        wanted = {"attention": ("bad", "matched"), "bad": ("bad",), "matched": ("matched",)}[view]
        return [i for i, row in self._result.flagged.items() if state(row) in wanted]

    def row_result(self, row: int):
        return self._rows[self._shown[row]]

    def multi_sheet(self) -> bool:
        return self._result is not None and len(self._result.sheets) > 1

    def choose_all(self, action: str) -> int:
        """Every matched row (without problems) gets ``action``; returns how many."""
        if self._result is None or action not in MATCHED_ACTIONS:
            return 0
        count = 0
        for row in self._result.flagged.values():
            if state(row) == "matched":
                row.action = action
                count += 1
        if self._shown:
            self.dataChanged.emit(self.index(0, self.ACTION), self.index(len(self._shown) - 1, self.ACTION))
        self.actions_changed.emit()
        return count

    # --- Qt's model ----------------------------------------------------------------------------
    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self._shown)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return label(self.COLUMNS[section])
        return None

    def flags(self, index):
        flags = super().flags(index)
        if index.isValid() and index.column() == self.ACTION and state(self.row_result(index.row())) == "matched":
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.row() >= len(self._shown):
            return None
        row = self.row_result(index.row())
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._text(row, column)
        if role == Qt.ItemDataRole.EditRole and column == self.ACTION:
            return row.action
        if role == Qt.ItemDataRole.ForegroundRole and column in (self.STATE, self.REASON):
            kind = state(row)
            return BAD_COLOUR if kind == "bad" else MATCHED_COLOUR if kind == "matched" else None
        if role == ROW_ROLE:
            return row
        return None

    def _text(self, row, column: int) -> str:
        if column == self.SHEET:
            return row.sheet
        if column == self.LINE:
            return str(row.line)
        if column == self.STATE:
            return label(STATES[state(row)])
        if column == self.CONTENT:
            mapped = sorted(self._result.mapping)[:SUMMARY_VALUES]
            values = [shown(row.values[i]) for i in mapped if i < len(row.values)]
            return " · ".join(value for value in values if value)
        if column == self.REASON:
            return "；".join(row.problems) if row.problems else (row.match_label or "")
        return label(ACTIONS.get(row.action, row.action))

    def setData(self, index, value, role=Qt.ItemDataRole.EditRole) -> bool:
        if (role != Qt.ItemDataRole.EditRole or not index.isValid() or index.column() != self.ACTION
                or value not in MATCHED_ACTIONS or state(self.row_result(index.row())) != "matched"):
            return False
        self.row_result(index.row()).action = value
        self.dataChanged.emit(index, index)
        self.actions_changed.emit()
        return True


class ActionDelegate(QStyledItemDelegate):
    """The 处理 cell of a matched row: a choice of 更新 / 跳过 / 都保留."""

    def createEditor(self, parent, _option, _index):
        combo = QComboBox(parent)
        for action in MATCHED_ACTIONS:
            combo.addItem(label(ACTIONS[action]), action)
        combo.activated.connect(lambda _i, combo=combo: self.commitData.emit(combo))
        return combo

    def setEditorData(self, editor, index) -> None:
        editor.setCurrentIndex(max(editor.findData(index.data(Qt.ItemDataRole.EditRole)), 0))

    def setModelData(self, editor, model, index) -> None:
        model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)

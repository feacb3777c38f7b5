"""The enterprise list's table model: 涉爆/涉危化 marked, open and overdue rectifications and unanswered
requests coloured so nothing due hides in the list."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from app.core.vocab import HAZARDOUS_CATEGORIES
from ui.widgets.paged_model import PagedTableModel

HAZARD_BG, HAZARD_FG = QColor("#fff4e5"), QColor("#8a4b00")
OVERDUE, OPEN, REQUEST = QColor("#c62828"), QColor("#e65100"), QColor("#1565c0")
CATEGORY_ATTR, OPEN_ATTR, REQUEST_ATTR = "category_label", "open_note", "requests_note"


class EnterpriseTableModel(PagedTableModel):
    """Rows are app.enterprises.queries.EnterpriseListRow."""

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= self.rowCount():
            return None
        row, attr = self._rows[index.row()], self._columns[index.column()].attr
        if attr == CATEGORY_ATTR and row.category in HAZARDOUS_CATEGORIES:
            if role == Qt.ItemDataRole.BackgroundRole:
                return QBrush(HAZARD_BG)
            if role == Qt.ItemDataRole.ForegroundRole:
                return QBrush(HAZARD_FG)
        if attr == OPEN_ATTR and row.open_rectifications:
            if role == Qt.ItemDataRole.ForegroundRole:
                return QBrush(OVERDUE if row.overdue_rectifications else OPEN)
            if role == Qt.ItemDataRole.FontRole and row.overdue_rectifications:
                return _bold()
            if role == Qt.ItemDataRole.ToolTipRole:
                return self.tr("未整改{n}项，其中逾期{late}项").format(n=row.open_rectifications,
                                                                 late=row.overdue_rectifications)
        if attr == REQUEST_ATTR and row.open_requests and role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(REQUEST)
        return super().data(index, role)


def _bold() -> QFont:
    font = QFont()
    font.setBold(True)
    return font

"""The dispute list's table model: risk and revisit cells coloured so nothing urgent hides."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from app.disputes.status import UNSETTLED
from ui.widgets.paged_model import PagedTableModel

HIGH_BG, HIGH_FG = QColor("#fdecea"), QColor("#b71c1c")
MEDIUM_BG, MEDIUM_FG = QColor("#fff4e5"), QColor("#8a4b00")
LATE = {"overdue": QColor("#c62828"), "today": QColor("#e65100"), "missing": QColor("#6d4c41")}
RISK_ATTR, REVISIT_ATTR = "risk_note", "revisit_note"


class DisputeTableModel(PagedTableModel):
    """Risk cells shaded by level (a whole unsettled high-risk row too); revisit cells say how late."""

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= self.rowCount():
            return None
        row, attr = self._rows[index.row()], self._columns[index.column()].attr
        styled = None
        if attr == RISK_ATTR:
            styled = self._risk_style(row, role)
        elif attr == REVISIT_ATTR:
            styled = self._revisit_style(row, role)
        if styled is not None:
            return styled
        if role == Qt.ItemDataRole.BackgroundRole and row.risk_level == "high" and row.status in UNSETTLED:
            return QBrush(HIGH_BG)
        return super().data(index, role)

    def _risk_style(self, row, role: int) -> Any:
        if role == Qt.ItemDataRole.BackgroundRole and row.risk_level in ("high", "medium"):
            return QBrush(HIGH_BG if row.risk_level == "high" else MEDIUM_BG)
        if role == Qt.ItemDataRole.ForegroundRole and row.risk_level in ("high", "medium"):
            return QBrush(HIGH_FG if row.risk_level == "high" else MEDIUM_FG)
        if role == Qt.ItemDataRole.FontRole and row.risk_level == "high":
            return _bold()
        if role == Qt.ItemDataRole.ToolTipRole and row.warned:
            return self.tr("纠纷经过中有威胁、凶器或极端行为等字眼，详见右侧预警")
        return None

    def _revisit_style(self, row, role: int) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole and row.revisit_state in LATE:
            return QBrush(LATE[row.revisit_state])
        if role == Qt.ItemDataRole.FontRole and row.revisit_state in ("overdue", "today"):
            return _bold()
        if role == Qt.ItemDataRole.ToolTipRole and row.revisit_state == "missing":
            return self.tr("已化解，但化解后还没有安排回访")
        return None


def _bold() -> QFont:
    font = QFont()
    font.setBold(True)
    return font

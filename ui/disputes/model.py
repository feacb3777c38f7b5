"""The dispute list's table model: risk and revisit cells coloured so nothing urgent hides."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont

from app.disputes.status import UNSETTLED
from ui.widgets.held_model import HeldTableModel

HIGH_BG, HIGH_FG = QColor("#fdecea"), QColor("#b71c1c")
MEDIUM_BG, MEDIUM_FG = QColor("#fff4e5"), QColor("#8a4b00")
LATE = {"overdue": QColor("#c62828"), "today": QColor("#e65100"), "missing": QColor("#6d4c41")}
RISK_ATTR, REVISIT_ATTR = "risk_note", "revisit_note"
BACKGROUND, FOREGROUND = Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole
FONT, TOOLTIP = Qt.ItemDataRole.FontRole, Qt.ItemDataRole.ToolTipRole


class DisputeTableModel(HeldTableModel):
    """Risk cells shaded by level (a whole unsettled high-risk row too); revisit cells say how late.

    The cells, their colours and tooltips included, are held by Qt (ui.widgets.held_model: a
    paint then never calls into Python), set once as each page arrives."""

    def _fill(self, first: int, rows: list[Any]) -> None:
        super()._fill(first, rows)
        attrs = [column.attr for column in self._columns]
        risk = attrs.index(RISK_ATTR) if RISK_ATTR in attrs else None
        revisit = attrs.index(REVISIT_ATTR) if REVISIT_ATTR in attrs else None
        brushes = {"high": (QBrush(HIGH_BG), QBrush(HIGH_FG)), "medium": (QBrush(MEDIUM_BG), QBrush(MEDIUM_FG))}
        late = {state: QBrush(colour) for state, colour in LATE.items()}
        bold = QFont()
        bold.setBold(True)
        warned_tip = self.tr("纠纷经过中有威胁、凶器或极端行为等字眼，详见右侧预警")
        missing_tip = self.tr("已化解，但化解后还没有安排回访")
        blocked = self.blockSignals(True)
        try:
            for r, row in enumerate(rows, first):
                cells: dict[int, dict[int, Any]] = {}
                if row.risk_level == "high" and row.status in UNSETTLED:
                    cells = {n: {BACKGROUND: brushes["high"][0]} for n in range(len(attrs))}
                if risk is not None:
                    cell = cells.setdefault(risk, {})
                    if row.risk_level in brushes:
                        cell[BACKGROUND], cell[FOREGROUND] = brushes[row.risk_level]
                    if row.risk_level == "high":
                        cell[FONT] = bold
                    if row.warned:
                        cell[TOOLTIP] = warned_tip
                if revisit is not None:
                    cell = cells.setdefault(revisit, {})
                    if row.revisit_state in late:
                        cell[FOREGROUND] = late[row.revisit_state]
                    if row.revisit_state in ("overdue", "today"):
                        cell[FONT] = bold
                    if row.revisit_state == "missing":
                        cell[TOOLTIP] = missing_tip
                for n, roles in cells.items():
                    index = self.index(r, n)
                    for role, value in roles.items():
                        self.setData(index, value, role)
        finally:
            self.blockSignals(blocked)

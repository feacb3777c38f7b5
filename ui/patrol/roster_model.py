"""The roster grid's model and painter: a route a row, a day a column; each cell lists its shifts with
their people (the leader marked ★), short seats and a missing leader in red."""

from __future__ import annotations

from datetime import date
from html import escape
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QSize, Qt
from PySide6.QtGui import QAbstractTextDocumentLayout, QBrush, QPalette, QTextDocument
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from app.patrol.grid import GridShift, RosterGrid
from ui.patrol.common import LEADER_MARK, SHORT, SHORT_BG, weekday_label

HTML_ROLE = Qt.ItemDataRole.UserRole + 10  # the cell as rich text, for the painter
SHIFTS_ROLE = Qt.ItemDataRole.UserRole + 11  # the cell's GridShifts
RED, GREY = SHORT.name(), "#777777"


def shift_lines(shift: GridShift) -> list[str]:
    """The shift as plain lines: its hours, each person, what is missing."""
    lines = [f"{shift.starts_at:%H:%M}-{shift.ends_at:%H:%M}" + ("（已确认）" if shift.confirmed else "")]
    lines += [(LEADER_MARK if p.as_leader else "") + p.name for p in shift.people]
    if shift.missing or shift.leader_missing:
        lines.append(missing_text(shift))
    return lines


def missing_text(shift: GridShift) -> str:
    parts = [f"缺{shift.missing}人"] if shift.missing else []
    return "、".join(parts + (["缺小组长"] if shift.leader_missing else []))


def _shift_html(shift: GridShift, compact: bool) -> str:
    hours = f"{shift.starts_at:%H:%M}" if compact else f"{shift.starts_at:%H:%M}-{shift.ends_at:%H:%M}"
    out = [f"<span style='color:{GREY}'>{hours}{' ✓' if shift.confirmed else ''}</span>"]
    for p in shift.people:
        name = escape(p.name)
        if p.as_leader:
            name = f"<b>{LEADER_MARK}{name}</b>"
        if p.attendance in ("absent", "leave"):
            name = f"<s>{name}</s>"
        out.append(name)
    if shift.missing or shift.leader_missing:
        out.append(f"<b style='color:{RED}'>{missing_text(shift)}</b>")
    return "<br>".join(out)


class RosterModel(QAbstractTableModel):
    """One ``RosterGrid``; ``set_grid`` swaps it. Header: route names, days as 12/1 一."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.grid: RosterGrid | None = None
        self._days: list[date] = []
        self.today: date | None = None
        self.compact = False  # a month: a shift's start only

    def set_grid(self, grid: RosterGrid, *, today: date | None = None, compact: bool = False) -> None:
        self.beginResetModel()
        self.grid, self._days, self.today, self.compact = grid, grid.days, today, compact
        self.endResetModel()

    def day(self, column: int) -> date:
        return self._days[column]

    def route(self, row: int) -> tuple[str, str]:
        return self.grid.routes[row]

    def shifts_at(self, index: QModelIndex) -> tuple[GridShift, ...]:
        if not index.isValid() or self.grid is None:
            return ()
        return self.grid.shifts.get((self.grid.routes[index.row()][0], self._days[index.column()]), ())

    def index_of(self, shift_id: str) -> QModelIndex:
        shift = self.grid.shift(shift_id) if self.grid else None
        if shift is None:
            return QModelIndex()
        row = next(n for n, (rid, _name) in enumerate(self.grid.routes) if rid == shift.route_id)
        return self.index(row, self._days.index(shift.day))

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() or self.grid is None else len(self.grid.routes)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._days)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if self.grid is None:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self._days):
            day = self._days[section]
            if role == Qt.ItemDataRole.DisplayRole:
                return f"{day.month}/{day.day}\n{weekday_label(day)}"
            if role == Qt.ItemDataRole.ForegroundRole and day == self.today:
                return QBrush(SHORT)
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return self.grid.routes[section][1] if 0 <= section < len(self.grid.routes) else None
        return None

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        shifts = self.shifts_at(index)
        if role == Qt.ItemDataRole.DisplayRole:
            return "\n".join(line for s in shifts for line in shift_lines(s))
        if role == HTML_ROLE:
            return "<hr>".join(_shift_html(s, self.compact) for s in shifts)
        if role == SHIFTS_ROLE:
            return shifts
        if role == Qt.ItemDataRole.BackgroundRole and any(s.missing or s.leader_missing for s in shifts):
            return QBrush(SHORT_BG)
        if role == Qt.ItemDataRole.ToolTipRole and shifts:
            return "\n\n".join(s.label + "\n" + "、".join(shift_lines(s)[1:]) for s in shifts)
        return None


class RosterDelegate(QStyledItemDelegate):
    """Paints a cell's rich text; its size is the text's."""

    def _document(self, option: QStyleOptionViewItem, index: QModelIndex) -> QTextDocument:
        document = QTextDocument()
        document.setDefaultFont(option.font)
        document.setDocumentMargin(3)
        document.setHtml(index.data(HTML_ROLE) or "")
        return document

    def paint(self, painter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        self.initStyleOption(option, index)
        text_less = QStyleOptionViewItem(option)
        text_less.text = ""
        style = option.widget.style() if option.widget else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, text_less, painter, option.widget)
        document = self._document(option, index)
        document.setTextWidth(option.rect.width())
        painter.save()
        painter.translate(option.rect.topLeft())
        painter.setClipRect(option.rect.translated(-option.rect.topLeft()))
        context = QAbstractTextDocumentLayout.PaintContext()
        if option.state & QStyle.StateFlag.State_Selected:
            context.palette.setColor(QPalette.ColorRole.Text, option.palette.color(QPalette.ColorRole.HighlightedText))
        document.documentLayout().draw(painter, context)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:
        document = self._document(option, index)
        view = option.widget
        width = view.columnWidth(index.column()) if hasattr(view, "columnWidth") else option.rect.width()
        document.setTextWidth(max(width, 40))
        return QSize(int(document.idealWidth()), int(document.size().height()))

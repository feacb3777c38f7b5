"""The checklist of an inspection as a tree, made to be filled from the keyboard: items grouped by category,
each 合格/不合格/不适用 by the keys 1/2/3 (space cycles), a note per item (Enter, or at once after 2), and a
failed item's own 整改期限 (F3). On a category row, 1 or 3 marks the whole category."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QDateEdit,
    QHeaderView,
    QLineEdit,
    QStyledItemDelegate,
    QTreeWidget,
    QTreeWidgetItem,
)

from app.core.vocab import ITEM_RESULTS
from app.enterprises.checklists import ChecklistVersion
from app.enterprises.inspections import NOTE_LIMIT, ItemValues

ITEM, RESULT, NOTE, DEADLINE = range(4)
# On column ITEM: an item's (category, checklist version), a category row's category; on DEADLINE: a date or None.
DATA = Qt.ItemDataRole.UserRole
RESULT_ROLE = Qt.ItemDataRole.UserRole + 1
KEYS = {Qt.Key.Key_1: "pass", Qt.Key.Key_2: "fail", Qt.Key.Key_3: "na"}
CYCLE = {"pass": "fail", "fail": "na", "na": "pass"}
COLOURS = {"pass": QColor("#2e7d32"), "fail": QColor("#c62828"), "na": QColor("#757575")}
FAILED_BG, PROBLEM_BG = QColor("#fdecea"), QColor("#f8bbbb")


class _ReadOnly(QStyledItemDelegate):
    def createEditor(self, parent, option, index):
        return None


class _NoteDelegate(QStyledItemDelegate):
    def createEditor(self, parent, option, index):
        editor = QLineEdit(parent)
        editor.setMaxLength(NOTE_LIMIT)
        editor.setPlaceholderText(parent.tr("写明发现的问题，回车确认"))
        return editor


class _DeadlineDelegate(QStyledItemDelegate):
    """A failed item's own deadline; other items have none to edit."""

    def createEditor(self, parent, option, index):
        if index.siblingAtColumn(ITEM).data(RESULT_ROLE) != "fail":
            return None
        editor = QDateEdit(parent, calendarPopup=True)
        editor.setDisplayFormat("yyyy-MM-dd")
        return editor

    def setEditorData(self, editor, index):
        day = index.data(DATA) or self.parent().default_deadline
        editor.setDate(QDate(day.year, day.month, day.day))

    def setModelData(self, editor, model, index):
        day = editor.date().toPython()
        model.setData(index, None if day == self.parent().default_deadline else day, DATA)


class ChecklistTree(QTreeWidget):
    """``changed`` after any result, note or deadline changed."""

    changed = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.default_deadline = date.today()  # the record's 整改期限, set by the form
        self._categories: dict[str, QTreeWidgetItem] = {}  # built once, taken out and put back when unticked
        self._order: list[str] = []
        self.setColumnCount(4)
        self.setHeaderLabels([self.tr("检查项目"), self.tr("结果"), self.tr("情况说明（不合格必填）"),
                              self.tr("整改期限")])
        self.setAlternatingRowColors(True)
        self.setUniformRowHeights(True)
        self.setAllColumnsShowFocus(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked | QAbstractItemView.EditTrigger.EditKeyPressed)
        self.setItemDelegateForColumn(ITEM, _ReadOnly(self))
        self.setItemDelegateForColumn(RESULT, _ReadOnly(self))
        self.setItemDelegateForColumn(NOTE, _NoteDelegate(self))
        self.setItemDelegateForColumn(DEADLINE, _DeadlineDelegate(self))
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(ITEM, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(NOTE, QHeaderView.ResizeMode.Stretch)
        self.setColumnWidth(ITEM, 390)
        self.setColumnWidth(RESULT, 70)
        self.setColumnWidth(DEADLINE, 100)
        self.itemChanged.connect(self._item_changed)

    # --- building -----------------------------------------------------------------------------
    def set_checklists(self, checklists: dict[str, ChecklistVersion], shown: tuple[str, ...]) -> None:
        """The categories in their order (``checklists``'), those in ``shown`` in the tree."""
        self._order = list(checklists)
        self.blockSignals(True)
        bold = QFont(self.font())
        bold.setBold(True)
        for category, checklist in checklists.items():
            top = QTreeWidgetItem([category])
            top.setData(ITEM, DATA, category)
            top.setFont(ITEM, bold)
            top.setFirstColumnSpanned(True)
            top.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
            for text in checklist.items:
                child = QTreeWidgetItem(top, [text, "", "", ""])
                child.setFlags(child.flags() | Qt.ItemFlag.ItemIsEditable)
                child.setData(ITEM, DATA, (category, checklist.version))
                child.setToolTip(ITEM, text)
                self._paint(child, "pass")
            self._categories[category] = top
        self.blockSignals(False)
        for category in shown:
            self.show_category(category, True)

    def show_category(self, category: str, shown: bool) -> None:
        top = self._categories[category]
        index = self.indexOfTopLevelItem(top)
        if shown and index < 0:
            position = sum(1 for c in self._order[:self._order.index(category)] if self.is_shown(c))
            self.insertTopLevelItem(position, top)
            top.setExpanded(True)
            self._title(top)
        elif not shown and index >= 0:
            self.takeTopLevelItem(index)
        self.changed.emit()

    def is_shown(self, category: str) -> bool:
        return self.indexOfTopLevelItem(self._categories[category]) >= 0

    def shown_categories(self) -> tuple[str, ...]:
        return tuple(self.topLevelItem(i).data(ITEM, DATA) for i in range(self.topLevelItemCount()))

    def start(self) -> None:
        """Put the cursor on the first item, ready for 1/2/3."""
        if self.topLevelItemCount() and self.topLevelItem(0).childCount():
            self.setCurrentItem(self.topLevelItem(0).child(0), RESULT)
        self.setFocus()

    # --- reading ------------------------------------------------------------------------------
    def rows(self) -> list[QTreeWidgetItem]:
        """The items shown, in order (the order of ``items()``)."""
        return [top.child(i) for top in map(self.topLevelItem, range(self.topLevelItemCount()))
                for i in range(top.childCount())]

    def items(self) -> list[ItemValues]:
        values = []
        for row in self.rows():
            category, version = row.data(ITEM, DATA)
            values.append(ItemValues(category=category, item=row.text(ITEM), result=row.data(ITEM, RESULT_ROLE),
                                     note=row.text(NOTE), deadline=row.data(DEADLINE, DATA),
                                     checklist_version=version))
        return values

    def mark_problems(self, indexes: set[int]) -> None:
        """Shade the items (by their index in ``rows()``) that stop saving."""
        self.blockSignals(True)
        for i, row in enumerate(self.rows()):
            failed = row.data(ITEM, RESULT_ROLE) == "fail"
            colour = PROBLEM_BG if i in indexes else FAILED_BG if failed else None
            row.setBackground(NOTE, QBrush(colour) if colour else QBrush())
        self.blockSignals(False)

    # --- marking ------------------------------------------------------------------------------
    def set_result(self, row: QTreeWidgetItem, result: str) -> None:
        if row.parent() is None:  # a category: every item in it
            for i in range(row.childCount()):
                self.set_result(row.child(i), result)
            return
        self._paint(row, result)
        self._title(row.parent())
        self.changed.emit()

    def _paint(self, row: QTreeWidgetItem, result: str) -> None:
        self.blockSignals(True)
        row.setData(ITEM, RESULT_ROLE, result)
        row.setText(RESULT, self.tr(ITEM_RESULTS[result]))
        row.setForeground(RESULT, QBrush(COLOURS[result]))
        bold = QFont(self.font())
        bold.setBold(result == "fail")
        row.setFont(RESULT, bold)
        row.setBackground(NOTE, QBrush(FAILED_BG) if result == "fail" else QBrush())
        own = row.data(DEADLINE, DATA)
        row.setText(DEADLINE, (own.isoformat() if own else self.tr("同整改期限")) if result == "fail" else "")
        row.setForeground(DEADLINE, QBrush(QColor("#000" if own else "#888")))
        self.blockSignals(False)

    def _title(self, top: QTreeWidgetItem) -> None:
        failed = sum(1 for i in range(top.childCount()) if top.child(i).data(ITEM, RESULT_ROLE) == "fail")
        title = self.tr("{category}（{n}项）").format(category=top.data(ITEM, DATA), n=top.childCount())
        if failed:
            title += self.tr("　不合格{n}项").format(n=failed)
        self.blockSignals(True)
        top.setText(ITEM, title)
        top.setForeground(ITEM, QBrush(COLOURS["fail"] if failed else QColor("#000")))
        self.blockSignals(False)

    def _item_changed(self, row: QTreeWidgetItem, column: int) -> None:
        if column == DEADLINE and row.parent() is not None:
            self._paint(row, row.data(ITEM, RESULT_ROLE))
        self.changed.emit()

    def refresh_deadlines(self) -> None:
        for row in self.rows():
            self._paint(row, row.data(ITEM, RESULT_ROLE))

    def keyPressEvent(self, event) -> None:
        row, key = self.currentItem(), event.key()
        editing = self.state() == QAbstractItemView.State.EditingState
        if row is None or editing:
            super().keyPressEvent(event)
            return
        if key in KEYS and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            result = KEYS[key]
            self.set_result(row, result)
            if row.parent() is not None and result == "fail" and not row.text(NOTE):
                self.edit_note(row)  # say what is wrong at once
            else:
                self._next(row)
        elif key == Qt.Key.Key_Space and row.parent() is not None:
            self.set_result(row, CYCLE[row.data(ITEM, RESULT_ROLE)])
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and row.parent() is not None:
            self.edit_note(row)
        elif key == Qt.Key.Key_F3 and row.parent() is not None and row.data(ITEM, RESULT_ROLE) == "fail":
            self.setCurrentItem(row, DEADLINE)
            self.editItem(row, DEADLINE)
        else:
            super().keyPressEvent(event)

    def edit_note(self, row: QTreeWidgetItem) -> None:
        self.setCurrentItem(row, NOTE)
        self.editItem(row, NOTE)

    def closeEditor(self, editor, hint) -> None:
        """A note confirmed with Enter: on to the next item, ready for its 1/2/3."""
        column = self.currentColumn()
        super().closeEditor(editor, hint)
        row = self.currentItem()
        if hint == QAbstractItemDelegate.EndEditHint.SubmitModelCache and column == NOTE and row is not None:
            self._next(row)

    def _next(self, row: QTreeWidgetItem) -> None:
        below = self.itemBelow(row) if row.parent() is not None else None
        while below is not None and below.parent() is None:  # past a category's row to its first item
            below = self.itemBelow(below)
        if below is not None:
            self.setCurrentItem(below, RESULT)

"""The detail pane of the household tab: address, residents and visit history, with their actions."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QStyle,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

ID_ROLE = Qt.ItemDataRole.UserRole
ID_NUMBER_COLUMN, PHONE_COLUMN = 4, 5  # of the residents list, shown masked until revealed


class HouseholdDetailPane(QScrollArea):
    """Shows one household; the buttons only ask, by signal: the tab opens forms and sheets.

    It scrolls rather than force its height on the window: a laptop screen may be short."""

    add_resident = Signal()
    edit_resident = Signal(str)
    delete_resident = Signal(str)
    record_visit = Signal()
    open_visit = Signal(str)
    print_visit = Signal(str)
    delete_visit = Signal(str)
    revealed = Signal(str)  # resident id, after its numbers were shown in full (and logged)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.detail = None
        self.db = None  # given by the tab (set_database): needed to reveal numbers
        self.title = QLabel(self)
        self.title.setObjectName("detailTitle")
        self.title.setStyleSheet("font-size: 16px; font-weight: bold;")
        self.title.setWordWrap(True)
        self.facts = QFormLayout()
        self.kind = QLabel(self)
        self.area = QLabel(self)
        self.tags = QLabel(self)
        self.notes = QLabel(self, wordWrap=True)
        self.facts.addRow(self.tr("类型："), self.kind)
        self.facts.addRow(self.tr("社区/网格："), self.area)
        self.facts.addRow(self.tr("标签："), self.tags)
        self.facts.addRow(self.tr("备注："), self.notes)

        self.residents = self._tree([self.tr("姓名"), self.tr("关系"), self.tr("性别"), self.tr("年龄"),
                                     self.tr("身份证号"), self.tr("电话")])
        self.visits = self._tree([self.tr("走访时间"), self.tr("事由"), self.tr("民警"), self.tr("发现情况")])
        self.residents.itemDoubleClicked.connect(lambda item: self.edit_resident.emit(item.data(0, ID_ROLE)))
        self.visits.itemDoubleClicked.connect(lambda item: self.open_visit.emit(item.data(0, ID_ROLE)))

        self.add_resident_button = self._button(self.tr("新增人员"), self.add_resident.emit)
        self.edit_resident_button = self._button(self.tr("编辑"),
                                                 lambda: self._emit(self.residents, self.edit_resident))
        self.delete_resident_button = self._button(self.tr("删除"), lambda: self._emit(self.residents,
                                                                                      self.delete_resident))
        self.record_visit_button = self._button(self.tr("记录走访"), self.record_visit.emit)
        self.open_visit_button = self._button(self.tr("修改"), lambda: self._emit(self.visits, self.open_visit))
        self.print_visit_button = self._button(self.tr("打印登记表"), lambda: self._emit(self.visits, self.print_visit))
        self.delete_visit_button = self._button(self.tr("删除"), lambda: self._emit(self.visits, self.delete_visit))
        self.reveal_button = self._button(self.tr("显示完整号码"), self.reveal_selected)
        self.reveal_button.setToolTip(self.tr("显示所选人员的完整身份证号和电话（记入审计日志）"))
        self.reveal_button.hide()  # until the tab gives the database
        self.reveal_action = QAction(self.tr("显示完整号码"), self)
        self.reveal_action.triggered.connect(self.reveal_selected)
        self.residents.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.residents.itemSelectionChanged.connect(self._enable)
        self.visits.itemSelectionChanged.connect(self._enable)

        inner = QWidget(self)
        layout = QVBoxLayout(inner)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addLayout(self.facts)
        layout.addWidget(self._group(self.tr("人员"), self.residents, self.add_resident_button,
                                     self.edit_resident_button, self.delete_resident_button, None,
                                     self.reveal_button), 1)
        layout.addWidget(self._group(self.tr("走访记录（最新在前）"), self.visits, self.record_visit_button,
                                     self.open_visit_button, self.print_visit_button, self.delete_visit_button), 1)
        self.setWidget(inner)
        self.show_household(None)

    def _tree(self, headers: list[str]) -> QTreeWidget:
        tree = QTreeWidget(self)
        tree.setRootIsDecorated(False)
        tree.setUniformRowHeights(True)  # one line each: Qt measures one row, not every row at every fill
        tree.setHeaderLabels(headers)
        for column in range(len(headers) - 1):
            tree.setColumnWidth(column, tree.header().sectionSizeHint(column))
        return tree

    @staticmethod
    def _widen(tree: QTreeWidget) -> None:
        """Widen each column (but the last, which stretches) to its widest text; never narrow it, so the
        columns stay put as the officer goes from household to household. Measured by the font, not by
        resizeColumnToContents, which lays out every cell again (8 calls, ~0.3 ms a household shown)."""
        metrics = tree.fontMetrics()
        margin = 2 * (tree.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, tree) + 1)
        items = [tree.topLevelItem(i) for i in range(tree.topLevelItemCount())]
        for column in range(tree.columnCount() - 1):
            widest = max((metrics.horizontalAdvance(item.text(column)) for item in items), default=0) + margin
            if widest > tree.columnWidth(column):
                tree.setColumnWidth(column, widest)

    def _button(self, text: str, slot) -> QPushButton:
        button = QPushButton(text, self)
        button.clicked.connect(slot)
        return button

    def _group(self, title: str, tree: QTreeWidget, *buttons: QPushButton | None) -> QGroupBox:
        """A titled list with its buttons below; ``None`` pushes the buttons after it to the right."""
        box = QGroupBox(title, self)
        row = QHBoxLayout()
        for button in buttons:
            if button is None:
                row.addStretch(1)
            else:
                row.addWidget(button)
        if None not in buttons:
            row.addStretch(1)
        column = QVBoxLayout(box)
        column.addWidget(tree)
        column.addLayout(row)
        return box

    def _emit(self, tree: QTreeWidget, signal) -> None:
        item = tree.currentItem()
        if item is not None and item.isSelected():
            signal.emit(item.data(0, ID_ROLE))

    def _enable(self) -> None:
        have = self.detail is not None
        resident = have and bool(self.residents.selectedItems())
        visit = have and bool(self.visits.selectedItems())
        self.add_resident_button.setEnabled(have)
        self.record_visit_button.setEnabled(have)
        for button in (self.edit_resident_button, self.delete_resident_button):
            button.setEnabled(resident)
        item = self.residents.currentItem() if resident else None
        can_reveal = self.db is not None and item is not None and not item.data(ID_NUMBER_COLUMN, ID_ROLE)
        self.reveal_button.setEnabled(can_reveal)
        self.reveal_action.setEnabled(can_reveal)
        for button in (self.open_visit_button, self.print_visit_button, self.delete_visit_button):
            button.setEnabled(visit)

    def set_database(self, db) -> None:
        """The database to reveal numbers from (and log to); the tab calls this from ``attach``."""
        self.db = db
        self.reveal_button.setVisible(db is not None)
        if db is not None and self.reveal_action not in self.residents.actions():
            self.residents.addAction(self.reveal_action)
        self._enable()

    def reveal_selected(self) -> None:
        """Show the selected resident's ID number and phone in full; the reveal is logged."""
        from app.audit.log import reveal_numbers

        item = self.residents.currentItem()
        if self.db is None or item is None or not item.isSelected():
            return
        resident_id = item.data(0, ID_ROLE)
        try:
            numbers = reveal_numbers(self.db, table="resident", record_id=resident_id, where="入户走访")
        except LookupError:  # deleted on another window meanwhile: nothing to show
            return
        item.setText(ID_NUMBER_COLUMN, numbers.id_number)
        item.setText(PHONE_COLUMN, numbers.phone)
        item.setData(ID_NUMBER_COLUMN, ID_ROLE, True)  # shown in full until the pane is refilled
        self._widen(self.residents)
        self._enable()
        self.revealed.emit(resident_id)

    def select_visit(self, visit_id: str) -> None:
        for i in range(self.visits.topLevelItemCount()):
            if self.visits.topLevelItem(i).data(0, ID_ROLE) == visit_id:
                self.visits.setCurrentItem(self.visits.topLevelItem(i))

    def show_household(self, detail) -> None:
        self.detail = detail
        self.residents.clear()
        self.visits.clear()
        if detail is None:
            self.title.setText(self.tr("未选择住户"))
            for label in (self.kind, self.area, self.tags, self.notes):
                label.clear()
            self._enable()
            return
        row = detail.row
        self.title.setText(row.address)
        self.kind.setText(row.kind)
        self.area.setText(" / ".join(part for part in (row.community, row.grid) if part))
        self.tags.setText(row.tags.replace(",", "、") or "—")
        self.notes.setText(detail.notes or "—")
        for r in detail.residents:
            age = "" if r.age is None else str(r.age)
            item = QTreeWidgetItem([r.name, r.relation, r.gender, age, r.id_number, r.phone])
            item.setData(0, ID_ROLE, r.id)
            self.residents.addTopLevelItem(item)
        for v in detail.visits:
            when = v.visited_at.astimezone().strftime("%Y-%m-%d %H:%M")
            item = QTreeWidgetItem([when, v.purposes.replace(",", "、"), v.officer, v.findings])
            item.setData(0, ID_ROLE, v.id)
            item.setToolTip(3, v.findings)
            self.visits.addTopLevelItem(item)
        for tree in (self.residents, self.visits):
            self._widen(tree)
        self._enable()

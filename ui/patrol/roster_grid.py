"""排班表: a team's week or month as a grid (routes x days), and beside it the chosen cell's shifts with
their people, to change by hand (安排, 移出, 对调, 替班, 固定) from the buttons or a context menu."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QBrush
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QSplitter,
    QTableView,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.patrol.grid import GridShift, RosterGrid, roster_grid
from app.patrol.queries import team_choices
from ui.patrol.common import LEADER_MARK, SHORT, combo
from ui.patrol.roster_forms import AssignForm, StandInForm, SwapForm, seat_status
from ui.patrol.roster_model import RosterDelegate, RosterModel, missing_text
from ui.widgets.fit import FitsScreen
from ui.widgets.messages import guarded
from ui.widgets.ops import changes

SHIFT_ROLE, SEAT_ROLE = Qt.ItemDataRole.UserRole, Qt.ItemDataRole.UserRole + 1
WRITES = ("shift", "shift_assignment")
SHOWS = ("shift", "shift_assignment", "volunteer", "volunteer_team", "patrol_route", "route_team")


def period_of(anchor: date, mode: str) -> tuple[date, date]:
    """The week (Monday to Sunday) or the month holding ``anchor``."""
    if mode == "week":
        monday = anchor - timedelta(days=anchor.weekday())
        return monday, monday + timedelta(days=6)
    first = anchor.replace(day=1)
    return first, (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)


class RosterWindow(FitsScreen, QDialog):
    """A window of its own. It changes assignments itself (through forms) and asks its tab, by signal, to
    generate a roster, add a one-off shift, sign a shift in or print."""

    generate_requested = Signal(object, object, object)  # team id, start, end
    shift_requested = Signal(object, object)  # team id, day: a one-off shift
    sign_in_requested = Signal(str)  # shift id
    print_requested = Signal(object, object, object)  # team id, start, end
    form_opened = Signal(object)

    def __init__(self, db, *, team_id: str | None, anchor: date, mode: str = "week", officer_id: str | None = None,
                 today: date | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowFlag(Qt.WindowType.Window)
        self.setModal(False)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.db, self.officer_id, self.anchor = db, officer_id, anchor
        self.today = today or date.today()
        self.setWindowTitle(self.tr("排班表"))
        self.team = combo(self, team_choices(db), current=team_id)
        self.mode = combo(self, {"week": "按周", "month": "按月"}, current=mode)
        self.period = QLabel(self)
        self.period.setMinimumWidth(170)
        self.period.setAlignment(Qt.AlignmentFlag.AlignCenter)
        previous, following = QPushButton("◀", self), QPushButton("▶", self)
        previous.setToolTip(self.tr("上一周/上一月"))
        following.setToolTip(self.tr("下一周/下一月"))
        for button in (previous, following):
            button.setFixedWidth(36)
        this = QPushButton(self.tr("今天"), self)
        previous.clicked.connect(lambda: self.step(-1))
        following.clicked.connect(lambda: self.step(1))
        this.clicked.connect(lambda: self.go_to(self.today))
        self.generate_button = QPushButton(self.tr("生成排班…"), self)
        self.generate_button.clicked.connect(lambda: self.generate_requested.emit(self.team_id(), *self.span()))
        self.shift_button = QPushButton(self.tr("新增临时班次…"), self)
        self.shift_button.clicked.connect(lambda: self.shift_requested.emit(self.team_id(), self.chosen_day()))
        self.print_button = QPushButton(self.tr("打印排班表…"), self)
        self.print_button.clicked.connect(lambda: self.print_requested.emit(self.team_id(), *self.span()))
        bar = QHBoxLayout()
        for widget in (QLabel(self.tr("义警队："), self), self.team, self.mode, previous, self.period, following, this):
            bar.addWidget(widget)
        bar.addStretch(1)
        for widget in (self.generate_button, self.shift_button, self.print_button):
            bar.addWidget(widget)

        self.model = RosterModel(self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setItemDelegate(RosterDelegate(self.table))
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        self.table.setStyleSheet("QTableView { selection-background-color: #cfe3f7; selection-color: black; }")
        self.table.verticalHeader().setMaximumWidth(150)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._grid_menu)
        self.table.selectionModel().currentChanged.connect(lambda *_a: self.show_cell())
        self._rows_timer = QTimer(self, singleShot=True, interval=0)  # row heights follow the columns' widths
        self._rows_timer.timeout.connect(self.table.resizeRowsToContents)
        self.table.horizontalHeader().sectionResized.connect(lambda *_a: self._rows_timer.start())

        self.cell = QTreeWidget(self)
        self.cell.setHeaderLabels([self.tr("班次 / 义警"), self.tr("情况")])
        self.cell.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.cell.customContextMenuRequested.connect(lambda pos: self._menu().exec(self.cell.mapToGlobal(pos)))
        self.cell.itemSelectionChanged.connect(self._enable)
        self.cell.setMinimumWidth(270)
        self.actions = {key: QAction(text, self) for key, text in (
            ("assign", self.tr("安排…")), ("remove", self.tr("移出")), ("swap", self.tr("对调…")),
            ("stand_in", self.tr("替班…")), ("pin", self.tr("固定")), ("sign_in", self.tr("签到…")))}
        for key, slot in (("assign", self.assign), ("remove", self.ask_remove), ("swap", self.swap),
                          ("stand_in", self.stand_in), ("pin", self.toggle_pin), ("sign_in", self.sign_in)):
            self.actions[key].triggered.connect(lambda _c=False, slot=slot: slot())
        self.buttons = {}
        buttons = QHBoxLayout()
        for key, action in self.actions.items():
            button = QPushButton(action.text(), self)
            button.clicked.connect(action.trigger)
            self.buttons[key] = button
            buttons.addWidget(button)
        side = QWidget(self)
        column = QVBoxLayout(side)
        column.setContentsMargins(0, 0, 0, 0)
        self.cell_title = QLabel(self, wordWrap=True)
        column.addWidget(self.cell_title)
        column.addWidget(self.cell, 1)
        grid_buttons = QVBoxLayout()
        row_one, row_two = QHBoxLayout(), QHBoxLayout()
        for n, key in enumerate(self.buttons):
            (row_one if n < 3 else row_two).addWidget(self.buttons[key])
        grid_buttons.addLayout(row_one)
        grid_buttons.addLayout(row_two)
        column.addLayout(grid_buttons)
        self.legend = QLabel(self.tr("{mark} 小组长　红色：缺人或缺小组长　删除线：缺勤/请假　✓ 已确认").format(
            mark=LEADER_MARK), self)
        self.legend.setStyleSheet("color: #666;")
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.table)
        splitter.addWidget(side)
        splitter.setStretchFactor(0, 4)
        splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.legend)
        self.team.currentIndexChanged.connect(lambda _i: self.reload())
        self.mode.currentIndexChanged.connect(lambda _i: self.reload())
        self.table.doubleClicked.connect(lambda _index: self.assign())
        changes.data_changed.connect(self._heard)
        self.resize(1340, 700)
        self.reload()

    # --- the period shown ----------------------------------------------------------------------
    def team_id(self) -> str | None:
        return self.team.currentData()

    def span(self) -> tuple[date, date]:
        return period_of(self.anchor, self.mode.currentData())

    def step(self, direction: int) -> None:
        start, end = self.span()
        self.go_to(start + timedelta(days=7 * direction) if self.mode.currentData() == "week"
                   else (end + timedelta(days=1) if direction > 0 else start - timedelta(days=1)))

    def go_to(self, day: date) -> None:
        self.anchor = day
        self.reload()

    def reload(self, *, keep: str | None = None) -> None:
        """Read the period again; ``keep`` a shift to show chosen afterwards (else the same cell)."""
        current = self.table.currentIndex()
        start, end = self.span()
        self.period.setText(self.tr("{start} 至 {end}").format(start=start, end=end))
        team = self.team_id()
        grid = roster_grid(self.db, team_id=team, start=start, end=end) if team else RosterGrid(None, start, end, (),
                                                                                                  {})
        week = self.mode.currentData() == "week"
        self.model.set_grid(grid, today=self.today, compact=not week)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch if week else QHeaderView.ResizeMode.Fixed)
        if not week:
            width = self.fontMetrics().horizontalAdvance("★欧阳小明") + 14
            for column in range(self.model.columnCount()):
                header.resizeSection(column, width)
        self.table.resizeRowsToContents()
        index = self.model.index_of(keep) if keep else self.model.index(current.row(), current.column())
        if index.isValid():
            self.table.setCurrentIndex(index)
        self.show_cell()

    def _heard(self, tables, source) -> None:
        if source is not self and changes.touches(tables, SHOWS):
            self.reload()

    def chosen_day(self) -> date:
        index = self.table.currentIndex()
        return self.model.day(index.column()) if index.isValid() else max(self.span()[0], self.today)

    # --- the chosen cell -------------------------------------------------------------------------
    def show_cell(self) -> None:
        index = self.table.currentIndex()
        shifts = self.model.shifts_at(index)
        selected = self.chosen_assignment()
        self.cell.clear()
        if index.isValid():
            route = self.model.route(index.row())[1]
            day = self.model.day(index.column())
            self.cell_title.setText(self.tr("{route}　{day}").format(route=route, day=f"{day.month}月{day.day}日"))
        else:
            self.cell_title.setText(self.tr("在左侧选择一格"))
        for shift in shifts:
            top = QTreeWidgetItem([f"{shift.starts_at:%H:%M}-{shift.ends_at:%H:%M}",
                                   self.tr("需 {n} 人，已排 {m} 人").format(n=shift.needed, m=len(shift.people))])
            top.setData(0, SHIFT_ROLE, shift.id)
            if shift.missing or shift.leader_missing:
                top.setText(1, missing_text(shift))
                top.setForeground(1, QBrush(SHORT))
            if shift.confirmed:
                top.setText(1, top.text(1) + self.tr("（已确认）"))
            for seat in shift.people:
                item = QTreeWidgetItem([(LEADER_MARK if seat.as_leader else "") + seat.name,
                                        seat_status(seat.attendance, seat.pinned)])
                item.setData(0, SHIFT_ROLE, shift.id)
                item.setData(0, SEAT_ROLE, seat.assignment_id)
                top.addChild(item)
                if seat.assignment_id == selected:
                    self.cell.setCurrentItem(item)
            self.cell.addTopLevelItem(top)
            top.setExpanded(True)
        if self.cell.currentItem() is None and self.cell.topLevelItemCount():
            self.cell.setCurrentItem(self.cell.topLevelItem(0))
        self.cell.resizeColumnToContents(0)
        self._enable()

    def chosen_shift(self) -> GridShift | None:
        item = self.cell.currentItem()
        return self.model.grid.shift(item.data(0, SHIFT_ROLE)) if item is not None and self.model.grid else None

    def chosen_assignment(self) -> str | None:
        item = self.cell.currentItem()
        return item.data(0, SEAT_ROLE) if item is not None else None

    def select(self, shift_id: str, assignment_id: str | None = None) -> None:
        """Show ``shift_id``'s cell, and the person of ``assignment_id`` chosen in it."""
        index = self.model.index_of(shift_id)
        if not index.isValid():
            return
        self.table.setCurrentIndex(index)
        self.show_cell()
        for n in range(self.cell.topLevelItemCount()):
            top = self.cell.topLevelItem(n)
            if top.data(0, SHIFT_ROLE) != shift_id:
                continue
            self.cell.setCurrentItem(top)
            for k in range(top.childCount()):
                if top.child(k).data(0, SEAT_ROLE) == assignment_id:
                    self.cell.setCurrentItem(top.child(k))

    def _enable(self) -> None:
        shift, seat = self.chosen_shift(), self.chosen_assignment()
        open_shift = shift is not None and not shift.confirmed
        enabled = {"assign": open_shift, "remove": open_shift and bool(seat), "swap": open_shift and bool(seat),
                   "stand_in": open_shift and bool(seat), "pin": open_shift and bool(seat),
                   "sign_in": shift is not None and shift.day <= self.today}
        pinned = bool(seat) and any(p.pinned for p in shift.people if p.assignment_id == seat)
        self.actions["pin"].setText(self.tr("取消固定") if pinned else self.tr("固定"))
        self.buttons["pin"].setText(self.actions["pin"].text())
        for key, on in enabled.items():
            self.actions[key].setEnabled(on)
            self.buttons[key].setEnabled(on)

    def _menu(self) -> QMenu:
        menu = QMenu(self)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.addActions(list(self.actions.values()))
        return menu

    def _grid_menu(self, pos) -> None:
        index = self.table.indexAt(pos)
        if index.isValid():
            self.table.setCurrentIndex(index)
            self._menu().exec(self.table.viewport().mapToGlobal(pos))

    # --- changes by hand -------------------------------------------------------------------------
    def _open(self, form) -> object:
        form.saved.connect(lambda _r: self._changed())
        form.show()
        self.form_opened.emit(form)
        return form

    def _changed(self, keep: str | None = None) -> None:
        changes.announce(*WRITES, source=self)
        self.reload(keep=keep or (self.chosen_shift().id if self.chosen_shift() else None))

    def assign(self):
        shift = self.chosen_shift() or next(iter(self.model.shifts_at(self.table.currentIndex())), None)
        if shift is None or shift.confirmed:
            return None
        return self._open(AssignForm(self.db, shift=shift, officer_id=self.officer_id, parent=self))

    def stand_in(self):
        shift, seat = self.chosen_shift(), self.chosen_assignment()
        if shift is None or seat is None:
            return None
        return self._open(StandInForm(self.db, shift=shift, assignment_id=seat, officer_id=self.officer_id,
                                      parent=self))

    def swap(self):
        shift, seat = self.chosen_shift(), self.chosen_assignment()
        if shift is None or seat is None:
            return None
        return self._open(SwapForm(self.db, grid=self.model.grid, shift=shift, assignment_id=seat,
                                   officer_id=self.officer_id, parent=self))

    def ask_remove(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        shift, seat = self.chosen_shift(), self.chosen_assignment()
        if shift is None or seat is None:
            return
        name = next(p.name for p in shift.people if p.assignment_id == seat)
        if QMessageBox.question(self, self.tr("移出排班"), self.tr("把 {name} 移出 {label}？").format(
                name=name, label=shift.label)) == QMessageBox.StandardButton.Yes:
            self.remove(seat)

    def remove(self, assignment_id: str) -> bool:
        from app.patrol.changes import remove

        ok, _ = guarded(self, self.tr("无法移出"), lambda: remove(self.db, assignment_id=assignment_id,
                                                                 officer_id=self.officer_id))
        if ok:
            self._changed()
        return ok

    def toggle_pin(self) -> bool:
        from app.patrol.changes import pin

        shift, seat = self.chosen_shift(), self.chosen_assignment()
        if shift is None or seat is None:
            return False
        pinned = any(p.pinned for p in shift.people if p.assignment_id == seat)
        ok, _ = guarded(self, self.tr("无法固定"), lambda: pin(self.db, assignment_id=seat, pinned=not pinned,
                                                              officer_id=self.officer_id))
        if ok:
            self._changed()
            self.select(shift.id, seat)
        return ok

    def sign_in(self) -> None:
        shift = self.chosen_shift()
        if shift is not None:
            self.sign_in_requested.emit(shift.id)

    def closeEvent(self, event) -> None:
        try:
            changes.data_changed.disconnect(self._heard)
        except (RuntimeError, TypeError):  # already gone
            pass
        super().closeEvent(event)

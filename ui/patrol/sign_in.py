"""签到: a day's shifts (of a team or all) with how far their sign-in got; a shift opens its sign-in form,
and the day's paper sign-in sheet (巡逻签到表) prints from here."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.patrol.grid import day_shifts
from app.patrol.queries import team_choices
from ui.patrol.common import DIM, SHORT, combo, date_edit, py_date, q_date
from ui.widgets.fit import FitsScreen
from ui.widgets.ops import changes

ID_ROLE = Qt.ItemDataRole.UserRole
SHOWS = ("shift", "shift_assignment", "patrol_log")


class DaySignInWindow(FitsScreen, QDialog):
    """A window of its own; asks its tab by signal to open a shift's sign-in form or print the sheet."""

    sign_in_requested = Signal(str)  # shift id
    print_requested = Signal(object, object)  # day, team id or None

    def __init__(self, db, *, day: date, team_id: str | None = None, today: date | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowFlag(Qt.WindowType.Window)
        self.setModal(False)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(self.tr("巡逻签到"))
        self.db, self.today = db, today or date.today()
        self.day = date_edit(self, day)
        self.team = combo(self, team_choices(db), blank=self.tr("全部义警队"), current=team_id)
        previous, following, this = QPushButton("◀", self), QPushButton("▶", self), QPushButton(self.tr("今天"), self)
        for button in (previous, following):
            button.setFixedWidth(36)
        previous.clicked.connect(lambda: self.go_to(self.chosen_day() - timedelta(days=1)))
        following.clicked.connect(lambda: self.go_to(self.chosen_day() + timedelta(days=1)))
        this.clicked.connect(lambda: self.go_to(self.today))
        bar = QHBoxLayout()
        for widget in (QLabel(self.tr("日期："), self), previous, self.day, following, this,
                       QLabel(self.tr("义警队："), self), self.team):
            bar.addWidget(widget)
        bar.addStretch(1)
        self.shifts = QTreeWidget(self)
        self.shifts.setRootIsDecorated(False)
        self.shifts.setHeaderLabels([self.tr("班次"), self.tr("义警队"), self.tr("已排/需"), self.tr("已签到"),
                                     self.tr("状态")])
        self.shifts.itemDoubleClicked.connect(lambda _item: self.open_chosen())
        self.shifts.itemSelectionChanged.connect(self._enable)
        self.open_button = QPushButton(self.tr("签到…"), self, default=True)
        self.open_button.clicked.connect(self.open_chosen)
        self.print_button = QPushButton(self.tr("打印签到表…"), self)
        self.print_button.setToolTip(self.tr("打印当天的纸质签到表，现场签到后再按纸质签到表录入"))
        self.print_button.clicked.connect(lambda: self.print_requested.emit(self.chosen_day(), self.team.currentData()))
        close = QPushButton(self.tr("关闭"), self)
        close.clicked.connect(self.close)
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.print_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        self.hint = QLabel(self.tr("双击一个班次签到；签到录完后点“保存并确认”，时长和积分随即计入。"), self)
        self.hint.setStyleSheet("color: #666;")
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.shifts, 1)
        layout.addWidget(self.hint)
        layout.addLayout(buttons)
        self.day.dateChanged.connect(lambda _d: self.reload())
        self.team.currentIndexChanged.connect(lambda _i: self.reload())
        changes.data_changed.connect(self._heard)
        self.resize(760, 520)
        self.reload()

    def chosen_day(self) -> date:
        return py_date(self.day.date())

    def go_to(self, day: date) -> None:
        self.day.setDate(q_date(day))

    def reload(self) -> None:
        chosen = self.chosen_shift()
        self.shifts.clear()
        for s in day_shifts(self.db, on=self.chosen_day(), team_id=self.team.currentData()):
            if s.confirmed:
                state = self.tr("已确认（{who}）").format(who=s.confirmed_by) if s.confirmed_by else self.tr("已确认")
            elif s.assigned and s.signed == s.assigned:
                state = self.tr("已签到，待确认")
            else:
                state = self.tr("待签到")
            item = QTreeWidgetItem([s.label, s.team, f"{s.assigned}/{s.needed}", f"{s.signed}/{s.assigned}", state])
            item.setData(0, ID_ROLE, s.id)
            if s.assigned < s.needed:
                item.setForeground(2, QBrush(SHORT))
            if s.confirmed:
                for column in range(5):
                    item.setForeground(column, QBrush(DIM))
            self.shifts.addTopLevelItem(item)
            if s.id == chosen:
                self.shifts.setCurrentItem(item)
        if self.shifts.currentItem() is None and self.shifts.topLevelItemCount():
            self.shifts.setCurrentItem(self.shifts.topLevelItem(0))
        for column in range(4):
            self.shifts.resizeColumnToContents(column)
        self._enable()

    def chosen_shift(self) -> str | None:
        item = self.shifts.currentItem()
        return item.data(0, ID_ROLE) if item is not None else None

    def select(self, shift_id: str) -> None:
        for n in range(self.shifts.topLevelItemCount()):
            if self.shifts.topLevelItem(n).data(0, ID_ROLE) == shift_id:
                self.shifts.setCurrentItem(self.shifts.topLevelItem(n))

    def open_chosen(self) -> None:
        if (shift_id := self.chosen_shift()) is not None:
            self.sign_in_requested.emit(shift_id)

    def _enable(self) -> None:
        self.open_button.setEnabled(self.chosen_shift() is not None and self.chosen_day() <= self.today)

    def _heard(self, tables, _source) -> None:
        if changes.touches(tables, SHOWS):
            self.reload()

    def closeEvent(self, event) -> None:
        try:
            changes.data_changed.disconnect(self._heard)
        except (RuntimeError, TypeError):
            pass
        super().closeEvent(event)

"""The volunteer's detail pane: who he is (numbers masked until revealed), his totals (hours, points,
stars), his shifts, his teams and roles, availability, leave and status history; buttons ask by signal."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import (
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core.vocab import TEAM_ROLES, TIME_BANDS, VOLUNTEER_STATUSES
from app.patrol.details import VolunteerDetail
from ui.patrol.common import DIM, LEADER_MARK

ID_ROLE = Qt.ItemDataRole.UserRole
TITLE_STYLE = "font-size: 16px; font-weight: bold;"
TOTALS_STYLE = "background: #eef5fb; border-radius: 3px; padding: 4px;"


def tree(parent: QWidget, headers: list[str]) -> QTreeWidget:
    widget = QTreeWidget(parent)
    widget.setRootIsDecorated(False)
    widget.setHeaderLabels(headers)
    return widget


def button_row(*buttons: QPushButton) -> QHBoxLayout:
    row = QHBoxLayout()
    for button in buttons:
        row.addWidget(button)
    row.addStretch(1)
    return row


class VolunteerPane(QWidget):
    edit_requested = Signal()
    leave_requested = Signal()
    status_requested = Signal()
    join_requested = Signal()
    role_requested = Signal(str)  # team id
    leave_team_requested = Signal(str)  # team id
    cancel_leave_requested = Signal(str)  # leave id
    shift_requested = Signal(str)  # shift id: show it in the roster
    revealed = Signal(str)  # volunteer id, after his numbers were shown in full (and logged)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.detail: VolunteerDetail | None = None
        self.db = None
        self.title = QLabel(self, wordWrap=True, styleSheet=TITLE_STYLE)
        self.title.setObjectName("detailTitle")
        self.fields = {key: QLabel(self, wordWrap=True) for key in ("person", "id_number", "phone", "skills",
                                                                      "training", "teams")}
        self.reveal_button = QPushButton(self.tr("显示完整号码"), self)
        self.reveal_button.setToolTip(self.tr("显示完整身份证号和电话（记入审计日志）"))
        self.reveal_button.clicked.connect(self.reveal)
        facts = QFormLayout()
        facts.addRow(self.tr("性别/年龄："), self.fields["person"])
        numbers = QHBoxLayout()
        numbers.addWidget(self.fields["id_number"], 1)
        numbers.addWidget(self.reveal_button)
        facts.addRow(self.tr("身份证号："), numbers)
        facts.addRow(self.tr("电话："), self.fields["phone"])
        facts.addRow(self.tr("专长："), self.fields["skills"])
        facts.addRow(self.tr("培训/上限："), self.fields["training"])
        facts.addRow(self.tr("所在队伍："), self.fields["teams"])
        self.totals = QLabel(self, wordWrap=True, styleSheet=TOTALS_STYLE)
        self.totals.setObjectName("totals")
        self.edit_button = self._button(self.tr("编辑…"), self.edit_requested.emit)
        self.leave_button = self._button(self.tr("请假…"), self.leave_requested.emit)
        self.status_button = self._button(self.tr("变更状态…"), self.status_requested.emit)
        self.join_button = self._button(self.tr("加入队伍…"), self.join_requested.emit)

        self.history = tree(self, [self.tr("班次"), self.tr("队伍"), self.tr("签到"), self.tr("时长"), self.tr("确认")])
        self.history.itemDoubleClicked.connect(lambda item: self.shift_requested.emit(item.data(0, ID_ROLE)))
        self.teams = tree(self, [self.tr("义警队"), self.tr("队内职务"), ""])
        self.teams.itemSelectionChanged.connect(self._enable)
        self.role_button = self._button(self.tr("设职务…"), lambda: self._emit(self.teams, self.role_requested))
        self.leave_team_button = self._button(self.tr("移出该队"),
                                              lambda: self._emit(self.teams, self.leave_team_requested))
        self.availability = QGridLayout()
        self.availability.setHorizontalSpacing(12)
        self.cells: dict[str, QLabel] = {}
        for d, name in enumerate("一二三四五六日", 1):
            self.availability.addWidget(QLabel(name, self, alignment=Qt.AlignmentFlag.AlignCenter), 0, d)
        for row, (band, label) in enumerate(TIME_BANDS.items(), 1):
            self.availability.addWidget(QLabel(self.tr(label), self), row, 0)
            for d in range(1, 8):
                cell = QLabel(self, alignment=Qt.AlignmentFlag.AlignCenter)
                self.availability.addWidget(cell, row, d)
                self.cells[f"{d}{band}"] = cell
        self.leaves = tree(self, [self.tr("请假开始"), self.tr("结束"), self.tr("原因")])
        self.leaves.itemSelectionChanged.connect(self._enable)
        self.cancel_leave_button = self._button(self.tr("取消请假"),
                                                lambda: self._emit(self.leaves, self.cancel_leave_requested))
        self.statuses = tree(self, [self.tr("状态"), self.tr("自"), self.tr("原因")])

        self.pages = QTabWidget(self)
        self.pages.addTab(self.history, self.tr("班次记录"))
        teams_page = QWidget(self)
        column = QVBoxLayout(teams_page)
        column.addWidget(self.teams, 1)
        column.addLayout(button_row(self.role_button, self.leave_team_button))
        column.addWidget(QLabel(self.tr("每周可排时段（● 可排）："), self))
        column.addLayout(self.availability)
        self.pages.addTab(teams_page, self.tr("队伍与时段"))
        leave_page = QWidget(self)
        column = QVBoxLayout(leave_page)
        column.addWidget(self.leaves, 1)
        column.addLayout(button_row(self.cancel_leave_button))
        column.addWidget(QLabel(self.tr("状态变更记录："), self))
        column.addWidget(self.statuses, 1)
        self.pages.addTab(leave_page, self.tr("请假与状态"))

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addLayout(facts)
        layout.addWidget(self.totals)
        layout.addLayout(button_row(self.edit_button, self.leave_button, self.status_button, self.join_button))
        layout.addWidget(self.pages, 1)

    def _button(self, text: str, slot) -> QPushButton:
        button = QPushButton(text, self)
        button.clicked.connect(slot)
        return button

    def _emit(self, widget: QTreeWidget, signal) -> None:
        item = widget.currentItem()
        if item is not None and item.isSelected():
            signal.emit(item.data(0, ID_ROLE))

    def _enable(self) -> None:
        have = self.detail is not None
        for button in (self.edit_button, self.leave_button, self.status_button, self.join_button):
            button.setEnabled(have)
        self.reveal_button.setEnabled(have and self.db is not None)
        self.role_button.setEnabled(have and bool(self.teams.selectedItems()))
        several = self.teams.topLevelItemCount() > 1
        self.leave_team_button.setEnabled(have and bool(self.teams.selectedItems()) and several)
        self.cancel_leave_button.setEnabled(have and bool(self.leaves.selectedItems()))

    def reveal(self) -> None:
        """His ID number and phone in full; the reveal is logged."""
        from app.audit.log import reveal_numbers

        if self.db is None or self.detail is None:
            return
        try:
            numbers = reveal_numbers(self.db, table="volunteer", record_id=self.detail.row.id, where="义警巡逻")
        except LookupError:
            return
        self.fields["id_number"].setText(numbers.id_number)
        self.fields["phone"].setText(numbers.phone or "—")
        self.reveal_button.setEnabled(False)
        self.revealed.emit(self.detail.row.id)

    def show_volunteer(self, detail: VolunteerDetail | None) -> None:
        self.detail = detail
        for widget in (self.history, self.teams, self.leaves, self.statuses):
            widget.clear()
        if detail is None:
            self.title.setText(self.tr("未选择义警"))
            for label in (*self.fields.values(), self.totals):
                label.clear()
            self._enable()
            return
        row, totals = detail.row, detail.totals
        status = VOLUNTEER_STATUSES.get(row.status, row.status)
        self.title.setText(f"{row.name}　<span style='font-size:13px;color:#555'>{status}</span>")
        age = "" if row.age is None else self.tr("{n} 岁").format(n=row.age)
        self.fields["person"].setText(" ".join(p for p in (row.gender, age) if p) or "—")
        self.fields["id_number"].setText(row.id_number or "—")
        self.fields["phone"].setText(row.phone or "—")
        self.fields["skills"].setText(row.skills or "—")
        trained = self.tr("{day} 培训").format(day=row.trained_on) if row.trained_on else self.tr("未培训")
        self.fields["training"].setText(self.tr("{trained}；每周最多 {n} 班").format(trained=trained, n=row.weekly_cap))
        self.fields["teams"].setText("、".join(name for _id, name, _role, _home in detail.teams))
        self.totals.setText(self.tr("累计 {shifts} 班（出勤 {attended}），服务 {hours:g} 小时，积分 {points:g}，"
                                    "<b>{level}</b>；待执勤 {upcoming} 班").format(
            shifts=totals.shifts, attended=totals.attended, hours=totals.hours, points=totals.points,
            level=totals.level, upcoming=totals.upcoming))
        for line in detail.history:
            item = QTreeWidgetItem([line.label + (f" {LEADER_MARK}" if line.as_leader else ""), line.team,
                                    line.attendance, f"{line.hours:g}", "✓" if line.confirmed else ""])
            item.setData(0, ID_ROLE, line.shift_id)
            item.setToolTip(0, line.label)
            self.history.addTopLevelItem(item)
        for team_id, name, role, home in detail.teams:
            item = QTreeWidgetItem([name, TEAM_ROLES.get(role, role), self.tr("主队") if home else ""])
            item.setData(0, ID_ROLE, team_id)
            self.teams.addTopLevelItem(item)
        for token, cell in self.cells.items():
            cell.setText("●" if token in detail.availability else "·")
            cell.setStyleSheet("color: #2e7d32;" if token in detail.availability else "color: #bbb;")
        for leave in detail.leaves:
            item = QTreeWidgetItem([str(leave.starts_on), str(leave.ends_on), leave.reason])
            item.setData(0, ID_ROLE, leave.id)
            self.leaves.addTopLevelItem(item)
        for change in reversed(detail.statuses):
            item = QTreeWidgetItem([VOLUNTEER_STATUSES.get(change.status, change.status), str(change.since),
                                    change.reason])
            if change is not detail.statuses[-1]:
                for column in range(3):
                    item.setForeground(column, QBrush(DIM))
            self.statuses.addTopLevelItem(item)
        for widget in (self.history, self.teams, self.leaves, self.statuses):
            for column in range(widget.columnCount() - 1):
                widget.resizeColumnToContents(column)
        self._enable()

"""The patrol tab's detail pane: the volunteer's, a team's (members and roles, routes, shift templates)
or a route's (key points, teams, templates), whichever list the tab shows; buttons ask by signal."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QLabel,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core.vocab import TEAM_ROLES, VOLUNTEER_STATUSES
from app.patrol.details import RouteDetail, TeamDetail, TemplateLine
from ui.patrol.common import DIM
from ui.patrol.volunteer_detail import TITLE_STYLE, VolunteerPane, button_row, tree

ID_ROLE = Qt.ItemDataRole.UserRole


class _Pane(QWidget):
    def _button(self, text: str, slot) -> QPushButton:
        button = QPushButton(text, self)
        button.clicked.connect(slot)
        return button

    def _chosen(self, widget: QTreeWidget) -> str | None:
        item = widget.currentItem()
        return item.data(0, ID_ROLE) if item is not None and item.isSelected() else None

    def _templates(self) -> QTreeWidget:
        widget = tree(self, [self.tr("路线"), self.tr("星期"), self.tr("时间"), self.tr("人数"), self.tr("有效期")])
        widget.itemSelectionChanged.connect(self._enable)
        return widget

    def _fill_templates(self, widget: QTreeWidget, lines: list[TemplateLine]) -> None:
        widget.clear()
        for t in lines:
            extra = ("+" + self.tr("组长") if t.needs_leader else "") + (f"（{t.skill}）" if t.skill else "")
            item = QTreeWidgetItem([t.route, t.weekdays, t.hours, f"{t.headcount}{extra}", t.valid])
            item.setData(0, ID_ROLE, t.id)
            item.setToolTip(1, t.weekdays)
            widget.addTopLevelItem(item)
        for column in range(widget.columnCount() - 1):
            widget.resizeColumnToContents(column)

    def _enable(self) -> None:
        raise NotImplementedError


class TeamPane(_Pane):
    edit_requested = Signal()
    add_member_requested = Signal()
    roster_requested = Signal()
    role_requested = Signal(str)  # volunteer id
    remove_member_requested = Signal(str)  # volunteer id
    member_opened = Signal(str)  # volunteer id: show him
    new_route_requested = Signal()
    new_template_requested = Signal()
    edit_template_requested = Signal(str)
    delete_template_requested = Signal(str)
    new_shift_requested = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.detail: TeamDetail | None = None
        self.title = QLabel(self, wordWrap=True, styleSheet=TITLE_STYLE)
        self.fields = {key: QLabel(self, wordWrap=True) for key in ("kind", "captain", "contact", "group", "notes")}
        facts = QFormLayout()
        for key, label in (("kind", self.tr("类型/社区：")), ("captain", self.tr("队长：")),
                           ("contact", self.tr("联系方式：")), ("group", self.tr("巡逻小组：")),
                           ("notes", self.tr("备注："))):
            facts.addRow(label, self.fields[key])
        self.edit_button = self._button(self.tr("编辑…"), self.edit_requested.emit)
        self.roster_button = self._button(self.tr("排班表…"), self.roster_requested.emit)
        self.members = tree(self, [self.tr("姓名"), self.tr("职务"), self.tr("状态"), self.tr("电话"), ""])
        self.members.itemSelectionChanged.connect(self._enable)
        self.members.itemDoubleClicked.connect(lambda item: self.member_opened.emit(item.data(0, ID_ROLE)))
        self.add_member_button = self._button(self.tr("新增队员…"), self.add_member_requested.emit)
        self.role_button = self._button(self.tr("设职务…"), lambda: self._ask(self.members, self.role_requested))
        self.remove_member_button = self._button(self.tr("移出本队"),
                                                 lambda: self._ask(self.members, self.remove_member_requested))
        self.routes = QLabel(self, wordWrap=True)
        self.templates = self._templates()
        self.new_route_button = self._button(self.tr("新增路线…"), self.new_route_requested.emit)
        self.new_template_button = self._button(self.tr("新增模板…"), self.new_template_requested.emit)
        self.edit_template_button = self._button(self.tr("编辑模板…"),
                                                 lambda: self._ask(self.templates, self.edit_template_requested))
        self.delete_template_button = self._button(self.tr("删除模板"),
                                                   lambda: self._ask(self.templates, self.delete_template_requested))
        self.new_shift_button = self._button(self.tr("临时班次…"), self.new_shift_requested.emit)

        pages = QTabWidget(self)
        members_page = QWidget(self)
        column = QVBoxLayout(members_page)
        column.addWidget(self.members, 1)
        column.addLayout(button_row(self.add_member_button, self.role_button, self.remove_member_button))
        pages.addTab(members_page, self.tr("队员与职务"))
        routes_page = QWidget(self)
        column = QVBoxLayout(routes_page)
        column.addWidget(self.routes)
        column.addWidget(self.templates, 1)
        column.addLayout(button_row(self.new_route_button, self.new_template_button, self.edit_template_button,
                                    self.delete_template_button, self.new_shift_button))
        pages.addTab(routes_page, self.tr("路线与班次模板"))
        self.pages = pages
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addLayout(facts)
        layout.addLayout(button_row(self.edit_button, self.roster_button))
        layout.addWidget(pages, 1)

    def _ask(self, widget: QTreeWidget, signal) -> None:
        if (chosen := self._chosen(widget)) is not None:
            signal.emit(chosen)

    def _enable(self) -> None:
        have = self.detail is not None
        for button in (self.edit_button, self.roster_button, self.add_member_button, self.new_route_button,
                       self.new_template_button, self.new_shift_button):
            button.setEnabled(have)
        member = have and self._chosen(self.members) is not None
        self.role_button.setEnabled(member)
        self.remove_member_button.setEnabled(member)
        template = have and self._chosen(self.templates) is not None
        self.edit_template_button.setEnabled(template)
        self.delete_template_button.setEnabled(template)

    def show_team(self, detail: TeamDetail | None) -> None:
        self.detail = detail
        self.members.clear()
        if detail is None:
            self.title.setText(self.tr("未选择义警队"))
            for label in (*self.fields.values(), self.routes):
                label.clear()
            self.templates.clear()
            self._enable()
            return
        row = detail.row
        self.title.setText(self.tr("{name}　<span style='font-size:13px;color:#555'>{n} 人</span>").format(
            name=row.name, n=row.members))
        self.fields["kind"].setText(" / ".join(p for p in (row.kind, row.community) if p))
        self.fields["captain"].setText(row.captain or self.tr("（未设）"))
        self.fields["contact"].setText(row.contact or "—")
        leader = self.tr("，设小组长") if detail.group_leader else ""
        self.fields["group"].setText(self.tr("至少 {n} 人{leader}").format(n=detail.group_size, leader=leader))
        self.fields["notes"].setText(detail.notes or "—")
        for m in detail.members:
            item = QTreeWidgetItem([m.name, TEAM_ROLES.get(m.role, m.role), VOLUNTEER_STATUSES.get(m.status, m.status),
                                    m.phone, "" if m.home else self.tr("兼")])
            item.setData(0, ID_ROLE, m.volunteer_id)
            if m.status != "active":
                for column in range(5):
                    item.setForeground(column, QBrush(DIM))
            self.members.addTopLevelItem(item)
        for column in range(4):
            self.members.resizeColumnToContents(column)
        names = "、".join(name for _id, name in detail.routes)
        self.routes.setText(self.tr("巡逻路线：{names}").format(names=names or self.tr("（无）")))
        self._fill_templates(self.templates, detail.templates)
        self._enable()


class RoutePane(_Pane):
    edit_requested = Signal()
    new_template_requested = Signal()
    edit_template_requested = Signal(str)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.detail: RouteDetail | None = None
        self.title = QLabel(self, wordWrap=True, styleSheet=TITLE_STYLE)
        self.fields = {key: QLabel(self, wordWrap=True) for key in ("kind", "teams", "minutes", "waypoints", "notes")}
        facts = QFormLayout()
        for key, label in (("kind", self.tr("类型/社区：")), ("teams", self.tr("负责队伍：")),
                           ("minutes", self.tr("通常用时：")), ("waypoints", self.tr("途经点：")),
                           ("notes", self.tr("备注："))):
            facts.addRow(label, self.fields[key])
        self.edit_button = self._button(self.tr("编辑…"), self.edit_requested.emit)
        self.templates = self._templates()
        self.templates.itemDoubleClicked.connect(lambda item: self.edit_template_requested.emit(item.data(0, ID_ROLE)))
        self.new_template_button = self._button(self.tr("新增模板…"), self.new_template_requested.emit)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addLayout(facts)
        layout.addLayout(button_row(self.edit_button, self.new_template_button))
        layout.addWidget(QLabel(self.tr("班次模板："), self))
        layout.addWidget(self.templates, 1)

    def _enable(self) -> None:
        for button in (self.edit_button, self.new_template_button):
            button.setEnabled(self.detail is not None)

    def show_route(self, detail: RouteDetail | None) -> None:
        self.detail = detail
        if detail is None:
            self.title.setText(self.tr("未选择巡逻路线"))
            for label in self.fields.values():
                label.clear()
            self.templates.clear()
            self._enable()
            return
        row = detail.row
        self.title.setText(row.name)
        self.fields["kind"].setText(" / ".join(p for p in (row.kind, row.community) if p))
        self.fields["teams"].setText(row.teams or "—")
        self.fields["minutes"].setText(self.tr("{n} 分钟").format(n=row.minutes) if row.minutes else "—")
        self.fields["waypoints"].setText(" → ".join(detail.waypoints) or "—")
        self.fields["notes"].setText(detail.notes or "—")
        self._fill_templates(self.templates, detail.templates)
        self._enable()


class PatrolDetail(QScrollArea):
    """The three panes, one shown at a time (``show_view``). It scrolls rather than force its height on
    the window: a laptop screen may be short."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.stack = QStackedWidget(self)
        self.volunteer = VolunteerPane(self.stack)
        self.team = TeamPane(self.stack)
        self.route = RoutePane(self.stack)
        self.panes = {"volunteers": self.volunteer, "teams": self.team, "routes": self.route}
        for pane in self.panes.values():
            self.stack.addWidget(pane)
        self.setWidget(self.stack)
        self.volunteer.show_volunteer(None)
        self.team.show_team(None)
        self.route.show_route(None)

    def show_view(self, view: str) -> None:
        self.stack.setCurrentWidget(self.panes[view])

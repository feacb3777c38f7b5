"""义警队 and 巡逻路线 forms: a team's name, kind, community, contact and patrol group rule; a route's
kind, key points, usual length and the teams that patrol it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QLineEdit, QListWidget, QListWidgetItem, QPlainTextEdit, QSpinBox

from app.core.vocab import ROUTE_KINDS, TEAM_KINDS
from app.patrol.queries import community_choices, route_values, team_choices, team_values
from app.patrol.routes import MAX_WAYPOINTS, RouteValues, route_problems, save_route
from app.patrol.teams import TeamValues, save_team, team_problems
from ui.patrol.common import PatrolForm, combo
from ui.widgets.fit import limit_length


class TeamForm(PatrolForm):
    """New team (``team_id`` None) or edit one; ``saved`` carries the team id."""

    def __init__(self, db, *, team_id: str | None = None, officer_id: str | None = None, parent=None) -> None:
        super().__init__(parent, title=self.tr("新增义警队") if team_id is None else self.tr("编辑义警队"))
        self.db, self.team_id, self.officer_id = db, team_id, officer_id
        self.name = QLineEdit(self, placeholderText=self.tr("如 彩虹义警队"))
        self.kind = combo(self, TEAM_KINDS)
        self.community = combo(self, community_choices(db), blank=self.tr("（未指定）"))
        self.contact = QLineEdit(self, placeholderText=self.tr("联系人及电话"))
        self.group_size = QSpinBox(self, minimum=3, maximum=20, value=3, suffix=self.tr(" 人"))
        self.group_leader = QCheckBox(self.tr("每个巡逻小组设小组长"), self, checked=True)
        self.notes = QPlainTextEdit(self)
        self.notes.setFixedHeight(70)
        limit_length(self.name, 64)
        limit_length(self.contact, 64)
        limit_length(self.notes, 2000)

        form = self.new_form()
        self.add_row(form, "name", self.tr("队名："), self.name)
        self.add_row(form, "kind", self.tr("类型："), self.kind)
        self.add_row(form, "community_id", self.tr("社区："), self.community)
        self.add_row(form, "contact", self.tr("联系方式："), self.contact)
        self.add_row(form, "group_size", self.tr("巡逻小组至少："), self.group_size)
        self.add_row(form, "group_leader", self.tr("小组长："), self.group_leader)
        self.add_row(form, "notes", self.tr("备注："), self.notes)
        self.body.addLayout(form)
        self.resize(480, 0)
        with self.loading():
            if team_id is not None:
                self.load(team_values(db, team_id=team_id))

    def load(self, values: TeamValues | None) -> None:
        if values is None:
            self.refuse(self.tr("该义警队不存在或已删除"))
            return
        self.name.setText(values.name)
        self.kind.setCurrentIndex(max(0, self.kind.findData(values.kind)))
        self.community.setCurrentIndex(max(0, self.community.findData(values.community_id)))
        self.contact.setText(values.contact)
        self.group_size.setValue(values.group_size)
        self.group_leader.setChecked(values.group_leader)
        self.notes.setPlainText(values.notes)

    def values(self) -> TeamValues:
        return TeamValues(name=self.name.text(), kind=self.kind.currentData(),
                          community_id=self.community.currentData(), contact=self.contact.text(),
                          notes=self.notes.toPlainText(),
                          group_size=self.group_size.value(), group_leader=self.group_leader.isChecked())

    def problems(self) -> dict[str, str]:
        return team_problems(self.values())

    def save(self) -> str:
        return save_team(self.db, values=self.values(), team_id=self.team_id, officer_id=self.officer_id)


class RouteForm(PatrolForm):
    """New route (``route_id`` None; ``team_id`` ticked) or edit one; ``saved`` carries the route id."""

    def __init__(self, db, *, route_id: str | None = None, team_id: str | None = None, officer_id: str | None = None,
                 parent=None) -> None:
        super().__init__(parent, title=self.tr("新增巡逻路线") if route_id is None else self.tr("编辑巡逻路线"))
        self.db, self.route_id, self.officer_id = db, route_id, officer_id
        self.name = QLineEdit(self, placeholderText=self.tr("如 云栖里夜巡线"))
        self.kind = combo(self, ROUTE_KINDS)
        self.community = combo(self, community_choices(db), blank=self.tr("（未指定）"))
        self.teams = QListWidget(self)
        for tid, name in team_choices(db):
            item = QListWidgetItem(name, self.teams)
            item.setData(Qt.ItemDataRole.UserRole, tid)
            item.setCheckState(Qt.CheckState.Checked if tid == team_id else Qt.CheckState.Unchecked)
        self.teams.setMaximumHeight(110)
        self.waypoints = QPlainTextEdit(self, placeholderText=self.tr("每行一个途经点，按巡逻顺序"))
        self.waypoints.setFixedHeight(100)
        self.minutes = QSpinBox(self, minimum=0, maximum=16 * 60, singleStep=10, suffix=self.tr(" 分钟"))
        self.minutes.setSpecialValueText(self.tr("未填写"))
        self.notes = QPlainTextEdit(self)
        self.notes.setFixedHeight(60)
        limit_length(self.name, 64)
        limit_length(self.notes, 2000)

        form = self.new_form()
        self.add_row(form, "name", self.tr("路线名称："), self.name)
        self.add_row(form, "kind", self.tr("类型："), self.kind)
        self.add_row(form, "community_id", self.tr("社区："), self.community)
        self.add_row(form, "teams", self.tr("负责队伍："), self.teams)
        self.add_row(form, "waypoints", self.tr("途经点："), self.waypoints)
        self.add_row(form, "minutes", self.tr("通常用时："), self.minutes)
        self.add_row(form, "notes", self.tr("备注："), self.notes)
        self.body.addLayout(form)
        self.resize(500, 0)
        with self.loading():
            if route_id is not None:
                self.load(route_values(db, route_id=route_id))

    def load(self, found) -> None:
        if found is None:
            self.refuse(self.tr("该巡逻路线不存在或已删除"))
            return
        values, team_ids = found
        self.name.setText(values.name)
        self.kind.setCurrentIndex(max(0, self.kind.findData(values.kind)))
        self.community.setCurrentIndex(max(0, self.community.findData(values.community_id)))
        self.waypoints.setPlainText("\n".join(values.waypoints))
        self.minutes.setValue(values.minutes or 0)
        self.notes.setPlainText(values.notes)
        for row in range(self.teams.count()):
            item = self.teams.item(row)
            checked = item.data(Qt.ItemDataRole.UserRole) in team_ids
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    def team_ids(self) -> tuple[str, ...]:
        return tuple(self.teams.item(row).data(Qt.ItemDataRole.UserRole) for row in range(self.teams.count())
                     if self.teams.item(row).checkState() == Qt.CheckState.Checked)

    def values(self) -> RouteValues:
        return RouteValues(name=self.name.text(), kind=self.kind.currentData(),
                           community_id=self.community.currentData(),
                           waypoints=tuple(self.waypoints.toPlainText().splitlines()),
                           minutes=self.minutes.value() or None, notes=self.notes.toPlainText())

    def problems(self) -> dict[str, str]:
        problems = route_problems(self.values())
        if not self.team_ids():
            problems["teams"] = self.tr("请至少选择一个负责巡逻的义警队")
        if len([p for p in self.waypoints.toPlainText().splitlines() if p.strip()]) > MAX_WAYPOINTS:
            problems["waypoints"] = self.tr("途经点最多{n}个").format(n=MAX_WAYPOINTS)
        return problems

    def save(self) -> str:
        return save_route(self.db, values=self.values(), team_ids=self.team_ids(), route_id=self.route_id,
                          officer_id=self.officer_id)

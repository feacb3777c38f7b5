"""Forms of shifts: a shift template (route, weekdays, hours, headcount, leader, skill, valid dates), a
one-off shift (an event, exam days), and the choice of team and dates a roster is generated for."""

from __future__ import annotations

from datetime import date, time, timedelta

from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QSpinBox

from app.core.vocab import VOLUNTEER_SKILLS
from app.patrol.generation import MAX_DAYS
from app.patrol.queries import route_choices, team_choices, team_values, template_values
from app.patrol.schedule import (
    ShiftValues,
    TemplateValues,
    add_shift,
    save_template,
    shift_problems,
    template_problems,
)
from ui.patrol.common import PatrolForm, combo, date_edit, py_date, py_time, q_date, q_time, time_edit
from ui.widgets.fit import limit_length

WEEKDAYS = "一二三四五六日"


class _TeamRouteForm(PatrolForm):
    """A form whose team chooses the routes offered (the routes the team patrols)."""

    def _team_and_route(self, team_id: str | None, route_id: str | None) -> None:
        self.team = combo(self, team_choices(self.db), blank=self.tr("请选择…"), current=team_id)
        self.route = QComboBox(self)
        self._fill_routes(route_id)
        self.team.currentIndexChanged.connect(lambda _i: self._fill_routes(self.route.currentData()))

    def _fill_routes(self, current: str | None) -> None:
        team_id = self.team.currentData()
        self.route.blockSignals(True)
        self.route.clear()
        self.route.addItem(self.tr("请选择…"), None)
        for rid, name in route_choices(self.db, team_id=team_id) if team_id else []:
            self.route.addItem(name, rid)
        self.route.setCurrentIndex(max(0, self.route.findData(current)))
        self.route.blockSignals(False)

    def _group_problems(self, headcount: int, needs_leader: bool) -> dict[str, str]:
        """The team's patrol group rule, said as typed (the service refuses it too)."""
        team = team_values(self.db, team_id=self.team.currentData()) if self.team.currentData() else None
        if team is None:
            return {"team": self.tr("请选择义警队")}
        problems = {}
        if headcount < team.group_size:
            problems["headcount"] = self.tr("{team}的巡逻小组至少{n}人").format(team=team.name, n=team.group_size)
        if team.group_leader and not needs_leader:
            problems["needs_leader"] = self.tr("{team}每个巡逻小组设小组长").format(team=team.name)
        return problems


def _skill_box(form: PatrolForm, current: str | None) -> QComboBox:
    return combo(form, [(s, s) for s in VOLUNTEER_SKILLS], blank=form.tr("（不限）"), current=current)


class TemplateForm(_TeamRouteForm):
    """New template (``template_id`` None) or edit one; ``saved`` carries the template id."""

    def __init__(self, db, *, template_id: str | None = None, team_id: str | None = None,
                 route_id: str | None = None, officer_id: str | None = None, today: date | None = None,
                 parent=None) -> None:
        super().__init__(parent, title=self.tr("新增班次模板") if template_id is None else self.tr("编辑班次模板"))
        self.db, self.template_id, self.officer_id = db, template_id, officer_id
        values = template_values(db, template_id=template_id) if template_id else None
        self._team_and_route(values.team_id if values else team_id, values.route_id if values else route_id)
        self.weekdays = [QCheckBox(self.tr("周{d}").format(d=d), self) for d in WEEKDAYS]
        days = QHBoxLayout()
        for box in self.weekdays:
            days.addWidget(box)
        self.starts_at, self.ends_at = time_edit(self, time(19)), time_edit(self, time(21))
        hours = QHBoxLayout()
        hours.addWidget(self.starts_at)
        hours.addWidget(QLabel(self.tr("至"), self))
        hours.addWidget(self.ends_at)
        hours.addWidget(QLabel(self.tr("（结束不晚于开始即为次日）"), self))
        hours.addStretch(1)
        self.headcount = QSpinBox(self, minimum=1, maximum=50, value=3, suffix=self.tr(" 人"))
        self.needs_leader = QCheckBox(self.tr("需要小组长"), self, checked=True)
        self.skill = _skill_box(self, None)
        self.valid_from = date_edit(self, today or date.today())
        self.valid_to = date_edit(self, None, optional=True)
        self.notes = QLineEdit(self)
        limit_length(self.notes, 500)

        form = self.new_form()
        self.add_row(form, "team", self.tr("义警队："), self.team)
        self.add_row(form, "route_id", self.tr("巡逻路线："), self.route)
        self.add_row(form, "weekdays", self.tr("星期："), days)
        self.add_row(form, ("starts_at", "ends_at"), self.tr("时间："), hours)
        self.add_row(form, "headcount", self.tr("人数："), self.headcount)
        self.add_row(form, "needs_leader", self.tr("小组长："), self.needs_leader)
        self.add_row(form, "skill", self.tr("需要专长："), self.skill)
        self.add_row(form, "valid_from", self.tr("生效日期："), self.valid_from)
        self.add_row(form, "valid_to", self.tr("失效日期："), self.valid_to)
        self.add_row(form, "notes", self.tr("备注："), self.notes)
        self.body.addLayout(form)
        self.bind(("starts_at", "ends_at"), self.starts_at, self.ends_at)
        self.watch(*(box.toggled for box in self.weekdays))
        self.bind("weekdays", *self.weekdays)
        self.bind("route_id", self.team)
        self.resize(560, 0)
        with self.loading():
            if values is not None:
                self.load(values)
            elif template_id is not None:
                self.refuse(self.tr("该班次模板不存在或已删除"))

    def load(self, values: TemplateValues) -> None:
        for day, box in enumerate(self.weekdays, 1):
            box.setChecked(day in values.weekdays)
        self.starts_at.setTime(q_time(values.starts_at))
        self.ends_at.setTime(q_time(values.ends_at))
        self.headcount.setValue(values.headcount)
        self.needs_leader.setChecked(values.needs_leader)
        self.skill.setCurrentIndex(max(0, self.skill.findData(values.skill)))
        self.valid_from.setDate(q_date(values.valid_from))
        self.valid_to.setDate(q_date(values.valid_to))
        self.notes.setText(values.notes)

    def values(self) -> TemplateValues:
        return TemplateValues(
            route_id=self.route.currentData(), team_id=self.team.currentData(),
            weekdays=tuple(d for d, box in enumerate(self.weekdays, 1) if box.isChecked()),
            starts_at=py_time(self.starts_at.time()), ends_at=py_time(self.ends_at.time()),
            valid_from=py_date(self.valid_from.date()), headcount=self.headcount.value(),
            needs_leader=self.needs_leader.isChecked(), skill=self.skill.currentData(),
            valid_to=py_date(self.valid_to.date()), notes=self.notes.text())

    def problems(self) -> dict[str, str]:
        values = self.values()
        problems = template_problems(values)
        if values.route_id is None:
            problems["route_id"] = self.tr("请选择巡逻路线")
        return self._group_problems(values.headcount, values.needs_leader) | problems

    def save(self) -> str:
        return save_template(self.db, values=self.values(), template_id=self.template_id, officer_id=self.officer_id)


class ShiftForm(_TeamRouteForm):
    """A one-off shift made by hand; ``saved`` carries its id."""

    def __init__(self, db, *, team_id: str | None = None, route_id: str | None = None, day: date | None = None,
                 officer_id: str | None = None, parent=None) -> None:
        super().__init__(parent, title=self.tr("新增临时班次"))
        self.db, self.officer_id = db, officer_id
        self._team_and_route(team_id, route_id)
        self.day = date_edit(self, day or date.today())
        self.starts_at, self.ends_at = time_edit(self, time(7, 30)), time_edit(self, time(9))
        hours = QHBoxLayout()
        hours.addWidget(self.starts_at)
        hours.addWidget(QLabel(self.tr("至"), self))
        hours.addWidget(self.ends_at)
        hours.addStretch(1)
        self.needed = QSpinBox(self, minimum=1, maximum=50, value=3, suffix=self.tr(" 人"))
        self.needs_leader = QCheckBox(self.tr("需要小组长"), self, checked=True)
        self.skill = _skill_box(self, None)
        self.notes = QLineEdit(self, placeholderText=self.tr("如 中考护学、社区活动"))
        limit_length(self.notes, 500)
        form = self.new_form()
        self.add_row(form, "team", self.tr("义警队："), self.team)
        self.add_row(form, "route_id", self.tr("巡逻路线："), self.route)
        self.add_row(form, "day", self.tr("日期："), self.day)
        self.add_row(form, ("starts_at", "ends_at"), self.tr("时间："), hours)
        self.add_row(form, "needed", self.tr("人数："), self.needed)
        self.add_row(form, "needs_leader", self.tr("小组长："), self.needs_leader)
        self.add_row(form, "skill", self.tr("需要专长："), self.skill)
        self.add_row(form, "notes", self.tr("事由："), self.notes)
        self.body.addLayout(form)
        self.bind(("starts_at", "ends_at"), self.starts_at, self.ends_at)
        self.bind("route_id", self.team)
        self.resize(480, 0)
        self.revalidate()

    def values(self) -> ShiftValues:
        return ShiftValues(route_id=self.route.currentData(), team_id=self.team.currentData(),
                           day=py_date(self.day.date()), starts_at=py_time(self.starts_at.time()),
                           ends_at=py_time(self.ends_at.time()), needed=self.needed.value(),
                           needs_leader=self.needs_leader.isChecked(), skill=self.skill.currentData(),
                           notes=self.notes.text())

    def problems(self) -> dict[str, str]:
        values = self.values()
        problems = shift_problems(values)
        if values.route_id is None:
            problems["route_id"] = self.tr("请选择巡逻路线")
        if values.team_id is None:
            problems["team"] = self.tr("请选择义警队")
        return problems

    def save(self) -> str:
        return add_shift(self.db, values=self.values(), officer_id=self.officer_id)


class GenerateForm(PatrolForm):
    """Which team (or all) and which days to plan; ``saved`` carries (team id or None, start, end) for the
    tab to plan on a worker and preview."""

    quiet = False

    def __init__(self, db, *, team_id: str | None = None, start: date | None = None, end: date | None = None,
                 today: date | None = None, parent=None) -> None:
        super().__init__(parent, title=self.tr("生成排班"), save_text=self.tr("生成预览"))
        self.db, self.today = db, today or date.today()
        monday = self.today + timedelta(days=7 - self.today.weekday())
        self.team = combo(self, team_choices(db), blank=self.tr("全部义警队"), current=team_id)
        self.start = date_edit(self, start or monday)
        self.end = date_edit(self, end or monday + timedelta(days=6))
        presets = QHBoxLayout()
        for text, first, last in ((self.tr("下周"), monday, monday + timedelta(days=6)),
                                  (self.tr("下两周"), monday, monday + timedelta(days=13)),
                                  (self.tr("下月"), *_next_month(self.today))):
            button = QPushButton(text, self)
            button.clicked.connect(lambda _c=False, a=first, b=last: self._period(a, b))
            presets.addWidget(button)
        presets.addStretch(1)
        form = self.new_form()
        self.add_row(form, "team", self.tr("义警队："), self.team)
        self.add_row(form, "start", self.tr("开始日期："), self.start)
        self.add_row(form, "end", self.tr("结束日期："), self.end)
        form.addRow("", presets)
        self.body.addLayout(form)
        self.body.addWidget(QLabel(self.tr(
            "先按班次模板生成这些天的班次（已有的不重复生成），再给每个班次排人。"
            "已确认或手工调整过的排班保持不动。生成后先预览，确认无误再保存。"), self, wordWrap=True))
        self.revalidate()

    def _period(self, first: date, last: date) -> None:
        self.start.setDate(q_date(first))
        self.end.setDate(q_date(last))

    def problems(self) -> dict[str, str]:
        start, end = py_date(self.start.date()), py_date(self.end.date())
        if end < start:
            return {"end": self.tr("结束日期不能早于开始日期")}
        if (end - start).days >= MAX_DAYS:
            return {"end": self.tr("一次最多排 {n} 天的班").format(n=MAX_DAYS)}
        return {}

    def save(self) -> tuple[str | None, date, date]:
        return self.team.currentData(), py_date(self.start.date()), py_date(self.end.date())


def _next_month(today: date) -> tuple[date, date]:
    first = (today.replace(day=1) + timedelta(days=32)).replace(day=1)
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    return first, last

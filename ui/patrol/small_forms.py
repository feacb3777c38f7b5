"""The short forms of a volunteer: a leave (请假), a change of status (在队/暂停/退出, the history kept),
joining a team or a new role in one (队长/副队长/小组长/队员)."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtWidgets import QLabel, QLineEdit

from app.core.vocab import TEAM_ROLES, VOLUNTEER_STATUSES
from app.patrol.queries import team_choices
from app.patrol.teams import join_team, set_role
from app.patrol.volunteers import add_leave, leave_problems, membership_problems, set_status, status_problems
from ui.patrol.common import PatrolForm, combo, date_edit, py_date
from ui.widgets.fit import limit_length

FORM_WIDTH = 440


class LeaveForm(PatrolForm):
    """A leave for ``volunteer_id``; ``saved`` carries the leave id."""

    def __init__(self, db, *, volunteer_id: str, name: str, officer_id: str | None = None,
                 today: date | None = None, parent=None) -> None:
        super().__init__(parent, title=self.tr("请假：{name}").format(name=name))
        self.db, self.volunteer_id, self.officer_id = db, volunteer_id, officer_id
        today = today or date.today()
        self.starts_on = date_edit(self, today)
        self.ends_on = date_edit(self, today + timedelta(days=6))
        self.reason = QLineEdit(self, placeholderText=self.tr("如 出差、住院"))
        limit_length(self.reason, 64)
        form = self.new_form()
        self.add_row(form, "starts_on", self.tr("开始日期："), self.starts_on)
        self.add_row(form, "ends_on", self.tr("结束日期："), self.ends_on)
        self.add_row(form, "reason", self.tr("原因："), self.reason)
        self.body.addLayout(form)
        hint = self.tr("请假期间不再给他排班；已排的班次请在排班表中找人替班。")
        self.body.addWidget(QLabel(hint, self, wordWrap=True))
        self.resize(FORM_WIDTH, 0)

    def problems(self) -> dict[str, str]:
        return leave_problems(starts_on=py_date(self.starts_on.date()), ends_on=py_date(self.ends_on.date()),
                              reason=self.reason.text())

    def save(self) -> str:
        return add_leave(self.db, volunteer_id=self.volunteer_id, starts_on=py_date(self.starts_on.date()),
                         ends_on=py_date(self.ends_on.date()), reason=self.reason.text(), officer_id=self.officer_id)


class StatusForm(PatrolForm):
    """A new status for ``volunteer_id`` from a day; ``saved`` carries the status code."""

    def __init__(self, db, *, volunteer_id: str, name: str, current: str, officer_id: str | None = None,
                 today: date | None = None, parent=None) -> None:
        super().__init__(parent, title=self.tr("变更状态：{name}").format(name=name))
        self.db, self.volunteer_id, self.officer_id, self.current = db, volunteer_id, officer_id, current
        self.today = today or date.today()
        others = {code: label for code, label in VOLUNTEER_STATUSES.items() if code != current}
        self.status = combo(self, others)
        self.since = date_edit(self, self.today)
        self.reason = QLineEdit(self, placeholderText=self.tr("如 工作调动、身体原因、恢复参加"))
        limit_length(self.reason, 100)
        form = self.new_form()
        form.addRow(self.tr("现在："), QLabel(self.tr(VOLUNTEER_STATUSES.get(current, current)), self))
        self.add_row(form, "status", self.tr("改为："), self.status)
        self.add_row(form, "since", self.tr("自："), self.since)
        self.add_row(form, "reason", self.tr("原因："), self.reason)
        self.body.addLayout(form)
        self.resize(FORM_WIDTH, 0)

    def problems(self) -> dict[str, str]:
        return status_problems(status=self.status.currentData(), since=py_date(self.since.date()),
                               reason=self.reason.text(), today=self.today)

    def save(self) -> str:
        set_status(self.db, volunteer_id=self.volunteer_id, status=self.status.currentData(),
                   since=py_date(self.since.date()), reason=self.reason.text(), officer_id=self.officer_id,
                   today=self.today)
        return self.status.currentData()


class MembershipForm(PatrolForm):
    """``team_id`` None: put the volunteer in another team with a role; given: change his role there.
    ``saved`` carries the team id."""

    def __init__(self, db, *, volunteer_id: str, name: str, team_id: str | None = None, role: str = "member",
                 exclude: tuple[str, ...] = (), officer_id: str | None = None, today: date | None = None,
                 parent=None) -> None:
        title = self.tr("加入义警队：{name}") if team_id is None else self.tr("队内职务：{name}")
        super().__init__(parent, title=title.format(name=name))
        self.db, self.volunteer_id, self.team_id, self.officer_id = db, volunteer_id, team_id, officer_id
        self.today = today or date.today()
        teams = [(tid, label) for tid, label in team_choices(db) if tid not in exclude or tid == team_id]
        self.team = combo(self, teams, blank=self.tr("请选择…") if team_id is None else None, current=team_id)
        self.team.setEnabled(team_id is None)
        self.role = combo(self, TEAM_ROLES, current=role)
        self.joined_on = date_edit(self, self.today)
        form = self.new_form()
        self.add_row(form, "team", self.tr("义警队："), self.team)
        self.add_row(form, "role", self.tr("队内职务："), self.role)
        if team_id is None:
            self.add_row(form, "joined_on", self.tr("入队日期："), self.joined_on)
        else:
            self.joined_on.hide()
        self.body.addLayout(form)
        self.body.addWidget(QLabel(self.tr("新任队长后，原队长改为队员。"), self, wordWrap=True))
        self.resize(FORM_WIDTH, 0)

    def problems(self) -> dict[str, str]:
        problems = membership_problems(role=self.role.currentData(), joined_on=py_date(self.joined_on.date()),
                                       today=self.today)
        if self.team.currentData() is None:
            problems["team"] = self.tr("请选择义警队")
        return problems

    def save(self) -> str:
        team_id = self.team.currentData()
        if self.team_id is None:
            join_team(self.db, volunteer_id=self.volunteer_id, team_id=team_id, role=self.role.currentData(),
                      joined_on=py_date(self.joined_on.date()), officer_id=self.officer_id)
        else:
            set_role(self.db, volunteer_id=self.volunteer_id, team_id=team_id, role=self.role.currentData(),
                     officer_id=self.officer_id)
        return team_id

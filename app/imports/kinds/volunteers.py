"""Volunteers (义警) with their teams, one row per person: the 义警 list kind of the Excel import.

A person is one record however many teams he serves in (matched, and kept unique, by 身份证号, as
the volunteer form does): 所属义警队 lists his teams ("东区巡防队、护校队"), the first his home
team; a team may carry his role as the hours ledger prints it ("东区巡防队（队长）"), else a 队内职务
column gives it. A team not on the register is made with the team form's defaults (社区巡防, groups
of 3 with a 小组长), in a 所属社区 the rows give. 所属社区 is the person's (his home team's, as the 义警名册
prints it), so a new team takes that of the first row naming it as the home team; a team that is only
ever someone's second team, that of the first row naming it with one (the file says no better).
Checked by the forms' own rules (``volunteer_problems``, ``team_problems``, ``status_problems``,
``membership_problems``).

The 义警服务时长积分台账 read back carries no 身份证号, so its rows are refused until one is added.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from app.core.errors import UserError
from app.core.validation import id_birth_date, id_gender
from app.core.vocab import TEAM_ROLES, VOLUNTEER_STATUSES
from app.imports import cells
from app.imports.kinds import Planned
from app.imports.kinds.households import _Places
from app.imports.kinds.lookups import (
    Reader,
    chunks,
    community_problem,
    filled,
    plain,
    residents_by_id_number,
    split_list,
)
from app.imports.mapping import Field
from app.patrol.teams import TeamValues, membership_id, team_problems
from app.patrol.volunteers import VolunteerValues, membership_problems, status_problems, volunteer_problems
from db.models import Volunteer, VolunteerMembership, VolunteerStatus, VolunteerTeam

KIND = "volunteers"
TITLE = "义警队员"
TABLES = ("volunteer", "volunteer_team", "volunteer_membership", "volunteer_status", "audit_entry")

FIELDS: tuple[Field, ...] = (
    Field("name", "姓名", required=True, aliases=("队员姓名", "义警姓名", "名字")),
    Field("id_number", "身份证号", required=True, aliases=("公民身份号码", "身份证号码", "证件号码", "身份证")),
    Field("phone", "手机", aliases=("联系电话", "手机号", "手机号码", "电话", "联系方式")),
    Field("teams", "所属义警队", required=True, aliases=("义警队", "所属队伍", "所在队伍", "队伍", "队名", "所属队")),
    Field("role", "队内职务", aliases=("职务", "队内角色", "担任职务")),
    Field("status", "状态", aliases=("在队状态", "队员状态")),
    Field("skills", "专长", aliases=("技能", "特长", "专业技能")),
    Field("joined_on", "入队日期", aliases=("加入日期", "入队时间")),
    Field("trained_on", "培训日期", aliases=("培训时间",)),
    Field("weekly_cap", "每周班次上限", aliases=("每周最多班次",)),
    Field("community", "所属社区", aliases=("社区",)),
)
_LABEL = {f.key: f.label for f in FIELDS}
# "东区巡防队（队长）": a team with the person's role in it, as the hours ledger prints it
_TEAM_ROLE = re.compile(r"^(.*?)\s*[（(](" + "|".join(TEAM_ROLES.values()) + r")[）)]$")
_ROLE_OF = {label: code for code, label in TEAM_ROLES.items()}
STATUS_NOTE = "导入时的状态"


@dataclass(frozen=True)
class Draft:
    values: VolunteerValues
    teams: tuple[tuple[str, str], ...]  # (team name, role code), the home team first
    status: str
    community: str  # for a team made by this import
    given: frozenset[str]


def _teams(text: str, role: str | None, problems: list[str]) -> tuple[tuple[str, str], ...]:
    teams: dict[str, str] = {}
    for part in split_list(text):
        found = _TEAM_ROLE.match(part)
        name, code = (found.group(1), _ROLE_OF[found.group(2)]) if found else (part, role or "member")
        for message in team_problems(TeamValues(name=name)).values():
            problems.append(f"义警队“{name}”：{message}")
        teams.setdefault(name, code)
    return tuple(teams.items())


def convert(values: dict[str, object], *, sheet: str, epoch_1904: bool) -> tuple[Draft | None, list[str]]:
    read = Reader(values, _LABEL)
    problems = read.problems
    today = date.today()
    name = plain(values.get("name"))
    id_number = read("id_number", cells.id_number) or ""
    phone = read("phone", cells.phone) or ""
    role = read("role", cells.choice, labels=TEAM_ROLES)
    status = read("status", cells.choice, labels=VOLUNTEER_STATUSES) or "active"
    joined = read("joined_on", cells.day, epoch_1904=epoch_1904)
    trained = read("trained_on", cells.day, epoch_1904=epoch_1904)
    cap = read("weekly_cap", cells.integer)
    skills = tuple(split_list(cells.text(values.get("skills"))))
    teams = _teams(plain(values.get("teams")), role, problems)
    if not teams:
        problems.append("请填写所属义警队")
    volunteer = VolunteerValues(name=name, id_number=id_number, phone=phone, skills=skills, trained_on=trained,
                                weekly_cap=2 if cap is None else cap, joined_on=joined)
    # a cell's own reason (digits lost …) is already said, better than the form's for the empty value
    problems += [message for field, message in volunteer_problems(volunteer, today=today).items()
                 if field not in read.failed]
    problems += status_problems(status=status, since=today, today=today).values()
    for _team, code in teams:
        problems += membership_problems(role=code, joined_on=joined, today=today).values()
    if message := community_problem(cells.text(values.get("community")) or ""):
        problems.append(message)
    if problems:
        return None, list(dict.fromkeys(problems))
    given = filled(values)
    return Draft(values=volunteer, teams=teams, status=status, community=cells.text(values.get("community")) or "",
                 given=given), []


def file_key(draft: Draft):
    """One person, one row: the 身份证号."""
    return draft.values.id_number


def match(conn, drafts: Sequence[Draft]) -> dict[int, tuple[str, str]]:
    """The living volunteer with the same 身份证号."""
    v, t = Volunteer.__table__.c, VolunteerTeam.__table__.c
    stored: dict[str, tuple[str, str]] = {}
    for numbers in chunks({d.values.id_number for d in drafts}):
        for row in conn.execute(select(v.id, v.name, v.id_number, t.name.label("team"))
                                .outerjoin(VolunteerTeam.__table__, t.id == v.team_id)
                                .where(v.id_number.in_(numbers), v.deleted.is_(False)).order_by(v.created_at)):
            stored.setdefault(row.id_number, (row.id, f"{row.name}（{row.team or '未分队'}）"))
    return {index: stored[d.values.id_number] for index, d in enumerate(drafts) if d.values.id_number in stored}


class _Teams:
    """Living teams by name (the oldest of a name), made once with the team form's defaults."""

    def __init__(self, writer, planned: Sequence[Planned]) -> None:
        self.writer, self.places = writer, _Places(writer)
        t = VolunteerTeam.__table__.c
        self.ids: dict[str, str] = {}
        for row in writer.conn.execute(select(t.id, t.name).where(t.deleted.is_(False)).order_by(t.created_at)):
            self.ids.setdefault(row.name, row.id)
        self.made: set[str] = set()
        # A team made here prints its 队长 (the file's last one, as set_role leaves it) from the start.
        self.captains = {name: item.draft.values for item in planned
                         for name, role in item.draft.teams if role == "captain"}
        # Its community: the home team's rows first (所属社区 is the home team's), else any row naming it.
        home: dict[str, str] = {}
        anywhere: dict[str, str] = {}
        for item in planned:
            if community := item.draft.community:
                for position, (name, _role) in enumerate(item.draft.teams):
                    anywhere.setdefault(name, community)
                    if position == 0:
                        home.setdefault(name, community)
        self.communities = anywhere | home

    def get(self, name: str) -> str:
        if name not in self.ids:
            made, captain = TeamValues(name=name), self.captains.get(name)
            community = self.communities.get(name)
            self.ids[name] = self.writer.add(VolunteerTeam, {
                "name": made.name, "kind": made.kind, "group_size": made.group_size, "group_leader": made.group_leader,
                "community_id": self.places.community(community) if community else None, "contact": None,
                "notes": None, "leader": captain.name if captain else None,
                "leader_phone": (captain.phone or None) if captain else None})
            self.made.add(self.ids[name])
        return self.ids[name]


def write(writer, planned: Sequence[Planned]) -> None:
    """Each person as the volunteer form saves him (home team, 入队 history, derived memberships),
    his other teams joined, his status set as the file says."""
    if both := next((item for item in planned if item.action == "both"), None):
        raise UserError(f"{both.draft.values.name}的身份证号已登记为义警：一个人只登记一次，请选择更新或跳过")
    teams = _Teams(writer, planned)
    residents = residents_by_id_number(writer.conn, [item.draft.values.id_number for item in planned])
    memberships = _Memberships(writer, [item.match_id for item in planned if item.action == "update"], teams.made)
    today = date.today()
    for item in planned:
        draft, v = item.draft, item.draft.values
        team_ids = [(teams.get(name), role) for name, role in draft.teams]
        if item.action == "update" and item.match_id:
            volunteer_id = item.match_id
            writer.update(Volunteer, volunteer_id, _columns(draft, residents, changed_only=True))
            if "status" in draft.given:
                _status(writer, volunteer_id, draft.status, today)
        else:
            volunteer_id = writer.add(Volunteer, {**_columns(draft, residents, changed_only=False),
                                                  "team_id": team_ids[0][0], "availability": "",
                                                  "status": draft.status, "active": draft.status == "active"})
            writer.add(VolunteerStatus, {"volunteer_id": volunteer_id, "status": "active",
                                         "since": v.joined_on or today, "reason": "入队"})
            if draft.status != "active":  # kept in the history as set_status keeps a change
                writer.add(VolunteerStatus, {"volunteer_id": volunteer_id, "status": draft.status, "since": today,
                                             "reason": STATUS_NOTE})
        for team_id, role in team_ids:
            memberships.put(volunteer_id, team_id, role, v, today)


def _columns(draft: Draft, residents: dict[str, str], *, changed_only: bool) -> dict:
    """The volunteer's columns as the form's save fills them (gender and birth date from the ID)."""
    v = draft.values
    columns = {"name": v.name, "id_number": v.id_number, "phone": v.phone or None,
               "gender": id_gender(v.id_number), "birth_date": id_birth_date(v.id_number),
               "skills": ",".join(dict.fromkeys(v.skills)), "trained_on": v.trained_on, "weekly_cap": v.weekly_cap,
               "joined_on": v.joined_on, "resident_id": residents.get(v.id_number)}
    if not changed_only:
        return columns
    given = {"name": "name", "phone": "phone", "skills": "skills", "trained_on": "trained_on",
             "weekly_cap": "weekly_cap", "joined_on": "joined_on"}
    return {column: columns[column] for key, column in given.items() if key in draft.given}


def _status(writer, volunteer_id: str, status: str, today: date) -> None:
    """在队/暂停/退出 as the file says; a change is kept in the history, as ``set_status`` keeps it."""
    v = Volunteer.__table__.c
    current = writer.conn.execute(select(v.status).where(v.id == volunteer_id)).scalar()
    if current == status:
        return
    writer.update(Volunteer, volunteer_id, {"status": status, "active": status == "active"})
    writer.add(VolunteerStatus, {"volunteer_id": volunteer_id, "status": status, "since": today,
                                 "reason": STATUS_NOTE})


class _Memberships:
    """The derived membership rows (one person in one team): made, brought back, or their role changed;
    a 队长 is his team's only one (as ``set_role`` keeps it)."""

    def __init__(self, writer, volunteer_ids: list[str], new_teams: set[str]) -> None:
        self.writer, self.new_teams = writer, new_teams
        m = VolunteerMembership.__table__.c
        self.rows: dict[str, tuple[bool, str]] = {}  # id -> (deleted, role), stored or made here
        for group in chunks(set(volunteer_ids)):
            for row in writer.conn.execute(select(m.id, m.deleted, m.role).where(m.volunteer_id.in_(group))):
                self.rows[row.id] = (row.deleted, row.role)
        self.captains: dict[str, str] = {}  # team id -> membership id of the captain this import named

    def put(self, volunteer_id: str, team_id: str, role: str, v: VolunteerValues, today: date) -> None:
        row_id = membership_id(volunteer_id, team_id)
        stored = self.rows.get(row_id)
        if stored is None:
            self.writer.add(VolunteerMembership, {"id": row_id, "volunteer_id": volunteer_id, "team_id": team_id,
                                                  "role": role, "joined_on": v.joined_on or today})
        elif stored[0] or stored[1] != role:
            self.writer.update(VolunteerMembership, row_id, {"deleted": False, "role": role})
        self.rows[row_id] = (False, role)
        if role == "captain":
            self._one_captain(team_id, row_id, v)

    def _one_captain(self, team_id: str, row_id: str, v: VolunteerValues) -> None:
        m = VolunteerMembership.__table__.c
        others = {row.id for row in self.writer.conn.execute(select(m.id).where(
            m.team_id == team_id, m.role == "captain", m.deleted.is_(False)))}
        if team_id in self.captains:
            others.add(self.captains[team_id])
        for other in others - {row_id}:
            self.writer.update(VolunteerMembership, other, {"role": "member"})
            self.rows[other] = (False, "member")
        self.captains[team_id] = row_id
        if team_id not in self.new_teams:  # a team made here has its captain already
            self.writer.update(VolunteerTeam, team_id, {"leader": v.name, "leader_phone": v.phone or None})

"""Volunteers (义警): one record per person across teams, checked ID, skills, availability, leave, status."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import select

from app.core.errors import UserError
from app.core.privacy import mask_id_number, mask_phone
from app.core.records import refuse_first
from app.core.timeutil import age_on
from app.core.validation import (
    check_id_number,
    check_phone,
    id_birth_date,
    id_gender,
    normalize_id_number,
    normalize_phone,
)
from app.core.vocab import TEAM_ROLES, VOLUNTEER_SKILLS, VOLUNTEER_STATUSES
from app.patrol.common import TOKEN, format_tokens, parse_tokens
from app.patrol.teams import add_membership
from db.engine import Database
from db.models import Resident, Volunteer, VolunteerLeave, VolunteerStatus, VolunteerTeam

V, R, L = Volunteer.__table__.c, Resident.__table__.c, VolunteerLeave.__table__.c
AGES = (18, 65)  # outside: a warning, not a refusal
MAX_LEAVE_DAYS = 366


@dataclass(frozen=True)
class VolunteerValues:
    name: str
    id_number: str
    phone: str = ""
    skills: tuple[str, ...] = ()  # app.core.vocab.VOLUNTEER_SKILLS
    trained_on: date | None = None
    weekly_cap: int = 2
    availability: frozenset[str] = frozenset()  # "1e": Monday evening (app.core.vocab.TIME_BANDS)
    joined_on: date | None = None
    resident_id: str | None = None  # found by the ID number when not given


@dataclass(frozen=True)
class StatusChange:
    status: str
    since: date
    reason: str


def volunteer_problems(values: VolunteerValues, *, today: date | None = None) -> dict[str, str]:
    """Field -> what is wrong with it; empty when the volunteer can be saved."""
    today = today or date.today()
    problems = {}
    if not values.name.strip():
        problems["name"] = "请填写姓名"
    elif len(values.name.strip()) > 32:
        problems["name"] = "姓名最多32个字"
    if not values.id_number.strip():
        problems["id_number"] = "请填写身份证号"
    elif message := check_id_number(values.id_number, today=today):
        problems["id_number"] = message
    if values.phone.strip() and (message := check_phone(values.phone)):
        problems["phone"] = message
    if unknown := [s for s in values.skills if s not in VOLUNTEER_SKILLS]:
        problems["skills"] = f"没有这项专长：{'、'.join(unknown)}"
    if values.trained_on is not None and values.trained_on > today:
        problems["trained_on"] = "培训日期不能晚于今天"
    if isinstance(values.weekly_cap, bool) or not isinstance(values.weekly_cap, int) or \
            not 1 <= values.weekly_cap <= 7:
        problems["weekly_cap"] = "每周班次上限应在1到7之间"
    if bad := sorted(t for t in values.availability if not TOKEN.fullmatch(t)):
        problems["availability"] = f"可排时段格式不对：{'、'.join(bad)}"
    if values.joined_on is not None and values.joined_on > today:
        problems["joined_on"] = "入队日期不能晚于今天"
    return problems


def volunteer_warnings(values: VolunteerValues, *, today: date | None = None) -> list[str]:
    """What the form points out without refusing: an age outside 18-65 by the ID number."""
    today = today or date.today()
    if check_id_number(values.id_number, today=today):
        return []
    age = age_on(id_birth_date(normalize_id_number(values.id_number)), today)
    if age is not None and not AGES[0] <= age <= AGES[1]:
        return [f"按身份证号年龄为 {age} 岁，不在 {AGES[0]}-{AGES[1]} 岁之间，请确认能否参加巡逻"]
    return []


def find_volunteer(db: Database, *, id_number: str, exclude_id: str | None = None) -> tuple[str, str] | None:
    """(id, name) of the living volunteer with this ID number (other than ``exclude_id``)."""
    value = normalize_id_number(id_number)
    with db.connect() as conn:
        row = conn.execute(select(V.id, V.name).where(V.id_number == value, V.deleted.is_(False),
                                                       V.id != (exclude_id or ""))).first()
    return None if row is None else (row.id, row.name)


def add_volunteer(db: Database, *, team_id: str, values: VolunteerValues, officer_id: str | None = None,
                  today: date | None = None) -> str:
    """Register a person as a volunteer of ``team_id`` (his home team); returns the id. A person already
    registered is refused with his name: add him to this team instead (one person, one record)."""
    today = today or date.today()
    values = _clean(values)
    refuse_first(volunteer_problems(values, today=today))
    if other := find_volunteer(db, id_number=values.id_number):
        raise UserError(f"身份证号已登记为义警：{other[1]}，请把他加入本队，不要重复登记")
    with db.session(officer_id=officer_id) as session:
        team = session.get(VolunteerTeam, team_id)
        if team is None or team.deleted:
            raise UserError("该义警队不存在或已删除")
        row = Volunteer(team_id=team_id, name=values.name)
        _fill(session, row, values)
        row.status, row.active = "active", True
        session.add(row)
        session.add(VolunteerStatus(volunteer_id=row.id, status="active", since=values.joined_on or today,
                                    reason="入队"))
        session.flush()
        add_membership(session, db, row, team_id, role="member", joined_on=values.joined_on or today,
                       officer_id=officer_id)
        session.commit()
        return row.id


def update_volunteer(db: Database, *, volunteer_id: str, values: VolunteerValues, officer_id: str | None = None,
                     today: date | None = None) -> None:
    today = today or date.today()
    values = _clean(values)
    refuse_first(volunteer_problems(values, today=today))
    if other := find_volunteer(db, id_number=values.id_number, exclude_id=volunteer_id):
        raise UserError(f"身份证号已登记为义警：{other[1]}，一个人只登记一次")
    with db.session(officer_id=officer_id) as session:
        row = _living(session, volunteer_id)
        _fill(session, row, values)
        session.commit()


def status_problems(*, status: str, since: date | None, reason: str = "", today: date | None = None) -> dict[str, str]:
    today = today or date.today()
    if status not in VOLUNTEER_STATUSES:
        return {"status": f"没有这个状态：{status}"}
    if since is None:
        return {"since": "请填写状态变更日期"}
    if since > today:
        return {"since": "状态变更日期不能晚于今天"}
    if len(reason.strip()) > 100:
        return {"reason": "原因最多100个字"}
    return {}


def membership_problems(*, role: str, joined_on: date | None, today: date | None = None) -> dict[str, str]:
    if role not in TEAM_ROLES:
        return {"role": f"没有这个队内职务：{role}"}
    if joined_on is not None and joined_on > (today or date.today()):
        return {"joined_on": "入队日期不能晚于今天"}
    return {}


def set_status(db: Database, *, volunteer_id: str, status: str, since: date, reason: str = "",
               officer_id: str | None = None, today: date | None = None) -> None:
    """在队 / 暂停 / 退出, from ``since``; every change is kept in the history."""
    refuse_first(status_problems(status=status, since=since, reason=reason, today=today))
    with db.session(officer_id=officer_id) as session:
        row = _living(session, volunteer_id)
        if row.status == status:
            raise UserError(f"{row.name}已是“{VOLUNTEER_STATUSES[status]}”")
        row.status, row.active = status, status == "active"
        session.add(VolunteerStatus(volunteer_id=volunteer_id, status=status, since=since,
                                    reason=reason.strip() or None))
        session.commit()


def status_history(db: Database, *, volunteer_id: str) -> list[StatusChange]:
    H = VolunteerStatus.__table__.c
    with db.connect() as conn:
        rows = conn.execute(select(H.status, H.since, H.reason).where(H.volunteer_id == volunteer_id,
                                                                     H.deleted.is_(False))
                            .order_by(H.since, H.created_at, H.id)).all()
    return [StatusChange(r.status, r.since, r.reason or "") for r in rows]


def leave_problems(*, starts_on: date | None, ends_on: date | None, reason: str = "") -> dict[str, str]:
    if starts_on is None:
        return {"starts_on": "请填写请假开始日期"}
    if ends_on is None:
        return {"ends_on": "请填写请假结束日期"}
    if ends_on < starts_on:
        return {"ends_on": "请假结束日期不能早于开始日期"}
    if (ends_on - starts_on).days >= MAX_LEAVE_DAYS:
        return {"ends_on": "一次请假最长一年"}
    if len(reason.strip()) > 64:
        return {"reason": "请假原因最多64个字"}
    return {}


def add_leave(db: Database, *, volunteer_id: str, starts_on: date, ends_on: date, reason: str = "",
              officer_id: str | None = None) -> str:
    """A leave (请假) from ``starts_on`` to ``ends_on``; a new roster leaves him out on those days."""
    refuse_first(leave_problems(starts_on=starts_on, ends_on=ends_on, reason=reason))
    with db.session(officer_id=officer_id) as session:
        _living(session, volunteer_id)
        row = VolunteerLeave(volunteer_id=volunteer_id, starts_on=starts_on, ends_on=ends_on,
                             reason=reason.strip() or None)
        session.add(row)
        session.commit()
        return row.id


def cancel_leave(db: Database, *, leave_id: str, officer_id: str | None = None) -> None:
    with db.session(officer_id=officer_id) as session:
        row = session.get(VolunteerLeave, leave_id)
        if row is None or row.deleted:
            raise UserError("该请假记录不存在或已取消")
        row.deleted = True
        session.commit()


def volunteer_values(db: Database, *, volunteer_id: str) -> VolunteerValues | None:
    """A living volunteer's values, for the form; None when unknown or deleted."""
    with db.connect() as conn:
        r = conn.execute(select(Volunteer.__table__).where(V.id == volunteer_id, V.deleted.is_(False))).first()
    if r is None:
        return None
    return VolunteerValues(name=r.name, id_number=r.id_number or "", phone=r.phone or "",
                           skills=tuple(s for s in r.skills.split(",") if s), trained_on=r.trained_on,
                           weekly_cap=r.weekly_cap, availability=parse_tokens(r.availability), joined_on=r.joined_on,
                           resident_id=r.resident_id)


def masked_numbers(values: VolunteerValues) -> tuple[str, str]:
    """(ID number, phone) as lists show them."""
    return mask_id_number(values.id_number), mask_phone(values.phone)


def _clean(values: VolunteerValues) -> VolunteerValues:
    return replace(values, name=values.name.strip(), id_number=normalize_id_number(values.id_number),
                   phone=normalize_phone(values.phone), skills=tuple(dict.fromkeys(values.skills)))


def _fill(session, row: Volunteer, values: VolunteerValues) -> None:
    """Copy the form's values into ``row``: gender and birth date from the ID, the resident by the ID."""
    resident_id = values.resident_id
    if resident_id is not None:
        resident = session.get(Resident, resident_id)
        if resident is None or resident.deleted:
            raise UserError("所关联的人员不存在或已删除")
    else:
        resident_id = session.execute(select(R.id).where(R.id_number == values.id_number, R.deleted.is_(False))
                                      .order_by(R.updated_at.desc()).limit(1)).scalar()
    row.name, row.id_number, row.phone = values.name, values.id_number, values.phone or None
    row.gender, row.birth_date = id_gender(values.id_number), id_birth_date(values.id_number)
    row.skills, row.trained_on, row.weekly_cap = ",".join(values.skills), values.trained_on, values.weekly_cap
    row.availability, row.joined_on, row.resident_id = format_tokens(values.availability), values.joined_on, resident_id


def _living(session, volunteer_id: str) -> Volunteer:
    row = session.get(Volunteer, volunteer_id)
    if row is None or row.deleted:
        raise UserError("该义警不存在或已删除")
    return row

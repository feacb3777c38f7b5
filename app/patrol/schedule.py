"""Shift templates, shifts made from them for a period (one id per template and day), one-off shifts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta

from sqlalchemy import func, select

from app.core.errors import UserError
from app.core.records import refuse_first
from app.core.vocab import VOLUNTEER_SKILLS
from app.patrol.common import MAX_SHIFT, audit, derived_id, insert_rows, span
from app.patrol.routes import route_team_ids
from db.engine import Database
from db.models import PatrolRoute, Shift, ShiftAssignment, ShiftTemplate, VolunteerTeam

MAX_DAYS = 366  # shifts made at once
ST, S, A = ShiftTemplate.__table__.c, Shift.__table__.c, ShiftAssignment.__table__.c


@dataclass(frozen=True)
class TemplateValues:
    route_id: str
    team_id: str
    weekdays: tuple[int, ...]  # ISO: 1 Monday … 7 Sunday
    starts_at: time
    ends_at: time  # not after the start: the next day
    valid_from: date
    headcount: int = 3
    needs_leader: bool = True
    skill: str | None = None
    valid_to: date | None = None
    notes: str = ""


@dataclass(frozen=True)
class ShiftValues:
    route_id: str
    team_id: str
    day: date
    starts_at: time
    ends_at: time
    needed: int = 3
    needs_leader: bool = False
    skill: str | None = None
    notes: str = ""


@dataclass(frozen=True)
class MadeShifts:
    made: int  # new shifts
    existing: int  # already there (made before, here or on another laptop), or cancelled by hand


def _hours_problems(starts_at: time | None, ends_at: time | None) -> dict[str, str]:
    if starts_at is None or ends_at is None:
        return {"starts_at": "请填写开始和结束时间"}
    if starts_at == ends_at:
        return {"ends_at": "结束时间不能与开始时间相同"}
    start, end = span(date(2026, 1, 1), starts_at, ends_at)
    if end - start > MAX_SHIFT:
        return {"ends_at": "一个班次最长16小时"}
    return {}


def _common_problems(headcount: int, skill: str | None, notes: str) -> dict[str, str]:
    problems = {}
    if isinstance(headcount, bool) or not isinstance(headcount, int) or not 1 <= headcount <= 50:
        problems["headcount"] = "人数应在1到50之间"
    if skill is not None and skill not in VOLUNTEER_SKILLS:
        problems["skill"] = f"没有这项专长：{skill}"
    if len(notes) > 500:
        problems["notes"] = "备注最多500个字"
    return problems


def template_problems(values: TemplateValues) -> dict[str, str]:
    """Field -> what is wrong with it; empty when the template can be saved."""
    problems = {}
    if not values.weekdays:
        problems["weekdays"] = "请至少选择一天"
    elif any(isinstance(d, bool) or not isinstance(d, int) or not 1 <= d <= 7 for d in values.weekdays) \
            or len(set(values.weekdays)) != len(values.weekdays):
        problems["weekdays"] = "星期应为1（周一）到7（周日），不能重复"
    problems |= _hours_problems(values.starts_at, values.ends_at)
    problems |= {k: v for k, v in _common_problems(values.headcount, values.skill, values.notes).items()}
    if values.valid_from is None:
        problems["valid_from"] = "请填写生效日期"
    elif values.valid_to is not None and values.valid_to < values.valid_from:
        problems["valid_to"] = "失效日期不能早于生效日期"
    return problems


def shift_problems(values: ShiftValues) -> dict[str, str]:
    problems = {} if values.day is not None else {"day": "请填写日期"}
    problems |= _hours_problems(values.starts_at, values.ends_at)
    problems |= {("needed" if k == "headcount" else k): v
                 for k, v in _common_problems(values.needed, values.skill, values.notes).items()}
    return problems


def save_template(db: Database, *, values: TemplateValues, template_id: str | None = None,
                  officer_id: str | None = None) -> str:
    """Create (no ``template_id``) or update a template; shifts already made keep their hours."""
    refuse_first(template_problems(values))
    with db.session(officer_id=officer_id) as session:
        team = _team_for_route(session, values.route_id, values.team_id)
        if values.headcount < team.group_size:
            raise UserError(f"{team.name}的巡逻小组至少{team.group_size}人，人数不能少于{team.group_size}")
        if team.group_leader and not values.needs_leader:
            raise UserError(f"{team.name}每个巡逻小组设小组长：班次需要小组长")
        if template_id is None:
            row = ShiftTemplate(route_id=values.route_id, team_id=values.team_id, weekdays="1",
                                starts_at=values.starts_at, ends_at=values.ends_at, valid_from=values.valid_from)
            session.add(row)
        else:
            row = session.get(ShiftTemplate, template_id)
            if row is None or row.deleted:
                raise UserError("该班次模板不存在或已删除")
        row.route_id, row.team_id = values.route_id, values.team_id
        row.weekdays = ",".join(str(d) for d in sorted(values.weekdays))
        row.starts_at, row.ends_at, row.headcount = values.starts_at, values.ends_at, values.headcount
        row.needs_leader, row.skill = values.needs_leader, values.skill
        row.valid_from, row.valid_to, row.notes = values.valid_from, values.valid_to, values.notes.strip() or None
        session.commit()
        return row.id


def delete_template(db: Database, *, template_id: str, officer_id: str | None = None) -> None:
    """No more shifts are made from it; those made stay."""
    with db.session(officer_id=officer_id) as session:
        row = session.get(ShiftTemplate, template_id)
        if row is None or row.deleted:
            raise UserError("该班次模板不存在或已删除")
        row.deleted = True
        session.commit()


def shift_id_for(template_id: str, day: date) -> str:
    """The id of the shift made from a template for a day: the same on every laptop."""
    return derived_id("shift", template_id, day.isoformat())


def make_shifts(db: Database, *, start: date, end: date, team_id: str | None = None,
                template_ids: tuple[str, ...] = (), officer_id: str | None = None) -> MadeShifts:
    """Make the shifts of the living templates (of ``team_id``, or these) for each day from ``start`` to
    ``end``. Making them again makes nothing new; a shift cancelled by hand is not made again."""
    if end < start:
        raise UserError("结束日期不能早于开始日期")
    if (end - start).days >= MAX_DAYS:
        raise UserError("一次最多生成一年的班次")
    query = select(ShiftTemplate.__table__).where(ST.deleted.is_(False), ST.valid_from <= end)
    if team_id is not None:
        query = query.where(ST.team_id == team_id)
    if template_ids:
        query = query.where(ST.id.in_(template_ids))
    with db.session(officer_id=officer_id) as session:
        templates = [t for t in session.execute(query.order_by(ST.id)) if t.valid_to is None or t.valid_to >= start]
        wanted: list[tuple[str, object, date]] = []
        for t in templates:
            weekdays = {int(d) for d in t.weekdays.split(",") if d}
            first, last = max(start, t.valid_from), min(end, t.valid_to or end)
            wanted += [(shift_id_for(t.id, day), t, day) for day in _days(first, last) if day.isoweekday() in weekdays]
        known = set()
        ids = [w[0] for w in wanted]
        for n in range(0, len(ids), 500):
            known |= set(session.execute(select(S.id).where(S.id.in_(ids[n:n + 500]))).scalars())
        new = [(sid, t, day) for sid, t, day in wanted if sid not in known]
        rows = [{"id": sid, "route_id": t.route_id, "team_id": t.team_id, "day": day, "starts_at": t.starts_at,
                 "ends_at": t.ends_at, "needed": t.headcount, "needs_leader": t.needs_leader, "skill": t.skill,
                 "template_id": t.id, "notes": None, "confirmed_at": None, "confirmed_by": None}
                for sid, t, day in new]
        insert_rows(session, db, Shift.__table__, rows, officer_id=officer_id,
                    made_at=[t.created_at for _, t, _ in new])
        if rows:
            audit(session, action="create", table="shift", record_id=None, officer_id=officer_id, rows=len(rows),
                  period=f"{start.isoformat()} 至 {end.isoformat()}")
        session.commit()
    return MadeShifts(made=len(rows), existing=len(wanted) - len(rows))


def add_shift(db: Database, *, values: ShiftValues, officer_id: str | None = None) -> str:
    """A one-off shift (an event, exam days) made by hand; returns its id."""
    refuse_first(shift_problems(values))
    with db.session(officer_id=officer_id) as session:
        _team_for_route(session, values.route_id, values.team_id)
        row = Shift(route_id=values.route_id, team_id=values.team_id, day=values.day, starts_at=values.starts_at,
                    ends_at=values.ends_at, needed=values.needed, needs_leader=values.needs_leader,
                    skill=values.skill, notes=values.notes.strip() or None)
        session.add(row)
        session.commit()
        return row.id


def update_shift(db: Database, *, shift_id: str, needed: int, notes: str = "", officer_id: str | None = None) -> None:
    """Change how many a shift needs (not below the people already on it) and its notes."""
    refuse_first({k: v for k, v in _common_problems(needed, None, notes).items()})
    with db.session(officer_id=officer_id) as session:
        row = living_shift(session, shift_id)
        on = session.execute(select(func.count()).where(A.shift_id == shift_id, A.deleted.is_(False))).scalar()
        if needed < on:
            raise UserError(f"该班次已排{on}人，需要人数不能少于{on}；请先移出多余的人")
        row.needed, row.notes = needed, notes.strip() or None
        session.commit()


def cancel_shift(db: Database, *, shift_id: str, officer_id: str | None = None) -> None:
    """Cancel a shift not yet confirmed (it is not made again from its template)."""
    with db.session(officer_id=officer_id) as session:
        row = living_shift(session, shift_id)
        row.deleted = True
        session.commit()


def living_shift(session, shift_id: str) -> Shift:
    """A shift that can still be changed: living and not confirmed."""
    row = session.get(Shift, shift_id)
    if row is None or row.deleted:
        raise UserError("该班次不存在或已取消")
    if row.confirmed_at is not None:
        raise UserError("该班次已确认，不能再改动；如需改动请先撤销确认")
    return row


def _team_for_route(session, route_id: str, team_id: str) -> VolunteerTeam:
    route = session.get(PatrolRoute, route_id)
    if route is None or route.deleted:
        raise UserError("所选巡逻路线不存在或已删除")
    team = session.get(VolunteerTeam, team_id)
    if team is None or team.deleted:
        raise UserError("所选义警队不存在或已删除")
    if team_id not in route_team_ids(session.connection(), route_id):
        raise UserError(f"{team.name}不负责巡逻{route.name}，请先在路线中加上该队")
    return team


def _days(first: date, last: date):
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)

"""Sign-in (签到) per assignment and the hours it gives, the patrol log (巡逻日志), confirming shifts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, select

from app.core.errors import UserError
from app.core.records import refuse_first
from app.core.vocab import ATTENDANCE, ATTENDANCE_HOW, FINDING_KINDS
from app.patrol.common import MAX_SHIFT, local_to_utc, shift_label, span
from app.patrol.schedule import living_shift
from db.base import utcnow
from db.engine import Database
from db.models import Dispute, Officer, PatrolLog, PatrolRoute, Shift, ShiftAssignment, Volunteer

ATTENDED = ("present", "late", "left_early")  # hours count
A, S, P, V, G = (ShiftAssignment.__table__.c, Shift.__table__.c, PatrolRoute.__table__.c, Volunteer.__table__.c,
                 PatrolLog.__table__.c)


@dataclass(frozen=True)
class SignIn:
    assignment_id: str
    volunteer_id: str
    name: str
    as_leader: bool
    attendance: str
    how: str | None
    started: datetime | None  # local
    ended: datetime | None
    hours: float


@dataclass(frozen=True)
class Finding:
    id: str
    kind: str
    text: str
    volunteer_id: str | None
    dispute_id: str | None
    settled: bool


@dataclass(frozen=True)
class ShiftLine:
    """A shift in a list of shifts to act on (to confirm, overfilled)."""

    shift_id: str
    label: str
    needed: int
    assigned: int
    signed: int  # assignments with attendance recorded


def hours_of(*, attendance: str, started: datetime | None, ended: datetime | None, start: datetime,
             end: datetime) -> float:
    """Hours served: the recorded times, or the shift's own hours for the side not recorded; none unless attended."""
    if attendance not in ATTENDED:
        return 0.0
    first, last = started or start, ended or end
    return round(max(0.0, (last - first).total_seconds() / 3600), 2)


def stored_local(stored: datetime | None) -> datetime | None:
    return None if stored is None else stored.replace(tzinfo=UTC).astimezone().replace(tzinfo=None)


def assignment_problems(*, attendance: str, how: str | None, started: datetime | None,
                        ended: datetime | None) -> dict[str, str]:
    """Field -> what is wrong with an assignment's sign-in taken alone (sync checks rows with it)."""
    if attendance not in ATTENDANCE:
        return {"attendance": f"没有这种签到情况：{attendance}"}
    if attendance == "planned":
        if how is not None:
            return {"recorded_how": "待签到不填记录方式"}
        return {"checked_in_at": "待签到不填签到、签退时间"} if started or ended else {}
    if how not in ATTENDANCE_HOW:
        return {"recorded_how": "请选择记录方式：负责人确认或纸质签到表录入"}
    if attendance not in ATTENDED and (started or ended):
        return {"checked_in_at" if started else "checked_out_at": f"{ATTENDANCE[attendance]}不填签到、签退时间"}
    if started and ended and not timedelta(0) < ended - started <= MAX_SHIFT:
        return {"checked_out_at": "签退时间应晚于签到时间，且不超过16小时"}
    return {}


def sign_in_problems(*, attendance: str, how: str | None, started: datetime | None, ended: datetime | None,
                     start: datetime, end: datetime) -> dict[str, str]:
    """Field -> what is wrong with a sign-in of a shift from ``start`` to ``end`` (local times)."""
    if problems := assignment_problems(attendance=attendance, how=how, started=started, ended=ended):
        return problems
    if attendance == "late" and started and started <= start:
        return {"checked_in_at": f"迟到的签到时间应晚于班次开始时间 {start:%H:%M}"}
    if attendance == "left_early" and ended and ended >= end:
        return {"checked_out_at": f"早退的签退时间应早于班次结束时间 {end:%H:%M}"}
    return {}


def sign_in(db: Database, *, assignment_id: str, attendance: str, how: str | None = None,
            started: time | None = None, ended: time | None = None, officer_id: str | None = None,
            today: date | None = None) -> float:
    """Record how a volunteer served a shift (``attendance`` "planned" clears it); returns his hours.
    Times are on the shift's day (the next day where the shift runs past midnight)."""
    today = today or date.today()
    with db.session(officer_id=officer_id) as session:
        row = session.get(ShiftAssignment, assignment_id)
        if row is None or row.deleted:
            raise UserError("该排班不存在或已移出")
        shift = living_shift(session, row.shift_id)
        if shift.day > today:
            raise UserError("班次还没到，不能签到")
        start, end = span(shift.day, shift.starts_at, shift.ends_at)
        first = _on_shift(started, start) if started else None
        last = _on_shift(ended, first or start) if ended else None
        refuse_first(sign_in_problems(attendance=attendance, how=how, started=first, ended=last, start=start, end=end))
        row.attendance, row.recorded_how = attendance, how
        row.checked_in_at = None if first is None else local_to_utc(first)
        row.checked_out_at = None if last is None else local_to_utc(last)
        row.pinned = row.pinned or attendance != "planned"
        session.commit()
    return hours_of(attendance=attendance, started=first, ended=last, start=start, end=end)


def _on_shift(at: time, after: datetime) -> datetime:
    """``at`` on the day of ``after``, or the next day when that would be more than 12 hours before it."""
    moment = datetime.combine(after.date(), at)
    return moment + timedelta(days=1) if moment < after - timedelta(hours=12) else moment


def sign_ins(db: Database, *, shift_id: str) -> list[SignIn]:
    """The people on a shift with their sign-in, leader first."""
    with db.connect() as conn:
        shift = conn.execute(select(S.day, S.starts_at, S.ends_at).where(S.id == shift_id)).first()
        if shift is None:
            raise UserError("该班次不存在")
        start, end = span(shift.day, shift.starts_at, shift.ends_at)
        rows = conn.execute(select(A.id, A.volunteer_id, V.name, A.as_leader, A.attendance, A.recorded_how,
                                   A.checked_in_at, A.checked_out_at)
                            .join(Volunteer.__table__, V.id == A.volunteer_id)
                            .where(A.shift_id == shift_id, A.deleted.is_(False))
                            .order_by(A.as_leader.desc(), V.name, A.id)).all()
    out = []
    for r in rows:
        first, last = stored_local(r.checked_in_at), stored_local(r.checked_out_at)
        out.append(SignIn(r.id, r.volunteer_id, r.name, bool(r.as_leader), r.attendance, r.recorded_how, first, last,
                          hours_of(attendance=r.attendance, started=first, ended=last, start=start, end=end)))
    return out


def finding_problems(*, kind: str, text: str, settled: bool = False) -> dict[str, str]:
    problems = {}
    if kind not in FINDING_KINDS:
        problems["kind"] = f"没有这类巡逻发现：{kind}"
    if not text.strip():
        problems["text"] = "请填写发现的情况"
    elif len(text.strip()) > 500:
        problems["text"] = "最多500个字"
    if settled and kind != "dispute":
        problems["settled"] = "只有矛盾纠纷才有“协助化解”"
    return problems


def add_finding(db: Database, *, shift_id: str, kind: str, text: str, volunteer_id: str | None = None,
                dispute_id: str | None = None, settled: bool = False, officer_id: str | None = None) -> str:
    """A finding of a patrol (安全隐患, 可疑线索, 矛盾纠纷, 群众求助), by whom if known; returns its id."""
    refuse_first(finding_problems(kind=kind, text=text, settled=settled))
    with db.session(officer_id=officer_id) as session:
        living_shift(session, shift_id)
        if volunteer_id is not None and not session.execute(select(A.id).where(
                A.shift_id == shift_id, A.volunteer_id == volunteer_id, A.deleted.is_(False))).first():
            raise UserError("发现人不在这个班次上")
        _check_dispute(session, dispute_id)
        row = PatrolLog(shift_id=shift_id, kind=kind, text=text.strip(), volunteer_id=volunteer_id,
                        dispute_id=dispute_id, settled=settled)
        session.add(row)
        session.commit()
        return row.id


def link_dispute(db: Database, *, finding_id: str, dispute_id: str, settled: bool = False,
                 officer_id: str | None = None) -> None:
    """The dispute registered from a finding (and whether the volunteers helped settle it)."""
    with db.session(officer_id=officer_id) as session:
        row = session.get(PatrolLog, finding_id)
        if row is None or row.deleted:
            raise UserError("该巡逻发现不存在或已删除")
        if row.kind != "dispute":
            raise UserError("只有矛盾纠纷类的发现才能关联纠纷")
        living_shift(session, row.shift_id)
        _check_dispute(session, dispute_id)
        row.dispute_id, row.settled = dispute_id, settled
        session.commit()


def dispute_draft(db: Database, *, finding_id: str) -> dict:
    """What the dispute registration form is prefilled with from a finding: facts, place, when."""
    with db.connect() as conn:
        r = conn.execute(select(G.text, G.kind, S.day, S.starts_at, P.name, P.waypoints)
                         .join(Shift.__table__, S.id == G.shift_id).join(PatrolRoute.__table__, P.id == S.route_id)
                         .where(G.id == finding_id, G.deleted.is_(False))).first()
    if r is None or r.kind != "dispute":
        raise UserError("该巡逻发现不存在或不是矛盾纠纷")
    return {"facts": r.text, "place": r.name, "occurred_at": local_to_utc(datetime.combine(r.day, r.starts_at))}


def findings(db: Database, *, shift_id: str) -> list[Finding]:
    with db.connect() as conn:
        rows = conn.execute(select(G.id, G.kind, G.text, G.volunteer_id, G.dispute_id, G.settled)
                            .where(G.shift_id == shift_id, G.deleted.is_(False)).order_by(G.created_at, G.id)).all()
    return [Finding(r.id, r.kind, r.text, r.volunteer_id, r.dispute_id, bool(r.settled)) for r in rows]


def confirm_shift(db: Database, *, shift_id: str, officer_id: str, today: date | None = None) -> None:
    """An officer confirms a past shift's sign-ins: its hours and points count from now on."""
    today = today or date.today()
    with db.session(officer_id=officer_id) as session:
        officer = session.get(Officer, officer_id) if officer_id else None
        if officer is None or officer.deleted:
            raise UserError("请先登录：班次由民警确认")
        shift = living_shift(session, shift_id)
        if shift.day > today:
            raise UserError("班次还没到，不能确认")
        waiting = session.execute(select(V.name).join(ShiftAssignment.__table__, A.volunteer_id == V.id).where(
            A.shift_id == shift_id, A.deleted.is_(False), A.attendance == "planned").order_by(V.name)).scalars().all()
        if waiting:
            raise UserError(f"还有 {len(waiting)} 人未签到：{'、'.join(waiting)}")
        shift.confirmed_at, shift.confirmed_by = utcnow(), officer_id
        session.commit()


def unconfirm_shift(db: Database, *, shift_id: str, officer_id: str | None = None) -> None:
    with db.session(officer_id=officer_id) as session:
        shift = session.get(Shift, shift_id)
        if shift is None or shift.deleted or shift.confirmed_at is None:
            raise UserError("该班次没有确认过")
        shift.confirmed_at = shift.confirmed_by = None
        session.commit()


def _lines(conn, query) -> list[ShiftLine]:
    assigned = select(func.count()).where(A.shift_id == S.id, A.deleted.is_(False)).scalar_subquery()
    signed = select(func.count()).where(A.shift_id == S.id, A.deleted.is_(False),
                                        A.attendance != "planned").scalar_subquery()
    rows = conn.execute(query.add_columns(S.id, S.day, S.starts_at, S.ends_at, S.needed, P.name,
                                          assigned.label("assigned"), signed.label("signed"))
                        .join(PatrolRoute.__table__, P.id == S.route_id)
                        .order_by(S.day, S.starts_at, S.id)).all()
    return [ShiftLine(r.id, shift_label(r.day, r.starts_at, r.ends_at, r.name), r.needed, r.assigned, r.signed)
            for r in rows]


def awaiting_confirmation(db: Database, *, before: date, team_id: str | None = None) -> list[ShiftLine]:
    """Past shifts (before ``before``) still planned: to sign in and confirm (the 工作台 lists them)."""
    query = select().select_from(Shift.__table__).where(S.deleted.is_(False), S.day < before,
                                                        S.confirmed_at.is_(None))
    if team_id is not None:
        query = query.where(S.team_id == team_id)
    with db.connect() as conn:
        return _lines(conn, query)


def overfilled_shifts(db: Database, *, start: date, end: date, team_id: str | None = None) -> list[ShiftLine]:
    """Shifts with more people than they need: two laptops each filled the last seat; both are kept
    for an officer to choose (never one dropped silently)."""
    assigned = select(func.count()).where(A.shift_id == S.id, A.deleted.is_(False)).scalar_subquery()
    query = select().select_from(Shift.__table__).where(S.deleted.is_(False), S.day >= start, S.day <= end,
                                                        assigned > S.needed)
    if team_id is not None:
        query = query.where(S.team_id == team_id)
    with db.connect() as conn:
        return _lines(conn, query)


def _check_dispute(session, dispute_id: str | None) -> None:
    if dispute_id is not None:
        dispute = session.get(Dispute, dispute_id)
        if dispute is None or dispute.deleted:
            raise UserError("所关联的纠纷不存在或已删除")

"""Rectifications (限期整改): the list, an item reported put right, and deadlines on the 工作台."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import and_, select

from app.core.errors import UserError
from app.core.records import living, refuse_first
from app.enterprises.common import check_day, check_text
from app.today import SOON_DAYS, AgendaItem, page_days
from db.engine import Database
from db.models import Enterprise, Inspection, InspectionItem, Rectification

R = Rectification.__table__.c


@dataclass(frozen=True)
class RectificationLine:
    id: str
    enterprise_id: str
    enterprise: str
    inspection_id: str | None
    category: str
    problem: str
    deadline: date
    done_on: date | None
    verified: bool
    closed_on: date | None

    def state(self, on: date) -> str:
        if self.closed_on is not None:
            return "整改到位" if self.verified else "逾期未改，已转执法办案"
        if self.done_on is not None:
            return "已报整改，待复查"
        days = (on - self.deadline).days
        return f"逾期{days}天" if days > 0 else ("今日到期" if days == 0 else "整改中")

    @property
    def on_time(self) -> bool:
        return self.done_on is not None and self.done_on <= self.deadline and (self.closed_on is None or self.verified)


def _query():
    e, t = Enterprise.__table__.c, InspectionItem.__table__.c
    return (select(R.id, R.enterprise_id, e.name, R.inspection_id, t.category, R.problem, R.deadline, R.done_on,
                   R.verified, R.closed_on)
            .join(Enterprise.__table__, e.id == R.enterprise_id)
            .outerjoin(InspectionItem.__table__, t.id == R.item_id)
            .where(R.deleted.is_(False)))


def _line(r) -> RectificationLine:
    return RectificationLine(r.id, r.enterprise_id, r.name, r.inspection_id, r.category or "", r.problem,
                             r.deadline, r.done_on, bool(r.verified), r.closed_on)


def rectifications_of(db: Database, *, inspection_id: str | None = None,
                      enterprise_id: str | None = None) -> list[RectificationLine]:
    """An inspection's or an enterprise's rectifications, by deadline."""
    if (inspection_id is None) == (enterprise_id is None):
        raise ValueError("give inspection_id or enterprise_id")
    query = _query().where(R.inspection_id == inspection_id if inspection_id else R.enterprise_id == enterprise_id)
    with db.connect() as conn:
        return [_line(r) for r in conn.execute(query.order_by(R.deadline, R.created_at, R.id))]


def open_rectifications(db: Database, *, overdue_on: date | None = None) -> list[RectificationLine]:
    """Rectifications not put right nor closed by a re-check, of living enterprises, by deadline;
    with ``overdue_on`` only those whose deadline is before that day."""
    e = Enterprise.__table__.c
    query = _query().where(R.done_on.is_(None), R.closed_on.is_(None), e.deleted.is_(False))
    if overdue_on is not None:
        query = query.where(R.deadline < overdue_on)
    with db.connect() as conn:
        return [_line(r) for r in conn.execute(query.order_by(R.deadline, R.id))]


def rectification_problems(*, problem: str, deadline: date | None, done_on: date | None, closed_on: date | None,
                           today: date) -> dict[str, str]:
    """What is wrong with one rectification's own fields (made by ``record_inspection``, moved by the flow)."""
    problems: dict[str, str] = {}
    check_text(problems, "problem", problem, limit=400, required="请写明隐患内容")
    if deadline is None:
        problems["deadline"] = "请确定整改期限"
    check_day(problems, "done_on", done_on, label="整改日期", today=today, required=False)
    check_day(problems, "closed_on", closed_on, label="复查日期", today=today, required=False)
    return problems


def report_done(db: Database, *, rectification_id: str, done_on: date, officer_id: str | None = None,
                today: date | None = None) -> None:
    """The enterprise reported (or the officer saw) the problem put right on ``done_on``; the re-check confirms."""
    problems: dict[str, str] = {}
    check_day(problems, "done_on", done_on, label="整改日期", today=today or date.today())
    refuse_first(problems)
    with db.session(officer_id=officer_id) as session:
        row = living(session, Rectification, rectification_id, "整改事项")
        if row.closed_on is not None:
            raise UserError(f"该整改事项已于{row.closed_on.isoformat()}复查结案，不能再改")
        if row.inspection_id is not None:
            inspected_on = session.get(Inspection, row.inspection_id).inspected_on
            if done_on < inspected_on:
                raise UserError("整改日期不能早于检查日期")
        row.done_on = done_on
        session.commit()


def rectifications_due(db: Database, *, on: date, soon_days: int = SOON_DAYS, since: date | None = None,
                       limit: int | None = None) -> list[AgendaItem]:
    """Open rectifications whose deadline has passed or comes within ``soon_days`` (with ``since`` and
    ``limit``, those a page of the agenda can hold: app.today.page_days)."""
    e = Enterprise.__table__.c
    query = (
        select(R.id, R.problem, R.deadline, e.name)
        .join(Enterprise.__table__, e.id == R.enterprise_id)
        .where(and_(R.deleted.is_(False), e.deleted.is_(False), R.done_on.is_(None), R.closed_on.is_(None),
                    R.deadline <= on + timedelta(days=soon_days)))
        .order_by(R.deadline, R.id)
    )
    with db.connect() as conn:
        rows = conn.execute(page_days(conn, query, R.deadline, since=since, limit=limit))
        return [AgendaItem("整改", f"{name}：{problem}", deadline, rid, "rectification")
                for rid, problem, deadline, name in rows]

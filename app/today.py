"""The 工作台: what is due today and overdue, gathered from every area into one agenda.

Each area keeps its own rule (revisits in app.disputes, coverage in app.households.campaigns); this
module only collects their answers and the simple deadlines that have no area service yet
(rectification deadlines, today's patrol shifts).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import and_, func, select

from db.engine import Database
from db.models import Enterprise, PatrolRoute, Rectification, Shift, ShiftAssignment

SOON_DAYS = 7  # what falls due this soon is on the list as 即将到期 (the setting worklist/soon_days)


@dataclass(frozen=True)
class AgendaItem:
    kind: str  # 回访 / 整改 / 巡逻 …
    what: str
    due: date
    record_id: str
    table: str  # where record_id points
    deadline: bool = True  # False for appointments (a patrol shift): they are not "due"

    def overdue_days(self, on: date) -> int:
        return (on - self.due).days

    def state(self, on: date) -> str:
        days = self.overdue_days(on)
        if not self.deadline:
            return "今日" if days == 0 else self.due.isoformat()
        if days > 0:
            return f"逾期{days}天"
        return "今日到期" if days == 0 else f"{-days}天后到期"


def rectifications_due(db: Database, *, on: date, soon_days: int = SOON_DAYS) -> list[AgendaItem]:
    """Open rectifications whose deadline has passed or comes within ``soon_days``."""
    r, e = Rectification.__table__.c, Enterprise.__table__.c
    query = (
        select(r.id, r.problem, r.deadline, e.name)
        .join(Enterprise.__table__, e.id == r.enterprise_id)
        .where(and_(r.deleted.is_(False), r.done_on.is_(None), r.deadline <= on + timedelta(days=soon_days)))
        .order_by(r.deadline, r.id)
    )
    with db.connect() as conn:
        return [AgendaItem("整改", f"{name}：{problem}", deadline, rid, "rectification")
                for rid, problem, deadline, name in conn.execute(query)]


def shifts_on(db: Database, *, on: date) -> list[AgendaItem]:
    """Today's patrol shifts, with how many volunteers are assigned of how many needed."""
    s, p, a = Shift.__table__.c, PatrolRoute.__table__.c, ShiftAssignment.__table__.c
    assigned = (
        select(func.count()).where(and_(a.shift_id == s.id, a.deleted.is_(False))).scalar_subquery()
    )
    query = (
        select(s.id, s.starts_at, s.ends_at, s.needed, p.name, assigned.label("assigned"))
        .join(PatrolRoute.__table__, p.id == s.route_id)
        .where(and_(s.deleted.is_(False), s.day == on))
        .order_by(s.starts_at, s.id)
    )
    with db.connect() as conn:
        return [
            AgendaItem("巡逻", f"{name} {start:%H:%M}-{end:%H:%M}（已排{got}/需{needed}人）", on, sid, "shift",
                       deadline=False)
            for sid, start, end, needed, name, got in conn.execute(query)
        ]


def revisits_due(db: Database, *, on: date, soon_days: int = SOON_DAYS) -> list[AgendaItem]:
    """Dispute revisits overdue, due today or within ``soon_days`` (the rule lives in app.disputes.revisits)."""
    from app.disputes.revisits import reminders

    found = reminders(db, on=on, coming_days=soon_days)
    return [
        AgendaItem("回访", f"{r.number} {r.kind}纠纷 {r.parties}（{r.officer or '未指定民警'}）", r.due_on,
                   r.dispute_id, "dispute")
        for r in found.overdue + found.due_today + found.coming
    ]


def agenda(db: Database, *, on: date, soon_days: int = SOON_DAYS) -> list[AgendaItem]:
    """Everything with a date for the officer today: overdue first, then due, then what is coming."""
    items = (revisits_due(db, on=on, soon_days=soon_days) + rectifications_due(db, on=on, soon_days=soon_days)
             + shifts_on(db, on=on))
    return sorted(items, key=lambda item: (item.due, item.kind, item.what))

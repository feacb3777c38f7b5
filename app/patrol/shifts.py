"""Patrol shifts on the 工作台: today's shifts and how fully they are staffed."""

from __future__ import annotations

from datetime import date

from sqlalchemy import and_, func, select

from app.today import SOON_DAYS, AgendaItem
from db.engine import Database
from db.models import PatrolRoute, Shift, ShiftAssignment


def shifts_on(db: Database, *, on: date, soon_days: int = SOON_DAYS) -> list[AgendaItem]:
    """Today's patrol shifts, with how many volunteers are assigned of how many needed. A shift is an
    appointment, not a deadline: ``soon_days`` does not bring later ones forward."""
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

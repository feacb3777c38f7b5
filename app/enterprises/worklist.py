"""What 一企一警 puts on the 工作台: rectification deadlines, re-checks to make, unanswered requests."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import exists, select

from app.enterprises.liaison import requests_due
from app.enterprises.rectifications import rectifications_due
from app.today import SOON_DAYS, AgendaItem
from db.engine import Database
from db.models import Enterprise, Recheck, Rectification, RectificationNotice


def rechecks_due(db: Database, *, on: date, soon_days: int = SOON_DAYS, since: date | None = None,
                 limit: int | None = None) -> list[AgendaItem]:
    """Notices whose every item is reported put right but not re-checked yet, due by the notice's deadline
    (a notice with items still open shows through those items' deadlines instead)."""
    n, e = RectificationNotice.__table__.c, Enterprise.__table__.c
    r, k = Rectification.__table__.c, Recheck.__table__.c
    still_open = exists().where(r.inspection_id == n.inspection_id, r.deleted.is_(False), r.done_on.is_(None))
    rechecked = exists().where(k.notice_id == n.id, k.deleted.is_(False))
    query = (select(n.inspection_id, n.number, n.deadline, e.name)
             .join(Enterprise.__table__, e.id == n.enterprise_id)
             # re-checked first: most notices are, and one probe of ix_recheck_notice_living drops them
             .where(n.deleted.is_(False), e.deleted.is_(False), ~rechecked, ~still_open,
                    n.deadline <= on + timedelta(days=soon_days))
             .order_by(n.deadline, n.number))
    # Read whole even for a page (``since``, ``limit``): a few hundred rows at a city, but found by
    # reading every notice (most are re-checked), which page_days would do twice.
    del since, limit
    with db.connect() as conn:
        rows = conn.execute(query)
        return [AgendaItem("复查", f"{name}：整改通知书 {number} 已报整改，待复查", deadline, inspection_id,
                           "inspection") for inspection_id, number, deadline, name in rows]


def enterprise_worklist(db: Database, *, on: date, soon_days: int = SOON_DAYS, since: date | None = None,
                        limit: int | None = None) -> list[AgendaItem]:
    """The area's worklist (app/areas.py ``worklist``): all three kinds; with ``since`` and ``limit``, the
    days a page of the agenda can hold (app.today.page_days): a city's open ones run to thousands."""
    page = {"on": on, "soon_days": soon_days, "since": since, "limit": limit}
    return [*rectifications_due(db, **page), *rechecks_due(db, **page), *requests_due(db, **page)]

"""走访台账: one row per visit in a date range, the way a station leader reads it, to .xlsx."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import chain
from pathlib import Path

from sqlalchemy import and_, func, select

from app.audit.log import record_ledger
from app.core.errors import UserError
from app.core.timeutil import day_start
from app.core.vocab import HOUSEHOLD_KINDS
from app.households.service import format_address
from app.output.xlsx import LedgerColumn, write_ledger
from db.engine import Database
from db.models import Campaign, Community, Dispute, Grid, Household, Officer, Resident, Visit, VisitResident

TITLE = "走访台账"
COLUMNS = (
    LedgerColumn("序号", 6),
    LedgerColumn("走访日期", 12),
    LedgerColumn("时间", 7),
    LedgerColumn("社区", 12),
    LedgerColumn("网格", 16),
    LedgerColumn("住址", 28),
    LedgerColumn("户主", 9),
    LedgerColumn("住户类型", 9),
    LedgerColumn("标签", 16),
    LedgerColumn("走访民警", 9),
    LedgerColumn("同行人员", 18),
    LedgerColumn("走访事由", 22),
    LedgerColumn("见面人员", 16),
    LedgerColumn("发现情况", 36),
    LedgerColumn("社情民意", 24),
    LedgerColumn("安全隐患", 24),
    LedgerColumn("需跟进事项", 24),
    LedgerColumn("矛盾纠纷编号", 15),
    LedgerColumn("走访计划", 16),
)
MAX_DAYS = 366 * 5  # a longer range is a typo, not a ledger anyone reads


def visit_ledger_rows(db: Database, *, start: date, end: date):
    """Yield the ledger's rows (visits from ``start`` to ``end`` inclusive, oldest first)."""
    if end < start:
        raise UserError("结束日期不能早于开始日期")
    if (end - start).days > MAX_DAYS:
        raise UserError("日期范围太长：台账最多导出五年")
    v, h, vr, r = Visit.__table__.c, Household.__table__.c, VisitResident.__table__.c, Resident.__table__.c
    community, grid, officer = Community.__table__.c, Grid.__table__.c, Officer.__table__.c
    campaign, dispute = Campaign.__table__.c, Dispute.__table__.c
    met = (select(func.group_concat(r.name, "、")).join(VisitResident.__table__, vr.resident_id == r.id)
           .where(vr.visit_id == v.id, vr.met.is_(True), vr.deleted.is_(False)).scalar_subquery())
    # One pass over the disputes, joined: the dispute table has no index on visit_id.
    numbers = (select(dispute.visit_id, func.min(dispute.number).label("number"))
               .where(dispute.visit_id.is_not(None), dispute.deleted.is_(False))
               .group_by(dispute.visit_id).subquery())
    query = (
        select(v.visited_at, v.companions, v.purposes, v.findings, v.requests, v.hazards, v.follow_up,
               h.estate, h.building, h.unit, h.room, h.head_name, h.kind, h.tags,
               community.name.label("community"), grid.name.label("grid"), officer.name.label("officer"),
               campaign.name.label("campaign"), met.label("met"), numbers.c.number)
        .join(Household.__table__, h.id == v.household_id)
        .outerjoin(Community.__table__, community.id == h.community_id)
        .outerjoin(Grid.__table__, grid.id == h.grid_id)
        .outerjoin(Officer.__table__, officer.id == v.officer_id)
        .outerjoin(Campaign.__table__, campaign.id == v.campaign_id)
        .outerjoin(numbers, numbers.c.visit_id == v.id)
        .where(and_(v.deleted.is_(False), v.visited_at >= day_start(start),
                    v.visited_at < day_start(end + timedelta(days=1))))
        .order_by(v.visited_at, v.id)
    )
    with db.connect() as conn:
        for n, row in enumerate(conn.execute(query), 1):
            when = row.visited_at.astimezone()
            yield [n, when.date().isoformat(), when.strftime("%H:%M"), row.community or "", row.grid or "",
                   format_address(row.estate, row.building, row.unit, row.room), row.head_name or "",
                   HOUSEHOLD_KINDS.get(row.kind, row.kind), row.tags.replace(",", "、"), row.officer or "",
                   row.companions, row.purposes.replace(",", "、"), row.met or "", row.findings or "",
                   row.requests or "", row.hazards or "", row.follow_up or "", row.number or "",
                   row.campaign or ""]


def write_visits_ledger(db: Database, *, start: date, end: date, path: Path) -> int:
    """Write the 走访台账 of ``start``..``end`` to ``path`` and log it; returns the number of visits."""
    rows = visit_ledger_rows(db, start=start, end=end)
    first = next(rows, None)  # runs the checks of the range before any file is made
    count = write_ledger(path, title=f"{TITLE}（{start.isoformat()}至{end.isoformat()}）", columns=COLUMNS,
                         rows=chain([first] if first else [], rows))
    record_ledger(db, ledger=TITLE, start=start, end=end, path=Path(path).absolute(), rows=count)
    return count

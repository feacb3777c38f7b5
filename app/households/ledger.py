"""走访台账: one row per visit in a date range, the way a station leader reads it, to .xlsx.

The address is printed whole (住址) for the reader and again in its parts (小区/楼栋/单元/房号, the
last columns), so the ledger imports back (app/imports/kinds/visits.py) even where a joined address
cannot be split with certainty (幸福巷12号, a house without 楼栋).
"""

from __future__ import annotations

from datetime import date
from itertools import chain
from pathlib import Path

from sqlalchemy import and_, func, select

from app.core.errors import UserError
from app.core.text import format_address
from app.core.timeutil import day_range
from app.core.vocab import HOUSEHOLD_KINDS
from app.output.xlsx import LedgerColumn, save_ledger
from db.engine import Database
from db.models import Campaign, Community, Dispute, Grid, Household, Officer, Resident, Visit, VisitResident

TITLE = "走访台账"
COLUMNS = tuple(LedgerColumn(header, width) for header, width in (
    ("序号", 6), ("走访日期", 12), ("时间", 7), ("社区", 12), ("网格", 16), ("住址", 28), ("户主", 9),
    ("住户类型", 9), ("标签", 16), ("走访民警", 9), ("同行人员", 18), ("走访事由", 22), ("见面人员", 16),
    ("发现情况", 36), ("社情民意", 24), ("安全隐患", 24), ("需跟进事项", 24), ("矛盾纠纷编号", 15), ("走访计划", 16),
    ("小区", 14), ("楼栋", 6), ("单元", 6), ("房号", 7),
))
MAX_DAYS = 366 * 5  # a longer range is a typo, not a ledger anyone reads


def visit_ledger_rows(db: Database, *, start: date, end: date):
    """Yield the ledger's rows (visits from ``start`` to ``end`` inclusive, oldest first)."""
    low, high = day_range(start, end)
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
        .where(and_(v.deleted.is_(False), v.visited_at >= low, v.visited_at < high))
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
                   row.campaign or "", row.estate, row.building or "", row.unit or "", row.room or ""]


def write_ledger(db: Database, *, start: date, end: date, path: Path) -> int:
    """Write the 走访台账 of ``start``..``end`` to ``path`` and log it; returns the number of visits."""
    rows = visit_ledger_rows(db, start=start, end=end)
    first = next(rows, None)  # runs the checks of the range before any file is made
    return save_ledger(db, ledger=TITLE, path=path, columns=COLUMNS, rows=chain([first] if first else [], rows),
                       start=start, end=end, sheet_title=f"{TITLE}（{start.isoformat()}至{end.isoformat()}）")

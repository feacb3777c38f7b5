"""企业基本情况台账: every enterprise on the register with its liaison and inspection work in a period."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import func, select

from app.core.errors import UserError
from app.core.timeutil import day_range
from app.core.vocab import ENTERPRISE_CATEGORIES
from app.output.xlsx import LedgerColumn, save_ledger
from db.engine import Database
from db.models import Community, Enterprise, Inspection, LiaisonVisit, Officer, Rectification

TITLE = "企业基本情况台账"
COLUMNS = tuple(LedgerColumn(header, width) for header, width in (
    ("序号", 6), ("企业名称", 28), ("统一社会信用代码", 21), ("类别", 10), ("行业", 12), ("地址", 30),
    ("所属社区", 12), ("法定代表人", 10), ("联系电话", 14), ("保卫负责人", 10), ("保卫负责人电话", 14),
    ("职工人数", 8), ("保安人数", 8), ("包企民警", 9), ("标签", 16), ("期内联络次数", 10), ("期内检查次数", 10),
    ("最近检查日期", 12), ("未整改隐患", 10), ("备注", 24),
))
MAX_DAYS = 366 * 5


def check_period(start: date, end: date) -> None:
    """The ledgers' one check of a period (the range itself is checked by app.core.timeutil)."""
    day_range(start, end)
    if (end - start).days > MAX_DAYS:
        raise UserError("日期范围太长：台账最多导出五年")


def ledger_rows(db: Database, *, start: date, end: date) -> list[list]:
    check_period(start, end)
    e, c, o = Enterprise.__table__.c, Community.__table__.c, Officer.__table__.c
    v, i, r = LiaisonVisit.__table__.c, Inspection.__table__.c, Rectification.__table__.c
    visits = (select(func.count()).where(v.enterprise_id == e.id, v.deleted.is_(False), v.visited_on >= start,
                                         v.visited_on <= end).scalar_subquery())
    inspections = (select(func.count()).where(i.enterprise_id == e.id, i.deleted.is_(False),
                                              i.inspected_on >= start, i.inspected_on <= end).scalar_subquery())
    last = (select(func.max(i.inspected_on)).where(i.enterprise_id == e.id, i.deleted.is_(False),
                                                   i.inspected_on <= end).scalar_subquery())
    open_ = (select(func.count()).where(r.enterprise_id == e.id, r.deleted.is_(False), r.done_on.is_(None),
                                        r.closed_on.is_(None)).scalar_subquery())
    query = (select(e.name, e.credit_code, e.category, e.industry, e.address, c.name.label("community"),
                    e.legal_rep, e.phone, e.security_head, e.security_phone, e.employees, e.guards,
                    o.name.label("liaison"), e.tags, visits.label("visits"), inspections.label("inspections"),
                    last.label("last"), open_.label("open"), e.notes)
             .outerjoin(Community.__table__, c.id == e.community_id)
             .outerjoin(Officer.__table__, o.id == e.liaison_officer_id)
             .where(e.deleted.is_(False)).order_by(e.name, e.id))
    with db.connect() as conn:
        return [[n, x.name, x.credit_code or "", ENTERPRISE_CATEGORIES.get(x.category, x.category),
                 x.industry or "", x.address or "", x.community or "", x.legal_rep or "", x.phone or "",
                 x.security_head or "", x.security_phone or "", x.employees, x.guards, x.liaison or "",
                 x.tags.replace(",", "、"), x.visits, x.inspections, x.last.isoformat() if x.last else "", x.open,
                 x.notes or ""] for n, x in enumerate(conn.execute(query), 1)]


def write_ledger(db: Database, *, start: date, end: date, path: Path) -> int:
    """Write the 企业基本情况台账 (work counted over ``start``..``end``) to ``path`` and log it."""
    rows = ledger_rows(db, start=start, end=end)
    return save_ledger(db, ledger=TITLE, path=path, columns=COLUMNS, rows=rows, start=start, end=end,
                       sheet_title=f"{TITLE}（{start.isoformat()}至{end.isoformat()}）")

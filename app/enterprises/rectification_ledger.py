"""隐患整改台账: one row per hidden danger found in a period (by the inspection day), to its end.

Each row also carries its inspection's 责令限期整改通知书 and 复查 (下发日期, 签发人, 复查人员, 复查意见,
意见书编号) and the firm's 统一社会信用代码: what the 隐患整改 import needs to bring the flow back
(app.imports.kinds.rectifications)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import func, select

from app.core.vocab import RECHECK_OUTCOMES
from app.enterprises.ledger import check_period
from app.enterprises.rectifications import RectificationLine
from app.output.xlsx import LedgerColumn, save_ledger
from db.engine import Database
from db.models import Enterprise, Inspection, InspectionItem, Recheck, Rectification, RectificationNotice

TITLE = "隐患整改台账"
COLUMNS = tuple(LedgerColumn(header, width) for header, width in (
    ("序号", 6), ("企业名称", 28), ("统一社会信用代码", 20), ("发现日期", 12), ("类别", 9), ("隐患内容", 40),
    ("整改期限", 12), ("整改通知书编号", 16), ("整改日期", 12), ("按期整改", 8), ("复查日期", 12), ("复查结论", 16),
    ("状态", 18), ("下发日期", 12), ("签发人", 10), ("复查人员", 16), ("复查意见", 30), ("意见书编号", 16),
))


def ledger_rows(db: Database, *, start: date, end: date, on: date | None = None) -> list[list]:
    """``on`` (today by default) is the day states such as 逾期 are judged on."""
    check_period(start, end)
    on = on or date.today()
    r, e, i, t = (Rectification.__table__.c, Enterprise.__table__.c, Inspection.__table__.c,
                  InspectionItem.__table__.c)
    n, k = RectificationNotice.__table__.c, Recheck.__table__.c
    found = func.coalesce(i.inspected_on, r.deadline)  # older rows without an inspection: by their deadline
    query = (select(r.id, r.enterprise_id, e.name, e.credit_code, r.inspection_id, t.category, r.problem, r.deadline,
                    r.done_on, r.verified, r.closed_on, found.label("found"), n.number.label("notice"), n.issued_on,
                    n.issuer, k.rechecked_on, k.outcome, k.inspectors.label("rechecked_by"),
                    k.opinion.label("recheck_opinion"), k.number.label("recheck"))
             .join(Enterprise.__table__, e.id == r.enterprise_id)
             .outerjoin(Inspection.__table__, i.id == r.inspection_id)
             .outerjoin(InspectionItem.__table__, t.id == r.item_id)
             .outerjoin(RectificationNotice.__table__, (n.inspection_id == r.inspection_id) & n.deleted.is_(False))
             .outerjoin(Recheck.__table__, (k.inspection_id == r.inspection_id) & k.deleted.is_(False))
             .where(r.deleted.is_(False), found >= start, found <= end)
             .order_by(found, e.name, r.deadline, t.position, r.id))  # items in their record's order
    out = []
    with db.connect() as conn:
        for m, x in enumerate(conn.execute(query), 1):
            line = RectificationLine(x.id, x.enterprise_id, x.name, x.inspection_id, x.category or "", x.problem,
                                     x.deadline, x.done_on, bool(x.verified), x.closed_on)
            due = x.deadline <= on or x.done_on is not None
            out.append([m, x.name, x.credit_code or "", x.found.isoformat(), x.category or "", x.problem,
                        x.deadline.isoformat(), x.notice or "", _day(x.done_on),
                        ("是" if line.on_time else "否") if due else "", _day(x.rechecked_on),
                        RECHECK_OUTCOMES.get(x.outcome, "") if x.outcome else "", line.state(on),
                        _day(x.issued_on), x.issuer or "", x.rechecked_by or "", x.recheck_opinion or "",
                        x.recheck or ""])
    return out


def _day(day: date | None) -> str:
    return day.isoformat() if day else ""


def write_ledger(db: Database, *, start: date, end: date, path: Path) -> int:
    """Write the 隐患整改台账 of ``start``..``end`` to ``path`` and log it; returns the rows written."""
    rows = ledger_rows(db, start=start, end=end)
    return save_ledger(db, ledger=TITLE, path=path, columns=COLUMNS, rows=rows, start=start, end=end,
                       sheet_title=f"{TITLE}（{start.isoformat()}至{end.isoformat()}）")

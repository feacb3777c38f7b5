"""安全检查台账: one row per inspection in a period, with its failed items, notice and re-check.

Besides what an officer reads (counts, failed items, the notice's state), it carries what the
安全检查 import needs to bring the inspection back (app.imports.kinds.inspections): the firm's
统一社会信用代码 and every item in 检查项目明细, one line each (``类别｜项目｜结果[｜说明]``).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import func, select

from app.core.vocab import ENTERPRISE_CATEGORIES, INSPECTION_RESULTS, ITEM_RESULTS, RECHECK_OUTCOMES
from app.enterprises.inspections import item_result
from app.enterprises.ledger import check_period
from app.enterprises.notices import FLOW_STATES
from app.output.xlsx import LedgerColumn, save_ledger
from db.engine import Database
from db.models import Enterprise, Inspection, InspectionItem, Recheck, Rectification, RectificationNotice

TITLE = "安全检查台账"
COLUMNS = tuple(LedgerColumn(header, width) for header, width in (
    ("序号", 6), ("检查日期", 12), ("企业名称", 28), ("统一社会信用代码", 20), ("企业类别", 10), ("检查类别", 18),
    ("检查人员", 16), ("在场人员", 14), ("检查项目数", 9), ("不合格项数", 9), ("不合格项目", 40), ("检查结果", 8),
    ("整改或处罚意见", 30), ("整改通知书编号", 16), ("改正期限", 12), ("复查日期", 12), ("复查结论", 16),
    ("意见书编号", 16), ("状态", 16), ("检查项目明细", 60),
))
DETAIL_SEPARATOR = "｜"  # between an item's category, text, result and note in 检查项目明细


def _state(result: str, notice: str | None, outcome: str | None) -> str:
    if outcome is not None:
        return FLOW_STATES["recheck_passed" if outcome == "passed" else "enforcement"]
    if notice is not None:
        return FLOW_STATES["rectifying"]
    return FLOW_STATES["passed" if result == "passed" else "notice_due"]


def detail_line(category: str, item: str, result: str, note: str) -> str:
    """One item of 检查项目明细: ``技防｜录像保存不少于30天｜不合格｜录像仅保存7天``."""
    parts = [category, item, ITEM_RESULTS[result]] + ([" ".join(note.split())] if note else [])
    return DETAIL_SEPARATOR.join(parts)


def ledger_rows(db: Database, *, start: date, end: date) -> list[list]:
    check_period(start, end)
    i, e, t = Inspection.__table__.c, Enterprise.__table__.c, InspectionItem.__table__.c
    n, k, r = RectificationNotice.__table__.c, Recheck.__table__.c, Rectification.__table__.c
    items = select(func.count()).where(t.inspection_id == i.id, t.deleted.is_(False)).scalar_subquery()
    failed_where = (t.inspection_id == i.id, t.deleted.is_(False), t.passed.is_(False), t.applicable.is_(True))
    failed = select(func.count()).where(*failed_where).scalar_subquery()
    failed_text = select(func.group_concat(t.item + "：" + func.coalesce(t.remark, ""), "；")).where(
        *failed_where).scalar_subquery()
    # before a notice the 改正期限 is the items' own (the latest of them), set at the inspection
    item_deadline = select(func.max(r.deadline)).where(r.inspection_id == i.id, r.deleted.is_(False)).scalar_subquery()
    query = (select(i.id, i.inspected_on, e.name, e.credit_code, e.category, i.categories, i.inspectors, i.present,
                    items.label("items"), failed.label("failed"), failed_text.label("failed_text"), i.result,
                    i.opinion, n.number.label("notice"), func.coalesce(n.deadline, item_deadline).label("deadline"),
                    k.rechecked_on, k.outcome, k.number.label("recheck"))
             .join(Enterprise.__table__, e.id == i.enterprise_id)
             .outerjoin(RectificationNotice.__table__, (n.inspection_id == i.id) & n.deleted.is_(False))
             .outerjoin(Recheck.__table__, (k.inspection_id == i.id) & k.deleted.is_(False))
             .where(i.deleted.is_(False), i.inspected_on >= start, i.inspected_on <= end)
             .order_by(i.inspected_on, e.name, i.id))
    detail_query = (select(t.inspection_id, t.category, t.item, t.passed, t.applicable, t.remark)
                    .join(Inspection.__table__, i.id == t.inspection_id)
                    .where(t.deleted.is_(False), i.deleted.is_(False), i.inspected_on >= start, i.inspected_on <= end)
                    .order_by(t.inspection_id, t.position, t.created_at, t.id))
    with db.connect() as conn:
        details: dict[str, list[str]] = {}
        for x in conn.execute(detail_query):
            details.setdefault(x.inspection_id, []).append(detail_line(
                x.category, x.item, item_result(passed=x.passed, applicable=x.applicable), x.remark or ""))
        return [[m, x.inspected_on.isoformat(), x.name, x.credit_code or "",
                 ENTERPRISE_CATEGORIES.get(x.category, x.category), x.categories.replace(",", "、"), x.inspectors,
                 x.present or "", x.items, x.failed, x.failed_text or "", INSPECTION_RESULTS.get(x.result, x.result),
                 x.opinion or "", x.notice or "", x.deadline.isoformat() if x.deadline else "",
                 x.rechecked_on.isoformat() if x.rechecked_on else "",
                 RECHECK_OUTCOMES.get(x.outcome, "") if x.outcome else "", x.recheck or "",
                 _state(x.result, x.notice, x.outcome), "\n".join(details.get(x.id, []))]
                for m, x in enumerate(conn.execute(query), 1)]


def write_ledger(db: Database, *, start: date, end: date, path: Path) -> int:
    """Write the 安全检查台账 of ``start``..``end`` to ``path`` and log it; returns the inspections written."""
    rows = ledger_rows(db, start=start, end=end)
    return save_ledger(db, ledger=TITLE, path=path, columns=COLUMNS, rows=rows, start=start, end=end,
                       sheet_title=f"{TITLE}（{start.isoformat()}至{end.isoformat()}）")

"""矛盾纠纷排查化解台账: one row per dispute of a period, with parties, mediation, revisits, transfers."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from pathlib import Path

from sqlalchemy import select

from app.core.timeutil import day_range
from app.core.vocab import (
    DISPUTE_KINDS,
    DISPUTE_SOURCES,
    DISPUTE_STATUSES,
    MEDIATION_KINDS,
    PARTY_ROLES,
    REVISIT_RESULTS,
    RISK_LEVELS,
)
from app.disputes.risk import text_warnings
from app.output.xlsx import LedgerColumn, save_ledger
from db.engine import Database
from db.models import Agreement, Community, Dispute, DisputeParty, DisputeTransfer, MediationSession, Officer, Revisit

TITLE = "矛盾纠纷排查化解台账"
COLUMNS = [LedgerColumn(header, width) for header, width in (
    ("序号", 6), ("纠纷编号", 16), ("发生时间", 17), ("发生地点", 26), ("来源", 12), ("类型", 10), ("当事人", 28),
    ("纠纷简要情况", 48), ("风险等级", 8), ("预警提示", 30), ("调处经过", 44), ("当前状态", 12), ("办结日期", 12),
    ("调解协议", 18), ("移交流转", 32), ("回访情况", 40), ("民转刑", 8), ("责任民警", 10), ("所属社区", 14),
)]


def ledger_rows(db: Database, *, start: date, end: date, on: date | None = None) -> list[list]:
    """The ledger's rows for disputes that happened from ``start`` to ``end``, oldest first."""
    low, high = day_range(start, end)
    on = on or date.today()
    d, o, c = Dispute.__table__.c, Officer.__table__.c, Community.__table__.c
    in_period = select(d.id).where(d.deleted.is_(False), d.occurred_at >= low, d.occurred_at < high)
    with db.connect() as conn:
        disputes = conn.execute(
            select(d.id, d.number, d.occurred_at, d.place, d.source, d.kind, d.facts, d.risk_level, d.status,
                   d.settled_on, d.escalated_criminal, o.name.label("officer"), c.name.label("community"))
            .outerjoin(Officer.__table__, o.id == d.officer_id)
            .outerjoin(Community.__table__, c.id == d.community_id)
            .where(d.id.in_(in_period)).order_by(d.occurred_at, d.number)).all()
        parties = _grouped(conn, DisputeParty, in_period, "created_at")
        sessions = _grouped(conn, MediationSession, in_period, "held_at")
        agreements = _grouped(conn, Agreement, in_period, "signed_on")
        transfers = _grouped(conn, DisputeTransfer, in_period, "transferred_on")
        revisits = _grouped(conn, Revisit, in_period, "due_on")
    rows = []
    for n, r in enumerate(disputes, 1):
        rows.append([
            n, r.number, r.occurred_at.astimezone().strftime("%Y-%m-%d %H:%M"), r.place or "",
            DISPUTE_SOURCES.get(r.source, r.source), DISPUTE_KINDS.get(r.kind, r.kind),
            "；".join(f"{PARTY_ROLES.get(p.role, p.role)}{p.name}" for p in parties[r.id]), r.facts,
            RISK_LEVELS.get(r.risk_level, r.risk_level), "；".join(w.message for w in text_warnings(r.facts)),
            "\n".join(_session(s) for s in sessions[r.id]), DISPUTE_STATUSES.get(r.status, r.status),
            r.settled_on.isoformat() if r.settled_on else "", "\n".join(a.number for a in agreements[r.id]),
            "\n".join(_transfer(t) for t in transfers[r.id]), "\n".join(_revisit(v, on) for v in revisits[r.id]),
            "是" if r.escalated_criminal else "", r.officer or "", r.community or "",
        ])
    return rows


def _grouped(conn, model, in_period, order: str) -> dict[str, list]:
    t = model.__table__.c
    groups: dict[str, list] = defaultdict(list)
    for row in conn.execute(select(model.__table__).where(t.dispute_id.in_(in_period), t.deleted.is_(False))
                            .order_by(t[order], t.id)):
        groups[row.dispute_id].append(row)
    return groups


def _session(s) -> str:
    line = f"{s.held_at.astimezone():%Y-%m-%d} {MEDIATION_KINDS.get(s.kind, s.kind)}"
    line += f"（主持：{s.host}）" if s.host else ""
    return line + (f"：{s.record}" if s.record else "")


def _transfer(t) -> str:
    direction = "移交" if t.direction == "out" else "接收自"
    line = f"{t.transferred_on:%Y-%m-%d} {direction}{t.body}"
    line += f"（经办：{t.handler}）" if t.handler else ""
    return line + (f"，结果：{t.outcome}" if t.outcome else "，待反馈")


def _revisit(v, on: date) -> str:
    if v.done_on:
        return f"{v.done_on:%Y-%m-%d} {REVISIT_RESULTS.get(v.result or '', '已回访')}" + (
            f"：{v.notes}" if v.notes else "")
    late = (on - v.due_on).days
    return f"计划{v.due_on:%Y-%m-%d}" + (f"（逾期{late}天）" if late > 0 else "（未到期）" if late < 0 else "（今日）")


def write_ledger(db: Database, *, start: date, end: date, path: Path, on: date | None = None) -> int:
    """Write the ledger of disputes from ``start`` to ``end`` to ``path`` (.xlsx) and log it; returns
    the number of disputes in it. Revisits are judged overdue on ``on`` (today by default)."""
    return save_ledger(db, ledger=TITLE, path=path, columns=COLUMNS, rows=ledger_rows(db, start=start, end=end, on=on),
                       start=start, end=end)

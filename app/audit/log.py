"""The audit trail: who did what to which record, and when.

Creates, updates and soft deletes made through the ORM are logged by the stamping hook
(db/stamping.py) without any service having to remember. Everything else that touches
personal data (exports, imports, prints, revealed numbers, logins, account changes) is
logged here with ``record``. Entries are never changed or removed: there is no such
function, the stamping hook refuses it and SQL triggers refuse it (migrations 0004, 0007);
the hash chain (db/audit_chain.py) shows any change made past them (``chain_problem``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import func, select

from app.core.privacy import mask_id_number, mask_phone
from app.core.timeutil import day_range
from app.core.vocab import FIELD_LABELS, TABLE_LABELS, in_party_order
from db import audit_chain
from db.engine import Database
from db.hlc import node_of
from db.models import AuditEntry, DisputeParty, Officer, Resident, Volunteer

# action -> what the admin's view calls it
ACTIONS = {
    "create": "新增",
    "update": "修改",
    "delete": "删除",
    "export": "导出同步包",
    "import": "导入同步包",
    "import_xlsx": "从Excel导入",
    "undo_import": "撤销Excel导入",
    "print": "打印",
    "pdf": "保存PDF",
    "ledger": "导出台账",
    "reveal": "查看完整号码",
    "login": "登录",
    "login_failed": "登录失败",
    "lock": "锁定",
    "unlock": "解锁",
    "account": "账户变更",
    "merge": "合并重复人员",
}

TABLES = TABLE_LABELS  # the view's names of records (app/core/vocab.py)

# detail key -> what the view calls it (keys not listed are shown as they are)
DETAIL_LABELS = {
    "file": "文件", "rows": "记录数", "ledger": "台账", "period": "期间", "document": "文书", "to": "保存到",
    "pages": "页数", "where": "位置", "list": "列表", "search": "搜索", "kind": "方式", "device": "来源设备",
    "changed": "改动", "conflicts": "冲突", "field": "字段", "into": "并入", "filters": "筛选", "tables": "各表",
    "username": "用户名", "refused": "未核对密码",
}

# Detail keys that can hold what an officer typed (a search, the words of a filter): an ID
# number or phone in them is masked before it is written, so the entry that logs a reveal does
# not itself hold the number revealed.
TYPED_KEYS = frozenset({"search", "filters"})
# A word that is (part of) an ID number or a phone: seven digits or more, or a landline.
_NUMBER = re.compile(r"[0-9]{7,}[0-9Xx]?|0[0-9]{2,3}-[0-9]{7,8}")


def mask_numbers(text: str) -> str:
    """``text`` with each word that is an ID number or a phone masked as the lists mask them."""
    def mask(word: str) -> str:
        if not _NUMBER.fullmatch(word):
            return word
        return mask_id_number(word) if len(word) >= 15 else mask_phone(word)

    return " ".join(mask(word) for word in text.split())


def record(db: Database, action: str, *, officer_id: str | None = None, table: str | None = None,
           record_id: str | None = None, **detail) -> None:
    """Append one entry by ``officer_id`` or else the officer logged in (its own transaction:
    an entry is never rolled back with a task that failed afterwards)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action: {action}")
    officer_id = officer_id or db.officer_id
    detail = {key: mask_numbers(value) if key in TYPED_KEYS and isinstance(value, str) else value
              for key, value in detail.items()}
    with db.session(officer_id=officer_id) as session:
        session.add(AuditEntry(officer_id=officer_id, action=action, table_name=table, record_id=record_id,
                               detail=detail))
        session.commit()


def chain_problem(db: Database) -> str | None:
    """"审计日志自第 N 条起被改动（设备 X）" when an entry was changed or removed behind the
    program's back (this laptop's chain first), else None. Reads every entry: run it on a worker."""
    with db.connect() as conn:
        breaks = audit_chain.verify(conn, own_device=node_of(db.device.id))
    if not breaks:
        return None
    first = breaks[0]
    return f"审计日志自第 {first.seq} 条起被改动（设备 {_device_name(db, first.device)}）"


def _device_name(db: Database, device: str) -> str:
    """A device's short code: this laptop's, or the one its last sync file gave (else its node)."""
    from db.models import SyncLog

    if device == node_of(db.device.id):
        return db.device.short_code
    s = SyncLog.__table__.c
    with db.connect() as conn:
        for device_id, code in conn.execute(select(s.device_id, s.device_code).order_by(s.at.desc())):
            if device_id and device_id.replace("-", "")[:12].lower() == device:
                return code
    return device or "未知"


@dataclass(frozen=True)
class AuditRow:
    id: str
    at: datetime
    officer: str  # name, or "" for work done before anyone logged in (demo data, first start)
    action: str
    table_name: str | None
    record_id: str | None
    detail: dict

    def describe(self, *, table: bool = True) -> str:
        """One line for the view: the kind of record (unless ``table`` is False, for a view that
        shows it in a column of its own) and what changed or where it went."""
        parts = [TABLES.get(self.table_name or "", self.table_name or "")] if table else []
        if fields := self.detail.get("fields"):
            parts.append("字段：" + "、".join(FIELD_LABELS.get(field, field) for field in fields))
        parts += [f"{DETAIL_LABELS.get(key, key)}：{value}" for key, value in self.detail.items() if key != "fields"]
        return "；".join(part for part in parts if part)


def search_audit(db: Database, *, officer_id: str | None = None, start: date | None = None,
                 end: date | None = None, action: str | None = None, table: str | None = None,
                 record_id: str | None = None, limit: int = 500, offset: int = 0) -> list[AuditRow]:
    """Newest first; ``start``/``end`` are local days, both included."""
    a, o = AuditEntry.__table__.c, Officer.__table__.c
    query = (select(a.id, a.at, o.name, a.action, a.table_name, a.record_id, a.detail)
             .outerjoin(Officer.__table__, o.id == a.officer_id)
             .order_by(a.at.desc(), a.id.desc()).limit(limit).offset(offset))
    query = _filtered(query, officer_id=officer_id, start=start, end=end, action=action, table=table,
                      record_id=record_id)
    with db.connect() as conn:
        return [AuditRow(id=r.id, at=r.at, officer=r.name or "", action=r.action, table_name=r.table_name,
                         record_id=r.record_id, detail=r.detail or {}) for r in conn.execute(query)]


def count_audit(db: Database, **filters) -> int:
    """How many entries ``search_audit`` would find with the same filters and no limit."""
    query = _filtered(select(func.count()).select_from(AuditEntry.__table__), **filters)
    with db.connect() as conn:
        return conn.execute(query).scalar_one()


def _filtered(query, *, officer_id: str | None = None, start: date | None = None, end: date | None = None,
              action: str | None = None, table: str | None = None, record_id: str | None = None):
    a = AuditEntry.__table__.c
    if officer_id:
        query = query.where(a.officer_id == officer_id)
    low, high = day_range(start, end)
    if low:
        query = query.where(a.at >= low)
    if high:
        query = query.where(a.at < high)
    if action:
        query = query.where(a.action == action)
    if table:
        query = query.where(a.table_name == table)
    if record_id:
        query = query.where(a.record_id == record_id)
    return query


@dataclass(frozen=True)
class OfficerChoice:
    id: str
    name: str
    username: str


def officers(db: Database) -> list[OfficerChoice]:
    """Every account (also disabled ones: their past work is in the log), by name, for a filter."""
    o = Officer.__table__.c
    query = select(o.id, o.name, o.username).where(o.deleted.is_(False)).order_by(o.name, o.username, o.id)
    with db.connect() as conn:
        return [OfficerChoice(r.id, r.name, r.username) for r in conn.execute(query)]


# --- what the front doors (CLI and GUI) tell the log ----------------------------------------

def record_ledger(db: Database, *, ledger: str, path: Path | str, rows: int, start: date | None = None,
                  end: date | None = None, **detail) -> None:
    """A ledger (台账) written to ``path``: which one, its period (when it has both ends), how many rows
    left the program, and any ``detail`` (the audit ledger's filters in words)."""
    period = {"period": f"{start.isoformat()} 至 {end.isoformat()}"} if start and end else {}
    record(db, "ledger", ledger=ledger, **period, file=str(path), rows=rows, **detail)


def record_document(db: Database, action: str, *, table: str, record_id: str | None, document: str,
                    path: Path | str | None = None, pages: int | None = None) -> None:
    """A document with personal data printed (``print``) or saved as PDF (``pdf``, with the file)."""
    if action not in ("print", "pdf"):
        raise ValueError(f"not a print action: {action}")
    detail: dict = {"document": document}
    if path:
        detail["file"] = str(path)
    if pages:
        detail["pages"] = pages
    record(db, action, table=table, record_id=record_id, **detail)


@dataclass(frozen=True)
class Numbers:
    """A person's numbers in full, as revealed."""

    id_number: str
    phone: str


REVEALABLE = {"resident": Resident, "dispute_party": DisputeParty, "volunteer": Volunteer}


def reveal_numbers(db: Database, *, table: str, record_id: str, where: str = "") -> Numbers:
    """A person's ID number and phone in full; the reveal is logged (table, record, and where)."""
    if table not in REVEALABLE:
        raise ValueError(f"no numbers to reveal in {table}")
    t = REVEALABLE[table].__table__.c
    with db.connect() as conn:
        row = conn.execute(select(t.id_number, t.phone).where(t.id == record_id)).first()
    if row is None:
        raise LookupError(f"no {table} {record_id}")
    record(db, "reveal", table=table, record_id=record_id, **({"where": where} if where else {}))
    return Numbers(row.id_number or "", row.phone or "")


def dispute_party_ids(db: Database, dispute_id: str) -> list[tuple[str, str]]:
    """(id, name) of a dispute's living parties in the order its detail pane lists them
    (app.disputes.queries.dispute_detail: by entry, then applicants, respondents, third parties)."""
    p = DisputeParty.__table__.c
    with db.connect() as conn:
        rows = conn.execute(select(p.id, p.name, p.role).where(p.dispute_id == dispute_id, p.deleted.is_(False))
                            .order_by(p.created_at, p.id)).all()
    return [(r.id, r.name) for r in in_party_order(rows)]

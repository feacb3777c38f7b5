"""The audit trail: who did what to which record, and when.

Creates, updates and soft deletes made through the ORM are logged by the stamping hook
(db/stamping.py) without any service having to remember. Everything else that touches
personal data (exports, imports, prints, revealed numbers, logins, account changes) is
logged here with ``record``. Entries are never changed or removed: there is no such
function, the stamping hook refuses it and SQL triggers refuse it (migration 0004).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select

from app.timeutil import day_start
from db.engine import Database
from db.models import AuditEntry, DisputeParty, Officer, Resident, Volunteer

# action -> what the admin's view calls it
ACTIONS = {
    "create": "新增",
    "update": "修改",
    "delete": "删除",
    "export": "导出同步包",
    "import": "导入同步包",
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

# table -> what the admin's view calls its records
TABLES = {
    "household": "住户", "resident": "居民", "visit": "走访", "visit_resident": "走访见面",
    "campaign": "走访计划", "campaign_household": "计划住户", "community": "社区", "grid": "网格",
    "dispute": "纠纷", "dispute_party": "当事人", "dispute_event": "纠纷流转", "mediation_session": "调解",
    "agreement": "调解协议", "revisit": "回访", "dispute_transfer": "移交", "officer": "账户",
    "sync_conflict": "同步冲突", "volunteer_team": "义警队", "volunteer": "义警", "patrol_route": "巡逻路线",
    "shift": "班次", "shift_assignment": "排班", "enterprise": "企业", "liaison_visit": "联络走访",
    "inspection": "安全检查", "inspection_item": "检查项目", "rectification": "整改", "hire_check": "招工核查",
    "audit_entry": "审计日志",
}

# detail key -> what the view calls it (keys not listed are shown as they are)
DETAIL_LABELS = {
    "file": "文件", "rows": "记录数", "ledger": "台账", "period": "期间", "document": "文书", "to": "保存到",
    "pages": "页数", "where": "位置", "list": "列表", "search": "搜索", "kind": "方式", "device": "来源设备",
    "changed": "改动", "conflicts": "冲突", "field": "字段", "into": "并入", "filters": "筛选", "tables": "各表",
    "username": "用户名",
}

# changed field -> what the view calls it, for the 字段 of an update (others shown as they are)
FIELD_LABELS = {
    "deleted": "删除标记", "name": "名称/姓名", "phone": "电话", "notes": "备注", "code": "编码",
    "id_number": "身份证号", "address": "地址", "estate": "小区", "building": "楼栋", "unit": "单元", "room": "房号",
    "head_name": "户主", "kind": "类型", "tags": "标签", "status": "状态", "risk_level": "风险等级",
    "facts": "纠纷经过", "result": "结果", "police_room": "警务室", "household_id": "所属住户",
    "community_id": "所属社区", "grid_id": "所属网格", "occupation": "职业", "relation": "与户主关系",
    "due_on": "应回访日期", "done_on": "回访日期", "findings": "发现情况", "purposes": "走访事由",
    "gender": "性别", "birth_date": "出生日期", "ethnicity": "民族", "hukou_place": "户籍地", "age": "年龄",
    "visited_at": "走访时间", "officer_id": "民警", "companions": "同行人员", "number": "编号",
    "occurred_at": "发生时间", "place": "地点", "source": "来源", "role": "身份", "settled_on": "办结日期",
    "escalated_criminal": "民转刑", "signed_on": "签订日期", "terms": "协议内容", "performance": "履行情况",
    "deadline": "期限", "outcome": "结果", "active": "启用", "badge_no": "警号", "password_hash": "密码",
    "username": "用户名", "credit_code": "统一社会信用代码", "legal_rep": "法定代表人", "category": "类别",
    "resolution": "处理结果", "resolved": "已处理", "hazards": "安全隐患", "requests": "社情民意",
    "follow_up": "需跟进事项", "grid_worker": "网格员", "grid_worker_phone": "网格员电话",
}


def record(db: Database, action: str, *, officer_id: str | None = None, table: str | None = None,
           record_id: str | None = None, **detail) -> None:
    """Append one entry by ``officer_id`` or else the officer logged in (its own transaction:
    an entry is never rolled back with a task that failed afterwards)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action: {action}")
    officer_id = officer_id or db.officer_id
    with db.session(officer_id=officer_id) as session:
        session.add(AuditEntry(officer_id=officer_id, action=action, table_name=table, record_id=record_id,
                               detail=detail))
        session.commit()


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
    if start:
        query = query.where(a.at >= day_start(start))
    if end:
        query = query.where(a.at < day_start(end + timedelta(days=1)))
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

def record_ledger(db: Database, *, ledger: str, start: date, end: date, path: Path | str, rows: int) -> None:
    """A ledger (台账) written to ``path``: which one, the period and how many rows left the program."""
    record(db, "ledger", ledger=ledger, period=f"{start.isoformat()} 至 {end.isoformat()}", file=str(path),
           rows=rows)


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
    from app.vocab import PARTY_ROLES

    p = DisputeParty.__table__.c
    with db.connect() as conn:
        rows = conn.execute(select(p.id, p.name, p.role).where(p.dispute_id == dispute_id, p.deleted.is_(False))
                            .order_by(p.created_at, p.id)).all()
    order = list(PARTY_ROLES)
    rows = sorted(rows, key=lambda r: order.index(r.role) if r.role in order else 9)
    return [(r.id, r.name) for r in rows]

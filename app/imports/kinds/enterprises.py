"""Enterprises with their 包企民警, one row per enterprise: the 企业 list kind of the Excel import.

Checked by the register form's own ``enterprise_problems`` (统一社会信用代码 with its check
character, phones, counts); matched by the 统一社会信用代码, or by the same name when the row has
none. A new firm with a code takes the id derived from it, as ``add_enterprise`` gives it, so two
laptops importing the same list merge by sync. 包企民警 is an officer's name; it becomes the dated
assignment the register makes (LiaisonAssignment from today, "导入时确定"); a name with no active
account here is a problem line of that row. 所属社区 is found by name, made when missing (as the
households kind does). An update changes the fields the row fills in; a different 包企民警 is a
new dated assignment, as ``assign_liaison`` records it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from app.core.errors import UserError
from app.core.validation import normalize_phone
from app.core.vocab import ENTERPRISE_CATEGORIES
from app.enterprises.common import derived_id
from app.enterprises.register import EnterpriseValues, assignment_problems, enterprise_problems, normalize_code
from app.imports import cells
from app.imports.kinds import Planned
from app.imports.kinds.households import _Places
from app.imports.kinds.lookups import Officers, Reader, chunks, community_problem, filled, plain, split_list
from app.imports.mapping import Field
from db.models import Enterprise, LiaisonAssignment

KIND = "enterprises"
TITLE = "企业"
TABLES = ("enterprise", "liaison_assignment", "audit_entry")

FIELDS: tuple[Field, ...] = (
    Field("name", "企业名称", required=True, aliases=("单位名称", "名称", "企业(单位)名称", "公司名称")),
    Field("credit_code", "统一社会信用代码", aliases=("信用代码", "社会信用代码", "统一代码", "组织机构代码")),
    Field("category", "类别", aliases=("企业类别", "单位类别", "管理类别")),
    Field("industry", "行业", aliases=("所属行业", "行业类别", "经营范围")),
    Field("address", "地址", aliases=("企业地址", "单位地址", "经营地址", "注册地址", "详细地址")),
    Field("community", "所属社区", aliases=("社区",)),
    Field("legal_rep", "法定代表人", aliases=("法人", "法人代表", "负责人", "法定代表人姓名")),
    Field("phone", "联系电话", aliases=("电话", "企业电话", "法定代表人电话", "联系方式")),
    Field("security_head", "保卫负责人", aliases=("安全负责人", "保卫干部", "治保负责人")),
    Field("security_phone", "保卫负责人电话", aliases=("安全负责人电话", "保卫干部电话")),
    Field("employees", "职工人数", aliases=("员工人数", "从业人员", "从业人数", "职工数")),
    Field("guards", "保安人数", aliases=("保安员人数", "护卫人数")),
    Field("liaison", "包企民警", aliases=("联系民警", "包联民警", "责任民警", "警企联络民警")),
    Field("tags", "标签"),
    Field("notes", "备注"),
)
_LABEL = {f.key: f.label for f in FIELDS}
_TEXT = ("name", "address", "industry", "legal_rep", "security_head", "notes")
_COLUMNS = {"name": "name", "credit_code": "credit_code", "category": "category", "industry": "industry",
            "address": "address", "community": "community_id", "legal_rep": "legal_rep", "phone": "phone",
            "security_head": "security_head", "security_phone": "security_phone", "employees": "employees",
            "guards": "guards", "tags": "tags", "notes": "notes"}
LIAISON_NOTE = "导入时确定"


@dataclass(frozen=True)
class Draft:
    values: EnterpriseValues
    community: str
    liaison: str  # the 包企民警's name, "" for none
    given: frozenset[str]


def convert(values: dict[str, object], *, sheet: str, epoch_1904: bool) -> tuple[Draft | None, list[str]]:
    read = Reader(values, _LABEL)
    problems = read.problems
    text = {key: plain(values.get(key)) for key in _TEXT}
    code = normalize_code((cells.text(values.get("credit_code")) or "").replace(" ", ""))
    category = read("category", cells.choice, labels=ENTERPRISE_CATEGORIES)
    counts = {key: read(key, cells.integer) for key in ("employees", "guards")}
    phones = {key: read(key, cells.phone) or "" for key in ("phone", "security_phone")}
    enterprise = EnterpriseValues(
        name=text["name"], credit_code=code, category=category or "general", address=text["address"],
        industry=text["industry"], legal_rep=text["legal_rep"], phone=normalize_phone(phones["phone"]),
        security_head=text["security_head"], security_phone=normalize_phone(phones["security_phone"]),
        employees=counts["employees"], guards=counts["guards"],
        tags=tuple(split_list(plain(values.get("tags")))), notes=text["notes"])
    for field, message in enterprise_problems(enterprise).items():
        if field in read.failed:  # the cell's reason is already said
            continue
        label = _LABEL.get(field, "")
        problems.append(message if not label or label in message or field == "name" else f"{label}：{message}")
    if message := community_problem(cells.text(values.get("community")) or ""):
        problems.append(message)
    liaison = cells.text(values.get("liaison")) or ""
    if liaison:
        problems += assignment_problems(on=date.today(), notes=LIAISON_NOTE, today=date.today()).values()
    if problems:
        return None, list(dict.fromkeys(problems))
    given = filled(values)
    return Draft(values=enterprise, community=cells.text(values.get("community")) or "", liaison=liaison,
                 given=given), []


def file_key(draft: Draft):
    """The credit code; a firm without one by its name."""
    v = draft.values
    return ("code", v.credit_code) if v.credit_code else ("name", v.name)


def refuse(conn, drafts: Sequence[Draft]) -> dict[int, list[str]]:
    """Rows whose 包企民警 has no active account here (the register refuses a disabled one)."""
    officers = Officers(conn)
    out: dict[int, list[str]] = {}
    for index, draft in enumerate(drafts):
        if draft.liaison and (reason := officers.find(draft.liaison, role="包企民警", active_only=True)[1]):
            out[index] = [reason]
    return out


def match(conn, drafts: Sequence[Draft]) -> dict[int, tuple[str, str]]:
    """The living enterprise with the same credit code; without a code, the one of the same name."""
    e = Enterprise.__table__.c
    by_code: dict[str, tuple[str, str]] = {}
    by_name: dict[str, tuple[str, str]] = {}
    for codes in chunks({d.values.credit_code for d in drafts if d.values.credit_code}):
        for row in conn.execute(select(e.id, e.name, e.credit_code).where(e.credit_code.in_(codes),
                                                                          e.deleted.is_(False)).order_by(e.created_at)):
            by_code.setdefault(row.credit_code, (row.id, f"{row.name}（{row.credit_code}）"))
    for names in chunks({d.values.name for d in drafts if not d.values.credit_code}):
        for row in conn.execute(select(e.id, e.name, e.credit_code).where(e.name.in_(names), e.deleted.is_(False))
                                .order_by(e.created_at)):
            by_name.setdefault(row.name, (row.id, row.name + (f"（{row.credit_code}）" if row.credit_code else "")))
    found: dict[int, tuple[str, str]] = {}
    for index, draft in enumerate(drafts):
        v = draft.values
        hit = by_code.get(v.credit_code) if v.credit_code else by_name.get(v.name)
        if hit is not None:
            found[index] = hit
    return found


def write(writer, planned: Sequence[Planned]) -> None:
    """Each firm as the register saves it (derived id from its code), with its dated 包企民警."""
    if both := next((item for item in planned if item.action == "both" and item.draft.values.credit_code), None):
        v = both.draft.values
        raise UserError(f"统一社会信用代码 {v.credit_code} 已登记为“{v.name}”：同一企业只登记一次，请选择更新或跳过")
    conn = writer.conn
    officers, places = Officers(conn), _Places(writer)
    e = Enterprise.__table__.c
    today = date.today()
    codes = [item.draft.values.credit_code for item in planned if item.draft.values.credit_code]
    known = {derived_id("enterprise", code) for code in codes}  # ids a code would take
    used: set[str] = set()
    for group in chunks(known):
        used |= set(conn.execute(select(e.id).where(e.id.in_(group))).scalars())
    for item in planned:
        draft, v = item.draft, item.draft.values
        liaison_id = None
        if draft.liaison:
            liaison_id, reason = officers.find(draft.liaison, role="包企民警", active_only=True)
            if reason:
                raise UserError(reason)  # checking refuses these rows first; a bypass must not guess
        columns = _columns(draft, places)
        if item.action == "update" and item.match_id:
            enterprise_id = item.match_id
            writer.update(Enterprise, enterprise_id,
                          {column: columns[column] for key, column in _COLUMNS.items() if key in draft.given})
            current = conn.execute(select(e.liaison_officer_id).where(e.id == enterprise_id)).scalar()
            if "liaison" not in draft.given or liaison_id == current:
                continue
            writer.update(Enterprise, enterprise_id, {"liaison_officer_id": liaison_id})
        else:
            new_id = derived_id("enterprise", v.credit_code) if v.credit_code else None
            if new_id in used:
                new_id = None  # a deleted registration of the same code keeps its id (as the register does)
            enterprise_id = writer.add(Enterprise, {**columns, "id": new_id, "liaison_officer_id": liaison_id})
            if liaison_id is None:
                continue
        writer.add(LiaisonAssignment, {"enterprise_id": enterprise_id, "officer_id": liaison_id,
                                       "assigned_on": today, "notes": LIAISON_NOTE})


def _columns(draft: Draft, places) -> dict:
    """The enterprise's columns as the register's ``_write`` fills them."""
    v = draft.values
    return {"name": v.name.strip(), "category": v.category, "credit_code": normalize_code(v.credit_code) or None,
            "community_id": places.community(draft.community) if draft.community else None,
            **{name: getattr(v, name).strip() or None for name in ("address", "industry", "legal_rep",
                                                                   "security_head", "notes")},
            "phone": normalize_phone(v.phone) or None, "security_phone": normalize_phone(v.security_phone) or None,
            "employees": v.employees, "guards": v.guards,
            "tags": ",".join(dict.fromkeys(t.strip() for t in v.tags if t.strip()))}

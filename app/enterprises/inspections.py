"""安全检查: one record over one or more categories, each checklist item 合格/不合格/不适用 with a note;
every failed item becomes a rectification with its deadline."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select

from app.core.errors import UserError
from app.core.records import living, refuse_first
from app.core.vocab import ENTERPRISE_CATEGORIES, INSPECTION_CATEGORIES, INSPECTION_RESULTS, ITEM_RESULTS
from app.enterprises.checklists import current_checklists, default_categories
from app.enterprises.common import (
    check_day,
    check_inspectors,
    check_text,
    joined,
    split_names,
)
from db.engine import Database
from db.models import Enterprise, Inspection, InspectionItem, Officer, Rectification

NOTE_LIMIT = 200
OPINION_LIMIT = 1000
MAX_DEADLINE_DAYS = 366  # a longer 整改期限 is a typo in the year


@dataclass
class ItemValues:
    category: str
    item: str
    result: str = "pass"  # ITEM_RESULTS: pass/fail/na
    note: str = ""  # what was found (required when it fails: it is the rectification's problem)
    deadline: date | None = None  # a failed item's 整改期限; the record's ``deadline`` when None
    checklist_version: int | None = None


@dataclass
class InspectionValues:
    inspected_on: date
    inspectors: tuple[str, ...]  # at least two
    categories: tuple[str, ...]
    items: list[ItemValues] = field(default_factory=list)
    result: str = "passed"  # INSPECTION_RESULTS: passed/issues
    opinion: str = ""  # 整改或处罚意见
    present: str = ""  # the enterprise's people present
    signer: str = ""  # who signs the record for the enterprise
    deadline: date | None = None  # 整改期限 of failed items that have none of their own
    notes: str = ""


@dataclass(frozen=True)
class ItemLine:
    id: str
    category: str
    item: str
    result: str  # pass/fail/na
    note: str
    checklist_version: int | None

    @property
    def result_label(self) -> str:
        return ITEM_RESULTS[self.result]


@dataclass(frozen=True)
class InspectionRecord:
    """An inspection as its record prints it."""

    id: str
    enterprise_id: str
    enterprise: str
    address: str
    enterprise_category: str  # label
    legal_rep: str
    inspected_on: date
    inspectors: tuple[str, ...]
    categories: tuple[str, ...]
    items: list[ItemLine]
    result: str  # passed/issues
    opinion: str
    present: str
    signer: str
    notes: str

    @property
    def failed(self) -> list[ItemLine]:
        return [item for item in self.items if item.result == "fail"]


@dataclass(frozen=True)
class InspectionLine:
    id: str
    inspected_on: date
    inspectors: str
    categories: str
    result: str  # label
    failed: int


def item_result(*, passed: bool, applicable: bool) -> str:
    return "na" if not applicable else ("pass" if passed else "fail")


def blank_inspection(db: Database, *, enterprise_id: str, on: date) -> InspectionValues:
    """A new record for the form: the categories such an enterprise is inspected on and every item of
    their current checklists, all 合格 until the officer marks otherwise."""
    with db.session() as session:
        enterprise = living(session, Enterprise, enterprise_id, "企业")
    categories = default_categories(enterprise.category)
    checklists = current_checklists(db)
    items = [ItemValues(category=c, item=text, checklist_version=checklists[c].version)
             for c in categories for text in checklists[c].items]
    return InspectionValues(inspected_on=on, inspectors=(), categories=categories, items=items)


def deadline_of(item: ItemValues, values: InspectionValues) -> date | None:
    return item.deadline or values.deadline


def record_problems(*, inspected_on: date | None, inspectors, categories: tuple[str, ...], opinion: str,
                    present: str, signer: str, notes: str, today: date) -> dict[str, str]:
    """What is wrong with the record's own fields (its items and result are checked with them, below)."""
    problems: dict[str, str] = {}
    check_day(problems, "inspected_on", inspected_on, label="检查日期", today=today)
    check_inspectors(problems, "inspectors", split_names(inspectors))
    if not categories:
        problems["categories"] = "请选择检查类别（可多选）"
    elif unknown := [c for c in categories if c not in INSPECTION_CATEGORIES]:
        problems["categories"] = f"没有“{unknown[0]}”这类检查"
    check_text(problems, "opinion", opinion, limit=OPINION_LIMIT)
    check_text(problems, "present", present, limit=100)
    check_text(problems, "signer", signer, limit=32)
    check_text(problems, "notes", notes, limit=2000)
    return problems


def item_problems(item: ItemValues, *, categories: tuple[str, ...]) -> dict[str, str]:
    """What is wrong with one item (its deadline is the record's business)."""
    problems: dict[str, str] = {}
    if item.category not in categories:
        problems["category"] = f"“{item.category}”不在本次检查的类别中"
    check_text(problems, "item", item.item, limit=100, required="检查项目不能为空")
    if item.result not in ITEM_RESULTS:
        problems["result"] = "请选择合格、不合格或不适用"
    check_text(problems, "note", item.note, limit=NOTE_LIMIT,
               required=f"“{item.item.strip()}”不合格，请写明存在的问题" if item.result == "fail" else "")
    return problems


def inspection_problems(values: InspectionValues, *, today: date) -> dict[str, str]:
    """Field -> what is wrong; item fields are keyed ``item.<index>.<field>``."""
    categories = tuple(dict.fromkeys(values.categories))
    problems = record_problems(inspected_on=values.inspected_on, inspectors=values.inspectors,
                               categories=categories, opinion=values.opinion, present=values.present,
                               signer=values.signer, notes=values.notes, today=today)
    if "categories" not in problems and (
            empty := [c for c in categories if not any(i.category == c for i in values.items)]):
        problems["categories"] = f"“{empty[0]}”没有检查项目"
    for i, item in enumerate(values.items):
        found = item_problems(item, categories=categories)
        if item.result == "fail" and (why := _deadline_problem(deadline_of(item, values), values.inspected_on)):
            found["deadline"] = why
        for name, message in found.items():
            problems.setdefault(f"item.{i}.{name}", message)
    failed = any(item.result == "fail" for item in values.items)
    if values.result not in INSPECTION_RESULTS:
        problems["result"] = "请选择检查结果"
    elif failed and values.result != "issues":
        problems["result"] = "有不合格项目，检查结果应为不合格"
    elif not failed and values.result == "issues":
        problems["result"] = "没有不合格项目，检查结果应为合格"
    if failed and not values.opinion.strip():
        problems.setdefault("opinion", "请填写整改或处罚意见")
    return problems


def _deadline_problem(deadline: date | None, inspected_on: date | None) -> str | None:
    if deadline is None:
        return "不合格项目请确定整改期限"
    if inspected_on is not None and deadline <= inspected_on:
        return "整改期限应晚于检查日期"
    if inspected_on is not None and (deadline - inspected_on).days > MAX_DEADLINE_DAYS:
        return "整改期限不能超过一年，请核对年份"
    return None


def record_inspection(db: Database, *, enterprise_id: str, values: InspectionValues,
                      officer_id: str | None = None, today: date | None = None) -> str:
    """Save the record and its items; each 不合格 item becomes a rectification due on its deadline."""
    refuse_first(inspection_problems(values, today=today or date.today()))
    with db.session(officer_id=officer_id) as session:
        living(session, Enterprise, enterprise_id, "企业")
        categories = tuple(dict.fromkeys(values.categories))
        inspection = Inspection(
            enterprise_id=enterprise_id, inspected_on=values.inspected_on, officer_id=officer_id or db.officer_id,
            inspectors=joined(split_names(values.inspectors)), categories=",".join(categories),
            present=values.present.strip() or None, signer=values.signer.strip() or None, result=values.result,
            opinion=values.opinion.strip() or None, notes=values.notes.strip() or None)
        session.add(inspection)
        session.flush()
        order = {c: n for n, c in enumerate(categories)}  # the record lists its items category by category
        items = sorted(values.items, key=lambda item: order[item.category])
        for position, item in enumerate(items):
            row = InspectionItem(inspection_id=inspection.id, category=item.category, item=item.item.strip(),
                                 passed=item.result != "fail", applicable=item.result != "na",
                                 remark=item.note.strip() or None, position=position,
                                 checklist_version=item.checklist_version)
            session.add(row)
            if item.result == "fail":
                session.flush()
                session.add(Rectification(enterprise_id=enterprise_id, inspection_id=inspection.id, item_id=row.id,
                                          problem=f"{row.item}：{row.remark}", deadline=deadline_of(item, values)))
        session.commit()
        return inspection.id


def inspection_record(db: Database, *, inspection_id: str) -> InspectionRecord:
    """One inspection with its items in their order (UserError when there is none)."""
    i, e, t = Inspection.__table__.c, Enterprise.__table__.c, InspectionItem.__table__.c
    with db.connect() as conn:
        o = Officer.__table__.c
        r = conn.execute(select(i, e.name.label("enterprise"), e.address, e.category.label("ecat"), e.legal_rep,
                                o.name.label("recorder"))
                         .join(Enterprise.__table__, e.id == i.enterprise_id)
                         .outerjoin(Officer.__table__, o.id == i.officer_id)
                         .where(i.id == inspection_id, i.deleted.is_(False))).first()
        if r is None:
            raise UserError("找不到这次安全检查（可能已被删除）")
        items = [ItemLine(x.id, x.category, x.item, item_result(passed=x.passed, applicable=x.applicable),
                          x.remark or "", x.checklist_version) for x in conn.execute(
            select(t).where(t.inspection_id == inspection_id, t.deleted.is_(False))
            .order_by(t.position, t.created_at, t.id))]
    categories = tuple(c for c in r.categories.split(",") if c) or tuple(dict.fromkeys(x.category for x in items))
    return InspectionRecord(
        id=r.id, enterprise_id=r.enterprise_id, enterprise=r.enterprise, address=r.address or "",
        enterprise_category=ENTERPRISE_CATEGORIES.get(r.ecat, r.ecat), legal_rep=r.legal_rep or "",
        inspected_on=r.inspected_on, inspectors=split_names(r.inspectors or r.recorder or ""),
        categories=categories, items=items,
        result=r.result, opinion=r.opinion or "", present=r.present or "", signer=r.signer or "",
        notes=r.notes or "")


def inspections_of(db: Database, *, enterprise_id: str) -> list[InspectionLine]:
    """The enterprise's inspections, newest first, with how many items failed."""
    i, t, o = Inspection.__table__.c, InspectionItem.__table__.c, Officer.__table__.c
    failed = (select(func.count()).where(t.inspection_id == i.id, t.deleted.is_(False), t.passed.is_(False),
                                         t.applicable.is_(True)).scalar_subquery())
    query = (select(i.id, i.inspected_on, i.inspectors, o.name, i.categories, i.result, failed.label("failed"))
             .outerjoin(Officer.__table__, o.id == i.officer_id)
             .where(i.enterprise_id == enterprise_id, i.deleted.is_(False))
             .order_by(i.inspected_on.desc(), i.created_at.desc()))
    with db.connect() as conn:
        return [InspectionLine(r.id, r.inspected_on, r.inspectors or r.name or "", r.categories.replace(",", "、"),
                               INSPECTION_RESULTS.get(r.result, r.result), r.failed) for r in conn.execute(query)]

"""安全检查 records, one row per inspection: the 安全检查台账 kind of the Excel import.

Each row is checked by the inspection form's own ``inspection_problems`` (检查日期, at least two
检查人员, 检查类别, items, a result that agrees with them, 整改或处罚意见 and 改正期限 when an item
failed). The enterprise is found by 统一社会信用代码, else by name, among the firms already here: an
inspection needs its enterprise imported first, and a row naming an unknown one says so. The
first 检查人员 must be an officer account here (he is the one who recorded it, as the form keeps the
officer who saved it); the others are names as typed (an 辅警 may have no account).

Items: from 检查项目明细 (one line per item, ``类别｜项目｜合格/不合格/不适用｜说明``, as the ledger
writes it) when the row has it; else the 不合格项目 (``项目：问题；…``) fail and every other item of
the categories' current checklists is 合格, as the form starts them. As ``record_inspection`` does,
each failed item becomes a rectification due on 改正期限; the notice, re-check and each item's own
deadline come back with the 隐患整改台账 (app.imports.kinds.rectifications).

Match: the living inspection of the same enterprise on the same day by the same 检查人员. An update
changes the record's own text (检查人员, 在场人员, 整改或处罚意见), never its items.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import select

from app.core.vocab import INSPECTION_CATEGORIES, INSPECTION_RESULTS, ITEM_RESULTS
from app.enterprises.checklists import BUILT_IN, _built_in, _stored
from app.enterprises.common import joined, split_names
from app.enterprises.inspection_ledger import DETAIL_SEPARATOR
from app.enterprises.inspections import InspectionValues, ItemValues, inspection_problems
from app.enterprises.register import normalize_code
from app.imports import cells
from app.imports.kinds import Planned
from app.imports.kinds.lookups import Officers, Reader, chunks, filled, plain, split_list
from app.imports.mapping import Field
from db.models import Enterprise, Inspection, InspectionItem, Rectification

KIND = "inspections"
TITLE = "安全检查记录"
TABLES = ("inspection", "inspection_item", "rectification", "audit_entry")

FIELDS: tuple[Field, ...] = (
    Field("enterprise", "企业名称", required=True, aliases=("单位名称", "被检查单位", "检查单位", "企业")),
    Field("credit_code", "统一社会信用代码", aliases=("信用代码", "社会信用代码", "统一代码")),
    Field("inspected_on", "检查日期", required=True, aliases=("检查时间", "日期")),
    Field("categories", "检查类别", required=True, aliases=("检查类型", "检查内容")),
    Field("inspectors", "检查人员", required=True, aliases=("检查人", "检查民警")),
    Field("present", "在场人员", aliases=("企业在场人员", "陪同人员")),
    Field("failed", "不合格项目", aliases=("存在问题", "发现问题", "隐患问题", "存在的问题")),
    Field("result", "检查结果", aliases=("结果", "检查结论")),
    Field("opinion", "整改或处罚意见", aliases=("整改意见", "处理意见", "处罚意见")),
    Field("deadline", "改正期限", aliases=("整改期限", "限期")),
    Field("items", "检查项目明细", aliases=("项目明细",)),
)
_LABEL = {f.key: f.label for f in FIELDS}
_FORM_LABEL = {"inspected_on": "检查日期", "inspectors": "检查人员", "categories": "检查类别",
               "opinion": "整改或处罚意见", "present": "在场人员", "result": "检查结果"}
_RESULT_OF_LABEL = {label: code for code, label in ITEM_RESULTS.items()}
_ITEM_SEPARATORS = ("；", ";")
_UPDATED = {"inspectors": "inspectors", "present": "present", "opinion": "opinion"}
RECORDER = "第一位检查人员"  # the one who recorded it: an account here (the others may be 辅警 without one)
ENTERPRISE_FIRST = "请先导入企业（企业基本情况台账），再导入{what}"


@dataclass(frozen=True)
class Draft:
    enterprise: str
    credit_code: str
    values: InspectionValues
    detailed: bool  # items from 检查项目明细; else only the failed ones (the rest: the current checklists)
    given: frozenset[str]

    @property
    def recorder(self) -> str:
        return self.values.inspectors[0]


def convert(values: dict[str, object], *, sheet: str, epoch_1904: bool) -> tuple[Draft | None, list[str]]:
    read = Reader(values, _LABEL)
    problems = read.problems
    enterprise = plain(values.get("enterprise"))
    if not enterprise:
        problems.append("请填写企业名称")
    code = normalize_code((cells.text(values.get("credit_code")) or "").replace(" ", ""))
    inspected_on = read("inspected_on", cells.day, epoch_1904=epoch_1904)
    deadline = read("deadline", cells.day, epoch_1904=epoch_1904)
    result = read("result", cells.choice, labels=INSPECTION_RESULTS)
    categories = tuple(dict.fromkeys(split_list(plain(values.get("categories")))))
    detail = values.get("items")
    detailed = isinstance(detail, str) and bool(detail.strip())
    items = _detailed_items(detail, problems) if detailed else _failed_items(values.get("failed"), categories,
                                                                              problems)
    if result is None and "result" not in read.failed:  # a ledger without the column: what the items say
        result = "issues" if any(item.result == "fail" for item in items) else "passed"
    inspection = InspectionValues(
        inspected_on=inspected_on, inspectors=split_names(plain(values.get("inspectors"))), categories=categories,
        items=items, result=result or "", opinion=plain(values.get("opinion")),
        present=plain(values.get("present")), deadline=deadline)
    checked = items if detailed else [*items, *_placeholders(categories, items)]
    form = inspection_problems(replace(inspection, items=checked), today=date.today())
    for field, message in form.items():
        if field in read.failed:
            continue
        if field.startswith("item.") and field.endswith(".deadline") and "deadline" in read.failed:
            continue
        label = _FORM_LABEL.get(field, "")
        problems.append(message if not label or label in message or message.startswith("请") else f"{label}：{message}")
    if problems:
        return None, list(dict.fromkeys(problems))
    return Draft(enterprise=enterprise, credit_code=code, values=inspection, detailed=detailed,
                 given=filled(values)), []


def _detailed_items(text: str, problems: list[str]) -> list[ItemValues]:
    """``类别｜项目｜结果[｜说明]`` per line, as the ledger's 检查项目明细 writes them."""
    items = []
    for number, line in enumerate((line.strip() for line in text.splitlines() if line.strip()), 1):
        parts = [part.strip() for part in line.replace("|", DETAIL_SEPARATOR).split(DETAIL_SEPARATOR)]
        result = _RESULT_OF_LABEL.get(parts[2]) if len(parts) in (3, 4) else None
        if result is None:
            problems.append(f"检查项目明细第{number}行“{line}”看不懂（应为：类别｜项目｜合格、不合格或不适用｜说明）")
            continue
        items.append(ItemValues(category=parts[0], item=parts[1], result=result,
                                note=parts[3] if len(parts) == 4 else ""))
    return items


def _failed_items(value, categories: tuple[str, ...], problems: list[str]) -> list[ItemValues]:
    """``项目：问题；项目：问题``: each failed item with its category (the checklist holding the item, or
    the only category checked)."""
    text = plain(value)
    for separator in _ITEM_SEPARATORS[1:]:
        text = text.replace(separator, _ITEM_SEPARATORS[0])
    items = []
    for part in (p.strip() for p in text.split(_ITEM_SEPARATORS[0]) if p.strip()):
        found = [(c, item) for c in categories if c in BUILT_IN for item in BUILT_IN[c]
                 if part == item or part.startswith(item + "：")]
        if found:
            category, item = found[0]
            note = part[len(item):].lstrip("：").strip()
        elif len(categories) == 1:
            category, (item, _, note) = categories[0], part.partition("：")
        else:
            problems.append(f"不合格项目“{part}”不在所查类别的检查表中，无法确定类别（可在“检查项目明细”列写明）")
            continue
        items.append(ItemValues(category=category, item=item.strip(), result="fail", note=note.strip()))
    return items


def _placeholders(categories: tuple[str, ...], items: list[ItemValues]) -> list[ItemValues]:
    """One 合格 item for each category without a failed one: the checklist fills them in at the write."""
    return [ItemValues(category=c, item="（检查表其余项目）") for c in categories
            if c in INSPECTION_CATEGORIES and not any(i.category == c for i in items)]


def file_key(draft: Draft):
    """The same enterprise on the same day by the same 检查人员."""
    return draft.credit_code or draft.enterprise, draft.values.inspected_on, joined(draft.values.inspectors)


class Firms:
    """Living enterprises by 统一社会信用代码 and by name, for rows that name one (both import kinds)."""

    def __init__(self, conn, names: set[str], codes: set[str]) -> None:
        e = Enterprise.__table__.c
        self.by_code: dict[str, str] = {}
        self.by_name: dict[str, list[str]] = {}
        for group in chunks({c for c in codes if c}):
            for row in conn.execute(select(e.id, e.credit_code).where(e.credit_code.in_(group), e.deleted.is_(False))
                                    .order_by(e.created_at)):
                self.by_code.setdefault(row.credit_code, row.id)
        for group in chunks(names):
            for row in conn.execute(select(e.id, e.name).where(e.name.in_(group), e.deleted.is_(False))):
                self.by_name.setdefault(row.name, []).append(row.id)

    def find(self, name: str, code: str, *, what: str) -> tuple[str | None, str | None]:
        """(enterprise id, None) or (None, why not); ``what`` names the records imported (安全检查)."""
        first = ENTERPRISE_FIRST.format(what=what)
        if code:
            if code in self.by_code:
                return self.by_code[code], None
            return None, f"统一社会信用代码为 {code} 的企业（{name}）不在本机的企业名录中：{first}"
        found = self.by_name.get(name, [])
        if len(found) > 1:
            return None, f"有{len(found)}家企业名为“{name}”，请填写统一社会信用代码以确定是哪一家"
        if not found:
            return None, f"企业“{name}”不在本机的企业名录中：{first}"
        return found[0], None


def _firms(conn, drafts) -> Firms:
    return Firms(conn, {d.enterprise for d in drafts}, {d.credit_code for d in drafts})


def refuse(conn, drafts: Sequence[Draft]) -> dict[int, list[str]]:
    """Rows whose enterprise is not here yet, or whose first 检查人员 has no account here."""
    firms, officers = _firms(conn, drafts), Officers(conn)
    out: dict[int, list[str]] = {}
    for index, draft in enumerate(drafts):
        reasons = [reason for reason in (firms.find(draft.enterprise, draft.credit_code, what="安全检查")[1],
                                         officers.find(draft.recorder, role=RECORDER)[1]) if reason]
        if reasons:
            out[index] = reasons
    return out


def match(conn, drafts: Sequence[Draft]) -> dict[int, tuple[str, str]]:
    """The living inspection of the same enterprise, day and 检查人员."""
    firms = _firms(conn, drafts)
    wanted = {index: firm for index, d in enumerate(drafts)
              if (firm := firms.find(d.enterprise, d.credit_code, what="")[0])}
    i = Inspection.__table__.c
    stored: dict[tuple, tuple[str, str]] = {}
    for group in chunks(set(wanted.values())):
        for row in conn.execute(select(i.id, i.enterprise_id, i.inspected_on, i.inspectors)
                                .where(i.enterprise_id.in_(group), i.deleted.is_(False)).order_by(i.created_at)):
            key = (row.enterprise_id, row.inspected_on, joined(split_names(row.inspectors)))
            stored.setdefault(key, (row.id, f"{row.inspected_on.isoformat()} 的安全检查（{row.inspectors}）"))
    found = {}
    for index, firm in wanted.items():
        v = drafts[index].values
        if hit := stored.get((firm, v.inspected_on, joined(v.inspectors))):
            found[index] = (hit[0], f"{drafts[index].enterprise} {hit[1]}")
    return found


def write(writer, planned: Sequence[Planned]) -> None:
    """Each kept inspection as ``record_inspection`` saves it: the record, its items in category
    order, and a rectification for each failed item."""
    from app.core.errors import UserError

    conn = writer.conn
    firms, officers = _firms(conn, [item.draft for item in planned]), Officers(conn)
    checklists: dict[str, tuple[tuple[str, ...], int]] = {}
    for item in planned:
        draft, v = item.draft, item.draft.values
        if item.action == "update" and item.match_id:
            writer.update(Inspection, item.match_id, {column: _record(v)[column] for key, column in _UPDATED.items()
                                                      if key in draft.given})
            continue
        enterprise_id, reason = firms.find(draft.enterprise, draft.credit_code, what="安全检查")
        officer_id, why = officers.find(draft.recorder, role=RECORDER)
        if reason or why:
            raise UserError(reason or why)  # checking refuses these rows first; a bypass must not guess
        inspection_id = writer.add(Inspection, {"enterprise_id": enterprise_id, "inspected_on": v.inspected_on,
                                                "officer_id": officer_id, **_record(v)})
        items = v.items if draft.detailed else _with_checklists(conn, v, checklists)
        order = {c: n for n, c in enumerate(v.categories)}
        for position, entry in enumerate(sorted(items, key=lambda entry: order[entry.category])):
            item_id = writer.add(InspectionItem, {
                "inspection_id": inspection_id, "category": entry.category, "item": entry.item.strip(),
                "passed": entry.result != "fail", "applicable": entry.result != "na",
                "remark": entry.note.strip() or None, "position": position,
                "checklist_version": entry.checklist_version})
            if entry.result == "fail":
                writer.add(Rectification, {"enterprise_id": enterprise_id, "inspection_id": inspection_id,
                                           "item_id": item_id, "problem": f"{entry.item.strip()}：{entry.note.strip()}",
                                           "deadline": entry.deadline or v.deadline, "done_on": None,
                                           "verified": False, "verified_by": None, "closed_on": None})


def _record(v: InspectionValues) -> dict:
    """The inspection's own columns as ``record_inspection`` fills them."""
    return {"inspectors": joined(v.inspectors), "categories": ",".join(v.categories), "present": v.present or None,
            "signer": None, "result": v.result, "opinion": v.opinion or None, "notes": None}


def _with_checklists(conn, v: InspectionValues, cache: dict) -> list[ItemValues]:
    """The failed items among every item of the categories' current checklists, the rest 合格 (a
    failed item the checklist lacks goes last in its category)."""
    out = []
    for category in v.categories:
        if category not in cache:
            current = next(iter(_stored(conn, category)), None) or _built_in(category)
            cache[category] = (current.items, current.version)
        texts, version = cache[category]
        failed = {item.item: item for item in v.items if item.category == category}
        out += [ItemValues(category, text, "fail", failed[text].note, checklist_version=version) if text in failed
                else ItemValues(category, text, checklist_version=version) for text in texts]
        out += [item for text, item in failed.items() if text not in texts]
    return out

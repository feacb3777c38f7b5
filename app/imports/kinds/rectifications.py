"""隐患整改 progress, one row per hidden danger: the 隐患整改台账 kind of the Excel import.

It brings back what followed an inspection already imported (app.imports.kinds.inspections makes the
inspection and a rectification for each failed item): the item's own 整改期限 and 整改日期, the
inspection's 责令限期整改通知书 (编号, 下发日期, 签发人) and 复查 (日期, 复查人员, 复查意见, 结论, 意见书编号),
each checked by the flow's own rules (``notice_problems``, ``recheck_problems``,
``rectification_problems``). A row finds its enterprise (统一社会信用代码, else name), the inspection
of that enterprise on the 发现日期, and in it the failed item of the same 隐患内容; a row whose
enterprise or inspection is not here yet says which ledger to import first. The rows of one
inspection must tell the same notice and re-check.

Numbers: an imported 整改通知书编号 / 意见书编号 is kept as it is. Local numbering counts from the
highest number of this laptop's prefix stored (app.core.numbering), imported ones included, so a
notice issued here later never takes an imported number; a number of another laptop or an old paper
number has another prefix and never meets the local sequence. A number already used by another
notice (re-check) here, or by two inspections in the file, refuses the row. A notice or re-check
without a number takes the next local one.

Match: the inspection already has its notice here: the row is that notice's. An update changes only
the item's 整改期限 and 整改日期; "keep both" is refused (an inspection has one notice).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_, select

from app.core.errors import UserError
from app.core.numbering import next_number
from app.core.vocab import RECHECK_OUTCOMES
from app.enterprises.common import joined, split_names
from app.enterprises.inspections import _deadline_problem
from app.enterprises.notices import (
    NoticeValues,
    RecheckValues,
    notice_id_of,
    notice_problems,
    recheck_id_of,
    recheck_problems,
)
from app.enterprises.rectifications import rectification_problems
from app.enterprises.register import normalize_code
from app.imports import cells
from app.imports.kinds import Planned
from app.imports.kinds.inspections import Firms
from app.imports.kinds.lookups import Reader, chunks, device_code, filled, plain
from app.imports.mapping import Field
from db.models import Enterprise, Inspection, Recheck, Rectification, RectificationNotice

KIND = "rectifications"
TITLE = "隐患整改记录"
TABLES = ("rectification", "rectification_notice", "recheck", "audit_entry")
WHOLE_FILE = True  # refuse compares the rows of one inspection (they must agree on its notice)

FIELDS: tuple[Field, ...] = (
    Field("enterprise", "企业名称", required=True, aliases=("单位名称", "被检查单位", "企业")),
    Field("credit_code", "统一社会信用代码", aliases=("信用代码", "社会信用代码", "统一代码")),
    Field("found_on", "发现日期", required=True, aliases=("检查日期", "发现时间")),
    Field("category", "类别", aliases=("检查类别", "隐患类别")),
    Field("problem", "隐患内容", required=True, aliases=("隐患", "存在问题", "隐患问题")),
    Field("deadline", "整改期限", required=True, aliases=("改正期限", "限期")),
    Field("notice", "整改通知书编号", aliases=("通知书编号", "文号")),
    Field("done_on", "整改日期", aliases=("整改完成日期", "完成日期")),
    Field("rechecked_on", "复查日期", aliases=("复查时间",)),
    Field("outcome", "复查结论", aliases=("复查结果",)),
    Field("state", "状态", aliases=("整改状态", "整改情况")),
    Field("issued_on", "下发日期", aliases=("通知书下发日期", "签发日期")),
    Field("issuer", "签发人"),
    Field("recheck_inspectors", "复查人员", aliases=("复查人",)),
    Field("recheck_opinion", "复查意见"),
    Field("recheck_number", "意见书编号", aliases=("复查意见书编号",)),
)
_LABEL = {f.key: f.label for f in FIELDS}


def _outcome(value) -> str | None:
    """复查结论, by its label or its code."""
    return cells.choice(value, labels=RECHECK_OUTCOMES)


VERIFIED_STATE = "整改到位"  # RectificationLine.state of an item closed as put right
NUMBER_LIMIT = RectificationNotice.__table__.c.number.type.length


@dataclass(frozen=True)
class Flow:
    """What the rows of one inspection must agree on."""

    notice: str  # "" with ``issued_on``: numbered here
    issued_on: date | None
    issuer: str
    rechecked_on: date | None
    inspectors: tuple[str, ...]
    opinion: str
    outcome: str | None
    recheck: str


@dataclass(frozen=True)
class Draft:
    enterprise: str
    credit_code: str
    found_on: date
    problem: str
    deadline: date
    done_on: date | None
    verified: bool  # closed at the re-check as put right
    flow: Flow
    given: frozenset[str]


def convert(values: dict[str, object], *, sheet: str, epoch_1904: bool) -> tuple[Draft | None, list[str]]:
    read = Reader(values, _LABEL)
    problems = read.problems
    enterprise = plain(values.get("enterprise"))
    if not enterprise:
        problems.append("请填写企业名称")
    days = {key: read(key, cells.day, epoch_1904=epoch_1904)
            for key in ("found_on", "deadline", "done_on", "rechecked_on", "issued_on")}
    if days["found_on"] is None and "found_on" not in read.failed:
        problems.append("请填写发现日期（检查日期）")
    outcome = read("outcome", _outcome)
    text = {key: plain(values.get(key)) for key in ("problem", "issuer", "recheck_opinion", "state")}
    numbers = {key: (cells.text(values.get(key)) or "").replace(" ", "").upper()
               for key in ("notice", "recheck_number")}
    today = date.today()
    found = rectification_problems(problem=text["problem"], deadline=days["deadline"], done_on=days["done_on"],
                                   closed_on=days["rechecked_on"], today=today)
    problems += [message for key, message in found.items() if key not in read.failed]
    if days["found_on"] and days["deadline"] and (why := _deadline_problem(days["deadline"], days["found_on"])):
        problems.append(why)
    if days["found_on"] and days["done_on"] and days["done_on"] < days["found_on"]:
        problems.append("整改日期不能早于检查日期")
    noticed = bool(numbers["notice"] or days["issued_on"] or text["issuer"])
    if noticed:
        problems += notice_problems(NoticeValues(issued_on=days["issued_on"], issuer=text["issuer"]),
                                    inspected_on=days["found_on"], today=today).values()
    rechecked = bool(days["rechecked_on"] or outcome or numbers["recheck_number"] or text["recheck_opinion"])
    inspectors = split_names(plain(values.get("recheck_inspectors")))
    if rechecked:
        if not noticed:
            problems.append("尚未下发责令限期整改通知书，不能复查（请填写整改通知书编号、下发日期和签发人）")
        found = recheck_problems(RecheckValues(rechecked_on=days["rechecked_on"], inspectors=inspectors,
                                               opinion=text["recheck_opinion"], outcome=outcome or ""), today=today)
        problems += [message.replace("检查人员", "复查人员", 1) if key == "inspectors" else message
                     for key, message in found.items() if key not in read.failed]
        if days["issued_on"] and days["rechecked_on"] and days["rechecked_on"] < days["issued_on"]:
            problems.append("复查日期不能早于整改通知书的下发日期")
    for key, label in (("notice", "整改通知书编号"), ("recheck_number", "意见书编号")):
        if len(numbers[key]) > NUMBER_LIMIT:
            problems.append(f"{label}最多{NUMBER_LIMIT}个字")
    if problems:
        return None, list(dict.fromkeys(problems))
    verified = rechecked and (text["state"] == VERIFIED_STATE if text["state"] else days["done_on"] is not None)
    if outcome == "passed" and not verified:  # 复查通过 needs every item put right (record_recheck)
        return None, [f"复查通过的检查中每一项都应整改到位（状态：{text['state'] or '未填整改日期'}）"]
    flow = Flow(notice=numbers["notice"], issued_on=days["issued_on"], issuer=text["issuer"],
                rechecked_on=days["rechecked_on"], inspectors=inspectors if rechecked else (),
                opinion=text["recheck_opinion"], outcome=outcome, recheck=numbers["recheck_number"])
    return Draft(enterprise=enterprise, credit_code=normalize_code((cells.text(values.get("credit_code")) or "")
                                                                   .replace(" ", "")),
                 found_on=days["found_on"], problem=text["problem"], deadline=days["deadline"],
                 done_on=days["done_on"] or (days["rechecked_on"] if verified else None), verified=verified,
                 flow=flow, given=filled(values)), []


def file_key(draft: Draft):
    """The same hidden danger of the same enterprise's inspection on the same day."""
    return draft.credit_code or draft.enterprise, draft.found_on, draft.problem


class _Targets:
    """Each draft's enterprise, inspection and rectification here (or why it has none), and the
    inspections' stored notices, rectifications and the numbers already taken."""

    def __init__(self, conn, drafts: Sequence[Draft]) -> None:
        firms = Firms(conn, {d.enterprise for d in drafts}, {d.credit_code for d in drafts})
        self.firm: dict[int, str] = {}
        self.reason: dict[int, str] = {}
        for index, d in enumerate(drafts):
            firm, why = firms.find(d.enterprise, d.credit_code, what="隐患整改")
            if why:
                self.reason[index] = why
            else:
                self.firm[index] = firm
        i, r, n = Inspection.__table__.c, Rectification.__table__.c, RectificationNotice.__table__.c
        inspections: dict[tuple[str, date], list[str]] = {}
        self.items: dict[str, dict[str, tuple]] = {}  # inspection -> problem -> stored rectification
        self.notices: dict[str, str] = {}  # inspection -> its living notice's number
        self.deleted_notices: set[str] = set()
        for group in chunks(set(self.firm.values())):
            for row in conn.execute(select(i.id, i.enterprise_id, i.inspected_on)
                                    .where(i.enterprise_id.in_(group), i.deleted.is_(False))):
                inspections.setdefault((row.enterprise_id, row.inspected_on), []).append(row.id)
        ids = {iid for found in inspections.values() for iid in found}
        for group in chunks(ids):
            for row in conn.execute(select(r.id, r.inspection_id, r.problem, r.deadline, r.done_on)
                                    .where(r.inspection_id.in_(group), r.deleted.is_(False))):
                self.items.setdefault(row.inspection_id, {}).setdefault(_same(row.problem), row)
            for row in conn.execute(select(n.inspection_id, n.number, n.deleted).where(n.inspection_id.in_(group))):
                if row.deleted:
                    self.deleted_notices.add(row.inspection_id)
                else:
                    self.notices[row.inspection_id] = row.number
        self.inspection: dict[int, str] = {}
        self.item: dict[int, tuple] = {}
        for index, firm in self.firm.items():
            d = drafts[index]
            found = inspections.get((firm, d.found_on), [])
            if not found:
                self.reason[index] = (f"{d.enterprise}在{d.found_on.isoformat()}没有安全检查记录："
                                      "请先导入安全检查台账，再导入隐患整改台账")
            elif len(found) > 1:
                self.reason[index] = (f"{d.enterprise}在{d.found_on.isoformat()}有{len(found)}次安全检查，"
                                      "无法确定是哪一次")
            elif (item := self.items.get(found[0], {}).get(_same(d.problem))) is None:
                self.reason[index] = f"{d.found_on.isoformat()}的安全检查中没有“{d.problem}”这一不合格项目"
            else:
                self.inspection[index], self.item[index] = found[0], item


def _same(problem: str) -> str:
    """隐患内容 as compared: the cell's blanks collapsed (``plain``), so the stored text's are too."""
    return " ".join(problem.split())


def _taken(conn, model, numbers: set[str]) -> dict[str, str]:
    """Number -> the inspection whose notice (re-check) has it, deleted ones too (a number is never reused)."""
    c = model.__table__.c
    out: dict[str, str] = {}
    for group in chunks(numbers):
        out.update(conn.execute(select(c.number, c.inspection_id).where(c.number.in_(group))).all())
    return out


def refuse(conn, drafts: Sequence[Draft]) -> dict[int, list[str]]:
    """Rows whose enterprise, inspection or item is not here; rows disagreeing with the first row of
    their inspection; numbers used elsewhere; a re-check the flow would refuse."""
    targets = _Targets(conn, drafts)
    out: dict[int, list[str]] = {index: [why] for index, why in targets.reason.items()}
    groups: dict[str, list[int]] = {}
    for index, iid in targets.inspection.items():
        groups.setdefault(iid, []).append(index)
    flows = [drafts[group[0]].flow for group in groups.values()]
    notices = _taken(conn, RectificationNotice, {f.notice for f in flows if f.notice})
    rechecks = _taken(conn, Recheck, {f.recheck for f in flows if f.recheck})
    in_file: dict[tuple[str, str], str] = {}
    for iid, group in groups.items():
        flow = drafts[group[0]].flow
        for index in group[1:]:
            if drafts[index].flow != flow:
                out[index] = ["与同一次检查的其他行所填的整改通知书或复查不一致"]
        if why := _flow_problem(iid, flow, [drafts[i] for i in group], targets, notices, rechecks, in_file):
            for index in group:
                out.setdefault(index, [why])
    return out


def _flow_problem(iid: str, flow: Flow, rows: list[Draft], targets: _Targets, notices, rechecks,
                  in_file: dict) -> str | None:
    for number, taken, label in ((flow.notice, notices, "整改通知书编号"), (flow.recheck, rechecks, "意见书编号")):
        if number and taken.get(number, iid) != iid:
            return f"{label} {number} 已用于另一次检查"
        if number and in_file.setdefault((label, number), iid) != iid:
            return f"{label} {number} 在文件中用于两次不同的检查"
    if not flow.issued_on:
        return None
    if iid in targets.deleted_notices and iid not in targets.notices:
        return "该检查的整改通知书已被删除，不能再导入"
    deadline = _notice_deadline(rows, targets.items.get(iid, {}))
    if deadline <= flow.issued_on:
        return f"整改期限（{deadline.isoformat()}）已到，请重新确定改正期限"
    if flow.rechecked_on is None:
        return None
    if flow.outcome == "enforcement":  # 复查通过 with an item not put right is refused by convert
        if all(d.verified for d in rows) and {_same(d.problem) for d in rows} >= set(targets.items.get(iid, {})):
            return "各项均已整改到位，应判为复查通过"
        if flow.rechecked_on <= deadline:
            return f"改正期限（{deadline.isoformat()}）未过，尚不能判为逾期未改"
    return None


def _notice_deadline(rows: list[Draft], stored: dict) -> date:
    """The latest item's 整改期限, the file's for the items it lists (as ``issue_notice`` sets the notice's)."""
    listed = {_same(d.problem) for d in rows}
    return max([d.deadline for d in rows] + [row.deadline for problem, row in stored.items() if problem not in listed])


def match(conn, drafts: Sequence[Draft]) -> dict[int, tuple[str, str]]:
    """Rows of an inspection whose notice is already here: (the item's rectification, the notice)."""
    targets = _Targets(conn, drafts)
    return {index: (targets.item[index].id, f"{drafts[index].enterprise} {drafts[index].found_on.isoformat()} "
                                            f"检查的整改通知书 {targets.notices[iid]}")
            for index, iid in targets.inspection.items() if iid in targets.notices}


class _Numbers:
    """The next local number of a prefix, past those stored and those this write has handed out."""

    def __init__(self, conn) -> None:
        self.conn, self.code, self.next = conn, device_code(conn), {}

    def take(self, model, letter: str, year: int) -> str:
        prefix = f"{year}-{self.code}-{letter}"
        if prefix not in self.next:
            self.next[prefix] = int(next_number(self.conn, model.__table__.c.number, prefix)[len(prefix):])
        number, self.next[prefix] = self.next[prefix], self.next[prefix] + 1
        return f"{prefix}{number:04d}"


def write(writer, planned: Sequence[Planned]) -> None:
    """Each item's deadline and progress; then, once per inspection, its notice and its re-check as
    ``issue_notice`` and ``record_recheck`` save them."""
    if any(item.action == "both" for item in planned):
        raise UserError("一次检查只有一份整改通知书：请选择更新或跳过")
    conn = writer.conn
    drafts = [item.draft for item in planned]
    targets = _Targets(conn, drafts)
    if targets.reason:
        raise UserError(next(iter(targets.reason.values())))  # checking refuses these rows first
    numbers = _Numbers(conn)
    flows: dict[str, tuple[Draft, list[Draft]]] = {}
    for index, item in enumerate(planned):
        draft, iid, stored = item.draft, targets.inspection[index], targets.item[index]
        values = {"deadline": draft.deadline, "done_on": draft.done_on}
        if item.action == "update":
            writer.update(Rectification, stored.id, {k: v for k, v in values.items() if k in draft.given})
            continue
        if draft.flow.rechecked_on:
            values.update(verified=draft.verified, verified_by=writer.officer_id if draft.verified else None,
                          closed_on=draft.flow.rechecked_on)
        writer.update(Rectification, stored.id, values)
        if iid not in targets.notices:
            flows.setdefault(iid, (draft, []))[1].append(draft)
    e = Enterprise.__table__.c
    for iid, (first, rows) in flows.items():
        flow = first.flow
        if not flow.issued_on:
            continue
        deadline = _notice_deadline(rows, targets.items[iid])
        enterprise_id = conn.execute(select(Inspection.__table__.c.enterprise_id)
                                     .where(Inspection.__table__.c.id == iid)).scalar()
        addressee = conn.execute(select(e.name).where(e.id == enterprise_id)).scalar()
        if _added(writer, RectificationNotice, notice_id_of(iid)):
            continue  # an earlier part of the same write made it
        notice_id = writer.add(RectificationNotice, {
            "id": notice_id_of(iid), "inspection_id": iid, "enterprise_id": enterprise_id,
            "number": flow.notice or numbers.take(RectificationNotice, "Z", flow.issued_on.year),
            "addressee": addressee, "issued_on": flow.issued_on, "deadline": deadline, "issuer": flow.issuer,
            "delivered_on": None, "receiver": None})
        if flow.rechecked_on is None or _has(conn, iid):
            continue
        writer.add(Recheck, {"id": recheck_id_of(iid), "inspection_id": iid, "notice_id": notice_id,
                             "number": flow.recheck or numbers.take(Recheck, "F", flow.rechecked_on.year),
                             "rechecked_on": flow.rechecked_on, "inspectors": joined(flow.inspectors),
                             "opinion": flow.opinion, "outcome": flow.outcome})


def _added(writer, model, record_id: str) -> bool:
    """This write has added the row already (a write handed its rows in parts made it in an earlier part)."""
    return (model.__tablename__, record_id) in getattr(writer, "stamps", {})


def _has(conn, iid: str) -> bool:
    """A re-check row of this inspection exists (a deleted one keeps its id: it is not made again)."""
    k = Recheck.__table__.c
    return conn.execute(select(k.id).where(or_(k.id == recheck_id_of(iid), k.inspection_id == iid))).first() is not None

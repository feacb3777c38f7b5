"""``cpdesk show KIND ID``: one record as its detail pane shows it, masked unless ``--reveal`` (audited)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from app.cli.common import database, print_json

if TYPE_CHECKING:  # the parser must build without sqlalchemy
    from db.engine import Database

# Kinds an area shows itself: kind -> "module:function"(db, key, reveal) -> Shown.
AREA_KINDS = {"volunteer": "app.patrol.cli:show_volunteer", "shift": "app.patrol.cli:show_shift",
              "enterprise": "app.enterprises.show:enterprise_shown",
              "inspection": "app.enterprises.show:inspection_shown"}
KINDS = ("household", "resident", "visit", "dispute", "agreement", *AREA_KINDS)

# A field is (json key, label, value). A value is a scalar; a tuple of words (joined with 、);
# or a list whose items each get a line: texts, or rows (a list of fields of their own).
Field = tuple[str, str, object]


@dataclass(frozen=True)
class Shown:
    table: str  # the record's table, named in the audit entry of a reveal
    id: str
    title: str
    fields: list[Field]
    people: int  # how many persons' ID numbers and phones it carries


def add_parsers(commands, *, reports, ledgers) -> None:
    show = commands.add_parser("show", help="one record as its detail pane shows it (ID numbers and phones masked)")
    show.add_argument("kind", choices=KINDS)
    show.add_argument("key", metavar="ID-or-number", help="the record's id; a resident or a volunteer also by "
                      "身份证号, a dispute by 纠纷编号, an agreement by 协议编号, an enterprise by "
                      "统一社会信用代码 or name, an inspection by its 整改通知书 or 复查意见书 number")
    show.add_argument("--json", action="store_true", help="print a JSON object instead of lines")
    show.add_argument("--reveal", action="store_true",
                      help="show ID numbers and phones in full (written to the audit log)")
    show.set_defaults(handler=cmd_show)


def cmd_show(args) -> int:
    with database(args) as db:
        shown = show_record(db, kind=args.kind, key=args.key, reveal=args.reveal)
    if args.json:
        print_json({"id": shown.id, **{key: _json(value) for key, _label, value in shown.fields}})
    else:
        print("\n".join(_lines(shown)))
    return 0


def show_record(db: Database, *, kind: str, key: str, reveal: bool = False) -> Shown:
    """The record of ``kind`` called ``key``; a reveal is logged the way ``cpdesk list --reveal``
    logs it, with the key masked when it is itself a number."""
    from app.areas import resolve

    key = key.strip()
    shown = (_BUILDERS[kind] if kind in _BUILDERS else resolve(AREA_KINDS[kind]))(db, key, reveal)
    if reveal:
        from app.audit import log as audit

        audit.record(db, "reveal", table=shown.table, record_id=shown.id, where="cpdesk show", rows=shown.people,
                     **({"search": key} if key != shown.id else {}))  # a number in it is masked by record
    return shown


# --- each kind, from the service its pane or form uses ---------------------------------------

def _household(db: Database, key: str, reveal: bool) -> Shown:
    from app.core.errors import UserError
    from app.households.service import household_detail, household_values

    values = household_values(db, key)  # None for a deleted household too, which household_detail shows
    detail = household_detail(db, key) if values is not None else None
    if detail is None:
        raise UserError(f"没有这个住户：{key}")
    row = detail.row
    full = _numbers(db, "resident", [r.id for r in detail.residents]) if reveal else {}
    residents = []
    for r in detail.residents:
        id_number, phone = full.get(r.id, (r.id_number, r.phone))
        residents.append([("name", "姓名", r.name), ("relation", "关系", r.relation), ("gender", "性别", r.gender),
                          ("age", "年龄", r.age), ("id_number", "身份证号", id_number), ("phone", "电话", phone)])
    visits = [[("visited_at", "时间", v.visited_at), ("purposes", "事由", _words(v.purposes)),
               ("officer", "民警", v.officer), ("findings", "发现情况", v.findings)] for v in detail.visits]
    return Shown("household", row.id, f"住户　{row.address}", [
        ("address", "地址", row.address), ("kind", "类型", row.kind), ("community", "社区", row.community),
        ("grid", "网格", row.grid), ("head_name", "户主", row.head_name),
        ("phone", "电话", values.phone if reveal else row.phone), ("tags", "标签", _words(row.tags)),
        ("last_visit", "最近走访", row.last_visit), ("notes", "备注", detail.notes),
        ("residents", "人员", residents), ("visits", "走访记录", visits),
    ], people=len(residents))


def _resident(db: Database, key: str, reveal: bool) -> Shown:
    from datetime import date

    from app.core.errors import UserError
    from app.core.privacy import mask_id_number, mask_phone
    from app.core.timeutil import age_on
    from app.households.residents import find_person, resident_values
    from app.households.service import household_detail

    found = resident_values(db, key)
    if found is None and (person := find_person(db, id_number=key)):
        key, found = person.id, resident_values(db, person.id)
    if found is None:
        raise UserError("没有这个人员：" + _safe(key))
    household_id, v = found
    household = household_detail(db, household_id) if household_id else None
    return Shown("resident", key, f"人员　{v.name}", [
        ("name", "姓名", v.name), ("gender", "性别", v.gender), ("birth_date", "出生日期", v.birth_date),
        ("age", "年龄", age_on(v.birth_date, date.today())),
        ("id_number", "身份证号", v.id_number if reveal else mask_id_number(v.id_number)),
        ("phone", "电话", v.phone if reveal else mask_phone(v.phone)), ("relation", "与户主关系", v.relation),
        ("household_id", "住户编号", household_id),
        ("address", "住址", household.row.address if household else "未登记住址"),
        ("community", "社区", household.row.community if household else ""),
        ("hukou_place", "户籍地", v.hukou_place), ("ethnicity", "民族", v.ethnicity),
        ("occupation", "职业", v.occupation), ("notes", "备注", v.notes),
    ], people=1)


def _visit(db: Database, key: str, reveal: bool) -> Shown:
    from app.households.service import household_values
    from app.households.visits import visit_record

    r = visit_record(db, key)  # UserError when there is no such visit
    full = _numbers(db, "resident", [p.id for p in r.residents]) if reveal else {}
    household = household_values(db, r.household_id) if reveal else None
    met = {True: "见面", False: "未见面", None: "未记录"}
    residents = [[("name", "姓名", p.name), ("relation", "关系", p.relation), ("gender", "性别", p.gender),
                  ("age", "年龄", p.age), ("phone", "电话", full[p.id][1] if p.id in full else p.phone),
                  ("met", "是否见面", met[p.met])] for p in r.residents]
    return Shown("visit", r.id, f"入户走访　{_text(r.visited_at)}　{r.address}", [
        ("visited_at", "走访时间", r.visited_at), ("address", "地址", r.address), ("community", "社区", r.community),
        ("grid", "网格", r.grid), ("kind", "住户类型", r.kind), ("tags", "标签", _words(r.tags, sep="、")),
        ("head_name", "户主", r.head_name), ("phone", "电话", household.phone if household else r.phone),
        ("officer", "走访民警", r.officer),
        ("companions", "同行人员", r.companions), ("purposes", "走访事由", r.purposes),
        ("residents", "在册人员", residents), ("findings", "发现情况", r.findings),
        ("requests", "社情民意", r.requests), ("hazards", "安全隐患", r.hazards),
        ("follow_up", "需跟进事项", r.follow_up), ("campaign", "走访计划", r.campaign),
        ("dispute_number", "登记纠纷", r.dispute_number),
    ], people=len(residents))


def _dispute(db: Database, key: str, reveal: bool) -> Shown:
    from sqlalchemy import or_, select

    from app.audit.log import dispute_party_ids
    from app.core.errors import UserError
    from app.disputes.queries import dispute_detail
    from db.models import Dispute

    d = Dispute.__table__.c
    with db.connect() as conn:  # by id, or by the 纠纷编号 an officer reads off a paper
        dispute_id = conn.execute(select(d.id).where(or_(d.id == key, d.number == key.upper()),
                                                     d.deleted.is_(False))).scalar()
    detail = dispute_detail(db, dispute_id) if dispute_id else None
    if detail is None:
        raise UserError(f"没有这起纠纷：{key}")
    if reveal:  # the full numbers by party id, matched to the pane's lines the way the pane does it
        ids = dispute_party_ids(db, dispute_id)
        if [name for _id, name in ids] != [p.name for p in detail.parties]:
            raise UserError("当事人刚被修改，请重新运行")
        full = _numbers(db, "dispute_party", [party_id for party_id, _name in ids])
        numbers = [full[party_id] for party_id, _name in ids]
    else:
        numbers = [(p.id_number, p.phone) for p in detail.parties]
    parties = [[("role", "身份", p.role), ("name", "姓名", p.name), ("gender", "性别", p.gender),
                ("age", "年龄", p.age), ("ethnicity", "民族", p.ethnicity), ("occupation", "职业", p.occupation),
                ("phone", "电话", phone), ("id_number", "身份证号", id_number), ("address", "住址", p.address)]
               for p, (id_number, phone) in zip(detail.parties, numbers, strict=True)]
    row = detail.row
    return Shown("dispute", row.id, f"矛盾纠纷　{row.number}　{row.kind}", [
        ("number", "纠纷编号", row.number), ("kind", "类型", row.kind), ("status", "状态", row.status_label),
        ("risk_level", "风险", row.risk_label), ("warnings", "风险提示", [w.message for w in detail.warnings]),
        ("next_revisit", "回访", row.revisit_note), ("source", "来源", detail.source),
        ("occurred_at", "发生时间", row.occurred_at), ("place", "地点", detail.place),
        ("community", "社区", row.community), ("officer", "责任民警", row.officer),
        ("visit", "关联走访", detail.visit), ("settled_on", "办结日期", detail.settled_on),
        ("escalated_criminal", "民转刑", detail.escalated_criminal), ("facts", "纠纷经过", detail.facts),
        ("parties", "当事人", parties),
        ("sessions", "调解", [[("held_at", "时间", at), ("kind", "类型", kind), ("host", "主持人", host),
                              ("mediators", "调解员", mediators), ("record", "记录", record)]
                             for at, kind, host, mediators, record in detail.sessions]),
        ("agreements", "协议书", [[("id", "", a_id), ("number", "协议编号", number), ("kind", "种类", title),
                                 ("signed_on", "签订日期", signed_on)]
                                for a_id, number, title, signed_on in detail.agreements]),
        ("revisits", "回访记录", [[("due_on", "计划日期", due), ("done_on", "回访日期", done),
                                  ("result", "结果", result), ("notes", "情况", notes)]
                                 for _id, due, done, result, notes in detail.revisits]),
        ("transfers", "移交流转", [[("direction", "方向", direction), ("body", "单位", body), ("on", "日期", on),
                                   ("receiver", "接收人", receiver), ("handler", "经办人", handler),
                                   ("outcome", "结果", outcome or "待反馈")]
                                  for direction, body, on, receiver, handler, outcome in detail.transfers]),
        ("history", "历史", [[("at", "时间", at), ("officer", "民警", officer), ("what", "变化", what),
                             ("reason", "原因", reason)] for at, officer, what, reason in detail.history]),
    ], people=len(parties))


def _agreement(db: Database, key: str, reveal: bool) -> Shown:
    from app.core.privacy import mask_id_number, mask_phone
    from app.core.vocab import PARTY_ROLES
    from app.disputes.mediation import PERFORMANCE, agreement_document, find_agreement

    agreement_id = find_agreement(db, key)  # UserError when unknown
    doc = agreement_document(db, agreement_id)
    parties = [[("role", "身份", PARTY_ROLES.get(p.role, p.role)), ("name", "姓名", p.name),
                ("gender", "性别", p.gender), ("ethnicity", "民族", p.ethnicity), ("age", "年龄", p.age),
                ("occupation", "职业", p.occupation), ("address", "住址", p.address),
                ("phone", "电话", p.phone if reveal else mask_phone(p.phone)),
                ("id_number", "身份证号", p.id_number if reveal else mask_id_number(p.id_number))]
               for p in doc.parties]
    return Shown("agreement", agreement_id, f"{doc.title}　{doc.number}", [
        ("number", "协议编号", doc.number), ("kind", "种类", doc.title),
        ("dispute_number", "纠纷编号", doc.dispute_number),
        ("body", "调解组织", doc.body), ("signed_on", "签订日期", doc.signed_on), ("place", "调解地点", doc.place),
        ("host", "主持人", doc.host), ("mediators", "调解员", tuple(doc.mediators)), ("parties", "当事人", parties),
        ("facts", "纠纷事实", doc.facts), ("issues", "争议事项", doc.issues),
        ("responsibilities", "责任认定", doc.responsibilities), ("terms", "协议内容", list(doc.terms)),
        ("performance", "履行方式", PERFORMANCE.get(doc.performance, doc.performance)),
        ("deadline", "履行期限", doc.deadline), ("copies", "份数", doc.copies),
    ], people=len(parties))


_BUILDERS = {"household": _household, "resident": _resident, "visit": _visit, "dispute": _dispute,
             "agreement": _agreement}


def _numbers(db: Database, table: str, ids: list[str]) -> dict[str, tuple[str, str]]:
    """Person id -> (ID number, phone) in full, for a reveal (the caller logs it)."""
    from sqlalchemy import select

    from app.audit.log import REVEALABLE

    t = REVEALABLE[table].__table__.c
    with db.connect() as conn:
        rows = conn.execute(select(t.id, t.id_number, t.phone).where(t.id.in_(ids))).all()
    return {r.id: (r.id_number or "", r.phone or "") for r in rows}


def _safe(key: str) -> str:
    from app.audit.log import mask_numbers

    return mask_numbers(key)


def _words(text: str, *, sep: str = ",") -> tuple[str, ...]:
    return tuple(word for word in text.split(sep) if word)


# --- output ------------------------------------------------------------------------------------

def _lines(shown: Shown) -> list[str]:
    """Readable lines: ``label：value``; a list's items on lines of their own, numbered."""
    lines = [shown.title]
    for _key, label, value in shown.fields:
        if not isinstance(value, list):
            lines.append(f"{label}：{_text(value) or '—'}")
            continue
        lines.append(f"{label}：{'' if value else '（无）'}")
        for n, item in enumerate(value, 1):
            if isinstance(item, list):  # a row: its filled fields on one line (unlabelled ones are for --json)
                item = "　".join(f"{sub}：{text}" for _k, sub, v in item if sub and (text := _text(v)))
            lines.append(f"  {n}. {_text(item)}")
    return lines


def _text(value) -> str:
    from datetime import date, datetime

    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime):  # stored in UTC: shown in the laptop's time, like the pane
        return value.astimezone().strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple):
        return "、".join(value)
    return str(value).replace("\n", "\n    ")


def _json(value):
    """Dates and times ISO 8601, rows as objects."""
    from datetime import date

    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    if isinstance(value, list):
        return [{key: _json(v) for key, _label, v in item} if isinstance(item, list) else _json(item)
                for item in value]
    return value

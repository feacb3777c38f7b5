"""``cpdesk show enterprise|inspection``: the record as the tab's detail pane shows it (app/cli/show.py
prints it and logs a reveal). Phones and ID numbers are masked unless revealed; a hire check shows
its coarse result only, never the officer's notes."""

from __future__ import annotations

from datetime import date

from sqlalchemy import or_, select

from app.cli.show import Shown
from app.core.errors import UserError
from app.core.privacy import mask_id_number, mask_phone
from app.core.vocab import ENTERPRISE_CATEGORIES, INSPECTION_RESULTS, RECHECK_OUTCOMES
from app.enterprises.inspections import inspection_record
from app.enterprises.notices import FLOW_STATES, flow_state, notice_of, recheck_of
from app.enterprises.queries import enterprise_page
from app.enterprises.rectifications import rectifications_of
from app.enterprises.register import normalize_code
from db.engine import Database
from db.models import Enterprise, Inspection, Recheck, RectificationNotice


def find_enterprise(db: Database, key: str) -> str:
    """The id of the living enterprise whose id, 统一社会信用代码 or whole name is ``key``."""
    e = Enterprise.__table__.c
    with db.connect() as conn:
        found = conn.execute(select(e.id).where(or_(e.id == key, e.credit_code == normalize_code(key), e.name == key),
                                                e.deleted.is_(False)).limit(2)).scalars().all()
    if not found:
        raise UserError(f"没有这个企业：{key}")
    if len(found) > 1:
        raise UserError(f"有不止一家企业名为“{key}”，请用统一社会信用代码")
    return found[0]


def find_inspection(db: Database, key: str) -> str:
    """The id of the inspection whose id is ``key``, or whose 整改通知书 or 复查意见书 has that number."""
    i, n, k = Inspection.__table__.c, RectificationNotice.__table__.c, Recheck.__table__.c
    number = key.upper()
    with db.connect() as conn:
        found = conn.execute(select(i.id).where(i.id == key, i.deleted.is_(False))).scalar() or conn.execute(
            select(n.inspection_id).where(n.number == number, n.deleted.is_(False))).scalar() or conn.execute(
            select(k.inspection_id).where(k.number == number, k.deleted.is_(False))).scalar()
    if found is None:
        raise UserError(f"没有这次安全检查：{key}")
    return found


def enterprise_shown(db: Database, key: str, reveal: bool) -> Shown:
    page = enterprise_page(db, enterprise_id=find_enterprise(db, key))
    if page is None:
        raise UserError(f"没有这个企业：{key}")
    row, v = page.detail.row, page.detail.values
    phone = (lambda p: p) if reveal else mask_phone
    hires = [[("name", "姓名", h.name),
              ("id_number", "身份证号", h.id_number if reveal and not h.purged else mask_id_number(h.id_number)),
              ("job", "应聘岗位", h.job), ("requested_on", "申请日期", h.requested_on),
              ("answered_on", "答复日期", h.answered_on), ("result", "核查结果", h.result_label),
              ("purged", "已过保存期", h.purged)] for h in page.hire_checks]
    return Shown("enterprise", row.id, f"企业　{row.name}", [
        ("name", "企业名称", row.name), ("credit_code", "统一社会信用代码", row.credit_code),
        ("category", "类别", ENTERPRISE_CATEGORIES.get(v.category, v.category)), ("industry", "行业", v.industry),
        ("address", "地址", row.address), ("community", "社区", row.community),
        ("legal_rep", "法定代表人", v.legal_rep),
        ("phone", "电话", phone(v.phone)), ("security_head", "保卫负责人", v.security_head),
        ("security_phone", "保卫负责人电话", phone(v.security_phone)), ("employees", "职工人数", v.employees),
        ("guards", "保安人数", v.guards), ("liaison", "包企民警", row.liaison), ("tags", "标签", v.tags),
        ("notes", "备注", v.notes), ("last_inspection", "最近检查", row.last_inspection),
        ("open_rectifications", "未整改隐患", row.open_rectifications),
        ("liaison_history", "包企民警变更", [[("on", "日期", c.on), ("officer", "民警", c.officer or "（无）"),
                                          ("notes", "说明", c.notes)] for c in page.detail.liaison_history]),
        ("liaison_log", "警企联络", [[("visited_on", "日期", x.visited_on), ("kind", "事项", x.kind),
                                     ("met", "接洽人员", x.met), ("officer", "民警", x.officer),
                                     ("content", "内容", x.content)] for x in page.liaison_log]),
        ("requests", "诉求", [[("id", "", q.id), ("raised_on", "提出日期", q.raised_on), ("content", "诉求", q.content),
                              ("due_on", "答复期限", q.due_on), ("state", "状态", q.state(date.today())),
                              ("answered_on", "答复日期", q.answered_on), ("answer", "答复", q.answer)]
                             for q in page.requests]),
        ("inspections", "安全检查", [[("id", "", s.id), ("inspected_on", "日期", s.inspected_on),
                                     ("inspectors", "检查人员", s.inspectors), ("categories", "类别", s.categories),
                                     ("result", "结果", s.result_label), ("failed", "不合格项", s.failed),
                                     ("state", "进度", s.state_label), ("notice_number", "通知书", s.notice_number),
                                     ("recheck_number", "复查意见书", s.recheck_number)] for s in page.inspections]),
        ("rectifications", "隐患整改", _rectifications(page.rectifications)),
        ("hire_checks", "招工身份核查", hires),
    ], people=2 + sum(not h.purged for h in page.hire_checks))  # the firm's two phones, the applicants


def inspection_shown(db: Database, key: str, reveal: bool) -> Shown:
    del reveal  # an inspection carries no ID numbers or phones
    inspection_id = find_inspection(db, key)
    r = inspection_record(db, inspection_id=inspection_id)
    notice, recheck = notice_of(db, inspection_id=inspection_id), recheck_of(db, inspection_id=inspection_id)
    items = [[("category", "类别", x.category), ("item", "项目", x.item), ("result", "结果", x.result_label),
              ("note", "情况", x.note), ("version", "清单版本", x.checklist_version)] for x in r.items]
    fields = [
        ("enterprise", "被检查单位", r.enterprise), ("enterprise_id", "企业编号", r.enterprise_id),
        ("enterprise_category", "单位类别", r.enterprise_category), ("address", "地址", r.address),
        ("inspected_on", "检查日期", r.inspected_on), ("inspectors", "检查人员", r.inspectors),
        ("categories", "检查类别", r.categories), ("present", "在场人员", r.present),
        ("signer", "企业签字人", r.signer),
        ("result", "检查结果", INSPECTION_RESULTS.get(r.result, r.result)),
        ("state", "进度", FLOW_STATES[flow_state(db, inspection_id=inspection_id)]),
        ("opinion", "整改或处罚意见", r.opinion), ("notes", "备注", r.notes), ("items", "检查项目", items),
        ("rectifications", "隐患整改", _rectifications(rectifications_of(db, inspection_id=inspection_id))),
    ]
    if notice is not None:
        fields += [("notice_number", "整改通知书", notice.number), ("notice_issued_on", "下发日期", notice.issued_on),
                   ("notice_deadline", "改正期限", notice.deadline), ("notice_issuer", "签发人", notice.issuer),
                   ("notice_delivered_on", "送达日期", notice.delivered_on),
                   ("notice_receiver", "签收人", notice.receiver)]
    if recheck is not None:
        fields += [("recheck_number", "复查意见书", recheck.number), ("rechecked_on", "复查日期", recheck.rechecked_on),
                   ("recheck_inspectors", "复查人员", recheck.inspectors),
                   ("recheck_outcome", "复查结论", RECHECK_OUTCOMES.get(recheck.outcome, recheck.outcome)),
                   ("recheck_opinion", "复查意见", recheck.opinion)]
    return Shown("inspection", inspection_id, f"安全检查　{r.enterprise}　{r.inspected_on.isoformat()}", fields,
                 people=0)


def _rectifications(lines) -> list:
    today = date.today()
    return [[("id", "", x.id), ("category", "类别", x.category), ("problem", "隐患", x.problem),
             ("deadline", "期限", x.deadline), ("state", "状态", x.state(today)), ("done_on", "整改日期", x.done_on)]
            for x in lines]

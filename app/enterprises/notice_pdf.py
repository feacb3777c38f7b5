"""责令限期整改通知书 with its stub (存根), and the 复查意见书 that refers to the notice's number."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, PageBreak, Spacer

from app.core.errors import UserError
from app.enterprises.common import issuing_body, joined
from app.enterprises.document import Doc, chinese_ordinal
from app.enterprises.inspections import inspection_record
from app.enterprises.notices import notice_of, recheck_of
from app.enterprises.rectifications import RectificationLine, rectifications_of
from app.output.pdf import Rendered, chinese_date, styles
from db.engine import Database

NOTICE = "责令限期整改通知书"
RECHECK = "复查意见书"
BASIS = "《中华人民共和国治安管理处罚法》《企业事业单位内部治安保卫条例》等有关规定"
REPORT_BACK = "你单位应当在改正期限届满前将整改情况书面报告我所，我所将对整改情况进行复查。"
INTERIM = "整改期间，你单位应当采取必要的防范措施，落实安全责任，确保安全。"
CONSEQUENCE = "逾期不改正的，我所将依法予以处罚；造成后果的，依法追究有关单位和人员的责任。"


def _problem(item: RectificationLine, *, own_deadline: bool) -> str:
    category = f"〔{item.category}〕" if item.category else ""
    limit = f"（限{chinese_date(item.deadline)}前改正）" if own_deadline else ""
    return f"{category}{item.problem}{limit}"


def notice_sheet(db: Database, *, inspection_id: str) -> Rendered:
    """The notice of an inspection (to hand over) and its stub (kept by the station), two pages."""
    notice = notice_of(db, inspection_id=inspection_id)
    if notice is None:
        inspection_record(db, inspection_id=inspection_id)  # no such inspection: say so first
        raise UserError("该检查没有下发责令限期整改通知书")
    record = inspection_record(db, inspection_id=inspection_id)
    items = rectifications_of(db, inspection_id=inspection_id)
    with db.connect() as conn:
        body = issuing_body(conn)
    several = len({item.deadline for item in items}) > 1  # then each item prints its own deadline
    inspectors = joined(record.inspectors)

    doc = Doc()
    doc.heading(NOTICE, body=body, number=notice.number)
    doc.line(f"{notice.addressee}：", indent=False)
    doc.line(f"{chinese_date(record.inspected_on)}，我所民警{inspectors}依法对你单位进行了安全检查，"
             f"发现你单位存在下列问题：")
    for n, item in enumerate(items, 1):
        doc.line(f"{chinese_ordinal(n)}、{_problem(item, own_deadline=several)}")
    doc.line(f"根据{BASIS}，现责令你单位在{chinese_date(notice.deadline)}前改正"
             + ("（各项另有期限的，按所列期限改正）。" if several else "。"))
    doc.line(INTERIM)
    doc.line(REPORT_BACK)
    doc.line(CONSEQUENCE)
    closing = [*doc.seal(body, notice.issued_on), Spacer(1, 8 * mm),
               doc.para(f"被检查单位签收：{'＿' * 9}　　日期：　　年　　月　　日", styles()["body"]),
               Spacer(1, 4 * mm),
               doc.para("本通知书一式两份，一份交被检查单位，一份附存根存档。", styles()["small"])]
    doc.add(KeepTogether(closing))

    doc.add(PageBreak())
    doc.heading(f"{NOTICE}（存根）", number=notice.number)
    problems = "\n".join(f"{n}. {_problem(item, own_deadline=several)}" for n, item in enumerate(items, 1))
    rows = [
        ["被检查单位", notice.addressee],
        ["地址", record.address],
        ["检查日期", chinese_date(record.inspected_on)],
        ["检查人员", inspectors],
        ["存在问题", problems],
        ["改正期限", f"{chinese_date(notice.deadline)}前"],
        ["签发人", notice.issuer],
        ["签发日期", chinese_date(notice.issued_on)],
        ["送达日期", chinese_date(notice.delivered_on)],
        ["签收人", notice.receiver],
    ]
    doc.add(doc.grid(rows, (30, 136), label_columns=(0,)))
    doc.add(Spacer(1, 6 * mm), doc.signatures(["填发人"], dated=False))
    return doc.finish(title=f"{NOTICE} {notice.number}", suggested_name=f"{NOTICE}-{notice.number}.pdf",
                      audit=("rectification_notice", notice.id, NOTICE))


def recheck_sheet(db: Database, *, inspection_id: str) -> Rendered:
    """The 复查意见书 of an inspection's re-check: each problem put right or not, the opinion, the outcome."""
    recheck = recheck_of(db, inspection_id=inspection_id)
    if recheck is None:
        inspection_record(db, inspection_id=inspection_id)
        raise UserError("该检查尚未复查，没有复查意见书")
    notice = notice_of(db, inspection_id=inspection_id)
    items = rectifications_of(db, inspection_id=inspection_id)
    with db.connect() as conn:
        body = issuing_body(conn)

    doc = Doc()
    doc.heading(RECHECK, body=body, number=recheck.number)
    doc.line(f"{notice.addressee}：", indent=False)
    doc.line(f"根据我所{chinese_date(notice.issued_on)}下发的《{NOTICE}》（编号：{notice.number}），"
             f"我所民警{joined(recheck.inspectors)}于{chinese_date(recheck.rechecked_on)}"
             f"对你单位的整改情况进行了复查，情况如下：")
    for n, item in enumerate(items, 1):
        done = f"已整改（{chinese_date(item.done_on)}）" if item.verified and item.done_on else (
            "已整改" if item.verified else "未整改")
        doc.line(f"{chinese_ordinal(n)}、{_problem(item, own_deadline=False)}：{done}")
    doc.line(f"复查意见：{recheck.opinion}")
    if recheck.outcome == "passed":
        doc.line("经复查，你单位已按要求完成整改，复查通过。")
    else:
        doc.line("经复查，你单位逾期未改正上述问题，我所将依法转入执法办案程序处理。")
    closing = [*doc.seal(body, recheck.rechecked_on), Spacer(1, 8 * mm),
               doc.para(f"被复查单位签收：{'＿' * 9}　　日期：　　年　　月　　日", styles()["body"])]
    doc.add(KeepTogether(closing))
    return doc.finish(title=f"{RECHECK} {recheck.number}", suggested_name=f"{RECHECK}-{recheck.number}.pdf",
                      audit=("recheck", recheck.id, RECHECK))

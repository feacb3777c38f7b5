"""招工身份核查 documents: the request list for the officer at the police terminal, and the answer
letter to the enterprise (coarse results and masked numbers only, never any record details)."""

from __future__ import annotations

from datetime import date

from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer

from app.core.errors import UserError
from app.core.privacy import mask_id_number
from app.core.vocab import HIRE_CHECK_RESULTS
from app.enterprises.common import issuing_body
from app.enterprises.document import Doc
from app.enterprises.hire_checks import hire_checks_between, hire_checks_by_id
from app.output.pdf import Rendered, chinese_date, styles
from db.engine import Database

LIST_TITLE = "招工人员身份核查申请清单"
LETTER_TITLE = "招工人员身份核查情况回复函"
MAX_LIST = 2000
BLANK_RESULT = "□未见异常 □需进一步核查 □已移交"


def hire_check_list(db: Database, *, start: date, end: date) -> Rendered:
    """The requests of ``start``..``end`` with full ID numbers (purged ones masked), for the officer who
    runs the checks at the police terminal; the result column is filled there by hand when not answered."""
    lines = hire_checks_between(db, start=start, end=end)
    if not lines:
        raise UserError(f"{start.isoformat()} 至 {end.isoformat()} 没有招工身份核查申请")
    if len(lines) > MAX_LIST:
        raise UserError(f"共 {len(lines)} 人，一次最多打印 {MAX_LIST} 人：请缩短日期范围")
    with db.connect() as conn:
        body = issuing_body(conn)
    doc = Doc()
    doc.heading(LIST_TITLE, body=body)
    doc.add(doc.para(f"申请日期：{chinese_date(start)}至{chinese_date(end)}　　共{len(lines)}人", doc.right))
    rows = [["序号", "申请单位", "姓名", "身份证号", "应聘岗位", "申请日期", "依据或本人同意", "核查结果"]]
    for n, line in enumerate(lines, 1):
        day = line.requested_on or line.answered_on
        rows.append([str(n), line.enterprise, line.name, line.id_number, line.job,
                     day.isoformat() if day else "", line.basis,
                     HIRE_CHECK_RESULTS.get(line.result, BLANK_RESULT)])
    doc.add(doc.grid(rows, (10, 28, 14, 36, 16, 21, 19, 22), header=True, centred_columns=(0,), repeat=True,
                     small=True))
    doc.add(Spacer(1, 4 * mm), KeepTogether([
        doc.signatures(["核查民警"]),
        Spacer(1, 3 * mm),
        doc.para("内部使用：本清单含公民身份号码，核查后交回存档，不得复印、外传；核查详情不得向企业提供。",
                 styles()["small"])]))
    return doc.finish(title=f"{LIST_TITLE} {start.isoformat()}至{end.isoformat()}",
                      suggested_name=f"{LIST_TITLE}-{start.isoformat()}至{end.isoformat()}.pdf",
                      audit=("hire_check", None, LIST_TITLE))


def hire_check_letter(db: Database, *, hire_check_ids: list[str]) -> Rendered:
    """The answer to one enterprise about answered checks: name, masked ID number, job, coarse result."""
    if not hire_check_ids:
        raise UserError("请选择要回复的核查申请")
    lines = hire_checks_by_id(db, hire_check_ids=list(dict.fromkeys(hire_check_ids)))
    if len({line.enterprise_id for line in lines}) > 1:
        raise UserError("一份回复函只能回复一家企业的核查申请")
    if pending := [line for line in lines if line.answered_on is None]:
        raise UserError(f"{pending[0].name}的核查尚未答复，不能出具回复函")
    enterprise = lines[0].enterprise
    asked = sorted({line.requested_on for line in lines if line.requested_on})
    answered = max(line.answered_on for line in lines)
    with db.connect() as conn:
        body = issuing_body(conn)
    doc = Doc()
    doc.heading(LETTER_TITLE, body=body)
    doc.line(f"{enterprise}：", indent=False)
    when = f"于{chinese_date(asked[0])}" + (f"至{chinese_date(asked[-1])}" if len(asked) > 1 else "") if asked else ""
    who = f"{lines[0].name}{'等' if len(lines) > 1 else ''}{len(lines)}名应聘人员"
    doc.line(f"你单位{when}提出的{who}身份核查申请收悉。经核查，结果如下：")
    rows = [["序号", "姓名", "身份证号", "应聘岗位", "核查结果"]]
    rows += [[str(n), line.name, mask_id_number(line.id_number), line.job, line.result_label]
             for n, line in enumerate(lines, 1)]
    doc.add(Spacer(1, 2 * mm), doc.grid(rows, (12, 30, 48, 36, 40), header=True, centred_columns=(0, 4)),
            Spacer(1, 3 * mm))
    doc.line("说明：核查结果仅供你单位招用人员时参考，不得用于其他用途，不得向他人提供；"
             "结果为“需进一步核查”的，请告知本人携带身份证件到我所说明情况。")
    doc.add(KeepTogether(doc.seal(body, answered)))
    return doc.finish(title=f"{LETTER_TITLE} {enterprise}", suggested_name=f"{LETTER_TITLE}-{enterprise}.pdf",
                      audit=("enterprise", lines[0].enterprise_id, LETTER_TITLE))

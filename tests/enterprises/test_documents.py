"""The area's documents read back from the PDF: 安全检查记录, 通知书 with its stub, 复查意见书, hire-check papers."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from app.audit.log import record_document
from app.core.errors import UserError
from app.enterprises.hire_check_pdf import hire_check_letter, hire_check_list
from app.enterprises.hire_checks import HireCheckValues, add_hire_check, answer_hire_check
from app.enterprises.inspection_pdf import inspection_sheet
from app.enterprises.notice_pdf import notice_sheet, recheck_sheet
from app.enterprises.notices import NoticeValues, RecheckValues, issue_notice, record_recheck
from app.enterprises.rectifications import rectifications_of
from app.output.pdf import chinese_date, save_document
from db.models import AuditEntry
from tests.enterprises.conftest import DEADLINE, INSPECTED, LATER, TODAY

ISSUED = INSPECTED + timedelta(days=1)


def pages(pdf: bytes) -> list[str]:
    return [re.sub(r"\s+", "", page.extract_text()) for page in PdfReader(io.BytesIO(pdf)).pages]


def issue(db, inspection_id: str):
    return issue_notice(db, inspection_id=inspection_id, today=TODAY, values=NoticeValues(
        issued_on=ISSUED, issuer="陈所长", delivered_on=ISSUED, receiver="吴卫东"))


def test_the_inspection_record_prints_the_checklist_results_opinion_and_signature_lines(db, failed_inspection):
    rendered = inspection_sheet(db, inspection_id=failed_inspection)
    text = "".join(pages(rendered.pdf))
    for expected in ("安全检查记录", "杭州恒信化工有限公司", "涉危化", chinese_date(INSPECTED), "王警官、李警官",
                     "吴卫东（保卫科长）", "值班制度落实，有值班记录", "不合格", "夜间值班记录缺失", "不适用",
                     "无门禁系统", "■不合格", "责令限期整改，逾期不改依法处理", "检查人员（签名）",
                     "被检查单位负责人（签名）"):
        assert expected in text, expected
    assert rendered.audit == ("inspection", failed_inspection, "安全检查记录") and rendered.missing == []


def test_the_notice_prints_its_number_violations_deadline_duties_and_a_stub(db, failed_inspection):
    number = issue(db, failed_inspection).number
    rendered = notice_sheet(db, inspection_id=failed_inspection)
    assert rendered.pages == 2
    notice, stub = pages(rendered.pdf)
    for expected in ("责令限期整改通知书", f"编号：{number}", "杭州恒信化工有限公司：", chinese_date(INSPECTED),
                     "王警官、李警官", "一、〔人防〕值班制度落实，有值班记录：夜间值班记录缺失",
                     f"（限{chinese_date(DEADLINE)}前改正）", "二、〔技防〕录像保存不少于30天：录像仅保存7天",
                     f"在{chinese_date(LATER)}前改正", "书面报告我所", "整改期间，你单位应当采取必要的防范措施",
                     "逾期不改正的，我所将依法予以处罚", "公安派出所（印）", chinese_date(ISSUED), "被检查单位签收"):
        assert expected in notice, expected
    for expected in ("责令限期整改通知书（存根）", number, "签发人陈所长", f"送达日期{chinese_date(ISSUED)}",
                     "签收人吴卫东", "检查人员王警官、李警官", "填发人（签名）"):
        assert expected in stub, expected
    assert rendered.audit[0] == "rectification_notice" and rendered.suggested_name == f"责令限期整改通知书-{number}.pdf"


def test_printing_or_saving_a_notice_is_audited(db, officer, failed_inspection, tmp_path):
    issue(db, failed_inspection)
    rendered = notice_sheet(db, inspection_id=failed_inspection)
    save_document(db, rendered, tmp_path / "notice.pdf")
    table, record_id, document = rendered.audit
    record_document(db, "print", table=table, record_id=record_id, document=document, pages=rendered.pages)
    with db.connect() as conn:
        a = AuditEntry.__table__.c
        entries = conn.execute(select(a.action, a.table_name, a.detail).where(a.action.in_(("pdf", "print")))
                               .order_by(a.at)).all()
    assert [(e.action, e.table_name, e.detail["document"]) for e in entries] == [
        ("pdf", "rectification_notice", "责令限期整改通知书"), ("print", "rectification_notice", "责令限期整改通知书")]


def test_the_recheck_opinion_refers_to_the_notice_and_says_the_outcome(db, failed_inspection):
    number = issue(db, failed_inspection).number
    first, second = rectifications_of(db, inspection_id=failed_inspection)
    done = record_recheck(db, inspection_id=failed_inspection, today=TODAY, values=RecheckValues(
        rechecked_on=TODAY, inspectors=("王警官", "赵警官"), opinion="监控录像仍只保存7天。", outcome="enforcement",
        fixed=(first.id,)))
    text = "".join(pages(recheck_sheet(db, inspection_id=failed_inspection).pdf))
    for expected in ("复查意见书", f"编号：{done.number}", f"（编号：{number}）", "王警官、赵警官",
                     f"已整改（{chinese_date(TODAY)}）", "录像仅保存7天：未整改", "复查意见：监控录像仍只保存7天。",
                     "逾期未改正上述问题", "转入执法办案程序"):
        assert expected in text, expected
    assert second.id


def test_documents_that_do_not_exist_yet_are_refused_in_words(db, failed_inspection):
    with pytest.raises(UserError, match="该检查没有下发责令限期整改通知书"):
        notice_sheet(db, inspection_id=failed_inspection)
    with pytest.raises(UserError, match="该检查尚未复查"):
        recheck_sheet(db, inspection_id=failed_inspection)
    with pytest.raises(UserError, match="找不到这次安全检查"):
        notice_sheet(db, inspection_id="nothing")


def test_hire_check_list_has_full_numbers_and_the_letter_masked_numbers_and_no_details(db, officer, enterprise):
    asked = TODAY - timedelta(days=3)
    ids = [add_hire_check(db, enterprise_id=enterprise, today=TODAY, values=HireCheckValues(
        name=name, id_number=number, job="操作工", requested_on=asked, basis="本人书面同意")).id
        for name, number in (("赵六", "11010519491231002X"), ("钱七", "440524198001010013"))]
    text = "".join(pages(hire_check_list(db, start=asked, end=TODAY).pdf))
    for expected in ("招工人员身份核查申请清单", "11010519491231002X", "440524198001010013", "本人书面同意",
                     "□未见异常□需进一步核查□已移交", "共2人", "不得复印、外传"):
        assert expected in text, expected
    with pytest.raises(UserError, match="赵六的核查尚未答复"):
        hire_check_letter(db, hire_check_ids=ids)
    answer_hire_check(db, hire_check_id=ids[0], answered_on=TODAY, result="clear", today=TODAY)
    answer_hire_check(db, hire_check_id=ids[1], answered_on=TODAY, result="flagged", notes="涉嫌盗窃前科记录",
                      today=TODAY)
    letter = hire_check_letter(db, hire_check_ids=ids)
    text = "".join(pages(letter.pdf))
    for expected in ("招工人员身份核查情况回复函", "杭州恒信化工有限公司：", "赵六等2名应聘人员", "110105********002X",
                     "未见异常", "需进一步核查", "不得用于其他用途"):
        assert expected in text, expected
    assert "11010519491231002X" not in text and "盗窃" not in text
    assert letter.audit == ("enterprise", enterprise, "招工人员身份核查情况回复函")
    with pytest.raises(UserError, match="没有招工身份核查申请"):
        hire_check_list(db, start=TODAY - timedelta(days=100), end=TODAY - timedelta(days=90))

"""The three ledgers read back from the .xlsx, and the year view with its 评选 list."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from app.core.errors import UserError
from app.enterprises import inspection_ledger, ledger, rectification_ledger
from app.enterprises.inspections import InspectionValues, ItemValues, record_inspection
from app.enterprises.liaison import LiaisonValues, RequestValues, add_liaison, add_request, answer_request
from app.enterprises.notices import NoticeValues, RecheckValues, issue_notice, record_recheck
from app.enterprises.rectifications import rectifications_of, report_done
from app.enterprises.register import add_enterprise
from app.enterprises.stats import format_rate, selection_list, year_view
from db.models import AuditEntry
from tests.enterprises.conftest import DEADLINE, INSPECTED, LATER, TODAY, enterprise_values

START, END = INSPECTED - timedelta(days=5), TODAY


def read(path) -> list[list]:
    sheet = load_workbook(path).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def flow_to_the_end(db, inspection_id: str) -> None:
    """Notice the day after; the first item put right in time, the second only at the re-check."""
    issue_notice(db, inspection_id=inspection_id, today=TODAY, values=NoticeValues(
        issued_on=INSPECTED + timedelta(days=1), issuer="陈所长"))
    first, second = rectifications_of(db, inspection_id=inspection_id)
    report_done(db, rectification_id=first.id, done_on=DEADLINE - timedelta(days=1), today=TODAY)
    record_recheck(db, inspection_id=inspection_id, today=TODAY, values=RecheckValues(
        rechecked_on=TODAY, inspectors="王警官、李警官", opinion="均已整改", outcome="passed",
        fixed=(first.id, second.id)))


def test_the_enterprise_ledger_lists_the_register_with_the_periods_work(db, officer, enterprise, failed_inspection,
                                                                       tmp_path):
    add_liaison(db, enterprise_id=enterprise, today=TODAY, values=LiaisonValues("opinions", TODAY, "听取意见"))
    path = tmp_path / "企业.xlsx"
    assert ledger.write_ledger(db, start=START, end=END, path=path) == 1
    header, row = read(path)
    assert header[:4] == ["序号", "企业名称", "统一社会信用代码", "类别"]
    values = dict(zip(header, row))
    assert (values["企业名称"], values["类别"], values["包企民警"], values["保安人数"]) == (
        "杭州恒信化工有限公司", "涉危化", "王警官", 6)
    assert (values["期内联络次数"], values["期内检查次数"], values["未整改隐患"]) == (1, 1, 2)
    assert values["最近检查日期"] == INSPECTED.isoformat() and values["标签"] == "涉危化、重点单位"
    with db.connect() as conn:
        a = AuditEntry.__table__.c
        [detail] = conn.execute(select(a.detail).where(a.action == "ledger")).scalars().all()
    assert detail["ledger"] == "企业基本情况台账" and detail["rows"] == 1


def test_the_inspection_ledger_has_failed_items_notice_and_recheck(db, failed_inspection, tmp_path):
    flow_to_the_end(db, failed_inspection)
    path = tmp_path / "检查.xlsx"
    assert inspection_ledger.write_ledger(db, start=START, end=END, path=path) == 1
    header, row = read(path)
    values = dict(zip(header, row))
    assert (values["检查日期"], values["检查人员"], values["检查项目数"], values["不合格项数"]) == (
        INSPECTED.isoformat(), "王警官、李警官", 4, 2)
    assert values["不合格项目"] == "值班制度落实，有值班记录：夜间值班记录缺失；录像保存不少于30天：录像仅保存7天"
    assert values["整改通知书编号"].endswith("-Z0001") and values["改正期限"] == LATER.isoformat()
    assert (values["复查结论"], values["状态"]) == ("复查通过", "复查通过")


def test_the_rectification_ledger_says_on_time_or_not(db, failed_inspection, tmp_path):
    flow_to_the_end(db, failed_inspection)
    path = tmp_path / "整改.xlsx"
    assert rectification_ledger.write_ledger(db, start=START, end=END, path=path) == 2
    header, *rows = read(path)
    got = [(r[header.index("隐患内容")], r[header.index("整改期限")], r[header.index("按期整改")],
            r[header.index("状态")]) for r in rows]
    assert got == [("值班制度落实，有值班记录：夜间值班记录缺失", DEADLINE.isoformat(), "是", "整改到位"),
                   ("录像保存不少于30天：录像仅保存7天", LATER.isoformat(), "否", "整改到位")]


def test_a_bad_period_is_refused_before_a_file_is_made(db, tmp_path):
    for module in (ledger, inspection_ledger, rectification_ledger):
        with pytest.raises(UserError, match="结束日期不能早于开始日期"):
            module.write_ledger(db, start=TODAY, end=TODAY - timedelta(days=1), path=tmp_path / "x.xlsx")
        with pytest.raises(UserError, match="最多导出五年"):
            module.write_ledger(db, start=date(2000, 1, 1), end=TODAY, path=tmp_path / "x.xlsx")
    assert not (tmp_path / "x.xlsx").exists()


def test_the_year_view_counts_per_enterprise_officer_and_station(db, officer, enterprise):
    year = 2025
    other = add_enterprise(db, values=enterprise_values(name="杭州安泰物流有限公司", credit_code="", category="key"),
                           liaison_officer_id=officer, liaison_from=date(2025, 1, 1), today=TODAY)
    failing = InspectionValues(
        inspected_on=date(2025, 3, 2), inspectors=("王警官", "李警官"), categories=("人防",), result="issues",
        opinion="限期整改", deadline=date(2025, 3, 17),
        items=[ItemValues("人防", "值班", "fail", "无值班记录"), ItemValues("人防", "巡查", "fail", "无巡查"),
               ItemValues("人防", "培训", "pass")])
    iid = record_inspection(db, enterprise_id=enterprise, values=failing, today=TODAY)
    issue_notice(db, inspection_id=iid, today=TODAY, values=NoticeValues(issued_on=date(2025, 3, 3), issuer="陈所长"))
    first, second = rectifications_of(db, inspection_id=iid)
    report_done(db, rectification_id=first.id, done_on=date(2025, 3, 10), today=TODAY)
    record_recheck(db, inspection_id=iid, today=TODAY, values=RecheckValues(
        rechecked_on=date(2025, 3, 20), inspectors=("王警官", "李警官"), opinion="巡查仍未落实", outcome="enforcement",
        fixed=(first.id,)))
    passing = InspectionValues(inspected_on=date(2025, 6, 1), inspectors=("王警官", "李警官"), categories=("消防",),
                               items=[ItemValues("消防", "灭火器", "pass")])
    record_inspection(db, enterprise_id=other, values=passing, today=TODAY)
    record_inspection(db, enterprise_id=other, values=InspectionValues(
        inspected_on=date(2025, 9, 1), inspectors=("王警官", "李警官"), categories=("消防",),
        items=[ItemValues("消防", "灭火器", "pass")]), today=TODAY)
    rid = add_request(db, enterprise_id=other, today=TODAY,
                      values=RequestValues(date(2025, 5, 1), "停车难", date(2025, 5, 15)))
    answer_request(db, request_id=rid, answered_on=date(2025, 5, 10), answer="已协调", today=TODAY)
    add_request(db, enterprise_id=enterprise, today=TODAY,
                values=RequestValues(date(2025, 7, 1), "培训", date(2025, 7, 15)))

    view = year_view(db, year=year, on=TODAY)
    by_name = {e.name: e.counts for e in view.enterprises}
    chem, logistics = by_name["杭州恒信化工有限公司"], by_name["杭州安泰物流有限公司"]
    assert (chem.inspections, chem.items_failed, chem.rectifications_due, chem.rectified_on_time,
            chem.to_enforcement) == (1, 2, 2, 1, 1)
    assert format_rate(chem.on_time_rate) == "50.0%" and format_rate(chem.answered_rate) == "0.0%"
    assert (logistics.inspections, logistics.items_failed, format_rate(logistics.answered_rate)) == (2, 0, "100.0%")
    station = view.station
    assert (station.inspections, station.items_failed, station.requests, station.requests_answered) == (3, 2, 2, 1)
    assert view.by_officer["王警官"].inspections == 3
    assert view.to_dict()["station"]["on_time_rate"] == 0.5
    [candidate] = selection_list(view)
    assert candidate.name == "杭州安泰物流有限公司" and "检查2次" in candidate.reason
    with pytest.raises(UserError, match="年份不合理"):
        year_view(db, year=1990)

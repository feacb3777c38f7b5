"""Inspections and the rectification flow: 检查 -> 通知书 -> 复查 -> 复查通过 / 转执法办案, refused moves in words."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from app.core.errors import UserError
from app.enterprises.inspections import ItemValues, inspection_record, inspections_of, record_inspection
from app.enterprises.notices import (
    NoticeValues,
    RecheckValues,
    deliver_notice,
    flow_state,
    issue_notice,
    notice_of,
    record_recheck,
)
from app.enterprises.rectifications import rectifications_due, rectifications_of, report_done
from app.enterprises.worklist import enterprise_worklist, rechecks_due
from db.models import Inspection, InspectionItem, Recheck, Rectification, RectificationNotice
from tests.enterprises.conftest import DEADLINE, INSPECTED, LATER, TODAY, failing_inspection

ISSUED = INSPECTED + timedelta(days=1)


def count(db, model) -> int:
    with db.connect() as conn:
        return conn.execute(select(func.count()).select_from(model.__table__)).scalar()


def notice(db, inspection_id, **overrides):
    values = dict(issued_on=ISSUED, issuer="陈所长", delivered_on=ISSUED, receiver="吴卫东")
    values.update(overrides)
    return issue_notice(db, inspection_id=inspection_id, values=NoticeValues(**values), today=TODAY)


def recheck(db, inspection_id, *, outcome, fixed=(), on=TODAY):
    return record_recheck(db, inspection_id=inspection_id, today=TODAY, values=RecheckValues(
        rechecked_on=on, inspectors=("王警官", "李警官"), opinion="现场复查", outcome=outcome, fixed=tuple(fixed)))


def test_each_failed_item_becomes_a_rectification_due_on_its_deadline(db, failed_inspection):
    record = inspection_record(db, inspection_id=failed_inspection)
    assert [(i.category, i.result) for i in record.items] == [
        ("人防", "fail"), ("人防", "pass"), ("技防", "fail"), ("技防", "na")]
    assert record.inspectors == ("王警官", "李警官") and record.categories == ("人防", "技防")
    items = rectifications_of(db, inspection_id=failed_inspection)
    assert [(r.problem, r.deadline) for r in items] == [
        ("值班制度落实，有值班记录：夜间值班记录缺失", DEADLINE), ("录像保存不少于30天：录像仅保存7天", LATER)]
    assert flow_state(db, inspection_id=failed_inspection) == "notice_due"
    [line] = inspections_of(db, enterprise_id=record.enterprise_id)
    assert (line.result, line.failed, line.categories) == ("不合格", 2, "人防、技防")


@pytest.mark.parametrize("overrides, said", [
    (dict(inspectors=("王警官",)), "检查人员至少两名"),
    (dict(inspectors="王警官、王警官"), "检查人员至少两名"),
    (dict(inspected_on=TODAY + timedelta(days=1)), "检查日期不能晚于今天"),
    (dict(result="passed"), "有不合格项目，检查结果应为不合格"),
    (dict(opinion=""), "请填写整改或处罚意见"),
    (dict(deadline=None), "请确定整改期限"),
    (dict(deadline=INSPECTED), "整改期限应晚于检查日期"),
    (dict(categories=("人防", "技防", "消防")), "“消防”没有检查项目"),
    (dict(categories=("人防", "反恐")), "没有“反恐”这类检查"),
])
def test_a_bad_record_is_refused_in_words_and_nothing_is_saved(db, enterprise, overrides, said):
    with pytest.raises(UserError, match=said):
        record_inspection(db, enterprise_id=enterprise, values=failing_inspection(**overrides), today=TODAY)
    assert count(db, Inspection) == count(db, InspectionItem) == count(db, Rectification) == 0


def test_a_failed_item_needs_the_problem_written(db, enterprise):
    values = failing_inspection()
    values.items[0] = ItemValues("人防", "值班制度落实，有值班记录", "fail", " ")
    with pytest.raises(UserError, match="不合格，请写明存在的问题"):
        record_inspection(db, enterprise_id=enterprise, values=values, today=TODAY)


def test_a_passed_inspection_has_no_flow(db, enterprise):
    items = [ItemValues("人防", "门卫制度落实", "pass"), ItemValues("技防", "视频监控", "na")]
    values = failing_inspection(result="passed", opinion="", deadline=None, items=items)
    iid = record_inspection(db, enterprise_id=enterprise, values=values, today=TODAY)
    assert flow_state(db, inspection_id=iid) == "passed"
    with pytest.raises(UserError, match="检查结果为合格，没有需要整改的问题"):
        notice(db, iid)
    with pytest.raises(UserError, match="检查结果为合格，无需复查"):
        recheck(db, iid, outcome="passed")


def test_inspection_notice_recheck_passed(db, failed_inspection):
    with pytest.raises(UserError, match="尚未下发责令限期整改通知书，不能复查"):
        recheck(db, failed_inspection, outcome="passed")
    issued = notice(db, failed_inspection)
    assert issued.number == f"{ISSUED.year}-{db.device.short_code}-Z0001"
    assert flow_state(db, inspection_id=failed_inspection) == "rectifying"
    row = notice_of(db, inspection_id=failed_inspection)
    assert (row.deadline, row.addressee, row.receiver) == (LATER, "杭州恒信化工有限公司", "吴卫东")
    with pytest.raises(UserError, match=f"已下发整改通知书（编号 {issued.number}），不能重复下发"):
        notice(db, failed_inspection)

    first, second = rectifications_of(db, inspection_id=failed_inspection)
    report_done(db, rectification_id=first.id, done_on=DEADLINE - timedelta(days=2), today=TODAY)
    with pytest.raises(UserError, match="还有1项未整改到位（录像保存不少于30天：录像仅保存7天），不能判为复查通过"):
        recheck(db, failed_inspection, outcome="passed", fixed=[first.id])
    with pytest.raises(UserError, match="各项均已整改到位，应判为复查通过"):
        recheck(db, failed_inspection, outcome="enforcement", fixed=[first.id, second.id])
    done = recheck(db, failed_inspection, outcome="passed", fixed=[first.id, second.id])
    assert done.number == f"{TODAY.year}-{db.device.short_code}-F0001"
    assert flow_state(db, inspection_id=failed_inspection) == "recheck_passed"
    items = rectifications_of(db, inspection_id=failed_inspection)
    assert [(r.done_on, r.verified, r.closed_on, r.state(TODAY)) for r in items] == [
        (DEADLINE - timedelta(days=2), True, TODAY, "整改到位"), (TODAY, True, TODAY, "整改到位")]
    assert items[0].on_time and not items[1].on_time  # put right only at the re-check, after its deadline
    with pytest.raises(UserError, match="该检查已复查（复查通过），不能再次复查"):
        recheck(db, failed_inspection, outcome="passed", fixed=[first.id, second.id])
    with pytest.raises(UserError, match="已于.*复查结案"):
        report_done(db, rectification_id=first.id, done_on=TODAY, today=TODAY)


def test_overdue_items_go_to_enforcement_only_after_the_deadline(db, failed_inspection):
    notice(db, failed_inspection, deadline=LATER)
    first, _second = rectifications_of(db, inspection_id=failed_inspection)
    with pytest.raises(UserError, match=f"改正期限（{LATER.isoformat()}）未过，尚不能判为逾期未改"):
        recheck(db, failed_inspection, outcome="enforcement", fixed=[first.id], on=LATER)
    with pytest.raises(UserError, match="复查日期不能早于整改通知书的下发日期"):
        recheck(db, failed_inspection, outcome="passed", on=INSPECTED)
    recheck(db, failed_inspection, outcome="enforcement", fixed=[first.id], on=LATER + timedelta(days=1))
    assert flow_state(db, inspection_id=failed_inspection) == "enforcement"
    states = [r.state(TODAY) for r in rectifications_of(db, inspection_id=failed_inspection)]
    assert states == ["整改到位", "逾期未改，已转执法办案"]
    assert rectifications_due(db, on=TODAY) == []  # the case team has it now


def test_a_notice_deadline_caps_the_items_deadlines(db, failed_inspection):
    cap = DEADLINE + timedelta(days=5)
    notice(db, failed_inspection, deadline=cap)
    assert [r.deadline for r in rectifications_of(db, inspection_id=failed_inspection)] == [DEADLINE, cap]


def test_refused_notices_change_nothing(db, failed_inspection):
    cases = [(dict(issuer=""), "请填写签发人"),
             (dict(issued_on=INSPECTED - timedelta(days=1)), "下发日期不能早于检查日期"),
             (dict(deadline=ISSUED), "改正期限应晚于下发日期"),
             (dict(delivered_on=INSPECTED), "送达日期不能早于下发日期"),
             (dict(issued_on=LATER + timedelta(days=1), delivered_on=None), "整改期限（.*）已到，请重新确定改正期限")]
    for overrides, said in cases:
        with pytest.raises(UserError, match=said):
            notice(db, failed_inspection, **overrides)
    assert count(db, RectificationNotice) == 0 and flow_state(db, inspection_id=failed_inspection) == "notice_due"
    assert [r.deadline for r in rectifications_of(db, inspection_id=failed_inspection)] == [DEADLINE, LATER]


def test_delivery_is_filled_in_later(db, failed_inspection):
    notice(db, failed_inspection, delivered_on=None, receiver="")
    deliver_notice(db, inspection_id=failed_inspection, delivered_on=ISSUED + timedelta(days=1), receiver="周建国",
                   today=TODAY)
    row = notice_of(db, inspection_id=failed_inspection)
    assert (row.delivered_on, row.receiver) == (ISSUED + timedelta(days=1), "周建国")


def test_rectification_deadlines_on_the_worklist_and_a_recheck_when_all_are_reported(db, failed_inspection):
    on = DEADLINE
    assert [(i.kind, i.state(on)) for i in enterprise_worklist(db, on=on, soon_days=7)] == [
        ("整改", "今日到期")]  # the later one is 15 days off
    assert [i.state(on) for i in rectifications_due(db, on=on, soon_days=15)] == ["今日到期", "15天后到期"]
    notice(db, failed_inspection)
    for line in rectifications_of(db, inspection_id=failed_inspection):
        report_done(db, rectification_id=line.id, done_on=DEADLINE, today=TODAY)
    assert rectifications_due(db, on=TODAY) == []
    [item] = rechecks_due(db, on=TODAY)
    assert item.kind == "复查" and item.table == "inspection" and item.record_id == failed_inspection
    assert item.due == LATER and "待复查" in item.what
    recheck(db, failed_inspection, outcome="passed",
            fixed=[r.id for r in rectifications_of(db, inspection_id=failed_inspection)])
    assert enterprise_worklist(db, on=TODAY) == []
    assert count(db, Recheck) == 1


def test_report_done_refuses_a_day_before_the_inspection_or_in_the_future(db, failed_inspection):
    line = rectifications_of(db, inspection_id=failed_inspection)[0]
    with pytest.raises(UserError, match="整改日期不能早于检查日期"):
        report_done(db, rectification_id=line.id, done_on=INSPECTED - timedelta(days=1), today=TODAY)
    with pytest.raises(UserError, match="整改日期不能晚于今天"):
        report_done(db, rectification_id=line.id, done_on=TODAY + timedelta(days=1), today=TODAY)
    assert rectifications_of(db, inspection_id=failed_inspection)[0].done_on is None


def test_deadlines_on_given_dates(db, enterprise):
    day = date(2026, 3, 2)
    values = failing_inspection(inspected_on=day, deadline=date(2026, 3, 17))
    values.items[2].deadline = date(2026, 4, 1)
    iid = record_inspection(db, enterprise_id=enterprise, values=values, today=date(2026, 3, 2))
    assert [r.deadline for r in rectifications_of(db, inspection_id=iid)] == [date(2026, 3, 17), date(2026, 4, 1)]
    assert [i.state(date(2026, 3, 18)) for i in rectifications_due(db, on=date(2026, 3, 18), soon_days=14)] == [
        "逾期1天", "14天后到期"]
    assert [i.state(date(2026, 3, 10)) for i in rectifications_due(db, on=date(2026, 3, 10))] == ["7天后到期"]

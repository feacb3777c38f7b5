"""警企联络: the log of contacts, and requests (诉求) tracked to an answer and on the 工作台 until then."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.core.errors import UserError
from app.enterprises.liaison import (
    LiaisonValues,
    RequestValues,
    add_liaison,
    add_request,
    answer_request,
    liaison_log,
    requests_due,
    requests_of,
)
from app.enterprises.worklist import enterprise_worklist
from db.models import EnterpriseRequest, LiaisonVisit
from tests.enterprises.conftest import TODAY


def count(db, model) -> int:
    with db.connect() as conn:
        return conn.execute(select(func.count()).select_from(model.__table__)).scalar()


def test_the_log_keeps_kind_date_content_and_people_met_newest_first(db, officer, enterprise):
    add_liaison(db, enterprise_id=enterprise, officer_id=officer, today=TODAY, values=LiaisonValues(
        "incident", TODAY - timedelta(days=3), "通报近期周边盗窃电动车警情，提醒加强巡查。", "吴卫东（保卫科长）"))
    add_liaison(db, enterprise_id=enterprise, officer_id=officer, today=TODAY, values=LiaisonValues(
        "anti_fraud", TODAY, "为职工开展反诈宣传讲座。", "周建国、员工40余人"))
    log = liaison_log(db, enterprise_id=enterprise)
    assert [(line.kind, line.visited_on, line.met, line.officer) for line in log] == [
        ("反诈宣传", TODAY, "周建国、员工40余人", "王警官"),
        ("通报警情", TODAY - timedelta(days=3), "吴卫东（保卫科长）", "王警官")]


@pytest.mark.parametrize("values, said", [
    (LiaisonValues("visit", TODAY, "走访"), "请选择联络事项"),
    (LiaisonValues("opinions", TODAY + timedelta(days=1), "听取意见"), "联络日期不能晚于今天"),
    (LiaisonValues("opinions", TODAY, "  "), "请写明联络内容"),
    (LiaisonValues("opinions", TODAY, "听取意见", "人" * 101), "最多100个字"),
])
def test_a_bad_log_entry_is_refused_and_nothing_is_saved(db, enterprise, values, said):
    with pytest.raises(UserError, match=said):
        add_liaison(db, enterprise_id=enterprise, values=values, today=TODAY)
    assert count(db, LiaisonVisit) == 0


def test_requests_stay_on_the_worklist_until_answered(db, officer, enterprise):
    late = add_request(db, enterprise_id=enterprise, officer_id=officer, today=TODAY, values=RequestValues(
        TODAY - timedelta(days=20), "希望协调解决厂区门口夜间停车占道问题。", TODAY - timedelta(days=5)))
    soon = add_request(db, enterprise_id=enterprise, officer_id=officer, today=TODAY, values=RequestValues(
        TODAY, "申请为新入职员工开展安全培训。", TODAY + timedelta(days=30)))
    items = requests_due(db, on=TODAY)
    assert [(i.record_id, i.state(TODAY), i.table) for i in items] == [
        (late, "逾期5天", "enterprise_request"), (soon, "30天后到期", "enterprise_request")]
    assert items[0].what == "杭州恒信化工有限公司：希望协调解决厂区门口夜间停车占道问题。"
    answer_request(db, request_id=late, answered_on=TODAY, answer="已协调交警设置临时停车区。", today=TODAY)
    assert [i.record_id for i in enterprise_worklist(db, on=TODAY)] == [soon]
    lines = requests_of(db, enterprise_id=enterprise)
    assert [(x.id, x.state(TODAY)) for x in lines] == [(soon, "待答复"), (late, "已答复")]


def test_refused_requests_and_answers_say_why(db, enterprise):
    with pytest.raises(UserError, match="答复期限不能早于提出日期"):
        add_request(db, enterprise_id=enterprise, today=TODAY,
                    values=RequestValues(TODAY, "诉求", TODAY - timedelta(days=1)))
    assert count(db, EnterpriseRequest) == 0
    rid = add_request(db, enterprise_id=enterprise, today=TODAY,
                      values=RequestValues(TODAY - timedelta(days=2), "诉求内容", TODAY))
    with pytest.raises(UserError, match="答复日期不能早于提出日期"):
        answer_request(db, request_id=rid, answered_on=TODAY - timedelta(days=3), answer="已办", today=TODAY)
    with pytest.raises(UserError, match="请写明答复内容"):
        answer_request(db, request_id=rid, answered_on=TODAY, answer=" ", today=TODAY)
    answer_request(db, request_id=rid, answered_on=TODAY, answer="已办理", today=TODAY)
    with pytest.raises(UserError, match="已于.*答复"):
        answer_request(db, request_id=rid, answered_on=TODAY, answer="再答一次", today=TODAY)
    with pytest.raises(UserError, match="找不到这个企业"):
        add_request(db, enterprise_id="nowhere", today=TODAY, values=RequestValues(TODAY, "诉求", TODAY))

"""Risk warnings: words in the facts (not when negated), the same parties again, frequent incidents."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.disputes.risk import dispute_warnings, has_text_warning, is_below, suggested_level, text_warnings
from app.disputes.status import transition
from tests.support.disputes import NOW, applicant, register, respondent


@pytest.mark.parametrize(("facts", "codes"), [
    ("李四扬言要和张三同归于尽。", {"threat"}),
    ("王某在楼道里恐吓邻居，说要报复。", {"threat"}),
    ("争吵中李四拿出菜刀挥舞。", {"weapon"}),
    ("对方家中藏有枪支，扬言要报复。", {"weapon", "threat"}),
    ("当事人情绪激动，称要喝农药寻死。", {"extreme"}),
    ("丈夫长期家暴，妻子多处受伤。", {"violence"}),
    ("二十余名工人聚集在工地门口讨薪。", {"crowd"}),
    ("双方因停车位问题发生口角。", set()),
    ("经查，李四未携带刀具，也没有威胁对方。", set()),
])
def test_words_in_the_facts_raise_warnings(facts, codes):
    assert {w.code for w in text_warnings(facts)} == codes


@pytest.mark.parametrize("facts", [
    "李四扬言要和张三同归于尽。", "双方因停车位问题发生口角。", "经查，李四未携带刀具，也没有威胁对方。",
    "李四未动手，但随后拿刀追赶张三。", "", None, "否认殴打", "没有打人，也未聚集"])
def test_the_lists_warning_mark_is_whether_the_facts_raise_a_warning(facts):
    # The list asks for every row; it tells at once from the words, the same answer as the warnings.
    assert has_text_warning(facts) == bool(text_warnings(facts))


def test_a_negation_only_covers_its_own_clause():
    assert {w.code for w in text_warnings("李四未动手，但随后拿刀追赶张三。")} == {"weapon"}


def test_warnings_quote_what_raised_them_and_suggest_a_level():
    warnings = text_warnings("李四扬言报复，并拿出刀。")
    assert any("“扬言”“报复”" in w.message for w in warnings)
    assert suggested_level(warnings) == "high" and suggested_level(text_warnings("多人聚集")) == "medium"
    assert suggested_level([]) is None
    assert is_below("low", "high") and not is_below("high", "medium") and not is_below("low", None)


def test_the_same_parties_in_another_dispute_are_flagged(db):
    first = register(db, parties=[applicant("张三", id_number="11010519491231002X"), respondent("李四")])
    second = register(db, kind="debt", parties=[applicant("王五"), respondent("张三", id_number="11010519491231002X")])
    assert dispute_warnings(db, first.id)[0].code == "repeat"
    [warning] = [w for w in dispute_warnings(db, second.id) if w.code == "repeat"]
    assert "张三" in warning.message and first.number in warning.message


def test_the_same_name_with_another_phone_is_not_the_same_person(db):
    first = register(db, parties=[applicant("张伟", phone="13800138000"), respondent("李四", phone="13900139001")])
    register(db, parties=[applicant("张伟", phone="13700137000"), respondent("赵六", phone="13900139002")])
    assert not [w for w in dispute_warnings(db, first.id) if w.code == "repeat"]


def test_third_parties_do_not_make_disputes_repeat(db):
    third = {"role": "third_party", "name": "物业服务中心", "phone": "057188886666"}
    from app.disputes.register import PartyValues

    first = register(db, parties=[applicant("甲"), respondent("乙"), PartyValues(**third)])
    register(db, parties=[applicant("丙"), respondent("丁"), PartyValues(**third)])
    assert dispute_warnings(db, first.id) == []


def test_three_incidents_within_30_days_are_frequent(db):
    parties = [applicant("张三", phone="13800138000"), respondent("李四", phone="13900139000")]
    first = register(db, parties=parties, occurred_at=NOW - timedelta(days=29))
    register(db, parties=parties, occurred_at=NOW - timedelta(days=15))
    assert "frequent" not in {w.code for w in dispute_warnings(db, first.id)}
    third = register(db, parties=parties, occurred_at=NOW - timedelta(days=1))
    assert "frequent" in {w.code for w in dispute_warnings(db, third.id)}
    assert "frequent" in {w.code for w in dispute_warnings(db, first.id)}


def test_incidents_further_apart_than_30_days_are_not_frequent(db):
    parties = [applicant("张三", phone="13800138000"), respondent("李四", phone="13900139000")]
    for days in (100, 60, 20):
        last = register(db, parties=parties, occurred_at=NOW - timedelta(days=days))
    assert "frequent" not in {w.code for w in dispute_warnings(db, last.id)}


def test_relapses_count_as_incidents(db):
    dispute = register(db, occurred_at=NOW - timedelta(days=10))
    for to in ("mediating", "resolved", "mediating", "resolved", "mediating"):
        transition(db, dispute_id=dispute.id, to=to, reason="反复")
    assert "frequent" in {w.code for w in dispute_warnings(db, dispute.id)}


def test_the_high_risk_list_is_the_unsettled_high_disputes_with_their_warnings(db):
    from app.disputes.queries import count_high_risk, high_risk, search_disputes
    from app.disputes.status import set_risk, transition

    rated = register(db, facts="双方因停车位发生口角，情绪激动。", occurred_at=NOW - timedelta(hours=3))
    set_risk(db, dispute_id=rated.id, level="high")
    worded = register(db, facts="李四扬言要拿刀报复张三。", risk_level="high", occurred_at=NOW - timedelta(hours=2))
    register(db, facts="李四未携带刀具，双方已平静。")  # negated: no warning, stays low
    lowered = register(db, facts="王五威胁要砸车。", risk_level="low", risk_reason="双方系亲属，已当场和好")
    settled = register(db, facts="王五威胁要砸车。", risk_level="high")
    transition(db, dispute_id=settled.id, to="mediating", reason="调处")
    transition(db, dispute_id=settled.id, to="resolved", reason="化解")
    lines = high_risk(db)
    assert [line.number for line in lines] == [worded.number, rated.number]  # newest first
    assert any("报复" in w for w in lines[0].warnings) and lines[1].warnings == []
    assert high_risk(db, limit=1)[0].number == worded.number
    # The 高风险 view, the 工作台's card and the watch list count the same disputes.
    in_view = {row.id for row in search_disputes(db, view="high")}
    assert in_view == {line.dispute_id for line in lines} and count_high_risk(db) == 2
    assert lowered.id not in in_view


def test_a_threat_in_the_facts_needs_high_risk_or_a_reason_kept_in_the_history(db):
    from app.core.errors import UserError
    from app.disputes.queries import dispute_detail

    with pytest.raises(UserError, match="程序建议“高”，定为较低等级请写明理由"):
        register(db, facts="李四扬言要和张三同归于尽。", risk_level="low")
    lowered = register(db, facts="李四扬言要和张三同归于尽。", risk_level="medium", risk_reason="系酒后气话，已道歉")
    history = [what + " " + reason for _at, _officer, what, reason in dispute_detail(db, lowered.id).history]
    assert "风险 高 → 中 低于程序建议：系酒后气话，已道歉" in history

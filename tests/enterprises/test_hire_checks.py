"""招工身份核查: request and coarse answer, and the ID number masked with a salted hash after keep-until."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.core.errors import UserError
from app.enterprises.hire_checks import (
    HireCheckValues,
    add_hire_check,
    answer_hire_check,
    earlier_checks,
    hire_checks_between,
    hire_checks_of,
    purge_hire_checks,
)
from app.enterprises.register import add_enterprise
from db.models import HireCheck
from tests.enterprises.conftest import TODAY, enterprise_values

ID = "11010519491231002X"
ASKED = TODAY - timedelta(days=400)


def values(**overrides) -> HireCheckValues:
    base = dict(name="赵六", id_number=ID.lower(), job="仓库保管员", requested_on=ASKED,
                basis="应聘人员书面同意（2025年签署的核查授权书）", phone="13900139000")
    base.update(overrides)
    return HireCheckValues(**base)


def stored(db, hire_check_id):
    with db.session() as s:
        return s.get(HireCheck, hire_check_id)


@pytest.mark.parametrize("overrides, said", [
    (dict(id_number="110105194912310021"), "校验码不对"),
    (dict(id_number="12345"), "身份证号应为18位"),
    (dict(id_number=""), "请填写身份证号"),
    (dict(basis=" "), "请写明核查依据或应聘人员的书面同意"),
    (dict(job=""), "请填写应聘岗位"),
    (dict(requested_on=TODAY + timedelta(days=1)), "申请日期不能晚于今天"),
])
def test_a_bad_request_is_refused_and_nothing_is_kept(db, enterprise, overrides, said):
    with pytest.raises(UserError, match=said):
        add_hire_check(db, enterprise_id=enterprise, values=values(**overrides), today=TODAY)
    with db.connect() as conn:
        assert conn.execute(select(func.count()).select_from(HireCheck.__table__)).scalar() == 0


def test_a_request_is_kept_a_year_and_answered_coarsely(db, officer, enterprise):
    added = add_hire_check(db, enterprise_id=enterprise, values=values(), officer_id=officer, today=TODAY)
    row = stored(db, added.id)
    assert (row.id_number, row.keep_until, row.result) == (ID, ASKED + timedelta(days=365), None)
    with pytest.raises(UserError, match="请选择核查结果"):
        answer_hire_check(db, hire_check_id=added.id, answered_on=TODAY, result="有前科", today=TODAY)
    with pytest.raises(UserError, match="答复日期不能早于申请日期"):
        answer_hire_check(db, hire_check_id=added.id, answered_on=ASKED - timedelta(days=1), result="clear",
                          today=TODAY)
    answer_hire_check(db, hire_check_id=added.id, answered_on=ASKED + timedelta(days=2), result="flagged",
                      notes="比对提示需进一步核实", officer_id=officer, today=TODAY)
    [line] = hire_checks_of(db, enterprise_id=enterprise)
    assert (line.result_label, line.answered_on, line.purged) == ("需进一步核查", ASKED + timedelta(days=2), False)
    with pytest.raises(UserError, match="已于.*答复"):
        answer_hire_check(db, hire_check_id=added.id, answered_on=TODAY, result="clear", today=TODAY)


def test_after_keep_until_the_number_is_masked_to_its_last_four_with_a_salted_hash(db, enterprise):
    old = add_hire_check(db, enterprise_id=enterprise, values=values(), today=TODAY).id
    recent = add_hire_check(db, enterprise_id=enterprise, values=values(
        name="钱七", id_number="440524198001010013", requested_on=TODAY - timedelta(days=30)), today=TODAY).id
    keep_until = ASKED + timedelta(days=365)
    assert purge_hire_checks(db, on=keep_until) == 0  # kept through its keep-until day
    assert purge_hire_checks(db, on=keep_until + timedelta(days=1)) == 1
    row = stored(db, old)
    assert row.id_number == "**************002X" and row.phone is None
    salt, _, digest = row.id_hash.partition("$")
    assert len(salt) == 32 and len(digest) == 64 and ID not in row.id_hash
    assert stored(db, recent).id_number == "440524198001010013"
    assert purge_hire_checks(db, on=TODAY) == 0  # once only


def test_older_rows_without_a_keep_until_day_are_kept_a_year_after_their_answer(db, enterprise):
    with db.session() as s:
        old = HireCheck(enterprise_id=enterprise, name="孙八", id_number="330102200001010018",
                        checked_on=TODAY - timedelta(days=366), result="clear")
        s.add(old)
        s.commit()
    assert purge_hire_checks(db, on=TODAY - timedelta(days=1)) == 0
    assert purge_hire_checks(db, on=TODAY) == 1 and stored(db, old.id).id_number == "**************0018"


def test_the_same_person_asked_about_again_is_recognised_after_the_purge(db, enterprise):
    other = add_enterprise(db, values=enterprise_values(name="杭州安泰物流有限公司", credit_code=""), today=TODAY)
    first = add_hire_check(db, enterprise_id=enterprise, values=values(), today=TODAY)
    assert first.earlier == []
    purge_hire_checks(db, on=TODAY)
    again = add_hire_check(db, enterprise_id=other, values=values(requested_on=TODAY), today=TODAY)
    assert [(e.id, e.enterprise, e.name) for e in again.earlier] == [(first.id, "杭州恒信化工有限公司", "赵六")]
    # Another number with the same last four is not taken for the same person.
    assert earlier_checks(db, id_number="33010220000101002X") == []


def test_the_period_list_takes_older_rows_by_their_answer_day(db, enterprise):
    add_hire_check(db, enterprise_id=enterprise, values=values(requested_on=TODAY - timedelta(days=3)), today=TODAY)
    with db.session() as s:
        s.add(HireCheck(enterprise_id=enterprise, name="孙八", id_number="330102200001010018",
                        checked_on=TODAY - timedelta(days=2), result="clear"))
        s.commit()
    lines = hire_checks_between(db, start=TODAY - timedelta(days=7), end=TODAY)
    assert [line.name for line in lines] == ["赵六", "孙八"]
    assert [line.name for line in hire_checks_between(db, start=TODAY - timedelta(days=7), end=TODAY,
                                                       unanswered_only=True)] == ["赵六"]
    with pytest.raises(UserError, match="结束日期不能早于开始日期"):
        hire_checks_between(db, start=TODAY, end=TODAY - timedelta(days=1))

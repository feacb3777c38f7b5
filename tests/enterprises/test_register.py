"""The enterprise register: GB 32100 codes, one registration per code, search, the 包企民警's dated history."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.core.errors import UserError
from app.core.validation import check_credit_code
from app.enterprises.common import derived_id
from app.enterprises.register import (
    add_enterprise,
    assign_liaison,
    count_enterprises,
    delete_enterprise,
    enterprise_detail,
    enterprise_problems,
    liaison_history,
    search_enterprises,
    update_enterprise,
)
from db.models import Enterprise, LiaisonAssignment
from tests.enterprises.conftest import TODAY, credit_code, enterprise_values


def count(db, model) -> int:
    with db.connect() as conn:
        return conn.execute(select(func.count()).select_from(model.__table__)).scalar()


def wrong_check_char(code: str) -> str:
    return code[:-1] + ("1" if code[-1] != "1" else "2")


def test_credit_codes_pass_the_gb32100_checksum_or_are_refused_in_words():
    good = credit_code()
    assert check_credit_code(good) is None and check_credit_code(" " + good.lower()) is None
    assert "credit_code" not in enterprise_problems(enterprise_values(credit_code=good))
    for code, said in ((wrong_check_char(good), "校验位不对"), (good[:17], "应为18位"),
                       (good[:10] + "S" + good[11:], "不含I、O、S、V、Z")):
        assert said in enterprise_problems(enterprise_values(credit_code=code))["credit_code"]


def test_a_registered_enterprise_reads_back_with_its_details_and_liaison(db, officer, enterprise):
    detail = enterprise_detail(db, enterprise_id=enterprise)
    assert detail.values == enterprise_values()
    assert detail.row.category == "涉危化" and detail.row.liaison == "王警官"
    assert detail.liaison_officer_id == officer
    assert enterprise == derived_id("enterprise", credit_code())  # two laptops registering it merge


def test_a_second_registration_of_a_code_is_refused_and_nothing_changes(db, enterprise):
    before = count(db, Enterprise)
    with pytest.raises(UserError, match="已登记为“杭州恒信化工有限公司”"):
        add_enterprise(db, values=enterprise_values(name="另一家公司", credit_code=credit_code().lower()),
                       today=TODAY)
    assert count(db, Enterprise) == before


def test_bad_input_is_refused_with_one_chinese_line(db):
    cases = [(dict(name=" "), "请填写企业名称"), (dict(phone="12345"), "电话应为11位手机号"),
             (dict(category="bank"), "请选择企业类别"), (dict(guards=-1), "保安人数"),
             (dict(tags=("危,化",)), "标签")]
    for overrides, said in cases:
        with pytest.raises(UserError, match=said):
            add_enterprise(db, values=enterprise_values(credit_code="", **overrides), today=TODAY)
    assert count(db, Enterprise) == 0


def test_a_deleted_code_can_be_registered_again(db, enterprise):
    delete_enterprise(db, enterprise_id=enterprise)
    again = add_enterprise(db, values=enterprise_values(), today=TODAY)
    assert again != enterprise and count_enterprises(db) == 1


@pytest.mark.parametrize("text", ["恒信", credit_code()[-6:], "文三路", "周建国", "吴卫东", "王警官", "87654321",
                                  "化工 文三路"])
def test_search_finds_by_name_code_address_and_people(db, enterprise, text):
    add_enterprise(db, values=enterprise_values(name="杭州安泰物流有限公司", credit_code="", category="key",
                                                address="杭州市西湖区天目山路8号", legal_rep="孙立", phone="",
                                                security_head="", security_phone="", industry="物流", tags=()),
                   today=TODAY)
    assert [row.id for row in search_enterprises(db, text=text)] == [enterprise]
    assert count_enterprises(db, text=text) == 1


def test_search_filters_by_category_and_counts_all(db, enterprise):
    assert count_enterprises(db) == 1 and count_enterprises(db, category="key") == 0
    assert search_enterprises(db, category="chemicals")[0].open_rectifications == 0


def test_update_corrects_details_and_keeps_the_code_unique(db, enterprise):
    other = add_enterprise(db, values=enterprise_values(name="杭州安泰物流有限公司", credit_code=credit_code(
        "91330106MA2B3C4D6")), today=TODAY)
    update_enterprise(db, enterprise_id=enterprise, values=enterprise_values(guards=8))
    assert enterprise_detail(db, enterprise_id=enterprise).values.guards == 8
    with pytest.raises(UserError, match="已登记"):
        update_enterprise(db, enterprise_id=other, values=enterprise_values(name="杭州安泰物流有限公司"))


def test_every_change_of_the_liaison_officer_is_kept_with_its_date(db, officer, second_officer, enterprise):
    moved = TODAY - timedelta(days=10)
    assign_liaison(db, enterprise_id=enterprise, liaison_officer_id=second_officer, on=moved, notes="辖区调整",
                   today=TODAY)
    assign_liaison(db, enterprise_id=enterprise, liaison_officer_id=None, on=TODAY, today=TODAY)
    history = liaison_history(db, enterprise_id=enterprise)
    assert [(c.on, c.officer, c.notes) for c in history] == [
        (TODAY - timedelta(days=400), "王警官", "登记时确定"), (moved, "李警官", "辖区调整"), (TODAY, "", "")]
    assert enterprise_detail(db, enterprise_id=enterprise).row.liaison == ""


def test_refused_liaison_changes_say_why_and_change_nothing(db, officer, second_officer, enterprise):
    before = count(db, LiaisonAssignment)
    cases = [
        (dict(liaison_officer_id=officer, on=TODAY), "已是王警官"),
        (dict(liaison_officer_id=second_officer, on=TODAY + timedelta(days=1)), "变更日期不能晚于今天"),
        (dict(liaison_officer_id=second_officer, on=TODAY - timedelta(days=500)), "不能早于上一次变更"),
        (dict(liaison_officer_id="nobody", on=TODAY), "找不到这个民警"),
    ]
    for kwargs, said in cases:
        with pytest.raises(UserError, match=said):
            assign_liaison(db, enterprise_id=enterprise, today=TODAY, **kwargs)
    assert count(db, LiaisonAssignment) == before
    assert enterprise_detail(db, enterprise_id=enterprise).liaison_officer_id == officer


def test_an_officer_set_before_changes_were_dated_shows_as_the_first_entry(db, officer):
    with db.session() as s:
        row = Enterprise(name="老企业", liaison_officer_id=officer)
        s.add(row)
        s.commit()
    [change] = liaison_history(db, enterprise_id=row.id)
    assert change.on is None and change.officer == "王警官"

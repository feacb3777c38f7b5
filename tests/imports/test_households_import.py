"""Households with residents from a 实有人口 register: grouping by address, heads, communities, Excel's damage."""

from __future__ import annotations

from sqlalchemy import select

from app.imports.kinds import households
from app.imports.service import write
from db.models import Community, Household, Resident
from tests.imports.files import register_workbook, valid_id


def _convert(**values):
    return households.convert(values, sheet="阳光社区", epoch_1904=False)


def test_a_register_becomes_one_household_per_address_with_its_residents_and_head(db, checked, tmp_path):
    made = register_workbook(tmp_path / "register.xlsx", communities=("阳光社区", "幸福社区"), households=3,
                             residents_per=3)
    result = checked(made)
    assert result.counts == {"rows": 18, "good": 18, "bad": 0, "matched": 0}
    write(db, result=result, officer_id=None)
    with db.connect() as conn:
        stored = conn.execute(
            select(Community.name, Household.estate, Household.building, Household.unit, Household.room,
                   Household.head_name, Resident.name, Resident.id_number, Resident.relation)
            .join(Household, Household.community_id == Community.id)
            .join(Resident, Resident.household_id == Household.id)).all()
        household_count = conn.execute(select(Household.id)).all()
    assert len(household_count) == 6
    expected = {(p.sheet, p.estate, p.building, p.unit, p.room, p.head, p.name, p.id_number, p.relation)
                for p in made.people}
    assert set(stored) == expected


def test_the_community_comes_from_the_sheet_name_but_never_from_excels_default_name():
    draft, problems = households.convert({"estate": "阳光小区", "name": "张伟"}, sheet="阳光社区", epoch_1904=False)
    assert not problems and draft.household.community == "阳光社区"
    draft, problems = households.convert({"estate": "阳光小区", "name": "张伟"}, sheet="Sheet1", epoch_1904=False)
    assert draft is None and problems == ["没有社区：请加一列“社区”，或把工作表命名为社区名"]
    draft, _ = households.convert({"community": "幸福社区", "estate": "阳光小区", "name": "张伟"}, sheet="Sheet1",
                                  epoch_1904=False)
    assert draft.household.community == "幸福社区"


def test_an_address_in_one_cell_is_split_and_one_that_cannot_be_is_said(tmp_path):
    draft, problems = _convert(address="阳光小区3栋2单元501室", name="张伟")
    assert not problems
    assert (draft.household.estate, draft.household.building, draft.household.unit, draft.household.room) == \
        ("阳光小区", "3", "2", "501")
    draft, problems = _convert(address="不知道在哪", name="张伟")
    assert draft is None and problems[0].startswith("住址无法拆分")


def test_the_head_is_the_row_related_as_himself_and_benren_is_stored_as_huzhu():
    draft, _ = _convert(estate="阳光小区", name="张伟", relation="本人")
    assert draft.is_head and draft.household.head_name == "张伟" and draft.resident.relation == "户主"
    draft, _ = _convert(estate="阳光小区", name="李娜", relation="配偶", head_name="张伟")
    assert not draft.is_head and draft.household.head_name == "张伟"


def test_gender_and_birth_date_come_from_the_id_number_as_in_the_form_and_full_width_digits_are_read():
    number = valid_id(7)
    full_width = number.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    draft, problems = _convert(estate="阳光小区", name="\u3000张伟 ", id_number=full_width, gender="女")
    assert not problems
    person = draft.resident
    assert person.name == "张伟" and person.id_number == number
    assert person.gender == ("男" if int(number[16]) % 2 else "女")
    assert person.birth_date.strftime("%Y%m%d") == number[6:14]


def test_excel_damage_and_the_forms_rules_are_said_per_field():
    _, problems = _convert(estate="阳光小区", name="张伟", id_number=330106198001011234)
    assert problems == ["身份证号被 Excel 存成了数字，末尾几位已丢失，请把该列设为文本后重新导出"]
    _, problems = _convert(estate="阳光小区", name="张伟", phone="12345", kind="别墅")
    assert problems[0].startswith("住户类型：") and "可选" in problems[0]
    assert problems[1].startswith("联系电话：电话应为11位手机号")
    _, problems = _convert(estate="阳光小区", name="张" * 40)
    assert problems == ["姓名：最多32个字"]
    _, problems = _convert(estate="阳光小区", name="张伟", household_tags="独居老人、富豪")
    assert problems == ["没有这个标签：富豪"]


def test_a_row_with_a_person_but_no_name_is_refused_and_a_row_naming_only_a_household_is_one():
    _, problems = _convert(estate="阳光小区", id_number=valid_id(3), head_name="张伟")
    assert problems == ["请填写姓名"]
    draft, problems = _convert(estate="阳光小区", building="3", head_name="张伟", kind="出租")
    assert not problems and draft.resident is None and draft.household.kind == "rented"
    assert households.file_key(draft) is None  # a visits ledger names a household on many rows


def test_an_update_changes_only_the_fields_the_file_filled_in(db, checked, tmp_path):
    made = register_workbook(tmp_path / "a.xlsx", communities=("阳光社区",), households=1, residents_per=2,
                             messy=False)
    write(db, result=checked(made), officer_id=None)
    person = made.people[1]
    with db.session() as s:
        row = s.execute(select(Resident).where(Resident.id_number == person.id_number)).scalar_one()
        row.occupation, row.phone = "教师", "13700000000"
        s.commit()
    again = checked(made)
    assert again.counts["matched"] == 2
    again.set_matched("update")
    summary = write(db, result=again, officer_id=None)
    with db.connect() as conn:
        row = conn.execute(select(Resident).where(Resident.id_number == person.id_number)).one()
    assert row.occupation == "教师"  # not in the file: kept
    assert row.phone == "13700000000"  # the file's cell is empty for this person: kept
    assert summary.added == 0

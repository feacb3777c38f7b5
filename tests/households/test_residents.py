"""Residents: ID numbers, phones and birth dates checked as typed; gender and birth date follow the
ID number; an ID number already registered offers that person instead of a duplicate."""

from __future__ import annotations

from datetime import date

import pytest

from app.core.errors import UserError
from app.households.residents import (
    ResidentValues,
    consistent,
    delete_resident,
    derived_from_id,
    find_person,
    resident_problems,
    resident_values,
    save_resident,
)
from app.households.service import household_detail, search_households

TODAY = date(2026, 11, 23)
ZHANG_WEI_ID = "11010519491231002X"  # in the sample households


@pytest.mark.parametrize("id_number", ["440524198001010013", "11010519491231002x", " 330102200001010018 ", ""])
def test_valid_or_missing_id_numbers_pass(id_number):
    assert resident_problems(ResidentValues(name="王芳", id_number=id_number), today=TODAY) == {}


@pytest.mark.parametrize(("id_number", "message"), [
    ("440524198001010014", "校验码"),
    ("4405241980010100", "18位"),
    ("44052419800230001X", "出生日期不存在"),
    ("440524203001010015", "不合理"),
    ("ABCDEFGHIJKLMNOPQR", "18位"),
])
def test_invalid_id_numbers_are_reported_next_to_the_field(id_number, message):
    problems = resident_problems(ResidentValues(name="王芳", id_number=id_number), today=TODAY)
    assert list(problems) == ["id_number"] and message in problems["id_number"]


@pytest.mark.parametrize(("phone", "ok"), [
    ("13800138000", True), ("0571-87654321", True), ("010 8765 4321", True),
    ("1380013800", False), ("23800138000", False), ("87654321", False), ("电话", False),
])
def test_phones_mobile_or_landline(phone, ok):
    problems = resident_problems(ResidentValues(name="王芳", phone=phone), today=TODAY)
    assert (problems == {}) is ok and (ok or "手机号" in problems["phone"])


@pytest.mark.parametrize(("born", "ok"), [
    (date(1990, 5, 1), True), (TODAY, True), (date(2026, 11, 24), False), (date(1899, 12, 31), False), (None, True),
])
def test_birth_dates_without_an_id_number_must_be_real(born, ok):
    problems = resident_problems(ResidentValues(name="王芳", birth_date=born), today=TODAY)
    assert (problems == {}) is ok and (ok or "出生日期" in problems["birth_date"])


def test_a_name_is_required_and_limited():
    assert "姓名" in resident_problems(ResidentValues(name="  "), today=TODAY)["name"]
    assert "最多32个字" in resident_problems(ResidentValues(name="张" * 33), today=TODAY)["name"]


def test_gender_and_birth_date_follow_a_valid_id_number():
    assert derived_from_id("440524198001010013") == ("男", date(1980, 1, 1))
    assert derived_from_id("440524198001010014") is None
    values = consistent(ResidentValues(name=" 李娜 ", id_number="11010519491231002x", gender="男",
                                       birth_date=date(2000, 1, 1), phone="138 0013 8000"))
    assert (values.name, values.id_number, values.gender, values.birth_date, values.phone) == (
        "李娜", ZHANG_WEI_ID, "女", date(1949, 12, 31), "13800138000")


def test_values_that_contradict_the_id_number_are_reported():
    problems = resident_problems(ResidentValues(name="李娜", id_number=ZHANG_WEI_ID, gender="男",
                                                birth_date=date(1950, 1, 1)), today=TODAY)
    assert "女" in problems["gender"] and "1949-12-31" in problems["birth_date"]


def test_a_new_resident_is_saved_with_derived_fields_and_found_by_search(db, sample_households):
    resident_id = save_resident(db, household_id=sample_households[2], today=TODAY,
                                values=ResidentValues(name="赵敏", id_number="330106199203150027", relation="配偶"))
    household_id, values = resident_values(db, resident_id)
    assert household_id == sample_households[2] and (values.gender, values.birth_date) == ("女", date(1992, 3, 15))
    assert [r.id for r in search_households(db, text="赵敏")] == [sample_households[2]]


def test_an_existing_id_number_is_offered_instead_of_a_duplicate(db, sample_households):
    person = find_person(db, id_number="11010519491231002x")
    assert (person.name, person.household_id, person.address) == ("张伟", sample_households[0], "阳光花园2栋1单元101室")
    with pytest.raises(UserError, match="身份证号已登记：张伟（阳光花园2栋1单元101室）"):
        save_resident(db, household_id=sample_households[2], values=ResidentValues(name="张伟", id_number=ZHANG_WEI_ID))
    # Taking the offer: the registered person is edited and moves to the new household.
    save_resident(db, household_id=sample_households[2], resident_id=person.id,
                  values=ResidentValues(name="张伟", id_number=ZHANG_WEI_ID, relation="租户"))
    assert find_person(db, id_number=ZHANG_WEI_ID).household_id == sample_households[2]
    assert [r.name for r in household_detail(db, sample_households[0]).residents] == []
    assert find_person(db, id_number=ZHANG_WEI_ID, exclude_id=person.id) is None  # editing oneself is no duplicate


def test_a_deleted_resident_is_no_duplicate_and_cannot_be_edited(db, sample_households):
    person = find_person(db, id_number=ZHANG_WEI_ID)
    delete_resident(db, resident_id=person.id)
    assert find_person(db, id_number=ZHANG_WEI_ID) is None and resident_values(db, person.id) is None
    with pytest.raises(UserError, match="已被删除"):
        save_resident(db, household_id=sample_households[0], resident_id=person.id, values=ResidentValues(name="张伟"))
    save_resident(db, household_id=sample_households[0], values=ResidentValues(name="张伟", id_number=ZHANG_WEI_ID))


def test_invalid_input_is_refused_by_the_service_too(db, sample_households):
    with pytest.raises(UserError, match="校验码"):
        save_resident(db, household_id=sample_households[0], values=ResidentValues(name="王五", id_number="110105194912310021"))

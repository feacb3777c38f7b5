"""What officers type is checked with the national checksums and formats."""

from __future__ import annotations

from datetime import date

import pytest

from app.core.privacy import mask_id_number, mask_phone
from app.core.validation import (
    check_credit_code,
    check_id_number,
    check_phone,
    id_birth_date,
    id_check_char,
    id_gender,
    uscc_check_char,
)

TODAY = date(2026, 11, 23)


@pytest.mark.parametrize("value", ["11010519491231002X", "11010519491231002x", " 440524198001010013 ", "330102200001010018"])
def test_valid_id_numbers_pass(value):
    assert check_id_number(value, today=TODAY) is None


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("110105194912310021", "校验码"),
        ("11010519491231002", "18位"),
        ("1101051949123100211", "18位"),
        ("01010519491231002X", "18位"),  # cannot start with 0
        ("11010519490231002X", "出生日期不存在"),  # 31 February
        ("110105203001010017", "不合理"),  # born in the future
        ("11010518000101001X", "不合理"),  # before 1900
        ("", "18位"),
    ],
)
def test_invalid_id_numbers_say_what_is_wrong(value, message):
    error = check_id_number(value, today=TODAY)
    assert error is not None and message in error


def test_gender_and_birth_date_come_from_the_id_number():
    assert id_birth_date("11010519491231002X") == date(1949, 12, 31)
    assert id_gender("11010519491231002X") == "女"
    assert id_gender("440524198001010013") == "男"


def test_id_check_char_matches_the_standard_example():
    assert id_check_char("11010519491231002") == "X"


@pytest.mark.parametrize("value", ["91350100M000100Y43", "91110000600037341L", "91330106MA27XF6T3L"])
def test_valid_credit_codes_pass(value):
    assert check_credit_code(value) is None


@pytest.mark.parametrize(
    ("value", "message"),
    [("91350100M000100Y44", "校验位"), ("91350100M000100Y4", "18位"), ("91350100M0001I0Y43", "不含I")],
)
def test_invalid_credit_codes_say_what_is_wrong(value, message):
    error = check_credit_code(value)
    assert error is not None and message in error


def test_credit_code_check_char_matches_known_codes():
    assert uscc_check_char("91350100M000100Y4") == "3"


@pytest.mark.parametrize("value", ["13800138000", "199 0000 1111", "0571-87654321", "01087654321"])
def test_valid_phones_pass(value):
    assert check_phone(value) is None


@pytest.mark.parametrize("value", ["12800138000", "1380013800", "87654321", "电话", ""])
def test_invalid_phones_are_refused(value):
    assert "手机号" in check_phone(value)


def test_masking_keeps_only_what_identifies_the_record_to_an_officer():
    assert mask_id_number("330702199001011234") == "330702********1234"
    assert mask_phone("13800138000") == "138****8000"
    assert mask_id_number(None) == "" and mask_phone("") == ""

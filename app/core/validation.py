"""Checks for what officers type: ID numbers (GB 11643), credit codes (GB 32100), phones.

Each check returns an error message in plain Chinese, or None when the value is valid, so
a form can show the message next to the field and the CLI can print it as one line.
"""

from __future__ import annotations

import re
from datetime import date

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_ID_SHAPE = re.compile(r"^[1-9]\d{16}[\dX]$")

_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # GB 32100: no I, O, S, V, Z
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_USCC_SHAPE = re.compile(rf"^[{_USCC_CHARS}]{{18}}$")

_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}$")


def id_check_char(first17: str) -> str:
    return _ID_CHECK[sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS)) % 11]


def id_birth_date(id_number: str) -> date | None:
    try:
        return date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))
    except ValueError:
        return None


def id_gender(id_number: str) -> str:
    """男 or 女, from the 17th digit (odd for men)."""
    return "男" if int(id_number[16]) % 2 else "女"


def normalize_id_number(text: str) -> str:
    return text.strip().upper()


def check_id_number(text: str, *, today: date | None = None) -> str | None:
    value = normalize_id_number(text)
    if not _ID_SHAPE.match(value):
        return "身份证号应为18位：17位数字加1位数字或X"
    born = id_birth_date(value)
    if born is None:
        return "身份证号中的出生日期不存在"
    if born > (today or date.today()) or born.year < 1900:
        return "身份证号中的出生日期不合理"
    if value[17] != id_check_char(value[:17]):
        return "身份证号校验码不对，请核对每一位"
    return None


def uscc_check_char(first17: str) -> str:
    total = sum(_USCC_CHARS.index(c) * w for c, w in zip(first17, _USCC_WEIGHTS))
    return _USCC_CHARS[(31 - total % 31) % 31]


def check_credit_code(text: str) -> str | None:
    value = text.strip().upper()
    if not _USCC_SHAPE.match(value):
        return "统一社会信用代码应为18位数字或大写字母（不含I、O、S、V、Z）"
    if value[17] != uscc_check_char(value[:17]):
        return "统一社会信用代码校验位不对，请核对"
    return None


def normalize_phone(text: str) -> str:
    return re.sub(r"[\s()（）]", "", text.strip())


def check_phone(text: str) -> str | None:
    value = normalize_phone(text)
    if _MOBILE.match(value) or _LANDLINE.match(value):
        return None
    return "电话应为11位手机号（1开头）或带区号的固定电话（如 0571-87654321）"

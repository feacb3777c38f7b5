"""One spreadsheet cell to one typed value, with Excel's usual damage said in plain Chinese.

Cells arrive as openpyxl gives them (str, int, float, datetime, date, None) or as CSV text.
Every converter returns None for a blank cell and raises ``CellProblem`` (its text is the
reason shown in the import report) for a value it cannot take. The rules themselves (ID
numbers, phones) are app.core.validation's: this module only undoes what Excel did to them.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, time, timedelta

from app.core import validation

LOST_DIGITS = "身份证号被 Excel 存成了数字，末尾几位已丢失，请把该列设为文本后重新导出"

_SPACES = re.compile(r"\s+")
_SCIENTIFIC = re.compile(r"^\d(\.\d+)?E\+?\d+$", re.IGNORECASE)
# 2024-3-5, 2024/03/05, 2024.3.5, 2024年3月5日(号), optionally followed by a time of day
_DAY = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?(?:[\sT]*(.*))?$")
_COMPACT_DAY = re.compile(r"^(\d{4})(\d{2})(\d{2})(?:[\sT]+(.*))?$")
_TIME = re.compile(r"^(\d{1,2})\s*[:时点]\s*(\d{1,2})\s*分?(?:\s*[:]\s*(\d{1,2})(?:\.\d+)?\s*秒?)?$")
_EXCEL_1900 = date(1899, 12, 30)  # serial 1 is 1900-01-01 once Lotus's 1900-02-29 (serial 60) is past
_EXCEL_1904 = date(1904, 1, 1)
_MAX_SERIAL = 2958465  # 9999-12-31


class CellProblem(ValueError):
    """A cell the import cannot take; ``str(exc)`` is the plain reason for the report."""


def text(value) -> str | None:
    """Blank -> None; full-width digits, letters and spaces made ordinary (NFKC), trimmed,
    inner whitespace collapsed; a whole float (12.0) without its ".0"."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        if value != value:  # NaN
            return None
        value = str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    elif isinstance(value, datetime):
        value = value.strftime("%Y-%m-%d") if value.time() == time() else value.strftime("%Y-%m-%d %H:%M")
    elif isinstance(value, date):
        value = value.isoformat()
    result = _SPACES.sub(" ", unicodedata.normalize("NFKC", str(value))).strip()
    return result or None


def id_number(value) -> str | None:
    """An 18-digit 公民身份号码 with an upper-case X, or CellProblem saying what is wrong,
    above all when Excel turned it into a number and rounded its last digits away."""
    if isinstance(value, bool):
        raise CellProblem("身份证号应为18位：17位数字加1位数字或X")
    if isinstance(value, (int, float)):
        # Excel keeps 15 significant digits: an 18-digit number has lost its last three
        if abs(value) >= 1e15:
            raise CellProblem(LOST_DIGITS)
        raise CellProblem("身份证号应为18位：17位数字加1位数字或X")
    result = text(value)
    if result is None:
        return None
    result = validation.normalize_id_number(result.replace(" ", ""))
    if _SCIENTIFIC.match(result):
        raise CellProblem(LOST_DIGITS)
    problem = validation.check_id_number(result)
    if problem is None:
        return result
    if (result.endswith("000") and result.isdigit() and len(result) == 18
            and validation.id_birth_date(result) and result[17] != validation.id_check_char(result[:17])):
        raise CellProblem(LOST_DIGITS)  # a rounded number later turned into text: the digits stay lost
    raise CellProblem(problem)


def phone(value) -> str | None:
    """A mobile or landline number as app.core.validation accepts it; a number cell is fine."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    result = text(value)
    if result is None:
        return None
    result = validation.normalize_phone(result)
    problem = validation.check_phone(result)
    if problem:
        raise CellProblem(problem)
    return result


def day(value, *, epoch_1904: bool = False) -> date | None:
    """A calendar day from a date cell, an Excel serial, or text typed one of the usual ways."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        raise CellProblem(f"日期看不懂：{value}")
    if isinstance(value, (int, float)):
        return _serial(value, epoch_1904).date()
    raw = text(value)
    if raw is None:
        return None
    found, _ = _parse_text(raw)
    return found


def moment(value, *, epoch_1904: bool = False) -> datetime | None:
    """A day with an optional time of day ('2024-3-5 14:30'), naive local time."""
    if value is None:
        return None
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone().replace(tzinfo=None)
        return value.replace(microsecond=0)
    if isinstance(value, date):
        return datetime.combine(value, time())
    if isinstance(value, time):
        raise CellProblem(f"只有时间，没有日期：{value.strftime('%H:%M')}")
    if isinstance(value, bool):
        raise CellProblem(f"日期看不懂：{value}")
    if isinstance(value, (int, float)):
        return _serial(value, epoch_1904)
    raw = text(value)
    if raw is None:
        return None
    found, at = _parse_text(raw)
    return datetime.combine(found, at or time())


def integer(value) -> int | None:
    if value is None or isinstance(value, bool):
        if value is None:
            return None
        raise CellProblem(f"“{value}”不是整数")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        raise CellProblem(f"“{text(value)}”不是整数")
    raw = text(value)
    if raw is None:
        return None
    digits = raw.replace(",", "").replace(" ", "")
    if re.fullmatch(r"[+-]?\d+(\.0+)?", digits):
        return int(digits.split(".")[0])
    raise CellProblem(f"“{raw}”不是整数")


def choice(value, labels: dict[str, str]) -> str | None:
    """The code for a cell holding either the label officers read or the code itself."""
    raw = text(value)
    if raw is None:
        return None
    # A label is read the way the cell was (NFKC: "，" in "逾期未改，转执法办案" becomes ","), or it never matches.
    for code, label in labels.items():
        if raw == text(label) or raw.lower() == code.lower():
            return code
    squeezed = raw.replace(" ", "")
    for code, label in labels.items():
        if squeezed == text(label).replace(" ", ""):
            return code
    raise CellProblem(f"“{raw}”不是可选的值（可选：{'、'.join(labels.values())}）")


def clock(value) -> time | None:
    """A time of day from a time cell, a datetime, an Excel fraction of a day, or text (14:30, 14时30分)."""
    if value is None or isinstance(value, time):
        return value
    if isinstance(value, datetime):
        return value.time().replace(microsecond=0)
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value < 1:
        return (datetime.min + timedelta(seconds=round(value * 86400))).time()
    raw = text(value)
    if raw is None:
        return None
    found = _TIME.match(raw)
    if found is None:
        raise CellProblem(f"时间看不懂：{raw}")
    try:
        return time(int(found[1]), int(found[2]), int(found[3] or 0))
    except ValueError:
        raise CellProblem(f"时间不存在：{raw}") from None


def _serial(value: float, epoch_1904: bool) -> datetime:
    """An Excel serial day number (a fraction is the time of day)."""
    # a number like 20240305 is a day typed without separators, not a serial
    if isinstance(value, int) or float(value).is_integer():
        as_text = str(int(value))
        if len(as_text) == 8 and _COMPACT_DAY.match(as_text):
            found, _ = _parse_text(as_text)
            return datetime.combine(found, time())
    if not 0 < value <= _MAX_SERIAL:
        raise CellProblem(f"日期看不懂：{text(value)}")
    whole = int(value)
    seconds = round((value - whole) * 86400)
    if epoch_1904:
        start = _EXCEL_1904
    else:
        if whole == 60:
            raise CellProblem("日期不存在：1900-02-29")
        start = _EXCEL_1900 if whole > 60 else _EXCEL_1900 + timedelta(days=1)
    return datetime.combine(start + timedelta(days=whole), time()) + timedelta(seconds=seconds)


def _parse_text(raw: str) -> tuple[date, time | None]:
    """A day and an optional time from typed text; CellProblem naming what was typed."""
    squeezed = raw.strip()
    match = _DAY.match(squeezed) or _COMPACT_DAY.match(squeezed)
    if not match:
        raise CellProblem(f"日期看不懂：{raw}")
    year, month, dom, rest = int(match[1]), int(match[2]), int(match[3]), (match[4] or "").strip()
    try:
        found = date(year, month, dom)
    except ValueError:
        raise CellProblem(f"日期不存在：{year:04d}-{month:02d}-{dom:02d}") from None
    if not rest:
        return found, None
    clock = _TIME.match(rest)
    if not clock:
        raise CellProblem(f"日期看不懂：{raw}")
    try:
        return found, time(int(clock[1]), int(clock[2]), int(clock[3] or 0))
    except ValueError:
        raise CellProblem(f"时间不存在：{rest}") from None

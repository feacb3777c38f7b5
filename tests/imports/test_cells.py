"""Cell conversion: Excel's usual damage recognised and said plainly, typed values read alike."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from app.core.validation import id_check_char
from app.imports import cells
from app.imports.cells import LOST_DIGITS, CellProblem


def valid_id(first17: str = "11010519491231002") -> str:
    return first17 + id_check_char(first17)


def test_a_valid_id_number_comes_back_upper_case_and_trimmed():
    number = valid_id()
    assert number.endswith("X")
    assert cells.id_number(f"  {number.lower()} ") == number


def test_full_width_digits_and_spaces_in_an_id_number_are_made_ordinary():
    number = valid_id("32010219850612123")
    full_width = "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in number)
    assert cells.id_number(f"\u3000{full_width}\u3000") == number


@pytest.mark.parametrize("damaged", [
    lambda n: int(n[:15] + "000"),            # openpyxl reads a rounded whole number as int
    lambda n: float(n[:15] + "000"),          # or as float
    lambda n: "1.10105E+17",                   # text copied from a cell that shows it
    lambda n: n[:15] + "000",                 # the rounded number later turned into text
])
def test_an_id_number_stored_as_a_number_says_excel_lost_its_digits(damaged):
    number = valid_id("11010519491231002")
    with pytest.raises(CellProblem) as problem:
        cells.id_number(damaged(number))
    assert str(problem.value) == LOST_DIGITS


def test_a_wrong_check_character_is_refused_with_the_forms_words():
    number = valid_id()
    wrong = number[:17] + ("1" if number[17] != "1" else "2")
    with pytest.raises(CellProblem, match="校验码不对"):
        cells.id_number(wrong)


def test_an_impossible_birth_date_in_an_id_number_is_refused():
    first17 = "11010519490230001"
    with pytest.raises(CellProblem, match="出生日期不存在"):
        cells.id_number(first17 + id_check_char(first17))


def test_blank_cells_are_none_for_every_converter():
    for convert in (cells.text, cells.id_number, cells.phone, cells.day, cells.moment, cells.integer):
        assert convert(None) is None
        assert convert("  \u3000 ") is None
    assert cells.choice("", {"a": "甲"}) is None


def test_text_collapses_whitespace_and_drops_a_whole_floats_point():
    assert cells.text("  阳光\u3000 社区\n一组 ") == "阳光 社区 一组"
    assert cells.text(12.0) == "12"
    assert cells.text(12.5) == "12.5"
    assert cells.text("ＡＢＣ１２") == "ABC12"


def test_a_mobile_stored_as_a_float_and_a_landline_are_accepted():
    assert cells.phone(13800138000.0) == "13800138000"
    assert cells.phone(13800138000) == "13800138000"
    assert cells.phone("0571-87654321") == "0571-87654321"
    assert cells.phone("138 0013 8000") == "13800138000"
    with pytest.raises(CellProblem, match="电话"):
        cells.phone("12345")


@pytest.mark.parametrize("typed", ["2024-3-5", "2024/03/05", "2024.3.5", "20240305", "2024年3月5日",
                                   "２０２４－３－５", 45356, 45356.0, 20240305,
                                   datetime(2024, 3, 5, 0, 0), date(2024, 3, 5)])
def test_dates_typed_three_ways_and_serials_read_the_same_day(typed):
    assert cells.day(typed) == date(2024, 3, 5)


def test_a_serial_in_a_1904_workbook_counts_from_1904():
    assert cells.day(43894, epoch_1904=True) == date(2024, 3, 5)
    assert cells.day(43894) != date(2024, 3, 5)


def test_serials_before_the_lotus_leap_day_are_right_too():
    assert cells.day(1) == date(1900, 1, 1)
    assert cells.day(59) == date(1900, 2, 28)
    assert cells.day(61) == date(1900, 3, 1)


def test_an_impossible_date_names_the_day():
    with pytest.raises(CellProblem) as problem:
        cells.day("2024-2-30")
    assert str(problem.value) == "日期不存在：2024-02-30"
    with pytest.raises(CellProblem, match="日期不存在：2023-02-29"):
        cells.day(20230229)


def test_an_unreadable_date_quotes_what_was_typed():
    with pytest.raises(CellProblem) as problem:
        cells.day("去年春天")
    assert str(problem.value) == "日期看不懂：去年春天"
    with pytest.raises(CellProblem, match="日期看不懂"):
        cells.day(-3)


def test_a_moment_takes_an_optional_time_of_day():
    assert cells.moment("2024-3-5 14:30") == datetime(2024, 3, 5, 14, 30)
    assert cells.moment("2024年3月5日 9时05分") == datetime(2024, 3, 5, 9, 5)
    assert cells.moment("2024/3/5") == datetime(2024, 3, 5)
    assert cells.moment(45356 + 14.5 / 24) == datetime(2024, 3, 5, 14, 30)
    assert cells.moment(datetime(2024, 3, 5, 14, 30, 7, 999)) == datetime(2024, 3, 5, 14, 30, 7)
    with pytest.raises(CellProblem, match="时间不存在"):
        cells.moment("2024-3-5 25:10")


def test_integers_from_numbers_and_text():
    assert cells.integer(12.0) == 12
    assert cells.integer("1,200") == 1200
    assert cells.integer("１２") == 12
    with pytest.raises(CellProblem, match="不是整数"):
        cells.integer("十二")
    with pytest.raises(CellProblem, match="不是整数"):
        cells.integer(2.5)


def test_a_choice_takes_the_label_or_the_code_and_lists_the_options_otherwise():
    labels = {"neighbour": "邻里", "family": "家庭"}
    assert cells.choice("邻里", labels) == "neighbour"
    assert cells.choice(" family ", labels) == "family"
    with pytest.raises(CellProblem) as problem:
        cells.choice("同事", labels)
    assert str(problem.value) == "“同事”不是可选的值（可选：邻里、家庭）"


def test_a_choice_whose_label_has_full_width_punctuation_matches_the_same_text_in_a_cell():
    labels = {"enforce": "逾期未改，转执法办案", "done": "整改到位"}
    assert cells.choice("逾期未改，转执法办案", labels) == "enforce"
    assert cells.choice("逾期未改,转执法办案", labels) == "enforce"


def test_a_time_of_day_is_read_from_text_fractions_and_datetimes_and_refused_when_impossible():
    from datetime import datetime, time

    assert cells.clock("14:30") == time(14, 30)
    assert cells.clock("１４：３０") == time(14, 30)
    assert cells.clock("9时5分") == time(9, 5)
    assert cells.clock(0.5) == time(12, 0)
    assert cells.clock(datetime(2026, 3, 5, 8, 15, 30, 999)) == time(8, 15, 30)
    assert cells.clock(None) is None
    with pytest.raises(CellProblem, match="时间不存在：25:00"):
        cells.clock("25:00")
    with pytest.raises(CellProblem, match="时间看不懂：下午"):
        cells.clock("下午")

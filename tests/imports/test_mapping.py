"""Column mapping: guessed from the header texts officers use, and the CLI's --map options."""

from __future__ import annotations

import pytest

from app.core.errors import UserError
from app.imports.mapping import Field, column_letter, guess, normalise_header, parse_map_options

FIELDS = (
    Field("name", "姓名", required=True),
    Field("id_number", "身份证号", required=True, aliases=("公民身份号码", "身份证号码")),
    Field("phone", "联系电话", aliases=("手机", "手机号码", "电话")),
    Field("address", "住址", aliases=("现住址",)),
    Field("estate", "小区"),
    Field("building", "楼栋", aliases=("楼号",)),
    Field("room", "房号"),
    Field("head_name", "户主"),
    Field("relation", "与户主关系"),
)


@pytest.mark.parametrize("header, expected", [
    ("姓 名*", "姓名"),
    ("公民身份号码（必填）", "公民身份号码"),
    ("手机\n号码", "手机号码"),
    ("出生日期(yyyy-mm-dd)", "出生日期"),
    ("【备注】", "备注"),
    ("ＩＤ", "ID"),
])
def test_headers_lose_marks_notes_brackets_and_line_breaks(header, expected):
    assert normalise_header(header) == expected


def test_exact_labels_and_aliases_are_guessed_and_unknown_columns_left_out():
    headers = ["序号", "姓名", "公民身份号码", "手机", "与户主关系", "户主", "备注"]
    assert guess(headers, FIELDS) == {1: "name", 2: "id_number", 3: "phone", 4: "relation", 5: "head_name"}


def test_two_row_headers_match_on_the_part_under_the_parent():
    headers = ["姓名", "住址/小区", "住址/楼栋", "住址/房号"]
    assert guess(headers, FIELDS) == {0: "name", 1: "estate", 2: "building", 3: "room"}


def test_containment_prefers_the_longest_name_and_uses_each_field_once():
    headers = ["户主姓名", "户主身份证号码", "居民身份证号码"]
    mapping = guess(headers, FIELDS)
    assert mapping[1] == "id_number"
    assert mapping[0] == "head_name"
    assert 2 not in mapping  # the id field is taken by the first column holding it


def test_an_exact_match_later_wins_over_containment_earlier():
    assert guess(["户主姓名", "户主"], FIELDS) == {0: "name", 1: "head_name"}


def test_map_options_take_header_texts_column_letters_keys_and_labels():
    headers = ["姓名", "公民身份号码（必填）", "住址/小区"]
    assert parse_map_options(["A=name", "公民身份号码=身份证号", "住址/小区=estate"], headers, FIELDS) == {
        0: "name", 1: "id_number", 2: "estate"}


@pytest.mark.parametrize("option, says", [
    ("姓名", "应写成 列=字段"),
    ("Z=name", "没有这一列"),
    ("电话号=name", "没有这一列"),
    ("姓名=nickname", "没有这个字段"),
])
def test_bad_map_options_are_refused_in_one_line(option, says):
    with pytest.raises(UserError, match=says):
        parse_map_options([option], ["姓名", "身份证号"], FIELDS)


def test_a_field_given_to_two_columns_is_refused():
    with pytest.raises(UserError, match="两列"):
        parse_map_options(["A=name", "B=name"], ["姓名", "名字"], FIELDS)


def test_column_letters_go_past_z():
    assert [column_letter(i) for i in (0, 25, 26, 27, 701, 702)] == ["A", "Z", "AA", "AB", "ZZ", "AAA"]

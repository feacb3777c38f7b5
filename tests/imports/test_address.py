"""Splitting a one-cell address into 小区/楼栋/单元/房号, and declining when unsure."""

from __future__ import annotations

import pytest

from app.core.text import format_address
from app.imports.address import Address, split_address


@pytest.mark.parametrize("text, parts", [
    ("阳光小区3栋2单元501室", ("阳光小区", "3", "2", "501")),
    ("阳光小区3-2-501", ("阳光小区", "3", "2", "501")),
    ("阳光花园5幢1单元302", ("阳光花园", "5", "1", "302")),
    ("幸福路12号阳光苑8号楼1单元201", ("阳光苑", "8", "1", "201")),
    ("和平苑A座1203", ("和平苑", "A", None, "1203")),
    ("阳光小区3-501", ("阳光小区", "3", None, "501")),
    ("阳光小区 １２栋 ２单元 ５０１室", ("阳光小区", "12", "2", "501")),
    ("浙江省杭州市西湖区文新街道阳光社区阳光小区3栋2单元501室", ("阳光小区", "3", "2", "501")),
])
def test_common_ways_of_writing_an_address_split_into_parts(text, parts):
    assert split_address(text) == Address(*parts)


@pytest.mark.parametrize("text", ["", "阳光小区", "阳光小区附近", "3栋2单元501", "幸福路12号",
                                  "阳光小区3栋2单元501室旁边"])
def test_an_address_it_cannot_split_with_confidence_is_none(text):
    assert split_address(text) is None


def test_a_district_prefix_is_dropped_but_an_estate_named_with_qu_is_kept():
    assert split_address("西湖区阳光小区3栋501").estate == "阳光小区"
    assert split_address("东区花园3栋501").estate == "东区花园"
    assert split_address("阳光小区3栋501").estate == "阳光小区"


def test_a_split_address_formats_back_to_the_same_text():
    parts = split_address("阳光小区3栋2单元501室")
    assert format_address(parts.estate, parts.building, parts.unit, parts.room) == "阳光小区3栋2单元501室"

"""Checklists per category: built in as version 1, edited by an admin into new versions; a record keeps its own."""

from __future__ import annotations

import pytest

from app.core.errors import UserError
from app.enterprises.checklists import (
    BUILT_IN,
    checklist_history,
    current_checklist,
    default_categories,
    edit_checklist,
)
from app.enterprises.inspections import blank_inspection, inspection_record, record_inspection
from app.enterprises.register import add_enterprise
from tests.enterprises.conftest import TODAY, enterprise_values


def test_storage_rules_are_inspected_at_hazardous_enterprises_only():
    assert default_categories("chemicals") == ("人防", "物防", "技防", "消防", "储存管理")
    assert default_categories("explosives")[-1] == "储存管理"
    assert default_categories("key") == ("人防", "物防", "技防", "消防")
    assert {"双人保管", "双人领用", "双锁管理", "双账管理", "双人验收", "账物相符"} <= set(BUILT_IN["储存管理"])


def test_the_built_in_list_is_version_one(db):
    checklist = current_checklist(db, category="技防")
    assert checklist.version == 1 and "录像保存不少于30天" in checklist.items and checklist.edited_by == ""


def test_an_admin_edit_makes_a_new_version_and_old_records_keep_their_items(db, admin, officer, enterprise):
    old = blank_inspection(db, enterprise_id=enterprise, on=TODAY)
    old.inspectors = ("王警官", "李警官")
    first = record_inspection(db, enterprise_id=enterprise, values=old, officer_id=officer, today=TODAY)

    items = [*BUILT_IN["技防"][:2], "录像保存不少于90天", "周界报警装置运行正常"]
    edited = edit_checklist(db, category="技防", items=items, officer_id=admin)
    assert (edited.version, edited.edited_by) == (2, "张所长")
    assert current_checklist(db, category="技防").items == tuple(items)
    assert [v.version for v in checklist_history(db, category="技防")] == [2, 1]

    record = inspection_record(db, inspection_id=first)
    kept = [item for item in record.items if item.category == "技防"]
    assert [item.item for item in kept] == list(BUILT_IN["技防"])
    assert {item.checklist_version for item in kept} == {1}

    new = blank_inspection(db, enterprise_id=enterprise, on=TODAY)
    tech = [item for item in new.items if item.category == "技防"]
    assert [item.item for item in tech] == items and {item.checklist_version for item in tech} == {2}


def test_only_an_admin_edits_and_a_bad_or_unchanged_list_is_refused(db, admin, officer):
    with pytest.raises(UserError, match="只有所领导"):
        edit_checklist(db, category="消防", items=["消防器材"], officer_id=officer)
    cases = [([], "至少要有一个"), (["A项", "A项"], "重复"), (["x" * 101], "最多100个字"),
             (list(BUILT_IN["消防"]), "没有改动"), (["好", ""], "不能为空行")]
    for items, said in cases:
        with pytest.raises(UserError, match=said):
            edit_checklist(db, category="消防", items=items, officer_id=admin)
    with pytest.raises(UserError, match="没有“治安”这类检查"):
        current_checklist(db, category="治安")
    assert current_checklist(db, category="消防").version == 1


def test_a_blank_record_of_a_general_firm_has_four_categories(db):
    eid = add_enterprise(db, values=enterprise_values(credit_code="", category="general"), today=TODAY)
    blank = blank_inspection(db, enterprise_id=eid, on=TODAY)
    assert blank.categories == ("人防", "物防", "技防", "消防")
    assert all(item.result == "pass" for item in blank.items)
    assert len(blank.items) == sum(len(BUILT_IN[c]) for c in blank.categories)

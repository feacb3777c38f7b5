"""Named mapping templates: saved per kind on this laptop, applied to next month's file."""

from __future__ import annotations

import json

import pytest

from app.core.errors import UserError
from app.imports import templates
from app.imports.templates import apply_template, load_template, save_template, template_names

MAPPING = {"姓名": "name", "公民身份号码": "id_number", "住址/小区": "estate"}


def test_a_saved_template_loads_back_and_is_listed_per_kind(tmp_path):
    save_template("households", "阳光社区登记表", MAPPING, folder=tmp_path)
    save_template("households", "幸福社区", {"姓名": "name"}, folder=tmp_path)
    save_template("disputes", "纠纷台账", {"纠纷类型": "kind"}, folder=tmp_path)
    assert template_names("households", folder=tmp_path) == sorted(["阳光社区登记表", "幸福社区"])
    assert template_names("disputes", folder=tmp_path) == ["纠纷台账"]
    assert template_names("volunteers", folder=tmp_path) == []
    assert load_template("households", "阳光社区登记表", folder=tmp_path) == MAPPING


def test_saving_under_the_same_name_replaces_the_template(tmp_path):
    save_template("households", "登记表", MAPPING, folder=tmp_path)
    save_template("households", "登记表", {"姓名": "name"}, folder=tmp_path)
    assert load_template("households", "登记表", folder=tmp_path) == {"姓名": "name"}


def test_templates_are_stored_as_readable_json_without_partial_files(tmp_path):
    save_template("households", "登记表", MAPPING, folder=tmp_path)
    stored = json.loads((tmp_path / templates.FILE_NAME).read_text(encoding="utf-8"))
    assert stored == {"households": {"登记表": MAPPING}}
    assert [p.name for p in tmp_path.iterdir()] == [templates.FILE_NAME]


def test_an_unknown_template_is_refused_naming_the_ones_there_are(tmp_path):
    save_template("households", "登记表", MAPPING, folder=tmp_path)
    with pytest.raises(UserError, match="没有名为“别的”的导入模板（已有：登记表）"):
        load_template("households", "别的", folder=tmp_path)


@pytest.mark.parametrize("name, mapping, says", [("  ", MAPPING, "起个名字"), ("x" * 41, MAPPING, "太长"),
                                                 ("空", {}, "没有对应任何列")])
def test_a_template_without_a_name_or_columns_is_refused(tmp_path, name, mapping, says):
    with pytest.raises(UserError, match=says):
        save_template("households", name, mapping, folder=tmp_path)


def test_a_damaged_template_file_does_not_block_and_is_replaced_on_save(tmp_path):
    (tmp_path / templates.FILE_NAME).write_text("{not json", encoding="utf-8")
    assert template_names("households", folder=tmp_path) == []
    save_template("households", "登记表", MAPPING, folder=tmp_path)
    assert load_template("households", "登记表", folder=tmp_path) == MAPPING


def test_a_template_applies_to_headers_by_text_then_as_compared():
    headers = ["序号", "姓 名*", "公民身份号码（必填）", "住址/小区", "备注"]
    assert apply_template(MAPPING, headers) == {1: "name", 2: "id_number", 3: "estate"}


def test_a_template_uses_each_field_once_preferring_the_exact_header():
    assert apply_template({"姓名": "name"}, ["姓名*", "姓名"]) == {1: "name"}

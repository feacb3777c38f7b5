"""Checking before writing: reasons per row, repeats within the file, rows already stored, the report,
cancel; and that checking writes nothing."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from app.core.errors import UserError
from app.imports import reading
from app.imports.service import ImportCancelled, save_report, write
from db.models import Household, ImportBatch, Resident
from tests.imports.files import DAMAGES, register_workbook


def _count(db, model) -> int:
    with db.connect() as conn:
        return conn.execute(select(func.count()).select_from(model)).scalar()


def test_each_damaged_row_gets_its_plain_reason_on_its_excel_line(checked, tmp_path):
    damage = ("id_as_number", "bad_checksum", "impossible_birth", "bad_phone", "duplicate", "missing_name")
    assert set(damage) <= set(DAMAGES)
    made = register_workbook(tmp_path / "r.xlsx", damage=damage)
    result = checked(made)
    reasons = {(row.sheet, row.line): row.problems for row in result.rows if row.problems}
    first = made.people[0]
    assert reasons == {
        made.damaged["id_as_number"]: ["身份证号被 Excel 存成了数字，末尾几位已丢失，请把该列设为文本后重新导出"],
        made.damaged["bad_checksum"]: ["身份证号校验码不对，请核对每一位"],
        made.damaged["impossible_birth"]: ["身份证号中的出生日期不存在"],
        made.damaged["bad_phone"]: ["联系电话：电话应为11位手机号（1开头）或带区号的固定电话（如 0571-87654321）"],
        made.damaged["duplicate"]: [f"与第 {first.line} 行重复"],
        made.damaged["missing_name"]: ["请填写姓名"],
    }
    assert all(row.action == "skip" for row in result.rows if row.problems)
    assert result.counts == {"rows": len(made.people) + len(damage), "good": len(made.people),
                             "bad": len(damage), "matched": 0}


def test_a_person_repeated_on_another_sheet_names_that_sheet(checked, tmp_path):
    made = register_workbook(tmp_path / "r.xlsx", communities=("阳光社区", "幸福社区"), households=1,
                             residents_per=1, messy=False)
    from openpyxl import load_workbook as load

    book = load(made.path)
    book["幸福社区"].cell(made.people[1].line, 4).value = made.people[0].id_number
    book.save(made.path)
    result = checked(made)
    assert result.rows[1].problems == [f"与“阳光社区”第 {made.people[0].line} 行重复"]


def test_rows_already_stored_are_matched_by_id_number_and_skipped_by_default(db, checked, tmp_path):
    made = register_workbook(tmp_path / "r.xlsx", communities=("阳光社区",), households=2, residents_per=2)
    write(db, result=checked(made), officer_id=None)
    again = checked(made)
    assert again.counts == {"rows": 4, "good": 4, "bad": 0, "matched": 4}
    person = made.people[0]
    row = again.rows[0]
    assert row.action == "skip"
    assert row.match_label == f"{person.name}（{person.estate}{person.building}栋{person.unit}单元{person.room}室）"
    with db.connect() as conn:
        stored = conn.execute(select(Resident.id).where(Resident.id_number == person.id_number)).scalar()
    assert row.match_id == stored
    again.set_matched("both")
    assert {row.action for row in again.rows} == {"both"}
    with pytest.raises(UserError):
        again.set_matched("merge")


def test_a_household_alone_is_matched_by_its_address(db, checked, tmp_path):
    from tests.imports.files import _simple_workbook

    made = _simple_workbook(tmp_path / "v.xlsx", sheet="阳光社区", title="走访台账", headers=["小区", "楼栋", "户主"],
                            rows=[["阳光小区", "3", "张伟"], ["阳光小区", "3", "张伟"], ["阳光小区", "4", "李娜"]])
    first = checked(made)
    assert first.counts == {"rows": 3, "good": 3, "bad": 0, "matched": 0}  # one household visited twice is no repeat
    write(db, result=first, officer_id=None)
    assert _count(db, Household) == 2
    again = checked(made)
    assert [row.match_label for row in again.rows] == ["阳光小区3栋 户主张伟", "阳光小区3栋 户主张伟",
                                                       "阳光小区4栋 户主李娜"]
    moved = _simple_workbook(tmp_path / "v2.xlsx", sheet="阳光社区", title=None, headers=["小区", "楼栋", "户主"],
                             rows=[["阳光小区", "3", "王芳"]])
    update = checked(moved)
    update.set_matched("update")
    assert write(db, result=update, officer_id=None).updated == 1
    with db.connect() as conn:
        heads = conn.execute(select(Household.building, Household.head_name).order_by(Household.building)).all()
    assert heads == [("3", "王芳"), ("4", "李娜")]


def test_checking_writes_nothing(db, checked, tmp_path):
    made = register_workbook(tmp_path / "r.xlsx", damage=("bad_checksum",))
    before = (_count(db, Household), _count(db, Resident), _count(db, ImportBatch))
    checked(made)
    assert (_count(db, Household), _count(db, Resident), _count(db, ImportBatch)) == before == (0, 0, 0)


def test_progress_is_reported_and_cancel_stops_the_check(checked, tmp_path, monkeypatch):
    from app.imports import checking

    monkeypatch.setattr(checking, "STEP", 5)
    made = register_workbook(tmp_path / "r.xlsx", communities=("阳光社区",), households=4, residents_per=3)
    seen = []
    checked(made, progress=lambda stage, done, total: seen.append((stage, done, total)))
    assert seen == [("检查各行", 5, 0), ("检查各行", 10, 0), ("检查各行", 12, 12)]
    with pytest.raises(ImportCancelled):
        checked(made, should_stop=lambda: True)


def test_the_report_lists_the_bad_and_matched_rows_with_their_columns_and_counts_the_good_ones(db, checked,
                                                                                                tmp_path):
    made = register_workbook(tmp_path / "r.xlsx", communities=("阳光社区",), households=2, residents_per=2,
                             damage=("bad_checksum",))
    stored = made.people[1]
    write(db, result=checked(register_workbook(tmp_path / "one.xlsx", communities=("阳光社区",), households=2,
                                               residents_per=2)), officer_id=None)
    result = checked(made)
    counts = result.counts
    assert counts["bad"] == 1 and counts["matched"] == len(made.people)  # the same people, stored before
    out = tmp_path / "报告.xlsx"
    save_report(result, out)
    sheet = load_workbook(out, read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == (f"导入检查报告：共 {counts['rows']} 行；检查无误、将新增的 0 行未列出；"
                          f"下面是有问题的 1 行和已有记录的 {counts['matched']} 行")
    assert rows[1] == ("行号", *made.headers, "问题", "已有记录", "处理")
    by_line = {row[0]: row for row in rows[2:]}
    bad_line = made.damaged["bad_checksum"][1]
    assert by_line[bad_line][-3] == "身份证号校验码不对，请核对每一位" and by_line[bad_line][-1] == "跳过"
    assert by_line[stored.line][1 + made.headers.index("姓名")].strip() == stored.name
    assert by_line[stored.line][-3] is None and by_line[stored.line][-2].startswith(stored.name)
    assert by_line[stored.line][-1] == "跳过"
    assert len(rows) == 2 + counts["bad"] + counts["matched"]
    again = reading.sheets(out)[0]  # fixed in Excel, it can be imported again: the header is found below the note
    assert (again.header_row, again.headers[1:1 + len(made.headers)]) == (2, made.headers)
    with pytest.raises(UserError):
        save_report(result, tmp_path / "报告.pdf")


def test_the_report_counts_good_rows_without_listing_them(checked, tmp_path):
    made = register_workbook(tmp_path / "r.xlsx", communities=("阳光社区",), households=2, residents_per=2,
                             damage=("bad_checksum",))
    result = checked(made)
    out = tmp_path / "报告.xlsx"
    save_report(result, out)
    rows = list(load_workbook(out, read_only=True).active.iter_rows(values_only=True))
    assert f"将新增的 {len(made.people)} 行未列出" in rows[0][0]
    assert [row[0] for row in rows[2:]] == [made.damaged["bad_checksum"][1]]

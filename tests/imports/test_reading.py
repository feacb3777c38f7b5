"""Reading officers' files: headers found below titles, two header rows joined, rows streamed
with Excel's line numbers, CSV in either encoding, and plain refusals for files it cannot read."""

from __future__ import annotations

import tracemalloc
import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest

from app.core.errors import UserError
from app.imports import cells, reading
from tests.imports.files import (
    big_register,
    dispute_workbook,
    enterprise_workbook,
    register_csv,
    register_workbook,
    valid_id,
    volunteer_workbook,
)


def test_the_header_row_is_found_below_a_merged_title(tmp_path):
    made = register_workbook(tmp_path / "r.xlsx", two_header_rows=False)
    info = reading.sheets(made.path)[0]
    assert (info.header_row, info.header_rows) == (2, 1)
    assert info.headers == made.headers


def test_the_header_row_is_the_first_row_without_a_title(tmp_path):
    made = register_workbook(tmp_path / "r.xlsx", two_header_rows=False, title=False)
    info = reading.sheets(made.path)[0]
    assert (info.header_row, info.header_rows, info.headers) == (1, 1, made.headers)


def test_two_header_rows_join_as_parent_slash_child(tmp_path):
    made = register_workbook(tmp_path / "r.xlsx")
    info = reading.sheets(made.path)[0]
    assert (info.header_row, info.header_rows) == (3, 2)
    assert info.headers[5:11] == ["联系电话", "住址/小区", "住址/楼栋", "住址/单元", "住址/房号", "户主"]
    assert info.headers == made.headers


def test_a_parent_row_above_a_full_header_row_is_found_too(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["居民信息", None, None, "住址", None, None])  # parents over groups, not a title
    ws.append(["姓名", "性别", "身份证号", "小区", "楼栋", "房号"])
    ws.append(["王伟", "男", "x", "阳光小区", "3", "501"])
    wb.save(tmp_path / "p.xlsx")
    info = reading.sheets(tmp_path / "p.xlsx")[0]
    assert (info.header_row, info.header_rows) == (2, 2)
    assert info.headers == ["居民信息/姓名", "居民信息/性别", "居民信息/身份证号",
                            "住址/小区", "住址/楼栋", "住址/房号"]


def test_a_note_row_above_the_header_is_not_taken_for_parents(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["阳光社区实有人口登记表"])
    ws.append(["填报单位：阳光社区", None, None, "填报日期：2024年3月5日", None, None])
    ws.append(["姓名", "性别", "身份证号", "小区", "楼栋", "房号"])
    ws.append(["王伟", "男", "x", "阳光小区", "3", "501"])
    wb.save(tmp_path / "n.xlsx")
    info = reading.sheets(tmp_path / "n.xlsx")[0]
    assert (info.header_row, info.header_rows) == (3, 1)
    assert info.headers == ["姓名", "性别", "身份证号", "小区", "楼栋", "房号"]


def test_a_data_row_of_plain_text_is_not_taken_for_a_second_header_row(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["姓名", "联系人", None, "小区"])
    wb.active.append(["王伟", "李强", "邻居", "阳光小区"])
    wb.save(tmp_path / "t.xlsx")
    info = reading.sheets(tmp_path / "t.xlsx")[0]
    assert (info.header_row, info.header_rows) == (1, 1)


def test_one_sheet_per_community_each_with_its_header(tmp_path):
    made = register_workbook(tmp_path / "r.xlsx", communities=("阳光社区", "幸福社区", "和平社区"))
    infos = reading.sheets(made.path)
    assert [i.name for i in infos] == ["阳光社区", "幸福社区", "和平社区"]
    assert all(i.headers == made.headers and i.header_row == made.header_row for i in infos)


def test_the_preview_shows_the_first_eight_data_rows_as_text(tmp_path):
    made = register_workbook(tmp_path / "r.xlsx")
    preview = reading.sheets(made.path)[0].preview
    assert len(preview) == reading.PREVIEW_ROWS
    assert preview[0][1] == made.people[0].name  # full-width space around the name gone
    assert preview[0][3] == made.people[0].id_number  # full-width digits made ordinary
    assert all(len(row) == len(made.headers) for row in preview)


def test_rows_carry_the_line_numbers_excel_shows(tmp_path):
    made = register_workbook(tmp_path / "r.xlsx", blank_rows=False)
    rows = list(reading.read_rows(made.path, sheet="阳光社区", header_row=3, header_rows=2))
    first = [p for p in made.people if p.sheet == "阳光社区"]
    assert [r.line for r in rows] == [p.line for p in first]
    assert [cells.id_number(r.values[3]) for r in rows] == [p.id_number for p in first]


def test_blank_rows_are_skipped(tmp_path):
    made = register_workbook(tmp_path / "r.xlsx", households=7)
    rows = list(reading.read_rows(made.path, sheet="阳光社区", header_row=made.header_row, header_rows=2))
    assert [r.line for r in rows] == [p.line for p in made.people if p.sheet == "阳光社区"]
    lines = [r.line for r in rows]
    assert lines != list(range(lines[0], lines[0] + len(lines)))  # the file did have gaps


def test_a_repeated_header_and_title_from_glued_sheets_are_skipped(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    for part in range(2):
        ws.append(["阳光社区实有人口登记表"])
        ws.append(["姓名", "身份证号", "小区"])
        ws.append([f"王伟{part}", "x", "阳光小区"])
    wb.save(tmp_path / "g.xlsx")
    rows = list(reading.read_rows(tmp_path / "g.xlsx", sheet=ws.title, header_row=2))
    assert [(r.line, r.values[0]) for r in rows] == [(3, "王伟0"), (6, "王伟1")]


def test_dates_typed_three_ways_and_serials_read_the_same_day(tmp_path):
    made = register_workbook(tmp_path / "r.xlsx", households=5)
    rows = list(reading.read_rows(made.path, sheet="阳光社区", header_row=3, header_rows=2))
    kinds = {type(r.values[4]) for r in rows}
    assert {str, int, datetime} <= kinds  # the file mixes them
    assert [cells.day(r.values[4]) for r in rows] == [p.born for p in made.people if p.sheet == "阳光社区"]


def test_a_1904_workbook_says_so(tmp_path):
    from openpyxl import Workbook
    from openpyxl.utils.datetime import CALENDAR_MAC_1904

    wb = Workbook()
    wb.epoch = CALENDAR_MAC_1904
    wb.active.append(["姓名", "出生日期"])
    wb.active.append(["王伟", 43894])
    wb.save(tmp_path / "mac.xlsx")
    info = reading.sheets(tmp_path / "mac.xlsx")[0]
    assert info.epoch_1904
    row = next(reading.read_rows(tmp_path / "mac.xlsx", sheet=info.name, header_row=1))
    assert cells.day(row.values[1], epoch_1904=info.epoch_1904) == date(2024, 3, 5)


def test_an_id_number_stored_as_a_number_reads_as_a_number_and_is_named(tmp_path):
    made = register_workbook(tmp_path / "r.xlsx", damage=["id_as_number"])
    sheet, line = made.damaged["id_as_number"]
    row = next(r for r in reading.read_rows(made.path, sheet=sheet, header_row=3, header_rows=2) if r.line == line)
    assert isinstance(row.values[3], (int, float))
    with pytest.raises(cells.CellProblem, match="存成了数字"):
        cells.id_number(row.values[3])


def test_headers_at_reads_the_row_the_officer_chose(tmp_path):
    made = register_workbook(tmp_path / "r.xlsx")
    assert reading.headers_at(made.path, sheet="阳光社区", header_row=3, header_rows=2) == made.headers
    assert reading.headers_at(made.path, sheet="阳光社区", header_row=2)[6] == "住址"
    assert reading.headers_at(made.path, sheet="阳光社区", header_row=1) == ["阳光社区实有人口登记表"]


def test_a_wrong_dimension_written_by_wps_does_not_cut_rows(tmp_path):
    made = register_workbook(tmp_path / "r.xlsx", communities=("阳光社区",), blank_rows=False)
    broken = tmp_path / "wps.xlsx"
    with zipfile.ZipFile(made.path) as src, zipfile.ZipFile(broken, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                data = data.replace(b"<sheetData>", b'<dimension ref="A1:B2"/><sheetData>', 1) \
                    if b"<dimension" not in data else __import__("re").sub(rb'<dimension ref="[^"]*"/>',
                                                                           b'<dimension ref="A1:B2"/>', data)
            dst.writestr(item, data)
    rows = list(reading.read_rows(broken, sheet="阳光社区", header_row=3, header_rows=2))
    assert len(rows) == len(made.people)
    assert all(len(r.values) == len(made.headers) for r in rows)
    assert rows[-1].values[11] == made.people[-1].relation


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "gb18030"])
def test_csv_is_read_in_either_encoding(tmp_path, encoding):
    made = register_csv(tmp_path / "登记.csv", encoding=encoding)
    info = reading.sheets(made.path)[0]
    assert (info.name, info.header_row, info.headers) == ("登记", 1, made.headers)
    rows = list(reading.read_rows(made.path, sheet="登记", header_row=1))
    assert [(r.line, r.values[0]) for r in rows] == [(line, values["姓名"]) for _, line, values in made.rows]


def test_a_semicolon_csv_is_read_too(tmp_path):
    made = register_csv(tmp_path / "r.csv", delimiter=";")
    assert reading.sheets(made.path)[0].headers == made.headers


def test_a_csv_cell_kept_as_text_with_an_equals_sign_is_unwrapped(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text('姓名,身份证号\n王伟,="330106195102020014"\n', encoding="utf-8")
    row = next(reading.read_rows(path, sheet="x", header_row=1))
    assert row.values == ("王伟", "330106195102020014")


@pytest.mark.parametrize("maker", [dispute_workbook, volunteer_workbook, enterprise_workbook])
def test_the_other_ledgers_headers_are_found_below_their_titles(tmp_path, maker):
    made = maker(tmp_path / "x.xlsx")
    info = reading.sheets(made.path)[0]
    assert (info.header_row, info.headers) == (made.header_row, made.headers)
    rows = list(reading.read_rows(made.path, sheet=info.name, header_row=info.header_row))
    assert [r.line for r in rows] == [line for _, line, _ in made.rows]


def test_an_xls_file_is_refused_with_save_as_xlsx(tmp_path):
    path = tmp_path / "old.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 100)
    with pytest.raises(UserError, match="另存为 .xlsx"):
        reading.sheets(path)


def test_an_xlsx_with_a_password_is_refused_plainly(tmp_path):
    path = tmp_path / "locked.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)  # Excel encrypts into an OLE file
    with pytest.raises(UserError, match="密码"):
        reading.sheets(path)


@pytest.mark.parametrize("name, content, says", [
    ("missing.xlsx", None, "找不到文件"),
    ("fake.xlsx", b"this is not a workbook", "不是有效的 .xlsx"),
    ("notes.docx", b"x", "只能导入"),
])
def test_files_it_cannot_read_are_refused_in_one_line(tmp_path, name, content, says):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(UserError, match=says) as refused:
        reading.sheets(path)
    assert "\n" not in str(refused.value)


def test_a_file_another_program_holds_is_refused_asking_to_close_it(tmp_path, monkeypatch):
    made = register_workbook(tmp_path / "r.xlsx")

    def held(self, *args, **kwargs):  # what Windows says while Excel has the file open
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "open", held)
    with pytest.raises(UserError, match="请关闭 Excel/WPS 后重试"):
        reading.sheets(made.path)


def test_a_column_without_a_header_keeps_its_place_with_an_empty_header(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["姓名", None, "身份证号", "小区"])
    wb.active.append(["王伟", "备注写在这里", "x", "阳光小区"])
    wb.save(tmp_path / "gap.xlsx")
    info = reading.sheets(tmp_path / "gap.xlsx")[0]
    assert info.headers == ["姓名", "", "身份证号", "小区"]
    assert info.preview == [["王伟", "备注写在这里", "x", "阳光小区"]]


def test_an_unknown_sheet_names_the_ones_there_are(tmp_path):
    made = register_workbook(tmp_path / "r.xlsx")
    with pytest.raises(UserError, match="阳光社区、幸福社区"):
        list(reading.read_rows(made.path, sheet="和平社区", header_row=3))


def test_an_empty_workbook_is_refused(tmp_path):
    from openpyxl import Workbook

    Workbook().save(tmp_path / "empty.xlsx")
    with pytest.raises(UserError, match="没有数据"):
        reading.sheets(tmp_path / "empty.xlsx")


BIG_ROWS = 100_000
TRACED_FIRST, TRACED_LAST = 500, 5_000  # tracing every row would take minutes
# openpyxl's streaming parser itself keeps ~120-160 bytes a row (the emptied <row> elements stay in
# its tree); a SourceRow kept per row would add over 400 more
KEPT_PER_ROW = 300


@pytest.fixture(scope="module")
def big_file(tmp_path_factory):
    return big_register(tmp_path_factory.mktemp("big") / "big.xlsx", rows=BIG_ROWS)


def test_read_rows_on_a_100000_row_sheet_keeps_memory_bounded(big_file):
    """Traced while opening and over the first rows (a whole-sheet load would show there), and
    over the last rows (anything kept per row would show there); untraced in between."""
    rows = reading.read_rows(big_file.path, sheet="实有人口", header_row=1)
    tracemalloc.start()
    try:
        for _ in range(TRACED_FIRST):
            next(rows)
        _, opening_peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        for _ in range(BIG_ROWS - TRACED_FIRST - TRACED_LAST):
            next(rows)
        tracemalloc.start()
        for _ in range(TRACED_LAST):
            last = next(rows)
        kept, last_peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert next(rows, None) is None
    assert last.line == BIG_ROWS + 1 and last.values[1] == valid_id(BIG_ROWS - 1)
    assert opening_peak < 30 * 1024 * 1024, f"opening peak {opening_peak / 1e6:.1f} MB"
    assert last_peak < 30 * 1024 * 1024, f"peak {last_peak / 1e6:.1f} MB"
    assert kept < TRACED_LAST * KEPT_PER_ROW, f"{kept / TRACED_LAST:.0f} bytes kept a row"

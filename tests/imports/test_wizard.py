"""The import wizard (文件 → 从 Excel 导入) on a tmp database with small files from tests/imports/files.py:
the header found and corrected, the mapping guessed and required fields enforced, bad rows listed
with their reasons, matched rows updated or skipped, the write, its cancel and its undo. With
CPDESK_SHOTS=<folder> every page is also saved there at 1366x768 as imports_<page>.png."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QApplication, QWizard

from tests.imports.files import dispute_workbook, register_workbook, volunteer_workbook
from tests.support.walk import type_text
from ui.widgets import fit

LAPTOP = QRect(0, 0, 1366, 728)  # 1366x768 above the taskbar


@pytest.fixture(autouse=True)
def laptop(monkeypatch, program_language):
    monkeypatch.setattr(fit, "available_area", lambda _window: QRect(LAPTOP))
    program_language()


@pytest.fixture
def make_wizard(qtbot, db, officer, tmp_path):
    from ui.imports.wizard import ImportWizard

    def make():
        wizard = ImportWizard(db, officer, templates_folder=tmp_path / "templates")
        qtbot.addWidget(wizard)
        wizard.show()
        qtbot.waitExposed(wizard)
        return wizard

    return make


def shoot(qtbot, widget, name: str) -> None:
    if folder := os.environ.get("CPDESK_SHOTS"):
        Path(folder).mkdir(parents=True, exist_ok=True)
        qtbot.wait(300)
        widget.grab().save(str(Path(folder) / f"imports_{name}.png"))


def choose_file(qtbot, wizard, path: Path, *, kind: str = "households") -> None:
    page = wizard.source_page
    page.kind.setCurrentIndex(page.kind.findData(kind))
    page.path.clear()
    type_text(page.path, str(path))
    page.path.editingFinished.emit()  # the officer pressed Enter or left the field
    qtbot.waitUntil(lambda: not page.busy() and (page.isComplete() or page.status.isVisible()), timeout=10000)


def next_page(qtbot, wizard) -> None:
    before = wizard.currentId()
    button = wizard.button(QWizard.WizardButton.NextButton)
    assert button.isEnabled(), f"下一步 disabled on {wizard.currentPage().title()}"
    button.click()
    assert wizard.currentId() == before + 1


def checked(qtbot, wizard):
    qtbot.waitUntil(lambda: not wizard.check_page.busy() and wizard.check_page.counts.text() != "正在检查…",
                    timeout=20000)
    return wizard.result


def run_to_check(qtbot, wizard, path: Path):
    choose_file(qtbot, wizard, path)
    next_page(qtbot, wizard)
    next_page(qtbot, wizard)
    return checked(qtbot, wizard)


def write_now(qtbot, wizard):
    page = wizard.write_page
    page.write_button.click()
    qtbot.waitUntil(lambda: not page.busy(), timeout=20000)
    return wizard.summary


def household_count(db) -> int:
    from sqlalchemy import func, select

    from db.models import Household

    with db.session() as s:
        return s.execute(select(func.count()).select_from(Household).where(Household.deleted.is_(False))).scalar()


def mapped(wizard) -> dict[str, str]:
    """Header text -> the field key its combo box shows."""
    headers = wizard.source.headers
    return {headers[i]: combo.currentData() for i, combo in enumerate(wizard.mapping_page.combos)}


# --- page 1 and 2: the file, its header, its columns -------------------------------------------
def test_the_header_is_found_below_the_title_and_the_guessed_mapping_is_shown(qtbot, make_wizard, tmp_path):
    made = register_workbook(tmp_path / "实有人口.xlsx", communities=("阳光社区", "幸福社区"), households=2)
    wizard = make_wizard()
    choose_file(qtbot, wizard, made.path)
    page = wizard.source_page
    assert page.header_row.value() == made.header_row and page.two_rows.isChecked()
    assert page.chosen_sheets() == made.sheets  # one sheet per community, both ticked
    assert [page.model.headerData(i, Qt.Orientation.Horizontal) for i in range(page.model.columnCount())] \
        == made.headers
    first = made.people[0]
    assert page.model.index(0, 1).data().strip() == first.name
    shoot(qtbot, wizard, "1_source")

    next_page(qtbot, wizard)
    guessed = mapped(wizard)
    assert guessed["姓名"] == "name" and guessed["公民身份号码"] == "id_number"
    assert guessed["住址/小区"] == "estate" and guessed["住址/房号"] == "room"
    assert guessed["户主"] == "head_name" and guessed["与户主关系"] == "relation"
    assert guessed["序号"] is None  # 不导入
    assert wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    shoot(qtbot, wizard, "2_mapping")


def notes_then_register(path: Path, *, notes: int) -> tuple[int, list[str]]:
    """A register under ``notes`` rows of filling-in instructions (longer than the guess looks):
    returns the header's row and the headers."""
    from openpyxl import Workbook

    from tests.imports.files import name_of, valid_id

    headers = ["姓名", "公民身份号码", "小区", "楼栋", "单元", "房号", "与户主关系"]
    wb = Workbook()
    ws = wb.active
    ws.title = "临江社区"
    for n in range(notes):
        ws.append([f"填表说明{n + 1}：身份证号请设为文本格式，日期写成2024-3-5"])
    ws.append(headers)
    for n in range(3):
        ws.append([name_of(n), valid_id(n), "临江小区", "1", "2", f"{n + 1}01", "户主"])
    wb.save(path)
    return notes + 1, headers


def test_a_header_the_guess_misses_is_corrected_by_the_officer(qtbot, make_wizard, tmp_path):
    """The officer types the header's row number: the headers, the preview and the mapping follow."""
    from app.imports.reading import SCAN_ROWS

    row, headers = notes_then_register(tmp_path / "说明很长.xlsx", notes=SCAN_ROWS + 5)
    wizard = make_wizard()
    choose_file(qtbot, wizard, tmp_path / "说明很长.xlsx")
    page = wizard.source_page
    assert page.header_row.value() != row  # the guess did not reach it
    page.header_row.setValue(row)
    qtbot.waitUntil(lambda: not page.busy() and page.model.columnCount() == len(headers)
                    and page.model.headerData(0, Qt.Orientation.Horizontal) == "姓名", timeout=10000)
    assert [page.model.headerData(i, Qt.Orientation.Horizontal) for i in range(len(headers))] == headers
    assert page.model.rowCount() == 3 and page.model.headerData(0, Qt.Orientation.Vertical) == str(row + 1)
    next_page(qtbot, wizard)
    assert mapped(wizard)["公民身份号码"] == "id_number" and mapped(wizard)["小区"] == "estate"
    next_page(qtbot, wizard)
    result = checked(qtbot, wizard)
    assert result.counts == {"rows": 3, "good": 3, "bad": 0, "matched": 0}
    assert [r.line for r in result.rows] == [row + 1, row + 2, row + 3]


def test_two_columns_for_one_field_block_next_until_one_is_set_to_not_imported(qtbot, make_wizard, tmp_path):
    made = register_workbook(tmp_path / "实有人口.xlsx", communities=("阳光社区",), households=2)
    wizard = make_wizard()
    choose_file(qtbot, wizard, made.path)
    next_page(qtbot, wizard)
    page = wizard.mapping_page
    name_column = made.headers.index("姓名")
    page.choose(made.headers.index("户主"), "name")
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    assert page.problem.isVisible() and "“姓名”对应了" in page.problem.text()
    page.choose(made.headers.index("户主"), "head_name")
    assert wizard.button(QWizard.WizardButton.NextButton).isEnabled() and not page.problem.isVisible()
    for column in range(len(page.combos)):
        page.choose(column, None)
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    assert "还没有选择任何要导入的列" in page.problem.text()
    assert name_column >= 0


def test_a_file_that_cannot_be_read_is_refused_on_the_page_in_one_line(qtbot, make_wizard, tmp_path):
    wizard = make_wizard()
    choose_file(qtbot, wizard, tmp_path / "没有这个文件.xlsx")
    status = wizard.source_page.status
    assert status.isVisible() and status.text() and "\n" not in status.text() and "Traceback" not in status.text()
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    old = tmp_path / "旧格式.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0 not really a workbook")
    choose_file(qtbot, wizard, old)
    assert "另存为 .xlsx" in status.text() or "xls" in status.text()
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()


# --- page 3: the check -------------------------------------------------------------------------
def test_bad_rows_are_listed_with_their_reasons_and_nothing_is_written(qtbot, make_wizard, db, tmp_path):
    made = register_workbook(tmp_path / "实有人口.xlsx", communities=("阳光社区",), households=2,
                             damage=("id_as_number", "bad_checksum", "duplicate"))
    wizard = make_wizard()
    result = run_to_check(qtbot, wizard, made.path)
    page = wizard.check_page
    assert result.counts["bad"] == 3 and result.counts["good"] == len(made.people)
    assert f"有问题 {result.counts['bad']}" in page.counts.text()
    model = page.model
    page.view.setCurrentIndex(page.view.findData("bad"))
    listed = {int(model.index(r, model.LINE).data()): model.index(r, model.REASON).data()
              for r in range(model.rowCount())}
    assert "存成了数字" in listed[made.damaged["id_as_number"][1]]
    assert "校验码" in listed[made.damaged["bad_checksum"][1]]
    assert "重复" in listed[made.damaged["duplicate"][1]]
    assert model.index(0, model.STATE).data() == "有问题"
    assert not model.flags(model.index(0, model.ACTION)) & Qt.ItemFlag.ItemIsEditable  # a bad row is skipped
    assert household_count(db) == 0  # checking writes nothing
    shoot(qtbot, wizard, "3_check_problems")

    report = tmp_path / "检查报告.xlsx"
    page.save_report_to(report)
    qtbot.waitUntil(lambda: "已保存" in page.status.text(), timeout=10000)
    from openpyxl import load_workbook

    rows = list(load_workbook(report, read_only=True).worksheets[0].values)
    assert any("校验码" in " ".join(str(v) for v in row if v) for row in rows)


def test_matched_rows_are_skipped_by_default_and_updated_or_kept_as_the_officer_chooses(
        qtbot, make_wizard, db, tmp_path):
    from app.imports.service import check, write

    made = register_workbook(tmp_path / "实有人口.xlsx", communities=("阳光社区",), households=2, residents_per=2)
    wizard = make_wizard()
    choose_file(qtbot, wizard, made.path)
    next_page(qtbot, wizard)
    mapping = dict(wizard.mapping_page.mapping())
    without_phones = {i: key for i, key in mapping.items() if key != "phone"}  # the first time, phones left out
    first = check(db, kind="households", path=made.path, sheets=made.sheets, header_row=made.header_row,
                  header_rows=made.header_rows, mapping=without_phones)
    write(db, result=first, officer_id=None)  # the same register imported once before, without phones
    households = household_count(db)

    next_page(qtbot, wizard)
    result = checked(qtbot, wizard)
    page = wizard.check_page
    assert result.counts["matched"] == len(made.people) and all(row.action == "skip" for row in result.rows)
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()  # nothing to write yet
    assert "没有要写入的行" in page.status.text()
    model = page.model
    page.view.setCurrentIndex(page.view.findData("matched"))
    assert model.rowCount() == len(made.people) and model.index(0, model.STATE).data() == "已存在"
    assert model.index(0, model.REASON).data()  # which record it meets
    action = model.index(0, model.ACTION)
    assert model.flags(action) & Qt.ItemFlag.ItemIsEditable
    assert model.setData(action, "update") and action.data() == "更新"
    assert wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    shoot(qtbot, wizard, "3_check_matched")
    next(b for b in page.all_buttons if b.text() == "跳过").click()
    assert all(row.action == "skip" for row in result.rows)
    next(b for b in page.all_buttons if b.text() == "更新").click()
    assert all(row.action == "update" for row in result.rows)

    next_page(qtbot, wizard)
    summary = write_now(qtbot, wizard)
    assert summary.added == 0 and summary.updated >= 1  # the phones came in
    assert household_count(db) == households  # updated, not doubled


def test_cancelling_the_check_says_so_and_keeps_next_closed(qtbot, make_wizard, tmp_path):
    from app.imports.checking import STEP

    made = register_workbook(tmp_path / "大表.xlsx", rows=STEP + STEP // 2, messy=False)
    wizard = make_wizard()
    choose_file(qtbot, wizard, made.path)
    next_page(qtbot, wizard)
    next_page(qtbot, wizard)
    page = wizard.check_page
    assert page.busy() and page.progress.isVisible()
    page.progress.cancel_button.click()  # long before the check has read its rows
    qtbot.waitUntil(lambda: not page.busy(), timeout=20000)
    assert "取消" in page.status.text() and wizard.result is None
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    wizard.back()
    next_page(qtbot, wizard)  # coming back checks again, to the end
    assert checked(qtbot, wizard).counts["rows"] == STEP + STEP // 2


# --- page 4: the write, its cancel, its undo ---------------------------------------------------
def test_the_import_writes_the_households_and_undo_takes_them_back(qtbot, make_wizard, db, tmp_path):
    from ui.widgets.ops import changes

    made = register_workbook(tmp_path / "实有人口.xlsx", communities=("阳光社区", "幸福社区"), households=2)
    wizard = make_wizard()
    result = run_to_check(qtbot, wizard, made.path)
    assert result.counts == {"rows": len(made.people), "good": len(made.people), "bad": 0, "matched": 0}
    shoot(qtbot, wizard, "3_check_clean")
    next_page(qtbot, wizard)
    page = wizard.write_page
    assert f"新增 {len(made.people)} 行" in page.plan.text()
    assert not wizard.button(QWizard.WizardButton.FinishButton).isEnabled()  # 开始导入 writes, not 完成
    shoot(qtbot, wizard, "4_write_ready")
    announced = []
    changes.data_changed.connect(lambda tables, _source: announced.append(tables))
    with qtbot.waitSignal(wizard.imported, timeout=20000) as imported:
        page.write_button.click()
    summary = imported.args[0]
    assert summary.added >= len(made.people)
    assert household_count(db) == 4  # two households in each community's sheet
    assert any("household" in tables for tables in announced)  # the open tabs refresh
    assert written_tables(db, summary.batch_id) <= set(announced[-1])
    assert page.undo_button.isVisible() and "导入住户与居民：新增记录" in page.outcome.text()
    assert not wizard.button(QWizard.WizardButton.BackButton).isVisible()
    shoot(qtbot, wizard, "4_write_done")

    with qtbot.waitSignal(wizard.undone, timeout=20000):
        page.undo_button.click()
    assert household_count(db) == 0 and "已撤销" in page.outcome.text()
    assert not page.undo_button.isEnabled()


def test_cancelling_the_write_writes_nothing_and_says_so(qtbot, make_wizard, db, tmp_path):
    from ui.widgets.ops import Op

    made = register_workbook(tmp_path / "实有人口.xlsx", communities=("阳光社区",), households=2)
    wizard = make_wizard()
    run_to_check(qtbot, wizard, made.path)
    next_page(qtbot, wizard)
    page = wizard.write_page
    release = threading.Event()
    Op(wizard, lambda: release.wait(10)).writes().run()  # the writer is busy: the import waits its turn
    page.write_button.click()
    assert page.busy() and page.progress.isVisible()
    wizard.reject()  # closing now would leave half-done work: refused, with a line
    assert wizard.isVisible() and "正在写入" in page.status.text()
    page.progress.cancel_button.click()
    release.set()
    qtbot.waitUntil(lambda: not page.busy(), timeout=20000)
    assert "取消" in page.status.text() and page.status.styleSheet()
    assert household_count(db) == 0 and wizard.summary is None
    assert page.write_button.isEnabled()  # he may start it again


# --- templates, addresses in one cell, other kinds ---------------------------------------------
def test_a_mapping_saved_as_a_template_is_applied_to_the_next_file(qtbot, make_wizard, tmp_path):
    made = register_workbook(tmp_path / "实有人口.xlsx", communities=("阳光社区",), households=1)
    wizard = make_wizard()
    choose_file(qtbot, wizard, made.path)
    next_page(qtbot, wizard)
    page = wizard.mapping_page
    page.choose(made.headers.index("备注"), None)
    page.choose(made.headers.index("序号"), "notes")  # this station keeps its own number as a note
    assert not page.save_template()  # no name yet
    assert page.template_said.text() == "请先填写模板名称"
    type_text(page.template_name, "阳光社区登记表")
    assert page.save_template() and "已保存模板" in page.template_said.text()
    wizard.hide()

    again = make_wizard()
    choose_file(qtbot, again, made.path)
    source = again.source_page
    source.template.setCurrentIndex(source.template.findData("阳光社区登记表"))
    next_page(qtbot, again)
    assert mapped(again)["序号"] == "notes" and mapped(again)["备注"] is None
    assert mapped(again)["姓名"] == "name"


def test_addresses_in_one_cell_show_how_they_split(qtbot, make_wizard, tmp_path):
    made = register_workbook(tmp_path / "住址一格.xlsx", communities=("阳光社区",), households=2,
                             address_in_one_cell=True)
    wizard = make_wizard()
    choose_file(qtbot, wizard, made.path)
    next_page(qtbot, wizard)
    page = wizard.mapping_page
    assert mapped(wizard)["现住址"] == "address"
    assert page.address_box.isVisible()
    qtbot.waitUntil(lambda: "能拆分" in page.address_said.text(), timeout=10000)
    total = len(made.people)
    assert f"共 {total} 个地址，{total} 个能拆分" in page.address_said.text()
    first = made.people[0]
    assert f"小区 {first.estate}，楼栋 {first.building}" in page.address_examples.text()
    shoot(qtbot, wizard, "2_mapping_address")


def test_an_address_that_cannot_be_split_is_listed_for_the_officer_and_refused_by_the_check(
        qtbot, make_wizard, tmp_path):
    from openpyxl import Workbook

    from tests.imports.files import name_of, valid_id

    path = tmp_path / "住址.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.title = "临江社区"
    ws.append(["姓名", "身份证号", "现住址"])
    ws.append([name_of(1), valid_id(1), "临江小区3栋2单元501室"])
    ws.append([name_of(2), valid_id(2), "江边老街那排平房"])
    wb.save(path)
    wizard = make_wizard()
    choose_file(qtbot, wizard, path)
    next_page(qtbot, wizard)
    page = wizard.mapping_page
    qtbot.waitUntil(lambda: "拆不开" in page.address_said.text(), timeout=10000)
    assert "共 2 个地址，1 个能拆分，1 个拆不开" in page.address_said.text()
    assert page.unsplit.item(0).text() == "行 3：江边老街那排平房"
    shoot(qtbot, wizard, "2_mapping_address_unsplit")
    next_page(qtbot, wizard)
    result = checked(qtbot, wizard)
    assert [row.line for row in result.rows if row.problems] == [3]
    assert "江边老街那排平房" in result.rows[1].problems[0]


def test_a_required_field_left_unmapped_blocks_next_and_is_named(qtbot, make_wizard, tmp_path):
    from app.imports.service import fields

    required = [field for field in fields("volunteers") if field.required]
    assert required, "the volunteers' kind names its required fields"
    made = volunteer_workbook(tmp_path / "义警名册.xlsx", rows=3)
    wizard = make_wizard()
    choose_file(qtbot, wizard, made.path, kind="volunteers")
    next_page(qtbot, wizard)
    page = wizard.mapping_page
    assert wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    column = next(i for i, combo in enumerate(page.combos) if combo.currentData() == required[0].key)
    page.choose(column, None)
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    assert page.problem.isVisible() and required[0].label in page.problem.text()
    assert "必填" in page.problem.text() and page.problem.styleSheet()
    shoot(qtbot, wizard, "2_mapping_required")


@pytest.mark.parametrize(("kind", "maker", "table"), [("disputes", dispute_workbook, "dispute"),
                                                      ("volunteers", volunteer_workbook, "volunteer")])
def test_other_ledgers_go_through_the_same_pages_and_their_tabs_hear_of_it(
        qtbot, make_wizard, tmp_path, kind, maker, table):
    from ui.widgets.ops import changes

    made = maker(tmp_path / f"{kind}.xlsx")
    wizard = make_wizard()
    choose_file(qtbot, wizard, made.path, kind=kind)
    next_page(qtbot, wizard)
    next_page(qtbot, wizard)
    result = checked(qtbot, wizard)
    assert result.kind == kind and result.counts["good"] == len(made.rows)
    next_page(qtbot, wizard)
    announced = []
    changes.data_changed.connect(lambda tables, _source: announced.append(tables))
    summary = write_now(qtbot, wizard)
    assert summary is not None and summary.added >= len(made.rows)
    assert any(table in tables for tables in announced)  # the tab showing them refreshes
    assert written_tables(wizard.db, summary.batch_id) <= set(announced[-1])  # every table it wrote is named


def written_tables(db, batch_id: str) -> set[str]:
    from sqlalchemy import select

    from db.models.imports import ImportRecord

    with db.session() as s:
        return set(s.execute(select(ImportRecord.table_name).where(ImportRecord.batch_id == batch_id)).scalars())


def test_the_check_model_holds_to_the_model_contract(qtbot, qtmodeltester, make_wizard, tmp_path):
    made = register_workbook(tmp_path / "实有人口.xlsx", communities=("阳光社区",), households=1,
                             damage=("bad_phone",))
    wizard = make_wizard()
    run_to_check(qtbot, wizard, made.path)
    model = wizard.check_page.model
    wizard.check_page.view.setCurrentIndex(wizard.check_page.view.findData("all"))
    assert model.rowCount() == len(made.people) + 1
    qtmodeltester.check(model)


def test_every_page_fits_a_laptop_screen(qtbot, make_wizard, tmp_path):
    made = register_workbook(tmp_path / "实有人口.xlsx", communities=("阳光社区",), households=1)
    wizard = make_wizard()
    run_to_check(qtbot, wizard, made.path)
    QApplication.processEvents()
    size = wizard.frameGeometry().size()
    assert size.width() <= LAPTOP.width() and size.height() <= LAPTOP.height(), f"{size.width()}x{size.height()}"
    for button in (QWizard.WizardButton.NextButton, QWizard.WizardButton.CancelButton):
        assert not wizard.button(button).visibleRegion().isEmpty()


def test_the_all_view_shows_the_good_rows_read_back_from_the_checks_spill_in_file_order(qtbot, make_wizard, tmp_path,
                                                                                      monkeypatch):
    from app.imports import checking
    from ui.imports.check_model import CheckModel

    monkeypatch.setattr(checking, "CHUNK", 2)  # several chunks in a small file
    made = register_workbook(tmp_path / "实有人口.xlsx", communities=("阳光社区",), households=2, residents_per=2,
                             damage=("bad_phone",), messy=False)
    wizard = make_wizard()
    run_to_check(qtbot, wizard, made.path)
    page, model = wizard.check_page, wizard.check_page.model
    assert model.rowCount() == 1  # the row needing a look first
    page.view.setCurrentIndex(page.view.findData("all"))
    lines = [int(model.index(row, CheckModel.LINE).data()) for row in range(model.rowCount())]
    assert lines == sorted(lines) and len(lines) == len(made.people) + 1
    for person in made.people:
        row = lines.index(person.line)
        assert person.name in model.index(row, CheckModel.CONTENT).data()
        assert model.index(row, CheckModel.STATE).data() == "可导入"

"""安全检查 records imported as the officer meets it, logged into the real window on the small demo:
文件 → 从 Excel 导入, a small 安全检查台账 of one demo enterprise (a failed inspection typed the way an
officer keeps his own sheet: the failed items in one cell, no item detail), its columns mapped,
checked, imported; then the enterprise opened from the 一企一警 list shows the inspection, waiting
for its notice, and the failed items as rectifications (issue 14)."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QRect
from PySide6.QtWidgets import QApplication

from tests.imports.files import _simple_workbook
from tests.support.walk import click_row, file_menu_action, search, shoot, type_text
from tests.walkthrough.test_imports import press_next, write_and_finish

HEADERS = ["序号", "检查日期", "企业名称", "统一社会信用代码", "检查类别", "检查人员", "不合格项目", "检查结果",
           "整改或处罚意见", "改正期限"]
FAILED = ("门卫制度落实，人员、车辆出入登记：外来车辆出入未登记", "值班制度落实，有值班记录：夜间值班记录缺失")


def test_an_inspection_ledger_is_imported_and_the_inspection_shows_on_its_enterprise(
        qtbot, officer_at_work, tmp_path, monkeypatch):
    from ui.enterprises.detail import ID_ROLE
    from ui.imports.wizard import ImportWizard
    from ui.widgets import fit

    monkeypatch.setattr(fit, "available_area", lambda _window: QRect(0, 0, 1366, 728))  # the window's laptop
    window, _day = officer_at_work
    tab = window.tab("enterprises")
    window.tabs.setCurrentWidget(tab)
    firm = next(row for row in tab.model._rows if row.credit_code)
    inspected = date.today() - timedelta(days=1)
    row = [1, inspected.isoformat(), firm.name, firm.credit_code, "人防", f"{window.officer.name}、李卫国",
           "；".join(FAILED), "不合格", "责令限期整改", (inspected + timedelta(days=15)).isoformat()]
    made = _simple_workbook(tmp_path / "安全检查台账.xlsx", sheet="安全检查", title="安全检查台账", headers=HEADERS,
                            rows=[row])

    file_menu_action(window, "从 Excel 导入").trigger()
    (wizard,) = [w for w in QApplication.topLevelWidgets() if isinstance(w, ImportWizard) and w.isVisible()]
    source = wizard.source_page
    at = source.kind.findData("inspections")
    assert at >= 0, "the wizard does not offer 安全检查记录 (app.imports.service.KINDS)"
    source.kind.setCurrentIndex(at)
    assert source.kind.currentText() == "安全检查记录"
    type_text(source.path, str(made.path))
    source.path.editingFinished.emit()
    qtbot.waitUntil(lambda: source.isComplete(), timeout=10000)
    assert source.header_row.value() == made.header_row  # below the merged title row
    press_next(wizard)
    mapped = wizard.mapping_page.mapping()
    assert [mapped.get(made.headers.index(h)) for h in ("企业名称", "检查日期", "检查人员", "不合格项目")] == [
        "enterprise", "inspected_on", "inspectors", "failed"]
    shoot(qtbot, wizard, "inspections_1_mapping")
    press_next(wizard)
    qtbot.waitUntil(lambda: wizard.result is not None, timeout=20000)
    assert wizard.result.counts == {"rows": 1, "good": 1, "bad": 0, "matched": 0}, \
        [row.problems for row in wizard.result.rows]
    shoot(qtbot, wizard, "inspections_2_check")
    write_and_finish(qtbot, wizard)

    window.tabs.setCurrentWidget(tab)
    search(qtbot, tab, firm.credit_code)
    row = next(n for n, listed in enumerate(tab.model._rows) if listed.id == firm.id)
    click_row(tab.table, row)
    qtbot.waitUntil(lambda: tab.current_id == firm.id and tab.detail.title.text() == firm.name, timeout=5000)
    pane = tab.detail
    pane.open_page("inspection")
    newest = pane.trees["inspection"].topLevelItem(0)
    assert [newest.text(c) for c in range(4)] == [inspected.isoformat(), "不合格", "2", "待下发整改通知书"]
    pane.select("inspection", newest.data(0, ID_ROLE))
    assert pane.notice_button.isEnabled()  # the flow goes on from here as for one typed in
    problems = {pane.trees["rectification"].topLevelItem(n).text(3)
                for n in range(pane.trees["rectification"].topLevelItemCount())}
    assert set(FAILED) <= problems
    shoot(qtbot, window, "inspections_3_on_its_enterprise")

"""The 走访台账 brought back as visits, logged into the real window on the small demo: 文件 → 从 Excel 导入,
a small visits file (one visit to a demo household) through the wizard as 入户走访记录; then in the 入户走访
tab the household is searched, opened, and the visit shows in its history (issue 14)."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import QRect
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from app.core.text import format_address
from db.models import Community, Household, Officer
from tests.imports.files import _simple_workbook
from tests.support.walk import click_row, file_menu_action, search, shoot, type_text
from tests.walkthrough.test_imports import press_next, write_and_finish

HEADERS = ["序号", "走访日期", "时间", "社区", "住址", "户主", "走访民警", "走访事由", "发现情况", "需跟进事项"]
FINDINGS = "导入的走访：提醒住户防范电信诈骗，已加装国家反诈中心App"


def _a_demo_household_and_officer(db) -> tuple[str, str, str, str]:
    """(community, address, head, officer's name) of the demo's first household and its admin."""
    h, c, o = Household.__table__.c, Community.__table__.c, Officer.__table__.c
    with db.connect() as conn:
        row = conn.execute(select(c.name, h.estate, h.building, h.unit, h.room, h.head_name)
                           .join(Community.__table__, c.id == h.community_id)
                           .where(h.deleted.is_(False)).order_by(h.estate, h.building, h.unit, h.room).limit(1)).one()
        officer = conn.execute(select(o.name).where(o.username == "admin")).scalar_one()
    return row.name, format_address(row.estate, row.building, row.unit, row.room), row.head_name or "", officer


def test_a_visits_file_is_imported_and_the_visit_shows_on_its_household(qtbot, officer_at_work, tmp_path,
                                                                       monkeypatch):
    from ui.imports.wizard import ImportWizard
    from ui.widgets import fit

    monkeypatch.setattr(fit, "available_area", lambda _window: QRect(0, 0, 1366, 728))  # the window's laptop
    window, day = officer_at_work
    community, address, head, officer = _a_demo_household_and_officer(window.db)
    visited = (day() - timedelta(days=1)).isoformat()
    made = _simple_workbook(tmp_path / "走访台账.xlsx", sheet="走访台账", title="走访台账", headers=HEADERS,
                            rows=[[1, visited, "10:20", community, address, head, officer, "反诈宣传", FINDINGS,
                                   "一周后回访"]])

    file_menu_action(window, "从 Excel 导入").trigger()
    [wizard] = [w for w in QApplication.topLevelWidgets() if isinstance(w, ImportWizard) and w.isVisible()]
    source = wizard.source_page
    at = source.kind.findData("visits")
    assert at >= 0, "the wizard does not offer 入户走访记录 (app.imports.service.KINDS)"
    source.kind.setCurrentIndex(at)
    type_text(source.path, str(made.path))
    source.path.editingFinished.emit()
    qtbot.waitUntil(lambda: source.isComplete(), timeout=10000)
    assert source.header_row.value() == made.header_row
    shoot(qtbot, wizard, "visits_1_source")
    press_next(wizard)
    chosen = wizard.mapping_page.mapping()
    assert {HEADERS[i]: key for i, key in chosen.items()} == {
        "走访日期": "visited_on", "时间": "time", "社区": "community", "住址": "address", "户主": "head_name",
        "走访民警": "officer", "走访事由": "purposes", "发现情况": "findings", "需跟进事项": "follow_up"}
    shoot(qtbot, wizard, "visits_2_mapping")
    press_next(wizard)
    qtbot.waitUntil(lambda: wizard.result is not None, timeout=20000)
    assert [row.problems for row in wizard.result.rows] == [[]]
    assert wizard.result.counts == {"rows": 1, "good": 1, "bad": 0, "matched": 0}
    shoot(qtbot, wizard, "visits_3_check")
    write_and_finish(qtbot, wizard, "visits_4_written")

    households = window.households
    window.tabs.setCurrentWidget(households)
    search(qtbot, households, address)
    click_row(households.table, 0)
    qtbot.waitUntil(lambda: address in households.detail.title.text(), timeout=5000)
    visits = households.detail.visits
    shown = [[visits.topLevelItem(i).text(column) for column in range(4)] for i in range(visits.topLevelItemCount())]
    assert [f"{visited} 10:20", "反诈宣传", officer, FINDINGS] in shown
    shoot(qtbot, window, "visits_5_found")

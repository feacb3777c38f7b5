"""The admin's 审计日志 view: newest first in Chinese, filtered in SQL, paged, exported to .xlsx."""

from __future__ import annotations

import time
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QDate, Qt
from sqlalchemy import insert

from app.audit import log as audit
from app.audit.ledger import write_ledger
from db.base import utcnow
from db.models import AuditEntry, Officer
from db.stamping import insert_stamps
from ui.audit import AuditDialog, open_audit_view
from ui.audit.view import COL_ACTION, COL_NOTE, COL_OFFICER, COL_RECORD, COL_TABLE, COL_TIME


@pytest.fixture
def people(db) -> dict[str, str]:
    with db.session() as s:
        wang, li = Officer(username="jy001", name="王警官"), Officer(username="fj002", name="李辅警")
        s.add_all([wang, li])
        s.commit()
        return {"王警官": wang.id, "李辅警": li.id}


@pytest.fixture
def trail(db, people) -> None:
    """Five entries by two officers, oldest first."""
    wang, li = people["王警官"], people["李辅警"]
    audit.record(db, "login", officer_id=wang)
    audit.record(db, "reveal", officer_id=wang, table="resident", record_id="r" * 32, where="入户走访")
    audit.record(db, "print", officer_id=li, table="visit", record_id="v" * 32, document="走访登记表")
    audit.record(db, "ledger", officer_id=li, ledger="走访台账", period="2026-11-01 至 2026-11-30", rows=12)
    audit.record(db, "reveal", officer_id=li, table="resident", record_id="r" * 32, where="矛盾纠纷")


def view(qtbot, db, **kwargs) -> AuditDialog:
    dialog = AuditDialog(db, **kwargs)
    qtbot.addWidget(dialog)
    return dialog


def rows(dialog: AuditDialog, column: int) -> list[str]:
    return [dialog.model.index(r, column).data() for r in range(dialog.model.rowCount())]


def only_trail(dialog: AuditDialog) -> list[str]:
    """The actions shown, leaving out the accounts the fixture created."""
    return [a for a, t in zip(rows(dialog, COL_ACTION), rows(dialog, COL_TABLE)) if t != "账户"]


def test_the_view_lists_entries_newest_first_in_chinese(qtbot, db, trail, qtmodeltester):
    dialog = view(qtbot, db)
    qtmodeltester.check(dialog.model)
    assert only_trail(dialog) == ["查看完整号码", "导出台账", "打印", "查看完整号码", "登录"]
    first = [dialog.model.index(0, c).data() for c in range(6)]
    assert first[COL_OFFICER] == "李辅警" and first[COL_TABLE] == "居民" and first[COL_RECORD] == "rrrrrrrr…"
    assert first[COL_NOTE] == "位置：矛盾纠纷"  # the table has its own column: not repeated here
    assert dialog.model.index(0, COL_RECORD).data(Qt.ItemDataRole.ToolTipRole) == "r" * 32  # the tooltip has it all
    assert first[COL_TIME][:10] == date.today().isoformat() and len(first[COL_TIME]) == 19  # local time, seconds
    assert rows(dialog, COL_OFFICER)[-1] == "（未登录）"  # the accounts were made before anyone logged in
    assert dialog.count.text() == f"共 {dialog.model.rowCount()} 条"


def test_the_view_filters_by_officer_kind_dates_and_record(qtbot, db, people, trail):
    dialog = view(qtbot, db)
    dialog.officer.setCurrentIndex(dialog.officer.findData(people["王警官"]))
    assert only_trail(dialog) == ["查看完整号码", "登录"]
    dialog.action.setCurrentIndex(dialog.action.findData("reveal"))
    assert rows(dialog, COL_NOTE) == ["位置：入户走访"]
    dialog.officer.setCurrentIndex(0)  # 全部民警
    assert rows(dialog, COL_OFFICER) == ["李辅警", "王警官"] and dialog.count.text() == "共 2 条"

    dialog.action.setCurrentIndex(0)
    dialog.record.setText("v" * 32)
    qtbot.waitUntil(lambda: rows(dialog, COL_ACTION) == ["打印"])  # filters as you type, after a pause

    dialog.record.clear()
    dialog.dated.setChecked(True)
    yesterday = QDate.currentDate().addDays(-1)
    dialog.start.setDate(yesterday.addDays(-5))
    dialog.end.setDate(yesterday)
    assert dialog.model.rowCount() == 0 and dialog.count.text() == "共 0 条"
    assert not dialog.export_button.isEnabled()
    dialog.end.setDate(QDate.currentDate())
    assert len(only_trail(dialog)) == 5

    dialog.clear_filters()
    assert dialog.filters() == {"officer_id": None, "action": None, "start": None, "end": None, "record_id": None}


def test_the_date_range_cannot_be_turned_round(qtbot, db):
    dialog = view(qtbot, db, today=date(2026, 11, 23))
    dialog.dated.setChecked(True)
    dialog.start.setDate(QDate(2026, 12, 5))
    assert dialog.end.date() == QDate(2026, 12, 5)


def test_double_clicking_an_entry_shows_the_whole_history_of_its_record(qtbot, db, trail):
    dialog = view(qtbot, db)
    dialog._follow_record(dialog.model.index(0, 0))
    assert dialog.record.text() == "r" * 32
    assert rows(dialog, COL_NOTE) == ["位置：矛盾纠纷", "位置：入户走访"]


def test_thousands_of_entries_open_at_once_and_load_a_page_at_a_time(qtbot, db, people):
    stamps = insert_stamps(db.clock)
    with db.engine.begin() as conn:
        conn.execute(insert(AuditEntry.__table__), [
            {**stamps, "id": f"{n:032d}", "at": utcnow(), "deleted": False, "officer_id": people["王警官"],
             "action": "reveal", "table_name": "resident", "record_id": f"{n:032d}", "detail": {}}
            for n in range(5000)])
    started = time.perf_counter()
    dialog = view(qtbot, db, page_size=100)
    assert time.perf_counter() - started < 1.0
    assert dialog.model.rowCount() == 100 and dialog.count.text() == "共 5002 条，已显示 100 条"
    assert dialog.more_button.isVisibleTo(dialog)
    dialog.more_button.click()
    assert dialog.model.rowCount() == 200 and dialog.count.text() == "共 5002 条，已显示 200 条"


def test_the_filtered_entries_export_to_excel_and_the_export_is_logged(qtbot, db, people, trail, tmp_path):
    dialog = view(qtbot, db)
    dialog.action.setCurrentIndex(dialog.action.findData("reveal"))
    with qtbot.waitSignal(dialog.exported, timeout=10_000) as exported:
        dialog.export_to(tmp_path / "审计日志.xlsx")
    assert exported.args[0] == 2
    sheet = load_workbook(tmp_path / "审计日志.xlsx").active
    table = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert table[0] == ["时间", "民警", "操作", "对象", "记录编号", "说明"]
    assert [r[1:5] for r in table[1:]] == [["李辅警", "查看完整号码", "居民", "r" * 32],
                                           ["王警官", "查看完整号码", "居民", "r" * 32]]
    [logged] = audit.search_audit(db, action="ledger", limit=1)
    assert logged.detail["ledger"] == "审计日志" and logged.detail["rows"] == 2
    assert logged.detail["filters"] == "操作 查看完整号码"


def test_the_ledger_says_the_filters_in_words(db, people, trail, tmp_path):
    today = date.today()
    count = write_ledger(db, path=tmp_path / "a.xlsx", officer_id=people["李辅警"],
                         start=today - timedelta(days=1), end=today)
    assert count == 3
    [logged] = audit.search_audit(db, action="ledger", table=None, limit=1)
    assert logged.detail["filters"] == f"{today - timedelta(days=1)} 至 {today}，民警 李辅警"


def test_officers_are_offered_by_name(db, people):
    assert [(o.name, o.username) for o in audit.officers(db)] == [("李辅警", "fj002"), ("王警官", "jy001")]


def test_open_audit_view_shows_the_window(qtbot, db, trail):
    dialog = open_audit_view(None, db)
    assert dialog.isVisible() and dialog.windowTitle() == "审计日志"
    with qtbot.waitSignal(dialog.destroyed):  # closing frees it
        dialog.close()

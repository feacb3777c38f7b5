"""Sync by file through the File menu, on the small demo: the master's export, a new laptop set up
from it on the command line, and its file imported back (issue 10)."""

from __future__ import annotations

from pathlib import Path

from tests.support.walk import DEMO_PASSWORD, click_row, open_dialog, search, type_text

SYNC_PASSPHRASE = "演示派出所同步口令2026"


def run_sync_dialog(qtbot, dialog, path: Path, passphrase: str, *, expect: str) -> str:
    dialog.path.clear()
    type_text(dialog.path, str(path))
    dialog.passphrase.clear()
    type_text(dialog.passphrase, passphrase)
    dialog.run_button.click()
    qtbot.waitUntil(lambda: expect in dialog.status.text() or dialog.run_button.isEnabled(), timeout=30000)
    qtbot.waitUntil(lambda: dialog.run_button.isEnabled(), timeout=30000)
    return dialog.status.text()


def test_a_household_added_on_another_laptop_arrives_by_sync_file_through_the_file_menu(
        qtbot, officer_at_work, tmp_path, monkeypatch):
    """The master exports a full file from the window; a new laptop is set up from it on the
    command line and adds a household; its file comes back through 文件 → 导入同步包: a wrong
    passphrase is refused in the dialog and changes nothing, the right one brings the household
    into the list, found by search and opened."""
    from app.accounts.login import log_in
    from app.cli.main import main
    from app.households.service import HouseholdValues, save_household
    from ui.sync.dialogs import ExportDialog, ImportDialog

    window, _day = officer_at_work
    full = tmp_path / "MASTER-full.cpsync"
    export = open_dialog(qtbot, window, "导出同步包", ExportDialog)
    export.full.setChecked(True)
    said = run_sync_dialog(qtbot, export, full, SYNC_PASSPHRASE, expect="已导出")
    assert "已导出完整同步包" in said and full.exists(), said
    export.close()
    assert window.sync_label.text().startswith("上次同步")

    # The new laptop, from the command line (README: 新电脑上手).
    laptop = tmp_path / "laptop.sqlite3"
    monkeypatch.setenv("CPDESK_PASSWORD", DEMO_PASSWORD)
    monkeypatch.setenv("CPDESK_SYNC_PASSPHRASE", SYNC_PASSPHRASE)
    assert main(["--db", str(laptop), "init", "--admin", "a05"]) == 0
    assert main(["--db", str(laptop), "--user", "a05", "import", str(full)]) == 0
    login = log_in(laptop, "a05", DEMO_PASSWORD)
    try:
        save_household(login.db, officer_id=login.officer.id, values=HouseholdValues(
            community="阳光社区", estate="同步花园", building="9", unit="2", room="1103", head_name="赵同步",
            phone="13957110000"))
    finally:
        login.db.close()
    back = tmp_path / "laptop.cpsync"
    assert main(["--db", str(laptop), "--user", "a05", "export", "--out", str(back)]) == 0

    households = window.households
    before = households.model.rowCount()
    imported = open_dialog(qtbot, window, "导入同步包", ImportDialog)
    said = run_sync_dialog(qtbot, imported, back, "不对的口令", expect="口令")
    assert "口令不对" in said and "\n" not in said and "Traceback" not in said
    assert imported.status.styleSheet()  # said in red, in the dialog
    households.refresh()
    assert households.model.rowCount() == before
    said = run_sync_dialog(qtbot, imported, back, SYNC_PASSPHRASE, expect="已导入")
    assert "已导入设备" in said and "同步包" in said, said
    imported.close()

    window.tabs.setCurrentWidget(households)
    search(qtbot, households, "同步花园")
    assert households.model.rowCount() == 1
    click_row(households.table, 0)
    assert "同步花园" in households.detail.title.text()

"""Rotating backups, restore from a backup, and recovery from a damaged database."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta

import pytest

from app.cli.main import main
from db.backup import backup_once_a_day, backups_dir, list_backups, make_backup, restore_backup
from db.engine import check, newest_good_backup, restorable_problems
from db.errors import StorageError
from tests.support.storage import damage


def household_count(path) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT count(*) FROM household").fetchone()[0]
    finally:
        conn.close()


def test_only_the_newest_backups_are_kept(db_path):
    start = datetime(2026, 11, 1, tzinfo=UTC)
    for day in range(5):
        make_backup(db_path, reason="daily", keep=3, now=start + timedelta(days=day))
    names = [p.name[:8] for p in list_backups(db_path)]
    assert names == ["20261105", "20261104", "20261103"]


def test_the_first_start_of_a_day_makes_a_backup_and_later_starts_do_not(db_path):
    morning = datetime(2026, 11, 23, 1, tzinfo=UTC)
    assert backup_once_a_day(db_path, now=morning) is not None
    assert backup_once_a_day(db_path, now=morning + timedelta(hours=8)) is None
    assert backup_once_a_day(db_path, now=morning + timedelta(days=1)) is not None
    assert len(list_backups(db_path)) == 2


def test_a_backup_restores_to_an_equal_healthy_database(db_path, sample_households):
    backup = make_backup(db_path, reason="manual")
    conn = sqlite3.connect(db_path)
    conn.execute("DELETE FROM household_search")  # something lost after the backup
    conn.commit()
    conn.close()
    aside = restore_backup(backup, db_path, problems=restorable_problems(backup))
    assert check(db_path) == [] and household_count(db_path) == 3
    assert aside is not None and aside.parent == backups_dir(db_path)


def test_restoring_a_damaged_backup_is_refused_and_changes_nothing(db_path, sample_households, tmp_path):
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(db_path.read_bytes())
    damage(bad)
    before = db_path.read_bytes()
    with pytest.raises(StorageError, match="不能用来恢复"):
        restore_backup(bad, db_path, problems=restorable_problems(bad))
    assert db_path.read_bytes() == before


def test_a_damaged_database_is_kept_aside_when_restored_over(db_path, sample_households):
    backup = make_backup(db_path, reason="manual")
    damage(db_path)
    damaged_bytes = db_path.read_bytes()
    assert newest_good_backup(db_path) == backup
    aside = restore_backup(backup, db_path, problems=restorable_problems(backup))
    assert aside.read_bytes() == damaged_bytes  # kept as it was, never overwritten
    assert check(db_path) == [] and household_count(db_path) == 3


def test_cli_restore_replaces_the_database_and_refuses_a_foreign_file(db_path, sample_households, tmp_path, capsys):
    backup = make_backup(db_path, reason="manual")
    assert main(["--db", str(db_path), "restore", str(backup)]) == 0
    assert "已从" in capsys.readouterr().out
    foreign = tmp_path / "other.sqlite3"
    sqlite3.connect(foreign).execute("CREATE TABLE songs (title TEXT)").connection.commit()
    assert main(["--db", str(db_path), "restore", str(foreign)]) == 1
    assert "不是警务工作台" in capsys.readouterr().err


def test_gui_offers_recovery_for_a_damaged_database_without_touching_it(qtbot, tmp_path, db, db_path,
                                                                       sample_households):
    from PySide6.QtCore import QSettings

    from ui.shell.main_window import MainWindow
    from ui.shell.settings import Settings

    db.close()  # written back from the WAL into the file, which is then damaged
    backup = make_backup(db_path, reason="daily")
    damage(db_path)
    damaged_bytes = db_path.read_bytes()
    window = MainWindow(Settings(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)))
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.database_damaged, timeout=10000) as blocker:
        window.open_database(db_path)
    assert blocker.args[0].problems and db_path.read_bytes() == damaged_bytes
    assert newest_good_backup(db_path) == backup
    with qtbot.waitSignal(window.database_ready, timeout=10000):
        window.restore_and_reopen(backup, db_path).run()
    assert window.households.model.rowCount() == 3
    [kept] = [p for p in list_backups(db_path) if "before-restore" in p.name]
    assert kept.read_bytes() == damaged_bytes
    window.db.close()


def test_opening_in_the_gui_checks_in_the_background_then_backs_up_once_a_day(qtbot, tmp_path, db_path):
    from PySide6.QtCore import QSettings

    from ui.shell.main_window import MainWindow
    from ui.shell.settings import Settings

    window = MainWindow(Settings(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)))
    qtbot.addWidget(window)
    with qtbot.waitSignals([window.database_ready, window.checked], timeout=10000):
        window.open_database(db_path)
    assert [p.name.endswith("-daily.sqlite3") for p in list_backups(db_path)] == [True]
    window.db.close()

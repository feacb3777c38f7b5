"""Each kind of backup on its own count; only a merge that will run is backed up before; the
restore command and dialog list every backup, newest first, with its kind."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app.cli.main import main
from app.sync.container import SyncError
from db.backup import backup_once_a_day, list_backups, make_backup
from db.models import Community, Household
from tests.support.sync import Courier, make_device

START = datetime(2026, 11, 1, 8, tzinfo=UTC)


def kinds(db_path) -> list[str]:
    """The kind of each backup, newest first (named "<UTC time>-<kind>.sqlite3")."""
    return [p.name[23:-len(".sqlite3")] for p in list_backups(db_path)]


def test_fifteen_refused_imports_make_no_backup_and_the_daily_one_stays(tmp_path, _template_db):
    a, b = make_device(_template_db, tmp_path, "A01"), make_device(_template_db, tmp_path, "B02")
    courier = Courier(tmp_path)
    with a.session() as s:
        community = Community(name="阳光社区")
        s.add(community)
        s.commit()
    courier.export(a)  # never brought to B: the next file refers to a community B does not have
    with a.session() as s:
        s.add(Household(community_id=community.id, estate="阳光花园", building="1", room="101", head_name="张伟"))
        s.commit()
    refused = courier.export(a)
    daily = backup_once_a_day(b.path)
    for _ in range(15):
        with pytest.raises(SyncError) as error:
            courier.bring(b, refused)
        assert error.value.kind == "missing"
    assert list_backups(b.path) == [daily]
    a.close()
    b.close()


def test_each_kind_of_backup_is_rotated_on_its_own_count(db_path):
    for n in range(20):
        make_backup(db_path, reason="daily", now=START + timedelta(days=n))
    for n in range(20):  # a busy week of imports, newer than every daily backup
        make_backup(db_path, reason="before-import", now=START + timedelta(days=30, minutes=n))
    for n in range(6):
        make_backup(db_path, reason="before-upgrade", now=START + timedelta(days=40 + n))
    found = kinds(db_path)
    assert {kind: found.count(kind) for kind in set(found)} == {"daily": 14, "before-import": 5, "before-upgrade": 3}
    newest_daily = next(p for p in list_backups(db_path) if p.name.endswith("-daily.sqlite3"))
    assert newest_daily.name.startswith(f"{START + timedelta(days=19):%Y%m%d}-")


def test_an_import_backup_earlier_that_day_does_not_stand_in_for_the_daily_one(db_path):
    make_backup(db_path, reason="before-import", now=START)
    assert backup_once_a_day(db_path, now=START + timedelta(hours=1)) is not None
    assert backup_once_a_day(db_path, now=START + timedelta(hours=2)) is None
    assert kinds(db_path) == ["daily", "before-import"]


def test_cpdesk_restore_without_a_file_lists_every_backup_newest_first_with_its_kind(db_path, capsys):
    make_backup(db_path, reason="daily", now=START)
    make_backup(db_path, reason="before-upgrade", now=START + timedelta(hours=1))
    make_backup(db_path, reason="before-import", now=START + timedelta(hours=2))
    assert main(["--db", str(db_path), "restore"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[2] for line in lines] == ["导入前", "升级前", "每日备份"]
    assert all(line.endswith(".sqlite3") for line in lines)  # the whole path, to pass to restore FILE


def test_the_restore_dialog_offers_every_backup_newest_first_with_its_kind(db_path):
    from ui.shell.backups import backup_choices

    daily = make_backup(db_path, reason="daily", now=START)
    imported = make_backup(db_path, reason="before-import", now=START + timedelta(hours=3))
    choices = backup_choices(db_path)
    assert [path for _label, path in choices] == [imported, daily]
    assert "导入前" in choices[0][0] and "每日备份" in choices[1][0]

"""Refusals where an internal error or a silent replacement used to be: each is exit 1, exactly
one line on stderr, no traceback, nothing left behind and the database unchanged."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest

from app.cli.main import main
from db.engine import Database
from tests.support.cli import one_line
from tests.support.cli import run_cli_confined as run_cli
from tests.support.sync import PASSPHRASE, dump

POSIX = pytest.mark.skipif(sys.platform == "win32", reason="devices, FIFOs and symlinks as on Linux")


@pytest.fixture
def station(db, db_path, sample_households):
    """A database with three households and visits, closed (the commands open it themselves)."""
    db.close()
    return db_path


def state(path: Path) -> tuple[bytes, set[str]]:
    """The data, and the files beside it (what a failure must not change or add)."""
    db = Database.open(path)
    try:
        data = dump(db)
    finally:
        db.close()
    companions = ("-wal", "-shm", ".lock")  # SQLite's and the writer lock's own
    user_folders = ("data", "config", "home")  # the error log and a subprocess's settings
    return data, {p.name for p in path.parent.iterdir()
                  if not p.name.endswith(companions) and p.name not in user_folders}


def refused(capsys, argv: list[str]) -> str:
    assert main(argv) == 1
    return one_line(capsys.readouterr().err)


# --- item 12: --out onto anything but a regular file or a new path ---------------------------

def special_targets(folder: Path) -> dict[str, Path]:
    made = {"dev-null": folder / "null-link", "dev-full": folder / "full-link", "folder": folder / "out-dir",
            "fifo": folder / "out-fifo"}
    made["dev-null"].symlink_to(os.devnull)
    made["dev-full"].symlink_to("/dev/full")
    made["folder"].mkdir()
    os.mkfifo(made["fifo"])
    return made


def kind_of(path: Path) -> tuple:
    info = path.lstat()
    return stat.S_IFMT(info.st_mode), os.readlink(path) if path.is_symlink() else None


@POSIX
@pytest.mark.parametrize("target", ["dev-null", "dev-full", "folder", "fifo"])
@pytest.mark.parametrize("command", ["backup", "export", "ledger", "report"])
def test_out_onto_a_device_folder_or_fifo_is_refused_and_replaces_nothing(station, tmp_path, capsys, monkeypatch,
                                                                         command, target):
    (tmp_path / "targets").mkdir()
    out = special_targets(tmp_path / "targets")[target]
    before_kind, before = kind_of(out), state(station)
    targets_before = set(os.listdir(out.parent))
    monkeypatch.setenv("CPDESK_SYNC_PASSPHRASE", PASSPHRASE)
    visit = _a_visit(station)
    argv = {"backup": ["backup", "--out", str(out)],
            "export": ["export", "--out", str(out)],
            "ledger": ["ledger", "visits", "--from", "2026-01-01", "--to", "2026-12-31", "--out", str(out)],
            "report": ["report", "visit-sheet", visit, "--out", str(out)]}[command]
    line = refused(capsys, ["--db", str(station), *argv])
    assert str(out) in line
    assert kind_of(out) == before_kind and set(os.listdir(out.parent)) == targets_before
    assert state(station) == before
    if target == "folder":
        assert list(out.iterdir()) == []


def _a_visit(path: Path) -> str:
    db = Database.open(path)
    try:
        with db.connect() as conn:
            return conn.exec_driver_sql("SELECT id FROM visit LIMIT 1").scalar()
    finally:
        db.close()


# --- item 13: arguments out of range, paths that are not database files ----------------------

@pytest.mark.parametrize("argv", [
    ["list", "households", "--limit", str(10 ** 20)],
    ["stats", "--from", "0001-01-01", "--to", "9999-12-31"],
    ["ledger", "disputes", "--from", "0001-01-01", "--to", "9999-12-31", "--out", "{tmp}/d.xlsx"],
    ["reminders", "--on", "9999-12-31"],
], ids=["limit-1e20", "stats-all-time", "ledger-all-time", "reminders-9999"])
def test_values_out_of_range_are_refused_in_one_line(station, tmp_path, capsys, argv):
    before = state(station)
    argv = [arg.replace("{tmp}", str(tmp_path)) for arg in argv]
    line = refused(capsys, ["--db", str(station), *argv])
    assert "之间" in line
    assert state(station) == before


def test_a_folder_as_the_database_is_refused_in_one_line(tmp_path, capsys):
    folder = tmp_path / "db-folder"
    folder.mkdir()
    assert "文件夹" in refused(capsys, ["--db", str(folder), "list", "households"])
    assert list(folder.iterdir()) == [] and sorted(os.listdir(tmp_path)) == ["db-folder"]


@POSIX
def test_a_device_as_the_database_is_refused_in_one_line(tmp_path, capsys):
    null = tmp_path / "null-link"
    null.symlink_to(os.devnull)
    assert "不是普通文件" in refused(capsys, ["--db", str(null), "list", "households"])
    assert os.listdir(tmp_path) == ["null-link"] and not Path(f"{os.devnull}-wal").exists()


@pytest.mark.parametrize("command", ["export", "import"])
def test_a_binary_passphrase_file_is_refused_in_one_line(station, tmp_path, capsys, command):
    secret = tmp_path / "photo.jpg"
    secret.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00")
    before = state(station)
    argv = ["export", "--out", str(tmp_path / "a.cpsync")] if command == "export" else ["import", str(secret)]
    assert "口令文件不是文本" in refused(capsys, ["--db", str(station), *argv, "--passphrase-file", str(secret)])
    assert state(station) == before


@pytest.mark.skipif(not hasattr(os, "geteuid"), reason="POSIX permissions")
def test_a_read_only_database_is_called_read_only_not_damaged(station, tmp_path):
    before = state(station)
    station.chmod(0o444)
    try:
        result = run_cli("--db", station, "device", "--code", "B01", home=tmp_path / "home", unprivileged=True)
    finally:
        station.chmod(0o644)
    assert result.returncode == 1
    line = one_line(result.stderr)
    assert "只读" in line and "不是数据库文件" not in line
    assert state(station) == before

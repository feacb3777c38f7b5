"""A full disk, a file-size limit and a file held open, without root: the import's commit,
exports, reports and the GUI's failure messages each say what happened in one line and
leave nothing behind.

Two ways to fill a disk: a real file-size limit (RLIMIT_FSIZE, with SIGXFSZ ignored so a write
fails with EFBIG) for a ``cpdesk`` run in a subprocess, and in-process either SQLite's own
``max_page_count`` (SQLITE_FULL; works on Windows too) or a file wrapper that fails with ENOSPC.
"""

from __future__ import annotations

import errno
import os
import shutil
import sys
from pathlib import Path

import pytest
from sqlalchemy import event, select

from app.cli.main import main
from app.core.errors import UserError
from app.sync.container import SyncError
from app.sync.export import export_changes
from app.sync.importer import import_file
from db.backup import list_backups
from db.engine import Database
from db.errors import StorageError
from db.models import AuditEntry, Community, Household, SyncLog
from tests.support.cli import one_line
from tests.support.cli import run_cli_confined as run_cli
from tests.support.sync import PASSPHRASE, dump, make_device

ROOT = Path(__file__).resolve().parents[2]
POSIX_LIMITS = pytest.mark.skipif(sys.platform == "win32", reason="RLIMIT_FSIZE is POSIX only")
def fill(db: Database, households: int) -> None:
    with db.session() as s:
        community = Community(name="阳光社区")
        s.add(community)
        s.flush()
        s.add_all([Household(community_id=community.id, estate="阳光花园", building=str(i // 100), room=str(i),
                             head_name=f"住户{i}", notes="走访记录" * 20) for i in range(households)])
        s.commit()


def imports_recorded(db: Database) -> tuple[int, int]:
    """(import rows in the sync log, import entries in the audit log)."""
    with db.connect() as conn:
        logged = conn.execute(select(SyncLog.__table__.c.id).where(SyncLog.__table__.c.direction == "import")).all()
        audited = conn.execute(select(AuditEntry.__table__.c.id).where(AuditEntry.__table__.c.action == "import")).all()
    return len(logged), len(audited)


def files_in(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()}


@pytest.fixture(scope="module")
def _exchange_made(tmp_path_factory, _template_db) -> Path:
    """Made once: laptop A with 1,500 households, its full export, and an empty laptop B."""
    folder = tmp_path_factory.mktemp("exchange")
    a, b = make_device(_template_db, folder, "A01"), make_device(_template_db, folder, "B02")
    fill(a, 1500)
    export_changes(a, out=folder / "a.cpsync", passphrase=PASSPHRASE, full=True)
    a.close()
    b.close()
    return folder


@pytest.fixture
def exchange(_exchange_made, tmp_path):
    """A copy of A (A01.sqlite3), of its export and of B in ``tmp_path``, all closed:
    (B's path, the sync file, B's data as it was)."""
    for name in ("A01.sqlite3", "A01.sqlite3-wal", "B02.sqlite3", "B02.sqlite3-wal", "a.cpsync"):
        if (_exchange_made / name).exists():
            shutil.copy(_exchange_made / name, tmp_path / name)
    b = Database.open(tmp_path / "B02.sqlite3")
    before = dump(b)
    b.close()
    return b.path, tmp_path / "a.cpsync", before


# --- item 3: a full disk at the import's commit ----------------------------------------------

@POSIX_LIMITS
def test_a_full_disk_at_the_imports_commit_says_so_in_one_line_and_leaves_the_database_as_it_was(
        exchange, tmp_path):
    b_path, sync, before = exchange
    # The backup (as big as B) and the local copy of the file fit under the limit; the merge's
    # pages, written to the WAL at the commit, do not.
    limit = max(b_path.stat().st_size, sync.stat().st_size) + 64 * 1024
    result = run_cli("--db", b_path, "import", sync, home=tmp_path, fsize=limit,
                     env={"CPDESK_SYNC_PASSPHRASE": PASSPHRASE})
    assert result.returncode == 1
    said = one_line(result.stderr)
    assert said == "cpdesk: 读写磁盘出错（磁盘已满、文件超出大小限制或设备故障），导入未完成，数据库未改动"
    assert [p.name[23:] for p in list_backups(b_path)] == ["before-import.sqlite3"]  # it got as far as the merge
    b = Database.open(b_path)
    try:
        assert dump(b) == before and imports_recorded(b) == (0, 0)
    finally:
        b.close()


@POSIX_LIMITS
def test_an_import_whose_local_copy_cannot_be_written_says_so_and_leaves_no_temp_file(exchange, tmp_path):
    b_path, sync, before = exchange
    result = run_cli("--db", b_path, "import", sync, home=tmp_path, fsize=sync.stat().st_size // 2,
                     env={"CPDESK_SYNC_PASSPHRASE": PASSPHRASE})
    assert result.returncode == 1
    assert one_line(result.stderr) == ("cpdesk: 无法把同步包复制到临时文件夹（文件超出系统允许的大小），"
                                       "没有导入任何数据")
    assert files_in(tmp_path / "tmp") == set() and list_backups(b_path) == []
    b = Database.open(b_path)
    try:
        assert dump(b) == before
    finally:
        b.close()


def test_an_import_that_fills_the_database_is_refused_whole_without_an_audit_entry(exchange):
    b_path, sync, before = exchange
    b = Database.open(b_path)
    with b.connect() as conn:
        pages = conn.exec_driver_sql("PRAGMA page_count").scalar()
    b.engine.dispose()

    def at_its_limit(dbapi_conn, _record) -> None:  # SQLite's own "disk full": SQLITE_FULL
        dbapi_conn.execute(f"PRAGMA max_page_count={pages + 8}")

    event.listen(b.engine, "connect", at_its_limit)
    try:
        with pytest.raises(SyncError) as refused:
            import_file(b, path=sync, passphrase=PASSPHRASE, audit=True)
    finally:
        event.remove(b.engine, "connect", at_its_limit)
        b.engine.dispose()
    assert str(refused.value) == "磁盘已满，导入未完成，数据库未改动"
    try:
        assert dump(b) == before and imports_recorded(b) == (0, 0)
    finally:
        b.close()


def test_the_import_audit_entry_commits_with_the_merge_or_neither_does(exchange, monkeypatch):
    import app.sync.commit as commit

    b_path, sync, before = exchange
    written = commit.audit_import

    def entry_then_disk_full(*args, **kwargs) -> None:
        written(*args, **kwargs)
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    b = Database.open(b_path)
    try:
        monkeypatch.setattr("app.sync.importer.audit_import", entry_then_disk_full)
        with pytest.raises(SyncError, match="^磁盘已满，导入未完成，数据库未改动$"):
            import_file(b, path=sync, passphrase=PASSPHRASE, audit=True)
        assert dump(b) == before and imports_recorded(b) == (0, 0)
        monkeypatch.setattr("app.sync.importer.audit_import", written)
        summary = import_file(b, path=sync, passphrase=PASSPHRASE, audit=True)
        assert summary.changed > 1500 and imports_recorded(b) == (1, 1)
    finally:
        b.close()


def test_cpdesk_import_leaves_its_audit_entry_and_a_repeated_file_none(exchange, monkeypatch, capsys):
    b_path, sync, _before = exchange
    monkeypatch.setenv("CPDESK_SYNC_PASSPHRASE", PASSPHRASE)
    assert main(["--db", str(b_path), "import", str(sync)]) == 0
    assert main(["--db", str(b_path), "import", str(sync)]) == 0
    assert "已经导入过" in capsys.readouterr().out
    b = Database.open(b_path)
    try:
        assert imports_recorded(b) == (1, 1)
    finally:
        b.close()


# --- item 13: exports past a file-size limit or onto a full disk ------------------------------

@POSIX_LIMITS
def test_an_export_past_the_file_size_limit_says_so_and_leaves_no_temp_file_anywhere(exchange, tmp_path):
    b_path, sync, _before = exchange
    out_dir = tmp_path / "stick"
    out_dir.mkdir()
    a_path = tmp_path / "A01.sqlite3"
    result = run_cli("--db", a_path, "export", "--out", out_dir / "a2.cpsync", "--full", home=tmp_path,
                     fsize=48 * 1024, env={"CPDESK_SYNC_PASSPHRASE": PASSPHRASE})
    assert result.returncode == 1
    assert "文件超出系统允许的大小" in one_line(result.stderr)
    assert files_in(out_dir) == set() and files_in(tmp_path / "tmp") == set()
    a = Database.open(a_path)
    try:
        with a.connect() as conn:  # the export made in the fixture, not a second one
            assert conn.exec_driver_sql("SELECT count(*) FROM sync_log WHERE direction = 'export'").scalar() == 1
    finally:
        a.close()


class FullDisk:
    """A file whose disk fills after ``room`` bytes: writes past it fail with ENOSPC."""

    def __init__(self, f, room: int) -> None:
        self._f, self._room = f, room

    def write(self, data: bytes) -> int:
        if len(data) > self._room:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        self._room -= len(data)
        return self._f.write(data)

    def __getattr__(self, name):
        return getattr(self._f, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self._f.close()


@pytest.fixture
def full_disk(monkeypatch):
    import app.output.files

    real = app.output.files._open_partial

    def nearly_full(folder):
        path, f = real(folder)
        return path, FullDisk(f, room=2000)

    monkeypatch.setattr(app.output.files, "_open_partial", nearly_full)


def test_an_export_onto_a_full_disk_says_so_and_leaves_nothing(exchange, tmp_path, full_disk, monkeypatch, capsys):
    b_path, sync, _before = exchange
    stick = tmp_path / "stick"
    stick.mkdir()
    monkeypatch.setenv("CPDESK_SYNC_PASSPHRASE", PASSPHRASE)
    assert main(["--db", str(tmp_path / "A01.sqlite3"), "export", "--out", str(stick / "a2.cpsync"), "--full"]) == 1
    assert one_line(capsys.readouterr().err) == f"cpdesk: 无法写入 {stick / 'a2.cpsync'}：磁盘已满，没有留下文件"
    assert files_in(stick) == set()


def test_a_ledger_onto_a_full_disk_says_so_and_leaves_nothing(db_path, tmp_path, full_disk, capsys):
    out = tmp_path / "out" / "visits.xlsx"
    out.parent.mkdir()
    assert main(["--db", str(db_path), "ledger", "visits", "--from", "2026-01-01", "--to", "2026-12-31",
                 "--out", str(out)]) == 1
    assert "磁盘已满" in one_line(capsys.readouterr().err)
    assert files_in(out.parent) == set()


def test_a_stale_temp_file_of_ours_goes_at_the_next_write_and_a_fresh_one_stays(tmp_path):
    from app.output.files import write_atomically

    stale, fresh, theirs = (tmp_path / name for name in (".cpdesk-1a2b.partial", ".cpdesk-3c4d.partial",
                                                         ".report.partial"))
    for path in (stale, fresh, theirs):
        path.write_bytes(b"x" * 1000)
    two_days_ago = os.path.getmtime(stale) - 2 * 24 * 3600
    os.utime(stale, (two_days_ago, two_days_ago))
    os.utime(theirs, (two_days_ago, two_days_ago))
    write_atomically(tmp_path / "a.pdf", b"%PDF")
    assert files_in(tmp_path) == {"a.pdf", fresh.name, theirs.name}


def test_an_export_writes_its_temp_file_beside_the_target_under_our_name(exchange, tmp_path):
    """Not in the system's temp folder: a killed export leaves it where the next one removes it."""
    stick = tmp_path / "stick"
    stick.mkdir()
    seen: list[set[str]] = []

    def progress(stage: str, _done: int, _total: int) -> None:
        if stage == "加密写出":
            seen.append(files_in(stick))

    a = Database.open(tmp_path / "A01.sqlite3")
    try:
        export_changes(a, out=stick / "a2.cpsync", passphrase=PASSPHRASE, full=True, progress=progress)
    finally:
        a.close()
    [temp] = seen[-1]
    assert temp.startswith(".cpdesk-") and temp.endswith(".partial")
    assert files_in(stick) == {"a2.cpsync"}


# --- Windows: a target another program holds open --------------------------------------------

def test_a_target_held_open_is_retried_briefly_then_refused_in_one_line(tmp_path, monkeypatch):
    import app.output.files

    target = tmp_path / "agreement.pdf"
    target.write_bytes(b"old")
    real_replace = os.replace
    held = {"times": 3}

    def replace(src, dst):
        if Path(dst) == target and held["times"]:
            held["times"] -= 1
            raise PermissionError(errno.EACCES, "The process cannot access the file", str(dst))
        return real_replace(src, dst)

    monkeypatch.setattr(app.output.files, "_WINDOWS", True)
    monkeypatch.setattr(app.output.files, "REPLACE_PAUSE", 0)
    monkeypatch.setattr(app.output.files.os, "replace", replace)
    app.output.files.write_atomically(target, b"new")  # let go after three tries
    assert target.read_bytes() == b"new"
    held["times"] = 1000  # never let go
    with pytest.raises(UserError) as refused:
        app.output.files.write_atomically(target, b"newer")
    assert "正被其他程序打开" in str(refused.value) and "\n" not in str(refused.value)
    assert target.read_bytes() == b"new" and files_in(tmp_path) == {"agreement.pdf"}


# --- the GUI: the same lines as the command line --------------------------------------------

def test_a_full_disk_in_background_work_reaches_the_window_as_the_same_plain_line(qtbot):
    from PySide6.QtWidgets import QWidget

    from ui.widgets.ops import Op, wait_for_workers

    def work():
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), "/media/stick/a.cpsync")

    parent = QWidget()
    qtbot.addWidget(parent)
    failures = []
    Op(parent, work).on_failure(failures.append).run()
    wait_for_workers()
    qtbot.waitUntil(lambda: bool(failures), timeout=5000)
    [failure] = failures
    assert isinstance(failure, UserError) and str(failure) == "磁盘已满"


def test_storage_failures_are_named_in_plain_words_and_bugs_stay_one_line():
    import sqlite3

    from sqlalchemy.exc import OperationalError

    from app.core.errors import explain

    read_only = sqlite3.connect(":memory:")
    read_only.execute("PRAGMA query_only=1")
    with pytest.raises(sqlite3.OperationalError) as refused_write:
        read_only.execute("CREATE TABLE t (x)")
    assert refused_write.value.sqlite_errorcode & 0xFF == 8  # SQLITE_READONLY
    wrapped = OperationalError("CREATE TABLE t (x)", {}, refused_write.value)  # as SQLAlchemy raises it
    assert explain(wrapped).startswith("数据库文件是只读的")
    assert explain(OSError(errno.EFBIG, "File too large")) == "文件超出系统允许的大小"
    assert explain(OSError(errno.EROFS, "Read-only file system")) == "磁盘是只读的（写保护）"
    full = sqlite3.connect(":memory:")
    full.execute("PRAGMA max_page_count=2")
    full.execute("CREATE TABLE t (x)")
    with pytest.raises(sqlite3.OperationalError) as filled:
        full.execute("INSERT INTO t VALUES (zeroblob(100000))")
    refused = StorageError(f"备份失败：{filled.value}")  # as db/backup.py words it
    refused.__cause__ = filled.value
    assert explain(refused) == "备份失败：磁盘已满"
    bug = OperationalError("SELECT nonsense\nFROM t", {}, sqlite3.OperationalError("no such table: t"))
    said = explain(bug)
    assert said.startswith("内部错误：") and "\n" not in said and "SELECT" not in said

"""One program per database file: a second one is refused in one line; the lock goes with the
program, however it ends (issue 10, item 1a). Real processes: the lock is the operating system's."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from db.engine import Database
from db.errors import DatabaseInUse

ROOT = Path(__file__).resolve().parents[2]
IN_USE = "数据库正被另一个程序使用"
# A second program that opens the file and holds it until it is killed.
HOLD = ("import sys, time; from db.engine import Database; db = Database.open(sys.argv[1]); "
        "print('ready', flush=True); time.sleep(120)")
# A second program that tries to open the file and says what happened.
TRY = ("import sys; from db.engine import Database; from db.errors import StorageError\n"
       "try:\n    Database.open(sys.argv[1]).close()\nexcept StorageError as exc:\n    print(exc)\n"
       "else:\n    print('opened')")


def python(code: str, *args: str, **kwargs):
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=120, **kwargs)


@pytest.fixture
def holder(db_path):
    """Another program holding the database open."""
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(db_path)], stdout=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        assert proc.stdout.readline().strip() == "ready"
        yield proc
    finally:
        proc.kill()
        proc.wait(timeout=30)
        proc.stdout.close()


def test_a_command_on_a_database_the_window_has_open_is_refused_in_one_line(db):
    done = subprocess.run([sys.executable, "-m", "app", "--db", str(db.path), "list", "households"],
                          capture_output=True, text=True, cwd=ROOT, timeout=120, env={**os.environ})
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1 and IN_USE in done.stderr, done.stderr
    assert "Traceback" not in done.stderr and str(db.path) in done.stderr


def test_the_lock_is_per_program_and_goes_with_the_last_close(db_path):
    first = Database.open(db_path)
    second = Database.open(db_path)  # the window's own background work opens the file again
    first.close()
    first.close()  # closing twice gives back one hold, not two
    assert IN_USE in python(TRY, str(db_path)).stdout
    second.close()
    assert python(TRY, str(db_path)).stdout.strip() == "opened"


def test_a_program_killed_outright_leaves_the_database_usable(db_path, holder):
    with pytest.raises(DatabaseInUse, match=IN_USE):
        Database.open(db_path)
    holder.kill()  # SIGKILL: no close, no clean-up of any kind
    holder.wait(timeout=30)
    Database.open(db_path).close()


def test_a_refused_open_leaves_this_program_without_a_hold(db_path, holder):
    from db.lock import held_here

    with pytest.raises(DatabaseInUse):
        Database.open(db_path)
    assert not held_here(db_path)


def test_the_window_reports_a_database_in_use_as_its_open_failure(qtbot, tmp_path, db_path, holder):
    from tests.support.window import make_settings
    from ui.shell.main_window import MainWindow

    window = MainWindow(make_settings(tmp_path))
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.database_failed, timeout=10000) as blocker:
        window.open_database(db_path)
    assert blocker.args[0].startswith(IN_USE) and "\n" not in blocker.args[0]

"""A crash mid-import (SIGKILL at random moments) leaves the database exactly as before or as after."""

from __future__ import annotations

import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.demo.build import build_demo
from app.sync.export import export_changes
from db.engine import Database, check
from db.models import Community
from tests.support.sync import FAST_KDF, PASSPHRASE, dump, make_device

ROOT = Path(__file__).resolve().parents[2]
KILLS = 12
CHILD = """
import sys, time
from pathlib import Path
from app.sync.importer import import_file
from db.engine import Database
db = Database.open(Path(sys.argv[1]))
print("start", flush=True)
t = time.perf_counter()
import_file(db, path=Path(sys.argv[2]), passphrase=sys.argv[3])
print("done", time.perf_counter() - t, flush=True)
"""

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")


def schema(path: Path) -> list:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT type, name, sql FROM sqlite_master ORDER BY name").fetchall()
    finally:
        conn.close()


def run_child(db_path: Path, sync_file: Path, *, kill_after: float | None) -> float | None:
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(db_path), str(sync_file), PASSPHRASE],
                             cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert child.stdout.readline().strip() == "start"
    if kill_after is None:
        out, err = child.communicate(timeout=120)
        assert child.returncode == 0, err
        return float(out.split()[-1])
    time.sleep(kill_after)
    child.send_signal(signal.SIGKILL)
    child.communicate(timeout=30)
    return None


def test_a_killed_import_leaves_the_database_as_before_or_after(tmp_path, _template_db):
    source = make_device(_template_db, tmp_path, "S01")
    build_demo(source, scale="small", seed=3)
    sync_file = tmp_path / "station.cpsync"
    export_changes(source, out=sync_file, passphrase=PASSPHRASE, kdf=FAST_KDF)
    source.close()

    pristine = make_device(_template_db, tmp_path, "T02")
    with pristine.session() as s:  # something of its own, so "before" is not empty
        s.add(Community(name="本机社区"))
        s.commit()
    before = dump(pristine)
    pristine.close()
    pristine_path = pristine.path
    shapes = schema(pristine_path)

    done_path = tmp_path / "done.sqlite3"
    shutil.copy(pristine_path, done_path)
    duration = run_child(done_path, sync_file, kill_after=None)
    with_import = Database.open(done_path)
    after = dump(with_import)
    with_import.close()
    assert after != before

    rng = random.Random(11)
    outcomes = []
    for n in range(KILLS):
        trial = tmp_path / f"trial{n}.sqlite3"
        shutil.copy(pristine_path, trial)
        # Mostly in the second half, where the merge writes and commits.
        run_child(trial, sync_file, kill_after=rng.uniform(duration * 0.3, duration * 1.05))
        assert check(trial) == [], f"kill {n}: damaged"
        assert schema(trial) == shapes, f"kill {n}: indexes or triggers changed"
        db = Database.open(trial)
        state = dump(db)
        db.close()
        assert state in (before, after), f"kill {n}: a half-imported state"
        outcomes.append("after" if state == after else "before")
        for suffix in ("", "-wal", "-shm"):
            Path(f"{trial}{suffix}").unlink(missing_ok=True)
    assert "before" in outcomes  # the kills did land inside the import

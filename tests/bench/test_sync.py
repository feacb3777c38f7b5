"""Sync at `station` scale: full export (under 20 s), import into an empty database (under 15 s
and 400 MB peak, issue 15; each run in a fresh process) and an incremental export of 100 changes
(under 0.5 s), each against a baseline measured in the same run."""

from __future__ import annotations

import json
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlmodel import select

from app.sync.bulk import ROWS_PER_INSERT
from app.sync.export import export_changes
from db.engine import Database
from db.models import SYNCED_TABLES, Resident
from tests.bench.conftest import ROOT, report

PASSPHRASE = "派出所同步口令 2026"
pytestmark = pytest.mark.bench
# A city's full export (10.7M rows, 800 MB sealed) is past what one sync file may hold: the export is
# refused before any file is written (app/sync/container.py MAX_BODY; tests/sync/test_bad_files.py).
STATION_ONLY = True


@pytest.fixture(scope="module")
def station_copy(station_db, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("sync") / "station.sqlite3"
    shutil.copy(station_db, path)
    return path


@pytest.fixture(scope="module")
def full_export(station_copy) -> tuple[Path, float]:
    db = Database.open(station_copy)
    out = station_copy.with_name("station-full.cpsync")
    try:
        start = time.perf_counter()
        result = export_changes(db, out=out, passphrase=PASSPHRASE, full=True)
        elapsed = time.perf_counter() - start
    finally:
        db.close()
    return out, elapsed, result


def _raw_read(path: Path) -> tuple[dict[str, list], float]:
    conn = sqlite3.connect(path)
    try:
        start = time.perf_counter()
        rows = {table: conn.execute(f"SELECT * FROM {table}").fetchall() for table in SYNCED_TABLES}
        return rows, time.perf_counter() - start
    finally:
        conn.close()


def _child(script: str, *args) -> dict:
    """Run ``script`` in a fresh Python (a clean heap, so its peak RSS is its own); it prints JSON."""
    done = subprocess.run([sys.executable, "-c", script, *map(str, args)], cwd=ROOT, capture_output=True,
                          text=True, check=False)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


_PEAK = """
def peak_mb():
    try:  # Linux: this process's own high-water mark (ru_maxrss keeps the forking parent's across exec)
        with open("/proc/self/status") as status:
            return next(int(line.split()[1]) / 1024 for line in status if line.startswith("VmHWM:"))
    except (OSError, StopIteration):
        pass
    try:
        import resource
    except ImportError:  # Windows: the process's peak working set
        import ctypes, ctypes.wintypes as w
        class C(ctypes.Structure):
            _fields_ = [("cb", w.DWORD), ("faults", w.DWORD)] + [(n, ctypes.c_size_t) for n in (
                "peak", "ws", "qpp", "qp", "qnpp", "qnp", "pf", "ppf")]
        c = C(); c.cb = ctypes.sizeof(C)
        ctypes.windll.psapi.GetProcessMemoryInfo(ctypes.windll.kernel32.GetCurrentProcess(), ctypes.byref(c), c.cb)
        return c.peak / 2**20
    import sys
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 1024
"""

# The import as the officer waits for it: key derivation, checks, backup, merge, commit, statistics.
OURS = _PEAK + """
import json, sys, time
from pathlib import Path
from app.sync.importer import import_file
from db.engine import Database
db = Database.open(Path(sys.argv[1]))
start, cpu = time.perf_counter(), time.process_time()
summary = import_file(db, path=Path(sys.argv[2]), passphrase=sys.argv[3])
elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
db.close()
print(json.dumps({"s": elapsed, "cpu": cpu, "rows": summary.rows, "peak_mb": peak_mb()}))
"""

# The same rows written the plainest way, with what the importer does that a plain load would not
# do differently left the same: table order (the file's), page cache, the search loads' lifted
# search triggers and indexes (app.sync.bulk.search_load: households and residents, disputes and parties),
# the indexes of other bulk-loaded empty tables dropped and made after each, deferred foreign keys,
# the sync journal, one transaction.
# Read from the source database first (not timed). argv[3]: rows per INSERT (1 is executemany, the
# plainest, for the journal too; the importer's own statement shape is ROWS_PER_INSERT).
RAW = _PEAK + """
import json, sqlite3, sys, time
from contextlib import ExitStack
from itertools import chain
from app.sync.bulk import search_load
from app.sync.importer import _BULK, _CACHE_KIB, _LOADED_WITH
from app.sync.tables import SPECS
source = sqlite3.connect(sys.argv[2])
rows = {t: source.execute(SPECS[t].select_sql()).fetchall() for t in SPECS}
source.close()
per = int(sys.argv[3])
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
for pragma in ("journal_mode=WAL", "synchronous=FULL", "foreign_keys=ON"):
    conn.execute(f"PRAGMA {pragma}")


class Driver:  # what app.sync.bulk asks of a connection
    def exec_driver_sql(self, sql, params=()):
        return Result(conn.execute(sql, params).fetchall())


class Result(list):
    def all(self):
        return self

    def first(self):
        return self[0] if self else None


def many(head, one, found):
    for at in range(0, len(found), per):
        part = found[at:at + per]
        conn.execute(head + ",".join([one] * len(part)), tuple(chain.from_iterable(part)))


start, cpu = time.perf_counter(), time.process_time()
conn.execute("BEGIN IMMEDIATE")
conn.execute(f"PRAGMA cache_size=-{_CACHE_KIB}")
conn.execute("PRAGMA defer_foreign_keys=ON")
loading = ()
with ExitStack() as bulk:
    for table, found in rows.items():
        if not found:
            continue
        if table not in loading:
            bulk.close()
            loading = ()
        indexes = []
        if len(found) >= _BULK and table in _LOADED_WITH:
            bulk.enter_context(search_load(Driver(), table))
            loading = _LOADED_WITH[table]
        elif len(found) >= _BULK:
            indexes = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? "
                                   "AND sql IS NOT NULL", (table,)).fetchall()
            for name, _sql in indexes:
                conn.execute(f'DROP INDEX "{name}"')
        journal = [(table, r[0]) for r in found]
        if per == 1:
            conn.executemany(SPECS[table].insert_sql(), found)
            conn.executemany("INSERT INTO sync_received (table_name, row_id) VALUES (?, ?)", journal)
        else:
            many(SPECS[table].insert_sql().split(" VALUES ")[0] + " VALUES ",
                 "(" + ",".join("?" * len(found[0])) + ")", found)
            many("INSERT INTO sync_received (table_name, row_id) VALUES ", "(?, ?)", journal)
        for _name, sql in indexes:
            conn.execute(sql)
conn.execute("COMMIT")
elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
conn.close()
print(json.dumps({"s": elapsed, "cpu": cpu, "rows": sum(map(len, rows.values())), "peak_mb": peak_mb()}))
"""
RUNS = 3


def _spread(values: list[float], unit: str, digits: int = 2) -> str:
    low, mid, high = min(values), statistics.median(values), max(values)
    return f"min {low:.{digits}f} / median {mid:.{digits}f} / max {high:.{digits}f} {unit}"


def _runs(script: str, template: Path, folder: Path, *args) -> list[dict]:
    out = []
    for n in range(RUNS):
        target = folder / f"run{n}.sqlite3"
        shutil.copy(template, target)
        out.append(_child(script, target, *args))
        for suffix in ("", "-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
    return out


def test_full_export_of_the_station_is_under_20_s(station_copy, full_export):
    out, elapsed, result = full_export
    rows, read = _raw_read(station_copy)
    del rows
    report(f"full export, station ({result.rows:,} rows, {out.stat().st_size / 1e6:.1f} MB file)", {
        "cpdesk export": f"{elapsed:.2f} s ({result.rows / elapsed:,.0f} rows/s)",
        "raw sqlite3 read of the rows": f"{read:.2f} s",
        "ratio (ours / raw read)": f"{elapsed / read:.1f}x",
    })
    assert elapsed < 20


@pytest.mark.timeout(1800)  # nine loads of 535,000 rows, each in a fresh process: more than the suite's 300 s
def test_import_into_an_empty_database_is_under_15_s_and_400_mb(station_copy, full_export, tmp_path):
    """Issue 15: a full import of the station into an empty database took 18-23 s and 1.16 GB."""
    out, _elapsed, result = full_export
    template = tmp_path / "template.sqlite3"
    Database.open(template, create=True).close()
    ours = _runs(OURS, template, tmp_path, out, PASSPHRASE)
    plain = _runs(RAW, template, tmp_path, station_copy, 1)
    shaped = _runs(RAW, template, tmp_path, station_copy, ROWS_PER_INSERT)
    assert {r["rows"] for r in ours + plain + shaped} == {result.rows}
    times, peaks = [r["s"] for r in ours], [r["peak_mb"] for r in ours]
    median, raw = statistics.median(times), statistics.median(r["s"] for r in shaped)
    cpu, raw_cpu = statistics.median(r["cpu"] for r in ours), statistics.median(r["cpu"] for r in shaped)
    report(f"import into an empty database, station ({result.rows:,} rows, {RUNS} runs each)", {
        "cpdesk import (whole file)": _spread(times, "s"),
        "  its CPU (two threads)": _spread([r["cpu"] for r in ours], "s"),
        "  its peak RSS": _spread(peaks, "MB", 0),
        "raw executemany": _spread([r["s"] for r in plain], "s"),
        "  CPU of raw executemany": _spread([r["cpu"] for r in plain], "s"),
        f"raw, {ROWS_PER_INSERT} rows per INSERT": _spread([r["s"] for r in shaped], "s"),
        "  CPU of raw, same shape": _spread([r["cpu"] for r in shaped], "s"),
        "  its peak RSS (rows held)": _spread([r["peak_mb"] for r in shaped], "MB", 0),
        "ours / raw (same shape)": f"{median / raw:.2f}x wall, {cpu / raw_cpu:.2f}x CPU (target <= 3x)",
    })
    assert median <= 15
    assert max(peaks) <= 400
    # Ours also decrypts, parses, checks every row and merges (checking on a second thread while
    # SQLite writes); raw only writes.
    assert median / raw <= 3


def test_incremental_export_of_100_changes_is_under_half_a_second(station_copy, full_export):
    db = Database.open(station_copy)  # its last export is the full one above
    try:
        with db.session() as s:
            ids = s.exec(select(Resident.id).order_by(Resident.id).limit(5000)).all()
            for n, resident_id in enumerate(random.Random(7).sample(ids, 100)):
                s.get(Resident, resident_id).phone = f"1390000{n:04d}"
            s.commit()
        out = station_copy.with_name("station-100.cpsync")
        start = time.perf_counter()
        result = export_changes(db, out=out, passphrase=PASSPHRASE)
        ours = time.perf_counter() - start
        conn = sqlite3.connect(station_copy)
        try:
            start = time.perf_counter()
            for table in SYNCED_TABLES:  # the same changed rows, by the hlc index, raw
                conn.execute(f"SELECT * FROM {table} WHERE hlc > ?", (result.since,)).fetchall()
            raw = time.perf_counter() - start
        finally:
            conn.close()
    finally:
        db.close()
    report(f"incremental export of 100 changes, station ({result.rows} rows, {result.size / 1024:.0f} KB)", {
        "cpdesk export": f"{ours * 1000:.0f} ms (key derivation included)",
        "raw query of the same rows": f"{raw * 1000:.1f} ms",
    })
    assert result.rows == 200  # the 100 changed residents and the audit entry of each change
    assert ours < 0.5

"""Sync at `station` scale: full export and import into an empty database (each under 20 s; import
at least a quarter of raw sqlite3 executemany's throughput on the same rows), and an incremental
export of 100 changes (under 0.5 s), each against a baseline measured in the same run."""

from __future__ import annotations

import gc
import random
import shutil
import sqlite3
import time
from pathlib import Path

import pytest
from sqlmodel import select

from app.sync.export import export_changes
from app.sync.importer import import_file
from db.engine import Database
from db.models import SYNCED_TABLES, Resident
from tests.bench.conftest import report

PASSPHRASE = "派出所同步口令 2026"
pytestmark = pytest.mark.bench


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


def _raw_insert(path: Path, rows: dict[str, list]) -> float:
    """The same rows into an empty database with plain executemany, parents first, one transaction."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("PRAGMA foreign_keys=ON")
        start = time.perf_counter()
        conn.execute("BEGIN")
        for table, table_rows in rows.items():
            if table_rows:
                marks = ",".join("?" * len(table_rows[0]))
                conn.executemany(f"INSERT INTO {table} VALUES ({marks})", table_rows)
        conn.execute("COMMIT")
        return time.perf_counter() - start
    finally:
        conn.close()


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


def test_import_into_an_empty_database_is_under_20_s_and_a_quarter_of_raw_executemany(
        station_copy, full_export, tmp_path):
    out, _elapsed, result = full_export
    template = tmp_path / "template.sqlite3"
    Database.open(template, create=True).close()
    raw_path, ours_path = tmp_path / "raw.sqlite3", tmp_path / "ours.sqlite3"
    shutil.copy(template, raw_path)
    shutil.copy(template, ours_path)

    rows, _read = _raw_read(station_copy)
    count = sum(map(len, rows.values()))
    raw = _raw_insert(raw_path, rows)
    del rows
    gc.collect()

    db = Database.open(ours_path)
    try:
        start = time.perf_counter()
        summary = import_file(db, path=out, passphrase=PASSPHRASE)
        ours = time.perf_counter() - start
    finally:
        db.close()
    assert summary.rows == count == result.rows
    ratio = (count / ours) / (count / raw)
    report(f"import into an empty database, station ({count:,} rows)", {
        "cpdesk import (whole file)": f"{ours:.2f} s ({count / ours:,.0f} rows/s)",
        "raw sqlite3 executemany": f"{raw:.2f} s ({count / raw:,.0f} rows/s)",
        "throughput ours / raw": f"{ratio:.2f} (target >= 0.25)",
    })
    assert ours < 20
    assert ratio >= 0.25


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

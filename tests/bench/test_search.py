"""Household search latency at `station` scale (target p95 <= 30 ms), against the raw SQLite
query of the same page measured in the same run."""

from __future__ import annotations

import sqlite3
import statistics
import time
from pathlib import Path

from app.households.service import household_page_query, search_households
from db.engine import Database
from tests.bench.conftest import report

# What officers type: surnames and full names, address fragments, phone and ID fragments,
# two-word searches, and things that match nothing (a full scan).
QUERIES = ["王", "张伟", "李秀英", "阳光", "金桂苑", "3栋", "2单元", "1801", "138", "0571", "8888",
           "330102", "19850", "X", "阳光 3栋", "刘 138", "没有这个人", "ZZZ", "13800138000", ""]
ROUNDS = 10


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def test_household_search_p95_is_within_30_ms(station_db: Path):
    db = Database.open(station_db)
    raw = sqlite3.connect(station_db)
    try:
        compiled = {}
        for text in QUERIES:  # the very SQL the service runs, for the raw baseline
            stmt = household_page_query(text=text, sort="address", descending=False, offset=0, limit=100)
            sql = stmt.compile(db.engine, compile_kwargs={"literal_binds": True})
            compiled[text] = str(sql)
        ours, base = [], []
        for _ in range(ROUNDS):
            for text in QUERIES:
                t = time.perf_counter()
                search_households(db, text=text)
                ours.append(time.perf_counter() - t)
                t = time.perf_counter()
                raw.execute(compiled[text]).fetchall()
                base.append(time.perf_counter() - t)
    finally:
        raw.close()
        db.close()
    p50, p95 = statistics.median(ours) * 1000, _percentile(ours, 0.95) * 1000
    b50, b95 = statistics.median(base) * 1000, _percentile(base, 0.95) * 1000
    report(f"household search, first page of 100 ({len(QUERIES)} queries x {ROUNDS})", {
        "cpdesk p50 / p95": f"{p50:.1f} / {p95:.1f} ms",
        "raw sqlite3 p50 / p95": f"{b50:.1f} / {b95:.1f} ms",
        "ratio p95 (ours / raw)": f"{p95 / b95:.2f}x",
    })
    assert p95 <= 30


def _search_p95(db: Database) -> tuple[float, float]:
    times = []
    for _ in range(ROUNDS):
        for text in QUERIES:
            t = time.perf_counter()
            search_households(db, text=text)
            times.append(time.perf_counter() - t)
    return statistics.median(times) * 1000, _percentile(times, 0.95) * 1000


def test_sqlcipher_overhead_on_household_search(station_db: Path, station_db_encrypted: Path):
    """The same searches on the plain and the encrypted copy of the station, in the same run."""
    plain, encrypted = Database.open(station_db), Database.open(station_db_encrypted)
    try:
        _search_p95(plain), _search_p95(encrypted)  # warm both page caches alike
        p50, p95 = _search_p95(plain)
        e50, e95 = _search_p95(encrypted)
    finally:
        plain.close()
        encrypted.close()
    report("household search, SQLCipher against plain SQLite", {
        "plain p50 / p95": f"{p50:.1f} / {p95:.1f} ms",
        "SQLCipher p50 / p95": f"{e50:.1f} / {e95:.1f} ms",
        "ratio p95 (encrypted / plain)": f"{e95 / p95:.2f}x",
    })
    assert e95 <= 30

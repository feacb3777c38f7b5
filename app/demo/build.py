"""Deterministic demo station: a synthetic 派出所 to try the program on and to benchmark it.

``build_demo`` runs the stages (households, disputes, patrol, enterprises, one module each) on one
seeded generator through one bulk writer; a seed and a day make the same station, ids included.
The rows go in with the search triggers and secondary indexes lifted (db/bulk_load.py), which
are made once at the end.
"""

from __future__ import annotations

import gc
import random
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

from app.demo import disputes, enterprises, households, patrol
from app.demo.state import Demo, Progress, Scale
from app.demo.writer import Writer
from app.sync.station import found
from db.bulk_load import bulk_load
from db.engine import Database

# Random ids scatter every insert into a table's key index; a page cache the size of a city's key
# indexes keeps them in memory (a cap: a station uses a fraction of it). The journal and syncing:
# see _build_pragmas.
BUILD_PRAGMAS = {"cache_size": -1024 * 1024, "journal_mode": "MEMORY", "synchronous": "OFF", "threads": 2}

DemoCounts = dict[str, int]  # rows inserted per table

SCALES = {
    "small": Scale(500, 2_000, 60, 40, 30, 3, 3, 4),
    "station": Scale(50_000, 200_000, 5_000, 2_000, 2_500, 6, 14, 24),
    "city": Scale(1_000_000, 4_000_000, 100_000, 40_000, 50_000, 6, 280, 480),
}
# In this order: each stage draws on what the ones before it made.
STAGES = (households.officers_and_communities, households.households, households.visits,
          disputes.disputes, patrol.patrols, enterprises.enterprises)


def build_demo(db: Database, *, scale: str = "small", seed: int = 1, today: date | None = None,
               progress: Progress | None = None) -> DemoCounts:
    """Fill an EMPTY database with a synthetic station; returns rows inserted per table."""
    if scale not in SCALES:
        raise ValueError(f"未知的演示数据规模：{scale}（可选：{'、'.join(SCALES)}）")
    with db.engine.connect() as conn, _build_pragmas(conn):
        conn.exec_driver_sql("BEGIN")  # sqlite3 would begin only at the first INSERT, after the DROPs
        rng = random.Random(seed)
        writer = Writer(conn, db, lambda: f"{rng.getrandbits(128):032x}")  # a random UUID's hex
        demo = Demo(writer, SCALES[scale], rng, today or date.today(), db.device.short_code,
                    progress or (lambda _stage, _done, _total: None))
        collecting = gc.isenabled()
        gc.disable()  # millions of live rows and lists, which every full collection walked (a fifth of a city)
        try:
            with bulk_load(conn):
                for stage in STAGES:
                    stage(demo)
                writer.close()
        except BaseException:
            conn.rollback()
            raise
        finally:
            if collecting:
                gc.enable()
        conn.commit()
    db.refresh_statistics()  # a station's worth of rows the planner knows nothing about yet
    found(db, name="演示派出所", keep_existing=True)  # its files must not merge into a real station
    return {table: n for table, n in writer.counts.items() if n}


@contextmanager
def _build_pragmas(conn) -> Iterator[None]:
    """The build's settings on ``conn`` (outside a transaction), the usual ones back afterwards.

    The file was empty, so a rollback journal in memory holds next to nothing (pages added are
    not journaled) where the WAL would hold the whole station and then copy it into the file; and
    nothing is synced to disk while it is made. A crash midway leaves a broken demo file, to be
    made again; an error rolls back as usual. The multi-threaded sorter makes the indexes at the end."""
    settings = {name: conn.exec_driver_sql(f"PRAGMA {name}").scalar() for name in BUILD_PRAGMAS}
    for name, value in BUILD_PRAGMAS.items():
        conn.exec_driver_sql(f"PRAGMA {name}={value}")
    try:
        yield
    finally:
        for name, value in settings.items():
            conn.exec_driver_sql(f"PRAGMA {name}={value}")

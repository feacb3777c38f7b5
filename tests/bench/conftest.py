"""Benchmark fixtures: the demo databases (`station`, and `city` for `make bench-city`), each built
once and cached between runs.

`make bench` runs at station scale. `make bench-city` sets CPDESK_BENCH_SCALE=city: then
`station_db` is the city (so every benchmark written against a station runs at city scale
unchanged) and only the benchmarks that use a demo database run; the others do not depend on
its size and ran under `make bench` already. A module whose work a city does not do says
``STATION_ONLY = True`` (and why). A benchmark that only makes sense for the city asks
for `city_db`, and `make bench` leaves it out.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import hashlib
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CACHE = ROOT / ".bench-cache"
SCALE_ENV = "CPDESK_BENCH_SCALE"
SCALES = ("station", "city")
SIZED = {"station_db", "station_db_encrypted", "city_db"}  # fixtures whose figures depend on the scale


def report(title: str, lines: dict[str, str]) -> None:
    """Benchmarks print their figures; the issue notes quote them."""
    print(f"\n== {title}")
    for key, value in lines.items():
        print(f"   {key:<28} {value}")


def bench_scale() -> str:
    scale = os.environ.get(SCALE_ENV) or "station"
    if scale not in SCALES:
        raise pytest.UsageError(f"{SCALE_ENV}={scale}: expected one of {', '.join(SCALES)}")
    return scale


def pytest_report_header(config) -> str:
    return f"benchmark scale: {bench_scale()} ({SCALE_ENV})"


def pytest_collection_modifyitems(config, items) -> None:
    """Station runs leave out the city-only benchmarks; city runs keep only the sized ones."""
    here = Path(__file__).parent
    city = bench_scale() == "city"

    def left_out(item) -> bool:
        if here not in Path(item.path).parents:
            return False
        if city and getattr(item.module, "STATION_ONLY", False):  # work that a city does not do
            return True
        sized = SIZED & set(getattr(item, "fixturenames", ()))
        return not sized if city else "city_db" in sized

    dropped = [item for item in items if left_out(item)]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = [item for item in items if not left_out(item)]


def _source_hash() -> str:
    """Changes whenever the schema or the demo generator does, so a stale cache is rebuilt."""
    sources = [*sorted((ROOT / "db" / "migrations" / "versions").glob("*.py")),
               *sorted((ROOT / "app" / "demo").glob("*.py")), ROOT / "db" / "bulk_load.py"]
    return hashlib.sha256(b"".join(f.read_bytes() for f in sources)).hexdigest()[:12]


def demo_db(scale: str) -> Path:
    """The plain (unencrypted) demo database of ``scale``, seed 1, built on first use; stale ones
    (older schema or generator) are deleted first, as a city takes gigabytes."""
    CACHE.mkdir(exist_ok=True)
    path = CACHE / f"{scale}-seed1-{_source_hash()}.sqlite3"
    if not path.exists():
        for stale in CACHE.glob(f"{scale}-seed1-*"):
            try:
                stale.unlink()
            except OSError:  # still open in another run (Windows refuses): left for the next build
                pass
        partial = path.with_suffix(".building")
        subprocess.run([sys.executable, "-m", "app", "--db", str(partial), "demo", "--scale", scale, "--plain"],
                       check=True, cwd=ROOT)
        partial.rename(path)
    return path


@pytest.fixture
def scratch(tmp_path) -> Iterator[Path]:
    """A folder for one benchmark's copies of the demo (its baseline, a database to import into),
    emptied after the benchmark whatever its result: a city's copy is 7 GB, and pytest keeps a
    failed benchmark's tmp_path."""
    folder = tmp_path / "scratch"
    folder.mkdir()
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def station_db() -> Path:
    """The benchmark station: the `station` demo, or the `city` one under `make bench-city`."""
    return demo_db(bench_scale())


@pytest.fixture(scope="session")
def city_db() -> Path:
    """The `city` demo (1M households), for benchmarks that only make sense at that size."""
    return demo_db("city")


@pytest.fixture(scope="session")
def station_db_encrypted(station_db, tmp_path_factory) -> Path:
    """The same station, encrypted with SQLCipher (the key is registered for this run)."""
    from db import cipher

    path = tmp_path_factory.mktemp("encrypted") / "station.sqlite3"
    key = bytes(range(32))
    cipher.encrypt_copy(station_db, path, key)
    cipher.unlock(path, key)
    return path

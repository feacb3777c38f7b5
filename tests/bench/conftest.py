"""Benchmark fixtures: the `station` demo database, built once and cached between runs."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CACHE = ROOT / ".bench-cache"


def report(title: str, lines: dict[str, str]) -> None:
    """Benchmarks print their figures; the issue notes quote them."""
    print(f"\n== {title}")
    for key, value in lines.items():
        print(f"   {key:<28} {value}")


def _source_hash() -> str:
    """Changes whenever the schema or the demo generator does, so a stale cache is rebuilt."""
    sources = sorted((ROOT / "db" / "migrations" / "versions").glob("*.py")) + sorted((ROOT / "app" / "demo").glob("*.py"))
    return hashlib.sha256(b"".join(f.read_bytes() for f in sources)).hexdigest()[:12]


@pytest.fixture(scope="session")
def station_db() -> Path:
    CACHE.mkdir(exist_ok=True)
    path = CACHE / f"station-seed1-{_source_hash()}.sqlite3"
    if not path.exists():
        partial = path.with_suffix(".building")
        for stale in CACHE.glob(partial.name + "*"):
            stale.unlink()
        subprocess.run([sys.executable, "-m", "app", "--db", str(partial), "demo", "--scale", "station", "--plain"],
                       check=True, cwd=ROOT)
        partial.rename(path)
    return path


@pytest.fixture(scope="session")
def station_db_encrypted(station_db, tmp_path_factory) -> Path:
    """The same station, encrypted with SQLCipher (the key is registered for this run)."""
    from db import cipher

    path = tmp_path_factory.mktemp("encrypted") / "station.sqlite3"
    key = bytes(range(32))
    cipher.encrypt_copy(station_db, path, key)
    cipher.unlock(path, key)
    return path

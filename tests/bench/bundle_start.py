"""The PyInstaller bundle from start to a usable window (target <= 1.5 s at station, issue 15),
against the same program unbundled (``python -m ui``) in the same run: `make bench-bundle`, which
builds dist/cpdesk first. Not collected by `make bench` (the name lacks ``test_``), as it needs a bundle.

Both log in as the officer would, on an encrypted database (the key derivation, Argon2id, included):
the small demo and the `station` demo. ``gui --smoke`` prints 'painted' at the first paint and
'ready' once the tab on screen lists its first page; each run is a fresh process. CPU time (all
threads, to 'ready') is reported beside the wall clock, as a loaded machine inflates the latter.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.bench.conftest import ROOT, report

RUNS = 5
TARGET_S = 1.5
MAX_RATIO = 1.2  # the bundle against the same program unbundled: median (CPU) to usable
PASSWORD = "bundle-bench-1"
BUNDLE = Path(os.environ.get("CPDESK_BUNDLE") or ROOT / "dist" / "cpdesk")
pytestmark = pytest.mark.timeout(1800)  # 24 fresh starts on the station, its encryption once


def _cpu_seconds(pid: int) -> float | None:
    """CPU time (user + system, all threads) of a running process; None where /proc is missing."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def start_to_ready(command: list[str]) -> dict[str, float | None]:
    """One fresh start of ``command`` (a ``gui --smoke``): seconds to 'painted' and to 'ready',
    and the process's CPU seconds at 'ready'."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", CPDESK_PASSWORD=PASSWORD)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # an installed program runs from compiled bytecode
    start = time.perf_counter()
    marks: dict[str, float | None] = {}
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                          cwd=ROOT) as process:
        for line in process.stdout:
            word = line.strip()
            if word in ("painted", "ready") and word not in marks:
                marks[word] = time.perf_counter() - start
                if word == "ready":
                    marks["cpu"] = _cpu_seconds(process.pid)
        errors = process.stderr.read()
    assert process.returncode == 0 and "ready" in marks, f"{command} exit {process.returncode}: {errors[-2000:]}"
    return marks


def _encrypted_copy(plain: Path, folder: Path) -> Path:
    """A copy of the plain demo ``plain`` as an encrypted station with the admin's PASSWORD."""
    from app.accounts.first_start import create_station
    from db import cipher

    folder.mkdir()
    path = folder / "station.sqlite3"
    shutil.copy(plain, path)
    create_station(path, username="admin", name="管理员", password=PASSWORD).db.close()
    cipher.forget(path)  # the runs are other processes: each unwraps the key at its login
    return path


@pytest.fixture(scope="module")
def bundle() -> Path:
    exe = BUNDLE / ("cpdesk.exe" if os.name == "nt" else "cpdesk")
    if not exe.exists():
        pytest.fail(f"no bundle at {BUNDLE}: `make bench-bundle` builds it first (or set CPDESK_BUNDLE)")
    return exe


@pytest.fixture(scope="module")
def small_db(tmp_path_factory) -> Path:
    plain = tmp_path_factory.mktemp("small") / "small.sqlite3"
    subprocess.run([sys.executable, "-m", "app", "--db", str(plain), "demo", "--scale", "small", "--seed", "1",
                    "--plain"], check=True, cwd=ROOT, capture_output=True)
    return _encrypted_copy(plain, plain.parent / "encrypted")


@pytest.fixture(scope="module")
def station_encrypted(station_db: Path, tmp_path_factory) -> Path:
    return _encrypted_copy(station_db, tmp_path_factory.mktemp("station") / "encrypted")


def spread(values: list[float | None], unit: float = 1000) -> str:
    if None in values:
        return "(not measured here)"
    ms = [v * unit for v in values]
    return f"{min(ms):.0f} / {statistics.median(ms):.0f} / {max(ms):.0f} ms"


def compare(bundle: Path, db_path: Path, name: str) -> tuple[float, float]:
    """Median seconds to usable of the bundle on ``db_path`` and its ratio to the unbundled program's,
    reported. The ratio is of CPU time where /proc gives it: on a loaded machine the wall clocks of
    interleaved runs are inflated unevenly (1.0 to 1.2x apart with the same CPU time)."""
    commands = {"bundle": [str(bundle), "--db", str(db_path), "gui", "--smoke"],
                "unbundled": [sys.executable, "-m", "ui", "--db", str(db_path), "gui", "--smoke"]}
    for command in commands.values():  # the OS file cache and the bytecode, as on a used laptop
        start_to_ready(command)
    runs: dict[str, list[dict]] = {kind: [] for kind in commands}
    for _ in range(RUNS):  # interleaved, so both see the same machine load
        for kind, command in commands.items():
            runs[kind].append(start_to_ready(command))
    lines = {}
    for kind, results in runs.items():
        lines[f"{kind}: first paint"] = spread([r["painted"] for r in results])
        lines[f"{kind}: usable"] = spread([r["ready"] for r in results])
        lines[f"{kind}: CPU to usable"] = spread([r["cpu"] for r in results])
    by = "cpu" if all(r["cpu"] is not None for results in runs.values() for r in results) else "ready"
    ratio = statistics.median(r[by] for r in runs["bundle"]) / statistics.median(r[by] for r in runs["unbundled"])
    lines[f"ratio of medians, {'CPU' if by == 'cpu' else 'wall'} to usable"] = f"{ratio:.2f}x (<= {MAX_RATIO})"
    report(f"bundle start to usable window, {name}, with login, min / median / max of {RUNS}", lines)
    return statistics.median(r["ready"] for r in runs["bundle"]), ratio


def test_the_bundle_starts_as_fast_as_the_program_unbundled_on_the_small_demo(bundle, small_db):
    _ours, ratio = compare(bundle, small_db, "small demo")
    assert ratio <= MAX_RATIO


def test_the_bundle_is_usable_within_one_and_a_half_seconds_at_station(bundle, station_encrypted):
    ours, ratio = compare(bundle, station_encrypted, "station demo")
    assert ratio <= MAX_RATIO
    assert ours <= TARGET_S

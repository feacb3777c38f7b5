"""Logging in on the `station` database, encrypted, through the login dialog as the officer does
(tests/bench/cold_login.py: the dialog shown, name and password typed key by key, 登录 pressed), in
a fresh process: from the password accepted (the database key unwrapped) to a usable main window
(the tab on screen lists its first page, painted), target <= 1 s for the FIRST login of a fresh
process. While he types, the program imports what the window will need (ui/shell/warm.py): the
longest the UI thread is busy at once then stays <= 50 ms, so his keys are answered. The key
derivation (Argon2id at the real parameters) is reported on its own, counted from 登录 pressed:
it is the deliberate cost of every guess, paid before the clock of the target starts. No ratio:
the target is the officer's second."""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.accounts.first_start import create_station, station_state
from db import cipher
from tests.bench.conftest import ROOT, report

PASSWORD = "admin123"
RUNS = {0: 5, 2: 3}  # tab on screen at login (the setting window/tab): 工作台, the default; 矛盾纠纷
TARGET_S = 1.0
TYPING_STEP_S = 0.05  # the longest the UI thread may be busy at once while the officer types (CPU)


_ENCRYPTED: dict[Path, tuple[Path, str, float | None]] = {}  # one conversion per run, shared with test_tab_lists


def encrypted_copy(station_db: Path, tmp_path_factory) -> tuple[Path, str, float | None]:
    """A copy of the cached `station` database as an encrypted station with an admin, made once per
    run: (path, admin password, seconds the conversion took or None). A plain cache is converted;
    an encrypted one (a demo made with $CPDESK_PASSWORD) is copied with its key file."""
    from app.accounts.keyring import keyring_path
    from db.backup import backups_dir

    if station_db in _ENCRYPTED:
        return _ENCRYPTED[station_db]
    path = tmp_path_factory.mktemp("login") / "station.sqlite3"
    shutil.copy(station_db, path)
    converted, password = None, PASSWORD
    if station_state(path) == "plain":
        start = time.perf_counter()
        create_station(path, username="admin", name="张所长", password=PASSWORD).db.close()
        converted = time.perf_counter() - start
        shutil.rmtree(backups_dir(path))  # the plain copy's before-encryption backup: 7 GB at city, unused
    elif keyring_path(station_db).exists() and os.environ.get("CPDESK_PASSWORD"):
        shutil.copy(keyring_path(station_db), keyring_path(path))
        password = os.environ["CPDESK_PASSWORD"]
    else:
        pytest.skip("the cached station database is encrypted: set CPDESK_PASSWORD to its admin password")
    cipher.forget(path)
    _ENCRYPTED[station_db] = path, password, converted
    return _ENCRYPTED[station_db]


@pytest.fixture(scope="module")
def encrypted_station(station_db: Path, tmp_path_factory):
    path, password, converted = encrypted_copy(station_db, tmp_path_factory)
    yield path, password, converted
    cipher.forget(path)


def cold_login(path: Path, password: str, tab: int, ini: Path, *, root: Path = ROOT) -> dict:
    """One first login in a fresh process of the program at ``root``; seconds of each part."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # an installed program runs from compiled bytecode
    out = subprocess.run([sys.executable, str(Path(__file__).with_name("cold_login.py")), str(path), password,
                          str(tab), str(ini)], cwd=root, env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


def spread(values: list[float]) -> str:
    ms = [v * 1000 for v in values]
    return f"{min(ms):.0f} / {statistics.median(ms):.0f} / {max(ms):.0f} ms"


def test_the_first_login_of_a_fresh_process_is_usable_within_one_second(encrypted_station, tmp_path):
    path, password, converted = encrypted_station
    cold_login(path, password, 0, tmp_path / "warm.ini")  # the OS file cache and the bytecode, as on a used laptop
    runs = {tab: [cold_login(path, password, tab, tmp_path / f"{tab}-{i}.ini") for i in range(n)]
            for tab, n in RUNS.items()}
    lines = {"key derivation (Argon2id), from 登录 pressed": spread([r["derive"] for r in runs[0]]),
             "while typing: UI thread CPU (the keys, and imports ahead)": spread([r["warm_ui_cpu"] for r in runs[0]]),
             f"while typing: longest UI step (<= {TYPING_STEP_S * 1000:.0f} ms)":
                 spread([r["longest_step"] for results in runs.values() for r in results])}
    for tab, results in runs.items():
        name = results[0]["tab"]
        lines[f"{name}: key -> database open"] = spread([r["open"] for r in results])
        lines[f"{name}: open -> tab listed"] = spread([r["window"] for r in results])
        lines[f"{name}: same, UI thread CPU"] = spread([r["window_ui_cpu"] for r in results])
        lines[f"{name}: 登录 pressed -> usable"] = spread([r["submit_to_usable"] for r in results])
        lines[f"{name}: key -> usable (<= 1 s)"] = spread([r["usable"] for r in results])
    counts = ", ".join(f"{runs[tab][0]['tab']} x{n}" for tab, n in RUNS.items())
    report(f"first login of a fresh process, encrypted station, min / median / max (runs: {counts})", {
        **lines, **({"plain -> encrypted (once)": f"{converted:.1f} s"} if converted else {})})
    slow = {runs[tab][0]["tab"]: statistics.median(r["usable"] for r in results)
            for tab, results in runs.items() if statistics.median(r["usable"] for r in results) > TARGET_S}
    assert slow == {}
    assert statistics.median(r["longest_step"] for results in runs.values() for r in results) <= TYPING_STEP_S

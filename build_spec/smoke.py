"""Smoke check of a built bundle: it starts offscreen, makes and opens a database, lists, renders a
PDF and a ledger (reportlab, openpyxl and the fonts inside the bundle), checks, and opens the
window; then times start to usable window (the first page of households shown) over a few runs.

Usage: python build_spec/smoke.py dist/cpdesk [--runs N]
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

PASSWORD = "smoke-test-1"  # the demo admin's


def run(step: list[str], env: dict) -> subprocess.CompletedProcess:
    start = time.perf_counter()
    result = subprocess.run(step, env=env, capture_output=True, text=True, timeout=180)
    print(f"{' '.join(step[3:])}: exit {result.returncode} in {time.perf_counter() - start:.2f} s")
    if result.returncode != 0:
        print(result.stdout, result.stderr, sep="\n", file=sys.stderr)
        raise SystemExit(1)
    return result


def until_ready(exe: Path, db: Path, env: dict) -> tuple[float, float]:
    """Seconds from starting the bundled program to its first paint and to its usable window."""
    start = time.perf_counter()
    marks = {}
    with subprocess.Popen([str(exe), "--db", str(db), "gui", "--smoke"], env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True) as process:
        for line in process.stdout:
            marks.setdefault(line.strip(), time.perf_counter() - start)
        errors = process.stderr.read()
    if process.returncode != 0 or "ready" not in marks:
        print(f"the window never became ready (exit {process.returncode})\n{errors}", file=sys.stderr)
        raise SystemExit(1)
    return marks["painted"], marks["ready"]


def figures(values: list[float]) -> str:
    return f"min {min(values):.2f} / median {statistics.median(values):.2f} / max {max(values):.2f} s"


def main(bundle: Path, runs: int) -> int:
    exe = bundle / ("cpdesk.exe" if os.name == "nt" else "cpdesk")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", CPDESK_PASSWORD=PASSWORD)
    with tempfile.TemporaryDirectory() as tmp:
        db, plain = Path(tmp) / "smoke.sqlite3", Path(tmp) / "plain.sqlite3"
        base = [str(exe), "--db", str(db)]
        run([*base, "demo", "--scale", "small"], env)
        run([*base, "list", "households", "--limit", "3"], env)
        visits = json.loads(run([*base, "list", "visits", "--limit", "1", "--json"], env).stdout)
        run([*base, "report", "visit-sheet", str(visits[0]["id"]), "--out", str(Path(tmp) / "sheet.pdf")], env)
        today = date.today()
        run([*base, "ledger", "visits", "--from", str(today - timedelta(days=365)), "--to", str(today),
             "--out", str(Path(tmp) / "ledger.xlsx")], env)
        run([*base, "check"], env)
        run([*base, "gui", "--smoke"], env)
        # Start to usable: the encrypted station (login included: key derivation is slow on purpose)
        # and a plain file (the program alone).
        run([str(exe), "--db", str(plain), "demo", "--scale", "small", "--plain"], env)
        plain_env = {k: v for k, v in env.items() if k != "CPDESK_PASSWORD"}
        for name, path, step_env in (("encrypted, with login", db, env), ("plain", plain, plain_env)):
            times = [until_ready(exe, path, step_env) for _ in range(runs)]
            print(f"start to first paint ({name}, {runs} runs): {figures([t[0] for t in times])}")
            print(f"start to usable window ({name}, {runs} runs): {figures([t[1] for t in times])}")
    size = sum(f.stat().st_size for f in bundle.rglob("*") if f.is_file() and not f.is_symlink())
    print(f"bundle: {bundle} {size / 1e6:.0f} MB")
    return 0


if __name__ == "__main__":
    runs = int(sys.argv[sys.argv.index("--runs") + 1]) if "--runs" in sys.argv else 3
    sys.exit(main(Path(sys.argv[1]), runs))

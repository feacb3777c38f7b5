"""Smoke check of a built bundle: it starts offscreen, makes and opens a database, lists, quits.

Usage: python build_spec/smoke.py dist/cpdesk
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def main(bundle: Path) -> int:
    exe = bundle / ("cpdesk.exe" if os.name == "nt" else "cpdesk")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", CPDESK_PASSWORD="smoke-test-1")  # the demo admin's
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "smoke.sqlite3"
        steps = [
            [str(exe), "--db", str(db), "demo", "--scale", "small"],
            [str(exe), "--db", str(db), "list", "households", "--limit", "3"],
            [str(exe), "--db", str(db), "check"],
            [str(exe), "--db", str(db), "gui", "--smoke"],
        ]
        for step in steps:
            start = time.perf_counter()
            result = subprocess.run(step, env=env, capture_output=True, text=True, timeout=120)
            took = time.perf_counter() - start
            print(f"{' '.join(step[3:])}: exit {result.returncode} in {took:.2f} s")
            if result.returncode != 0:
                print(result.stdout, result.stderr, sep="\n", file=sys.stderr)
                return 1
            if step[-1] == "--smoke" and "ready" not in result.stdout:
                print("the window never became ready", file=sys.stderr)
                return 1
    size = sum(f.stat().st_size for f in bundle.rglob("*") if f.is_file() and not f.is_symlink())
    print(f"bundle: {bundle} {size / 1e6:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))

"""Running ``cpdesk`` as a real process, as an officer does at the terminal."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

DEMO_DAY = date(2026, 11, 20)  # the day the command-line tests' demo station is built on


def run_cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """The real process, to see exactly what an officer sees on the terminal."""
    return subprocess.run([sys.executable, "-m", "app", *args], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=120)


# Runs ``cpdesk`` with an optional file-size limit: writes past it fail with EFBIG.
_CLI = """
import os, sys
limit = os.environ.pop("CPDESK_TEST_FSIZE", "")
if limit:
    import resource, signal
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (int(limit), resource.RLIM_INFINITY))
from app.cli.main import main
sys.exit(main(sys.argv[1:]))
"""
# Root writes anywhere: without these capabilities it meets file permissions like anyone.
_UNPRIVILEGED = ["setpriv", "--bounding-set=-dac_override,-dac_read_search,-fowner", "--"]


def run_cli_confined(*args, home: Path, fsize: int | None = None, unprivileged: bool = False,
            env: dict | None = None) -> subprocess.CompletedProcess:
    """``cpdesk ARGS`` in a fresh process (user folders and temp folder under ``home``)."""
    environment = {**os.environ, "PYTHONPATH": str(ROOT), "XDG_DATA_HOME": str(home / "data"),
                   "XDG_CONFIG_HOME": str(home / "config"), "TMPDIR": str(home / "tmp"), **(env or {})}
    (home / "tmp").mkdir(parents=True, exist_ok=True)
    environment.pop("CPDESK_DB", None)
    if fsize is not None:
        environment["CPDESK_TEST_FSIZE"] = str(fsize)
    prefix = []
    if unprivileged and hasattr(os, "geteuid") and os.geteuid() == 0:
        if subprocess.run(["setpriv", "--version"], capture_output=True).returncode != 0:
            pytest.skip("running as root without setpriv: file permissions cannot be tested")
        prefix = _UNPRIVILEGED
    return subprocess.run([*prefix, sys.executable, "-c", _CLI, *map(str, args)], cwd=ROOT, env=environment,
                          capture_output=True, text=True, timeout=120)


def one_line(stderr: str) -> str:
    """The single line a refusal prints (asserted: exactly one, no traceback, no internal error)."""
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr and "内部错误" not in stderr, stderr
    return lines[0]

"""Failed logins are counted one attempt at a time, also when many are made at once: ten
programs started together with a wrong password leave ten traces, and none of them slips past
a wait the ones before it earned."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from app.accounts.first_start import create_station
from app.accounts.lockout import FREE_FAILURES, LOCK_AFTER, LOCK_SECONDS, Lockout, TooSoon, WrongPassword, delay_after
from app.accounts.login import log_in
from app.audit import log as audit
from app.core.errors import UserError
from db import cipher

RIGHT, WRONG = "admin123", "wrong1234"
REPO = Path(__file__).resolve().parents[2]
SAYS_WRONG = "cpdesk: 用户名或密码错误"


# Argon2 at test cost; the keyring keeps these parameters, so the programs started below use them too.
pytestmark = pytest.mark.usefixtures("cheap_kdf")


@pytest.fixture
def station(tmp_path) -> Path:
    path = tmp_path / "station.sqlite3"
    create_station(path, username="admin", name="张所长", password=RIGHT).db.close()
    cipher._keys.clear()
    return path


class Clock:
    def __init__(self, t: float = 1_000_000.0) -> None:
        self.t = t

    def __call__(self) -> float:
        return self.t


def _run_at_once(path: Path, n: int) -> list[str]:
    """``n`` cpdesk programs started together with a wrong password; their stderr, one per program."""
    env = {**os.environ, "CPDESK_PASSWORD": WRONG, "PYTHONPATH": str(REPO)}
    runs = [subprocess.Popen([sys.executable, "-m", "app", "--db", str(path), "--user", "admin", "list", "households"],
                             cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
            for _ in range(n)]
    out = []
    for run in runs:
        _, err = run.communicate(timeout=120)
        assert run.returncode == 1
        out.append(err.strip())
    return out


def _seconds(entry: audit.AuditRow) -> float:
    return time.mktime(time.strptime(entry.detail["at"], "%Y-%m-%d %H:%M:%S"))


def test_ten_programs_with_a_wrong_password_at_once_are_each_counted_and_none_skips_a_wait(station, tmp_path):
    said = _run_at_once(station, 10)
    tried = said.count(SAYS_WRONG)
    refused = [line for line in said if line != SAYS_WRONG]
    assert all(line.count("\n") == 0 for line in said)  # one line each, no traceback
    assert all("再试" in line for line in refused), refused  # told how long to wait, password untried
    assert tried >= FREE_FAILURES + 1  # the first attempts cannot have been refused
    snapshot = tmp_path / "snapshot"  # the station as the ten left it, for the check after the audit
    snapshot.mkdir()
    for suffix in ("", ".keys", ".logins"):
        shutil.copy(f"{station}{suffix}", snapshot / f"station.sqlite3{suffix}")

    # Every attempt left a trace, audited at the next login: each wrong password, each refusal.
    login = log_in(station, "admin", RIGHT, now=lambda: time.time() + LOCK_SECONDS + 60)
    traces = audit.search_audit(login.db, action="login_failed")
    login.db.close()
    assert len(traces) == 10
    failures = sorted((t for t in traces if "refused" not in t.detail), key=_seconds)
    assert len(failures) == tried and len(traces) - tried == len(refused)
    # Each password tried after the free ones waited as long as the failures before it said.
    for n, (before, after) in enumerate(zip(failures, failures[1:]), start=1):
        assert _seconds(after) - _seconds(before) >= delay_after(n) - 1  # the log keeps whole seconds
    assert any(t.detail.get("locked") for t in traces) == (tried >= LOCK_AFTER)

    # Right after the last failure even the right password must wait (count >= 3: >= 2 s).
    cipher._keys.clear()
    copy = snapshot / "station.sqlite3"
    with pytest.raises(TooSoon, match="再试"):
        log_in(copy, "admin", RIGHT, now=lambda: _seconds(failures[-1]) + 1)


def test_attempts_made_at_once_take_turns_so_only_the_free_ones_are_tried(tmp_path):
    clock, path = Clock(), tmp_path / "x.sqlite3"
    tried, refused, start = [], [], threading.Barrier(10)

    def wrong_password():
        tried.append(1)
        time.sleep(0.02)  # a key derivation: the others arrive meanwhile
        raise WrongPassword("用户名或密码错误")

    def one():
        start.wait()
        try:
            Lockout(path, now=clock).attempt("wang", wrong_password)
        except TooSoon:
            refused.append(1)
        except WrongPassword:
            pass

    threads = [threading.Thread(target=one) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert (len(tried), len(refused)) == (FREE_FAILURES + 1, 10 - FREE_FAILURES - 1)
    pending = Lockout(path, now=clock).pending()
    assert len(pending) == 10 and sum(1 for p in pending if p["refused"]) == len(refused)
    assert Lockout(path, now=clock).wait_seconds("wang") == delay_after(FREE_FAILURES + 1)


def test_the_lock_engages_at_the_sixth_failure_counted_across_programs(tmp_path):
    clock, path = Clock(), tmp_path / "x.sqlite3"
    for n in range(1, LOCK_AFTER + 1):  # each from a program of its own (a fresh Lockout)
        clock.t += delay_after(n - 1)
        with pytest.raises(WrongPassword):
            Lockout(path, now=clock).attempt("wang", lambda: (_ for _ in ()).throw(WrongPassword("错")))
    with pytest.raises(TooSoon, match="锁定"):
        Lockout(path, now=clock).attempt("wang", lambda: "the right password")


def test_an_attempt_that_fails_for_another_reason_is_not_counted(tmp_path):
    clock, path = Clock(), tmp_path / "x.sqlite3"

    def in_use():
        raise UserError("数据库正被另一个程序使用")

    for _ in range(LOCK_AFTER):
        with pytest.raises(UserError, match="另一个程序"):
            Lockout(path, now=clock).attempt("wang", in_use)
    assert Lockout(path, now=clock).attempt("wang", lambda: "key") == "key"
    assert Lockout(path, now=clock).pending() == []


def test_counts_kept_by_an_earlier_version_carry_over(tmp_path):
    clock, path = Clock(), tmp_path / "x.sqlite3"
    Path(f"{path}.logins").write_text(json.dumps({
        "accounts": {"wang": {"failures": LOCK_AFTER, "not_before": clock.t + 600}},
        "pending": [{"username": "wang", "at": clock.t - 5, "locked": True}]}), "utf-8")
    with pytest.raises(TooSoon, match="锁定"):
        Lockout(path, now=clock).check("wang")
    assert [(p["username"], p["locked"]) for p in Lockout(path, now=clock).pending()] == [("wang", True)]


def test_a_damaged_counts_file_starts_again_instead_of_shutting_everyone_out(tmp_path):
    clock, path = Clock(), tmp_path / "x.sqlite3"
    Path(f"{path}.logins").write_bytes(b"SQLite format 3\x00" + b"\xff" * 2000)
    assert Lockout(path, now=clock).attempt("wang", lambda: "key") == "key"

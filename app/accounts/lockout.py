"""Repeated failed logins slow down, then lock the account for a while.

Kept per laptop in a small file beside the database (it must work before the database is
unlocked). Failures wait there until the next login that opens the database, which writes
them into the audit log. The clock is injected so tests can move time.
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Callable
from pathlib import Path

from app.errors import UserError
from app.files import write_atomically

FREE_FAILURES = 2  # typing mistakes cost nothing; each failure after them waits 2, 4, 8 … s
LOCK_AFTER = 6  # consecutive failures
LOCK_SECONDS = 15 * 60
MAX_DELAY = 30


def lockout_path(db_path: Path) -> Path:
    return Path(db_path).with_name(Path(db_path).name + ".logins")


class Lockout:
    def __init__(self, db_path: Path, *, now: Callable[[], float] = time.time) -> None:
        self.path = lockout_path(db_path)
        self.now = now
        try:
            self._state = json.loads(self.path.read_text("utf-8"))
        except (OSError, ValueError):
            self._state = {}
        self._state.setdefault("accounts", {})
        self._state.setdefault("pending", [])

    def wait_seconds(self, username: str) -> int:
        """How long ``username`` must wait before the next attempt (0: try now)."""
        entry = self._state["accounts"].get(username)
        if not entry:
            return 0
        return max(0, math.ceil(entry["not_before"] - self.now()))

    def check(self, username: str) -> None:
        """Refuse an attempt made too soon, with the wait in the message."""
        wait = self.wait_seconds(username)
        if not wait:
            return
        if self._state["accounts"][username]["failures"] >= LOCK_AFTER:
            raise UserError(f"登录失败次数过多，账户已锁定，请 {math.ceil(wait / 60)} 分钟后再试")
        raise UserError(f"请 {wait} 秒后再试")

    def failed(self, username: str) -> None:
        entry = self._state["accounts"].setdefault(username, {"failures": 0, "not_before": 0})
        entry["failures"] += 1
        n = entry["failures"]
        if n >= LOCK_AFTER:
            delay = LOCK_SECONDS
        elif n > FREE_FAILURES:
            delay = min(MAX_DELAY, 2 ** (n - FREE_FAILURES))
        else:
            delay = 0
        entry["not_before"] = self.now() + delay
        self._state["pending"].append({"username": username, "at": self.now(), "locked": n == LOCK_AFTER})
        self._save()

    def succeeded(self, username: str) -> list[dict]:
        """Clear ``username``'s failures; returns (and forgets) every failure not yet audited."""
        self._state["accounts"].pop(username, None)
        pending, self._state["pending"] = self._state["pending"], []
        self._save()
        return pending

    def _save(self) -> None:
        try:
            write_atomically(self.path, json.dumps(self._state, ensure_ascii=False).encode("utf-8"))
        except UserError:
            pass  # a read-only folder must not stop a login; the counts then last this run only

"""Repeated failed logins slow down, then lock the account for a while.

Kept per laptop in a small SQLite file beside the database (``.logins``: user names, counts and
times, no personal data; plain, as it must work before the database is unlocked). Each login
attempt is one write transaction on it (``attempt``): read the account's count, refuse if the
attempt comes too soon, try the password, count a failure, commit. Attempts made at the same
moment by several programs therefore take turns, each sees the count the one before it left,
and none slips past a wait or a lock. A refused attempt tries no password and does not count
(an officer who presses 登录 too soon is not punished for it), but it is remembered.

Failures and refusals wait there until the next login that opens the database, which writes
them into the audit log. The clock is injected so tests can move time.
"""

from __future__ import annotations

import json
import math
import os
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from app.core.errors import UserError

FREE_FAILURES = 2  # typing mistakes cost nothing; each failure after them waits 2, 4, 8 … s
LOCK_AFTER = 6  # consecutive failures
LOCK_SECONDS = 15 * 60
MAX_DELAY = 30
# Attempts queue on the file's write lock, each holding it for one key derivation (~0.2 s):
# wait long enough for a burst of them before saying the login is busy.
BUSY_SECONDS = 60
SQLITE_MAGIC = b"SQLite format 3\x00"
SCHEMA = """
    CREATE TABLE IF NOT EXISTS account (
        username TEXT PRIMARY KEY, failures INTEGER NOT NULL, not_before REAL NOT NULL);
    CREATE TABLE IF NOT EXISTS pending (
        id INTEGER PRIMARY KEY, username TEXT NOT NULL, at REAL NOT NULL,
        locked INTEGER NOT NULL DEFAULT 0, refused TEXT);
"""

T = TypeVar("T")


class WrongPassword(UserError):
    """The password (or the user name) did not match: the one outcome an attempt counts."""


class TooSoon(UserError):
    """An attempt refused, untried, because the account must still wait."""


def lockout_path(db_path: Path) -> Path:
    return Path(db_path).with_name(Path(db_path).name + ".logins")


def delay_after(failures: int) -> int:
    """Seconds the next attempt must wait after ``failures`` consecutive failures."""
    if failures >= LOCK_AFTER:
        return LOCK_SECONDS
    if failures > FREE_FAILURES:
        return min(MAX_DELAY, 2 ** (failures - FREE_FAILURES))
    return 0


class Lockout:
    def __init__(self, db_path: Path, *, now: Callable[[], float] = time.time) -> None:
        self.path = lockout_path(db_path)
        self.now = now

    def wait_seconds(self, username: str) -> int:
        """How long ``username`` must wait before the next attempt (0: try now)."""
        with self._store() as conn:
            return self._wait(conn, username)[0]

    def check(self, username: str) -> None:
        """Refuse an attempt made too soon, with the wait in the message (nothing is counted)."""
        with self._store() as conn:
            wait, failures = self._wait(conn, username)
        if wait:
            raise _too_soon(wait, failures)

    def attempt(self, username: str, try_password: Callable[[], T], *, remember: bool = True) -> T:
        """Run ``try_password`` for ``username`` unless the account must wait (TooSoon). A
        WrongPassword from it is counted, success clears the count; anything else it raises
        leaves the count as it was (it says nothing about the password). With ``remember``,
        failures and refusals are kept for the audit log (``pending``); without, the caller
        logs them itself."""
        with self._store() as conn:
            conn.execute("BEGIN IMMEDIATE")  # every other attempt waits here until this one is counted
            try:
                wait, failures = self._wait(conn, username)
                if wait:
                    if remember:
                        self._remember(conn, username, refused="须等待" if failures < LOCK_AFTER else "已锁定")
                    conn.execute("COMMIT")
                    raise _too_soon(wait, failures)
                try:
                    result = try_password()
                except WrongPassword:
                    self._count(conn, username, failures + 1, remember=remember)
                    conn.execute("COMMIT")
                    raise
                except Exception as exc:  # raised below, where it is not taken for a fault of this file
                    other = exc
                else:
                    conn.execute("DELETE FROM account WHERE username = ?", (username,))
                    conn.execute("COMMIT")
                    return result
            finally:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
        raise other

    def failed(self, username: str) -> None:
        """Count one failure of ``username``, in one transaction with reading the count."""
        with self._store() as conn:
            conn.execute("BEGIN IMMEDIATE")
            self._count(conn, username, self._wait(conn, username)[1] + 1, remember=True)
            conn.execute("COMMIT")

    def succeeded(self, username: str) -> list[dict]:
        """Clear ``username``'s failures; returns (and forgets) every failure not yet audited."""
        with self._store() as conn:
            conn.execute("DELETE FROM account WHERE username = ?", (username,))
        entries = self.pending()
        self.forget(entries)
        return entries

    def pending(self) -> list[dict]:
        """Failures and refusals not yet written to the audit log, oldest first."""
        with self._store() as conn:
            rows = conn.execute("SELECT id, username, at, locked, refused FROM pending ORDER BY at, id").fetchall()
        return [{"id": i, "username": u, "at": at, "locked": bool(locked), "refused": refused}
                for i, u, at, locked, refused in rows]

    def forget(self, entries: list[dict]) -> None:
        """Drop ``entries`` (from ``pending``) once they are in the audit log."""
        with self._store() as conn:
            conn.executemany("DELETE FROM pending WHERE id = ?", [(e["id"],) for e in entries])

    # --- the file ---------------------------------------------------------------------------

    def _wait(self, conn, username: str) -> tuple[int, int]:
        row = conn.execute("SELECT failures, not_before FROM account WHERE username = ?", (username,)).fetchone()
        if row is None:
            return 0, 0
        return max(0, math.ceil(row[1] - self.now())), row[0]

    def _count(self, conn, username: str, failures: int, *, remember: bool) -> None:
        conn.execute("INSERT INTO account (username, failures, not_before) VALUES (?, ?, ?) "
                     "ON CONFLICT (username) DO UPDATE SET failures = excluded.failures, "
                     "not_before = excluded.not_before", (username, failures, self.now() + delay_after(failures)))
        if remember:
            self._remember(conn, username, locked=failures == LOCK_AFTER)

    def _remember(self, conn, username: str, *, locked: bool = False, refused: str | None = None) -> None:
        conn.execute("INSERT INTO pending (username, at, locked, refused) VALUES (?, ?, ?, ?)",
                     (username, self.now(), int(locked), refused))

    @contextmanager
    def _store(self) -> Iterator[sqlite3.Connection]:
        """A connection to the file (made, or converted from the JSON file of earlier versions,
        on first use), in autocommit mode: transactions are begun explicitly."""
        try:
            _convert_old_file(self.path)
            conn = sqlite3.connect(self.path, timeout=BUSY_SECONDS, isolation_level=None)
        except (sqlite3.Error, OSError) as exc:
            raise _unusable(self.path, exc) from exc
        try:
            try:
                conn.executescript(SCHEMA)
            except sqlite3.DatabaseError as exc:
                if not _damaged(exc):
                    raise
                conn.close()  # counts nobody can read are worth nothing: start again
                self.path.unlink(missing_ok=True)
                conn = sqlite3.connect(self.path, timeout=BUSY_SECONDS, isolation_level=None)
                conn.executescript(SCHEMA)
            yield conn
        except (sqlite3.OperationalError, OSError) as exc:
            raise _unusable(self.path, exc) from exc
        finally:
            conn.close()


def _too_soon(wait: int, failures: int) -> TooSoon:
    if failures >= LOCK_AFTER:
        return TooSoon(f"登录失败次数过多，账户已锁定，请 {math.ceil(wait / 60)} 分钟后再试")
    return TooSoon(f"请 {wait} 秒后再试")


def _damaged(exc: sqlite3.DatabaseError) -> bool:
    return not isinstance(exc, sqlite3.OperationalError) or "malformed" in str(exc)


def _unusable(path: Path, exc: sqlite3.Error | OSError) -> UserError:
    """The file cannot be kept: a login then is refused, or the counts could be walked around."""
    if "locked" in str(exc):
        return UserError("登录繁忙（其他程序正在登录），请稍后再试")
    return UserError(f"无法记录登录次数（{path}：{exc}），请检查数据库所在文件夹的写权限")


def _convert_old_file(path: Path) -> None:
    """Earlier versions kept the counts as JSON: carry them over into the SQLite file once."""
    try:
        with open(path, "rb") as f:
            head = f.read(len(SQLITE_MAGIC))
    except OSError:
        return  # no file yet (or unreadable: connecting says so)
    if head == SQLITE_MAGIC or not head:
        return  # already converted, or an empty file (SQLite makes it a database)
    try:
        state = json.loads(path.read_text("utf-8"))
        accounts, pending = dict(state.get("accounts", {})), list(state.get("pending", []))
    except (OSError, ValueError, AttributeError, TypeError):
        accounts, pending = {}, []  # unreadable counts are worth nothing
    staged = path.with_name(f"{path.name}.{os.getpid()}.new")
    conn = sqlite3.connect(staged, isolation_level=None)
    try:
        conn.executescript(SCHEMA)
        conn.executemany("INSERT OR REPLACE INTO account VALUES (?, ?, ?)",
                         [(u, int(e.get("failures", 0)), float(e.get("not_before", 0))) for u, e in accounts.items()])
        conn.executemany("INSERT INTO pending (username, at, locked) VALUES (?, ?, ?)",
                         [(p.get("username", ""), float(p.get("at", 0)), int(bool(p.get("locked")))) for p in pending])
    finally:
        conn.close()
    try:
        os.replace(staged, path)
    except OSError:  # another program converting it at the same moment holds it (Windows)
        staged.unlink(missing_ok=True)

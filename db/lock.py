"""One writer per database file: a lock on ``<db>.lock`` beside it, held while the file is open.

Why a lock file and not SQLite's own locking: SQLite lets any number of connections and
programs open one file and only serialises single transactions. Two programs on one file
(the window and a ``cpdesk`` command, or two windows) each keep their own clock and their
own idea of what was exported last, and edits were lost between them (issue 10). The lock is
the operating system's (``flock`` on Linux, a locked handle on Windows, through the
``filelock`` library), so it goes with the process: a program killed outright leaves no
stale lock behind.

The lock belongs to the process, not to a connection: the window's background work and the
tests open the same file again in one process. Each open counts; the last close releases it.
"""

from __future__ import annotations

import threading
from pathlib import Path

from filelock import FileLock, Timeout

from db.errors import DatabaseInUse, StorageError

_held: dict[Path, list] = {}  # resolved database path -> [FileLock, opens]
_guard = threading.Lock()


def lock_path(db_path: Path) -> Path:
    return Path(db_path).with_name(Path(db_path).name + ".lock")


def acquire(db_path: Path) -> None:
    """Take this process's hold on ``db_path``; DatabaseInUse when another program has it."""
    key = Path(db_path).resolve()
    with _guard:
        if key in _held:
            _held[key][1] += 1
            return
        # thread_local=False: the window opens on a worker thread and closes on the UI thread.
        lock = FileLock(lock_path(key), timeout=0, thread_local=False)
        try:
            lock.acquire()
        except Timeout:
            raise DatabaseInUse(db_path) from None
        except OSError as exc:
            raise StorageError(f"无法锁定数据库 {db_path}（{exc.strerror or exc}）") from None
        _held[key] = [lock, 1]


def release(db_path: Path) -> None:
    """Give back one hold; the lock goes when the last one does."""
    key = Path(db_path).resolve()
    with _guard:
        held = _held.get(key)
        if held is None:
            return
        held[1] -= 1
        if held[1] == 0:
            del _held[key]
            held[0].release()


def held_here(db_path: Path) -> bool:
    """Does this process hold the lock on ``db_path``?"""
    with _guard:
        return Path(db_path).resolve() in _held

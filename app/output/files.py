"""Writing an output file (PDF, ledger, sync file, backup copy) so that a failure never leaves
half of one, and never replaces anything but a regular file.

The one way: ``output_file(path)`` writes a temp file beside the target with a recognisable
name (``.cpdesk-….partial``), renames it over the target when complete and removes it on any
failure; ones left by a killed process are removed by the next write into that folder once
they are a day old (younger ones may belong to a write still running).
"""

from __future__ import annotations

import os
import stat
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from app.core.errors import UserError

PARTIAL_PREFIX, PARTIAL_SUFFIX = ".cpdesk-", ".partial"
STALE_SECONDS = 24 * 3600
# Windows refuses to replace a file another program holds open (an antivirus scan, a PDF
# viewer): retry for about two seconds before saying so.
REPLACE_TRIES, REPLACE_PAUSE = 10, 0.2
_WINDOWS = os.name == "nt"


def check_output(path: Path) -> Path:
    """Refuse before any work is done unless ``path`` is a new file in an existing folder or a
    regular file (never a folder, device, FIFO or socket, directly or through a symlink).
    Returns the file to write: a symlink's target, so the link itself stays."""
    path = Path(path)
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        if path.is_symlink():
            raise UserError(f"输出路径是指向不存在位置的链接：{path}") from None
        if not path.parent.is_dir():
            raise UserError(f"目录不存在：{path.parent}") from None
        return path
    except OSError as exc:
        raise UserError(f"无法写入 {path}：{_why(exc)}") from None
    if stat.S_ISDIR(mode):
        raise UserError(f"输出路径是一个文件夹，请写上文件名：{path}")
    if not stat.S_ISREG(mode):
        raise UserError(f"输出路径不是普通文件（是设备或特殊文件），不会覆盖它：{path}")
    return path.resolve() if path.is_symlink() else path


check_folder = check_output  # the name the report and ledger commands know it by


@contextmanager
def output_file(path: Path) -> Iterator[BinaryIO]:
    """A file to write ``path``'s content into; it becomes ``path`` when the block ends, or is
    removed if the block or the write fails (UserError naming ``path`` and what went wrong)."""
    target = check_output(path)
    remove_stale_partials(target.parent)
    try:
        temp, f = _open_partial(target.parent)
    except OSError as exc:
        raise UserError(f"无法写入 {path}：{_why(exc)}") from exc
    try:
        with f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        check_output(target)  # still a regular file or absent just before the rename
        _replace(temp, target)
        _fsync_dir(target.parent)
    except OSError as exc:
        raise UserError(f"无法写入 {path}：{_why(exc)}，没有留下文件") from exc
    finally:
        temp.unlink(missing_ok=True)


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through ``output_file``."""
    with output_file(path) as f:
        f.write(data)


def _open_partial(folder: Path) -> tuple[Path, BinaryIO]:
    """The temp file beside the target (tests wrap it to inject a full disk)."""
    fd, name = tempfile.mkstemp(prefix=PARTIAL_PREFIX, suffix=PARTIAL_SUFFIX, dir=folder)
    return Path(name), os.fdopen(fd, "wb")


def remove_stale_partials(folder: Path, *, now: float | None = None) -> int:
    """Remove temp files of ours older than a day from ``folder``; returns how many went."""
    limit = (now if now is not None else time.time()) - STALE_SECONDS
    removed = 0
    try:
        candidates = list(Path(folder).glob(f"{PARTIAL_PREFIX}*{PARTIAL_SUFFIX}"))
    except OSError:
        return 0
    for old in candidates:
        try:
            if old.is_file() and not old.is_symlink() and old.stat().st_mtime < limit:
                old.unlink()
                removed += 1
        except OSError:
            pass  # not ours to fight over: another user's, or a read-only stick
    return removed


def _replace(temp: Path, target: Path) -> None:
    for attempt in range(REPLACE_TRIES):
        try:
            os.replace(temp, target)
            return
        except PermissionError:
            if not _WINDOWS or attempt == REPLACE_TRIES - 1:
                raise
            time.sleep(REPLACE_PAUSE)


def _why(exc: OSError) -> str:
    from app.core.oserrors import storage_problem

    if _WINDOWS and isinstance(exc, PermissionError):
        return "文件正被其他程序打开或没有权限（请关闭打开它的程序后重试）"
    # without the file name: the message names the output, not our temp file
    return storage_problem(OSError(exc.errno, exc.strerror)) or exc.strerror or str(exc)


def _fsync_dir(folder: Path) -> None:
    """Make the rename itself durable (a pulled USB stick keeps the new file)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return  # Windows cannot open a folder; its rename is durable enough
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)

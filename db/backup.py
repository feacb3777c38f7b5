"""Copies of a live database file through SQLite's online backup API, rotated beside it."""

from __future__ import annotations

import os
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from db import cipher
from db.errors import StorageError


def backup_file(source: Path, dest: Path) -> None:
    """Copy a consistent snapshot of ``source`` to ``dest`` (written beside, then renamed)."""
    dest = Path(dest)
    if dest.resolve() == Path(source).resolve():
        raise StorageError("备份文件不能是数据库本身")
    if not dest.parent.is_dir():
        raise StorageError(f"目录不存在：{dest.parent}")
    partial = dest.with_name(dest.name + ".partial")
    try:
        src = cipher.connect(source, read_only=True)
        try:
            # An encrypted database is backed up encrypted, with its own key.
            key = cipher.key_for(source) if cipher.encrypted(source) else None
            out = cipher.connect(partial, key=key) if key else sqlite3.connect(partial)
            try:
                src.backup(out)
                out.execute("PRAGMA journal_mode=DELETE")  # a self-contained single file
            finally:
                out.close()
        finally:
            src.close()
        os.replace(partial, dest)
    except (*cipher.ERRORS, OSError) as exc:
        partial.unlink(missing_ok=True)
        raise StorageError(f"备份失败：{exc}") from exc


# --- rotating backups beside the database -------------------------------------------------

KEEP_BACKUPS = 14


def backups_dir(db_path: Path) -> Path:
    return Path(db_path).parent / f"{Path(db_path).stem}-backups"


def list_backups(db_path: Path) -> list[Path]:
    """Backups of ``db_path``, newest first (names start with a sortable UTC time)."""
    folder = backups_dir(db_path)
    return sorted(folder.glob("*.sqlite3"), reverse=True) if folder.is_dir() else []


def make_backup(db_path: Path, *, reason: str, keep: int = KEEP_BACKUPS, now: datetime | None = None) -> Path:
    """Back up ``db_path`` into its backups folder and keep only the newest ``keep``."""
    now = now or datetime.now(UTC)
    folder = backups_dir(db_path)
    folder.mkdir(parents=True, exist_ok=True)
    dest = folder / f"{now:%Y%m%d-%H%M%S-%f}-{reason}.sqlite3"
    backup_file(db_path, dest)
    for old in list_backups(db_path)[keep:]:
        old.unlink(missing_ok=True)
    return dest


def backup_once_a_day(db_path: Path, *, keep: int = KEEP_BACKUPS, now: datetime | None = None) -> Path | None:
    """The first start of each (UTC) day makes a backup; later starts that day do not."""
    now = now or datetime.now(UTC)
    if any(p.name.startswith(f"{now:%Y%m%d}-") for p in list_backups(db_path)):
        return None
    return make_backup(db_path, reason="daily", keep=keep, now=now)


def restore_backup(source: Path, db_path: Path, *, problems: list[str]) -> Path | None:
    """Replace ``db_path`` by a copy of ``source``; no connection may be open on ``db_path``.

    ``problems`` is what a check found in ``source`` (refused unless empty). The current
    file, damaged or not, is moved unchanged (with its WAL) into the backups folder, never
    overwritten. Returns where it went.
    """
    source, db_path = Path(source), Path(db_path)
    if problems:
        raise StorageError(f"备份文件不能用来恢复：{problems[0]}")
    staged = db_path.with_name(db_path.name + ".restoring")
    backup_file(source, staged)
    aside = None
    if db_path.exists():
        folder = backups_dir(db_path)
        folder.mkdir(parents=True, exist_ok=True)
        aside = folder / f"{datetime.now(UTC):%Y%m%d-%H%M%S-%f}-before-restore.sqlite3"
        for suffix in ("-wal", "-shm"):  # they belong to the old file: keep them with it
            if Path(f"{db_path}{suffix}").exists():
                os.replace(f"{db_path}{suffix}", f"{aside}{suffix}")
        os.replace(db_path, aside)
    os.replace(staged, db_path)
    return aside

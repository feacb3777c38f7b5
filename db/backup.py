"""Copies of a live database file through SQLite's online backup API, rotated beside it."""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
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
# Named "<UTC time>-<kind>.sqlite3": sorting by name is sorting by time. Each kind is rotated
# on its own count, so a run of imports never pushes out the daily copies.

KEEP = {
    "daily": 14,  # the first start of each day
    "before-import": 5,  # right before a merge that will run
    "before-upgrade": 3,  # before a schema migration
    "before-encryption": 3,  # before a plain database is converted
    "manual": 5,
}
KEEP_OTHER = 5  # a kind not listed (a newer program's, say)
KEEP_BACKUPS = KEEP["daily"]
# "before-restore" files (what a restore replaced, perhaps damaged) are never rotated away.
KIND_LABELS = {
    "daily": "每日备份", "before-import": "导入前", "before-upgrade": "升级前", "before-encryption": "加密前",
    "before-restore": "恢复前的原数据库", "manual": "手动备份", "": "其他",
}
_TIME = "%Y%m%d-%H%M%S-%f"


@dataclass(frozen=True)
class Backup:
    path: Path
    at: datetime  # UTC
    kind: str

    @property
    def label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)


def backups_dir(db_path: Path) -> Path:
    return Path(db_path).parent / f"{Path(db_path).stem}-backups"


def describe_backups(db_path: Path) -> list[Backup]:
    """Every backup of ``db_path`` with its time and kind, newest first. A file put there by
    hand counts too (kind "", its modification time): it is offered and encrypted like the rest."""
    folder = backups_dir(db_path)
    found = []
    for path in folder.glob("*.sqlite3") if folder.is_dir() else ():
        try:
            at = datetime.strptime(path.name[:22], _TIME).replace(tzinfo=UTC)
            kind = path.name[23:-len(".sqlite3")] if path.name[22:23] == "-" else ""
        except ValueError:
            at, kind = datetime.fromtimestamp(path.stat().st_mtime, UTC), ""
        found.append(Backup(path, at, kind))
    return sorted(found, key=lambda b: (b.at, b.path.name), reverse=True)


def list_backups(db_path: Path, *, kind: str | None = None) -> list[Path]:
    """Backups of ``db_path`` (of one ``kind``, or all), newest first."""
    return [b.path for b in describe_backups(db_path) if kind is None or b.kind == kind]


def make_backup(db_path: Path, *, reason: str, keep: int | None = None, now: datetime | None = None) -> Path:
    """Back up ``db_path`` into its backups folder as a ``reason`` kind of backup, then keep only
    the newest ``keep`` of that kind (by default its count in KEEP)."""
    now = now or datetime.now(UTC)
    folder = backups_dir(db_path)
    folder.mkdir(parents=True, exist_ok=True)
    dest = folder / f"{now:{_TIME}}-{reason}.sqlite3"
    backup_file(db_path, dest)
    for old in list_backups(db_path, kind=reason)[keep if keep is not None else KEEP.get(reason, KEEP_OTHER):]:
        old.unlink(missing_ok=True)
    return dest


def backup_once_a_day(db_path: Path, *, keep: int | None = None, now: datetime | None = None) -> Path | None:
    """The first start of each (UTC) day makes a daily backup; later starts that day do not."""
    now = now or datetime.now(UTC)
    if any(b.kind == "daily" and b.at.date() == now.date() for b in describe_backups(db_path)):
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
        aside = folder / f"{datetime.now(UTC):{_TIME}}-before-restore.sqlite3"
        for suffix in ("-wal", "-shm"):  # they belong to the old file: keep them with it
            if Path(f"{db_path}{suffix}").exists():
                os.replace(f"{db_path}{suffix}", f"{aside}{suffix}")
        os.replace(db_path, aside)
    os.replace(staged, db_path)
    return aside

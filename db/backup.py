"""Copies of a live database file through SQLite's online backup API."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from db.errors import StorageError


def read_only_uri(path: Path) -> str:
    """An SQLite URI opening ``path`` read-only (percent-encoded: paths may hold ? # %)."""
    return Path(path).resolve().as_uri() + "?mode=ro"


def backup_file(source: Path, dest: Path) -> None:
    """Copy a consistent snapshot of ``source`` to ``dest`` (written beside, then renamed)."""
    dest = Path(dest)
    if dest.resolve() == Path(source).resolve():
        raise StorageError("备份文件不能是数据库本身")
    if not dest.parent.is_dir():
        raise StorageError(f"目录不存在：{dest.parent}")
    partial = dest.with_name(dest.name + ".partial")
    try:
        src = sqlite3.connect(read_only_uri(source), uri=True)
        try:
            out = sqlite3.connect(partial)
            try:
                src.backup(out)
                out.execute("PRAGMA journal_mode=DELETE")  # a self-contained single file
            finally:
                out.close()
        finally:
            src.close()
        os.replace(partial, dest)
    except (sqlite3.Error, OSError) as exc:
        partial.unlink(missing_ok=True)
        raise StorageError(f"备份失败：{exc}") from exc

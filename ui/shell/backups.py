"""Choosing a backup to restore from: every kind, newest first, each with its kind and size."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QInputDialog, QWidget


def backup_choices(db_path: Path) -> list[tuple[str, Path]]:
    """(what the list shows, the file) for each backup of ``db_path``, newest first."""
    from db.backup import describe_backups

    return [(f"{b.at.astimezone():%Y-%m-%d %H:%M:%S}  {b.label}  ({b.path.stat().st_size // 1024} KB)", b.path)
            for b in describe_backups(db_path)]


def choose_backup(parent: QWidget, db_path: Path) -> Path | None:
    """Ask which backup to restore (or another file); None when the officer cancels."""
    from db.backup import backups_dir

    choices = backup_choices(db_path)
    other = parent.tr("其他文件…")
    text, ok = QInputDialog.getItem(parent, parent.tr("从备份恢复"), parent.tr("选择要恢复的备份（最新的在最前）："),
                                    [label for label, _path in choices] + [other], 0, False)
    if not ok:
        return None
    if text != other:
        return dict(choices)[text]
    chosen, _ = QFileDialog.getOpenFileName(parent, parent.tr("选择要恢复的备份"), str(backups_dir(db_path)),
                                            parent.tr("数据库 (*.sqlite3)"))
    return Path(chosen) if chosen else None

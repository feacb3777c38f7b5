"""Storage errors an officer can act on (the CLI prints them as one line, the GUI as a dialog)."""

from __future__ import annotations


class StorageError(Exception):
    """The database cannot be used as asked; the message says why in plain words."""


class DamagedDatabase(StorageError):
    """SQLite's own check found damage: the program offers the newest good backup."""

    def __init__(self, path, problems: list[str]) -> None:
        super().__init__(f"数据库已损坏：{path}（{problems[0]}）")
        self.path = path
        self.problems = problems


class DatabaseInUse(StorageError):
    """Another program (a second window, or a ``cpdesk`` command) has the file open (db/lock.py)."""

    def __init__(self, path) -> None:
        super().__init__(f"数据库正被另一个程序使用（另一个警务工作台窗口或 cpdesk 命令正打开 {path}）：请先关闭它再试")
        self.path = path

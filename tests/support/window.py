"""The program's settings in a test's own INI file."""

from __future__ import annotations

from PySide6.QtCore import QSettings

from ui.shell.settings import Settings


def make_settings(tmp_path) -> Settings:
    return Settings(QSettings(str(tmp_path / "cpdesk.ini"), QSettings.Format.IniFormat))

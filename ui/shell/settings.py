"""User settings: one registry of typed options over QSettings (INI), and window geometry."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QByteArray, QLocale, QSettings, QStandardPaths

from app.today import SOON_DAYS


@dataclass(frozen=True)
class Option:
    key: str
    default: Any
    kind: type


OPTIONS = {
    option.key: option
    for option in (
        Option("window/geometry", QByteArray(), QByteArray),
        Option("window/state", QByteArray(), QByteArray),
        Option("window/tab", 0, int),
        Option("ui/language", "zh_CN", str),  # the program's language, not the machine's (ui/shell/app.py)
        Option("login/username", "", str),  # the last officer who logged in on this laptop
        Option("security/lock_minutes", 10, int),  # idle time before the window locks (ui/shell/idle.py)
        Option("worklist/soon_days", SOON_DAYS, int),  # the 工作台 lists what falls due this many days ahead
        # How long a hire check keeps the applicant's ID number (app.enterprises.hire_checks.KEEP_DAYS): its
        # keep-until day is set from this when it is recorded; past it, the start-up purge masks the number.
        Option("enterprises/hire_check_keep_days", 365, int),
    )
}


class Settings:
    def __init__(self, qsettings: QSettings | None = None) -> None:
        if qsettings is None:
            folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.GenericConfigLocation)
            qsettings = QSettings(f"{folder}/cpdesk/cpdesk.ini", QSettings.Format.IniFormat)
        self._q = qsettings

    def get(self, key: str) -> Any:
        option = OPTIONS[key]
        value = self._q.value(key, option.default)
        if option.kind is int:
            try:
                return int(value)
            except (TypeError, ValueError):
                return option.default
        return value if isinstance(value, option.kind) else option.default

    def set(self, key: str, value: Any) -> None:
        OPTIONS[key]  # unknown keys are a programming error: fail loudly
        self._q.setValue(key, value)

    def sync(self) -> None:
        self._q.sync()


def program_locale(settings: Settings) -> QLocale:
    """The locale of the chosen UI language (dates, calendars, Qt's own dialogs); Simplified
    Chinese unless another language was chosen and Qt knows it."""
    chosen = QLocale(str(settings.get("ui/language")))
    if chosen.language() == QLocale.Language.C:
        return QLocale(QLocale.Language.Chinese, QLocale.Country.China)
    return chosen


class PreserveGeometry:
    """Mixin for a QMainWindow: restore size, position and dock/toolbar state; save on close."""

    def restore_geometry(self, settings: Settings) -> None:
        geometry = settings.get("window/geometry")
        if not geometry.isEmpty():
            self.restoreGeometry(geometry)
        state = settings.get("window/state")
        if not state.isEmpty():
            self.restoreState(state)

    def save_geometry(self, settings: Settings) -> None:
        settings.set("window/geometry", self.saveGeometry())
        settings.set("window/state", self.saveState())
        settings.sync()

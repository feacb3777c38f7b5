"""The program's settings in a test's own INI file."""

from __future__ import annotations

from PySide6.QtCore import QSettings

from ui.shell.settings import Settings


def make_settings(tmp_path) -> Settings:
    return Settings(QSettings(str(tmp_path / "cpdesk.ini"), QSettings.Format.IniFormat))


def make_context(db, *, officer_id: str | None = None, today=None, settings: Settings | None = None, day=None):
    """What the main window hands a tab at attach (ui/shell/context.py), for a tab tested alone:
    ``officer_id`` (an Officer row) as the officer logged in, ``today`` a date or a callable."""
    from datetime import date

    from app.accounts.account import Account
    from db.models import Officer
    from ui.shell.context import Context

    officer = None
    if officer_id is not None:
        with db.session() as s:
            row = s.get(Officer, officer_id)
            officer = Account(id=row.id, username=row.username, name=row.name, role=row.role, active=row.active,
                              enrolled=True)
    clock = today if callable(today) else (lambda: today) if today is not None else date.today
    return Context(db, officer=officer, today=clock, settings=settings, day=day)

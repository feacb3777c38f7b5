"""What every tab is handed when the database is open: ``tab.attach(context)``.

One way for the database, the officer at work, the day and the settings to reach a tab (Vorta's
``profile_provider``), instead of constructor arguments here and setters there."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from app.accounts.account import Account
    from db.engine import Database
    from ui.shell.day import DayWatcher
    from ui.shell.settings import Settings


@dataclass(frozen=True)
class Context:
    """``db``; ``officer``, the account logged in (None in tools and tests: nobody stamps);
    ``today()``, the day the tabs work on; ``settings``; ``day``, the window's one day watcher
    (``day.day_turned(date)``; None for a tab tested alone)."""

    db: Database
    officer: Account | None = None
    today: Callable[[], date] = date.today
    settings: Settings | None = None
    day: DayWatcher | None = None

    @property
    def officer_id(self) -> str | None:
        """The author of every change and the default officer in forms."""
        return self.officer.id if self.officer is not None else None

    def setting(self, key: str) -> Any:
        """A user setting (ui/shell/settings.py), or its default without settings."""
        from ui.shell.settings import OPTIONS

        return self.settings.get(key) if self.settings is not None else OPTIONS[key].default

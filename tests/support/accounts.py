"""Shared by the account UI tests (login, idle lock, 账户管理): Argon2 at test cost, a clock
tests move, a window and an encrypted station on disk."""

from __future__ import annotations

from PySide6.QtCore import QSettings

ADMIN_PASSWORD, OFFICER_PASSWORD = "admin123", "wang1234"


class Clock:
    """Seconds that move only when a test says so."""

    def __init__(self, t: float = 1_000_000.0) -> None:
        self.t = t

    def __call__(self) -> float:
        return self.t

    def advance(self, seconds: float) -> None:
        self.t += seconds


def make_window(qtbot, tmp_path, **kwargs):
    from ui.shell.main_window import MainWindow
    from ui.shell.settings import Settings

    window = MainWindow(Settings(QSettings(str(tmp_path / "cpdesk.ini"), QSettings.Format.IniFormat)), **kwargs)
    qtbot.addWidget(window)
    window.show()
    return window


def make_station(path, *, officer: bool = True):
    """An encrypted station: admin 张所长 (admin / admin123), officer 王警官 (wang / wang1234)
    and one household. Returns the admin's login (its database is open)."""
    from app.accounts.first_start import create_station
    from app.accounts.manage import create_account
    from db.models import Community, Household, Resident

    login = create_station(path, username="admin", name="张所长", password=ADMIN_PASSWORD)
    if officer:
        create_account(login.db, username="wang", name="王警官", role="officer", password=OFFICER_PASSWORD)
    with login.db.session() as s:
        community = Community(name="阳光社区")
        s.add(community)
        s.flush()
        household = Household(community_id=community.id, estate="阳光花园", building="2", unit="1", room="101",
                              head_name="张伟")
        s.add(household)
        s.flush()
        s.add(Resident(household_id=household.id, name="张伟", relation="户主", id_number="330102200001010018"))
        s.commit()
    return login


def close_all(window) -> None:
    """Close the window's database after a test: its workers' results, and what they start in turn
    (the first agenda, then the reminders and the warm-up), delivered while it is still open; left
    queued, they would run in the next test's event loop, on a closed database."""
    from PySide6.QtWidgets import QApplication

    from ui.widgets.ops import wait_for_workers

    for _ in range(3):
        wait_for_workers()
        QApplication.processEvents()
    wait_for_workers()
    if window.db is not None:
        window.db.close()

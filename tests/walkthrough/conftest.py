"""The walkthrough's officer: the small demo made by ``cpdesk demo`` as ``make run`` makes it, and
the real login into the real MainWindow at 1366x768."""

from __future__ import annotations

import os
import shutil
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from tests.support.accounts import close_all
from tests.support.walk import DEMO_PASSWORD, type_text


@pytest.fixture(scope="session")
def small_demo(tmp_path_factory) -> Path:
    """The ``small`` demo station (seed 1), made once by ``cpdesk demo`` as ``make run`` makes it."""
    from app.cli.main import main

    folder = tmp_path_factory.mktemp("small-demo")
    saved = {key: os.environ.get(key) for key in ("CPDESK_PASSWORD", "XDG_DATA_HOME", "XDG_CONFIG_HOME")}
    os.environ.update(CPDESK_PASSWORD=DEMO_PASSWORD, XDG_DATA_HOME=str(folder / "data"),
                      XDG_CONFIG_HOME=str(folder / "config"))
    try:
        assert main(["--db", str(folder / "cpdesk.sqlite3"), "demo", "--scale", "small", "--seed", "1"]) == 0
    finally:
        for key, value in saved.items():
            os.environ.pop(key, None) if value is None else os.environ.__setitem__(key, value)
    return folder / "cpdesk.sqlite3"


class Day:
    """The date the window works on; the walk moves it instead of waiting for midnight."""

    def __init__(self) -> None:
        self.value = date.today()

    def __call__(self) -> date:
        return self.value


@pytest.fixture
def officer_at_work(qtbot, tmp_path, small_demo):
    """(window, day) after logging in as the demo's admin through the login dialog, at 1366x768."""
    from db import cipher
    from ui.shell.fonts import install_cjk_font
    from ui.shell.login import LoginFlow
    from ui.shell.main_window import MainWindow
    from ui.shell.settings import Settings

    install_cjk_font(QApplication.instance())  # as the program starts (ui/shell/app.py): Chinese, not boxes
    path = tmp_path / "cpdesk.sqlite3"
    shutil.copy(small_demo, path)
    shutil.copy(small_demo.with_name(small_demo.name + ".keys"), path.with_name(path.name + ".keys"))
    day = Day()
    window = MainWindow(Settings(QSettings(str(tmp_path / "cpdesk.ini"), QSettings.Format.IniFormat)), today=day)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    flow = LoginFlow(window, path)
    flow.start()
    qtbot.waitUntil(lambda: flow.dialog is not None and flow.dialog.isVisible(), timeout=10000)
    dialog = flow.dialog
    type_text(dialog.username, "admin")
    type_text(dialog.password, DEMO_PASSWORD)
    with qtbot.waitSignal(flow.logged_in, timeout=20000):
        dialog.ok_button.click()
    qtbot.waitUntil(lambda: window.disputes is not None and window.disputes.model is not None, timeout=10000)
    qtbot.waitUntil(lambda: window.today.cards["high_risk"].number.text() != "—", timeout=10000)  # counted
    yield window, day
    close_all(window)
    cipher._keys.clear()

"""While the login dialog waits for the password, the modules of the tab on screen (and then the
others') are imported, one per turn of the event loop, each module's own imports before it; once
the window is usable, the tabs not built yet compile their first queries on a worker."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date

import pytest

from app.areas import AREAS
from tests.support.accounts import ADMIN_PASSWORD, make_station, make_window
from tests.support.window import make_settings
from ui.shell.login import LoginDialog, LoginFlow
from ui.shell.main_window import MainWindow
from ui.shell.warm import top_imports

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def test_top_imports_are_the_programs_modules_a_module_imports_at_its_top():
    found = top_imports("ui.today.tab")
    assert "ui.widgets.base_tab" in found and "app.today" in found
    assert "app.disputes.queries" not in found  # imported inside a function: left lazy
    assert not [name for name in found if name.split(".")[0] not in ("app", "db", "ui")]  # PySide6 is not ours


def test_a_fresh_program_warms_the_tab_on_screen_first_its_imports_before_it_one_per_turn():
    """In a fresh interpreter (where nothing is imported yet): the order, one module per turn of the event
    loop (how long a turn takes is for tests/bench/test_login.py)."""
    script = """
import json
from PySide6.QtWidgets import QApplication, QWidget
qt = QApplication([])
import app.accounts.first_start  # noqa: F401  what the login's first worker has imported by then (SQLAlchemy)
from ui.shell.warm import Warmer
owner = QWidget()
warmer = Warmer(["ui.today.tab", "app.disputes.queries"], owner)
most, turns = 0, 0
warmer.start()
while not warmer.done and turns < 100000:
    before = len(warmer.imported)
    qt.processEvents()
    most = max(most, len(warmer.imported) - before)
    turns += 1
print(json.dumps({"imported": warmer.imported, "most_in_a_turn": most, "done": warmer.done}))
"""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    result = json.loads(out.stdout.strip().splitlines()[-1])
    imported = result["imported"]
    assert result["done"]
    assert imported.index("ui.widgets.base_tab") < imported.index("ui.today.tab")
    assert imported.index("ui.today.tab") < imported.index("app.disputes.queries")
    assert len(imported) > 10  # module by module, not the tab's whole tree in one piece
    assert result["most_in_a_turn"] == 1  # between two modules the officer's keys are answered


@pytest.mark.usefixtures("cheap_kdf")
def test_the_login_dialog_warms_the_modules_of_the_tab_on_screen_while_it_waits(qtbot, tmp_path):
    path = tmp_path / "station.sqlite3"
    make_station(path).db.close()
    window = make_window(qtbot, tmp_path)
    flow = LoginFlow(window, path)
    flow.start()
    qtbot.waitUntil(lambda: isinstance(flow.dialog, LoginDialog) and flow.dialog.isVisible(), timeout=10000)
    assert flow._warmer is not None
    qtbot.waitUntil(lambda: flow._warmer.done, timeout=30000)
    tab_module = AREAS[window.tabs.currentIndex()].tab.split(":")[0]
    assert tab_module in sys.modules
    flow.dialog.username.setText("admin")
    flow.dialog.password.setText(ADMIN_PASSWORD)
    with qtbot.waitSignal(window.database_ready, timeout=10000):
        flow.dialog.ok_button.click()
    window.db.close()


def test_once_usable_the_tabs_not_built_warm_their_first_queries_on_a_worker(qtbot, tmp_path, db, monkeypatch):
    from ui.disputes.tab import DisputesTab

    warmed = []
    monkeypatch.setattr(DisputesTab, "warm_up", staticmethod(lambda db_, today: warmed.append((db_, today))))
    window = MainWindow(make_settings(tmp_path), today=lambda: date(2026, 11, 23))
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.database_ready, timeout=10000):
        window.attach_database(db)
    qtbot.waitUntil(lambda: bool(warmed), timeout=10000)
    assert warmed == [(db, date(2026, 11, 23))]
    assert not window.areas.is_built("disputes")  # warmed, not built


def test_the_dispute_tabs_warm_up_is_plain_service_calls_that_an_empty_station_survives(db):
    from ui.disputes.tab import DisputesTab

    assert DisputesTab.warm_up(db, date(2026, 11, 23)) is None  # on a worker: no widget, nothing returned


def test_the_warmer_imports_nothing_while_a_worker_runs_so_two_threads_never_import_one_package(qtbot):
    """The login's key derivation imports on a worker; a module half made by one thread is what the
    other would see (seen: "cannot import name ... from partially initialized module")."""
    import threading

    from PySide6.QtWidgets import QWidget

    from ui.shell.warm import Warmer
    from ui.widgets.ops import Op

    owner = QWidget()
    qtbot.addWidget(owner)
    release = threading.Event()
    Op(owner, lambda: release.wait(10)).run()
    warmer = Warmer(["tests.support.warm_target"], owner)
    warmer.start()
    qtbot.wait(200)
    assert warmer.imported == [] and "tests.support.warm_target" not in sys.modules
    release.set()
    qtbot.waitUntil(lambda: warmer.imported == ["tests.support.warm_target"], timeout=10000)

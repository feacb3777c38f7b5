"""One first login of a fresh process, as the program does it (tests/bench/test_login.py runs it):
the window painted, then the password checked, the database opened and handed to the window
(``attach_login``, its background check included), until the tab on screen lists its first page
and is painted. Prints one JSON line of seconds; ``window_ui_cpu`` is the UI thread's own CPU time
from the database open to the usable window (what a loaded machine does not inflate).

Usage: python cold_login.py DB PASSWORD TAB_INDEX SETTINGS_INI"""

import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, os.getcwd())  # the program under test: the working directory

from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402


def main(db: str, password: str, tab: int, ini: str) -> None:
    app = QApplication(sys.argv[:1])
    from ui.shell.fonts import install_cjk_font
    from ui.shell.main_window import MainWindow
    from ui.shell.settings import Settings

    install_cjk_font(app)
    settings = QSettings(ini, QSettings.Format.IniFormat)
    settings.setValue("window/tab", tab)
    settings.sync()
    window = MainWindow(Settings(QSettings(ini, QSettings.Format.IniFormat)))
    window.resize(1366, 768)
    window.show()
    app.processEvents()  # painted, as before the login dialog

    from app.accounts.keyring import Keyring
    from app.accounts.login import log_in

    unwrap, marks = Keyring.unwrap, {}

    def timed_unwrap(self, *args):
        key = unwrap(self, *args)
        marks["key"] = time.perf_counter()
        return key

    Keyring.unwrap = timed_unwrap
    ready = []
    window.database_ready.connect(lambda: ready.append(time.perf_counter()))
    start = time.perf_counter()
    login = log_in(Path(db), "admin", password)
    opened, cpu = time.perf_counter(), time.thread_time()
    window.attach_login(login)
    while not ready:
        app.processEvents()
        time.sleep(0.001)
    window.repaint()  # what the officer sees
    usable, cpu = time.perf_counter(), time.thread_time() - cpu
    print(json.dumps({"derive": marks["key"] - start, "open": opened - marks["key"], "window": usable - opened,
                      "usable": usable - marks["key"], "window_ui_cpu": cpu, "tab": window.tabs.tabText(tab)}),
          flush=True)
    from ui.widgets.ops import wait_for_workers

    wait_for_workers()
    login.db.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4])

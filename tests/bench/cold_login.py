"""One first login of a fresh process, as the officer does it (tests/bench/test_login.py runs it):
the window painted, the login dialog shown (ui/shell/login.py ``LoginFlow``), the user name and
password typed key by key as he types them (~2 s), then 登录 pressed. From that press: the key
derived on a worker (Argon2id), the database opened and handed to the window (``attach_login``,
its background check included), until the tab on screen lists its first page and is painted.

Prints one JSON line of seconds. ``window_ui_cpu`` is the UI thread's own CPU time from the
database handed over to the usable window (what a loaded machine does not inflate); ``warm_ui_cpu``
the UI thread's CPU while the dialog waited (what the program did meanwhile, ui/shell/warm.py) and
``longest_step`` the longest the UI thread was busy at once then (how late a key press could be
answered). ``through_dialog`` is shared with tests/bench/tab_lists.py.

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

USERNAME = "admin"
KEY_GAP_S = 0.15  # between an officer's key presses (~400 keys a minute: a quick typist)


def spin(app: QApplication, seconds: float, longest: list[float]) -> None:
    """Let the event loop run for ``seconds``, noting in ``longest[0]`` the UI thread's CPU of its
    longest single pass (CPU: a loaded machine's pre-emptions are not the program's)."""
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        cpu = time.thread_time()
        app.processEvents()
        longest[0] = max(longest[0], time.thread_time() - cpu)
        time.sleep(0.001)


def through_dialog(app: QApplication, window, db: Path, password: str) -> dict:
    """Log in as the program does: ``LoginFlow`` shows its dialog, the name and password are typed
    key by key, then 登录 is pressed. Returns the marks (perf_counter seconds) ``submit``, ``key``
    (unwrapped), ``opened`` (handed to the window) and ``ready`` (the tab on screen listed, painted);
    UI thread CPU seconds ``attach_ui_cpu`` (the synchronous hand-over: the tab on screen built),
    ``window_ui_cpu`` (hand-over to ready), ``warm_ui_cpu`` and ``longest_step`` (while the dialog
    waited); and the window's ``login``."""
    from PySide6.QtCore import QEventLoop
    from PySide6.QtTest import QTest

    from app.accounts.keyring import Keyring
    from ui.shell.login import LoginDialog, LoginFlow

    marks: dict = {}
    unwrap = Keyring.unwrap

    def timed_unwrap(self, *args):
        key = unwrap(self, *args)
        marks["key"] = time.perf_counter()
        return key

    Keyring.unwrap = timed_unwrap
    attach = window.attach_login

    def timed_attach(login) -> None:
        marks["opened"], marks["cpu"], marks["login"] = time.perf_counter(), time.thread_time(), login
        attach(login)
        marks["attach_ui_cpu"], marks["attached"] = time.thread_time() - marks["cpu"], time.perf_counter()

    window.attach_login = timed_attach
    flow = LoginFlow(window, db)
    flow.start()
    while not isinstance(flow.dialog, LoginDialog) or not flow.dialog.isVisible():
        app.processEvents()
        time.sleep(0.001)
    dialog, longest, cpu = flow.dialog, [0.0], time.thread_time()
    for edit, text in ((dialog.username, USERNAME), (dialog.password, password)):
        edit.setFocus()
        for char in text:
            spin(app, KEY_GAP_S, longest)
            QTest.keyClick(edit, char)
    spin(app, KEY_GAP_S, longest)
    marks["warm_ui_cpu"], marks["longest_step"] = time.thread_time() - cpu, longest[0]
    ready = QEventLoop()
    window.database_ready.connect(ready.quit)
    marks["submit"] = time.perf_counter()
    dialog.save_button.click()
    ready.exec()
    window.repaint()  # what the officer sees
    marks["ready"] = time.perf_counter()
    marks["window_ui_cpu"] = time.thread_time() - marks.pop("cpu")
    return marks


def main(db: str, password: str, tab: int, ini: str) -> None:
    app = QApplication(sys.argv[:1])
    from ui.shell.fonts import install_cjk_font
    from ui.shell.main_thread_gc import MainThreadGC
    from ui.shell.main_window import MainWindow
    from ui.shell.settings import Settings

    collector = MainThreadGC(app)  # as the program does (ui/shell/app.py): garbage collected from a timer
    install_cjk_font(app)
    settings = QSettings(ini, QSettings.Format.IniFormat)
    settings.setValue("window/tab", tab)
    settings.sync()
    window = MainWindow(Settings(QSettings(ini, QSettings.Format.IniFormat)))
    collector.hold_until(window.database_ready)  # as the program does
    window.resize(1366, 768)
    window.show()
    app.processEvents()  # painted, as before the login dialog

    m = through_dialog(app, window, Path(db), password)
    print(json.dumps({"derive": m["key"] - m["submit"], "open": m["opened"] - m["key"],
                      "window": m["ready"] - m["opened"], "usable": m["ready"] - m["key"],
                      "submit_to_usable": m["ready"] - m["submit"], "window_ui_cpu": m["window_ui_cpu"],
                      "attach_ui_cpu": m["attach_ui_cpu"], "warm_ui_cpu": m["warm_ui_cpu"],
                      "longest_step": m["longest_step"],
                      "tab": window.tabs.tabText(tab)}), flush=True)
    from ui.widgets.ops import wait_for_workers

    wait_for_workers()
    m["login"].db.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4])

"""Every list of every tab, in a fresh process on the `station` database (tests/bench/test_tab_lists.py
runs it): what the officer waits for, through the widgets, in milliseconds, as one JSON line.

``window``: the main window on the 工作台, logged into through the login dialog (typed into, 登录
pressed: tests/bench/cold_login.py ``through_dialog``; the 工作台's figures count from the database
handed to the window, the key derivation before it left out); once it is idle, each tab is shown
for the first time (built, first page listed and painted), reloaded as after a change, then each
of its views and a search are chosen (the list and the first row's detail, painted). ``plain``: the
same pages from the areas' services on the same database, no widget: the first page of each list and
its first row's detail.

Usage: python tab_lists.py DB window|plain PASSWORD (DB: an encrypted station, PASSWORD: its admin's)"""

import json
import os
import sys
import time
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, os.getcwd())

SEARCH = {"households": "王", "disputes": "王", "patrol": "王", "enterprises": "公司"}
FIRST_ROWS = 40  # what the window loads first (ui/widgets/base_tab.py)


CPU: dict[str, float] = {}  # the UI thread's own CPU time of each step (a loaded machine does not inflate it)


class Step:
    """Times one step: wall clock (what the officer waits for) and the UI thread's CPU."""

    def __init__(self, out: dict[str, float], name: str) -> None:
        self.out, self.name = out, name

    def __enter__(self) -> None:
        self.wall, self.cpu = time.perf_counter(), time.thread_time()

    def __exit__(self, *exc) -> None:
        self.out[self.name] = (time.perf_counter() - self.wall) * 1000
        CPU[self.name] = (time.thread_time() - self.cpu) * 1000


def window(db_path: Path, password: str) -> dict[str, float]:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    app = QApplication(sys.argv[:1])
    from app.areas import AREAS
    from tests.bench.cold_login import through_dialog
    from ui.shell.fonts import install_cjk_font
    from ui.shell.main_thread_gc import MainThreadGC
    from ui.shell.main_window import MainWindow
    from ui.shell.settings import Settings
    from ui.widgets.ops import wait_for_workers

    collector = MainThreadGC(app)  # as the program does (ui/shell/app.py)
    install_cjk_font(app)
    ini = str(db_path.with_name(f"tab-lists-{os.getpid()}.ini"))
    win = MainWindow(Settings(QSettings(ini, QSettings.Format.IniFormat)))
    collector.hold_until(win.database_ready)  # as the program does
    win.resize(1366, 768)
    win.show()
    app.processEvents()
    marks = through_dialog(app, win, db_path, password)  # the dialog shown, typed into, 登录 pressed
    out: dict[str, float] = {"工作台 first build (UI thread)": (marks["attached"] - marks["opened"]) * 1000,
                             "工作台 listed": (marks["ready"] - marks["opened"]) * 1000}
    CPU["工作台 first build (UI thread)"] = marks["attach_ui_cpu"] * 1000
    CPU["工作台 listed"] = marks["window_ui_cpu"] * 1000
    db = marks["login"].db
    while getattr(win.areas, "menu", None) and win.areas.menu("enterprises") is None:  # idle after the login
        app.processEvents()
    wait_for_workers()  # the background check and backup after the login too
    app.processEvents()
    today = win.areas.tab("today")
    with Step(out, "工作台 refresh"):
        today.refresh()
        today.repaint()
    for index in range(1, win.tabs.count()):
        key = AREAS[index].key
        name = win.tabs.tabText(index)
        with Step(out, f"{name} first shown"):
            win.tabs.setCurrentIndex(index)
            win.repaint()
        tab = win.areas.tab(key)
        with Step(out, f"{name} reload"):
            tab.refresh()  # what a change announced by another tab or window does
            tab.repaint()
        views = getattr(tab, "view", None)
        for i in range(views.count() if views is not None else 0):
            if i == views.currentIndex():
                continue
            with Step(out, f"{name} {views.itemText(i)}"):
                views.setCurrentIndex(i)
                tab.repaint()
        if views is not None and views.currentIndex() != 0:
            views.setCurrentIndex(0)
        with Step(out, f"{name} search {SEARCH[key]}"):
            tab.search.setText(SEARCH[key])
            tab._apply_search()  # what Enter (or the pause after typing) does
            tab.repaint()
        tab.search.clear()
        tab._apply_search()
    wait_for_workers()
    app.processEvents()
    win.close()
    db.close()
    return out


def plain(db_path: Path, password: str) -> dict[str, float]:
    from app.accounts.login import log_in
    from app.disputes.queries import VIEWS as DISPUTE_VIEWS
    from app.disputes.queries import dispute_detail, search_disputes
    from app.enterprises.queries import VIEWS as ENTERPRISE_VIEWS
    from app.enterprises.queries import enterprise_page, search_enterprise_rows
    from app.households.service import household_detail, search_households
    from app.patrol import details, queries
    from app.today import agenda
    from ui.today.tab import PAGE as AGENDA_PAGE

    db = log_in(db_path, "admin", password).db  # the same encrypted database as the window's, not timed
    today = date.today()
    out = {}

    def timed(name: str, page, detail) -> None:
        with Step(out, name):
            rows = page()
            if rows:
                detail(rows[0].id)

    with Step(out, "工作台 listed"):
        agenda(db, on=today, limit=AGENDA_PAGE)  # the page the 工作台 lists first, not the whole agenda
    timed("入户走访 first shown", lambda: search_households(db, sort="address", limit=FIRST_ROWS),
          lambda i: household_detail(db, i, today=today))
    for code, label in DISPUTE_VIEWS.items():
        timed(f"矛盾纠纷 {label}" if code != "all" else "矛盾纠纷 first shown",
              lambda code=code: search_disputes(db, view=code, today=today, limit=FIRST_ROWS),
              lambda i: dispute_detail(db, i, today=today))
    patrol = {"volunteers": (lambda: queries.search_volunteers(db, today=today, limit=FIRST_ROWS),
                             lambda i: details.volunteer_detail(db, volunteer_id=i, today=today)),
              "teams": (lambda: queries.search_teams(db, limit=FIRST_ROWS),
                        lambda i: details.team_detail(db, team_id=i)),
              "routes": (lambda: queries.search_routes(db, limit=FIRST_ROWS),
                         lambda i: details.route_detail(db, route_id=i))}
    for code, label in queries.VIEWS.items():
        timed(f"义警巡逻 {label}" if code != "volunteers" else "义警巡逻 first shown", *patrol[code])
    for code, label in ENTERPRISE_VIEWS.items():
        timed(f"一企一警 {label}" if code != "all" else "一企一警 first shown",
              lambda code=code: search_enterprise_rows(db, view=code, today=today, limit=FIRST_ROWS),
              lambda i: enterprise_page(db, enterprise_id=i))
    timed("入户走访 search 王", lambda: search_households(db, text="王", sort="address", limit=FIRST_ROWS),
          lambda i: household_detail(db, i, today=today))
    timed("矛盾纠纷 search 王", lambda: search_disputes(db, text="王", today=today, limit=FIRST_ROWS),
          lambda i: dispute_detail(db, i, today=today))
    timed("义警巡逻 search 王", lambda: queries.search_volunteers(db, text="王", today=today, limit=FIRST_ROWS),
          lambda i: details.volunteer_detail(db, volunteer_id=i, today=today))
    timed("一企一警 search 公司", lambda: search_enterprise_rows(db, text="公司", today=today, limit=FIRST_ROWS),
          lambda i: enterprise_page(db, enterprise_id=i))
    db.close()
    return out


if __name__ == "__main__":
    result = (window if sys.argv[2] == "window" else plain)(Path(sys.argv[1]), sys.argv[3])
    print(json.dumps({"wall": result, "cpu": CPU}, ensure_ascii=False), flush=True)

"""Only the tab on screen is built when the database opens; the others when first shown, asked for
(a worklist row opening its record) or when their menu opens. Lists load a screenful first and
size their columns from a sample of rows."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QLabel

from app.areas import AREAS
from tests.support.window import make_context, make_settings
from ui.shell.main_window import MainWindow
from ui.widgets.base_tab import FIRST_ROWS, WIDEST_COLUMN, BaseTab
from ui.widgets.paged_model import Column, PagedTableModel

KEYS = [area.key for area in AREAS if area.tab]


def window_on(qtbot, tmp_path, db, *, tab: int = 0) -> MainWindow:
    settings = QSettings(str(tmp_path / "cpdesk.ini"), QSettings.Format.IniFormat)
    settings.setValue("window/tab", tab)
    settings.sync()
    window = MainWindow(make_settings(tmp_path), today=lambda: date(2026, 11, 23))
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.database_ready, timeout=10000):
        window.attach_database(db)
    return window


def built(window) -> list[str]:
    return [key for key in KEYS if window.areas.is_built(key)]


def test_only_the_visible_tab_is_built_at_login(qtbot, tmp_path, db):
    window = window_on(qtbot, tmp_path, db)
    assert built(window) == ["today"]
    assert window.tabs.currentWidget() is window.areas.tab("today")


def test_the_tab_restored_from_the_last_session_is_the_one_built(qtbot, tmp_path, db, sample_households):
    window = window_on(qtbot, tmp_path, db, tab=KEYS.index("households"))
    assert built(window) == ["households"]
    assert window.households.model.rowCount() == 3


def test_showing_a_tab_for_the_first_time_builds_it_in_its_place(qtbot, tmp_path, db):
    window = window_on(qtbot, tmp_path, db)
    index = KEYS.index("disputes")
    window.tabs.setCurrentIndex(index)
    assert built(window) == ["today", "disputes"]
    tab = window.areas.tab("disputes")
    assert window.tabs.widget(index) is tab and window.tabs.currentIndex() == index
    assert tab.model is not None and tab.context is window.context
    assert window.tabs.tabText(index) == "矛盾纠纷"


def test_a_record_opened_from_the_worklist_builds_its_tab(qtbot, tmp_path, db, sample_households):
    window = window_on(qtbot, tmp_path, db)
    household = sample_households[2]
    assert not window.areas.is_built("households")
    assert window.open_record("household", household)
    tab = window.areas.tab("households")
    assert window.tabs.currentWidget() is tab
    assert tab.current_household_id() == household


def test_closing_asks_only_the_tabs_that_were_built(qtbot, tmp_path, db):
    window = window_on(qtbot, tmp_path, db)
    assert window.can_close_forms()
    assert built(window) == ["today"]  # asking did not build the others


def test_each_area_menu_is_in_the_menu_bar_and_builds_its_tab_when_opened(qtbot, tmp_path, db):
    window = window_on(qtbot, tmp_path, db)
    qtbot.waitUntil(lambda: window.areas.menu("enterprises") is not None, timeout=10000)
    titles = [action.text() for action in window.menuBar().actions()]
    assert titles == ["文件(&F)", "入户走访(&V)", "义警巡逻(&P)", "一企一警(&E)", "账户(&A)", "帮助(&H)"]
    menu = window.areas.menu("households")
    assert menu.isEmpty() and not window.areas.is_built("households")
    menu.aboutToShow.emit()  # what opening it does
    tab = window.areas.tab("households")
    assert [a.text() for a in menu.actions()] == [a.text() for a in tab.menu_actions()]
    assert window.tabs.currentWidget() is window.areas.tab("today")  # opening a menu does not switch tabs


def test_a_database_closed_before_the_menus_come_leaves_no_menu(qtbot, tmp_path, db):
    window = MainWindow(make_settings(tmp_path))
    qtbot.addWidget(window)
    window.attach_database(db)
    window.areas.detach()
    qtbot.wait(50)
    assert [action.text() for action in window.menuBar().actions()] == ["文件(&F)", "账户(&A)", "帮助(&H)"]


def test_the_window_is_ready_once_the_worklist_from_its_worker_is_in(qtbot, tmp_path, db):
    window = MainWindow(make_settings(tmp_path))
    qtbot.addWidget(window)
    seen = []
    window.database_ready.connect(lambda: seen.append(window.areas.tab("today").listed))
    with qtbot.waitSignal(window.database_ready, timeout=10000):
        window.attach_database(db)
    assert seen == [True]


def test_a_refresh_before_the_first_worklist_arrives_is_not_overwritten_by_it(qtbot, tmp_path, db, monkeypatch):
    """The first agenda comes from a worker; a save announced meanwhile refreshes on the UI thread,
    and the older answer arriving after it is dropped."""
    import app.today
    from app.today import AgendaItem

    calls = []

    def agenda(db, *, on, soon_days, excluding=(), since=None, limit=None):
        where = "界面" if threading.current_thread() is threading.main_thread() else "后台"
        calls.append(where)
        return [AgendaItem("回访", where, on, "r1", "revisit")]

    monkeypatch.setattr(app.today, "agenda", agenda)
    window = MainWindow(make_settings(tmp_path), today=lambda: date(2026, 11, 23))
    qtbot.addWidget(window)
    window.attach_database(db)
    today = window.areas.tab("today")
    today.refresh()  # before the worker's answer is delivered
    assert today.model.item(0).what == "界面"
    from ui.widgets.ops import wait_for_workers

    wait_for_workers()
    qtbot.wait(50)
    assert sorted(calls) == ["后台", "界面"] and today.model.item(0).what == "界面"


# --- a list's first page ------------------------------------------------------------------------
@dataclass
class Row:
    id: str
    name: str
    note: str
    kind: str = "甲"


ROWS = [Row(str(i), f"住户{i}", "备注") for i in range(250)]
ROWS[1].note = "很长的备注" * 40  # in the sample: its column is capped
ROWS[35].name = "一个名字很长很长很长的住户"  # past the sample: its column is not widened for it


class NamesTab(BaseTab):
    def __init__(self, parent=None) -> None:
        super().__init__(search_hint="", parent=parent)
        self.asked: list[int] = []

    def make_model(self, db) -> PagedTableModel:
        def fetch(*, text, sort, descending, offset, limit):
            self.asked.append(limit)
            return ROWS[offset:offset + limit]

        columns = [Column("名称", "name", sort_key="name"), Column("备注", "note"), Column("类别", "kind")]
        return PagedTableModel(columns, fetch, page_size=100, parent=self)

    def make_detail(self) -> QLabel:
        return QLabel(self)

    def show_detail(self, record_id: str | None) -> None:
        self.detail.setText(record_id or "")


def test_a_list_loads_a_screenful_first_and_the_rest_as_it_scrolls(qtbot, db):
    tab = NamesTab()
    qtbot.addWidget(tab)
    tab.attach(make_context(db))
    assert tab.model.rowCount() == FIRST_ROWS and tab.count_label.text() == f"{FIRST_ROWS}+ 条"
    assert tab.detail.text() == "0"
    tab.model.fetchMore()
    assert tab.model.rowCount() == FIRST_ROWS + 100 and tab.asked == [FIRST_ROWS, 100]


def test_columns_are_sized_from_a_sample_of_rows_and_capped(qtbot, db):
    tab = NamesTab()
    qtbot.addWidget(tab)
    tab.attach(make_context(db))
    metrics = tab.table.fontMetrics()
    name_width = tab.table.columnWidth(0)
    assert name_width >= metrics.horizontalAdvance("住户29")  # fits the sample
    assert name_width < metrics.horizontalAdvance(ROWS[35].name)  # a row past it does not widen the column
    assert tab.table.columnWidth(1) == WIDEST_COLUMN

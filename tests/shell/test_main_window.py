"""The main window opens with its tabs, lists households, filters as you type, keeps its geometry."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QWidget

from app.areas import AREAS
from tests.support.window import make_settings
from ui.shell.main_window import MainWindow
from ui.widgets.base_tab import AreaTab

TAB_TITLES = ["工作台", "入户走访", "矛盾纠纷", "义警巡逻", "一企一警"]


def open_window(qtbot, tmp_path, db):
    window = MainWindow(make_settings(tmp_path))
    qtbot.addWidget(window)
    window.show()
    window.attach_database(db)
    return window


def test_window_has_the_five_tabs_in_chinese(qtbot, tmp_path, db):
    window = open_window(qtbot, tmp_path, db)
    assert [window.tabs.tabText(i) for i in range(window.tabs.count())] == TAB_TITLES
    assert window.windowTitle() == "社区警务工作台"
    assert db.device.short_code in window.device_label.text()
    assert str(db.path) in window.db_label.text()


def test_household_tab_lists_households_and_shows_the_first_in_detail(qtbot, tmp_path, db, sample_households):
    window = open_window(qtbot, tmp_path, db)
    tab = window.households
    assert tab.model.rowCount() == 3
    assert tab.detail.title.text() == "金桂苑3栋2单元502室"
    assert tab.detail.residents.topLevelItemCount() == 1
    assert tab.detail.residents.topLevelItem(0).text(4) == "330102********0018"


def test_typing_in_the_search_box_filters_the_list(qtbot, tmp_path, db, sample_households):
    window = open_window(qtbot, tmp_path, db)
    tab = window.households
    tab.search.insert("张伟")  # what an input method commits (QTest types Latin-1 only)
    qtbot.waitUntil(lambda: tab.model.rowCount() == 1, timeout=2000)
    assert tab.detail.title.text() == "阳光花园2栋1单元101室"
    tab.search.clear()
    qtbot.waitUntil(lambda: tab.model.rowCount() == 3, timeout=2000)


def test_a_search_matching_nothing_empties_the_detail(qtbot, tmp_path, db, sample_households):
    window = open_window(qtbot, tmp_path, db)
    tab = window.households
    tab.search.setText("没有这个人")
    qtbot.waitUntil(lambda: tab.model.rowCount() == 0, timeout=2000)
    assert tab.detail.title.text() == "未选择住户" and tab.count_label.text() == "0 条"


def test_clicking_a_header_sorts_in_sql_and_clicking_again_reverses(qtbot, tmp_path, db, sample_households):
    window = open_window(qtbot, tmp_path, db)
    tab = window.households
    tab._sort_by(1)  # 户主
    first = tab.model.data(tab.model.index(0, 1))
    tab._sort_by(1)
    assert tab.model.data(tab.model.index(2, 1)) == first


def test_geometry_and_tab_are_restored_on_the_next_start(qtbot, tmp_path, db):
    window = open_window(qtbot, tmp_path, db)
    window.resize(700, 500)  # the offscreen screen is 800x600
    window.tabs.setCurrentIndex(1)
    window.close()
    again = MainWindow(make_settings(tmp_path))
    qtbot.addWidget(again)
    assert (again.width(), again.height()) == (700, 500)
    assert again.tabs.currentIndex() == 1


def test_each_area_has_its_tab_or_a_placeholder_that_shows_no_data(qtbot, tmp_path, db):
    from PySide6.QtWidgets import QAbstractItemView, QLabel

    window = open_window(qtbot, tmp_path, db)
    for index, area in enumerate(AREAS):
        if area.tab is None:
            page = window.tabs.widget(index)
            assert window.tab(area.key) is None
            assert page.findChildren(QAbstractItemView) == []
            assert "尚在建设中" in page.findChild(QLabel).text()
        else:  # built when asked for, in its place
            assert window.tab(area.key) is window.tabs.widget(index) is not None
    assert window.today is window.tab("today") and window.disputes is window.tab("disputes")


def test_opening_the_database_on_a_worker_attaches_it(qtbot, tmp_path, db_path):
    window = MainWindow(make_settings(tmp_path))
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.database_ready, timeout=10000):
        window.open_database(db_path)
    assert window.households.model is not None
    window.db.close()


def test_a_bad_database_file_is_reported_not_raised(qtbot, tmp_path):
    bad = tmp_path / "bad.sqlite3"
    bad.write_text("not a database")
    window = MainWindow(make_settings(tmp_path))
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.database_failed, timeout=10000) as blocker:
        window.open_database(bad)
    assert "不是数据库文件" in blocker.args[0]


def test_backup_from_the_menu_runs_on_a_worker(qtbot, tmp_path, db, sample_households):
    window = open_window(qtbot, tmp_path, db)
    dest = tmp_path / "copy.sqlite3"
    op = window.backups.backup_to(dest)
    with qtbot.waitSignal(window.statusBar().messageChanged, timeout=10000):
        op.run()
    assert dest.exists() and dest.stat().st_size > 0


def test_an_unexpected_error_is_logged_and_shown_as_one_line(qtbot, tmp_path, monkeypatch):
    from ui.shell import app as ui_app

    shown = []
    monkeypatch.setattr(ui_app.QMessageBox, "warning", lambda _parent, title, text: shown.append((title, text)))
    window = MainWindow(make_settings(tmp_path))
    qtbot.addWidget(window)
    try:
        raise ValueError("坏数据")
    except ValueError as exc:
        ui_app.report_unexpected(window, exc)
    [(title, text)] = shown
    assert title == "程序出错" and "坏数据" in text and "Traceback" not in text
    log = tmp_path / "data" / "cpdesk" / "cpdesk-error.log"
    assert "Traceback" in log.read_text(encoding="utf-8")


def test_sync_actions_are_enabled_with_a_database_and_the_status_shows_the_last_sync(qtbot, tmp_path, db):
    from app.sync.export import export_changes

    window = open_window(qtbot, tmp_path, db)
    assert all(action.isEnabled() for action in window.sync.actions)
    assert window.sync_label.text() == "尚未同步"
    export_changes(db, out=tmp_path / "a.cpsync", passphrase="口令", full=True)
    window.sync.refresh_status()
    assert window.sync_label.text().startswith("上次同步：") and "导出" in window.sync_label.text()
    dialog = window.sync.export()
    assert dialog.isVisible() and window.sync.export() is dialog  # one at a time
    dialog.close()


# --- the tabs come from the registry of areas (app/areas.py) -----------------------------------
class RecordingTab(AreaTab, QWidget):
    """An area's tab as the window sees it: attached to the context, it lists what it was asked."""

    shows = ("volunteer",)
    opened = Signal(str, str)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.refreshed, self.days, self.records = 0, [], []

    def refresh(self) -> None:
        self.refreshed += 1

    def day_turned(self, day) -> None:
        self.days.append(day)

    def open_record(self, table: str, record_id: str) -> None:
        self.records.append((table, record_id))


def test_the_window_builds_its_tabs_from_the_registry(qtbot, tmp_path, db, monkeypatch):
    from datetime import date, timedelta

    from app.areas import Area
    from ui.shell import tabs
    from ui.widgets.ops import changes

    monkeypatch.setattr(tabs, "AREAS", (
        Area("patrol", "义警巡逻", tab="tests.shell.test_main_window:RecordingTab", opens=("shift", "volunteer")),
        Area("enterprises", "一企一警"),
    ))
    day = [date(2026, 11, 23)]
    window = MainWindow(make_settings(tmp_path), today=lambda: day[0])
    qtbot.addWidget(window)
    assert [window.tabs.tabText(i) for i in range(2)] == ["义警巡逻", "一企一警"]
    assert "正在打开数据库" in window.tabs.widget(0).text() and window.tab("patrol") is None
    window.attach_database(db)
    tab = window.tab("patrol")
    assert isinstance(tab, RecordingTab) and window.tabs.widget(0) is tab and tab.parent() is not None
    assert tab.context is window.context and tab.db is db and tab.today() == date(2026, 11, 23)
    assert tab.officer_id is None and tab.context.setting("worklist/soon_days") == 7
    assert "尚在建设中" in window.tabs.widget(1).findChild(QLabel).text()

    # A double-click on a worklist row goes to the area that opens its table.
    window.tabs.setCurrentIndex(1)
    assert window.open_record("shift", "s1") and tab.records == [("shift", "s1")]
    assert window.tabs.currentIndex() == 0
    assert not window.open_record("enterprise", "e1") and "尚未建成" in window.statusBar().currentMessage()

    # It refreshes itself when its tables change and moves on when the day turns.
    changes.announce("volunteer", source=window)
    changes.announce("household", source=window)
    assert tab.refreshed == 1
    day[0] += timedelta(days=1)
    window.day_watcher.check()
    assert tab.days == [date(2026, 11, 24)]


def test_what_one_tab_saves_refreshes_the_others(qtbot, tmp_path, db, sample_households):
    """No hand wiring: the 工作台 hears the households tab's announcement itself."""
    from datetime import date

    window = MainWindow(make_settings(tmp_path), today=lambda: date(2026, 11, 23))  # the visits are of 11-01
    qtbot.addWidget(window)
    window.attach_database(db)
    today = window.today
    qtbot.waitUntil(lambda: today.cards["coverage"].number.text() == "100%", timeout=10000)
    households = window.households
    visit = households.detail.detail.visits[0]
    with qtbot.waitSignal(today.coverage_loaded, timeout=10000):
        households.delete_visit(visit.id)
    assert today.cards["coverage"].number.text() == "67%"


def test_a_database_swapped_for_a_backup_leaves_no_tab_listening(qtbot, tmp_path, db):
    from ui.widgets.ops import changes

    window = open_window(qtbot, tmp_path, db)
    old = window.disputes
    old.refresh = lambda: pytest.fail("a detached tab refreshed")
    window.areas.detach()
    changes.announce("dispute", source=window)
    assert window.disputes is None and "正在打开数据库" in window.tabs.widget(2).text()


def test_a_sync_import_refreshes_every_tab(qtbot, tmp_path, db, _template_db, monkeypatch):
    from PySide6.QtCore import QSettings

    from app.sync.export import export_changes
    from db.models import Community, Household
    from tests.support.sync import PASSPHRASE, make_device
    from ui.sync.common import PassphraseStore

    other = make_device(_template_db, tmp_path, "B02")
    with other.session() as s:
        community = Community(name="阳光社区")
        s.add(community)
        s.flush()
        s.add(Household(community_id=community.id, estate="金桂苑", building="3", room="502", head_name="王芳"))
        s.commit()
    path = tmp_path / "b.cpsync"
    export_changes(other, out=path, passphrase=PASSPHRASE, full=True)
    other.close()
    store = PassphraseStore(QSettings(str(tmp_path / "sync.ini"), QSettings.Format.IniFormat))
    store.set(PASSPHRASE)
    window = open_window(qtbot, tmp_path, db)
    monkeypatch.setattr(window.sync, "_store", lambda: store)
    assert window.households.model.rowCount() == 0
    dialog = window.sync.import_()
    dialog.path.setText(str(path))
    with qtbot.waitSignal(dialog.imported, timeout=10000):
        dialog.run_button.click()
    assert window.households.model.rowCount() == 1 and window.sync_label.text().startswith("上次同步：")
    dialog.close()


def test_a_request_recorded_in_the_enterprise_tab_reaches_the_worklist_without_a_refresh(qtbot, tmp_path, db):
    """The 工作台 listens for every table its worklists read: a 诉求 saved elsewhere shows at once."""
    from datetime import date, timedelta

    from app.enterprises.liaison import RequestValues, add_request
    from app.enterprises.register import EnterpriseValues, add_enterprise
    from ui.widgets.ops import changes

    on = date(2026, 11, 23)
    window = MainWindow(make_settings(tmp_path), today=lambda: on)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.database_ready, timeout=10000):  # the first agenda, from a worker, is in
        window.attach_database(db)
    firm = add_enterprise(db, values=EnterpriseValues(name="杭州恒信化工有限公司"), today=on)
    add_request(db, enterprise_id=firm, values=RequestValues(on, "希望加装周界报警", on + timedelta(days=3)), today=on)
    model = window.today.model
    assert not any("希望加装周界报警" in model.item(row).what for row in range(model.rowCount()))
    changes.announce("enterprise_request", source=window.tab("enterprises"))
    assert any("希望加装周界报警" in model.item(row).what for row in range(model.rowCount()))

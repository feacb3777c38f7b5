"""The main window's tabs, read from the registry of areas (app/areas.py): one per area, in its order.

Before the database is open an area's page says so. Once it is open, only the tab on screen is
built (``Area.tab``, ``"module:Class"``, imported only then), handed the Context
(ui/shell/context.py) and listening for itself from there on (ui/widgets/base_tab.py ``AreaTab``);
the others are built when first shown, asked for (``tab(key)``: a worklist row opening its record)
or when their menu is first opened. Building all five at login cost ~1.5 s on the UI thread at
station scale. An area not built yet (``tab=None``) keeps a placeholder that says so.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMainWindow, QMenu, QTabWidget, QWidget

from app.areas import AREAS, resolve
from ui.shell.placeholder import PlaceholderTab, centred_note

if TYPE_CHECKING:
    from ui.shell.context import Context


def loading_page(parent: QWidget) -> QWidget:
    return centred_note(parent.tr("正在打开数据库…"), parent)


class AreaPages:
    """``attach(context)`` builds the tab on screen and, after it, the areas' menus; ``tab(key)``
    finds a tab, building it first if need be; ``detach()`` puts the loading pages back (the
    database is about to close)."""

    def __init__(self, window: QMainWindow, tabs: QTabWidget, *, menus_before: QMenu) -> None:
        self.window, self.tabs, self._menus_before = window, tabs, menus_before
        self._context: Context | None = None
        self._built: dict[str, QWidget] = {}
        self._menus: dict[str, QMenu] = {}
        self._replacing = False  # swapping a page moves the current index: not the officer showing a tab
        for area in AREAS:
            title = window.tr(area.title)
            page = loading_page(window) if area.tab else PlaceholderTab(title, window)
            tabs.addTab(page, title)
        tabs.currentChanged.connect(self._shown)

    def tab(self, key: str) -> QWidget | None:
        """The area's tab, built now if it was not yet; None before the database is open and for an
        area without a tab."""
        if key not in self._built and self._context is not None:
            index = next((i for i, area in enumerate(AREAS) if area.key == key and area.tab), None)
            if index is not None:
                self._build(index)
        return self._built.get(key)

    def warm_modules(self, *, on_screen: bool):
        """The modules to import before the database is open (ui/shell/warm.py): ``on_screen``, the tab
        on screen's and what its first page imports (its ``warms``); else every other area's (the
        menus import them)."""
        current = self.tabs.currentIndex()
        for index, area in enumerate(AREAS):
            if area.tab is None or (index == current) != on_screen:
                continue
            yield area.tab.split(":")[0]
            yield from getattr(resolve(area.tab), "warms", ())  # imported by now: the name before

    def is_built(self, key: str) -> bool:
        return key in self._built

    def built(self) -> list[QWidget]:
        return list(self._built.values())

    def attach(self, context: Context) -> None:
        from PySide6.QtCore import QTimer

        self._context = context
        self._shown(self.tabs.currentIndex())
        # The menus import every area's tab module (~0.3 s): after the tab on screen is painted.
        QTimer.singleShot(0, self.window, lambda: self._add_menus(context))

    def when_listed(self, callback) -> None:
        """Call ``callback`` once the tab on screen shows its first page (at once for a placeholder)."""
        key = AREAS[self.tabs.currentIndex()].key if 0 <= self.tabs.currentIndex() < len(AREAS) else None
        tab = self._built.get(key)
        if tab is not None and hasattr(tab, "when_listed"):
            tab.when_listed(callback)
        else:
            callback()

    def warm_up_unbuilt(self) -> None:
        """On a worker, once: the first-use costs of the tabs not built yet (their ``warm_up``)."""
        from app.core.errors import log_traceback
        from ui.widgets.base_tab import AreaTab
        from ui.widgets.ops import Op

        context = self._context
        warm = [resolve(area.tab).warm_up for area in AREAS if area.tab and area.key not in self._built
                and getattr(resolve(area.tab), "warm_up", AreaTab.warm_up) is not AreaTab.warm_up]
        if context is None or not warm:
            return
        db, today = context.db, context.today()

        def work() -> None:
            for warm_up in warm:
                warm_up(db, today)

        # A failure here would meet the officer again, said, when he opens the tab: only logged now.
        Op(self.window, work).on_failure(log_traceback).run()

    def detach(self) -> None:
        self._context = None
        for menu in self._menus.values():
            self.window.menuBar().removeAction(menu.menuAction())
            menu.deleteLater()
        self._menus.clear()
        for index, area in enumerate(AREAS):
            tab = self._built.pop(area.key, None)
            if tab is not None:
                tab.detach()
                self._replace(index, loading_page(self.window))

    def open_record(self, table: str, record_id: str) -> bool:
        """Show a record in the tab of the area that ``opens`` its table; False when none does."""
        for index, area in enumerate(AREAS):
            if table not in area.opens:
                continue
            tab = self.tab(area.key)
            if tab is not None and hasattr(tab, "open_record"):
                self.tabs.setCurrentIndex(index)
                tab.open_record(table, record_id)
                return True
        return False

    def can_close(self) -> bool:
        """Every built tab whose forms hold unsaved input asks first (a tab never built has no forms);
        False when the officer keeps one."""
        return all(tab.can_close() for tab in self._built.values() if hasattr(tab, "can_close"))

    # --- building ---------------------------------------------------------------------------
    def _shown(self, index: int) -> None:
        if self._replacing or self._context is None or not 0 <= index < len(AREAS):
            return
        if AREAS[index].tab is not None and AREAS[index].key not in self._built:
            self._build(index)

    def _build(self, index: int) -> None:
        area = AREAS[index]
        tab = resolve(area.tab)(self.window)
        self._replace(index, tab)
        self._built[area.key] = tab
        tab.attach(self._context)
        if hasattr(tab, "open_requested"):  # a worklist: its rows open where they are worked on
            tab.open_requested.connect(self.window.open_record)
        menu = self._menus.get(area.key)
        if menu is not None and menu.isEmpty():
            menu.addActions(tab.menu_actions())

    def _replace(self, index: int, page: QWidget) -> None:
        self._replacing = True
        try:
            current, title = self.tabs.currentIndex(), self.tabs.tabText(index)
            old = self.tabs.widget(index)
            self.tabs.removeTab(index)
            self.tabs.insertTab(index, page, title)
            self.tabs.setCurrentIndex(current)
        finally:
            self._replacing = False
        old.deleteLater()

    # --- menus ------------------------------------------------------------------------------
    def _add_menus(self, context: Context) -> None:
        """A menu for every area whose tab has ``menu_actions``, in the areas' order before 账户;
        its items are made when it first opens (building its tab, if not built yet)."""
        from PySide6.QtCore import QCoreApplication

        if context is not self._context:  # detached (or attached again) meanwhile
            return
        for area in AREAS:
            if area.tab is None or area.key in self._menus:
                continue
            cls = resolve(area.tab)
            if not hasattr(cls, "menu_actions"):
                continue
            title = QCoreApplication.translate(cls.__name__, getattr(cls, "menu_title", area.title))  # as tab.tr()
            menu = QMenu(title, self.window)
            menu.aboutToShow.connect(lambda key=area.key: self.tab(key))  # built: the items are added
            self.window.menuBar().insertMenu(self._menus_before.menuAction(), menu)
            self._menus[area.key] = menu
            if area.key in self._built:
                menu.addActions(self._built[area.key].menu_actions())

    def menu(self, key: str) -> QMenu | None:
        """The area's menu in the menu bar, once added."""
        return self._menus.get(key)

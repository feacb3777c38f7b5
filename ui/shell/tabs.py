"""The main window's tabs, read from the registry of areas (app/areas.py): one per area, in its order.

Before the database is open an area's page says so; a built area's tab (``Area.tab``,
``"module:Class"``, imported only then) is made, handed the Context (ui/shell/context.py) and
listens for itself from there on (ui/widgets/base_tab.py ``AreaTab``); an area not built yet
(``tab=None``) keeps a placeholder that says so.
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
    """``attach(context)`` builds and attaches every built area's tab; ``detach()`` puts the
    loading pages back (the database is about to close); ``tab(key)`` finds one."""

    def __init__(self, window: QMainWindow, tabs: QTabWidget, *, menus_before: QMenu) -> None:
        self.window, self.tabs, self._menus_before = window, tabs, menus_before
        self._built: dict[str, QWidget] = {}
        self._menus: list[QMenu] = []
        for area in AREAS:
            title = window.tr(area.title)
            page = loading_page(window) if area.tab else PlaceholderTab(title, window)
            tabs.addTab(page, title)

    def tab(self, key: str) -> QWidget | None:
        return self._built.get(key)

    def built(self) -> list[QWidget]:
        return list(self._built.values())

    def attach(self, context: Context) -> None:
        for index, area in enumerate(AREAS):
            if area.tab is None:
                continue
            tab = resolve(area.tab)(self.window)
            self._replace(index, tab)
            self._built[area.key] = tab
            tab.attach(context)
            if hasattr(tab, "open_requested"):  # a worklist: its rows open where they are worked on
                tab.open_requested.connect(self.window.open_record)
            if hasattr(tab, "menu_actions"):
                self._add_menu(tab, getattr(tab, "menu_title", area.title))

    def detach(self) -> None:
        for menu in self._menus:
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
            tab = self._built.get(area.key)
            if table in area.opens and tab is not None and hasattr(tab, "open_record"):
                self.tabs.setCurrentIndex(index)
                tab.open_record(table, record_id)
                return True
        return False

    def can_close(self) -> bool:
        """Every tab whose forms hold unsaved input asks first; False when the officer keeps one."""
        return all(tab.can_close() for tab in self._built.values() if hasattr(tab, "can_close"))

    def _add_menu(self, tab: QWidget, title: str) -> None:
        menu = QMenu(tab.tr(title), self.window)
        menu.addActions(tab.menu_actions())
        self.window.menuBar().insertMenu(self._menus_before.menuAction(), menu)
        self._menus.append(menu)

    def _replace(self, index: int, page: QWidget) -> None:
        current, title = self.tabs.currentIndex(), self.tabs.tabText(index)
        old = self.tabs.widget(index)
        self.tabs.removeTab(index)
        self.tabs.insertTab(index, page, title)
        self.tabs.setCurrentIndex(current)
        old.deleteLater()

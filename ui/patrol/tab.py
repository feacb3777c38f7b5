"""义警巡逻: the volunteers, teams and routes lists with their detail, and the doors to the roster grid,
roster generation, sign-in and the printed roster and sign-in sheet. The forms of the records are opened
by ui/patrol/records.py, the roster's work by ui/patrol/work.py (mixins of the tab)."""

from __future__ import annotations

from datetime import date
from functools import partial

from PySide6.QtCore import QT_TR_NOOP, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QHBoxLayout, QMenu, QMessageBox, QPushButton

from app.patrol.queries import PAGE_SIZE, VIEWS
from ui.patrol.common import combo
from ui.patrol.detail import PatrolDetail
from ui.patrol.models import VIEW_HINTS, PatrolTableModel, columns
from ui.patrol.records import PatrolRecords
from ui.patrol.work import PatrolWork
from ui.widgets.base_tab import FIRST_ROWS, BaseTab, fit_columns
from ui.widgets.messages import guarded
from ui.widgets.ops import changes
from ui.widgets.windows import OwnWindows

NEW_TEXT = {"volunteers": QT_TR_NOOP("新增义警…"), "teams": QT_TR_NOOP("新增义警队…"),
            "routes": QT_TR_NOOP("新增路线…")}
SHOW = {"volunteers": "show_volunteer", "teams": "show_team", "routes": "show_route"}


class PatrolTab(OwnWindows, PatrolRecords, PatrolWork, BaseTab):
    """``PatrolTab(parent)``, then ``attach(context)``; ``open_record`` for "volunteer", "volunteer_team"
    and "shift". What it saves is announced on ui.widgets.ops.changes; its forms and windows are its
    own windows, raised again instead of opened twice."""

    shows = ("volunteer", "volunteer_team", "volunteer_membership", "volunteer_leave", "volunteer_status",
             "patrol_route", "route_team", "shift_template", "shift", "shift_assignment", "patrol_log",
             "patrol_setting", "community")
    menu_title = QT_TR_NOOP("义警巡逻(&P)")
    form_opened = Signal(object)  # a form or window was shown
    preview_opened = Signal(object)  # a PdfPreviewDialog
    roster_previewed = Signal(object)  # a PreviewDialog of a generated roster
    dispute_created = Signal(str)  # dispute id, registered from a patrol finding

    def __init__(self, parent=None) -> None:
        super().__init__(search_hint=self.tr(VIEW_HINTS["volunteers"]), parent=parent)
        self.view_key = "volunteers"
        self.models: dict[str, PatrolTableModel] = {}
        self.view = combo(self, VIEWS, current="volunteers")
        self.view.currentIndexChanged.connect(lambda _i: self.set_view(self.view.currentData()))
        self.layout().itemAt(0).layout().insertWidget(0, self.view)
        self.new_button = self._tool(self.tr(NEW_TEXT["volunteers"]), self.new_record)
        self.edit_button = self._tool(self.tr("编辑…"), self.edit_record)
        self.roster_button = self._tool(self.tr("排班表…"), lambda: self.open_roster(self.current_team_id()))
        self.generate_button = self._tool(self.tr("生成排班…"), lambda: self.open_generate(self.current_team_id()))
        self.sign_in_button = self._tool(self.tr("签到…"), lambda: self.open_day())
        self.print_button = QPushButton(self.tr("打印"), self)
        menu = QMenu(self.print_button)
        menu.addAction(self.tr("巡逻排班表（本周）…"), lambda: self.print_roster(self.current_team_id()))
        menu.addAction(self.tr("巡逻签到表（今天）…"), lambda: self.print_sign_in(self.today()))
        self.print_button.setMenu(menu)
        bar = QHBoxLayout()
        for button in (self.new_button, self.edit_button):
            bar.addWidget(button)
        bar.addStretch(1)
        for button in (self.roster_button, self.generate_button, self.sign_in_button, self.print_button):
            bar.addWidget(button)
        self.layout().insertLayout(0, bar)
        self._connect_panes()
        self._enable()

    def _tool(self, text: str, slot) -> QPushButton:
        button = QPushButton(text, self)
        button.clicked.connect(lambda _c=False: slot())
        return button

    def _connect_panes(self) -> None:
        v, t, r = self.detail.volunteer, self.detail.team, self.detail.route
        v.edit_requested.connect(lambda: self.edit_volunteer(self.current_id()))
        v.leave_requested.connect(self.open_leave)
        v.status_requested.connect(self.open_status)
        v.join_requested.connect(lambda: self.open_membership(None))
        v.role_requested.connect(self.open_membership)
        v.leave_team_requested.connect(self.ask_leave_team)
        v.cancel_leave_requested.connect(self.cancel_leave)
        v.shift_requested.connect(lambda shift_id: self.open_record("shift", shift_id))
        t.edit_requested.connect(lambda: self.edit_team(self.current_id()))
        t.add_member_requested.connect(lambda: self.new_volunteer(self.current_id()))
        t.roster_requested.connect(lambda: self.open_roster(self.current_id()))
        t.role_requested.connect(lambda vid: self.open_membership(self.current_id(), volunteer_id=vid))
        t.remove_member_requested.connect(lambda vid: self.ask_leave_team(self.current_id(), volunteer_id=vid))
        t.member_opened.connect(lambda vid: self.open_record("volunteer", vid))
        t.new_route_requested.connect(lambda: self.new_route(self.current_id()))
        t.new_template_requested.connect(lambda: self.open_template(None, team_id=self.current_id()))
        t.edit_template_requested.connect(self.open_template)
        t.delete_template_requested.connect(self.ask_delete_template)
        t.new_shift_requested.connect(lambda: self.new_shift(self.current_id(), None))
        r.edit_requested.connect(lambda: self.edit_route(self.current_id()))
        r.new_template_requested.connect(self._template_for_route)
        r.edit_template_requested.connect(self.open_template)

    # --- the lists -----------------------------------------------------------------------------
    def make_model(self, db) -> PatrolTableModel:
        return self._model(db, self.view_key)

    def _model(self, db, view: str) -> PatrolTableModel:
        from app.patrol import queries

        fetch = {"volunteers": lambda **kw: queries.search_volunteers(db, today=self.today(), **kw),
                 "teams": partial(queries.search_teams, db), "routes": partial(queries.search_routes, db)}[view]
        model = PatrolTableModel(columns(view), fetch, page_size=PAGE_SIZE, parent=self)
        model.set_first_page(FIRST_ROWS)  # as BaseTab.attach does for the first list: a screenful first
        self.models[view] = model
        return model

    @staticmethod
    def warm_up(db, today: date) -> None:
        """Each list's first page and its first row's detail, so their statements are compiled on a worker
        before the officer opens the tab (ui/shell/tabs.py)."""
        from app.patrol import details, queries

        for page, detail in ((lambda: queries.search_volunteers(db, today=today, limit=FIRST_ROWS),
                              lambda i: details.volunteer_detail(db, volunteer_id=i, today=today)),
                             (lambda: queries.search_teams(db, limit=FIRST_ROWS),
                              lambda i: details.team_detail(db, team_id=i)),
                             (lambda: queries.search_routes(db, limit=FIRST_ROWS),
                              lambda i: details.route_detail(db, route_id=i))):
            if rows := page():
                detail(rows[0].id)

    def make_detail(self) -> PatrolDetail:
        return PatrolDetail(self)

    def attach(self, context) -> None:
        self.models.clear()
        super().attach(context)
        self.detail.volunteer.db = context.db
        self._enable()

    def detach(self) -> None:
        for window in self.open_forms():
            window.close()
        super().detach()

    def set_view(self, view: str) -> None:
        """Show the 义警, 义警队 or 巡逻路线 list (the search box keeps its text)."""
        if view == self.view_key and self.model is self.models.get(view):
            return
        self.view_key = view
        self.view.blockSignals(True)
        self.view.setCurrentIndex(self.view.findData(view))
        self.view.blockSignals(False)
        self.search.setPlaceholderText(self.tr(VIEW_HINTS[view]))
        self.new_button.setText(self.tr(NEW_TEXT[view]))
        self.detail.show_view(view)
        if self.db is None:
            return
        first = view not in self.models
        model = self.models[view] if not first else self._model(self.db, view)
        if first:
            model.reloaded.connect(lambda model=model: self._after_reload() if self.model is model else None)
        self.model = model
        self.table.setModel(model)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self._sort_column, self._sort_order = 0, Qt.SortOrder.AscendingOrder
        self.table.horizontalHeader().setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        model.set_filter(self.search.text())
        model.reload()
        if first:
            fit_columns(self.table)

    def show_detail(self, record_id: str | None) -> None:
        from app.patrol import details

        if record_id is None:
            shown = None
        elif self.view_key == "volunteers":
            shown = details.volunteer_detail(self.db, volunteer_id=record_id, today=self.today())
        elif self.view_key == "teams":
            shown = details.team_detail(self.db, team_id=record_id)
        else:
            shown = details.route_detail(self.db, route_id=record_id)
        pane = self.detail.panes[self.view_key]
        getattr(pane, SHOW[self.view_key])(shown)
        self._enable()

    def current_id(self) -> str | None:
        """The record the detail pane shows."""
        detail = self.detail.panes[self.view_key].detail
        return detail.row.id if detail is not None else None

    def current_team_id(self) -> str | None:
        """The team shown, or the shown volunteer's home team, or the route's first team."""
        detail = self.detail.panes[self.view_key].detail
        if detail is None:
            return None
        if self.view_key == "teams":
            return detail.row.id
        if self.view_key == "volunteers":
            return next((tid for tid, _name, _role, home in detail.teams if home), None)
        return detail.teams[0][0] if detail.teams else None

    def _enable(self) -> None:
        attached, chosen = self.db is not None, self.db is not None and self.current_id() is not None
        for button in (self.new_button, self.roster_button, self.generate_button, self.sign_in_button,
                       self.print_button):
            button.setEnabled(attached)
        self.edit_button.setEnabled(chosen)

    def show_record(self, record_id: str) -> None:
        """Select ``record_id`` in the list shown (keeping the search when it can), or show it alone."""
        row = self.model.row_of(record_id)
        self.model.reload()
        while row is not None and self.model.rowCount() <= row and self.model.canFetchMore():
            self.model.fetchMore()
        found = self.model.row_of(record_id)
        if found is None:
            self.table.clearSelection()
            self.show_detail(record_id)
            return
        self.table.selectRow(found)
        self.table.scrollTo(self.model.index(found, 0))

    def open_record(self, table: str, record_id: str) -> None:
        if table == "shift":
            self.open_shift(record_id)
            return
        self.set_view({"volunteer": "volunteers", "volunteer_team": "teams", "patrol_route": "routes"}[table])
        self.show_record(record_id)

    def _changed(self, record_id: str | None, *tables: str) -> None:
        """Show what was saved, and tell the other tabs and windows."""
        if record_id is not None:
            self.show_record(record_id)
        else:
            self.refresh()
        changes.announce(*tables, source=self)

    def data_changed(self, tables) -> None:
        current = self.current_id()
        self.refresh()
        if current is not None and self.model.row_of(current) is None:
            self.show_detail(current)

    # --- windows: one per record, raised again instead of opened twice ---------------------------
    def menu_actions(self) -> list[QAction]:
        actions = []
        for text, slot in ((self.tr("排班表(&R)…"), lambda: self.open_roster(self.current_team_id())),
                           (self.tr("生成排班(&G)…"), lambda: self.open_generate(self.current_team_id())),
                           (self.tr("巡逻签到(&S)…"), lambda: self.open_day()),
                           (self.tr("打印巡逻排班表(&P)…"), lambda: self.print_roster(self.current_team_id())),
                           (self.tr("打印巡逻签到表(&Q)…"), lambda: self.print_sign_in(self.today()))):
            action = QAction(text, self)
            action.triggered.connect(lambda _checked=False, slot=slot: slot() if self.db is not None else None)
            actions.append(action)
        return actions

    def ask(self, title: str, question: str) -> bool:
        return QMessageBox.question(self, title, question) == QMessageBox.StandardButton.Yes

    def run(self, title: str, fn) -> bool:
        """A service call whose refusal is shown in a box; True when it went through."""
        ok, _ = guarded(self, title, fn)
        return ok

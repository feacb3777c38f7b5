"""入户走访: the household list with search, the selected household's detail, and its actions."""

from __future__ import annotations

import logging
from functools import partial

from PySide6.QtCore import QT_TR_NOOP, Qt, Signal
from PySide6.QtGui import QAction, QFont
from PySide6.QtWidgets import QHBoxLayout, QMessageBox, QPushButton

from ui.households.detail import HouseholdDetailPane
from ui.widgets.base_tab import BaseTab
from ui.widgets.drafts import DraftBanner, DraftStore
from ui.widgets.held_model import HeldTableModel
from ui.widgets.messages import tell
from ui.widgets.ops import changes
from ui.widgets.paged_model import Column
from ui.widgets.windows import OwnWindows


def _date(value) -> str:
    return value.isoformat() if value else "—"


def _draw_text_unshaped(widget) -> None:
    """Draw ``widget``'s text without OpenType shaping where the script does not need it: Chinese and
    digits look the same (checked pixel for pixel on the demo's lists), Latin loses only kerning.
    Every search repaints the list: its 29 rows x 8 cells took 2.9 ms, 2.0 without shaping (Qt shapes
    each cell's text three times: size, elision, drawing). Only the strategy is set: the family and
    size stay inherited."""
    font = QFont()
    font.setStyleStrategy(QFont.StyleStrategy.PreferNoShaping)
    widget.setFont(font)


class HouseholdsTab(OwnWindows, BaseTab):
    """For the main window: ``menu_actions()`` (走访计划, 走访台账, 打印登记表) in its ``menu_title`` menu,
    ``can_close()`` before the window closes or the database is swapped, ``open_record("household", id)``.
    What it saves is announced on ui.widgets.ops.changes (the 工作台 and 矛盾纠纷 refresh themselves);
    ``dispute_created`` says a visit registered a dispute. Forms with unsaved input are kept as
    drafts beside the database; those an earlier run left are offered on attach."""

    shows = ("household", "resident", "visit", "community", "grid")
    menu_title = QT_TR_NOOP("入户走访(&V)")
    dispute_created = Signal(str)  # dispute id, opened from a visit
    preview_opened = Signal(object)  # a shown ui.widgets.print_preview.PdfPreviewDialog
    form_opened = Signal(object)  # a shown form window (a ui.widgets.form.Form)

    def __init__(self, parent=None) -> None:
        super().__init__(search_hint=self.tr("搜索 地址、姓名、电话或身份证号（空格分隔多个词）"), parent=parent)
        self.draft_store: DraftStore | None = None  # where this tab's forms keep their drafts
        self.draft_banner = DraftBanner(self._reopen_draft, self)
        self.new_button = self._tool(self.tr("新增住户"), self.new_household)
        self.edit_button = self._tool(self.tr("编辑住户"), lambda: self.edit_household())
        self.delete_button = self._tool(self.tr("删除住户"), self.ask_delete_household)
        self.visit_button = self._tool(self.tr("记录走访"), lambda: self.record_visit())
        self.campaigns_button = self._tool(self.tr("走访计划"), self.open_campaigns)
        self.ledger_button = self._tool(self.tr("走访台账"), self.export_visits_ledger)
        bar = QHBoxLayout()
        for button in (self.new_button, self.edit_button, self.delete_button, self.visit_button):
            bar.addWidget(button)
        bar.addStretch(1)
        bar.addWidget(self.campaigns_button)
        bar.addWidget(self.ledger_button)
        self.layout().insertLayout(0, bar)
        self.layout().insertWidget(0, self.draft_banner)
        pane = self.detail
        pane.add_resident.connect(lambda: self.new_resident())
        pane.edit_resident.connect(self.edit_resident)
        pane.delete_resident.connect(self.ask_delete_resident)
        pane.record_visit.connect(lambda: self.record_visit())
        pane.open_visit.connect(self.open_visit)
        pane.print_visit.connect(self.print_visit)
        pane.delete_visit.connect(self.ask_delete_visit)
        for widget in (self.table, self.detail):  # both painted again after every search
            _draw_text_unshaped(widget)
        self._enable_actions()

    def attach(self, context) -> None:
        super().attach(context)
        db = context.db
        self.detail.set_database(db)
        self.draft_store = DraftStore.beside(db.path)
        self.draft_banner.offer(self.draft_store, area="households")

    def _tool(self, text: str, slot) -> QPushButton:
        button = QPushButton(text, self)
        button.clicked.connect(slot)
        return button

    # --- the list -------------------------------------------------------------------------
    def columns(self) -> list[Column]:
        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        return [
            Column(self.tr("地址"), "address", sort_key="address"),
            Column(self.tr("户主"), "head_name", sort_key="head"),
            Column(self.tr("类型"), "kind", sort_key="kind"),
            Column(self.tr("人数"), "residents", align=right),
            Column(self.tr("电话"), "phone"),
            Column(self.tr("社区/网格"), "community", sort_key="community"),
            Column(self.tr("最近走访"), "last_visit", fmt=_date),
            Column(self.tr("标签"), "tags", fmt=lambda tags: tags.replace(",", "、")),
        ]

    def make_model(self, db) -> HeldTableModel:
        from app.households.service import PAGE_SIZE, search_households

        return HeldTableModel(self.columns(), partial(search_households, db), page_size=PAGE_SIZE, parent=self)

    def refresh(self) -> None:
        self._first_page_fits_the_list()
        super().refresh()

    def _apply_search(self) -> None:
        self._first_page_fits_the_list()
        super()._apply_search()

    def _first_page_fits_the_list(self) -> None:
        """A (re)load fetches the rows the list has room for, and two more so that the last is below the
        bottom edge (Qt fetches the next page when the last row shows: when the officer scrolls or the
        window grows). Until the list is shown, a screenful at 1080p (BaseTab)."""
        if self.model is not None and self.table.isVisible():
            room = self.table.viewport().height() // self.table.verticalHeader().defaultSectionSize()
            self.model.set_first_page(room + 2)

    def make_detail(self) -> HouseholdDetailPane:
        return HouseholdDetailPane(self)

    def show_detail(self, record_id: str | None) -> None:
        from app.households.service import household_detail

        self.detail.show_household(household_detail(self.db, record_id, today=self.today()) if record_id else None)
        self._enable_actions()

    def _enable_actions(self) -> None:
        attached, chosen = self.db is not None, self.current_household_id() is not None
        for button in (self.new_button, self.campaigns_button, self.ledger_button):
            button.setEnabled(attached)
        for button in (self.edit_button, self.delete_button, self.visit_button):
            button.setEnabled(chosen)

    def current_household_id(self) -> str | None:
        return self.detail.detail.row.id if self.detail.detail is not None else None

    def show_household(self, household_id: str) -> None:
        """Select ``household_id`` in the list, keeping the search and the scroll position when it can."""
        row = self.model.row_of(household_id)
        self.model.reload()
        while row is not None and self.model.rowCount() <= row and self.model.canFetchMore():
            self.model.fetchMore()
        found = self.model.row_of(household_id)
        if found is None:  # filtered out or far down: show it without pointing at another row
            self.table.clearSelection()
            self.show_detail(household_id)
            return
        self.table.selectRow(found)
        self.table.scrollTo(self.model.index(found, 0))

    def open_record(self, table: str, record_id: str) -> None:
        self.show_household(record_id)

    def _changed(self, household_id: str, *tables: str) -> None:
        """Show what was saved, and tell the other tabs."""
        self.show_household(household_id)
        changes.announce(*(tables or ("household",)), source=self)

    # --- windows: one per record, raised again instead of opened twice ------------------------
    # --- households -----------------------------------------------------------------------
    def new_household(self):
        from ui.households.household_form import HouseholdForm

        def make():
            form = HouseholdForm(self.db, officer_id=self.officer_id, parent=self)
            form.saved.connect(self._household_created)
            return form

        return self.open_window(("household", None), make)

    def _household_created(self, household_id: str) -> None:
        from app.households.service import household_detail

        detail = household_detail(self.db, household_id)
        self.search.setText(detail.row.address)  # show the new household where the officer can see it
        self._apply_search()
        self._changed(household_id)

    def edit_household(self, household_id: str | None = None):
        from ui.households.household_form import HouseholdForm

        household_id = household_id or self.current_household_id()
        if household_id is None:
            return None

        def make():
            form = HouseholdForm(self.db, household_id=household_id, officer_id=self.officer_id, parent=self)
            form.saved.connect(self._changed)
            return form

        return self.open_window(("household", household_id), make)

    def ask_delete_household(self) -> None:
        detail = self.detail.detail
        if detail is None:
            return
        answer = QMessageBox.question(self, self.tr("删除住户"), self.tr(
            "确定删除 {address}？\n该户登记的 {n} 名人员一并删除；走访记录保留。").format(
            address=detail.row.address, n=len(detail.residents)))
        if answer == QMessageBox.StandardButton.Yes:
            self.delete_household(detail.row.id)

    def delete_household(self, household_id: str) -> None:
        from app.households.service import delete_household

        if self._run(delete_household, household_id=household_id, officer_id=self.officer_id) is not None:
            self.refresh()
            changes.announce("household", "resident", source=self)

    # --- residents ------------------------------------------------------------------------
    def new_resident(self, household_id: str | None = None):
        return self.edit_resident(None, household_id=household_id)

    def edit_resident(self, resident_id: str | None, *, household_id: str | None = None):
        from ui.households.resident_form import ResidentForm

        detail = self.detail.detail
        household_id = household_id or (detail.row.id if detail else None)
        if household_id is None:
            return None
        if detail is None or detail.row.id != household_id:
            from app.households.service import household_detail

            detail = household_detail(self.db, household_id)
        address = detail.row.address if detail else ""

        def make():
            form = ResidentForm(self.db, household_id=household_id, address=address, resident_id=resident_id,
                                officer_id=self.officer_id, parent=self)
            form.saved.connect(lambda _rid: self._changed(household_id, "resident", "household"))
            return form

        return self.open_window(("resident", resident_id or household_id), make)

    def ask_delete_resident(self, resident_id: str) -> None:
        name = next((r.name for r in self.detail.detail.residents if r.id == resident_id), "")
        answer = QMessageBox.question(self, self.tr("删除人员"), self.tr("确定删除 {name}？").format(name=name))
        if answer == QMessageBox.StandardButton.Yes:
            self.delete_resident(resident_id)

    def delete_resident(self, resident_id: str) -> None:
        from app.households.residents import delete_resident

        household_id = self.current_household_id()
        if self._run(delete_resident, resident_id=resident_id, officer_id=self.officer_id) is not None and household_id:
            self._changed(household_id, "resident", "household")

    # --- visits ---------------------------------------------------------------------------
    def record_visit(self, household_id: str | None = None, *, campaign_id: str | None = None):
        return self._visit_form(household_id or self.current_household_id(), None, campaign_id)

    def open_visit(self, visit_id: str):
        return self._visit_form(self.current_household_id(), visit_id, None)

    def _visit_form(self, household_id: str | None, visit_id: str | None, campaign_id: str | None):
        from app.households.service import household_detail
        from ui.households.visit_form import VisitForm

        detail = household_detail(self.db, household_id) if household_id else None
        if detail is None:
            return None

        def make():
            form = VisitForm(self.db, household=detail, visit_id=visit_id, officer_id=self.officer_id,
                             campaign_id=campaign_id, parent=self)
            form.saved.connect(lambda saved: self._visit_saved(household_id, saved))
            form.print_requested.connect(self.print_visit)
            return form

        return self.open_window(("visit", visit_id or household_id), make)

    def _visit_saved(self, household_id: str, saved) -> None:
        tables = ("visit", "visit_resident") + (("dispute", "dispute_party") if saved.dispute_id else ())
        self._changed(household_id, *tables)
        self.detail.select_visit(saved.visit_id)
        if saved.dispute_id:
            self.dispute_created.emit(saved.dispute_id)
            self._tell(self.tr("已登记矛盾纠纷"), self.tr("纠纷编号 {number}，状态为待调处，请在“矛盾纠纷”页跟进。")
                       .format(number=saved.dispute_number))

    def ask_delete_visit(self, visit_id: str) -> None:
        answer = QMessageBox.question(self, self.tr("删除走访记录"), self.tr("确定删除这条走访记录？"))
        if answer == QMessageBox.StandardButton.Yes:
            self.delete_visit(visit_id)

    def delete_visit(self, visit_id: str) -> None:
        from app.households.visits import delete_visit

        household_id = self.current_household_id()
        if self._run(delete_visit, visit_id=visit_id, officer_id=self.officer_id) is not None and household_id:
            self._changed(household_id, "visit")

    # --- drafts of an earlier run ------------------------------------------------------------
    def _reopen_draft(self, draft):
        """Open the form ``draft`` (ui.widgets.drafts.Draft) was typed into, or None when its record is gone."""
        from app.households.residents import resident_values
        from app.households.service import household_detail, household_values
        from app.households.visits import visit_values

        record_id, household_id = draft.record_id, draft.context.get("household_id")
        household = household_detail(self.db, household_id) if isinstance(household_id, str) else None
        if draft.kind == "household":
            if record_id is None:
                return self.new_household()
            return self.edit_household(record_id) if household_values(self.db, record_id) else None
        if draft.kind == "resident" and household is not None:
            if record_id is not None and resident_values(self.db, record_id) is None:
                return None
            return self.edit_resident(record_id, household_id=household_id)
        if draft.kind == "visit" and household is not None:
            if record_id is not None and visit_values(self.db, record_id) is None:
                return None
            return self._visit_form(household_id, record_id, None)
        if draft.kind == "campaign":
            return self.open_campaigns().new_campaign()
        return None

    # --- printing, campaigns, ledger ---------------------------------------------------------
    def print_visit(self, visit_id: str):
        """Render the visit's 走访登记表 and open the preview (print or save from there)."""
        from app.households.visit_sheet import visit_sheet

        rendered = self._run(visit_sheet, visit_id=visit_id)
        return None if rendered is None else self.preview(rendered, title=self.tr("走访登记表"),
                                                          audit=("visit", visit_id, "走访登记表"))

    def preview(self, rendered, *, title: str, audit: tuple[str, str, str] | None = None):
        """``audit`` (table, record id, document) makes every print or saved PDF of it logged."""
        from pathlib import Path

        from ui.widgets.print_preview import PdfPreviewDialog

        dialog = PdfPreviewDialog(rendered.pdf, title=title, suggested_name=str(Path.home() / rendered.suggested_name),
                                  parent=self, db=self.db, audit=audit or getattr(rendered, "audit", None))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        if rendered.missing:
            self._tell(self.tr("有字无法打印"), self.tr("字体中没有这些字，登记表上印为〓，请打印后手写补上：{chars}")
                       .format(chars="".join(rendered.missing)), parent=dialog)
        self.preview_opened.emit(dialog)
        return dialog

    def open_campaigns(self):
        from ui.households.campaigns import CampaignsWindow

        def make():
            window = CampaignsWindow(self.db, officer_id=self.officer_id, parent=self)
            window.record_visit.connect(lambda hid, cid: self.record_visit(hid, campaign_id=cid))
            window.preview_ready.connect(lambda rendered: self.preview(rendered, title=self.tr("空白走访登记表")))
            return window

        return self.open_window(("campaigns",), make)

    def export_visits_ledger(self):
        from ui.households.ledger_dialog import LedgerDialog

        return self.open_window(("ledger",), lambda: LedgerDialog(self.db, parent=self))

    def menu_actions(self) -> list[QAction]:
        """Actions for the main window's menus (文件 → 打印 …), enabled once the database is open."""
        actions = []
        for text, slot in ((self.tr("走访计划(&C)…"), self.open_campaigns),
                           (self.tr("导出走访台账(&L)…"), self.export_visits_ledger),
                           (self.tr("打印走访登记表(&P)…"), self._print_current_visit)):
            action = QAction(text, self)
            action.triggered.connect(lambda _checked=False, slot=slot: slot() if self.db is not None else None)
            actions.append(action)
        return actions

    def _print_current_visit(self) -> None:
        items = self.detail.visits.selectedItems() or [self.detail.visits.topLevelItem(0)]
        if items and items[0] is not None:
            self.print_visit(items[0].data(0, Qt.ItemDataRole.UserRole))

    # --- refusals -------------------------------------------------------------------------
    def _run(self, fn, **kwargs):
        """Call a service; a UserError is shown to the officer (None returned), never raised."""
        from app.core.errors import UserError

        try:
            result = fn(self.db, **kwargs)
        except UserError as exc:
            self._tell(self.tr("无法完成"), str(exc), icon=QMessageBox.Icon.Warning)
            return None
        except Exception as exc:  # a bug or a locked file: say so, never a traceback
            logging.getLogger(__name__).exception("%s failed", fn.__name__)
            self._tell(self.tr("内部错误"), str(exc), icon=QMessageBox.Icon.Critical)
            return None
        return True if result is None else result

    def _tell(self, title: str, text: str, *, icon=QMessageBox.Icon.Information, parent=None) -> None:
        tell(parent or self, title, text, icon=icon)

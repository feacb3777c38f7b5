"""一企一警: the enterprise list (views, search, SQL-side sorting), the selected enterprise's page, and the
forms of the register, liaison, requests and hire checks; the inspection flow is ui/enterprises/flow.py."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import QT_TR_NOOP, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QComboBox, QMessageBox, QPushButton, QWidget

from ui.enterprises.detail import PAGES, EnterpriseDetailPane
from ui.enterprises.flow import InspectionFlow
from ui.enterprises.model import EnterpriseTableModel
from ui.widgets.base_tab import BaseTab
from ui.widgets.messages import guarded, tell
from ui.widgets.ops import changes
from ui.widgets.paged_model import Column
from ui.widgets.windows import OwnWindows

REGISTER = ("enterprise", "liaison_assignment")


def _day(value) -> str:
    return value.isoformat() if value else "—"


class EnterprisesTab(OwnWindows, BaseTab):
    """``EnterprisesTab(parent)``, then ``attach(context)``; ``open_record(table, id)`` for the area's
    tables. What it saves is announced on ui.widgets.ops.changes (the 工作台 refreshes itself)."""

    shows = ("enterprise", "liaison_assignment", "liaison_visit", "enterprise_request", "inspection",
             "inspection_item", "rectification", "rectification_notice", "recheck", "hire_check", "checklist",
             "officer", "community")
    menu_title = QT_TR_NOOP("一企一警(&E)")
    warms = ("app.enterprises.queries",)  # imported inside functions; warm_up reads it on a worker
    form_opened = Signal(object)  # a form or dialog was shown
    previewing = Signal(object)  # a PdfPreviewDialog was opened

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(search_hint=self.tr("搜索 企业名称、信用代码、地址、法定代表人、保卫负责人、包企民警、电话"),
                         parent=parent)
        from app.enterprises.queries import VIEWS

        self.flow = InspectionFlow(self)
        self.view = QComboBox(self)
        for code, label in VIEWS.items():
            self.view.addItem(self.tr(label), code)
        self.view.currentIndexChanged.connect(self.refresh)
        self.new_button = QPushButton(self.tr("登记企业…"), self)
        self.new_button.clicked.connect(lambda: self.new_enterprise())
        self.year_button = QPushButton(self.tr("年度统计…"), self)
        self.year_button.clicked.connect(lambda: self.open_year_view())
        for button in (self.new_button, self.year_button):
            button.setEnabled(False)
        bar = self.layout().itemAt(0).layout()
        bar.insertWidget(1, self.view)
        bar.addWidget(self.new_button)
        bar.addWidget(self.year_button)

        pane = self.detail
        pane.edit_requested.connect(lambda: self.edit_enterprise())
        pane.assign_requested.connect(lambda: self.open_assign())
        pane.liaison_requested.connect(lambda: self.open_liaison())
        pane.request_requested.connect(lambda: self.open_request())
        pane.answer_requested.connect(self.open_answer)
        pane.hire_requested.connect(lambda: self.open_hire_check())
        pane.hire_answer_requested.connect(self.open_hire_answer)
        pane.letter_requested.connect(self.print_letter)
        self.flow.connect(pane)

    # --- BaseTab --------------------------------------------------------------------------
    def columns(self) -> list[Column]:
        return [
            Column(self.tr("企业名称"), "name", sort_key="name"),
            Column(self.tr("类别"), "category_label", sort_key="category"),
            Column(self.tr("包企民警"), "liaison", sort_key="liaison"),
            Column(self.tr("最近检查"), "last_inspection", sort_key="last_inspection", fmt=_day),
            Column(self.tr("未整改"), "open_note", sort_key="open"),
            Column(self.tr("诉求"), "requests_note"),
            Column(self.tr("社区"), "community", sort_key="community"),
            Column(self.tr("统一社会信用代码"), "credit_code"),
        ]

    def make_model(self, db) -> EnterpriseTableModel:
        from app.enterprises.queries import PAGE_SIZE, search_enterprise_rows

        def fetch(**kwargs):
            return search_enterprise_rows(db, view=self.view.currentData(), today=self.today(),
                                          officer_id=self.officer_id, **kwargs)

        return EnterpriseTableModel(self.columns(), fetch, page_size=PAGE_SIZE, parent=self)

    @staticmethod
    def warm_up(db, today: date) -> None:
        """Each view's first page and the first enterprise's page, so their statements are compiled on a
        worker before the officer opens the tab (ui/shell/tabs.py)."""
        from app.enterprises.queries import VIEWS, enterprise_page, search_enterprise_rows
        from ui.widgets.base_tab import FIRST_ROWS

        for view in VIEWS:
            if (rows := search_enterprise_rows(db, view=view, today=today, limit=FIRST_ROWS)) and view == "all":
                enterprise_page(db, enterprise_id=rows[0].id)

    def make_detail(self) -> EnterpriseDetailPane:
        return EnterpriseDetailPane(self)

    def show_detail(self, record_id: str | None) -> None:
        from app.enterprises.queries import enterprise_page

        self.detail.show_page(enterprise_page(self.db, enterprise_id=record_id) if record_id else None)

    def attach(self, context) -> None:
        super().attach(context)
        self.detail.today = self.today
        for button in (self.new_button, self.year_button):
            button.setEnabled(True)
        self.table.setColumnWidth(0, min(self.table.columnWidth(0), 260))

    @property
    def current_id(self) -> str | None:
        return self.detail.page.id if self.detail.page is not None else None

    def officer_name(self) -> str:
        officer = self.context.officer if self.context is not None else None
        return officer.name if officer is not None else ""

    def show_enterprise(self, enterprise_id: str) -> None:
        """Select ``enterprise_id`` in the list (keeping the search and view when it is in them)."""
        row = self.model.row_of(enterprise_id)
        self.model.reload()
        while row is not None and self.model.rowCount() <= row and self.model.canFetchMore():
            self.model.fetchMore()
        found = self.model.row_of(enterprise_id)
        if found is None:  # filtered out or far down: show it without pointing at another row
            self.table.clearSelection()
            self.show_detail(enterprise_id)
            return
        if self.current_id == enterprise_id and self.table.currentIndex().row() == found:
            self.show_detail(enterprise_id)  # selected already: the page is read again
        self.table.selectRow(found)
        self.table.scrollTo(self.model.index(found, 0))

    def open_record(self, table: str, record_id: str) -> None:
        """Show the enterprise of the record, on the page of its kind, with the record selected."""
        from app.enterprises.queries import enterprise_of

        enterprise_id = enterprise_of(self.db, table=table, record_id=record_id)
        if enterprise_id is None:
            tell(self, self.tr("找不到记录"), self.tr("该记录已被删除。"))
            return
        self.show_enterprise(enterprise_id)
        if table in PAGES:
            self.detail.open_page(table)
            self.detail.select(table, record_id)

    def changed(self, enterprise_id: str, *tables: str, on_page: str | None = None,
                record: str | None = None) -> None:
        """Show what was saved (on the detail's page ``on_page``, ``record`` selected); tell the other tabs."""
        self.show_enterprise(enterprise_id)
        if on_page is not None:
            self.detail.open_page(on_page)
            if record is not None:
                self.detail.select(on_page, record)
        changes.announce(*tables, source=self)

    # --- windows -----------------------------------------------------------------------------
    def open_dialog(self, form: QWidget, on_saved: Callable | None = None) -> QWidget:
        """A short form or a dialog over the tab, gone when closed."""
        form.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        if on_saved is not None:
            form.saved.connect(on_saved)
        form.show()
        self.form_opened.emit(form)
        return form

    # --- the register ------------------------------------------------------------------------
    def new_enterprise(self):
        from ui.enterprises.enterprise_form import EnterpriseEditForm

        def make():
            form = EnterpriseEditForm(self.db, officer_id=self.officer_id, today=self.today(), parent=self)
            form.saved.connect(self._registered)
            return form

        return self.open_window(("enterprise", None), make)

    def _registered(self, enterprise_id: str) -> None:
        self.view.setCurrentIndex(0)
        self.search.clear()
        self._apply_search()
        self.changed(enterprise_id, *REGISTER)

    def edit_enterprise(self, enterprise_id: str | None = None):
        from ui.enterprises.enterprise_form import EnterpriseEditForm

        enterprise_id = enterprise_id or self.current_id
        if enterprise_id is None:
            return None

        def make():
            form = EnterpriseEditForm(self.db, enterprise_id=enterprise_id, officer_id=self.officer_id,
                                      today=self.today(), parent=self)
            form.saved.connect(lambda eid: self.changed(eid, *REGISTER))
            return form

        return self.open_window(("enterprise", enterprise_id), make)

    def ask_delete_enterprise(self) -> None:
        page = self.detail.page
        if page is None:
            return
        answer = QMessageBox.question(self, self.tr("注销企业"), self.tr(
            "确定将“{name}”从企业名录中注销（如已迁出、关停）？\n其检查、整改、联络和核查记录保留。").format(
            name=page.detail.values.name))
        if answer == QMessageBox.StandardButton.Yes:
            self.delete_enterprise(page.id)

    def delete_enterprise(self, enterprise_id: str) -> bool:
        from app.enterprises.register import delete_enterprise

        ok, _none = guarded(self, self.tr("无法注销企业"), lambda: delete_enterprise(
            self.db, enterprise_id=enterprise_id, officer_id=self.officer_id))
        if ok:
            self.refresh()
            changes.announce("enterprise", source=self)
        return ok

    def open_assign(self):
        from ui.enterprises.liaison_forms import AssignForm

        page = self.detail.page
        if page is None:
            return None
        form = AssignForm(self.db, enterprise_id=page.id, name=page.detail.values.name,
                          current_id=page.detail.liaison_officer_id, current=page.detail.row.liaison,
                          officer_id=self.officer_id, today=self.today(), parent=self)
        return self.open_dialog(form, lambda _oid: self.changed(page.id, *REGISTER, on_page="history"))

    # --- liaison and requests ------------------------------------------------------------------
    def open_liaison(self):
        from ui.enterprises.liaison_forms import LiaisonForm

        page = self.detail.page
        if page is None:
            return None
        form = LiaisonForm(self.db, enterprise_id=page.id, name=page.detail.values.name, officer_id=self.officer_id,
                           today=self.today(), parent=self)
        return self.open_dialog(form, lambda lid: self.changed(page.id, "liaison_visit", on_page="liaison", record=lid))

    def open_request(self):
        from ui.enterprises.liaison_forms import RequestForm

        page = self.detail.page
        if page is None:
            return None
        form = RequestForm(self.db, enterprise_id=page.id, name=page.detail.values.name, officer_id=self.officer_id,
                           today=self.today(), parent=self)
        return self.open_dialog(form, lambda rid: self.changed(page.id, "enterprise_request",
                                                               on_page="enterprise_request", record=rid))

    def open_answer(self, request_id: str):
        from ui.enterprises.liaison_forms import AnswerForm

        page = self.detail.page
        request = next((r for r in page.requests if r.id == request_id), None) if page else None
        if request is None:
            return None
        form = AnswerForm(self.db, request=request, officer_id=self.officer_id, today=self.today(), parent=self)
        return self.open_dialog(form, lambda rid: self.changed(page.id, "enterprise_request",
                                                               on_page="enterprise_request", record=rid))

    # --- hire checks ---------------------------------------------------------------------------
    def open_hire_check(self):
        from ui.enterprises.hire_forms import HireCheckForm

        page = self.detail.page
        if page is None:
            return None
        form = HireCheckForm(self.db, enterprise_id=page.id, name=page.detail.values.name, officer_id=self.officer_id,
                             today=self.today(), keep_days=self.context.setting("enterprises/hire_check_keep_days"),
                             parent=self)
        return self.open_dialog(form, lambda added: self._hire_added(page.id, added))

    def _hire_added(self, enterprise_id: str, added) -> None:
        self.changed(enterprise_id, "hire_check", on_page="hire_check", record=added.id)
        if added.earlier:
            lines = "\n".join(f"{e.requested_on or ''}　{e.enterprise}　{e.name}　{e.result or self.tr('待答复')}"
                              for e in added.earlier)
            tell(self, self.tr("此人曾被核查"), self.tr("同一身份证号此前的核查：\n{lines}").format(lines=lines))

    def open_hire_answer(self, check_id: str):
        from ui.enterprises.hire_forms import HireAnswerForm

        page = self.detail.page
        check = next((c for c in page.hire_checks if c.id == check_id), None) if page else None
        if check is None:
            return None
        form = HireAnswerForm(self.db, check=check, officer_id=self.officer_id, today=self.today(), parent=self)
        return self.open_dialog(form, lambda cid: self.changed(page.id, "hire_check", on_page="hire_check", record=cid))

    def print_letter(self, check_ids: list[str]):
        from app.enterprises.hire_check_pdf import hire_check_letter

        ok, rendered = guarded(self, self.tr("无法出具回复函"),
                               lambda: hire_check_letter(self.db, hire_check_ids=list(check_ids)))
        return self.preview(rendered) if ok else None

    def open_hire_list(self):
        from ui.enterprises.hire_forms import HireListForm

        return self.open_dialog(HireListForm(self.db, today=self.today(), parent=self), self.preview)

    # --- the year, the checklists, printing ------------------------------------------------------
    def open_year_view(self):
        from ui.enterprises.year_view import YearViewDialog

        def make():
            dialog = YearViewDialog(self.db, today=self.today(), parent=self)
            dialog.open_requested.connect(self.show_enterprise)
            return dialog

        return self.open_window(("year",), make)

    def open_checklist_editor(self):
        from ui.enterprises.checklist_editor import ChecklistEditForm

        form = ChecklistEditForm(self.db, officer_id=self.officer_id, parent=self)
        return self.open_dialog(form, lambda _version: changes.announce("checklist", source=self))

    def preview(self, rendered):
        """The print preview of a rendered document; prints and saved files of it are audited."""
        from ui.widgets.print_preview import PdfPreviewDialog

        dialog = PdfPreviewDialog(rendered.pdf, title=rendered.title, suggested_name=str(Path.home()
                                                                                        / rendered.suggested_name),
                                  parent=self, db=self.db, audit=rendered.audit)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        if rendered.missing:
            tell(dialog, self.tr("有字无法打印"), self.tr("字体中没有这些字，文书上印为〓，请打印后手写补上：{chars}")
                 .format(chars="".join(rendered.missing)))
        self.previewing.emit(dialog)
        return dialog

    def menu_actions(self) -> list[QAction]:
        """The 一企一警 menu of the main window."""
        actions = []
        for text, slot in ((self.tr("登记企业(&N)…"), self.new_enterprise),
                           (self.tr("年度统计与评选(&Y)…"), self.open_year_view),
                           (self.tr("打印招工核查申请清单(&H)…"), self.open_hire_list),
                           (self.tr("修改检查清单（所领导）(&C)…"), self.open_checklist_editor),
                           (self.tr("注销所选企业(&D)…"), self.ask_delete_enterprise)):
            action = QAction(text, self)
            action.triggered.connect(lambda _checked=False, slot=slot: slot() if self.db is not None else None)
            actions.append(action)
        return actions

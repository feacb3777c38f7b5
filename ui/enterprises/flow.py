"""The inspection flow as the tab drives it: 安全检查 (the checklist form) -> 责令限期整改通知书 (issued, printed
with its stub, delivered) -> items reported put right -> 复查 -> 复查通过 / 转执法办案, and the three documents.
The tab owns one ``InspectionFlow``; the detail pane's buttons reach it by signal."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ui.enterprises.checklist_form import InspectionForm  # imported with the tab: the form opens at once
from ui.widgets.messages import guarded

if TYPE_CHECKING:
    from ui.enterprises.detail import EnterpriseDetailPane
    from ui.enterprises.tab import EnterprisesTab

INSPECTION_TABLES = ("inspection", "inspection_item", "rectification")
DOCUMENTS = {"inspection": "安全检查记录", "notice": "责令限期整改通知书", "recheck": "复查意见书"}


class InspectionFlow:
    def __init__(self, tab: EnterprisesTab) -> None:
        self.tab = tab

    def connect(self, pane: EnterpriseDetailPane) -> None:
        pane.inspect_requested.connect(lambda: self.open_inspection())
        pane.record_requested.connect(self.open_record)
        pane.print_requested.connect(self.print_document)
        pane.notice_requested.connect(self.open_notice)
        pane.deliver_requested.connect(self.open_deliver)
        pane.recheck_requested.connect(self.open_recheck)
        pane.done_requested.connect(self.open_done)

    # --- what the forms need ----------------------------------------------------------------
    def _officers(self) -> list[str]:
        from app.enterprises.queries import officer_choices

        return [name for _id, name in officer_choices(self.tab.db)]

    def _flow_of(self, inspection_id: str):
        """The inspection's record and its rectifications (None after telling the officer it is gone)."""
        from app.enterprises.inspections import inspection_record
        from app.enterprises.rectifications import rectifications_of

        db = self.tab.db
        ok, found = guarded(self.tab, self.tab.tr("无法打开检查记录"), lambda: (
            inspection_record(db, inspection_id=inspection_id), rectifications_of(db, inspection_id=inspection_id)))
        return found if ok else (None, None)

    def _saved(self, enterprise_id: str, inspection_id: str, *tables: str) -> None:
        self.tab.changed(enterprise_id, *tables, on_page="inspection", record=inspection_id)

    # --- the inspection ----------------------------------------------------------------------
    def open_inspection(self):
        """The checklist form of the enterprise shown (the one kept unsaved, if any)."""
        tab, page = self.tab, self.tab.detail.page
        if page is None:
            return None
        me = tab.officer_name()
        liaison = page.detail.row.liaison
        enterprise_id = page.id

        def make():
            form = InspectionForm(tab.db, enterprise_id=enterprise_id, name=page.detail.values.name,
                                  category=page.detail.values.category, officers=self._officers(), inspector=me,
                                  second=liaison if liaison != me else "", officer_id=tab.officer_id,
                                  today=tab.today(), parent=tab)
            form.saved.connect(lambda inspection_id: self._inspected(enterprise_id, inspection_id, form))
            return form

        return tab.open_window(("inspection", enterprise_id), make)

    def _inspected(self, enterprise_id: str, inspection_id: str, form) -> None:
        self._saved(enterprise_id, inspection_id, *INSPECTION_TABLES)
        if form.print_after:
            self.print_document("inspection", inspection_id)

    def open_record(self, inspection_id: str):
        from ui.enterprises.record_view import InspectionRecordDialog

        record, _items = self._flow_of(inspection_id)
        if record is None:
            return None
        page = self.tab.detail.page
        line = next((x for x in page.inspections if x.id == inspection_id), None) if page is not None else None
        state = line.state_label if line is not None else ""
        dialog = InspectionRecordDialog(record, state=state, parent=self.tab)
        dialog.print_requested.connect(lambda iid: self.print_document("inspection", iid))
        return self.tab.open_dialog(dialog)

    # --- the notice ---------------------------------------------------------------------------
    def open_notice(self, inspection_id: str):
        from ui.enterprises.flow_forms import NoticeForm

        record, items = self._flow_of(inspection_id)
        if record is None:
            return None
        tab = self.tab
        form = NoticeForm(tab.db, record=record, items=items, issuer=tab.officer_name(), officer_id=tab.officer_id,
                          today=tab.today(), parent=tab)

        def issued(_numbered) -> None:
            self._saved(record.enterprise_id, inspection_id, "rectification_notice", "rectification")
            if form.print_after:
                self.print_document("notice", inspection_id)

        return tab.open_dialog(form, issued)

    def open_deliver(self, inspection_id: str):
        from app.enterprises.notices import notice_of
        from ui.enterprises.flow_forms import DeliverForm

        tab = self.tab
        notice = notice_of(tab.db, inspection_id=inspection_id)
        enterprise_id = tab.current_id
        if notice is None or enterprise_id is None:
            return None
        form = DeliverForm(tab.db, inspection_id=inspection_id, number=notice.number, issued_on=notice.issued_on,
                           officer_id=tab.officer_id, today=tab.today(), parent=tab)
        return tab.open_dialog(form, lambda _id: self._saved(enterprise_id, inspection_id, "rectification_notice"))

    # --- rectifications and the re-check ----------------------------------------------------------
    def open_done(self, rectification_id: str):
        from ui.enterprises.flow_forms import DoneForm

        tab, page = self.tab, self.tab.detail.page
        item = next((r for r in page.rectifications if r.id == rectification_id), None) if page else None
        if item is None:
            return None
        form = DoneForm(tab.db, item=item, officer_id=tab.officer_id, today=tab.today(), parent=tab)
        return tab.open_dialog(form, lambda rid: tab.changed(item.enterprise_id, "rectification",
                                                             on_page="rectification", record=rid))

    def open_recheck(self, inspection_id: str):
        from ui.enterprises.flow_forms import RecheckForm

        record, items = self._flow_of(inspection_id)
        if record is None:
            return None
        tab = self.tab
        form = RecheckForm(tab.db, record=record, items=items, officers=self._officers(), inspector=tab.officer_name(),
                           officer_id=tab.officer_id, today=tab.today(), parent=tab)

        def rechecked(_numbered) -> None:
            self._saved(record.enterprise_id, inspection_id, "recheck", "rectification")
            if form.print_after:
                self.print_document("recheck", inspection_id)

        return tab.open_dialog(form, rechecked)

    # --- documents ----------------------------------------------------------------------------
    def print_document(self, kind: str, inspection_id: str):
        """Render 安全检查记录 / 责令限期整改通知书 (with its stub) / 复查意见书 and open the print preview."""
        from app.enterprises.inspection_pdf import inspection_sheet
        from app.enterprises.notice_pdf import notice_sheet, recheck_sheet

        render = {"inspection": inspection_sheet, "notice": notice_sheet, "recheck": recheck_sheet}[kind]
        tab = self.tab
        ok, rendered = guarded(tab, tab.tr("无法生成{document}").format(document=tab.tr(DOCUMENTS[kind])),
                               lambda: render(tab.db, inspection_id=inspection_id))
        return tab.preview(rendered) if ok else None

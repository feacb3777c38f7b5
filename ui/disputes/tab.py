"""矛盾纠纷: the dispute list (risk and overdue revisits marked), its detail pane and its forms."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QPushButton, QWidget

from ui.disputes.detail import DisputeDetailPane
from ui.disputes.form import DisputeForm
from ui.disputes.model import DisputeTableModel
from ui.widgets.base_tab import BaseTab
from ui.widgets.drafts import DraftBanner, DraftStore
from ui.widgets.messages import guarded, show_error
from ui.widgets.ops import changes
from ui.widgets.paged_model import Column
from ui.widgets.windows import OwnWindows


def _when(value) -> str:
    return value.astimezone().strftime("%Y-%m-%d %H:%M") if value else ""


class DisputesTab(OwnWindows, BaseTab):
    """``DisputesTab(parent)``, then ``attach(context)``. Overdue is relative to the context's
    ``today()``: the list refreshes itself when the day turns. What it saves is announced on
    ui.widgets.ops.changes (the 工作台 refreshes its counts).

    Unsaved register, session and agreement forms are kept while the program runs (ui/widgets/windows.py)
    and on disk beside the database (ui/widgets/drafts/); those an earlier run left are offered on attach."""

    shows = ("dispute", "dispute_party", "mediation_session", "agreement", "revisit", "dispute_transfer",
             "dispute_event", "community", "officer")
    # What a saved form may have changed: the tab does not know which form wrote what.
    WRITES = ("dispute", "dispute_party", "mediation_session", "agreement", "revisit", "dispute_transfer",
              "dispute_event")
    form_opened = Signal(object)  # a DisputeForm or dialog was shown
    previewing = Signal(object)  # a PdfPreviewDialog was opened

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(search_hint=self.tr("搜索 编号、当事人姓名/电话/身份证号、地点或经过（空格分隔多个词）"),
                         parent=parent)
        self.current_id: str | None = None
        self.draft_store: DraftStore | None = None  # where the forms keep their drafts on disk
        self.draft_banner = DraftBanner(self._reopen_draft, self)
        from app.disputes.queries import VIEWS

        self.view = QComboBox(self)
        for code, label in VIEWS.items():
            self.view.addItem(self.tr(label), code)
        self.view.currentIndexChanged.connect(self.refresh)
        self.register_button = QPushButton(self.tr("登记纠纷…"), self)
        self.register_button.clicked.connect(self.register)
        self.stats_button = QPushButton(self.tr("统计与台账…"), self)
        self.stats_button.clicked.connect(self.open_statistics)
        for button in (self.register_button, self.stats_button):
            button.setEnabled(False)
        bar = self.layout().itemAt(0).layout()
        bar.insertWidget(1, self.view)
        bar.addWidget(self.register_button)
        bar.addWidget(self.stats_button)
        self.layout().insertWidget(0, self.draft_banner)

        pane = self.detail
        pane.transition_requested.connect(self.open_transition)
        pane.session_requested.connect(self.open_session)
        pane.agreement_requested.connect(self.open_agreement)
        pane.edit_requested.connect(self.open_edit)
        pane.revisit_days_requested.connect(lambda days: self.schedule(days=days))
        pane.revisit_date_requested.connect(self.ask_revisit_date)
        pane.result_requested.connect(self.open_result)
        pane.print_requested.connect(self.preview_agreement)

    # --- BaseTab --------------------------------------------------------------------------
    def columns(self) -> list[Column]:
        return [
            Column(self.tr("风险"), "risk_note", sort_key="risk"),
            Column(self.tr("编号"), "number", sort_key="number"),
            Column(self.tr("发生时间"), "occurred_at", sort_key="occurred", fmt=_when),
            Column(self.tr("类型"), "kind", sort_key="kind"),
            Column(self.tr("当事人"), "parties"),
            Column(self.tr("状态"), "status_label", sort_key="status"),
            Column(self.tr("回访"), "revisit_note", sort_key="revisit"),
            Column(self.tr("社区"), "community", sort_key="community"),
            Column(self.tr("责任民警"), "officer"),
        ]

    def make_model(self, db) -> DisputeTableModel:
        from app.disputes.queries import PAGE_SIZE, search_disputes

        def fetch(**kwargs):
            return search_disputes(db, view=self.view.currentData(), today=self.today(), **kwargs)

        return DisputeTableModel(self.columns(), fetch, page_size=PAGE_SIZE, parent=self)

    @staticmethod
    def warm_up(db, today: date) -> None:
        from app.disputes.queries import VIEWS, dispute_detail, search_disputes
        from ui.widgets.base_tab import FIRST_ROWS

        rows = search_disputes(db, view=next(iter(VIEWS)), today=today, limit=FIRST_ROWS)
        if rows:
            dispute_detail(db, rows[0].id, today=today)
        # The other views' statements and a one-word search's, compiled here too (10-20 ms each at
        # its first showing); one row each is enough to compile them.
        for view in list(VIEWS)[1:]:
            search_disputes(db, view=view, today=today, limit=1)
        search_disputes(db, text="王", today=today, limit=1)

    def make_detail(self) -> DisputeDetailPane:
        return DisputeDetailPane(self)

    def show_detail(self, record_id: str | None) -> None:
        from app.disputes.queries import dispute_detail

        self.current_id = record_id
        self.detail.show_dispute(dispute_detail(self.db, record_id, today=self.today()) if record_id else None)

    def attach(self, context) -> None:
        super().attach(context)
        db = context.db
        self.detail.set_database(db)
        self.splitter.setSizes([3 * self.width() // 5, 2 * self.width() // 5])
        self.register_button.setEnabled(True)
        self.stats_button.setEnabled(True)
        self.draft_store = DraftStore.beside(db.path)
        self.draft_banner.offer(self.draft_store, area="disputes")

    def show_dispute(self, dispute_id: str) -> None:
        """Reload the list and put ``dispute_id`` in the detail pane (selected when on the first page)."""
        self.refresh()
        row = self.model.row_of(dispute_id)
        if row is not None:
            self.table.selectRow(row)
            self.table.scrollTo(self.model.index(row, 0))
        else:  # filtered out or further down: show it without pointing at another row
            self.table.clearSelection()
            self.show_detail(dispute_id)

    def open_record(self, table: str, record_id: str) -> None:
        self.show_dispute(record_id)

    def _saved(self, dispute_id: str | None = None) -> None:
        self.show_dispute(dispute_id or self.current_id)
        changes.announce(*self.WRITES, source=self)

    # --- forms ----------------------------------------------------------------------------
    def register(self) -> DisputeForm:
        from ui.disputes.register_form import RegisterForm

        form = self.open_window(("register", ""), lambda: RegisterForm(self.db, officer_id=self.officer_id,
                                                                today=self.today(), parent=self))
        _connect_once(form, lambda registered: self._saved(registered.id))
        return form

    def open_edit(self, dispute_id: str | None = None) -> DisputeForm | None:
        from ui.disputes.register_form import RegisterForm

        dispute_id = dispute_id or self.current_id
        if not dispute_id:
            return None
        form = self.open_window(("edit", dispute_id), lambda: RegisterForm(
            self.db, officer_id=self.officer_id, dispute_id=dispute_id, today=self.today(), parent=self))
        _connect_once(form, lambda _id: self._saved(dispute_id))
        return form

    def open_transition(self) -> DisputeForm | None:
        from ui.disputes.dialogs import TransitionForm

        detail = self.detail.detail
        if detail is None:
            return None
        row = detail.row
        form = TransitionForm(self.db, dispute_id=row.id, number=row.number, current=row.status,
                              occurred_at=row.occurred_at, officer_id=self.officer_id, parent=self)
        return self._show_once(form, row.id)

    def open_session(self, dispute_id: str | None = None) -> DisputeForm | None:
        from ui.disputes.mediation_forms import SessionForm

        detail = self._detail_of(dispute_id)
        if detail is None:
            return None
        row = detail.row
        form = self.open_window(("session", row.id), lambda: SessionForm(
            self.db, dispute_id=row.id, number=row.number, occurred_at=row.occurred_at,
            host=row.officer or self._officer_name(), place=f"{row.community}警务室" if row.community else "",
            attendees=row.parties,
            officer_id=self.officer_id, parent=self))
        _connect_once(form, lambda _id: self._saved(row.id))
        return form

    def open_agreement(self, dispute_id: str | None = None) -> DisputeForm | None:
        from ui.disputes.mediation_forms import AgreementForm

        detail = self._detail_of(dispute_id)
        if detail is None:
            return None
        row = detail.row

        def make() -> DisputeForm:
            return AgreementForm(self.db, dispute_id=row.id, number=row.number, parties=len(detail.parties),
                                 occurred_on=row.occurred_at.astimezone().date(), officer_id=self.officer_id,
                                 today=self.today(), parent=self)

        ok, form = guarded(self, self.tr("无法制作协议书"), lambda: self.open_window(("agreement", row.id), make))
        if not ok:
            return None

        def saved(registered) -> None:
            self._saved(row.id)
            self.preview_agreement(registered.id)

        _connect_once(form, saved)
        return form

    def _officer_name(self) -> str:
        from app.disputes.queries import officer_choices

        return dict(officer_choices(self.db)).get(self.officer_id, "") if self.officer_id else ""

    def _detail_of(self, dispute_id: str | None):
        """The detail pane's dispute, or ``dispute_id``'s (None when it no longer exists)."""
        shown = self.detail.detail
        if dispute_id is None or (shown is not None and shown.row.id == dispute_id):
            return shown
        from app.disputes.queries import dispute_detail

        return dispute_detail(self.db, dispute_id, today=self.today())

    def _reopen_draft(self, draft) -> DisputeForm | None:
        """Open the form ``draft`` (ui.widgets.drafts.Draft) was typed into, or None when its dispute is gone."""
        if draft.kind == "register":
            if draft.record_id is None:
                return self.register()
            return self.open_edit(draft.record_id) if self._detail_of(draft.record_id) else None
        dispute_id = draft.context.get("dispute_id")
        if not isinstance(dispute_id, str):
            return None
        if draft.kind == "session":
            return self.open_session(dispute_id)
        if draft.kind == "agreement":
            return self.open_agreement(dispute_id)
        return None

    def open_result(self, revisit_id: str) -> DisputeForm | None:
        from ui.disputes.dialogs import RevisitResultForm

        detail = self.detail.detail
        line = next((r for r in detail.revisits if r[0] == revisit_id), None) if detail else None
        if line is None:
            return None
        form = RevisitResultForm(self.db, revisit_id=revisit_id, number=detail.row.number, due_on=line[1],
                                 occurred_on=detail.row.occurred_at.astimezone().date(),
                                 officer_id=self.officer_id, today=self.today(), parent=self)
        return self._show_once(form, detail.row.id)

    def _show_once(self, form: DisputeForm, dispute_id: str) -> DisputeForm:
        """A short form that is not worth keeping as a draft."""
        form.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        form.saved.connect(lambda _result: self._saved(dispute_id))
        form.show()
        self.form_opened.emit(form)
        return form

    # --- revisits -------------------------------------------------------------------------
    def schedule(self, *, days: int | None = None, due_on: date | None = None) -> str | None:
        """One click: a revisit ``days`` from today (or on ``due_on``) for the selected dispute."""
        from app.disputes.revisits import schedule_revisit

        if not self.current_id:
            return None
        dispute_id = self.current_id
        ok, revisit_id = guarded(self, self.tr("无法安排回访"), lambda: schedule_revisit(
            self.db, dispute_id=dispute_id, days=days, due_on=due_on, officer_id=self.officer_id,
            today=self.today()))
        if ok:
            self._saved(dispute_id)
        return revisit_id

    def ask_revisit_date(self):
        from ui.disputes.dialogs import RevisitDateDialog

        dialog = RevisitDateDialog(today=self.today(), parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.chosen.connect(lambda day: self.schedule(due_on=day))
        dialog.open()
        self.form_opened.emit(dialog)
        return dialog

    # --- printing and statistics ----------------------------------------------------------
    def preview_agreement(self, agreement_id: str):
        """Render the agreement and open the preview (print / save as PDF); prints are audited."""
        from app.disputes.agreement_pdf import agreement_sheet
        from ui.widgets.print_preview import PdfPreviewDialog

        ok, rendered = guarded(self, self.tr("无法生成协议书"),
                               lambda: agreement_sheet(self.db, agreement_id=agreement_id))
        if not ok:
            return None
        dialog = PdfPreviewDialog(rendered.pdf, title=rendered.title,
                                  suggested_name=str(Path.home() / rendered.suggested_name), parent=self,
                                  db=self.db, audit=rendered.audit)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        if missing := rendered.missing:
            show_error(dialog, self.tr("有字无法打印"), self.tr(
                "字体缺少这些字：{chars}\n打印后请在协议书上手写补齐。").format(chars="".join(missing)))
        self.previewing.emit(dialog)
        return dialog

    def open_statistics(self):
        from ui.disputes.stats_dialog import StatsDialog

        dialog = StatsDialog(self.db, today=self.today(), parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        self.form_opened.emit(dialog)
        return dialog


def _connect_once(form: DisputeForm, slot: Callable) -> None:
    """A kept draft is shown again and again: connect its saved signal only the first time."""
    if not form.property("cpdesk_connected"):
        form.setProperty("cpdesk_connected", True)
        form.saved.connect(slot)

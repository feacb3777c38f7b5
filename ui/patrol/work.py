"""The patrol tab's roster work (a mixin of ui/patrol/tab.py ``PatrolTab``): the roster grid window,
generating a roster on a worker (progress, cancel) into its preview, sign-in of a day's shifts with a
found dispute registered from the patrol log, and the printed 巡逻排班表 and 巡逻签到表."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import Qt

from ui.widgets.messages import show_error, tell
from ui.widgets.ops import Op, changes

STAGES = {"班次": "正在按班次模板生成班次…", "读取": "正在读取义警和班次…", "排班": "正在排班…",
          "调整": "正在调整，使人手和班次更均衡…", "完成": "即将完成…"}


class PatrolWork:
    """Needs of the tab: ``db``, ``officer_id``, ``today()``, ``_open(key, make)``, ``refresh()``, the
    signals ``form_opened``, ``preview_opened``, ``roster_previewed``, ``dispute_created``."""

    # --- the roster grid -----------------------------------------------------------------------
    def open_roster(self, team_id: str | None = None, *, anchor: date | None = None, mode: str = "week"):
        from app.patrol.queries import team_choices
        from ui.patrol.roster_grid import RosterWindow

        team_id = team_id or next((tid for tid, _name in team_choices(self.db)), None)

        def make():
            window = RosterWindow(self.db, team_id=team_id, anchor=anchor or self.today(), mode=mode,
                                  officer_id=self.officer_id, today=self.today(), parent=self)
            window.generate_requested.connect(self.open_generate)
            window.shift_requested.connect(self.new_shift)
            window.sign_in_requested.connect(self.open_sign_in)
            window.print_requested.connect(self.print_roster)
            window.form_opened.connect(self.form_opened)
            return window

        key = ("roster",)
        known = self._own_windows().get(key)
        window = self.open_window(key, make)
        if known is not None:  # already open: show what was asked for
            window.team.setCurrentIndex(max(0, window.team.findData(team_id)))
            if anchor is not None:
                window.go_to(anchor)
        return window

    def open_shift(self, shift_id: str):
        """A shift opened from elsewhere (the 工作台, a history line): a past one still to confirm opens its
        sign-in, any other its place in the roster."""
        from app.patrol.grid import grid_shift

        shift = grid_shift(self.db, shift_id=shift_id)
        if shift is None:
            show_error(self, self.tr("无法打开班次"), self.tr("该班次不存在或已取消"))
            return None
        if shift.day < self.today() and not shift.confirmed:
            return self.open_sign_in(shift_id)
        window = self.open_roster(shift.team_id, anchor=shift.day)
        window.select(shift_id)
        return window

    # --- generation -----------------------------------------------------------------------------
    def open_generate(self, team_id: str | None = None, start: date | None = None, end: date | None = None):
        from ui.patrol.shift_forms import GenerateForm

        def make():
            form = GenerateForm(self.db, team_id=team_id, start=start, end=end, today=self.today(), parent=self)
            form.saved.connect(lambda chosen: self.generate(*chosen))
            return form

        return self.open_window(("generate",), make)

    def generate(self, team_id: str | None, start: date, end: date) -> Op:
        """Make the period's shifts from templates and plan the roster, on the writer thread behind a
        cancellable progress dialog; the preview opens when it is done."""
        from app.patrol.generation import preview_roster
        from app.patrol.schedule import make_shifts
        from ui.widgets.progress import ProgressDialog

        db, officer_id = self.db, self.officer_id

        def work():
            op.report("班次", 0, 1)
            made = make_shifts(db, start=start, end=end, team_id=team_id, officer_id=officer_id).made
            return preview_roster(db, start=start, end=end, team_id=team_id, progress=op.report,
                                  should_stop=op.should_stop), made

        self.progress = ProgressDialog(self, self.tr("生成排班"), stages={k: self.tr(v) for k, v in STAGES.items()})
        op = Op(self, work).writes("shift").with_progress(self.progress)
        op.on_success(lambda result: self.show_preview(*result)).on_failure(self._generation_failed)
        return op.run()

    def _generation_failed(self, exc: Exception) -> None:
        from app.core.errors import UserError, explain
        from app.patrol.roster import RosterCancelled

        if isinstance(exc, RosterCancelled):
            tell(self, self.tr("已取消"), str(exc))
        else:
            show_error(self, self.tr("无法生成排班"), str(exc) if isinstance(exc, UserError) else explain(exc))

    def show_preview(self, preview, made: int = 0):
        from app.patrol.queries import team_choices
        from ui.patrol.preview_dialog import PreviewDialog

        team = dict(team_choices(self.db)).get(preview.team_id, self.tr("全部义警队"))

        def make():
            dialog = PreviewDialog(self.db, preview=preview, team=team, made=made, officer_id=self.officer_id,
                                   parent=self)
            dialog.saved.connect(self._roster_saved)
            return dialog

        self._own_windows().pop(("preview",), None)  # a new preview replaces an old one left open
        dialog = self.open_window(("preview",), make)
        self.roster_previewed.emit(dialog)
        return dialog

    def _roster_saved(self, saved) -> None:
        changes.announce("shift_assignment", source=self)
        self.refresh()
        tell(self, self.tr("已保存排班"), self.tr("新增 {added} 条排班，撤下 {removed} 条。").format(
            added=saved.added, removed=saved.removed))

    # --- sign-in ----------------------------------------------------------------------------------
    def open_day(self, day: date | None = None, team_id: str | None = None):
        from ui.patrol.sign_in import DaySignInWindow

        def make():
            window = DaySignInWindow(self.db, day=day or self.today(), team_id=team_id, today=self.today(),
                                     parent=self)
            window.sign_in_requested.connect(self.open_sign_in)
            window.print_requested.connect(self.print_sign_in)
            return window

        window = self.open_window(("day",), make)
        if day is not None:
            window.go_to(day)
        return window

    def open_sign_in(self, shift_id: str):
        from ui.patrol.sign_in_form import ShiftSignInForm

        def make():
            form = ShiftSignInForm(self.db, shift_id=shift_id, officer_id=self.officer_id, today=self.today(),
                                   parent=self)
            form.saved.connect(lambda _sid: self._signed_in())
            form.findings_changed.connect(lambda: changes.announce("patrol_log", "shift", source=self))
            form.dispute_requested.connect(lambda finding_id, form=form: self.register_dispute(finding_id, form))
            return form

        return self.open_window(("sign_in", shift_id), make)

    def _signed_in(self) -> None:
        changes.announce("shift", "shift_assignment", source=self)
        self.refresh()

    def register_dispute(self, finding_id: str, sign_in_form=None):
        """The dispute registration form, prefilled from a 矛盾纠纷 finding; once registered the finding
        is linked to it."""
        from PySide6.QtCore import QDateTime

        from app.patrol.attendance import dispute_draft
        from ui.disputes.register_form import RegisterForm
        from ui.widgets.messages import guarded

        ok, draft = guarded(self, self.tr("无法登记纠纷"), lambda: dispute_draft(self.db, finding_id=finding_id))
        if not ok:
            return None

        def make():
            form = RegisterForm(self.db, officer_id=self.officer_id, today=self.today(), parent=self)
            form.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            form.facts.setPlainText(draft["facts"])
            form.place.setText(draft["place"])
            form.occurred_at.setDateTime(QDateTime(draft["occurred_at"].astimezone().replace(tzinfo=None)))
            form.saved.connect(lambda registered: self._dispute_registered(finding_id, registered, sign_in_form))
            return form

        return self.open_window(("dispute", finding_id), make)

    def _dispute_registered(self, finding_id: str, registered, sign_in_form) -> None:
        from app.patrol.attendance import link_dispute
        from ui.widgets.messages import guarded

        dispute_id = registered.id if hasattr(registered, "id") else registered
        guarded(self, self.tr("纠纷已登记，但未能关联到巡逻日志"),
                lambda: link_dispute(self.db, finding_id=finding_id, dispute_id=dispute_id, officer_id=self.officer_id))
        changes.announce("dispute", "dispute_party", "patrol_log", source=self)
        if sign_in_form is not None:
            sign_in_form.dispute_registered()
        self.dispute_created.emit(dispute_id)

    # --- printing ---------------------------------------------------------------------------------
    def print_roster(self, team_id: str | None, start: date | None = None, end: date | None = None):
        """巡逻排班表 of a team's period (this week when not given), in the print preview."""
        from app.patrol.roster_pdf import roster_sheet
        from ui.widgets.messages import guarded

        if team_id is None:
            show_error(self, self.tr("无法打印排班表"), self.tr("请先选择一个义警队"))
            return None
        if start is None:
            start = self.today() - timedelta(days=self.today().weekday())
            end = start + timedelta(days=6)
        ok, rendered = guarded(self, self.tr("无法生成排班表"), lambda: roster_sheet(
            self.db, team_id=team_id, start=start, end=end))
        return self.preview(rendered, title=self.tr("巡逻排班表")) if ok else None

    def print_sign_in(self, day: date, team_id: str | None = None):
        """巡逻签到表 of a day's shifts (of a team), for paper sign-in on site."""
        from app.patrol.sign_in_pdf import sign_in_sheet
        from ui.widgets.messages import guarded

        ok, rendered = guarded(self, self.tr("无法生成签到表"), lambda: sign_in_sheet(self.db, on=day, team_id=team_id))
        return self.preview(rendered, title=self.tr("巡逻签到表")) if ok else None

    def preview(self, rendered, *, title: str):
        from ui.widgets.print_preview import PdfPreviewDialog

        dialog = PdfPreviewDialog(rendered.pdf, title=getattr(rendered, "title", "") or title,
                                  suggested_name=str(Path.home() / rendered.suggested_name), parent=self, db=self.db,
                                  audit=getattr(rendered, "audit", None))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        if rendered.missing:
            text = self.tr("字体中没有这些字，表上印为〓，请打印后手写补上：{chars}")
            show_error(dialog, self.tr("有字无法打印"), text.format(chars="".join(rendered.missing)))
        self.preview_opened.emit(dialog)
        return dialog

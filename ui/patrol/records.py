"""The patrol tab's forms of records (a mixin of ui/patrol/tab.py ``PatrolTab``): volunteers, their leave,
status and teams; teams; routes; shift templates; one-off shifts. Each form is a window of its own, one
per record; what it saved is shown and announced."""

from __future__ import annotations

from datetime import date


class PatrolRecords:
    """Needs of the tab: ``db``, ``officer_id``, ``today()``, ``view_key``, ``detail``, ``current_id()``,
    ``_open(key, make)``, ``_changed(record_id, *tables)``, ``ask``, ``run``, ``set_view``."""

    VOLUNTEER_TABLES = ("volunteer", "volunteer_membership", "volunteer_status")

    def new_record(self):
        if self.view_key == "volunteers":
            return self.new_volunteer(None)
        if self.view_key == "teams":
            return self.edit_team(None)
        return self.new_route(None)

    def edit_record(self):
        record_id = self.current_id()
        if record_id is None:
            return None
        return {"volunteers": self.edit_volunteer, "teams": self.edit_team, "routes": self.edit_route}[
            self.view_key](record_id)

    # --- volunteers -------------------------------------------------------------------------------
    def new_volunteer(self, team_id: str | None):
        return self._volunteer_form(None, team_id)

    def edit_volunteer(self, volunteer_id: str | None):
        return self._volunteer_form(volunteer_id, None) if volunteer_id else None

    def _volunteer_form(self, volunteer_id: str | None, team_id: str | None):
        from ui.patrol.volunteer_form import VolunteerForm

        def make():
            form = VolunteerForm(self.db, volunteer_id=volunteer_id, team_id=team_id, officer_id=self.officer_id,
                                 today=self.today(), parent=self)
            form.saved.connect(self._volunteer_saved)
            return form

        return self.open_window(("volunteer", volunteer_id or f"new:{team_id}"), make)

    def _volunteer_saved(self, volunteer_id: str) -> None:
        self.set_view("volunteers")
        self._changed(volunteer_id, *self.VOLUNTEER_TABLES)

    def _volunteer(self):
        pane = self.detail.volunteer
        return pane.detail if self.view_key == "volunteers" else None

    def open_leave(self):
        from ui.patrol.small_forms import LeaveForm

        detail = self._volunteer()
        if detail is None:
            return None
        row = detail.row

        def make():
            form = LeaveForm(self.db, volunteer_id=row.id, name=row.name, officer_id=self.officer_id,
                             today=self.today(), parent=self)
            form.saved.connect(lambda _id: self._changed(row.id, "volunteer_leave"))
            return form

        return self.open_window(("leave", row.id), make)

    def open_status(self):
        from ui.patrol.small_forms import StatusForm

        detail = self._volunteer()
        if detail is None:
            return None
        row = detail.row

        def make():
            form = StatusForm(self.db, volunteer_id=row.id, name=row.name, current=row.status,
                              officer_id=self.officer_id, today=self.today(), parent=self)
            form.saved.connect(lambda _s: self._changed(row.id, "volunteer", "volunteer_status"))
            return form

        return self.open_window(("status", row.id), make)

    def open_membership(self, team_id: str | None, *, volunteer_id: str | None = None):
        """Join a team (``team_id`` None) or change the role in one, of the shown volunteer or ``volunteer_id``."""
        from app.patrol.details import volunteer_detail
        from ui.patrol.small_forms import MembershipForm

        detail = volunteer_detail(self.db, volunteer_id=volunteer_id or self.current_id(), today=self.today())
        if detail is None:
            return None
        row = detail.row
        role = next((role for tid, _name, role, _home in detail.teams if tid == team_id), "member")
        mine = tuple(tid for tid, *_rest in detail.teams)
        shown = self.current_id()

        def make():
            form = MembershipForm(self.db, volunteer_id=row.id, name=row.name, team_id=team_id, role=role,
                                  exclude=mine, officer_id=self.officer_id, today=self.today(), parent=self)
            form.saved.connect(lambda _t: self._changed(shown, "volunteer_membership", "volunteer_team"))
            return form

        return self.open_window(("membership", row.id, team_id), make)

    def ask_leave_team(self, team_id: str, *, volunteer_id: str | None = None) -> bool:
        from app.patrol.details import volunteer_detail

        detail = volunteer_detail(self.db, volunteer_id=volunteer_id or self.current_id(), today=self.today())
        team = next((name for tid, name, *_rest in detail.teams if tid == team_id), "") if detail else ""
        if detail is None or not self.ask(self.tr("移出义警队"), self.tr("把 {name} 移出 {team}？").format(
                name=detail.row.name, team=team)):
            return False
        return self.leave_team(team_id, volunteer_id=detail.row.id)

    def leave_team(self, team_id: str, *, volunteer_id: str) -> bool:
        from app.patrol.teams import leave_team

        shown = self.current_id()
        if self.run(self.tr("无法移出"), lambda: leave_team(self.db, volunteer_id=volunteer_id, team_id=team_id,
                                                          officer_id=self.officer_id)):
            self._changed(shown, "volunteer", "volunteer_membership")
            return True
        return False

    def cancel_leave(self, leave_id: str) -> bool:
        from app.patrol.volunteers import cancel_leave

        shown = self.current_id()
        if self.run(self.tr("无法取消请假"),
                    lambda: cancel_leave(self.db, leave_id=leave_id, officer_id=self.officer_id)):
            self._changed(shown, "volunteer_leave")
            return True
        return False

    # --- teams and routes -------------------------------------------------------------------------
    def edit_team(self, team_id: str | None):
        from ui.patrol.team_form import TeamForm

        def make():
            form = TeamForm(self.db, team_id=team_id, officer_id=self.officer_id, parent=self)
            form.saved.connect(lambda tid: (self.set_view("teams"), self._changed(tid, "volunteer_team")))
            return form

        return self.open_window(("team", team_id), make)

    def new_route(self, team_id: str | None):
        return self._route_form(None, team_id)

    def edit_route(self, route_id: str | None):
        return self._route_form(route_id, None) if route_id else None

    def _route_form(self, route_id: str | None, team_id: str | None):
        from ui.patrol.team_form import RouteForm

        def make():
            form = RouteForm(self.db, route_id=route_id, team_id=team_id, officer_id=self.officer_id, parent=self)
            form.saved.connect(lambda rid: (self.set_view("routes"), self._changed(rid, "patrol_route", "route_team")))
            return form

        return self.open_window(("route", route_id or f"new:{team_id}"), make)

    # --- shift templates and one-off shifts ------------------------------------------------------------
    def _template_for_route(self):
        detail = self.detail.route.detail
        if detail is not None:
            return self.open_template(None, team_id=detail.teams[0][0] if detail.teams else None,
                                      route_id=detail.row.id)
        return None

    def open_template(self, template_id: str | None, *, team_id: str | None = None, route_id: str | None = None):
        from ui.patrol.shift_forms import TemplateForm

        shown = self.current_id()

        def make():
            form = TemplateForm(self.db, template_id=template_id, team_id=team_id, route_id=route_id,
                                officer_id=self.officer_id, today=self.today(), parent=self)
            form.saved.connect(lambda _tid: self._changed(shown, "shift_template"))
            return form

        return self.open_window(("template", template_id or f"new:{team_id}:{route_id}"), make)

    def ask_delete_template(self, template_id: str) -> bool:
        if not self.ask(self.tr("删除班次模板"), self.tr("删除这个班次模板？已生成的班次保留，以后不再按它生成。")):
            return False
        return self.delete_template(template_id)

    def delete_template(self, template_id: str) -> bool:
        from app.patrol.schedule import delete_template

        shown = self.current_id()
        if self.run(self.tr("无法删除"), lambda: delete_template(self.db, template_id=template_id,
                                                                officer_id=self.officer_id)):
            self._changed(shown, "shift_template")
            return True
        return False

    def new_shift(self, team_id: str | None, day: date | None):
        from ui.patrol.shift_forms import ShiftForm

        def make():
            form = ShiftForm(self.db, team_id=team_id, day=day or self.today(), officer_id=self.officer_id,
                             parent=self)
            form.saved.connect(lambda sid: self._shift_added(sid))
            return form

        return self.open_window(("shift", f"new:{team_id}"), make)

    def _shift_added(self, shift_id: str) -> None:
        from ui.widgets.ops import changes

        changes.announce("shift", source=self)
        self.open_shift(shift_id)

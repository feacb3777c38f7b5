"""The forms' rules for the area's rows arriving by sync, in app/sync/rules.py's terms (it merges these).

Each table's row is put in the terms of the check its service runs, and the problems are keyed by
the row's columns. What a rule needs from other rows (a sign-in's times against its shift's hours, a
template's team patrolling its route, one record per ID number) is left out: one row cannot tell.
``route_team`` holds nothing but its two references, which the importer checks for every table.
``c`` is app.sync.rules.Context (``today``, ``now``)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime, time

from app.core.vocab import (
    ATTENDANCE_HOW,
    FINDING_KINDS,
    ROUTE_KINDS,
    TEAM_KINDS,
    TEAM_ROLES,
    VOLUNTEER_SKILLS,
    VOLUNTEER_STATUSES,
)
from app.patrol.attendance import assignment_problems, finding_problems
from app.patrol.routes import RouteValues, route_problems
from app.patrol.schedule import ShiftValues, TemplateValues, shift_problems, template_problems
from app.patrol.settings import DEFAULTS, setting_problems
from app.patrol.teams import TeamValues, team_problems
from app.patrol.volunteers import (
    VolunteerValues,
    leave_problems,
    membership_problems,
    status_problems,
    volunteer_problems,
)

# (table, column) -> the codes it may hold (shift_assignment.attendance is app/sync/rules.py's own)
VOCABULARIES = {
    ("volunteer_team", "kind"): TEAM_KINDS,
    ("volunteer", "status"): VOLUNTEER_STATUSES,
    ("volunteer_membership", "role"): TEAM_ROLES,
    ("volunteer_status", "status"): VOLUNTEER_STATUSES,
    ("patrol_route", "kind"): ROUTE_KINDS,
    ("shift_template", "skill"): VOLUNTEER_SKILLS,
    ("shift", "skill"): VOLUNTEER_SKILLS,
    ("shift_assignment", "recorded_how"): ATTENDANCE_HOW,
    ("patrol_log", "kind"): FINDING_KINDS,
    ("patrol_setting", "name"): tuple(DEFAULTS),
}
_WEEKDAYS = re.compile(r"[1-7](,[1-7])*")


def _day(text: str | None) -> date | None:
    return None if text is None else date.fromisoformat(text)


def _time(text: str | None) -> time | None:
    return None if text is None else time.fromisoformat(text)


def _moment(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text).replace(tzinfo=UTC)


def _codes(text: str) -> tuple[str, ...]:
    return tuple(t for t in text.split(",") if t)


def _team(r: dict, _c) -> dict[str, str]:
    return team_problems(TeamValues(name=r["name"], kind=r["kind"], contact=r["contact"] or "", notes=r["notes"] or "",
                                    group_size=r["group_size"], group_leader=bool(r["group_leader"])))


def _volunteer(r: dict, c) -> dict[str, str]:
    return volunteer_problems(VolunteerValues(
        name=r["name"], id_number=r["id_number"] or "", phone=r["phone"] or "", skills=_codes(r["skills"]),
        trained_on=_day(r["trained_on"]), weekly_cap=r["weekly_cap"], availability=frozenset(_codes(r["availability"])),
        joined_on=_day(r["joined_on"])), today=c.today)


def _membership(r: dict, c) -> dict[str, str]:
    return membership_problems(role=r["role"], joined_on=_day(r["joined_on"]), today=c.today)


def _leave(r: dict, _c) -> dict[str, str]:
    return leave_problems(starts_on=_day(r["starts_on"]), ends_on=_day(r["ends_on"]), reason=r["reason"] or "")


def _status(r: dict, c) -> dict[str, str]:
    return status_problems(status=r["status"], since=_day(r["since"]), reason=r["reason"] or "", today=c.today)


def _route(r: dict, _c) -> dict[str, str]:
    return route_problems(RouteValues(name=r["name"], kind=r["kind"], waypoints=tuple(r["waypoints"].split("\n")),
                                      minutes=r["minutes"], notes=r["notes"] or ""))


def _template(r: dict, _c) -> dict[str, str]:
    if not _WEEKDAYS.fullmatch(r["weekdays"]):
        return {"weekdays": "格式不对（应为 1 到 7，逗号分隔）"}
    return template_problems(TemplateValues(
        route_id=r["route_id"], team_id=r["team_id"], weekdays=tuple(int(d) for d in r["weekdays"].split(",")),
        starts_at=_time(r["starts_at"]), ends_at=_time(r["ends_at"]), valid_from=_day(r["valid_from"]),
        headcount=r["headcount"], needs_leader=bool(r["needs_leader"]), skill=r["skill"],
        valid_to=_day(r["valid_to"]), notes=r["notes"] or ""))


def _shift(r: dict, _c) -> dict[str, str]:
    return shift_problems(ShiftValues(
        route_id=r["route_id"], team_id=r["team_id"] or "", day=_day(r["day"]), starts_at=_time(r["starts_at"]),
        ends_at=_time(r["ends_at"]), needed=r["needed"], needs_leader=bool(r["needs_leader"]), skill=r["skill"],
        notes=r["notes"] or ""))


def _assignment(r: dict, _c) -> dict[str, str]:
    return assignment_problems(attendance=r["attendance"], how=r["recorded_how"],
                               started=_moment(r["checked_in_at"]), ended=_moment(r["checked_out_at"]))


def _finding(r: dict, _c) -> dict[str, str]:
    return finding_problems(kind=r["kind"], text=r["text"], settled=bool(r["settled"]))


def _setting(r: dict, _c) -> dict[str, str]:
    return setting_problems(r["name"], r["value"])


# table -> its row check: field -> what is wrong (empty when the row is fine)
ROW_RULES: dict[str, Callable[[dict, object], dict[str, str]]] = {
    "volunteer_team": _team,
    "volunteer": _volunteer,
    "volunteer_membership": _membership,
    "volunteer_leave": _leave,
    "volunteer_status": _status,
    "patrol_route": _route,
    "shift_template": _template,
    "shift": _shift,
    "shift_assignment": _assignment,
    "patrol_log": _finding,
    "patrol_setting": _setting,
}

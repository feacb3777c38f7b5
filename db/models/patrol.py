"""Volunteer patrols (义警巡逻): teams, volunteers, routes, shift templates, shifts, assignments, logs, settings."""

# Codes (kinds, statuses, roles, bands) are the vocabularies of app.core.vocab. Rows that two laptops
# could make alike for the same thing (a membership, a route's team, a shift made from a template for a
# day, a person on a shift, a setting) take an id derived from what they are (app.patrol.common.derived_id),
# so sync merges them instead of doubling them.

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import Index
from sqlmodel import Field

from db.base import SyncedTable


class VolunteerTeam(SyncedTable, table=True):
    __tablename__ = "volunteer_team"

    name: str = Field(max_length=64)
    community_id: str | None = Field(default=None, foreign_key="community.id", index=True)
    # The 队长's name and phone as printed (kept by the service from the captain's volunteer row).
    leader: str | None = Field(default=None, max_length=32)
    leader_phone: str | None = Field(default=None, max_length=20)
    notes: str | None = None
    kind: str = Field(default="community", max_length=16)  # app.core.vocab.TEAM_KINDS
    contact: str | None = Field(default=None, max_length=64)  # 联系方式
    group_size: int = 3  # a patrol group has at least this many people
    group_leader: bool = True  # each group has a 小组长: new templates need a leader


class Volunteer(SyncedTable, table=True):
    __tablename__ = "volunteer"
    __table_args__ = (Index("ix_volunteer_untrained", "trained_on", "name", "id"),)  # the 工作台's worklist (0012)

    team_id: str = Field(foreign_key="volunteer_team.id", index=True)  # the home team (also a membership)
    resident_id: str | None = Field(default=None, foreign_key="resident.id")
    name: str = Field(max_length=32, index=True)
    id_number: str | None = Field(default=None, max_length=18, index=True)
    gender: str | None = Field(default=None, max_length=1)
    birth_date: date | None = None
    phone: str | None = Field(default=None, max_length=20)
    skills: str = Field(default="", max_length=200)  # comma-separated app.core.vocab.VOLUNTEER_SKILLS
    joined_on: date | None = None
    active: bool = True  # status == "active", kept by the service for older lists
    status: str = Field(default="active", max_length=8)  # app.core.vocab.VOLUNTEER_STATUSES
    trained_on: date | None = None
    weekly_cap: int = 2  # at most this many shifts a week
    availability: str = Field(default="", max_length=100)  # "1e,3e,6m": ISO weekday + TIME_BANDS code


class VolunteerMembership(SyncedTable, table=True):
    """A volunteer in a team (one person, several teams) and his role there."""

    __tablename__ = "volunteer_membership"

    volunteer_id: str = Field(foreign_key="volunteer.id", index=True)
    team_id: str = Field(foreign_key="volunteer_team.id", index=True)
    role: str = Field(default="member", max_length=12)  # app.core.vocab.TEAM_ROLES
    joined_on: date | None = None


class VolunteerLeave(SyncedTable, table=True):
    """A leave (请假) from ``starts_on`` to ``ends_on``, both days included."""

    __tablename__ = "volunteer_leave"

    volunteer_id: str = Field(foreign_key="volunteer.id", index=True)
    starts_on: date
    ends_on: date
    reason: str | None = Field(default=None, max_length=64)


class VolunteerStatus(SyncedTable, table=True):
    """One change of a volunteer's status (在队/暂停/退出): the history, never edited."""

    __tablename__ = "volunteer_status"

    volunteer_id: str = Field(foreign_key="volunteer.id", index=True)
    status: str = Field(max_length=8)
    since: date
    reason: str | None = Field(default=None, max_length=100)


class PatrolRoute(SyncedTable, table=True):
    __tablename__ = "patrol_route"

    name: str = Field(max_length=64)
    community_id: str | None = Field(default=None, foreign_key="community.id", index=True)
    team_id: str | None = Field(default=None, foreign_key="volunteer_team.id", index=True)  # the first team
    waypoints: str = ""  # 途经点, one per line
    notes: str | None = None
    kind: str = Field(default="night", max_length=8)  # app.core.vocab.ROUTE_KINDS
    minutes: int | None = None  # usual length


class RouteTeam(SyncedTable, table=True):
    """A team that patrols a route."""

    __tablename__ = "route_team"

    route_id: str = Field(foreign_key="patrol_route.id", index=True)
    team_id: str = Field(foreign_key="volunteer_team.id", index=True)


class ShiftTemplate(SyncedTable, table=True):
    """Shifts a team patrols a route on: weekdays, time band, headcount, from ``valid_from``."""

    __tablename__ = "shift_template"

    route_id: str = Field(foreign_key="patrol_route.id", index=True)
    team_id: str = Field(foreign_key="volunteer_team.id", index=True)
    weekdays: str = Field(max_length=13)  # "1,3,5": ISO weekdays
    starts_at: time
    ends_at: time  # not after starts_at: the next day
    headcount: int = 3
    needs_leader: bool = True
    skill: str | None = Field(default=None, max_length=16)
    valid_from: date
    valid_to: date | None = None
    notes: str | None = None


class Shift(SyncedTable, table=True):
    __tablename__ = "shift"
    __table_args__ = (Index("ix_shift_day_start", "day", "starts_at"),
                      Index("ix_shift_unconfirmed", "confirmed_at", "day", "starts_at"),  # the 工作台's worklist (0012)
                      Index("ix_shift_team_day", "team_id", "day"))  # a team's roster of a week or month (0014)

    route_id: str = Field(foreign_key="patrol_route.id", index=True)
    team_id: str | None = Field(default=None, foreign_key="volunteer_team.id")
    day: date
    starts_at: time
    ends_at: time  # not after starts_at: the next day
    needed: int = 2
    notes: str | None = None
    template_id: str | None = Field(default=None, foreign_key="shift_template.id", index=True)
    needs_leader: bool = False
    skill: str | None = Field(default=None, max_length=16)
    confirmed_at: datetime | None = None  # an officer confirmed the sign-ins: hours and points count
    confirmed_by: str | None = Field(default=None, foreign_key="officer.id")


class ShiftAssignment(SyncedTable, table=True):
    __tablename__ = "shift_assignment"

    shift_id: str = Field(foreign_key="shift.id", index=True)
    volunteer_id: str = Field(foreign_key="volunteer.id", index=True)
    attendance: str = Field(default="planned", max_length=12)  # app.core.vocab.ATTENDANCE
    checked_in_at: datetime | None = None
    pinned: bool = False  # confirmed or changed by hand: a new roster keeps it
    as_leader: bool = False  # sits in the shift's leader (小组长) seat
    recorded_how: str | None = Field(default=None, max_length=8)  # app.core.vocab.ATTENDANCE_HOW
    checked_out_at: datetime | None = None


class PatrolLog(SyncedTable, table=True):
    """What a patrol found (巡逻日志): one finding of a shift."""

    __tablename__ = "patrol_log"

    shift_id: str = Field(foreign_key="shift.id", index=True)
    kind: str = Field(max_length=8)  # app.core.vocab.FINDING_KINDS
    text: str = Field(max_length=500)
    volunteer_id: str | None = Field(default=None, foreign_key="volunteer.id", index=True)  # who found it
    dispute_id: str | None = Field(default=None, foreign_key="dispute.id", index=True)
    settled: bool = False  # the volunteers helped settle the dispute


class PatrolSetting(SyncedTable, table=True):
    """One number of the patrol rules an admin can edit (points, star levels, rest, training)."""

    __tablename__ = "patrol_setting"

    name: str = Field(max_length=24)  # app.patrol.settings.DEFAULTS
    value: float

"""Volunteer patrols (义警巡逻): teams, volunteers, routes, shifts and assignments."""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import Index
from sqlmodel import Field

from db.base import SyncedTable


class VolunteerTeam(SyncedTable, table=True):
    __tablename__ = "volunteer_team"

    name: str = Field(max_length=64)
    community_id: str | None = Field(default=None, foreign_key="community.id", index=True)
    leader: str | None = Field(default=None, max_length=32)
    leader_phone: str | None = Field(default=None, max_length=20)
    notes: str | None = None


class Volunteer(SyncedTable, table=True):
    __tablename__ = "volunteer"

    team_id: str = Field(foreign_key="volunteer_team.id", index=True)
    resident_id: str | None = Field(default=None, foreign_key="resident.id")
    name: str = Field(max_length=32, index=True)
    id_number: str | None = Field(default=None, max_length=18, index=True)
    gender: str | None = Field(default=None, max_length=1)
    birth_date: date | None = None
    phone: str | None = Field(default=None, max_length=20)
    skills: str = Field(default="", max_length=200)
    joined_on: date | None = None
    active: bool = True


class PatrolRoute(SyncedTable, table=True):
    __tablename__ = "patrol_route"

    name: str = Field(max_length=64)
    community_id: str | None = Field(default=None, foreign_key="community.id", index=True)
    team_id: str | None = Field(default=None, foreign_key="volunteer_team.id", index=True)
    waypoints: str = ""  # 途经点, one per line
    notes: str | None = None


class Shift(SyncedTable, table=True):
    __tablename__ = "shift"
    __table_args__ = (Index("ix_shift_day_start", "day", "starts_at"),)

    route_id: str = Field(foreign_key="patrol_route.id", index=True)
    team_id: str | None = Field(default=None, foreign_key="volunteer_team.id", index=True)
    day: date
    starts_at: time
    ends_at: time
    needed: int = 2
    notes: str | None = None


class ShiftAssignment(SyncedTable, table=True):
    __tablename__ = "shift_assignment"

    shift_id: str = Field(foreign_key="shift.id", index=True)
    volunteer_id: str = Field(foreign_key="volunteer.id", index=True)
    attendance: str = Field(default="planned", max_length=12)  # planned/present/absent
    checked_in_at: datetime | None = None

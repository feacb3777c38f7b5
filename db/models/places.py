"""Where people live: communities, grids, households and residents."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from db.base import SyncedTable


class Community(SyncedTable, table=True):
    __tablename__ = "community"

    name: str = Field(max_length=64)
    code: str | None = Field(default=None, max_length=32)
    police_room: str | None = Field(default=None, max_length=64)
    notes: str | None = None


class Grid(SyncedTable, table=True):
    __tablename__ = "grid"

    community_id: str = Field(foreign_key="community.id", index=True)
    name: str = Field(max_length=64)
    grid_worker: str | None = Field(default=None, max_length=32)
    grid_worker_phone: str | None = Field(default=None, max_length=20)


class Household(SyncedTable, table=True):
    __tablename__ = "household"
    __table_args__ = (Index("ix_household_address_order", "estate", "building", "unit", "room"),)

    community_id: str = Field(foreign_key="community.id", index=True)
    grid_id: str | None = Field(default=None, foreign_key="grid.id", index=True)
    estate: str = Field(max_length=64)  # 小区
    building: str = Field(default="", max_length=16)  # 楼栋
    unit: str = Field(default="", max_length=16)  # 单元
    room: str = Field(default="", max_length=16)  # 房号
    kind: str = Field(default="owner", max_length=16)  # app.core.vocab.HOUSEHOLD_KINDS
    tags: str = Field(default="", max_length=200)  # comma-separated app.core.vocab.HOUSEHOLD_TAGS
    head_name: str | None = Field(default=None, max_length=32)  # 户主
    phone: str | None = Field(default=None, max_length=20)
    notes: str | None = None


class Resident(SyncedTable, table=True):
    __tablename__ = "resident"

    household_id: str | None = Field(default=None, foreign_key="household.id", index=True)
    name: str = Field(max_length=32, index=True)
    id_number: str | None = Field(default=None, max_length=18, index=True)
    gender: str | None = Field(default=None, max_length=1)  # 男/女, from the ID number
    birth_date: date | None = None
    ethnicity: str | None = Field(default=None, max_length=16)  # 民族
    phone: str | None = Field(default=None, max_length=20, index=True)
    relation: str | None = Field(default=None, max_length=16)  # 与户主关系
    hukou_place: str | None = Field(default=None, max_length=100)  # 户籍地
    occupation: str | None = Field(default=None, max_length=32)
    tags: str = Field(default="", max_length=200)
    notes: str | None = None


class HouseholdSearch(SQLModel, table=True):
    """Local, derived: one row of search text and sort key per household, kept by SQL triggers.

    Holds the address with the names, phones and ID numbers of the living residents, so
    the household list filters and pages without touching the wide tables; every term goes
    through the trigram index ``household_fts`` over ``text`` (one- and two-character terms
    through its term list ``household_fts_terms``, app/households/search.py). ``text`` ends
    with two spaces so its last characters begin a trigram too. Never synced: every laptop
    derives its own (see the triggers in migrations 0001 and 0011).
    """

    __tablename__ = "household_search"

    # An integer key that VACUUM keeps: the full-text index household_fts refers to it.
    id: int | None = Field(default=None, primary_key=True)
    household_id: str = Field(foreign_key="household.id", unique=True, index=True)
    sort_key: str = Field(default="", index=True)
    deleted: bool = False
    text: str = ""

"""Enterprise liaison (一企一警): enterprises, liaison visits, inspections, rectifications, hire checks."""

from __future__ import annotations

from datetime import date

from sqlmodel import Field

from db.base import SyncedTable


class Enterprise(SyncedTable, table=True):
    __tablename__ = "enterprise"

    name: str = Field(max_length=100, index=True)
    credit_code: str | None = Field(default=None, max_length=18, index=True)  # 统一社会信用代码
    category: str = Field(default="general", max_length=16)  # app.core.vocab.ENTERPRISE_CATEGORIES
    address: str | None = Field(default=None, max_length=200)
    legal_rep: str | None = Field(default=None, max_length=32)
    phone: str | None = Field(default=None, max_length=20)
    employees: int | None = None
    community_id: str | None = Field(default=None, foreign_key="community.id", index=True)
    liaison_officer_id: str | None = Field(default=None, foreign_key="officer.id", index=True)
    notes: str | None = None


class LiaisonVisit(SyncedTable, table=True):
    __tablename__ = "liaison_visit"

    enterprise_id: str = Field(foreign_key="enterprise.id", index=True)
    visited_on: date
    officer_id: str | None = Field(default=None, foreign_key="officer.id")
    contact: str | None = Field(default=None, max_length=32)
    notes: str | None = None


class Inspection(SyncedTable, table=True):
    __tablename__ = "inspection"

    enterprise_id: str = Field(foreign_key="enterprise.id", index=True)
    inspected_on: date = Field(index=True)
    officer_id: str | None = Field(default=None, foreign_key="officer.id")
    result: str = Field(default="passed", max_length=16)  # passed/issues
    notes: str | None = None


class InspectionItem(SyncedTable, table=True):
    __tablename__ = "inspection_item"

    inspection_id: str = Field(foreign_key="inspection.id", index=True)
    category: str = Field(max_length=8)  # 人防/物防/技防: people/physical/technical
    item: str = Field(max_length=100)
    passed: bool = True
    remark: str | None = None


class Rectification(SyncedTable, table=True):
    __tablename__ = "rectification"

    enterprise_id: str = Field(foreign_key="enterprise.id", index=True)
    inspection_id: str | None = Field(default=None, foreign_key="inspection.id", index=True)
    problem: str
    deadline: date = Field(index=True)
    done_on: date | None = None
    verified: bool = False
    verified_by: str | None = Field(default=None, foreign_key="officer.id")


class HireCheck(SyncedTable, table=True):
    __tablename__ = "hire_check"

    enterprise_id: str = Field(foreign_key="enterprise.id", index=True)
    name: str = Field(max_length=32)
    id_number: str = Field(max_length=18, index=True)
    phone: str | None = Field(default=None, max_length=20)
    checked_on: date
    result: str = Field(default="clear", max_length=16)  # clear/flagged
    notes: str | None = None

"""Door-to-door visits (入户走访), the residents met on them, and visit campaigns (走访计划)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Index
from sqlmodel import Field

from db.base import SyncedTable


class Visit(SyncedTable, table=True):
    __tablename__ = "visit"
    __table_args__ = (Index("ix_visit_household_when", "household_id", "visited_at"),)

    household_id: str = Field(foreign_key="household.id")
    visited_at: datetime = Field(index=True)
    officer_id: str | None = Field(default=None, foreign_key="officer.id", index=True)
    companions: str = Field(default="", max_length=200)  # 辅警, 网格员
    purposes: str = Field(default="", max_length=200)  # comma-separated app.core.vocab.VISIT_PURPOSES
    findings: str | None = None  # 发现情况
    requests: str | None = None  # 社情民意
    hazards: str | None = None  # 安全隐患
    follow_up: str | None = None  # 需跟进事项
    campaign_id: str | None = Field(default=None, foreign_key="campaign.id", index=True)


class VisitResident(SyncedTable, table=True):
    """Whether each resident of the household was met (是否见面) on a visit."""

    __tablename__ = "visit_resident"

    visit_id: str = Field(foreign_key="visit.id", index=True)
    resident_id: str = Field(foreign_key="resident.id", index=True)
    met: bool = True


class Campaign(SyncedTable, table=True):
    """A visit campaign (走访计划, 敲门行动): a chosen set of households to visit."""

    __tablename__ = "campaign"

    name: str = Field(max_length=64)
    starts_on: date
    ends_on: date | None = None
    criteria: dict = Field(default_factory=dict, sa_type=JSON)  # how the households were chosen
    notes: str | None = None
    closed: bool = False


class CampaignHousehold(SyncedTable, table=True):
    __tablename__ = "campaign_household"
    __table_args__ = (Index("ix_campaign_household_pair", "campaign_id", "household_id"),)

    campaign_id: str = Field(foreign_key="campaign.id", index=True)
    household_id: str = Field(foreign_key="household.id", index=True)
    officer_id: str | None = Field(default=None, foreign_key="officer.id", index=True)  # assigned to

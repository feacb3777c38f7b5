"""Door-to-door visits (入户走访)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field

from db.base import SyncedTable


class Visit(SyncedTable, table=True):
    __tablename__ = "visit"
    __table_args__ = (Index("ix_visit_household_when", "household_id", "visited_at"),)

    household_id: str = Field(foreign_key="household.id")
    visited_at: datetime = Field(index=True)
    officer_id: str | None = Field(default=None, foreign_key="officer.id", index=True)
    companions: str = Field(default="", max_length=200)  # 辅警, 网格员
    purposes: str = Field(default="", max_length=200)  # comma-separated app.vocab.VISIT_PURPOSES
    findings: str | None = None  # 发现情况
    requests: str | None = None  # 社情民意
    hazards: str | None = None  # 安全隐患
    follow_up: str | None = None  # 需跟进事项

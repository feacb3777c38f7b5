"""The history of a dispute: status transitions and risk changes, with time, officer and reason."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field

from db.base import SyncedTable, utcnow


class DisputeEvent(SyncedTable, table=True):
    """One change in a dispute's life, written once and never edited (like a visit).

    ``action`` is register/status/risk; ``from_value`` and ``to_value`` hold the status codes
    (app.core.vocab.DISPUTE_STATUSES) or risk codes the change went between.
    """

    __tablename__ = "dispute_event"
    __table_args__ = (Index("ix_dispute_event_dispute_at", "dispute_id", "at"),)

    dispute_id: str = Field(foreign_key="dispute.id")
    at: datetime = Field(default_factory=utcnow)
    officer_id: str | None = Field(default=None, foreign_key="officer.id")
    action: str = Field(max_length=12)  # register/status/risk
    from_value: str | None = Field(default=None, max_length=16)
    to_value: str = Field(max_length=16)
    reason: str = ""
    revisit_id: str | None = Field(default=None, foreign_key="revisit.id")  # a revisit's result reopened it

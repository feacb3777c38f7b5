"""Disputes (矛盾纠纷) with their parties, mediation, agreements, revisits and transfers."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Index, text
from sqlmodel import Field, SQLModel

from db.base import SyncedTable


class Dispute(SyncedTable, table=True):
    __tablename__ = "dispute"
    __table_args__ = (
        # The list's default order, these very expressions (app/disputes/queries.py SORT_KEYS["risk"]):
        # unsettled first, then by risk, newest first. The status lets a view skip rows from the index.
        Index("ix_dispute_list",
              text("(CASE WHEN status IN ('pending', 'mediating', 'to_center') THEN 0 ELSE 1 END)"),
              text("(CASE WHEN risk_level = 'high' THEN 0 WHEN risk_level = 'medium' THEN 1 ELSE 2 END)"),
              text("occurred_at DESC"), "id", "status"),
        # The resolved ones with their settling day, in id order: the 已化解未安排回访 view (with
        # ix_revisit_dispute_due).
        Index("ix_dispute_status_settled", "status", "id", "settled_on", "deleted"),
    )

    # Not unique in SQL: two laptops that once shared a short code both keep what they printed (0006).
    number: str = Field(max_length=24, index=True)  # 2026-A03-0012, device-scoped
    source: str = Field(max_length=16)  # app.core.vocab.DISPUTE_SOURCES
    kind: str = Field(max_length=16)  # app.core.vocab.DISPUTE_KINDS
    occurred_at: datetime = Field(index=True)
    place: str | None = Field(default=None, max_length=200)
    facts: str = ""
    risk_level: str = Field(default="low", max_length=8, index=True)  # low/medium/high
    status: str = Field(default="pending", max_length=16, index=True)  # app.core.vocab.DISPUTE_STATUSES
    community_id: str | None = Field(default=None, foreign_key="community.id", index=True)
    household_id: str | None = Field(default=None, foreign_key="household.id", index=True)
    visit_id: str | None = Field(default=None, foreign_key="visit.id")
    officer_id: str | None = Field(default=None, foreign_key="officer.id", index=True)
    settled_on: date | None = None
    escalated_criminal: bool = False  # 民转刑


class DisputeSearch(SQLModel, table=True):
    """Local, derived: one row of search text per dispute, kept by SQL triggers (migration 0013).

    Holds what the list's search matches: the number, place and facts and the living parties'
    names, phones and ID numbers, each as it is matched (number and parties upper-cased), with a
    space between fields and two at the end; every term goes through the trigram index
    ``dispute_fts`` over ``text`` (one- and two-character terms through its term list
    ``dispute_fts_terms``, app/disputes/search.py). Never synced: every laptop derives its own.
    """

    __tablename__ = "dispute_search"

    # An integer key that VACUUM keeps: the full-text index dispute_fts refers to it.
    id: int | None = Field(default=None, primary_key=True)
    dispute_id: str = Field(foreign_key="dispute.id", unique=True, index=True)
    text: str = ""


class DisputeParty(SyncedTable, table=True):
    __tablename__ = "dispute_party"

    dispute_id: str = Field(foreign_key="dispute.id", index=True)
    resident_id: str | None = Field(default=None, foreign_key="resident.id", index=True)
    role: str = Field(max_length=16)  # applicant/respondent/third_party
    name: str = Field(max_length=32)
    gender: str | None = Field(default=None, max_length=1)
    ethnicity: str | None = Field(default=None, max_length=16)
    age: int | None = None
    occupation: str | None = Field(default=None, max_length=32)
    address: str | None = Field(default=None, max_length=200)
    # Indexed for the repeat-party warning (app/disputes/risk.py): the same person in other disputes.
    phone: str | None = Field(default=None, max_length=20, index=True)
    id_number: str | None = Field(default=None, max_length=18, index=True)


class MediationSession(SyncedTable, table=True):
    __tablename__ = "mediation_session"

    dispute_id: str = Field(foreign_key="dispute.id", index=True)
    held_at: datetime
    place: str | None = Field(default=None, max_length=200)
    kind: str = Field(max_length=16)  # app.core.vocab.MEDIATION_KINDS
    host: str | None = Field(default=None, max_length=32)
    mediators: str = Field(default="", max_length=200)
    attendees: str = Field(default="", max_length=400)
    record: str | None = None


class Agreement(SyncedTable, table=True):
    __tablename__ = "agreement"

    dispute_id: str = Field(foreign_key="dispute.id", index=True)
    number: str = Field(max_length=24, index=True)  # 协议编号, device-scoped; not unique (see Dispute)
    kind: str = Field(max_length=16)  # people/security: 人民调解 / 治安调解
    facts: str = ""  # 纠纷主要事实
    issues: str = ""  # 争议事项
    responsibilities: str | None = None
    terms: list = Field(default_factory=list, sa_type=JSON)
    performance: str = Field(default="on_the_spot", max_length=16)  # on_the_spot/promised
    deadline: date | None = None
    copies: int = 3
    signed_on: date | None = None


class Revisit(SyncedTable, table=True):
    __tablename__ = "revisit"
    __table_args__ = (
        Index("ix_revisit_open_due", "done_on", "due_on"),
        # A dispute's open revisits (its next one, whether one is due): the list asks per dispute.
        # The WHERE reads as the queries' `deleted IS 0`, or SQLite would not use the index for them.
        Index("ix_revisit_open_by_dispute", "dispute_id", "due_on",
              sqlite_where=text("deleted IS 0 AND done_on IS NULL")),
        # Whether a revisit was planned since the dispute settled, without reading the revisit.
        Index("ix_revisit_dispute_due", "dispute_id", "due_on", "deleted"),
    )

    dispute_id: str = Field(foreign_key="dispute.id", index=True)
    due_on: date
    done_on: date | None = None
    result: str | None = Field(default=None, max_length=16)  # stable/relapsed/escalated
    notes: str | None = None
    officer_id: str | None = Field(default=None, foreign_key="officer.id")


class DisputeTransfer(SyncedTable, table=True):
    __tablename__ = "dispute_transfer"

    dispute_id: str = Field(foreign_key="dispute.id", index=True)
    direction: str = Field(max_length=8)  # out/in
    body: str = Field(max_length=64)  # 矛调中心, 办案队 …
    transferred_on: date
    receiver: str | None = Field(default=None, max_length=32)
    handler: str | None = Field(default=None, max_length=32)
    outcome: str | None = None

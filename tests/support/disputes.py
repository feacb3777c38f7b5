"""Shared builders for the dispute tests (no tests here): officers, communities, disputes."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from app.disputes.register import DisputeValues, PartyValues, Registered, register_dispute
from db.models import Dispute

NOW = datetime.now().astimezone()
TODAY = NOW.date()


def at_noon(day: date) -> datetime:
    """Local noon of ``day``, aware: safe from date-boundary surprises in any time zone."""
    return datetime.combine(day, time(12)).astimezone()


def applicant(name: str = "张三", **extra) -> PartyValues:
    return PartyValues(role="applicant", name=name, **extra)


def respondent(name: str = "李四", **extra) -> PartyValues:
    return PartyValues(role="respondent", name=name, **extra)


def make_values(**overrides) -> DisputeValues:
    values = dict(source="walk_in", kind="neighbour", occurred_at=NOW - timedelta(days=1), place="阳光花园3栋2单元",
                  facts="张三反映楼上李四家夜间噪音扰民，多次沟通未果。",
                  parties=[applicant(phone="13800138000", id_number="11010519491231002X", ethnicity="汉族",
                                     occupation="退休", address="阳光花园3栋2单元401室"),
                           respondent(gender="男", age=40, phone="13900139000", address="阳光花园3栋2单元501室")])
    values.update(overrides)
    return DisputeValues(**values)


def register(db, *, officer_id: str | None = None, **overrides) -> Registered:
    return register_dispute(db, values=make_values(**overrides), officer_id=officer_id)


def add_dispute(db, *, number: str, status: str = "pending", kind: str = "neighbour", occurred: datetime,
                officer_id: str | None = None, community_id: str | None = None, risk: str = "low",
                escalated: bool = False, settled_on: date | None = None, facts: str = "邻里噪音") -> str:
    """A dispute written straight to the table, in any status (statistics need known sets)."""
    with db.session() as s:
        row = Dispute(number=number, source="walk_in", kind=kind, occurred_at=occurred.astimezone(UTC),
                      facts=facts, status=status, risk_level=risk, officer_id=officer_id,
                      community_id=community_id, escalated_criminal=escalated, settled_on=settled_on)
        s.add(row)
        s.commit()
        return row.id



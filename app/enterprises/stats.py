"""The year view of 一企一警: per enterprise, per 包企民警 and for the station, and the 评选 list.

Inspections and failed items count by the inspection day; rectifications by their deadline, among
those already due on ``on``; requests by the day they were raised."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date

from sqlalchemy import select

from app.core.errors import UserError
from app.core.vocab import ENTERPRISE_CATEGORIES
from db.engine import Database
from db.models import (
    Enterprise,
    EnterpriseRequest,
    Inspection,
    InspectionItem,
    LiaisonVisit,
    Officer,
    Rectification,
)

DEFINITION = (
    "按期整改率 = 期限内整改到位的隐患 ÷ 整改期限已到的隐患；诉求答复率 = 已答复 ÷ 当年提出的诉求。"
    "检查和不合格项目按检查日期计入当年，隐患按整改期限计入当年。"
)
NO_OFFICER = "（未指定包企民警）"


@dataclass
class YearCounts:
    inspections: int = 0
    items_failed: int = 0
    rectifications_due: int = 0  # deadline in the year and not after ``on``
    rectified_on_time: int = 0
    to_enforcement: int = 0
    requests: int = 0
    requests_answered: int = 0
    liaison_visits: int = 0

    @property
    def on_time_rate(self) -> float | None:
        return self.rectified_on_time / self.rectifications_due if self.rectifications_due else None

    @property
    def answered_rate(self) -> float | None:
        return self.requests_answered / self.requests if self.requests else None

    def add(self, other: YearCounts) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def to_dict(self) -> dict:
        def rounded(rate):
            return None if rate is None else round(rate, 4)

        return {**asdict(self), "on_time_rate": rounded(self.on_time_rate),
                "answered_rate": rounded(self.answered_rate)}


@dataclass(frozen=True)
class EnterpriseYear:
    id: str
    name: str
    category: str  # label
    liaison: str
    counts: YearCounts


@dataclass
class YearView:
    year: int
    on: date
    station: YearCounts = field(default_factory=YearCounts)
    enterprises: list[EnterpriseYear] = field(default_factory=list)
    by_officer: dict[str, YearCounts] = field(default_factory=dict)
    definition: str = DEFINITION

    def to_dict(self) -> dict:
        return {"year": self.year, "on": self.on.isoformat(), "definition": self.definition,
                "station": self.station.to_dict(),
                "enterprises": [{"id": e.id, "name": e.name, "category": e.category, "liaison": e.liaison,
                                 **e.counts.to_dict()} for e in self.enterprises],
                "by_officer": [{"name": name, **c.to_dict()} for name, c in self.by_officer.items()]}


def format_rate(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.1f}%"


def year_view(db: Database, *, year: int, on: date | None = None) -> YearView:
    """The year's counts; ``on`` (today by default) decides which deadlines have come."""
    if not 2000 <= year <= 2100:
        raise UserError("年份不合理，请核对")
    on = min(on or date.today(), date(year, 12, 31))
    start, end = date(year, 1, 1), date(year, 12, 31)
    e, o = Enterprise.__table__.c, Officer.__table__.c
    i, t = Inspection.__table__.c, InspectionItem.__table__.c
    r, q, v = Rectification.__table__.c, EnterpriseRequest.__table__.c, LiaisonVisit.__table__.c
    counts: dict[str, YearCounts] = {}

    def bump(enterprise_id: str, name: str, n: int = 1) -> None:
        counts.setdefault(enterprise_id, YearCounts())
        setattr(counts[enterprise_id], name, getattr(counts[enterprise_id], name) + n)

    with db.connect() as conn:
        firms = conn.execute(select(e.id, e.name, e.category, o.name.label("liaison"))
                             .outerjoin(Officer.__table__, o.id == e.liaison_officer_id)
                             .where(e.deleted.is_(False)).order_by(e.name, e.id)).all()
        for (eid,) in conn.execute(select(i.enterprise_id).where(
                i.deleted.is_(False), i.inspected_on >= start, i.inspected_on <= end)):
            bump(eid, "inspections")
        for (eid,) in conn.execute(select(i.enterprise_id).join(InspectionItem.__table__, t.inspection_id == i.id)
                                   .where(i.deleted.is_(False), t.deleted.is_(False), t.passed.is_(False),
                                          t.applicable.is_(True), i.inspected_on >= start, i.inspected_on <= end)):
            bump(eid, "items_failed")
        for row in conn.execute(select(r.enterprise_id, r.deadline, r.done_on, r.verified, r.closed_on).where(
                r.deleted.is_(False), r.deadline >= start, r.deadline <= end, r.deadline <= on)):
            bump(row.enterprise_id, "rectifications_due")
            put_right = row.closed_on is None or row.verified
            if row.done_on is not None and row.done_on <= row.deadline and put_right:
                bump(row.enterprise_id, "rectified_on_time")
            if row.closed_on is not None and not row.verified:
                bump(row.enterprise_id, "to_enforcement")
        for row in conn.execute(select(q.enterprise_id, q.answered_on).where(
                q.deleted.is_(False), q.raised_on >= start, q.raised_on <= end)):
            bump(row.enterprise_id, "requests")
            if row.answered_on is not None and row.answered_on <= on:
                bump(row.enterprise_id, "requests_answered")
        for (eid,) in conn.execute(select(v.enterprise_id).where(
                v.deleted.is_(False), v.visited_on >= start, v.visited_on <= end)):
            bump(eid, "liaison_visits")

    view = YearView(year=year, on=on)
    for firm in firms:
        firm_counts = counts.get(firm.id, YearCounts())
        view.enterprises.append(EnterpriseYear(firm.id, firm.name, ENTERPRISE_CATEGORIES.get(firm.category, ""),
                                               firm.liaison or "", firm_counts))
        view.station.add(firm_counts)
        view.by_officer.setdefault(firm.liaison or NO_OFFICER, YearCounts()).add(firm_counts)
    return view


@dataclass(frozen=True)
class Candidate:
    id: str
    name: str
    liaison: str
    inspections: int
    items_failed: int
    on_time_rate: float | None
    reason: str


def selection_list(view: YearView) -> list[Candidate]:
    """The enterprises the year-end 评选 (守护星 …) starts from: inspected in the year, nothing handed to
    enforcement, every due rectification put right on time, every request answered; fewest failed
    items first, then most inspections."""
    chosen = []
    for firm in view.enterprises:
        c = firm.counts
        if (c.inspections and not c.to_enforcement and c.rectified_on_time == c.rectifications_due
                and c.requests_answered == c.requests):
            reason = (f"检查{c.inspections}次，不合格项目{c.items_failed}项"
                      + ("，均按期整改" if c.rectifications_due else "") + (
                          f"，诉求{c.requests}件均已答复" if c.requests else ""))
            chosen.append(Candidate(firm.id, firm.name, firm.liaison, c.inspections, c.items_failed,
                                    c.on_time_rate, reason))
    return sorted(chosen, key=lambda x: (x.items_failed, -x.inspections, x.name))

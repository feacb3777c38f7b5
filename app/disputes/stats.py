"""Statistics for a period: registered, settled, transferred, open, 化解率, overdue revisits, 民转刑."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date

from sqlalchemy import func, or_, select

from app.core.timeutil import day_range
from app.core.vocab import DISPUTE_KINDS
from app.disputes.status import OPEN
from db.engine import Database
from db.models import Community, Dispute, Officer, Revisit

DEFINITION = (
    "化解率 = 已化解 ÷ 已办结。统计对象是发生时间在统计期内的纠纷，按今天的状态计："
    "已办结 = 已化解 + 调解终止 + 移交矛调中心 + 移交办案队；待调处、调处中的尚未办结，不计入分母。"
)
NO_OFFICER, NO_COMMUNITY = "（未指定民警）", "（未指定社区）"


@dataclass
class Counts:
    registered: int = 0
    settled: int = 0  # 已化解
    terminated: int = 0  # 调解终止
    to_center: int = 0  # 移交矛调中心
    to_police: int = 0  # 移交办案队
    open: int = 0  # 待调处 + 调处中
    criminal: int = 0  # 民转刑
    high_risk: int = 0
    overdue_revisits: int = 0

    @property
    def transferred(self) -> int:
        return self.to_center + self.to_police

    @property
    def handled(self) -> int:
        return self.settled + self.terminated + self.transferred

    @property
    def rate(self) -> float | None:
        """化解率 as a fraction, None when nothing was handled (no rate, rather than 0%)."""
        return self.settled / self.handled if self.handled else None

    def add(self, other: Counts) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def to_dict(self) -> dict:
        rate = self.rate
        return {**asdict(self), "transferred": self.transferred, "handled": self.handled,
                "rate": None if rate is None else round(rate, 4)}


def format_rate(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.1f}%"


@dataclass
class DisputeStats:
    start: date
    end: date
    on: date  # the day "overdue" was judged on
    total: Counts = field(default_factory=Counts)
    by_kind: dict[str, Counts] = field(default_factory=dict)
    by_officer: dict[str, Counts] = field(default_factory=dict)
    by_community: dict[str, Counts] = field(default_factory=dict)
    definition: str = DEFINITION

    def to_dict(self) -> dict:
        def table(groups: dict[str, Counts]) -> list[dict]:
            return [{"name": name, **counts.to_dict()} for name, counts in groups.items()]

        return {"start": self.start.isoformat(), "end": self.end.isoformat(), "on": self.on.isoformat(),
                "definition": self.definition, "total": self.total.to_dict(), "by_kind": table(self.by_kind),
                "by_officer": table(self.by_officer), "by_community": table(self.by_community)}


def statistics(db: Database, *, start: date, end: date, on: date | None = None) -> DisputeStats:
    """Counts for disputes that happened from ``start`` to ``end`` (whole local days), in total and
    per type, officer and community. Overdue revisits are judged on ``on`` (today by default)."""
    low, high = day_range(start, end)
    on = on or date.today()
    d, r, o, c = Dispute.__table__.c, Revisit.__table__.c, Officer.__table__.c, Community.__table__.c
    overdue = (select(func.count()).where(r.dispute_id == d.id, r.deleted.is_(False), r.due_on < on,
                                          or_(r.done_on.is_(None), r.done_on > on)).scalar_subquery())
    # Grouped in SQL: a city's year is ~50k disputes but only a few hundred distinct groups.
    query = (
        select(d.kind, o.name.label("officer"), c.name.label("community"), d.status, d.escalated_criminal,
               (d.risk_level == "high").label("high"), func.count().label("n"), func.sum(overdue).label("overdue"))
        .outerjoin(Officer.__table__, o.id == d.officer_id)
        .outerjoin(Community.__table__, c.id == d.community_id)
        .where(d.deleted.is_(False), d.occurred_at >= low, d.occurred_at < high)
        .group_by(d.kind, o.name, c.name, d.status, d.escalated_criminal, d.risk_level == "high")
    )
    stats = DisputeStats(start, end, on)
    stats.by_kind = {label: Counts() for label in DISPUTE_KINDS.values()}  # every type, even with none
    with db.connect() as conn:
        for row in conn.execute(query):
            counts = _counts(row)
            stats.total.add(counts)
            for groups, key in ((stats.by_kind, DISPUTE_KINDS.get(row.kind, row.kind)),
                                (stats.by_officer, row.officer or NO_OFFICER),
                                (stats.by_community, row.community or NO_COMMUNITY)):
                groups.setdefault(key, Counts()).add(counts)
    stats.by_officer = dict(sorted(stats.by_officer.items(), key=lambda kv: (-kv[1].registered, kv[0])))
    stats.by_community = dict(sorted(stats.by_community.items()))
    return stats


_STATUS_FIELD = {**dict.fromkeys(OPEN, "open"), "resolved": "settled", "terminated": "terminated",
                 "to_center": "to_center", "to_police": "to_police"}  # status -> the Counts field it adds to


def _counts(row) -> Counts:
    counts = Counts(registered=row.n, overdue_revisits=int(row.overdue or 0))
    if row.status in _STATUS_FIELD:
        setattr(counts, _STATUS_FIELD[row.status], row.n)
    counts.criminal = row.n if row.escalated_criminal else 0
    counts.high_risk = row.n if row.high else 0
    return counts

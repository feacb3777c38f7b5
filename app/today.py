"""The 工作台: what is due today and overdue, gathered from every area into one agenda.

Each area keeps its own rule and names it as its ``worklist`` in app/areas.py (revisits in
app.disputes, shifts in app.patrol, rectification deadlines in app.enterprises); this module
only collects their answers. ``SOON_DAYS`` is the one default of the setting worklist/soon_days.

A city's agenda holds tens of thousands of overdue items: the 工作台 lists it a page at a time, a page
being the whole days that hold at least ``limit`` items from a day ``since`` on (so the next page starts
the day after), and counts the whole agenda apart (``tally``, on a worker).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import takewhile
from typing import TYPE_CHECKING

from app.areas import AREAS, resolve

if TYPE_CHECKING:  # the settings read SOON_DAYS before the first paint: no SQLAlchemy here
    from db.engine import Database

SOON_DAYS = 7  # what falls due this soon is on the list as 即将到期 (the setting worklist/soon_days)


@dataclass(frozen=True)
class AgendaItem:
    kind: str  # 回访 / 整改 / 巡逻 …
    what: str
    due: date
    record_id: str
    table: str  # where record_id points
    deadline: bool = True  # False for appointments (a patrol shift): they are not "due"

    def overdue_days(self, on: date) -> int:
        return (on - self.due).days

    def state(self, on: date) -> str:
        days = self.overdue_days(on)
        if not self.deadline:
            return "今日" if days == 0 else self.due.isoformat()
        if days > 0:
            return f"逾期{days}天"
        return "今日到期" if days == 0 else f"{-days}天后到期"


def agenda(db: Database, *, on: date, soon_days: int = SOON_DAYS, excluding: Collection[str] = (),
           since: date | None = None, limit: int | None = None) -> list[AgendaItem]:
    """Everything with a date for the officer today, from every area's worklist but those whose key
    is in ``excluding``: overdue first, then due, then what is coming. With ``since`` and ``limit``,
    one page of it (``whole_days``); each worklist is given them to read no more than the page needs."""
    return whole_days(_gathered(db, on=on, soon_days=soon_days, excluding=excluding, since=since, limit=limit),
                      since=since, limit=limit)


def _gathered(db: Database, *, on: date, soon_days: int, excluding: Collection[str] = (), since: date | None = None,
              limit: int | None = None) -> list[AgendaItem]:
    items = [item for area in AREAS if area.worklist and area.key not in excluding
             for item in resolve(area.worklist)(db, on=on, soon_days=soon_days, since=since, limit=limit)]
    return sorted(items, key=lambda item: (item.due, item.kind, item.what))


def whole_days(items: list[AgendaItem], *, since: date | None, limit: int | None) -> list[AgendaItem]:
    """Of ``items`` (in agenda order), those due on or after ``since``, up to the end of the day of the
    ``limit``-th: a page that never splits a day, so the next one starts the day after its last item.
    A worklist may return more than its page (a small one reads everything): the page is cut here."""
    if since is not None:
        items = [item for item in items if item.due >= since]
    if limit is not None and len(items) > limit:
        last = items[limit - 1].due
        items = list(takewhile(lambda item: item.due <= last, items))
    return items


def page_days(conn, query, due, *, since: date | None, limit: int | None):
    """``query`` (a worklist's SELECT, its rows due on the column ``due``) narrowed to what a page of the
    agenda can hold: rows due from ``since`` on, up to the end of the day of its ``limit``-th row. Whole
    days, so whole_days can cut the gathered page after any day without losing a row; ``conn`` reads
    that day first, in ``due`` order (through its index, where the worklist has one)."""
    if since is not None:
        query = query.where(due >= since)
    if limit is not None:
        nth = query.with_only_columns(due).order_by(None).order_by(due).offset(limit - 1).limit(1)
        last = conn.execute(nth).scalar()
        if last is not None:
            query = query.where(due <= last)
    return query


def next_page(page: list[AgendaItem], *, limit: int) -> date | None:
    """The day the page after ``page`` (an ``agenda`` of ``limit``) starts; None when it was the last."""
    return page[-1].due + timedelta(days=1) if len(page) >= limit else None


@dataclass(frozen=True)
class Tally:
    """The 工作台's cards: deadlines overdue, due today and coming; appointments (today's shifts)."""

    overdue: int = 0
    due: int = 0
    soon: int = 0
    appointments: int = 0

    def __add__(self, other: Tally) -> Tally:
        return Tally(self.overdue + other.overdue, self.due + other.due, self.soon + other.soon,
                     self.appointments + other.appointments)

    @classmethod
    def of(cls, items: list[AgendaItem], *, on: date) -> Tally:
        counts = Counter("appointments" if not item.deadline else
                         "overdue" if item.due < on else "due" if item.due == on else "soon" for item in items)
        return cls(**counts)


def tally(db: Database, *, on: date, soon_days: int = SOON_DAYS) -> Tally:
    """The counts of the whole agenda (what its pages add up to): each area's own count where it has one
    (a city's revisits run to tens of thousands: counted, not listed), else its worklist's items."""
    total = Tally()
    for area in AREAS:
        if area.tally:
            total += resolve(area.tally)(db, on=on, soon_days=soon_days)
        elif area.worklist:
            total += Tally.of(resolve(area.worklist)(db, on=on, soon_days=soon_days), on=on)
    return total

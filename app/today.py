"""The 工作台: what is due today and overdue, gathered from every area into one agenda.

Each area keeps its own rule and names it as its ``worklist`` in app/areas.py (revisits in
app.disputes, shifts in app.patrol, rectification deadlines in app.enterprises); this module
only collects their answers. ``SOON_DAYS`` is the one default of the setting worklist/soon_days.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
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


def agenda(db: Database, *, on: date, soon_days: int = SOON_DAYS, excluding: Collection[str] = ()) -> list[AgendaItem]:
    """Everything with a date for the officer today, from every area's worklist but those whose key
    is in ``excluding``: overdue first, then due, then what is coming."""
    items = [item for area in AREAS if area.worklist and area.key not in excluding
             for item in resolve(area.worklist)(db, on=on, soon_days=soon_days)]
    return sorted(items, key=lambda item: (item.due, item.kind, item.what))

"""What every stage of the demo build shares: the sizes, one seeded generator, the writer, and
what earlier stages made that later ones draw on (homes for disputes, residents for volunteers).

Every value comes from the one generator in a fixed order, so a seed makes one station; a stage
that draws one number more or less changes every stage after it.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from app.demo import data as data
from app.demo.writer import Writer

HISTORY_DAYS = 730  # visits, disputes and inspections spread over the two years before today

Progress = Callable[[str, int, int], None]  # (stage, done, total)


@dataclass(frozen=True)
class Scale:
    households: int  # residents follow from these, about 2.4 each
    visits: int
    disputes: int
    volunteers: int
    enterprises: int
    communities: int
    officers: int  # 民警, besides the one admin
    auxiliaries: int  # 辅警


class Demo:
    """The build in progress; the stages (households, disputes, patrol, enterprises) fill it in order."""

    def __init__(self, writer: Writer, scale: Scale, rng: random.Random, today: date, device_code: str,
                 progress: Progress) -> None:
        self.w, self.s, self.rng, self.today, self.code = writer, scale, rng, today, device_code
        self.progress = progress
        self.people = data.People(rng, today)
        # Made by households.officers_and_communities:
        self.communities: list[tuple[str, str]] = []  # (community id, name)
        self.comm_officers: list[list[tuple[str, str]]] = []  # per community: (officer id, name)
        self.comm_aux: list[list[str]] = []  # per community: auxiliaries' names
        # Made by households.households:
        self.homes: list[tuple[str, int, str]] = []  # (household id, community index, address)
        self.comm_estates: list[list[str]] = []
        self.grid_workers: list[list[str]] = []
        # Some residents are kept aside to become dispute parties and volunteers: (row, home index).
        self.resident_sample: list[tuple[dict, int]] = []
        self.sample_rate = min(1.0, (3 * scale.disputes + scale.volunteers) / (2 * scale.households))
        # Made by households.visits: visits that screened for disputes (visit id, home index, when).
        self.visit_sample: list[tuple[str, int, datetime]] = []
        self._days: dict[int, date] = {}
        self._moments: dict[int, datetime] = {}

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def randint(self, lo: int, hi: int) -> int:
        """A number from lo to hi, both included, in one draw (``rng.randint`` takes several)."""
        return lo + int(self.rng.random() * (hi - lo + 1))

    def pick(self, options):
        """One of ``options`` in one draw (``rng.choice`` takes several)."""
        return options[int(self.rng.random() * len(options))]

    def day_ago(self, lo: int, hi: int) -> date:
        return self._day(lo + int(self.rng.random() * (hi - lo + 1)))

    def _day(self, ago: int) -> date:
        if (day := self._days.get(ago)) is None:
            day = self._days[ago] = self.today - timedelta(days=ago)
        return day

    def at(self, day: date, minute: int) -> datetime:
        """A minute of a local day, as an aware UTC datetime: the program shows times in the
        laptop's zone, so hours fixed to another zone showed visits at two in the morning."""
        key = day.toordinal() * 1440 + minute  # a city has millions of visits, fewer moments
        if (moment := self._moments.get(key)) is None:
            moment = self._moments[key] = (datetime.combine(day, time()) + timedelta(minutes=minute)
                                                   ).astimezone(UTC)
        return moment

    def minute_in(self, hours: data.Weighted) -> int:
        """A minute of the day in one of the ``hours`` windows (app.demo.data: (first, end) minutes)."""
        first, end = hours.pick(self.rng)
        return first + int(self.rng.random() * (end - first))

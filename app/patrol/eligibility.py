"""The roster's hard rules on plain data: who may take a shift, and who is booked when (no database)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

WEEKDAY_NAMES = "一二三四五六日"


@dataclass(frozen=True)
class Slot:
    """A shift to staff: its day, its hours as local times (``end`` may be the next day) and its needs."""

    id: str
    team_id: str
    day: date
    start: datetime
    end: datetime
    needed: int
    needs_leader: bool = False
    skill: str | None = None
    bands: frozenset[str] = frozenset()  # availability tokens the hours touch ("3e", "4n")
    label: str = ""  # "11月26日 周三 19:00-21:00 云栖里夜巡"


@dataclass(frozen=True)
class Person:
    """A volunteer as the rules see him."""

    id: str
    name: str = ""
    teams: frozenset[str] = frozenset()
    leads: frozenset[str] = frozenset()  # teams where he is 队长, 副队长 or 小组长
    skills: frozenset[str] = frozenset()
    available: frozenset[str] = frozenset()  # "1e": Monday evening (app.core.vocab.TIME_BANDS)
    leave: tuple[tuple[date, date], ...] = ()
    weekly_cap: int = 2
    trained_on: date | None = None
    active: bool = True

    def signature(self) -> tuple:
        """What the rules know of him: people with equal signatures are interchangeable (fairness)."""
        return (self.teams, self.leads, self.skills, self.available, self.leave, self.weekly_cap,
                self.trained_on, self.active)


@dataclass(frozen=True)
class Booking:
    """A person on a shift (an assignment), with the shift's hours."""

    slot_id: str
    person_id: str
    day: date
    start: datetime
    end: datetime
    pinned: bool = False
    as_leader: bool = False


@dataclass(frozen=True)
class Rules:
    min_rest: timedelta = timedelta(hours=12)
    train_first: bool = True


# Why a person may not take a shift, in the order they are checked (first one wins).
STATIC = ("inactive", "team", "training", "leave", "availability", "skill")
DYNAMIC = ("same_shift", "excluded", "day", "overlap", "rest", "cap")


def static_refusal(person: Person, slot: Slot, rules: Rules) -> str | None:
    """The first rule that keeps ``person`` off ``slot`` whatever else he does, or None."""
    if not person.active:
        return "inactive"
    if slot.team_id not in person.teams:
        return "team"
    if rules.train_first and (person.trained_on is None or person.trained_on > slot.day):
        return "training"
    if any(first <= slot.day <= last for first, last in person.leave):
        return "leave"
    if not slot.bands <= person.available:
        return "availability"
    if slot.skill and slot.skill not in person.skills:
        return "skill"
    return None


def week_of(day: date) -> tuple[int, int]:
    iso = day.isocalendar()
    return iso[0], iso[1]


@dataclass
class Ledger:
    """Who is booked when: the state the dynamic rules read, changed as a roster is built."""

    rules: Rules
    by_day: dict[tuple[str, date], list[Booking]] = field(default_factory=lambda: defaultdict(list))
    by_week: dict[tuple[str, tuple[int, int]], int] = field(default_factory=lambda: defaultdict(int))
    on_slot: dict[str, dict[str, Booking]] = field(default_factory=lambda: defaultdict(dict))
    excluded: set[tuple[str, str]] = field(default_factory=set)  # (slot, person) removed by hand

    def add(self, booking: Booking) -> None:
        self.by_day[booking.person_id, booking.day].append(booking)
        self.by_week[booking.person_id, week_of(booking.day)] += 1
        self.on_slot[booking.slot_id][booking.person_id] = booking

    def remove(self, booking: Booking) -> None:
        self.by_day[booking.person_id, booking.day].remove(booking)
        self.by_week[booking.person_id, week_of(booking.day)] -= 1
        del self.on_slot[booking.slot_id][booking.person_id]

    def refusal(self, person: Person, slot: Slot) -> tuple[str, Booking | None] | None:
        """(rule, the booking in the way) when ``person``'s bookings keep him off ``slot``, else None."""
        person_id = person.id
        if person_id in self.on_slot.get(slot.id, ()):
            return "same_shift", None
        if (slot.id, person_id) in self.excluded:
            return "excluded", None
        same_day = self.by_day.get((person_id, slot.day))
        if same_day:
            return "day", same_day[0]
        rest = self.rules.min_rest
        for offset in (-2, -1, 1, 2):  # shifts are at most a day long and the rest at most a day
            for other in self.by_day.get((person_id, slot.day + timedelta(days=offset)), ()):
                if other.start < slot.end and slot.start < other.end:
                    return "overlap", other
                if max(slot.start - other.end, other.start - slot.end) < rest:
                    return "rest", other
        if self.by_week.get((person_id, week_of(slot.day)), 0) >= person.weekly_cap:
            return "cap", None
        return None


def describe(rule: str, person: Person, slot: Slot, rules: Rules, other: Booking | None = None,
             other_label: str = "") -> str:
    """One Chinese line: why ``person`` may not take ``slot`` (hand changes say it like this)."""
    who = person.name or "该义警"
    text = {
        "inactive": f"{who}不在队（暂停或退出）",
        "team": f"{who}不是该班次所属义警队的队员",
        "training": f"{who}尚未参加培训，培训后才能排班",
        "leave": f"{who}在{slot.day.month}月{slot.day.day}日请假",
        "availability": f"{who}在{weekday_name(slot.day)}{slot.start:%H:%M}-{slot.end:%H:%M}不可排",
        "skill": f"{who}没有该班次需要的专长「{slot.skill}」",
        "same_shift": f"{who}已在这个班次",
        "excluded": f"{who}已被手工移出这个班次",
        "day": f"{who}当天已有班次{other_label}，一天只排一班",
        "overlap": f"{who}同一时间另有班次{other_label}",
        "rest": f"{who}与另一班次{other_label}间隔不足 {_hours(rules.min_rest)} 小时",
        "cap": f"{who}本周已排满 {person.weekly_cap} 班（每周上限）",
    }
    return text[rule]


def weekday_name(day: date) -> str:
    return "周" + WEEKDAY_NAMES[day.weekday()]


def _hours(delta: timedelta) -> str:
    hours = delta.total_seconds() / 3600
    return f"{hours:g}"

"""Roster generation, a pure function over plain data: greedy in date order, then a repair pass of swaps."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from app.core.errors import UserError
from app.patrol.eligibility import Booking, Ledger, Person, Rules, Slot, static_refusal

Progress = Callable[[str, int, int], None]
TRIES = 40  # candidates tried per short seat in the swap repair, and stand-ins per move


class RosterCancelled(UserError):
    """The officer cancelled the generation: nothing was saved."""

    def __init__(self) -> None:
        super().__init__("已取消排班生成，未保存任何改动")


@dataclass(frozen=True)
class Seat:
    person_id: str
    as_leader: bool = False
    pinned: bool = False


@dataclass(frozen=True)
class Short:
    slot_id: str
    missing: int
    leader_missing: bool
    reason: str  # "11月26日 周三 19:00-21:00 云栖里夜巡 缺 1 人：可排的 6 人本周已满 2 班"


@dataclass(frozen=True)
class Plan:
    seats: dict[str, tuple[Seat, ...]]  # every slot in scope -> who sits there (pinned ones too)
    short: tuple[Short, ...]  # in date order
    counts: dict[str, int]  # every person given -> his shifts in scope

    @property
    def filled(self) -> int:
        return sum(len(seats) for seats in self.seats.values())


def generate(*, slots: Iterable[Slot], people: Iterable[Person], bookings: Iterable[Booking], rules: Rules,
             excluded: Iterable[tuple[str, str]] = (), progress: Progress | None = None,
             should_stop: Callable[[], bool] | None = None) -> Plan:
    """Staff ``slots`` from ``people``. ``bookings`` are the assignments already stored around the
    period (of any team): those outside ``slots`` and the pinned ones stay and bind the rest, the
    others are planned afresh, so generating twice from the same data gives the same roster.
    ``excluded`` (slot, person) pairs were removed by hand and are not planned again.

    No solver (FACTS.md): a greedy fill in date order (least loaded first, leaders kept for leader
    seats), then two repairs. A short seat is filled by moving a volunteer off the one shift of his
    that keeps him from it and putting someone free in his place there (an augmenting swap). Among
    interchangeable volunteers (equal ``Person.signature``: teams, leadership, skills, availability,
    leave, cap, training) one two or more shifts ahead gives a shift to one behind, until none can."""
    builder = _Builder(list(slots), list(people), list(bookings), rules, set(excluded),
                       progress or (lambda _stage, _done, _total: None), should_stop or (lambda: False))
    return builder.run()


class _Builder:
    def __init__(self, slots: list[Slot], people: list[Person], bookings: list[Booking], rules: Rules,
                 excluded: set[tuple[str, str]], progress: Progress, should_stop: Callable[[], bool]) -> None:
        self.rules, self.progress, self.should_stop = rules, progress, should_stop
        self.order = sorted(slots, key=lambda s: (s.start, s.id))
        self.scope = {s.id: s for s in self.order}
        self.people = {p.id: p for p in people}
        self.rank = {pid: n for n, pid in enumerate(sorted(self.people))}
        self.ledger = Ledger(rules, excluded=excluded)
        self.counts: Counter[str] = Counter({pid: 0 for pid in self.people})
        self.planned: dict[str, dict[str, Booking]] = defaultdict(dict)  # person -> slot -> movable booking
        for b in bookings:
            if b.slot_id not in self.scope or b.pinned:
                self.ledger.add(b)
                if b.slot_id in self.scope:
                    self.counts[b.person_id] += 1
        # Indexes of active people: by team, by availability token, by skill; leaders by team.
        self.members: dict[str, set[str]] = defaultdict(set)
        self.leaders: dict[str, set[str]] = defaultdict(set)
        self.free_at: dict[str, set[str]] = defaultdict(set)
        self.skilled: dict[str, set[str]] = defaultdict(set)
        for p in self.people.values():
            if not p.active:
                continue
            for team in p.teams:
                self.members[team].add(p.id)
            for team in p.leads & p.teams:
                self.leaders[team].add(p.id)
            for token in p.available:
                self.free_at[token].add(p.id)
            for skill in p.skills:
                self.skilled[skill].add(p.id)

    # --- the greedy fill ------------------------------------------------------------------
    def run(self) -> Plan:
        total = len(self.order)
        for n, slot in enumerate(self.order):
            if n % 64 == 0:
                self._tick("排班", n, total)
            self._fill(slot)
        self._tick("调整", 0, 2)
        for slot in self.order:
            while self._missing(slot)[0] and self._augment(slot):
                pass
        self._tick("调整", 1, 2)
        self._balance()
        self._tick("完成", total, total)
        return self._plan()

    def _tick(self, stage: str, done: int, total: int) -> None:
        self.progress(stage, done, total)
        if self.should_stop():
            raise RosterCancelled()

    def _candidates(self, slot: Slot) -> set[str]:
        """Active team members free at the slot's hours with its skill (training and leave unchecked)."""
        found = self.members.get(slot.team_id, set())
        for token in slot.bands:
            found = found & self.free_at.get(token, set())
        if slot.skill:
            found = found & self.skilled.get(slot.skill, set())
        return found

    def _missing(self, slot: Slot) -> tuple[int, bool]:
        """(seats empty, whether the leader seat is one of them)."""
        on = self.ledger.on_slot.get(slot.id, {})
        leader = (not slot.needs_leader or any(b.as_leader or slot.team_id in self.people[p].leads
                                               for p, b in on.items() if p in self.people))
        missing = max(0, slot.needed - len(on))
        return missing, bool(missing) and not leader

    def _free(self, person_id: str, slot: Slot) -> bool:
        person = self.people[person_id]
        return static_refusal(person, slot, self.rules) is None and self.ledger.refusal(person, slot) is None

    def _order(self, ids: Iterable[str], slot: Slot) -> list[str]:
        leaders, counts, rank = self.leaders.get(slot.team_id, ()), self.counts, self.rank
        return sorted(ids, key=lambda p: (p in leaders, counts[p], rank[p]))

    def _place(self, slot: Slot, person_id: str, *, as_leader: bool) -> None:
        booking = Booking(slot.id, person_id, slot.day, slot.start, slot.end, as_leader=as_leader)
        self.ledger.add(booking)
        self.planned[person_id][slot.id] = booking
        self.counts[person_id] += 1

    def _unplace(self, booking: Booking) -> None:
        self.ledger.remove(booking)
        del self.planned[booking.person_id][booking.slot_id]
        self.counts[booking.person_id] -= 1

    def _fill(self, slot: Slot) -> None:
        missing, leader_missing = self._missing(slot)
        if not missing:
            return
        candidates = self._candidates(slot)
        if leader_missing:
            leaders = candidates & self.leaders.get(slot.team_id, set())
            for pid in sorted(leaders, key=lambda p: (self.counts[p], self.rank[p])):
                if self._free(pid, slot):
                    self._place(slot, pid, as_leader=True)
                    missing, leader_missing = missing - 1, False
                    break
        seats = missing - (1 if leader_missing else 0)  # an unfilled leader seat stays for a leader
        for pid in self._order(candidates, slot) if seats > 0 else ():
            if self._free(pid, slot):
                self._place(slot, pid, as_leader=False)
                seats -= 1
                if not seats:
                    break

    # --- repair: a short seat filled by moving someone off another shift ------------------
    def _augment(self, slot: Slot) -> bool:
        missing, leader_missing = self._missing(slot)
        candidates = self._candidates(slot)
        if leader_missing:
            leaders = candidates & self.leaders.get(slot.team_id, set())
            ordered = sorted(leaders, key=lambda p: (self.counts[p], self.rank[p]))
            if self._augment_from(slot, ordered, as_leader=True):
                return True
            if missing == 1:  # the seat left is the leader's
                return False
        return self._augment_from(slot, self._order(candidates, slot), as_leader=False)

    def _augment_from(self, slot: Slot, ordered: list[str], *, as_leader: bool) -> bool:
        for pid in ordered[:TRIES * 4]:
            person = self.people[pid]
            if static_refusal(person, slot, self.rules) is not None:
                continue
            refusal = self.ledger.refusal(person, slot)
            if refusal is None:  # free now (an earlier repair moved him)
                self._place(slot, pid, as_leader=as_leader)
                return True
            if refusal[0] in ("day", "overlap", "rest", "cap") and \
                    self._swap_into(slot, person, refusal, as_leader=as_leader):
                return True
        return False

    def _swap_into(self, slot: Slot, person: Person, refusal, *, as_leader: bool) -> bool:
        rule, other = refusal
        mine = self.planned.get(person.id, {})
        if rule == "cap":
            week = slot.day.isocalendar()[:2]
            movable = [b for b in mine.values() if b.day.isocalendar()[:2] == week]
        else:
            movable = [other] if other is not None and mine.get(other.slot_id) is other else []
        for booking in sorted(movable, key=lambda b: (b.start, b.slot_id)):
            away = self.scope[booking.slot_id]
            self._unplace(booking)
            if self.ledger.refusal(person, slot) is None:
                stand_in = self._stand_in(away, booking, exclude=person.id)
                if stand_in is not None:
                    self._place(away, stand_in, as_leader=booking.as_leader)
                    self._place(slot, person.id, as_leader=as_leader)
                    return True
            self._place(away, person.id, as_leader=booking.as_leader)
        return False

    def _stand_in(self, slot: Slot, leaving: Booking, *, exclude: str) -> str | None:
        pool = self._candidates(slot)
        if leaving.as_leader:
            pool &= self.leaders.get(slot.team_id, set())
        tried = 0
        for pid in self._order(pool, slot):
            if pid == exclude:
                continue
            if self._free(pid, slot):
                return pid
            tried += 1
            if tried >= TRIES:
                return None
        return None

    # --- repair: fairness among interchangeable people ------------------------------------
    def _balance(self) -> None:
        groups: dict[tuple, list[str]] = defaultdict(list)
        for p in self.people.values():
            if p.active:
                groups[p.signature()].append(p.id)
        for members in groups.values():
            if len(members) > 1:
                while self._move_one(members):
                    pass

    def _move_one(self, members: list[str]) -> bool:
        """Move one shift from a person two or more ahead to one behind; False when none can move."""
        by_count = sorted(members, key=lambda p: (self.counts[p], self.rank[p]))
        for hi in reversed(by_count):
            for lo in by_count:
                if self.counts[hi] - self.counts[lo] < 2:
                    break
                for booking in sorted(self.planned.get(hi, {}).values(), key=lambda b: (b.start, b.slot_id)):
                    slot = self.scope[booking.slot_id]
                    self._unplace(booking)
                    if self._free(lo, slot):
                        self._place(slot, lo, as_leader=booking.as_leader)
                        return True
                    self._place(slot, hi, as_leader=booking.as_leader)
        return False

    # --- the result -------------------------------------------------------------------------
    def _plan(self) -> Plan:
        seats, short = {}, []
        for slot in self.order:
            on = self.ledger.on_slot.get(slot.id, {})
            seats[slot.id] = tuple(sorted((Seat(pid, b.as_leader, b.pinned) for pid, b in on.items()),
                                          key=lambda s: (not s.as_leader, not s.pinned, self.rank.get(s.person_id, -1),
                                                         s.person_id)))
            missing, leader_missing = self._missing(slot)
            if missing:
                short.append(Short(slot.id, missing, leader_missing, self._why(slot, missing, leader_missing)))
        return Plan(seats, tuple(short), dict(self.counts))

    def _why(self, slot: Slot, missing: int, leader_missing: bool) -> str:
        team = [self.people[p] for p in sorted(self.members.get(slot.team_id, ()), key=self.rank.__getitem__)]
        leaders = [p for p in team if slot.team_id in p.leads]
        if leader_missing and missing == 1:
            return f"{slot.label} 缺小组长：{self._reason(leaders, slot, '小组长')}"
        text = f"{slot.label} 缺 {missing} 人{'（含小组长）' if leader_missing else ''}：{self._reason(team, slot, '')}"
        if leader_missing:
            text += f"；小组长：{self._reason(leaders, slot, '小组长')}"
        return text

    def _reason(self, pool: list[Person], slot: Slot, who: str) -> str:
        static: Counter[str] = Counter()
        dynamic: Counter[tuple] = Counter()
        for person in pool:
            rule = static_refusal(person, slot, self.rules)
            if rule is not None:
                static[rule] += 1
                continue
            refusal = self.ledger.refusal(person, slot)
            if refusal is None or refusal[0] == "same_shift":
                continue
            dynamic[(refusal[0], person.weekly_cap if refusal[0] == "cap" else 0)] += 1
        if not pool:
            return f"队内没有在队的{who or '义警'}"
        parts = []
        eligible = sum(dynamic.values())
        if eligible:
            items = [(n, self._busy_text(key)) for key, n in dynamic.most_common()]
            parts.append(f"可排的 {eligible} 人{items[0][1]}" if len(items) == 1 else
                         f"可排的 {eligible} 人中 " + "、".join(f"{n} 人{text}" for n, text in items))
        if static:
            items = "、".join(f"{n} 人{self._static_text(rule, slot)}" for rule, n in static.most_common())
            parts.append(("另有 " if eligible else "没有可排的人：") + items)
        return "；".join(parts) or "没有可排的人"

    def _busy_text(self, key: tuple) -> str:
        rule, cap = key
        hours = f"{self.rules.min_rest.total_seconds() / 3600:g}"
        return {"cap": f"本周已满 {cap} 班", "day": "当天已有班次", "overlap": "同一时间另有班次",
                "rest": f"与其他班次间隔不足 {hours} 小时", "excluded": "已被手工移出"}[rule]

    @staticmethod
    def _static_text(rule: str, slot: Slot) -> str:
        return {"training": "未培训", "leave": "请假", "availability": "该时段不可排",
                "skill": f"无「{slot.skill}」专长", "inactive": "不在队", "team": "不在本队"}[rule]

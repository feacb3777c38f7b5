"""Generating a team's (or every team's) roster for a period: a preview to look at, then its save."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from app.core.errors import UserError
from app.patrol.common import audit, derived_id, insert_rows, update_rows
from app.patrol.roster import Plan, Progress, generate
from app.patrol.world import basis, load_world
from db.engine import Database
from db.models import ShiftAssignment
from db.stamping import seed_from_storage

MAX_DAYS = 92  # a roster is made for up to a quarter at once


@dataclass(frozen=True)
class ShortShift:
    shift_id: str
    missing: int
    leader_missing: bool
    reason: str  # "11月26日 周三 19:00-21:00 云栖里夜巡 缺 1 人：可排的 6 人本周已满 2 班"


@dataclass(frozen=True)
class PersonCount:
    volunteer_id: str
    name: str
    shifts: int  # in the period, pinned ones included


@dataclass(frozen=True)
class RosterPreview:
    team_id: str | None
    start: date
    end: date
    shifts: int
    seats: int  # needed, all shifts together
    filled: int
    short: tuple[ShortShift, ...]
    counts: tuple[PersonCount, ...]  # most shifts first
    added: int  # assignments the save makes (or brings back)
    removed: int  # assignments the save takes away (not pinned ones)
    plan: Plan
    basis: str  # the data it was planned from (a save after any change is refused)
    # What the save compares with, as read for the plan (the basis vouches it is still so).
    stored: dict = field(default_factory=dict, repr=False, compare=False)
    made_at: dict = field(default_factory=dict, repr=False, compare=False)


@dataclass(frozen=True)
class SavedRoster:
    added: int
    removed: int


def assignment_id_for(shift_id: str, volunteer_id: str) -> str:
    """A person's assignment to a shift has one id on every laptop: made twice, it merges."""
    return derived_id("shift_assignment", shift_id, volunteer_id)


def preview_roster(db: Database, *, start: date, end: date, team_id: str | None = None,
                   progress: Progress | None = None, should_stop: Callable[[], bool] | None = None) -> RosterPreview:
    """Plan the roster (nothing is written). Pinned assignments stay; the others are planned afresh."""
    _check_period(start, end)
    progress = progress or (lambda _stage, _done, _total: None)
    progress("读取", 0, 1)
    with db.connect() as conn:
        world = load_world(conn, start=start, end=end, team_id=team_id)
    if not world.slots:
        raise UserError("所选期间没有班次：请先用班次模板生成班次")
    plan = generate(slots=world.slots, people=world.people, bookings=world.bookings, rules=world.rules,
                    excluded=world.excluded, progress=progress, should_stop=should_stop)
    names = {p.id: p.name for p in world.people}
    wanted = {(sid, seat.person_id) for sid, seats in plan.seats.items() for seat in seats if not seat.pinned}
    living = {key for key, row in world.stored.items() if not row.deleted and not row.pinned}
    counts = sorted((PersonCount(pid, names.get(pid, ""), n) for pid, n in plan.counts.items() if pid in names),
                    key=lambda c: (-c.shifts, c.name, c.volunteer_id))
    return RosterPreview(
        team_id=team_id, start=start, end=end, shifts=len(world.slots), seats=sum(s.needed for s in world.slots),
        filled=plan.filled, short=tuple(ShortShift(s.slot_id, s.missing, s.leader_missing, s.reason)
                                        for s in plan.short),
        counts=tuple(counts), added=len(wanted - living), removed=len(living - wanted), plan=plan, basis=world.basis,
        stored=world.stored, made_at=world.made_at)


def save_roster(db: Database, *, preview: RosterPreview, officer_id: str | None = None) -> SavedRoster:
    """Write a preview: its new assignments made, the unpinned ones it dropped removed, in one transaction.
    Refused when anything it was planned from changed since (generate the preview again)."""
    table = ShiftAssignment.__table__
    with db.session(officer_id=officer_id) as session:
        conn = session.connection()
        seed_from_storage(conn, db.clock)  # the write lock first: nothing changes between the check and the save
        if basis(conn) != preview.basis:
            raise UserError("排班依据的数据在预览后有改动，请重新生成预览")
        inserts, made_at, changes = [], [], []
        wanted = set()
        for sid, seats in preview.plan.seats.items():
            for seat in seats:
                if seat.pinned:
                    continue
                wanted.add((sid, seat.person_id))
                row = preview.stored.get((sid, seat.person_id))
                if row is None:
                    inserts.append({"id": assignment_id_for(sid, seat.person_id), "shift_id": sid,
                                    "volunteer_id": seat.person_id, "attendance": "planned", "pinned": False,
                                    "as_leader": seat.as_leader, "checked_in_at": None, "checked_out_at": None,
                                    "recorded_how": None})
                    made_at.append(preview.made_at[sid])
                elif row.deleted:
                    changes.append((row.id, row.clocks, {"deleted": False, "as_leader": seat.as_leader,
                                                         "attendance": "planned"}))
                elif row.as_leader != seat.as_leader:
                    changes.append((row.id, row.clocks, {"as_leader": seat.as_leader}))
        removed = [(row.id, row.clocks, {"deleted": True}) for key, row in preview.stored.items()
                   if not row.deleted and not row.pinned and key not in wanted]
        added = len(inserts) + sum(1 for c in changes if c[2].get("deleted") is False)
        insert_rows(session, db, table, inserts, officer_id=officer_id, made_at=made_at)
        update_rows(session, db, table, changes + removed, officer_id=officer_id)
        if added or removed:
            audit(session, action="create", table="shift_assignment", record_id=None, officer_id=officer_id,
                  kind="排班生成", rows=added, changed=len(removed),
                  period=f"{preview.start.isoformat()} 至 {preview.end.isoformat()}")
        session.commit()
    return SavedRoster(added=added, removed=len(removed))


def _check_period(start: date, end: date) -> None:
    if end < start:
        raise UserError("结束日期不能早于开始日期")
    if (end - start).days >= MAX_DAYS:
        raise UserError(f"一次最多排 {MAX_DAYS} 天的班")

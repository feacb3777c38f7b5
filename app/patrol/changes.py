"""Changes to a roster by hand: assign, remove, swap, stand-ins (替班); each held to the roster's hard rules."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from app.core.errors import UserError
from app.core.privacy import mask_phone
from app.patrol.common import audit, insert_rows
from app.patrol.eligibility import Booking, Ledger, Person, Slot, describe, static_refusal, week_of
from app.patrol.generation import assignment_id_for
from app.patrol.schedule import living_shift
from app.patrol.world import World, load_around, load_people, load_slots, team_member_ids
from db.engine import Database
from db.models import Shift, ShiftAssignment, Volunteer

A, S, V = ShiftAssignment.__table__.c, Shift.__table__.c, Volunteer.__table__.c


@dataclass(frozen=True)
class Candidate:
    """Someone who could take a seat, with how loaded he is."""

    volunteer_id: str
    name: str
    phone: str  # masked
    week: int  # shifts in the shift's week
    month: int  # shifts in the shift's month
    leads: bool  # may sit in a leader seat


def assign(db: Database, *, shift_id: str, volunteer_id: str, as_leader: bool | None = None,
           officer_id: str | None = None) -> str:
    """Put a volunteer on a shift (pinned: a new roster keeps him); returns the assignment id.
    ``as_leader`` None: in the leader seat when the shift needs one and he may take it."""
    with db.session(officer_id=officer_id) as session:
        living_shift(session, shift_id)
        world = load_around(session.connection(), slot_ids=[shift_id], person_ids=[volunteer_id])
        slot, person = _slot(world, shift_id), _person(world, volunteer_id)
        on = [b for b in world.bookings if b.slot_id == slot.id]
        if len(on) >= slot.needed:
            raise UserError(f"该班次已满（需 {slot.needed} 人，已排 {len(on)} 人）")
        leads = slot.team_id in person.leads
        leader_missing = slot.needs_leader and not _has_leader(session, world, slot, on)
        if as_leader is None:
            as_leader = leader_missing and leads
        if as_leader and not leads:
            raise UserError(f"{person.name}不是该队的队长、副队长或小组长，不能担任小组长")
        if leader_missing and not leads and slot.needed - len(on) == 1:
            raise UserError(f"最后一个名额要留给小组长：{person.name}不是该队的小组长")
        _refuse_if_breaks(session, world, slot, person)
        row_id = _put(session, db, world, slot, volunteer_id, as_leader=as_leader, officer_id=officer_id)
        session.commit()
        return row_id


def remove(db: Database, *, assignment_id: str, officer_id: str | None = None) -> None:
    """Take a volunteer off a shift; a new roster does not put him back on it."""
    with db.session(officer_id=officer_id) as session:
        row = _assignment(session, assignment_id)
        row.deleted, row.pinned = True, True
        session.commit()


def pin(db: Database, *, assignment_id: str, pinned: bool = True, officer_id: str | None = None) -> None:
    """Confirm an assignment (a new roster keeps it), or let a new roster change it again."""
    with db.session(officer_id=officer_id) as session:
        row = _assignment(session, assignment_id)
        row.pinned = pinned
        session.commit()


def swap(db: Database, *, first_id: str, second_id: str, officer_id: str | None = None) -> None:
    """Two volunteers on two shifts exchange them; each takes the other's seat (a leader's seat needs a leader)."""
    with db.session(officer_id=officer_id) as session:
        first, second = _assignment(session, first_id), _assignment(session, second_id)
        if first.shift_id == second.shift_id:
            raise UserError("两人在同一个班次，无需对调")
        if first.volunteer_id == second.volunteer_id:
            raise UserError("这是同一个人的两个班次，无需对调")
        world = load_around(session.connection(), slot_ids=[first.shift_id, second.shift_id],
                            person_ids=[first.volunteer_id, second.volunteer_id])
        moves = ((second.volunteer_id, first), (first.volunteer_id, second))  # (who, the seat he takes)
        leaving = [b for b in world.bookings if (b.slot_id, b.person_id) in
                   {(first.shift_id, first.volunteer_id), (second.shift_id, second.volunteer_id)}]
        taken: list[Booking] = []
        for who, seat in moves:
            slot, person = _slot(world, seat.shift_id), _person(world, who)
            if seat.as_leader and slot.team_id not in person.leads:
                raise UserError(f"{person.name}不是该队的小组长，不能接替小组长的位置")
            _refuse_if_breaks(session, world, slot, person, leaving=leaving, taken=taken)
            taken.append(Booking(slot.id, who, slot.day, slot.start, slot.end, True, seat.as_leader))
        first.deleted = second.deleted = True
        first.pinned = second.pinned = True
        session.flush()
        for (who, seat), booking in zip(moves, taken):
            _put(session, db, world, _slot(world, seat.shift_id), who, as_leader=booking.as_leader,
                 officer_id=officer_id)
        session.commit()


def stand_in_candidates(db: Database, *, assignment_id: str) -> list[Candidate]:
    """Who could take this assignment's seat (替班), least loaded first: fewest shifts that week, then month."""
    with db.session() as session:
        row = _assignment(session, assignment_id)
        shift = session.get(Shift, row.shift_id)
        conn = session.connection()
        members = team_member_ids(conn, [shift.team_id]) - {row.volunteer_id}
        world = load_around(conn, slot_ids=[row.shift_id], person_ids=members)
        slot = _slot(world, row.shift_id)
        ledger = _ledger(world, leaving=[b for b in world.bookings if b.slot_id == slot.id
                                         and b.person_id == row.volunteer_id])
        month = _month_counts(conn, shift.day, members)
        phones = dict(conn.execute(select(V.id, V.phone).where(V.id.in_(members))).all()) if members else {}
    out = []
    for person in world.people:
        leads = slot.team_id in person.leads
        if row.as_leader and not leads:
            continue
        if static_refusal(person, slot, world.rules) is None and ledger.refusal(person, slot) is None:
            out.append(Candidate(person.id, person.name, mask_phone(phones.get(person.id)),
                                 ledger.by_week.get((person.id, week_of(slot.day)), 0), month.get(person.id, 0), leads))
    return sorted(out, key=lambda c: (c.week, c.month, c.name, c.volunteer_id))


def stand_in(db: Database, *, assignment_id: str, volunteer_id: str, officer_id: str | None = None) -> str:
    """Replace the volunteer of an assignment by another (替班), in the same seat; returns the new id."""
    with db.session(officer_id=officer_id) as session:
        row = _assignment(session, assignment_id)
        if row.volunteer_id == volunteer_id:
            raise UserError("替班的人就是原来的人")
        world = load_around(session.connection(), slot_ids=[row.shift_id], person_ids=[volunteer_id])
        slot, person = _slot(world, row.shift_id), _person(world, volunteer_id)
        if row.as_leader and slot.team_id not in person.leads:
            raise UserError(f"{person.name}不是该队的小组长，不能接替小组长的位置")
        leaving = [b for b in world.bookings if b.slot_id == slot.id and b.person_id == row.volunteer_id]
        _refuse_if_breaks(session, world, slot, person, leaving=leaving)
        row.deleted, row.pinned = True, True
        session.flush()
        new_id = _put(session, db, world, slot, volunteer_id, as_leader=row.as_leader, officer_id=officer_id)
        session.commit()
        return new_id


# --- shared ---------------------------------------------------------------------------------

def _assignment(session, assignment_id: str) -> ShiftAssignment:
    row = session.get(ShiftAssignment, assignment_id)
    if row is None or row.deleted:
        raise UserError("该排班不存在或已移出")
    living_shift(session, row.shift_id)
    return row


def _slot(world: World, shift_id: str) -> Slot:
    slot = next((s for s in world.slots if s.id == shift_id), None)
    if slot is None:
        raise UserError("该班次不存在或已取消")
    return slot


def _person(world: World, volunteer_id: str) -> Person:
    person = next((p for p in world.people if p.id == volunteer_id), None)
    if person is None:
        raise UserError("该义警不存在或已删除")
    return person


def _ledger(world: World, *, leaving: list[Booking] = (), taken: list[Booking] = ()) -> Ledger:
    ledger = Ledger(world.rules)  # a hand change may undo an earlier removal by hand: no exclusions
    for b in world.bookings:
        if b not in leaving:
            ledger.add(b)
    for b in taken:
        ledger.add(b)
    return ledger


def _refuse_if_breaks(session, world: World, slot: Slot, person: Person, *, leaving: list[Booking] = (),
                      taken: list[Booking] = ()) -> None:
    rule = static_refusal(person, slot, world.rules)
    if rule is not None:
        raise UserError(describe(rule, person, slot, world.rules))
    refusal = _ledger(world, leaving=leaving, taken=taken).refusal(person, slot)
    if refusal is not None:
        rule, other = refusal
        label = ""
        if other is not None:
            slots, _made = load_slots(session.connection(), ids=[other.slot_id])
            label = f"（{slots[0].label}）" if slots else ""
        raise UserError(describe(rule, person, slot, world.rules, other, label))


def _has_leader(session, world: World, slot: Slot, on: list[Booking]) -> bool:
    if any(b.as_leader for b in on):
        return True
    people = load_people(session.connection(), ids={b.person_id for b in on}, start=slot.day, end=slot.day)
    return any(slot.team_id in p.leads for p in people)


def _put(session, db: Database, world: World, slot: Slot, volunteer_id: str, *, as_leader: bool,
         officer_id: str | None) -> str:
    """The (derived) assignment row of ``volunteer_id`` on ``slot``: made, or brought back, pinned."""
    stored = world.stored.get((slot.id, volunteer_id))
    if stored is not None:
        row = session.get(ShiftAssignment, stored.id)
        row.deleted, row.pinned, row.as_leader, row.attendance = False, True, as_leader, "planned"
        row.checked_in_at = row.checked_out_at = row.recorded_how = None
        return row.id
    row_id = assignment_id_for(slot.id, volunteer_id)
    insert_rows(session, db, ShiftAssignment.__table__,
                [{"id": row_id, "shift_id": slot.id, "volunteer_id": volunteer_id, "attendance": "planned",
                  "pinned": True, "as_leader": as_leader, "checked_in_at": None, "checked_out_at": None,
                  "recorded_how": None}], officer_id=officer_id, made_at=[world.made_at[slot.id]])
    audit(session, action="create", table="shift_assignment", record_id=row_id, officer_id=officer_id)
    return row_id


def _month_counts(conn, day: date, people: set[str]) -> dict[str, int]:
    first = day.replace(day=1)
    last = (first.replace(year=first.year + first.month // 12, month=first.month % 12 + 1))
    rows = conn.execute(select(A.volunteer_id, func.count()).join(Shift.__table__, S.id == A.shift_id)
                        .where(A.deleted.is_(False), S.deleted.is_(False), S.day >= first, S.day < last)
                        .group_by(A.volunteer_id)).all()
    return {vid: n for vid, n in rows if vid in people}

"""Reading what the roster's rules need from the database: shifts as slots, volunteers as people, bookings."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import func, select, union_all

from app.patrol.common import bands, parse_tokens, shift_label, span
from app.patrol.eligibility import Booking, Person, Rules, Slot
from app.patrol.settings import read_settings
from app.patrol.teams import LEADING
from db.models import (
    PatrolRoute,
    PatrolSetting,
    Shift,
    ShiftAssignment,
    Volunteer,
    VolunteerLeave,
    VolunteerMembership,
)

S, P, A = Shift.__table__.c, PatrolRoute.__table__.c, ShiftAssignment.__table__.c
V, M, L = Volunteer.__table__.c, VolunteerMembership.__table__.c, VolunteerLeave.__table__.c
# What a roster is planned from: a change to any of these after a preview makes its save refused.
BASIS_TABLES = (Volunteer, VolunteerMembership, VolunteerLeave, Shift, ShiftAssignment, PatrolSetting)
_CHUNK = 500


@dataclass(frozen=True)
class Stored:
    """An assignment row as stored, for the save's comparison."""

    id: str
    deleted: bool
    pinned: bool
    as_leader: bool
    clocks: dict


@dataclass
class World:
    slots: list[Slot]
    people: list[Person]
    bookings: list[Booking]  # living assignments on living shifts around the slots
    excluded: set[tuple[str, str]]  # (slot, person) removed by hand
    rules: Rules
    made_at: dict[str, datetime] = field(default_factory=dict)  # slot -> the shift's created_at
    stored: dict[tuple[str, str], Stored] = field(default_factory=dict)  # (slot, person) -> row, slots only
    basis: str = ""


def basis(conn) -> str:
    """The newest stamp of the tables a roster is planned from."""
    parts = [select(func.max(m.__table__.c.hlc).label("top")) for m in BASIS_TABLES]
    return conn.execute(select(func.max(union_all(*parts).subquery().c.top))).scalar() or ""


def _slot(row) -> Slot:
    start, end = span(row.day, row.starts_at, row.ends_at)
    return Slot(id=row.id, team_id=row.team_id or "", day=row.day, start=start, end=end, needed=row.needed,
                needs_leader=bool(row.needs_leader), skill=row.skill, bands=bands(start, end),
                label=shift_label(row.day, row.starts_at, row.ends_at, row.route))


def _slot_query():
    return (select(S.id, S.team_id, S.day, S.starts_at, S.ends_at, S.needed, S.needs_leader, S.skill,
                   S.created_at, P.name.label("route"))
            .join(PatrolRoute.__table__, P.id == S.route_id).where(S.deleted.is_(False)))


def load_slots(conn, *, start: date | None = None, end: date | None = None, team_id: str | None = None,
               ids: Iterable[str] = ()) -> tuple[list[Slot], dict[str, datetime]]:
    """Living shifts not yet confirmed from ``start`` to ``end`` (of ``team_id``), or with these ids."""
    query = _slot_query()
    if start is not None:
        query = query.where(S.day >= start, S.day <= end, S.confirmed_at.is_(None))
    if team_id is not None:
        query = query.where(S.team_id == team_id)
    ids = list(ids)
    rows = []
    if ids:
        for n in range(0, len(ids), _CHUNK):
            rows += conn.execute(query.where(S.id.in_(ids[n:n + _CHUNK]))).all()
    elif start is not None:
        rows = conn.execute(query.order_by(S.day, S.starts_at, S.id)).all()
    return [_slot(r) for r in rows], {r.id: r.created_at for r in rows}


def team_member_ids(conn, team_ids: Iterable[str]) -> set[str]:
    team_ids = list(team_ids)
    home = select(V.id).where(V.team_id.in_(team_ids), V.deleted.is_(False))
    joined = select(M.volunteer_id).where(M.team_id.in_(team_ids), M.deleted.is_(False))
    return set(conn.execute(home.union(joined)).scalars())


def load_people(conn, *, ids: Iterable[str] | None = None, start: date, end: date) -> list[Person]:
    """Living volunteers (all, or these) as the rules see them, with leave overlapping ``start``-``end``."""
    wanted = None if ids is None else sorted(set(ids))
    volunteers = _rows(conn, select(V.id, V.name, V.team_id, V.status, V.skills, V.availability, V.weekly_cap,
                                    V.trained_on).where(V.deleted.is_(False)), V.id, wanted)
    teams, leads = defaultdict(set), defaultdict(set)
    for vid, team, role in _rows(conn, select(M.volunteer_id, M.team_id, M.role).where(M.deleted.is_(False)),
                                 M.volunteer_id, wanted):
        teams[vid].add(team)
        if role in LEADING:
            leads[vid].add(team)
    leave = defaultdict(list)
    for vid, first, last in sorted(_rows(conn, select(L.volunteer_id, L.starts_on, L.ends_on).where(
            L.deleted.is_(False), L.starts_on <= end, L.ends_on >= start), L.volunteer_id, wanted)):
        leave[vid].append((first, last))
    return [Person(id=r.id, name=r.name, teams=frozenset(teams[r.id] | {r.team_id}), leads=frozenset(leads[r.id]),
                   skills=frozenset(s for s in r.skills.split(",") if s), available=parse_tokens(r.availability),
                   leave=tuple(leave[r.id]), weekly_cap=r.weekly_cap, trained_on=r.trained_on,
                   active=r.status == "active")
            for r in volunteers]


def _rows(conn, query, column, ids: list[str] | None) -> list:
    """The query's rows, all of them or those whose ``column`` is one of ``ids``."""
    if ids is None:
        return conn.execute(query).all()
    return [row for n in range(0, len(ids), _CHUNK) for row in conn.execute(query.where(column.in_(ids[n:n + _CHUNK])))]


def load_bookings(conn, *, first: date, last: date, person_ids: set[str] | None = None,
                  slot_ids: set[str] = frozenset()) -> tuple[list[Booking], set[tuple[str, str]], dict]:
    """Living assignments on living shifts from ``first`` to ``last`` (of these people, or on these
    slots); the (slot, person) pairs removed by hand from ``slot_ids``; every stored row on ``slot_ids``."""
    query = (select(A.id, A.shift_id, A.volunteer_id, A.deleted, A.pinned, A.as_leader, A.clocks,
                    S.day, S.starts_at, S.ends_at)
             .join(Shift.__table__, S.id == A.shift_id)
             .where(S.deleted.is_(False), S.day >= first, S.day <= last))
    bookings, excluded, stored = [], set(), {}
    for r in conn.execute(query.order_by(A.created_at, A.id)):
        on_slot = r.shift_id in slot_ids
        if on_slot:
            stored.setdefault((r.shift_id, r.volunteer_id), Stored(r.id, bool(r.deleted), bool(r.pinned),
                                                                   bool(r.as_leader), r.clocks))
            if r.deleted and r.pinned:
                excluded.add((r.shift_id, r.volunteer_id))
        if r.deleted or not (on_slot or person_ids is None or r.volunteer_id in person_ids):
            continue
        start, end = span(r.day, r.starts_at, r.ends_at)
        bookings.append(Booking(r.shift_id, r.volunteer_id, r.day, start, end, bool(r.pinned), bool(r.as_leader)))
    # One booking per person and shift (two laptops may each have made one: see overfilled_shifts).
    unique = {(b.slot_id, b.person_id): b for b in reversed(bookings)}
    return list(unique.values()), excluded, stored


def window(first: date, last: date) -> tuple[date, date]:
    """The days whose bookings bind shifts from ``first`` to ``last``: their weeks (the cap) and two
    days more either side (rest after a shift that ends the next day)."""
    return (first - timedelta(days=first.weekday() + 2), last + timedelta(days=6 - last.weekday() + 2))


def load_world(conn, *, start: date, end: date, team_id: str | None = None) -> World:
    """Everything a roster of ``team_id`` (or of every team) from ``start`` to ``end`` is planned from."""
    top = basis(conn)
    slots, made_at = load_slots(conn, start=start, end=end, team_id=team_id)
    person_ids = None if team_id is None else team_member_ids(conn, [team_id])
    people = load_people(conn, ids=person_ids, start=start, end=end)
    first, last = window(start, end)
    bookings, excluded, stored = load_bookings(conn, first=first, last=last,
                                               person_ids={p.id for p in people}, slot_ids=set(made_at))
    return World(slots, people, bookings, excluded, read_settings(conn).rules, made_at, stored, top)


def load_around(conn, *, slot_ids: Iterable[str], person_ids: Iterable[str]) -> World:
    """What a change by hand to these shifts for these people is checked against."""
    slots, made_at = load_slots(conn, ids=slot_ids)
    if not slots:
        return World([], [], [], set(), read_settings(conn).rules)
    first, last = window(min(s.day for s in slots), max(s.day for s in slots))
    person_ids = set(person_ids)
    people = load_people(conn, ids=person_ids, start=first, end=last)
    bookings, excluded, stored = load_bookings(conn, first=first, last=last, person_ids=person_ids,
                                               slot_ids=set(made_at))
    return World(slots, people, bookings, excluded, read_settings(conn).rules, made_at, stored)

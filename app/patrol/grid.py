"""Reading rosters: a team's shifts by route and day for the roster grid (who sits where, the leader,
the short seats), one shift with its people, and a day's shifts with how far their sign-in got."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

from sqlalchemy import and_, func, select

from app.patrol.common import shift_label
from app.patrol.queries import route_teams_query
from db.engine import Database
from db.models import Officer, PatrolRoute, Shift, ShiftAssignment, Volunteer, VolunteerTeam

S, A, P = Shift.__table__.c, ShiftAssignment.__table__.c, PatrolRoute.__table__.c
V, T, OF = Volunteer.__table__.c, VolunteerTeam.__table__.c, Officer.__table__.c


@dataclass(frozen=True)
class Seat:
    assignment_id: str
    volunteer_id: str
    name: str
    as_leader: bool
    attendance: str  # code
    pinned: bool


@dataclass(frozen=True)
class GridShift:
    id: str
    route_id: str
    team_id: str | None
    day: date
    starts_at: time
    ends_at: time
    needed: int
    needs_leader: bool
    confirmed: bool
    route: str
    label: str  # 11月26日 周三 19:00-21:00 云栖里夜巡
    people: tuple[Seat, ...]  # the leader first

    @property
    def missing(self) -> int:
        return max(0, self.needed - len(self.people))

    @property
    def leader_missing(self) -> bool:
        return self.needs_leader and not any(p.as_leader for p in self.people)


@dataclass(frozen=True)
class RosterGrid:
    team_id: str | None
    start: date
    end: date
    routes: tuple[tuple[str, str], ...]  # (id, name): the grid's rows
    shifts: dict[tuple[str, date], tuple[GridShift, ...]]  # (route, day) -> its shifts by start

    @property
    def days(self) -> list[date]:
        return [date.fromordinal(n) for n in range(self.start.toordinal(), self.end.toordinal() + 1)]

    def shift(self, shift_id: str) -> GridShift | None:
        return next((s for cell in self.shifts.values() for s in cell if s.id == shift_id), None)


def _grid_shifts(conn, where) -> list[GridShift]:
    rows = conn.execute(select(S.id, S.route_id, S.team_id, S.day, S.starts_at, S.ends_at, S.needed, S.needs_leader,
                               S.confirmed_at, P.name.label("route"))
                        .join(PatrolRoute.__table__, P.id == S.route_id)
                        .where(S.deleted.is_(False), where).order_by(S.day, S.starts_at, S.id)).all()
    seats: dict[str, list[Seat]] = {}
    ids = [r.id for r in rows]
    for n in range(0, len(ids), 500):
        for a in conn.execute(select(A.id, A.shift_id, A.volunteer_id, V.name, A.as_leader, A.attendance, A.pinned)
                              .join(Volunteer.__table__, V.id == A.volunteer_id)
                              .where(A.shift_id.in_(ids[n:n + 500]), A.deleted.is_(False))
                              .order_by(A.as_leader.desc(), V.name, A.id)):
            seats.setdefault(a.shift_id, []).append(Seat(a.id, a.volunteer_id, a.name, bool(a.as_leader),
                                                         a.attendance, bool(a.pinned)))
    return [GridShift(r.id, r.route_id, r.team_id, r.day, r.starts_at, r.ends_at, r.needed, bool(r.needs_leader),
                      r.confirmed_at is not None, r.route, shift_label(r.day, r.starts_at, r.ends_at, r.route),
                      tuple(seats.get(r.id, ()))) for r in rows]


def roster_grid(db: Database, *, team_id: str | None, start: date, end: date) -> RosterGrid:
    """A team's (or every team's) shifts from ``start`` to ``end`` by route and day: the routes it
    patrols are rows even without shifts."""
    where = and_(S.day >= start, S.day <= end)
    if team_id is not None:
        where = and_(where, S.team_id == team_id)
    with db.connect() as conn:
        shifts = _grid_shifts(conn, where)
        routes = dict(route_choices_in(conn, team_id))
        for s in shifts:
            if s.route_id not in routes:
                routes[s.route_id] = s.route
    cells: dict[tuple[str, date], list[GridShift]] = {}
    for s in shifts:
        cells.setdefault((s.route_id, s.day), []).append(s)
    ordered = tuple(sorted(routes.items(), key=lambda r: (r[1], r[0])))
    return RosterGrid(team_id, start, end, ordered, {k: tuple(v) for k, v in cells.items()})


def route_choices_in(conn, team_id: str | None) -> list[tuple[str, str]]:
    query = select(P.id, P.name).where(P.deleted.is_(False))
    if team_id is not None:
        rt = route_teams_query()
        query = query.where(P.id.in_(select(rt.c.route_id).where(rt.c.team_id == team_id)))
    return [(r.id, r.name) for r in conn.execute(query)]


def grid_shift(db: Database, *, shift_id: str) -> GridShift | None:
    """One shift with its people (a record opened from the 工作台, the sign-in form)."""
    with db.connect() as conn:
        found = _grid_shifts(conn, S.id == shift_id)
    return found[0] if found else None


@dataclass(frozen=True)
class DayShift:
    id: str
    label: str  # 19:00-21:00 云栖里夜巡
    team_id: str | None
    team: str
    needed: int
    assigned: int
    signed: int  # attendance recorded
    confirmed: bool
    confirmed_by: str


def day_shifts(db: Database, *, on: date, team_id: str | None = None) -> list[DayShift]:
    """The shifts of a day (of a team), by start, with how far their sign-in got."""
    assigned = select(func.count()).where(A.shift_id == S.id, A.deleted.is_(False)).scalar_subquery()
    signed = select(func.count()).where(A.shift_id == S.id, A.deleted.is_(False),
                                        A.attendance != "planned").scalar_subquery()
    query = (select(S.id, S.starts_at, S.ends_at, S.needed, S.team_id, S.confirmed_at, P.name.label("route"),
                    T.name.label("team"), OF.name.label("officer"), assigned.label("assigned"), signed.label("signed"))
             .join(PatrolRoute.__table__, P.id == S.route_id).outerjoin(VolunteerTeam.__table__, T.id == S.team_id)
             .outerjoin(Officer.__table__, OF.id == S.confirmed_by)
             .where(S.deleted.is_(False), S.day == on).order_by(S.starts_at, P.name, S.id))
    if team_id is not None:
        query = query.where(S.team_id == team_id)
    with db.connect() as conn:
        return [DayShift(r.id, f"{r.starts_at:%H:%M}-{r.ends_at:%H:%M} {r.route}", r.team_id, r.team or "", r.needed,
                         r.assigned, r.signed, r.confirmed_at is not None, r.officer or "")
                for r in conn.execute(query)]

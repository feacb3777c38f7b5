"""Hours and points (积分) from confirmed shifts, star levels, the year's honour list, inactive volunteers."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import func, select

from app.patrol.attendance import ATTENDED, hours_of, stored_local
from app.patrol.common import span
from app.patrol.settings import STAR_NAMES, PatrolSettings, read_settings
from db.engine import Database
from db.models import PatrolLog, Shift, ShiftAssignment, Volunteer, VolunteerTeam

A, S, G = ShiftAssignment.__table__.c, Shift.__table__.c, PatrolLog.__table__.c
V, T = Volunteer.__table__.c, VolunteerTeam.__table__.c
MIN_SHIFTS_FOR_RATE = 4  # the honour list ranks attendance only over this many shifts or more


@dataclass
class Tally:
    """A volunteer's or a team's service over a period, from confirmed shifts."""

    id: str
    name: str
    shifts: int = 0  # assignments, leave (请假) not counted
    attended: int = 0
    hours: float = 0.0
    points: float = 0.0
    stars: int = 0  # a volunteer's level by his points over all time (0 for a team)

    @property
    def rate(self) -> float:
        return self.attended / self.shifts if self.shifts else 0.0

    @property
    def level(self) -> str:
        return STAR_NAMES[self.stars]


@dataclass(frozen=True)
class Honours:
    """The year's list for 表彰: the top volunteers and teams by hours, points and attendance."""

    year: int
    volunteers_by_hours: list[Tally] = field(default_factory=list)
    volunteers_by_points: list[Tally] = field(default_factory=list)
    volunteers_by_rate: list[Tally] = field(default_factory=list)
    teams_by_hours: list[Tally] = field(default_factory=list)
    teams_by_points: list[Tally] = field(default_factory=list)
    teams_by_rate: list[Tally] = field(default_factory=list)


@dataclass(frozen=True)
class Inactive:
    volunteer_id: str
    name: str
    last_shift: date | None


def _tallies(conn, *, start: date | None, end: date | None, settings: PatrolSettings) -> tuple[dict, dict]:
    """(volunteer id -> Tally, team id -> Tally) over confirmed shifts from ``start`` to ``end``."""
    where = [S.deleted.is_(False), S.confirmed_at.is_not(None)]
    if start is not None:
        where.append(S.day >= start)
    if end is not None:
        where.append(S.day <= end)
    people: dict[str, Tally] = {}
    teams: dict[str, Tally] = {}
    attended_on = defaultdict(list)  # shift -> volunteers who served
    shift_team = {}
    rows = conn.execute(select(A.volunteer_id, A.attendance, A.as_leader, A.checked_in_at, A.checked_out_at,
                               S.id, S.team_id, S.day, S.starts_at, S.ends_at)
                        .join(Shift.__table__, S.id == A.shift_id).where(A.deleted.is_(False), *where))
    for r in rows:
        start_at, end_at = span(r.day, r.starts_at, r.ends_at)
        hours = hours_of(attendance=r.attendance, started=stored_local(r.checked_in_at),
                         ended=stored_local(r.checked_out_at), start=start_at, end=end_at)
        points = hours * settings["per_hour"] * (settings["leader_multiplier"] if r.as_leader else 1)
        shift_team[r.id] = r.team_id
        for tally in (people.setdefault(r.volunteer_id, Tally(r.volunteer_id, "")),
                      teams.setdefault(r.team_id or "", Tally(r.team_id or "", ""))):
            tally.shifts += r.attendance != "leave"
            tally.attended += r.attendance in ATTENDED
            tally.hours += hours
            tally.points += points
        if r.attendance in ATTENDED:
            attended_on[r.id].append(r.volunteer_id)
    logs = conn.execute(select(G.shift_id, G.kind, G.volunteer_id, G.settled).join(Shift.__table__, S.id == G.shift_id)
                        .where(G.deleted.is_(False), *where))
    for shift_id, kind, finder, settled in logs:
        points = settings["finding"] + (settings["dispute_settled"] if settled and kind == "dispute" else 0)
        for vid in ([finder] if finder else attended_on.get(shift_id, [])):
            people.setdefault(vid, Tally(vid, "")).points += points
            teams.setdefault(shift_team.get(shift_id) or "", Tally(shift_team.get(shift_id) or "", "")).points += points
    for tally in (*people.values(), *teams.values()):
        tally.hours, tally.points = round(tally.hours, 2), round(tally.points, 2)
    return people, teams


def _named(conn, tallies: dict, table) -> list[Tally]:
    c = table.c
    names = dict(conn.execute(select(c.id, c.name)).all())
    for tally in tallies.values():
        tally.name = names.get(tally.id, "")
    return [t for t in tallies.values() if t.id in names]


def volunteer_tallies(db: Database, *, start: date | None = None, end: date | None = None) -> list[Tally]:
    """Every volunteer's hours and points over the period (all time when open), most points first,
    with his star level by his points over all time."""
    with db.connect() as conn:
        settings = read_settings(conn)
        people, _teams = _tallies(conn, start=start, end=end, settings=settings)
        lifetime, _ = (people, None) if start is None and end is None else \
            _tallies(conn, start=None, end=None, settings=settings)
        out = _named(conn, people, Volunteer.__table__)
    for tally in out:
        tally.stars = settings.stars(lifetime[tally.id].points if tally.id in lifetime else 0)
    return sorted(out, key=lambda t: (-t.points, -t.hours, t.name, t.id))


def team_tallies(db: Database, *, start: date | None = None, end: date | None = None) -> list[Tally]:
    with db.connect() as conn:
        _people, teams = _tallies(conn, start=start, end=end, settings=read_settings(conn))
        out = _named(conn, teams, VolunteerTeam.__table__)
    return sorted(out, key=lambda t: (-t.points, -t.hours, t.name, t.id))


def honour_list(db: Database, *, year: int, top: int = 10) -> Honours:
    start, end = date(year, 1, 1), date(year, 12, 31)
    people, teams = volunteer_tallies(db, start=start, end=end), team_tallies(db, start=start, end=end)

    def best(tallies: list[Tally], key) -> list[Tally]:
        return sorted(tallies, key=lambda t: (-key(t), t.name, t.id))[:top]

    rated = [t for t in people if t.shifts >= MIN_SHIFTS_FOR_RATE]
    rated_teams = [t for t in teams if t.shifts >= MIN_SHIFTS_FOR_RATE]
    return Honours(year, best(people, lambda t: t.hours), best(people, lambda t: t.points),
                   best(rated, lambda t: t.rate), best(teams, lambda t: t.hours), best(teams, lambda t: t.points),
                   best(rated_teams, lambda t: t.rate))


def inactive_volunteers(db: Database, *, on: date, days: int | None = None) -> list[Inactive]:
    """Volunteers 在队 with no shift served or planned in the ``days`` (the setting: 60) up to ``on``;
    one who joined within them is not counted."""
    with db.connect() as conn:
        days = int(days or read_settings(conn)["inactive_days"])
        since = on - timedelta(days=days)
        last = (select(A.volunteer_id, func.max(S.day).label("last")).join(Shift.__table__, S.id == A.shift_id)
                .where(A.deleted.is_(False), S.deleted.is_(False), S.day <= on,
                       A.attendance.not_in(("absent", "leave")))
                .group_by(A.volunteer_id).subquery())
        rows = conn.execute(select(V.id, V.name, V.joined_on, last.c.last)
                            .outerjoin(last, last.c.volunteer_id == V.id)
                            .where(V.deleted.is_(False), V.status == "active")
                            .order_by(last.c.last.is_not(None), last.c.last, V.name, V.id)).all()
    return [Inactive(r.id, r.name, r.last) for r in rows
            if (r.last is None or r.last < since) and not (r.joined_on and r.joined_on > since)]

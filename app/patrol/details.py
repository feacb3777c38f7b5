"""Reading one patrol record for the tab's detail pane: a team with its members, roles, routes and
templates; a route; a volunteer with his teams, availability, leave, status history, shifts and totals."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, or_, select

from app.core.privacy import mask_id_number, mask_phone
from app.core.timeutil import age_on
from app.core.vocab import ATTENDANCE, ROUTE_KINDS
from app.patrol.attendance import ATTENDED, hours_of, stored_local
from app.patrol.common import parse_tokens, shift_label, span
from app.patrol.eligibility import weekday_name
from app.patrol.queries import (
    GENDERS,
    RouteRow,
    TeamRow,
    VolunteerRow,
    route_teams_query,
    team_rows,
    team_rows_query,
    teams_of_routes,
)
from app.patrol.settings import STAR_NAMES, read_settings
from app.patrol.teams import Member, members
from app.patrol.volunteers import StatusChange, status_history
from db.engine import Database
from db.models import (
    Community,
    PatrolLog,
    PatrolRoute,
    Shift,
    ShiftAssignment,
    ShiftTemplate,
    Volunteer,
    VolunteerLeave,
    VolunteerMembership,
    VolunteerTeam,
)

HISTORY_LIMIT = 200  # a volunteer's shifts shown in his detail, newest first
V, T, M = Volunteer.__table__.c, VolunteerTeam.__table__.c, VolunteerMembership.__table__.c
P, ST, C = PatrolRoute.__table__.c, ShiftTemplate.__table__.c, Community.__table__.c
S, A, G, L = Shift.__table__.c, ShiftAssignment.__table__.c, PatrolLog.__table__.c, VolunteerLeave.__table__.c


@dataclass(frozen=True)
class TemplateLine:
    id: str
    route: str
    team: str
    weekdays: str  # 周一、周三、周五
    hours: str  # 19:00-21:00
    headcount: int
    needs_leader: bool
    skill: str
    valid: str  # 2026-09-01 起 / 2026-09-01 至 2026-12-31


@dataclass(frozen=True)
class TeamDetail:
    row: TeamRow
    notes: str
    group_size: int
    group_leader: bool
    members: list[Member]
    routes: list[tuple[str, str]]  # (id, name)
    templates: list[TemplateLine]


@dataclass(frozen=True)
class RouteDetail:
    row: RouteRow
    waypoints: list[str]
    notes: str
    teams: list[tuple[str, str]]
    templates: list[TemplateLine]


@dataclass(frozen=True)
class LeaveLine:
    id: str
    starts_on: date
    ends_on: date
    reason: str


@dataclass(frozen=True)
class HistoryLine:
    """One of a volunteer's shifts."""

    assignment_id: str
    shift_id: str
    day: date
    label: str  # 11月26日 周三 19:00-21:00 云栖里夜巡
    team: str
    as_leader: bool
    attendance: str  # label
    hours: float
    confirmed: bool


@dataclass(frozen=True)
class Totals:
    """A volunteer's service over all time, from confirmed shifts (as app.patrol.points counts it)."""

    shifts: int
    attended: int
    hours: float
    points: float
    stars: int
    upcoming: int  # planned shifts from today on

    @property
    def level(self) -> str:
        return STAR_NAMES[self.stars] or "未定级"


@dataclass(frozen=True)
class VolunteerDetail:
    row: VolunteerRow
    birth_date: date | None
    joined_on: date | None
    resident_linked: bool
    skills: tuple[str, ...]
    availability: frozenset[str]
    teams: list[tuple[str, str, str, bool]]  # (team id, name, role code, home team)
    leaves: list[LeaveLine]  # newest first
    statuses: list[StatusChange]  # oldest first
    history: list[HistoryLine]  # newest first, at most HISTORY_LIMIT
    totals: Totals


def weekdays_text(days: list[int]) -> str:
    """[1..7] -> 每天; [1..5] -> 周一至周五; [1, 3, 5] -> 周一、周三、周五."""
    names = [weekday_name(date(2024, 1, d)) for d in days]
    if days == list(range(1, 8)):
        return "每天"
    if len(days) >= 3 and days == list(range(days[0], days[-1] + 1)):
        return f"{names[0]}至{names[-1]}"
    return "、".join(names)


def _template_lines(conn, where) -> list[TemplateLine]:
    rows = conn.execute(select(ST.id, ST.weekdays, ST.starts_at, ST.ends_at, ST.headcount, ST.needs_leader, ST.skill,
                               ST.valid_from, ST.valid_to, P.name.label("route"), T.name.label("team"))
                        .join(PatrolRoute.__table__, P.id == ST.route_id)
                        .join(VolunteerTeam.__table__, T.id == ST.team_id)
                        .where(ST.deleted.is_(False), where).order_by(P.name, ST.starts_at, ST.id)).all()
    out = []
    for r in rows:
        days = weekdays_text(sorted(int(d) for d in r.weekdays.split(",") if d))
        valid = f"{r.valid_from} 至 {r.valid_to}" if r.valid_to else f"{r.valid_from} 起"
        out.append(TemplateLine(r.id, r.route, r.team, days, f"{r.starts_at:%H:%M}-{r.ends_at:%H:%M}", r.headcount,
                                r.needs_leader, r.skill or "", valid))
    return out


def team_detail(db: Database, *, team_id: str) -> TeamDetail | None:
    with db.connect() as conn:
        rows = team_rows(conn, team_rows_query().where(T.id == team_id))
        if not rows:
            return None
        r = conn.execute(select(T.notes, T.group_size, T.group_leader).where(T.id == team_id)).first()
        rt = route_teams_query()
        routes = [(x.id, x.name) for x in conn.execute(
            select(P.id, P.name).where(P.deleted.is_(False), P.id.in_(select(rt.c.route_id)
                                                                     .where(rt.c.team_id == team_id)))
            .order_by(P.name, P.id))]
        templates = _template_lines(conn, ST.team_id == team_id)
    return TeamDetail(rows[0], r.notes or "", r.group_size, bool(r.group_leader), members(db, team_id=team_id), routes,
                      templates)


def route_detail(db: Database, *, route_id: str) -> RouteDetail | None:
    query = (select(P.id, P.name, P.kind, P.minutes, P.waypoints, P.notes, C.name.label("community"))
             .outerjoin(Community.__table__, C.id == P.community_id).where(P.id == route_id, P.deleted.is_(False)))
    with db.connect() as conn:
        r = conn.execute(query).first()
        if r is None:
            return None
        teams = teams_of_routes(conn, [route_id]).get(route_id, [])
        templates = _template_lines(conn, ST.route_id == route_id)
    points = [p for p in r.waypoints.splitlines() if p]
    row = RouteRow(r.id, r.name, ROUTE_KINDS.get(r.kind, r.kind), r.community or "",
                   "、".join(name for _id, name in teams), r.minutes, " → ".join(points))
    return RouteDetail(row, points, r.notes or "", teams, templates)


def volunteer_detail(db: Database, *, volunteer_id: str, today: date | None = None) -> VolunteerDetail | None:
    """Everything the volunteer's pane shows: teams and roles, availability, leave, status history, his
    shifts (newest first) and his totals."""
    today = today or date.today()
    with db.connect() as conn:
        r = conn.execute(select(Volunteer.__table__, T.name.label("team"))
                         .join(VolunteerTeam.__table__, T.id == V.team_id)
                         .where(V.id == volunteer_id, V.deleted.is_(False))).first()
        if r is None:
            return None
        teams = _teams_of(conn, volunteer_id, r.team_id, r.team)
        leaves = [LeaveLine(x.id, x.starts_on, x.ends_on, x.reason or "") for x in conn.execute(
            select(L.id, L.starts_on, L.ends_on, L.reason).where(L.volunteer_id == volunteer_id, L.deleted.is_(False))
            .order_by(L.starts_on.desc(), L.id))]
        history, totals = _history(conn, volunteer_id, today)
    row = VolunteerRow(r.id, r.name, GENDERS.get(r.gender or "", r.gender or ""),
                       age_on(r.birth_date, today), mask_id_number(r.id_number), mask_phone(r.phone), r.team,
                       r.skills.replace(",", "、"), r.status, r.trained_on, r.weekly_cap)
    return VolunteerDetail(row, r.birth_date, r.joined_on, r.resident_id is not None,
                           tuple(s for s in r.skills.split(",") if s), parse_tokens(r.availability), teams, leaves,
                           status_history(db, volunteer_id=volunteer_id), history, totals)


def _teams_of(conn, volunteer_id: str, home_id: str, home_name: str) -> list[tuple[str, str, str, bool]]:
    rows = conn.execute(select(T.id, T.name, M.role).join(VolunteerTeam.__table__, T.id == M.team_id)
                        .where(M.volunteer_id == volunteer_id, M.deleted.is_(False), T.deleted.is_(False))
                        .order_by(T.name, T.id)).all()
    out = [(t.id, t.name, t.role, t.id == home_id) for t in rows]
    if home_id not in {t[0] for t in out}:  # a home team made before memberships
        out.insert(0, (home_id, home_name, "member", True))
    return sorted(out, key=lambda t: (not t[3], t[1], t[0]))


def _history(conn, volunteer_id: str, today: date) -> tuple[list[HistoryLine], Totals]:
    """His shifts, newest first, and his totals counted as app.patrol.points counts them: hours of
    confirmed shifts, points per hour (the leader's multiplied) and per finding, stars from the points."""
    settings = read_settings(conn)
    rows = conn.execute(select(A.id, A.as_leader, A.attendance, A.checked_in_at, A.checked_out_at, S.id.label("sid"),
                               S.day, S.starts_at, S.ends_at, S.confirmed_at, P.name.label("route"),
                               T.name.label("team"))
                        .join(Shift.__table__, S.id == A.shift_id).join(PatrolRoute.__table__, P.id == S.route_id)
                        .outerjoin(VolunteerTeam.__table__, T.id == S.team_id)
                        .where(A.volunteer_id == volunteer_id, A.deleted.is_(False), S.deleted.is_(False))
                        .order_by(S.day.desc(), S.starts_at.desc(), S.id)).all()
    history, shifts, attended, hours, points, upcoming, served = [], 0, 0, 0.0, 0.0, 0, set()
    for r in rows:
        start, end = span(r.day, r.starts_at, r.ends_at)
        worked = hours_of(attendance=r.attendance, started=stored_local(r.checked_in_at),
                          ended=stored_local(r.checked_out_at), start=start, end=end)
        if len(history) < HISTORY_LIMIT:
            history.append(HistoryLine(r.id, r.sid, r.day, shift_label(r.day, r.starts_at, r.ends_at, r.route),
                                       r.team or "", bool(r.as_leader), ATTENDANCE.get(r.attendance, r.attendance),
                                       worked, r.confirmed_at is not None))
        upcoming += r.day >= today and r.attendance == "planned"
        if r.confirmed_at is None:
            continue
        shifts += r.attendance != "leave"
        attended += r.attendance in ATTENDED
        hours += worked
        points += worked * settings["per_hour"] * (settings["leader_multiplier"] if r.as_leader else 1)
        if r.attendance in ATTENDED:
            served.add(r.sid)
    logs = conn.execute(select(G.volunteer_id, G.kind, G.settled).join(Shift.__table__, S.id == G.shift_id)
                        .where(G.deleted.is_(False), S.deleted.is_(False), S.confirmed_at.is_not(None),
                               or_(G.volunteer_id == volunteer_id,
                                   and_(G.volunteer_id.is_(None), G.shift_id.in_(served))))).all()
    for _finder, kind, settled in logs:
        points += settings["finding"] + (settings["dispute_settled"] if settled and kind == "dispute" else 0)
    points = round(points, 2)
    return history, Totals(shifts, attended, round(hours, 2), points, settings.stars(points), upcoming)

"""Reading patrols for the tab's lists: volunteers, teams and routes page by page (filtering and sorting
in SQL, numbers masked), and the choices and stored values the forms start from."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, or_, select, union
from sqlalchemy.sql.expression import UnaryExpression
from sqlalchemy.sql.operators import custom_op

from app.core.privacy import mask_id_number, mask_phone
from app.core.text import folds_case, search_terms
from app.core.timeutil import age_on
from app.core.vocab import ROUTE_KINDS, TEAM_KINDS, VOLUNTEER_STATUSES
from app.patrol.routes import RouteValues, route_team_ids
from app.patrol.schedule import TemplateValues
from app.patrol.teams import TeamValues
from db.engine import Database
from db.models import (
    Community,
    PatrolRoute,
    RouteTeam,
    ShiftTemplate,
    Volunteer,
    VolunteerMembership,
    VolunteerTeam,
)

PAGE_SIZE = 100
V, T, M = Volunteer.__table__.c, VolunteerTeam.__table__.c, VolunteerMembership.__table__.c
P, RT, ST = PatrolRoute.__table__.c, RouteTeam.__table__.c, ShiftTemplate.__table__.c
C = Community.__table__.c
GENDERS = {"M": "男", "F": "女"}
VIEWS = {"volunteers": "义警", "teams": "义警队", "routes": "巡逻路线"}
_UP, _DOWN = False, True  # a sort key as (column, reversed): clicking again flips every one
VOLUNTEER_SORTS = {
    "name": ((V.name, _UP), (V.id, _UP)),
    "gender": ((V.gender, _UP), (V.name, _UP), (V.id, _UP)),
    "age": ((V.birth_date, _DOWN), (V.name, _UP), (V.id, _UP)),
    "team": ((T.name, _UP), (V.name, _UP), (V.id, _UP)),
    "status": ((V.status, _UP), (V.name, _UP), (V.id, _UP)),
    "trained": ((V.trained_on, _UP), (V.name, _UP), (V.id, _UP)),
}
TEAM_SORTS = {"name": ((T.name, _UP), (T.id, _UP)), "kind": ((T.kind, _UP), (T.name, _UP), (T.id, _UP)),
              "community": ((C.name, _UP), (T.name, _UP), (T.id, _UP)),
              "captain": ((T.leader, _UP), (T.name, _UP), (T.id, _UP))}
ROUTE_SORTS = {"name": ((P.name, _UP), (P.id, _UP)), "kind": ((P.kind, _UP), (P.name, _UP), (P.id, _UP)),
               "community": ((C.name, _UP), (P.name, _UP), (P.id, _UP)),
               "minutes": ((P.minutes, _UP), (P.name, _UP), (P.id, _UP))}


# --- the lists -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class VolunteerRow:
    id: str
    name: str
    gender: str
    age: int | None
    id_number: str  # masked
    phone: str  # masked
    team: str  # the home team
    skills: str  # 快递员、驾驶
    status: str  # code
    trained_on: date | None
    weekly_cap: int

    @property
    def status_label(self) -> str:
        return VOLUNTEER_STATUSES.get(self.status, self.status)


@dataclass(frozen=True)
class TeamRow:
    id: str
    name: str
    kind: str  # label
    community: str
    captain: str
    members: int
    routes: int
    contact: str


@dataclass(frozen=True)
class RouteRow:
    id: str
    name: str
    kind: str  # label
    community: str
    teams: str  # 云栖义警队、新城义警队
    minutes: int | None
    waypoints: str  # 东门 → 广场 → 菜场


def _ordered(keys, descending: bool, *, searching: bool = False) -> list:
    """ORDER BY ``keys``; when ``searching``, the first key unindexed (``+key``): the same order, but SQLite
    reads the table as stored and sorts what matches, where walking an index in list order reads every row
    out of place when few match (about twice the work for a term no volunteer has)."""
    if searching:
        (first, reverse), *rest = keys
        keys = ((UnaryExpression(first, operator=custom_op("+")), reverse), *rest)
    return [column.desc() if reverse != descending else column for column, reverse in keys]


def _matching(query, text: str, *columns, team_of=None):
    """Every term of ``text`` in one of ``columns`` (upper-cased as search terms are), or, with ``team_of``
    (a team id column), in that team's name: the few matching teams found once, not a join's name read
    for every row."""
    for term in search_terms(text):
        def holds(col, term=term):
            col = func.coalesce(col, "")
            return func.instr(func.upper(col) if folds_case(term) else col, term) > 0

        hit = or_(*(holds(col) for col in columns))
        if team_of is not None:
            named = VolunteerTeam.__table__.alias("named_team")  # not the list's own team, so not correlated
            hit = or_(hit, team_of.in_(select(named.c.id).where(holds(named.c.name))))
        query = query.where(hit)
    return query


def search_volunteers(db: Database, *, text: str = "", sort: str = "name", descending: bool = False,
                      offset: int = 0, limit: int = PAGE_SIZE, today: date | None = None) -> list[VolunteerRow]:
    """One page of living volunteers whose name, phone, ID number, home team or skills hold every term."""
    today = today or date.today()
    query = (select(V.id, V.name, V.gender, V.birth_date, V.id_number, V.phone, V.skills, V.status, V.trained_on,
                    V.weekly_cap, T.name.label("team"))
             .join(VolunteerTeam.__table__, T.id == V.team_id).where(V.deleted.is_(False)))
    query = _matching(query, text, V.name, V.phone, V.id_number, V.skills, team_of=V.team_id)
    query = query.order_by(*_ordered(VOLUNTEER_SORTS[sort], descending, searching=bool(search_terms(text))))
    query = query.offset(offset).limit(limit)
    with db.connect() as conn:
        return [VolunteerRow(r.id, r.name, GENDERS.get(r.gender or "", r.gender or ""),
                             age_on(r.birth_date, today), mask_id_number(r.id_number), mask_phone(r.phone),
                             r.team, r.skills.replace(",", "、"), r.status, r.trained_on, r.weekly_cap)
                for r in conn.execute(query)]


def members_count():
    """How many living volunteers the team (T) has, home team or joined: those whose home it is, plus those
    who joined it from another (the union counted without making it: two index reads a team, where a union
    of every member, sorted to drop doubles, took twice as long at city scale)."""
    home = select(func.count()).where(V.team_id == T.id, V.deleted.is_(False)).scalar_subquery()
    joiner = Volunteer.__table__.alias("joiner")
    joined = (select(func.count(M.volunteer_id.distinct()))
              .select_from(VolunteerMembership.__table__.join(joiner, joiner.c.id == M.volunteer_id))
              .where(M.team_id == T.id, M.deleted.is_(False), joiner.c.deleted.is_(False),
                     joiner.c.team_id.is_distinct_from(T.id))
              .scalar_subquery())
    return home + joined


def route_teams_query():
    """(route_id, team_id) of every living route: its route teams, or its first team."""
    linked = select(RT.route_id, RT.team_id).where(RT.deleted.is_(False))
    first = select(P.id.label("route_id"), P.team_id).where(P.deleted.is_(False), P.team_id.is_not(None))
    return union(linked, first).subquery("route_teams")


def search_teams(db: Database, *, text: str = "", sort: str = "name", descending: bool = False,
                 offset: int = 0, limit: int = PAGE_SIZE) -> list[TeamRow]:
    """One page of living teams whose name, community, captain or contact hold every term."""
    query = _matching(team_rows_query(), text, T.name, C.name, T.leader, T.contact)
    query = query.order_by(*_ordered(TEAM_SORTS[sort], descending)).offset(offset).limit(limit)
    with db.connect() as conn:
        return team_rows(conn, query)


def team_rows_query():
    return (select(T.id, T.name, T.kind, T.leader, T.contact, C.name.label("community"))
            .outerjoin(Community.__table__, C.id == T.community_id).where(T.deleted.is_(False)))


def team_rows(conn, query) -> list[TeamRow]:
    """The rows ``query`` (on team_rows_query) picks, with their members and routes counted."""
    rows = conn.execute(query).all()
    ids = [r.id for r in rows]
    rt = route_teams_query()
    people = dict(conn.execute(select(T.id, members_count()).where(T.id.in_(ids))).all())
    routes = dict(conn.execute(select(rt.c.team_id, func.count()).where(rt.c.team_id.in_(ids))
                               .group_by(rt.c.team_id)).all())
    return [TeamRow(r.id, r.name, TEAM_KINDS.get(r.kind, r.kind), r.community or "", r.leader or "",
                    people.get(r.id, 0), routes.get(r.id, 0), r.contact or "") for r in rows]


def search_routes(db: Database, *, text: str = "", sort: str = "name", descending: bool = False,
                  offset: int = 0, limit: int = PAGE_SIZE) -> list[RouteRow]:
    """One page of living routes whose name, community or key points hold every term."""
    query = (select(P.id, P.name, P.kind, P.minutes, P.waypoints, C.name.label("community"))
             .outerjoin(Community.__table__, C.id == P.community_id).where(P.deleted.is_(False)))
    query = _matching(query, text, P.name, C.name, P.waypoints)
    query = query.order_by(*_ordered(ROUTE_SORTS[sort], descending)).offset(offset).limit(limit)
    with db.connect() as conn:
        rows = conn.execute(query).all()
        teams = teams_of_routes(conn, [r.id for r in rows])
    return [RouteRow(r.id, r.name, ROUTE_KINDS.get(r.kind, r.kind), r.community or "",
                     "、".join(name for _id, name in teams.get(r.id, [])), r.minutes,
                     " → ".join(p for p in r.waypoints.splitlines() if p)) for r in rows]


def teams_of_routes(conn, route_ids: list[str]) -> dict[str, list[tuple[str, str]]]:
    rt = route_teams_query()
    out: dict[str, list[tuple[str, str]]] = {}
    for route_id, team_id, name in conn.execute(
            select(rt.c.route_id, T.id, T.name).join(VolunteerTeam.__table__, T.id == rt.c.team_id)
            .where(rt.c.route_id.in_(route_ids), T.deleted.is_(False)).order_by(T.name, T.id)):
        out.setdefault(route_id, []).append((team_id, name))
    return out


# --- choices and values for the forms ---------------------------------------------------------------
def team_choices(db: Database) -> list[tuple[str, str]]:
    with db.connect() as conn:
        return [(r.id, r.name) for r in conn.execute(select(T.id, T.name).where(T.deleted.is_(False))
                                                     .order_by(T.name, T.id))]


def route_choices(db: Database, *, team_id: str | None = None) -> list[tuple[str, str]]:
    """Living routes (those ``team_id`` patrols), by name."""
    query = select(P.id, P.name).where(P.deleted.is_(False))
    if team_id is not None:
        rt = route_teams_query()
        query = query.where(P.id.in_(select(rt.c.route_id).where(rt.c.team_id == team_id)))
    with db.connect() as conn:
        return [(r.id, r.name) for r in conn.execute(query.order_by(P.name, P.id))]


def community_choices(db: Database) -> list[tuple[str, str]]:
    with db.connect() as conn:
        return [(r.id, r.name) for r in conn.execute(select(C.id, C.name).where(C.deleted.is_(False))
                                                     .order_by(C.name, C.id))]


def team_values(db: Database, *, team_id: str) -> TeamValues | None:
    with db.connect() as conn:
        r = conn.execute(select(VolunteerTeam.__table__).where(T.id == team_id, T.deleted.is_(False))).first()
    return None if r is None else TeamValues(name=r.name, kind=r.kind, community_id=r.community_id,
                                             contact=r.contact or "", notes=r.notes or "",
                                             group_size=r.group_size, group_leader=r.group_leader)


def route_values(db: Database, *, route_id: str) -> tuple[RouteValues, tuple[str, ...]] | None:
    """A living route's values and the teams that patrol it."""
    with db.connect() as conn:
        r = conn.execute(select(PatrolRoute.__table__).where(P.id == route_id, P.deleted.is_(False))).first()
        if r is None:
            return None
        teams = tuple(route_team_ids(conn, route_id))
    return RouteValues(name=r.name, kind=r.kind, community_id=r.community_id,
                       waypoints=tuple(p for p in r.waypoints.splitlines() if p), minutes=r.minutes,
                       notes=r.notes or ""), teams


def template_values(db: Database, *, template_id: str) -> TemplateValues | None:
    with db.connect() as conn:
        r = conn.execute(select(ShiftTemplate.__table__).where(ST.id == template_id, ST.deleted.is_(False))).first()
    if r is None:
        return None
    return TemplateValues(route_id=r.route_id, team_id=r.team_id, weekdays=tuple(int(d) for d in r.weekdays.split(",")
                                                                               if d),
                          starts_at=r.starts_at, ends_at=r.ends_at, valid_from=r.valid_from, headcount=r.headcount,
                          needs_leader=r.needs_leader, skill=r.skill, valid_to=r.valid_to, notes=r.notes or "")

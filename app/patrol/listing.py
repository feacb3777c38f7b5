"""``cpdesk list teams|volunteers|routes|shifts`` (app/cli/listing.py runs them), and a team found by
what an officer types (its name or its id)."""

from __future__ import annotations

from sqlalchemy import and_, case, exists, func, literal, or_, select

from app.cli.listing import Spec
from app.core.errors import UserError
from app.core.vocab import ROUTE_KINDS, TEAM_KINDS, VOLUNTEER_STATUSES
from db.models import (
    Community,
    PatrolRoute,
    RouteTeam,
    Shift,
    ShiftAssignment,
    Volunteer,
    VolunteerMembership,
    VolunteerTeam,
)

V, T, M = Volunteer.__table__.c, VolunteerTeam.__table__.c, VolunteerMembership.__table__.c
P, RT, S, A = PatrolRoute.__table__.c, RouteTeam.__table__.c, Shift.__table__.c, ShiftAssignment.__table__.c
C = Community.__table__.c
AWAY = ("leave", "absent")  # on a shift's list, not on patrol
ROLE_MARKS = {"captain": "（队长）", "deputy": "（副队长）", "group_leader": "（小组长）"}


def find_team(conn, key: str) -> tuple[str, str]:
    """(id, name) of the living team whose id or name is ``key``; a UserError in words otherwise."""
    key = key.strip()
    rows = conn.execute(select(T.id, T.name).where(T.deleted.is_(False), or_(T.id == key, T.name == key))
                        .order_by(T.id == key, T.id)).all()  # an id wins over a name
    if not rows:
        raise UserError(f"没有这个义警队：{key}（cpdesk list teams 可查队名）")
    if rows[-1].id == key:
        return rows[-1].id, rows[-1].name
    if len(rows) > 1:
        raise UserError(f"有 {len(rows)} 个义警队叫“{key}”，请用编号（cpdesk list teams --json）")
    return rows[0].id, rows[0].name


def _members():
    """How many living volunteers a team has: home team or joined."""
    teammate = (exists().where(M.volunteer_id == V.id, M.team_id == T.id, M.deleted.is_(False))
                .correlate(Volunteer.__table__, VolunteerTeam.__table__))
    return (select(func.count()).select_from(Volunteer.__table__)
            .where(V.deleted.is_(False), V.status == "active", or_(V.team_id == T.id, teammate))
            .scalar_subquery())


def _teams():
    return (
        select(T.id, T.name, T.kind, C.name.label("community"), T.leader, T.leader_phone.label("phone"),
               _members().label("members"))
        .outerjoin(Community.__table__, C.id == T.community_id)
        .where(T.deleted.is_(False))
        .order_by(T.name, T.id)
    )


def _volunteer_teams():
    """"彩虹义警队（队长）、平安护校队": his teams from the memberships, the home team when he has none."""
    t2 = VolunteerTeam.__table__.alias("their_team")
    mark = case(*((M.role == role, text) for role, text in ROLE_MARKS.items()), else_=literal(""))
    joined = (select(func.group_concat(t2.c.name + mark, "、"))
              .select_from(VolunteerMembership.__table__.join(t2, t2.c.id == M.team_id))
              .where(M.volunteer_id == V.id, M.deleted.is_(False), t2.c.deleted.is_(False))
              .scalar_subquery())
    return func.coalesce(joined, T.name)


def _volunteers():
    return (
        select(V.id, V.name, V.gender, V.id_number, V.phone, _volunteer_teams().label("teams"), V.status,
               V.skills, V.trained_on, V.weekly_cap)
        .join(VolunteerTeam.__table__, T.id == V.team_id)
        .where(V.deleted.is_(False))
        .order_by(T.name, V.name, V.id)
    )


def _route_teams():
    t2 = VolunteerTeam.__table__.alias("route_team_name")
    linked = (select(func.group_concat(t2.c.name, "、"))
              .select_from(RouteTeam.__table__.join(t2, t2.c.id == RT.team_id))
              .where(RT.route_id == P.id, RT.deleted.is_(False), t2.c.deleted.is_(False))
              .scalar_subquery())
    first = select(T.name).where(T.id == P.team_id).scalar_subquery()
    return func.coalesce(linked, first)


def _routes():
    return (
        select(P.id, P.name, P.kind, C.name.label("community"), _route_teams().label("teams"), P.waypoints,
               P.minutes)
        .outerjoin(Community.__table__, C.id == P.community_id)
        .where(P.deleted.is_(False))
        .order_by(P.name, P.id)
    )


def _leader():
    return (select(V.name).select_from(ShiftAssignment.__table__.join(Volunteer.__table__, V.id == A.volunteer_id))
            .where(A.shift_id == S.id, A.deleted.is_(False), A.as_leader.is_(True))
            .order_by(V.name).limit(1).scalar_subquery())


def _shifts():
    # one on the list but on leave or absent is not counted on the shift (as on the 工作台)
    assigned = (select(func.count()).where(and_(A.shift_id == S.id, A.deleted.is_(False),
                                                A.attendance.not_in(AWAY)))
                .scalar_subquery())
    return (
        select(S.id, S.day, S.starts_at, S.ends_at, P.name.label("route"), T.name.label("team"), S.needed,
               assigned.label("assigned"), _leader().label("leader"), S.confirmed_at)
        .join(PatrolRoute.__table__, P.id == S.route_id)
        .outerjoin(VolunteerTeam.__table__, T.id == S.team_id)
        .where(S.deleted.is_(False))
        .order_by(S.day.desc(), S.starts_at, P.name, S.id)
    )


def _hours(row) -> str:
    return f"{row['starts_at']:%H:%M}-{row['ends_at']:%H:%M}"


def _short(row) -> int:
    return max(0, row["needed"] - row["assigned"])


def _confirmed(row) -> str:
    return "已确认" if row["confirmed_at"] is not None else ""


def _waypoints(row) -> str:
    return "→".join(p for p in (row["waypoints"] or "").splitlines() if p)


SPECS = {
    "teams": Spec(("id", "name", "kind", "community", "leader", "phone", "members"), _teams,
                  lambda: (T.name, C.name, T.leader), {"kind": TEAM_KINDS}),
    "volunteers": Spec(("id", "name", "gender", "id_number", "phone", "teams", "status", "skills", "trained_on",
                        "weekly_cap"), _volunteers,
                       lambda: (V.name, V.phone, _volunteer_teams(), V.skills), {"status": VOLUNTEER_STATUSES}),
    "routes": Spec(("id", "name", "kind", "community", "teams", "waypoints", "minutes"), _routes,
                   lambda: (P.name, C.name, P.waypoints, _route_teams()), {"kind": ROUTE_KINDS},
                   derived={"waypoints": _waypoints}),
    "shifts": Spec(("id", "day", "hours", "route", "team", "needed", "assigned", "short", "leader", "confirmed"),
                   _shifts, lambda: (P.name, T.name), derived={"hours": _hours, "short": _short,
                                                            "confirmed": _confirmed},
                   day=lambda: S.day),
}

"""Patrol routes (巡逻路线): kind, key points, usual length, and the teams that patrol them."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from app.core.errors import UserError
from app.core.records import refuse_first
from app.core.vocab import ROUTE_KINDS
from app.patrol.common import audit, derived_id, insert_rows
from db.engine import Database
from db.models import Community, PatrolRoute, RouteTeam, ShiftTemplate, VolunteerTeam

RT = RouteTeam.__table__.c
MAX_WAYPOINTS = 30


@dataclass(frozen=True)
class RouteValues:
    name: str
    kind: str = "night"
    community_id: str | None = None
    waypoints: tuple[str, ...] = ()  # 途经点, in order
    minutes: int | None = None  # usual length
    notes: str = ""


def route_problems(values: RouteValues) -> dict[str, str]:
    """Field -> what is wrong with it; empty when the route can be saved."""
    problems = {}
    if not values.name.strip():
        problems["name"] = "请填写路线名称"
    elif len(values.name.strip()) > 64:
        problems["name"] = "路线名称最多64个字"
    if values.kind not in ROUTE_KINDS:
        problems["kind"] = f"没有这种路线类型：{values.kind}"
    points = [p.strip() for p in values.waypoints if p.strip()]
    if len(points) > MAX_WAYPOINTS or any(len(p) > 64 or "\n" in p for p in points):
        problems["waypoints"] = f"途经点最多{MAX_WAYPOINTS}个，每个最多64个字"
    if values.minutes is not None and (isinstance(values.minutes, bool) or not isinstance(values.minutes, int)
                                       or not 10 <= values.minutes <= 16 * 60):
        problems["minutes"] = "巡逻时长应在10分钟到16小时之间"
    if len(values.notes) > 2000:
        problems["notes"] = "备注最多2000个字"
    return problems


def save_route(db: Database, *, values: RouteValues, team_ids: tuple[str, ...], route_id: str | None = None,
               officer_id: str | None = None) -> str:
    """Create (no ``route_id``) or update a route and the teams that patrol it; returns its id."""
    refuse_first(route_problems(values))
    if not team_ids:
        raise UserError("请至少选择一个负责巡逻的义警队")
    with db.session(officer_id=officer_id) as session:
        for team_id in team_ids:
            team = session.get(VolunteerTeam, team_id)
            if team is None or team.deleted:
                raise UserError("所选义警队不存在或已删除")
        if values.community_id is not None:
            community = session.get(Community, values.community_id)
            if community is None or community.deleted:
                raise UserError("所选社区不存在或已删除")
        if route_id is None:
            row = PatrolRoute(name=values.name.strip())
            session.add(row)
        else:
            row = session.get(PatrolRoute, route_id)
            if row is None or row.deleted:
                raise UserError("该巡逻路线不存在或已删除")
        row.name, row.kind, row.community_id = values.name.strip(), values.kind, values.community_id
        row.waypoints = "\n".join(p.strip() for p in values.waypoints if p.strip())
        row.minutes, row.notes = values.minutes, values.notes.strip() or None
        row.team_id = team_ids[0]
        session.flush()
        _set_teams(session, db, row, team_ids, officer_id=officer_id)
        session.commit()
        return row.id


def route_team_ids(conn, route_id: str) -> list[str]:
    """The teams that patrol a route (its first team, for a route made before route teams)."""
    rows = conn.execute(select(RT.team_id).where(RT.route_id == route_id, RT.deleted.is_(False))
                        .order_by(RT.created_at, RT.team_id)).scalars().all()
    if rows:
        return list(rows)
    first = conn.execute(select(PatrolRoute.__table__.c.team_id).where(PatrolRoute.__table__.c.id == route_id)).scalar()
    return [first] if first else []


def delete_route(db: Database, *, route_id: str, officer_id: str | None = None) -> None:
    """Delete a route no shift template uses any more (its past shifts stay)."""
    with db.session(officer_id=officer_id) as session:
        row = session.get(PatrolRoute, route_id)
        if row is None or row.deleted:
            raise UserError("该巡逻路线不存在或已删除")
        if session.execute(select(ShiftTemplate.id).where(ShiftTemplate.route_id == route_id,
                                                          ShiftTemplate.deleted == False).limit(1)).first():  # noqa: E712
            raise UserError("该路线还有班次模板，请先删除模板")
        row.deleted = True
        session.commit()


def _set_teams(session, db: Database, route: PatrolRoute, team_ids: tuple[str, ...], *,
               officer_id: str | None) -> None:
    team_ids = tuple(dict.fromkeys(team_ids))
    wanted = set(team_ids)
    for link in session.execute(select(RouteTeam).where(RouteTeam.route_id == route.id)).scalars():
        link.deleted = link.team_id not in wanted
        wanted.discard(link.team_id)
    new = [{"id": derived_id("route_team", route.id, team_id), "route_id": route.id, "team_id": team_id}
           for team_id in team_ids if team_id in wanted]
    insert_rows(session, db, RouteTeam.__table__, new, officer_id=officer_id, made_at=[route.created_at] * len(new))
    for row in new:
        audit(session, action="create", table="route_team", record_id=row["id"], officer_id=officer_id)

"""Volunteer teams (义警队): their details, members (one person may be in several teams) and roles."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, select, union

from app.core.errors import UserError
from app.core.privacy import mask_phone
from app.core.records import refuse_first
from app.core.vocab import TEAM_KINDS, TEAM_ROLES, VOLUNTEER_STATUSES
from app.patrol.common import audit, derived_id, insert_rows
from db.engine import Database
from db.models import Community, Volunteer, VolunteerMembership, VolunteerTeam

LEADING = ("captain", "deputy", "group_leader")  # roles that may sit in a shift's leader seat
T, V, M = VolunteerTeam.__table__.c, Volunteer.__table__.c, VolunteerMembership.__table__.c


@dataclass(frozen=True)
class TeamValues:
    name: str
    kind: str = "community"
    community_id: str | None = None
    contact: str = ""  # 联系方式: a phone, or a name and phone
    notes: str = ""
    group_size: int = 3  # a patrol group has at least this many people
    group_leader: bool = True  # each group has a 小组长


@dataclass(frozen=True)
class Member:
    volunteer_id: str
    name: str
    role: str  # TEAM_ROLES code
    status: str  # VOLUNTEER_STATUSES code
    phone: str  # masked
    home: bool  # this is his home team


def team_problems(values: TeamValues) -> dict[str, str]:
    """Field -> what is wrong with it; empty when the team can be saved."""
    problems = {}
    if not values.name.strip():
        problems["name"] = "请填写队名"
    elif len(values.name.strip()) > 64:
        problems["name"] = "队名最多64个字"
    if values.kind not in TEAM_KINDS:
        problems["kind"] = f"没有这种队伍类型：{values.kind}"
    if len(values.contact.strip()) > 64:
        problems["contact"] = "联系方式最多64个字"
    if isinstance(values.group_size, bool) or not isinstance(values.group_size, int) or \
            not 3 <= values.group_size <= 20:
        problems["group_size"] = "巡逻小组至少3人，最多20人"
    if len(values.notes) > 2000:
        problems["notes"] = "备注最多2000个字"
    return problems


def save_team(db: Database, *, values: TeamValues, team_id: str | None = None,
              officer_id: str | None = None) -> str:
    """Create (no ``team_id``) or update a team; returns its id."""
    refuse_first(team_problems(values))
    with db.session(officer_id=officer_id) as session:
        if values.community_id is not None:
            community = session.get(Community, values.community_id)
            if community is None or community.deleted:
                raise UserError("所选社区不存在或已删除")
        if team_id is None:
            row = VolunteerTeam(name=values.name.strip())
            session.add(row)
        else:
            row = _living(session, VolunteerTeam, team_id, "该义警队不存在或已删除")
        row.name, row.kind, row.community_id = values.name.strip(), values.kind, values.community_id
        row.contact, row.notes = values.contact.strip() or None, values.notes.strip() or None
        row.group_size, row.group_leader = values.group_size, values.group_leader
        session.commit()
        return row.id


def delete_team(db: Database, *, team_id: str, officer_id: str | None = None) -> None:
    """Delete a team that has no members left."""
    with db.connect() as conn:
        if conn.execute(select(M.id).where(M.team_id == team_id, M.deleted.is_(False)).union(
                select(V.id).where(V.team_id == team_id, V.deleted.is_(False))).limit(1)).first():
            raise UserError("该义警队还有队员，请先把队员移出或转到其他队")
    with db.session(officer_id=officer_id) as session:
        row = _living(session, VolunteerTeam, team_id, "该义警队不存在或已删除")
        row.deleted = True
        session.commit()


def members(db: Database, *, team_id: str) -> list[Member]:
    """The team's members (home team or joined), captain first, then by role and name."""
    with db.connect() as conn:
        rows = conn.execute(
            select(V.id, V.name, V.status, V.phone, V.team_id, M.role)
            .select_from(Volunteer.__table__)
            .outerjoin(VolunteerMembership.__table__,
                       and_(M.volunteer_id == V.id, M.team_id == team_id, M.deleted.is_(False)))
            # his home team or a membership, found by their indexes (an OR across the join scanned every volunteer)
            .where(V.deleted.is_(False), V.id.in_(union(select(V.id).where(V.team_id == team_id),
                                                        select(M.volunteer_id).where(M.team_id == team_id,
                                                                                     M.deleted.is_(False)))))
        ).all()
    rank = {role: n for n, role in enumerate(TEAM_ROLES)}
    out = [Member(r.id, r.name, r.role or "member", r.status if r.status in VOLUNTEER_STATUSES else "active",
                  mask_phone(r.phone), r.team_id == team_id) for r in rows]
    return sorted(out, key=lambda m: (rank.get(m.role, len(rank)), m.name, m.volunteer_id))


def join_team(db: Database, *, volunteer_id: str, team_id: str, role: str = "member",
              joined_on: date | None = None, officer_id: str | None = None) -> None:
    """Put a volunteer in a team (again, if he had left it) with ``role``."""
    if role not in TEAM_ROLES:
        raise UserError(f"没有这个队内职务：{role}")
    with db.session(officer_id=officer_id) as session:
        volunteer = _living(session, Volunteer, volunteer_id, "该义警不存在或已删除")
        team = _living(session, VolunteerTeam, team_id, "该义警队不存在或已删除")
        row = session.get(VolunteerMembership, membership_id(volunteer_id, team_id))
        if row is not None and not row.deleted:
            raise UserError(f"{volunteer.name}已是{team.name}的队员")
        add_membership(session, db, volunteer, team_id, role=role, joined_on=joined_on, officer_id=officer_id)
        if role == "captain":
            _one_captain(session, team, volunteer)
        session.commit()


def leave_team(db: Database, *, volunteer_id: str, team_id: str, officer_id: str | None = None) -> None:
    """Take a volunteer out of a team; his home team moves to another of his teams. A volunteer stays in
    at least one team: one who no longer serves is set to 退出 instead (his history stays)."""
    with db.session(officer_id=officer_id) as session:
        volunteer = _living(session, Volunteer, volunteer_id, "该义警不存在或已删除")
        mine = session.execute(select(VolunteerMembership).where(
            VolunteerMembership.volunteer_id == volunteer_id, VolunteerMembership.deleted == False)  # noqa: E712
            .order_by(VolunteerMembership.created_at, VolunteerMembership.id)).scalars().all()
        teams = {m.team_id for m in mine} | {volunteer.team_id}
        if team_id not in teams:
            raise UserError(f"{volunteer.name}不是该队队员")
        if teams == {team_id}:
            raise UserError(f"{volunteer.name}只在这一个队：不再参加巡逻请把状态改为“退出”")
        for m in mine:
            if m.team_id == team_id:
                m.deleted = True
        if volunteer.team_id == team_id:
            volunteer.team_id = next(m.team_id for m in mine if m.team_id != team_id)
        session.commit()


def set_role(db: Database, *, volunteer_id: str, team_id: str, role: str, officer_id: str | None = None) -> None:
    """Make a member 队长, 副队长, 小组长 or 队员; a new 队长 makes the old one a 队员."""
    if role not in TEAM_ROLES:
        raise UserError(f"没有这个队内职务：{role}")
    with db.session(officer_id=officer_id) as session:
        volunteer = _living(session, Volunteer, volunteer_id, "该义警不存在或已删除")
        team = _living(session, VolunteerTeam, team_id, "该义警队不存在或已删除")
        row = session.get(VolunteerMembership, membership_id(volunteer_id, team_id))
        was_captain = row is not None and not row.deleted and row.role == "captain"
        if row is None or row.deleted:
            if volunteer.team_id != team_id:
                raise UserError(f"{volunteer.name}不是{team.name}的队员，请先入队")
            add_membership(session, db, volunteer, team_id, role=role, joined_on=volunteer.joined_on,
                           officer_id=officer_id)  # a home team made before memberships
        else:
            row.role = role
        if role == "captain":
            _one_captain(session, team, volunteer)
        elif was_captain:
            team.leader = team.leader_phone = None
        session.commit()


def membership_id(volunteer_id: str, team_id: str) -> str:
    return derived_id("volunteer_membership", volunteer_id, team_id)


def add_membership(session, db: Database, volunteer: Volunteer, team_id: str, *, role: str,
                   joined_on: date | None, officer_id: str | None) -> None:
    """The (derived) membership row of ``volunteer`` in ``team_id``: made, or brought back with ``role``."""
    row_id = membership_id(volunteer.id, team_id)
    row = session.get(VolunteerMembership, row_id)
    if row is not None:
        row.deleted, row.role, row.joined_on = False, role, joined_on or row.joined_on
        return
    session.flush()  # the volunteer first: the membership refers to it
    insert_rows(session, db, VolunteerMembership.__table__,
                [{"id": row_id, "volunteer_id": volunteer.id, "team_id": team_id, "role": role,
                  "joined_on": joined_on}], officer_id=officer_id, made_at=[volunteer.created_at])
    audit(session, action="create", table="volunteer_membership", record_id=row_id, officer_id=officer_id)


def _one_captain(session, team: VolunteerTeam, captain: Volunteer) -> None:
    for other in session.execute(select(VolunteerMembership).where(
            VolunteerMembership.team_id == team.id, VolunteerMembership.role == "captain",
            VolunteerMembership.volunteer_id != captain.id, VolunteerMembership.deleted == False)).scalars():  # noqa: E712
        other.role = "member"
    team.leader, team.leader_phone = captain.name, captain.phone  # as printed on the roster


def _living(session, model, row_id: str, missing: str):
    row = session.get(model, row_id)
    if row is None or row.deleted:
        raise UserError(missing)
    return row

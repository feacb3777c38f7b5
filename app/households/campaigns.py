"""Visit campaigns (走访计划, 敲门行动): choosing households, progress per officer, and visit coverage."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import and_, case, func, insert, or_, select

from app.core.errors import UserError
from app.core.text import format_address, search_terms
from app.core.timeutil import day_range, day_start
from app.core.vocab import HOUSEHOLD_KINDS, HOUSEHOLD_TAGS
from db.base import new_id
from db.engine import Database
from db.models import Campaign, CampaignHousehold, Community, Grid, Household, HouseholdSearch, Officer, Visit
from db.stamping import insert_stamps

C, CH, H = Campaign.__table__.c, CampaignHousehold.__table__.c, Household.__table__.c
V, OFF, S = Visit.__table__.c, Officer.__table__.c, HouseholdSearch.__table__.c
G, CM = Grid.__table__.c, Community.__table__.c
UNASSIGNED = "未分配"


@dataclass(frozen=True)
class Criteria:
    """How a campaign's households are chosen; every given condition must hold."""

    grid_ids: tuple[str, ...] = ()  # empty: every grid
    tags: tuple[str, ...] = ()  # any of these tags
    kinds: tuple[str, ...] = ()  # empty: every kind
    not_visited_days: int | None = None  # no visit in the last N days


@dataclass(frozen=True)
class GridChoice:
    id: str
    community: str
    name: str


@dataclass(frozen=True)
class CampaignRow:
    id: str
    name: str
    starts_on: date
    ends_on: date | None
    closed: bool
    total: int
    visited: int


@dataclass(frozen=True)
class OfficerProgress:
    officer: str
    total: int
    visited: int


@dataclass(frozen=True)
class CampaignHouseholdRow:
    id: str  # the household's
    address: str
    head_name: str
    officer: str
    last_visit: datetime | None  # within the campaign


@dataclass(frozen=True)
class GridCoverage:
    community: str
    grid: str  # "" for households outside any grid
    households: int
    visited: int

    @property
    def share(self) -> float:
        return self.visited / self.households if self.households else 0.0


def grid_choices(db: Database) -> list[GridChoice]:
    with db.connect() as conn:
        rows = conn.execute(select(G.id, CM.name.label("community"), G.name).join(Community.__table__,
                            CM.id == G.community_id).where(G.deleted.is_(False), CM.deleted.is_(False))
                            .order_by(CM.name, G.name)).all()
    return [GridChoice(r.id, r.community, r.name) for r in rows]


def _chosen(criteria: Criteria, *, today: date):
    """SELECT of the ids of living households meeting ``criteria``, in address order."""
    query = select(H.id).join(HouseholdSearch.__table__, S.household_id == H.id).where(H.deleted.is_(False))
    if criteria.grid_ids:
        query = query.where(H.grid_id.in_(criteria.grid_ids))
    if criteria.kinds:
        query = query.where(H.kind.in_(criteria.kinds))
    if criteria.tags:
        query = query.where(or_(*(func.instr("," + H.tags + ",", f",{tag},") > 0 for tag in criteria.tags)))
    if criteria.not_visited_days is not None:
        since = day_start(today - timedelta(days=criteria.not_visited_days))
        recent = select(V.id).where(V.household_id == H.id, V.deleted.is_(False), V.visited_at >= since)
        query = query.where(~recent.exists())
    return query.order_by(S.sort_key, S.id)


def count_matching(db: Database, *, criteria: Criteria, today: date | None = None) -> int:
    """How many households a campaign with ``criteria`` would hold (the form shows it live)."""
    chosen = _chosen(criteria, today=today or date.today()).subquery()
    with db.connect() as conn:
        return conn.execute(select(func.count()).select_from(chosen)).scalar()


def campaign_problems(*, name: str, starts_on: date, ends_on: date | None, criteria: Criteria) -> dict[str, str]:
    problems = {}
    if not name.strip():
        problems["name"] = "请给走访计划起个名字，如“11月独居老人走访”"
    elif len(name.strip()) > 64:
        problems["name"] = "名称最多64个字"
    if ends_on is not None and ends_on < starts_on:
        problems["ends_on"] = "结束日期不能早于开始日期"
    if criteria.not_visited_days is not None and not 1 <= criteria.not_visited_days <= 3650:
        problems["not_visited_days"] = "天数应在1到3650之间"
    if unknown := [t for t in criteria.tags if t not in HOUSEHOLD_TAGS] + \
            [k for k in criteria.kinds if k not in HOUSEHOLD_KINDS]:
        problems["tags"] = f"没有这个条件：{'、'.join(unknown)}"
    return problems


def create_campaign(db: Database, *, name: str, starts_on: date, ends_on: date | None = None,
                    criteria: Criteria, officer_ids: tuple[str, ...] = (), officer_id: str | None = None,
                    today: date | None = None) -> str:
    """Make a campaign of the households meeting ``criteria``; returns its id.

    Households are shared among ``officer_ids`` in address order, in consecutive runs, so each
    officer gets whole buildings rather than every n-th door."""
    if problems := campaign_problems(name=name, starts_on=starts_on, ends_on=ends_on, criteria=criteria):
        raise UserError(next(iter(problems.values())))
    today = today or date.today()
    with db.session(officer_id=officer_id) as session:
        households = session.execute(_chosen(criteria, today=today)).scalars().all()
        if not households:
            raise UserError("没有符合条件的住户，请放宽条件")
        campaign = Campaign(name=name.strip(), starts_on=starts_on, ends_on=ends_on, criteria={
            "grid_ids": list(criteria.grid_ids), "tags": list(criteria.tags), "kinds": list(criteria.kinds),
            "not_visited_days": criteria.not_visited_days, "chosen_on": today.isoformat()})
        session.add(campaign)
        session.flush()
        share = -(-len(households) // len(officer_ids)) if officer_ids else len(households)
        # A Core insert stamped here: thousands of rows, ten times faster than the ORM (FACTS.md).
        rows = [dict(insert_stamps(db.clock, officer_id), id=new_id(), deleted=False, campaign_id=campaign.id,
                     household_id=hid, officer_id=officer_ids[i // share] if officer_ids else None)
                for i, hid in enumerate(households)]
        session.execute(insert(CampaignHousehold.__table__), rows)
        session.commit()
        return campaign.id


def _visited(campaign_id: str, starts_on: date, ends_on: date | None):
    """Condition: the campaign's household (``CH``) had a visit for the campaign, or during it."""
    # Each end on its own: fields merged from two laptops could leave them crossed, and a list must still show.
    during = V.visited_at >= day_range(starts_on, None)[0]
    if ends_on is not None:
        during = and_(during, V.visited_at < day_range(None, ends_on)[1])
    return and_(V.household_id == CH.household_id, V.deleted.is_(False), or_(V.campaign_id == campaign_id, during))


def _campaign(conn, campaign_id: str):
    row = conn.execute(select(C.id, C.name, C.starts_on, C.ends_on, C.closed)
                       .where(C.id == campaign_id, C.deleted.is_(False))).first()
    if row is None:
        raise UserError(f"没有这个走访计划：{campaign_id}")
    return row


def _counts(conn, c, *, by_officer: bool):
    visited = select(V.id).where(_visited(c.id, c.starts_on, c.ends_on)).exists()
    keys = [OFF.name] if by_officer else []
    query = (select(*keys, func.count(), func.sum(case((visited, 1), else_=0)))
             .select_from(CampaignHousehold.__table__)
             .join(Household.__table__, H.id == CH.household_id)
             .where(CH.campaign_id == c.id, CH.deleted.is_(False), H.deleted.is_(False)))
    if by_officer:
        query = query.outerjoin(Officer.__table__, OFF.id == CH.officer_id).group_by(OFF.name).order_by(OFF.name)
    return conn.execute(query).all()


def list_campaigns(db: Database) -> list[CampaignRow]:
    """Every living campaign, open ones first, newest first, with its progress."""
    with db.connect() as conn:
        campaigns = conn.execute(select(C.id, C.name, C.starts_on, C.ends_on, C.closed)
                                 .where(C.deleted.is_(False)).order_by(C.closed, C.starts_on.desc(), C.name)).all()
        return [CampaignRow(c.id, c.name, c.starts_on, c.ends_on, c.closed, *_total_visited(conn, c))
                for c in campaigns]


def _total_visited(conn, c) -> tuple[int, int]:
    [(total, visited)] = _counts(conn, c, by_officer=False)
    return total, visited or 0


def campaign_row(db: Database, campaign_id: str) -> CampaignRow:
    with db.connect() as conn:
        c = _campaign(conn, campaign_id)
        return CampaignRow(c.id, c.name, c.starts_on, c.ends_on, c.closed, *_total_visited(conn, c))


def campaign_progress(db: Database, campaign_id: str) -> list[OfficerProgress]:
    """Households and visited households per assigned officer."""
    with db.connect() as conn:
        c = _campaign(conn, campaign_id)
        return [OfficerProgress(name or UNASSIGNED, total, visited or 0)
                for name, total, visited in _counts(conn, c, by_officer=True)]


def campaign_households(db: Database, campaign_id: str, *, visited: bool | None = None, text: str = "",
                        sort: str | None = "address", descending: bool = False, offset: int = 0,
                        limit: int = 100) -> list[CampaignHouseholdRow]:
    """One page of a campaign's households (all, visited or not yet), in address order."""
    with db.connect() as conn:
        c = _campaign(conn, campaign_id)
        last = select(func.max(V.visited_at)).where(_visited(c.id, c.starts_on, c.ends_on)).scalar_subquery()
        query = (select(H.id, H.estate, H.building, H.unit, H.room, H.head_name, OFF.name.label("officer"),
                        last.label("last"))
                 .select_from(CampaignHousehold.__table__)
                 .join(Household.__table__, H.id == CH.household_id)
                 .join(HouseholdSearch.__table__, S.household_id == H.id)
                 .outerjoin(Officer.__table__, OFF.id == CH.officer_id)
                 .where(CH.campaign_id == c.id, CH.deleted.is_(False), H.deleted.is_(False)))
        if visited is not None:
            query = query.where(last.is_not(None) if visited else last.is_(None))
        for term in search_terms(text):
            query = query.where(func.instr(S.text, term) > 0)
        order = [S.sort_key.desc(), S.id.desc()] if descending else [S.sort_key, S.id]
        rows = conn.execute(query.order_by(*order).offset(offset).limit(limit)).all()
    return [CampaignHouseholdRow(r.id, format_address(r.estate, r.building, r.unit, r.room), r.head_name or "",
                                 r.officer or UNASSIGNED, r.last) for r in rows]


def campaign_household_ids(db: Database, campaign_id: str) -> list[str]:
    """All of a campaign's living households, in address order (for the blank sheets)."""
    with db.connect() as conn:
        _campaign(conn, campaign_id)
        return conn.execute(
            select(CH.household_id).join(Household.__table__, H.id == CH.household_id)
            .join(HouseholdSearch.__table__, S.household_id == H.id)
            .where(CH.campaign_id == campaign_id, CH.deleted.is_(False), H.deleted.is_(False))
            .order_by(S.sort_key, S.id)).scalars().all()


def open_campaigns_for(db: Database, *, household_id: str, today: date | None = None) -> list[tuple[str, str]]:
    """(id, name) of the open campaigns holding this household, newest first: the visit form's choices."""
    today = today or date.today()
    with db.connect() as conn:
        return [tuple(r) for r in conn.execute(
            select(C.id, C.name).join(CampaignHousehold.__table__, CH.campaign_id == C.id)
            .where(CH.household_id == household_id, CH.deleted.is_(False), C.deleted.is_(False),
                   C.closed.is_(False), C.starts_on <= today, or_(C.ends_on.is_(None), C.ends_on >= today))
            .distinct().order_by(C.starts_on.desc()))]


def set_closed(db: Database, *, campaign_id: str, closed: bool = True, officer_id: str | None = None) -> None:
    """End a campaign (it keeps its households and progress) or reopen it."""
    with db.session(officer_id=officer_id) as session:
        campaign = session.get(Campaign, campaign_id)
        if campaign is None or campaign.deleted:
            raise UserError("该走访计划不存在或已被删除")
        campaign.closed = closed
        session.commit()


def coverage_by_grid(db: Database, *, today: date | None = None, days: int = 90) -> list[GridCoverage]:
    """Per grid: living households, and how many had a visit in the last ``days`` days (工作台)."""
    since = day_start((today or date.today()) - timedelta(days=days - 1))
    recent = select(V.id).where(V.household_id == H.id, V.deleted.is_(False), V.visited_at >= since).exists()
    with db.connect() as conn:
        rows = conn.execute(
            select(CM.name.label("community"), G.name.label("grid"), func.count(),
                   func.sum(case((recent, 1), else_=0)))
            .select_from(Household.__table__)
            .join(Community.__table__, CM.id == H.community_id)
            .outerjoin(Grid.__table__, G.id == H.grid_id)
            .where(H.deleted.is_(False))
            .group_by(H.community_id, H.grid_id)
            .order_by(CM.name, G.name)).all()
    return [GridCoverage(r.community, r.grid or "", r[2], r[3] or 0) for r in rows]

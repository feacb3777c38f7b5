"""Households: the searchable, paged list, one household's detail, and creating, editing, deleting."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from functools import cache

from sqlalchemy import Integer, and_, bindparam, func, select

from app.core.errors import UserError
from app.core.privacy import mask_id_number, mask_phone
from app.core.records import refuse_first
from app.core.text import format_address, search_terms
from app.core.timeutil import age_on
from app.core.validation import check_phone, normalize_phone
from app.core.vocab import HOUSEHOLD_KINDS, HOUSEHOLD_TAGS
from app.households import search
from app.households.search import matching
from db.engine import Database
from db.models import Community, Grid, Household, HouseholdSearch, Officer, Resident, Visit

PAGE_SIZE = 100

H = Household.__table__.c
R = Resident.__table__.c
V = Visit.__table__.c
S = HouseholdSearch.__table__.c

# Sort keys the list offers besides "address", which pages straight off household_search.
_ADDRESS_ORDER = (S.sort_key, S.id)  # id: the index on sort_key carries it
SORT_KEYS = {
    "address": _ADDRESS_ORDER,
    "head": (H.head_name, H.id),
    "kind": (H.kind, *_ADDRESS_ORDER),
    "community": (Community.__table__.c.name, Grid.__table__.c.name, *_ADDRESS_ORDER),
}


@dataclass(frozen=True)
class HouseholdRow:
    id: str
    address: str
    kind: str
    head_name: str
    phone: str  # masked
    residents: int
    tags: str
    community: str
    grid: str
    last_visit: date | None


@dataclass(frozen=True)
class ResidentLine:
    id: str
    name: str
    gender: str
    age: int | None
    relation: str
    id_number: str  # masked
    phone: str  # masked


@dataclass(frozen=True)
class VisitLine:
    id: str
    visited_at: datetime
    purposes: str
    officer: str
    findings: str


@dataclass(frozen=True)
class HouseholdDetail:
    row: HouseholdRow
    notes: str
    residents: list[ResidentLine]
    visits: list[VisitLine]


@cache  # a SELECT is immutable: built once, not at every keystroke
def _columns_query():
    """The list's columns for households; callers add the filter, order and page."""
    community, grid = Community.__table__, Grid.__table__
    residents = (
        select(func.count())
        .where(and_(R.household_id == H.id, R.deleted.is_(False)))
        .scalar_subquery()
    )
    last_visit = (
        select(func.max(V.visited_at))
        .where(and_(V.household_id == H.id, V.deleted.is_(False)))
        .scalar_subquery()
    )
    return (
        select(
            H.id, H.estate, H.building, H.unit, H.room, H.kind, H.head_name, H.phone, H.tags,
            community.c.name.label("community"), grid.c.name.label("grid"),
            residents.label("residents"), last_visit.label("last_visit"),
        )
        .select_from(Household.__table__)
        .outerjoin(community, community.c.id == H.community_id)
        .outerjoin(grid, grid.c.id == H.grid_id)
    )


@cache  # one statement per shape, run with parameters (app.households.search)
def household_page_query(terms: int, *, ids: str | None = None, within: bool = False, walk: bool = False,
                         sort: str, descending: bool):
    """The SELECT behind one page of the list: living households holding ``terms`` terms among
    the candidates of kind ``ids`` (None: all) and, ``within``, in the head of the list, ``walk``ed
    for (app.households.search.matching); parameters: ``search.parameters(...)``, ``offset``, ``limit``.

    In address order (the default) the page is chosen from household_search alone, through the
    index on its sort key, and only the page's rows are joined for display.
    """
    offset, limit = bindparam("offset", type_=Integer), bindparam("limit", type_=Integer)
    narrowed = dict(ids=ids, within=within, walk=walk, descending=descending)
    if sort == "address":
        order = [key.desc() for key in _ADDRESS_ORDER] if descending else list(_ADDRESS_ORDER)
        page = (
            matching(select(S.household_id, S.sort_key, S.id), terms, **narrowed)
            .order_by(*order).offset(offset).limit(limit).subquery()
        )
        outer = [page.c.sort_key, page.c.id]
        outer = [key.desc() for key in outer] if descending else outer
        return _columns_query().join(page, page.c.household_id == H.id).order_by(*outer)
    keys = SORT_KEYS[sort]
    order = [key.desc() for key in keys] if descending else list(keys)
    query = _columns_query().join(HouseholdSearch.__table__, S.household_id == H.id)
    return matching(query, terms, **narrowed).order_by(*order).offset(offset).limit(limit)


def _row(r) -> HouseholdRow:
    return HouseholdRow(
        id=r.id,
        address=format_address(r.estate, r.building, r.unit, r.room),
        kind=HOUSEHOLD_KINDS.get(r.kind, r.kind),
        head_name=r.head_name or "",
        phone=mask_phone(r.phone),
        residents=r.residents,
        tags=r.tags,
        community=r.community or "",
        grid=r.grid or "",
        last_visit=r.last_visit.date() if r.last_visit else None,
    )


def search_households(
    db: Database,
    *,
    text: str = "",
    sort: str = "address",
    descending: bool = False,
    offset: int = 0,
    limit: int = PAGE_SIZE,
) -> list[HouseholdRow]:
    """One page of living households whose address, head, or any resident's name, phone or
    ID number contains every term of ``text``; sorting and filtering happen in SQL."""
    terms = search_terms(text)
    with db.connect() as conn:

        def run(ids: search.Candidates | None = None, within: tuple[str, int] | None = None, walk: bool = False):
            query = household_page_query(len(terms), ids=ids and ids.kind, within=within is not None, walk=walk,
                                         sort=sort, descending=descending)
            bound = {**search.parameters(terms, ids, within), "offset": offset, "limit": limit}
            return conn.execute(query, bound).all()

        rows = search.page(conn, terms, run, offset=offset, limit=limit, descending=descending,
                           in_list_order=sort == "address")
    return [_row(r) for r in rows]


@cache
def _detail_queries():
    """The detail pane's three SELECTs (the list's row with the notes, residents, visits), built
    once and run with ``household_id``."""
    household_id, officer = bindparam("household_id"), Officer.__table__.c
    return (
        _columns_query().add_columns(H.notes).where(H.id == household_id),
        select(R.id, R.name, R.gender, R.birth_date, R.relation, R.id_number, R.phone)
        .where(and_(R.household_id == household_id, R.deleted.is_(False)))
        .order_by(R.birth_date),
        select(V.id, V.visited_at, V.purposes, V.findings, officer.name)
        .outerjoin(Officer.__table__, officer.id == V.officer_id)
        .where(and_(V.household_id == household_id, V.deleted.is_(False)))
        .order_by(V.visited_at.desc()),
    )


def household_detail(db: Database, household_id: str, *, today: date | None = None) -> HouseholdDetail | None:
    """Everything the detail pane shows; visits newest first."""
    today = today or date.today()
    row_query, residents_query, visits_query = _detail_queries()
    chosen = {"household_id": household_id}
    with db.connect() as conn:
        row = conn.execute(row_query, chosen).first()
        if row is None:
            return None
        residents = conn.execute(residents_query, chosen).all()
        visits = conn.execute(visits_query, chosen).all()
    return HouseholdDetail(
        row=_row(row),
        notes=row.notes or "",
        residents=[
            ResidentLine(
                id=r.id,
                name=r.name,
                gender=r.gender or "",
                age=age_on(r.birth_date, today),
                relation=r.relation or "",
                id_number=mask_id_number(r.id_number),
                phone=mask_phone(r.phone),
            )
            for r in residents
        ],
        visits=[
            VisitLine(id=v.id, visited_at=v.visited_at, purposes=v.purposes, officer=v.name or "",
                      findings=v.findings or "")
            for v in visits
        ],
    )


# --- writing -------------------------------------------------------------------------------

FIELD_LIMITS = {"estate": 64, "building": 16, "unit": 16, "room": 16, "head_name": 32, "community": 64, "grid": 64}


@dataclass(frozen=True)
class HouseholdValues:
    """What the household form edits. Community and grid are names: a new name makes a new one,
    so an officer on a fresh laptop can start without an admin setting up the map first."""

    community: str
    estate: str
    grid: str = ""
    building: str = ""
    unit: str = ""
    room: str = ""
    kind: str = "owner"
    tags: tuple[str, ...] = ()
    head_name: str = ""
    phone: str = ""
    notes: str = ""


def household_problems(values: HouseholdValues) -> dict[str, str]:
    """Field -> what is wrong with it; empty when the household can be saved."""
    problems = {}
    if not values.community.strip():
        problems["community"] = "请选择或填写社区"
    if not values.estate.strip():
        problems["estate"] = "请填写小区或街巷名称"
    for field, limit in FIELD_LIMITS.items():
        if len(getattr(values, field).strip()) > limit:
            problems.setdefault(field, f"最多{limit}个字")
    if values.kind not in HOUSEHOLD_KINDS:
        problems["kind"] = "请选择住户类型"
    if unknown := [tag for tag in values.tags if tag not in HOUSEHOLD_TAGS]:
        problems["tags"] = f"没有这个标签：{'、'.join(unknown)}"
    if values.phone.strip() and (message := check_phone(values.phone)):
        problems["phone"] = message
    return problems



def _named(session, model, name: str, **parent) -> str:
    """The id of the living row called ``name`` (under ``parent``), made when there is none."""
    query = select(model.id).where(model.name == name, model.deleted.is_(False))
    for key, value in parent.items():
        query = query.where(getattr(model, key) == value)
    found = session.execute(query.order_by(model.created_at).limit(1)).scalar()
    if found:
        return found
    row = model(name=name, **parent)
    session.add(row)
    session.flush()
    return row.id


def save_household(db: Database, *, values: HouseholdValues, officer_id: str | None = None,
                   household_id: str | None = None) -> str:
    """Create (no ``household_id``) or update a household; returns its id.

    Refuses invalid fields and a second living household at the same address."""
    refuse_first(household_problems(values))
    v = {field: value.strip() if isinstance(value, str) else value for field, value in vars(values).items()}
    with db.session(officer_id=officer_id) as session:
        community_id = _named(session, Community, v["community"])
        grid_id = _named(session, Grid, v["grid"], community_id=community_id) if v["grid"] else None
        same_place = select(H.id).where(
            H.community_id == community_id, H.estate == v["estate"], H.building == v["building"],
            H.unit == v["unit"], H.room == v["room"], H.deleted.is_(False), H.id != (household_id or ""))
        if session.execute(same_place).first():
            address = format_address(v["estate"], v["building"], v["unit"], v["room"])
            raise UserError(f"{v['community']}已登记过这个地址：{address}")
        if household_id is None:
            row = Household(community_id=community_id, estate=v["estate"])
            session.add(row)
        else:
            row = session.get(Household, household_id)
            if row is None or row.deleted:
                raise UserError("该住户已被删除，无法保存")
        row.community_id, row.grid_id = community_id, grid_id
        row.estate, row.building, row.unit, row.room = v["estate"], v["building"], v["unit"], v["room"]
        row.kind, row.tags = v["kind"], ",".join(tag for tag in HOUSEHOLD_TAGS if tag in v["tags"])
        row.head_name, row.phone = v["head_name"] or None, normalize_phone(v["phone"]) or None
        row.notes = v["notes"] or None
        session.commit()
        return row.id


def household_values(db: Database, household_id: str) -> HouseholdValues | None:
    """The stored household as the form edits it; None when unknown or deleted."""
    community, grid = Community.__table__.c, Grid.__table__.c
    with db.connect() as conn:
        r = conn.execute(
            select(H, community.name.label("community_name"), grid.name.label("grid_name"))
            .outerjoin(Community.__table__, community.id == H.community_id)
            .outerjoin(Grid.__table__, grid.id == H.grid_id)
            .where(H.id == household_id, H.deleted.is_(False))
        ).first()
    if r is None:
        return None
    return HouseholdValues(
        community=r.community_name or "", grid=r.grid_name or "", estate=r.estate, building=r.building,
        unit=r.unit, room=r.room, kind=r.kind, tags=tuple(t for t in r.tags.split(",") if t),
        head_name=r.head_name or "", phone=r.phone or "", notes=r.notes or "")


def delete_household(db: Database, *, household_id: str, officer_id: str | None = None) -> int:
    """Soft-delete a household and the residents still registered in it; returns how many residents."""
    with db.session(officer_id=officer_id) as session:
        row = session.get(Household, household_id)
        if row is None or row.deleted:
            raise UserError("该住户不存在或已被删除")
        residents = session.execute(
            select(Resident).where(Resident.household_id == household_id, Resident.deleted.is_(False))
        ).scalars().all()
        for resident in residents:
            resident.deleted = True
        row.deleted = True
        session.commit()
        return len(residents)


def place_names(db: Database) -> dict[str, list[str]]:
    """Living community names -> their grid names, for the form's choices."""
    community, grid = Community.__table__.c, Grid.__table__.c
    with db.connect() as conn:
        rows = conn.execute(
            select(community.name, grid.name.label("grid"))
            .outerjoin(Grid.__table__, and_(grid.community_id == community.id, grid.deleted.is_(False)))
            .where(community.deleted.is_(False)).order_by(community.name, grid.name)
        ).all()
    names: dict[str, list[str]] = {}
    for r in rows:
        grids = names.setdefault(r.name, [])
        if r.grid and r.grid not in grids:
            grids.append(r.grid)
    return names

"""Households and their residents: the searchable, paged list and one household's detail."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, cast, func, select
from sqlalchemy import Integer as SqlInteger

from app.privacy import mask_id_number, mask_phone
from app.vocab import HOUSEHOLD_KINDS
from db.engine import Database
from db.models import Community, Grid, Household, HouseholdSearch, Officer, Resident, Visit

PAGE_SIZE = 100

H = Household.__table__.c
R = Resident.__table__.c
V = Visit.__table__.c
S = HouseholdSearch.__table__.c

# Sort keys the list offers: building/unit/room sort as numbers (2栋 before 10栋).
_ADDRESS_ORDER = (H.estate, cast(H.building, SqlInteger), cast(H.unit, SqlInteger), cast(H.room, SqlInteger), H.id)
SORT_KEYS = {
    "address": _ADDRESS_ORDER,
    "head": (H.head_name, H.id),
    "kind": (H.kind, *_ADDRESS_ORDER),
    "community": (Community.__table__.c.name, Grid.__table__.c.name, *_ADDRESS_ORDER),
}


def format_address(estate: str, building: str, unit: str, room: str) -> str:
    """阳光花园3栋2单元501室; the search triggers in the first migration format it alike."""
    return (
        estate
        + (f"{building}栋" if building else "")
        + (f"{unit}单元" if unit else "")
        + (f"{room}室" if room else "")
    )


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


def search_terms(text: str) -> list[str]:
    """Whitespace separates terms; all must match. Upper case, like the search text."""
    return [term.upper() for term in text.split()]


def _list_query(terms: list[str]):
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
    query = (
        select(
            H.id, H.estate, H.building, H.unit, H.room, H.kind, H.head_name, H.phone, H.tags,
            community.c.name.label("community"), grid.c.name.label("grid"),
            residents.label("residents"), last_visit.label("last_visit"),
        )
        .select_from(Household.__table__)
        .outerjoin(community, community.c.id == H.community_id)
        .outerjoin(grid, grid.c.id == H.grid_id)
        .where(H.deleted.is_(False))
    )
    if terms:
        query = query.join(HouseholdSearch.__table__, S.household_id == H.id)
        for term in terms:
            query = query.where(func.instr(S.text, term) > 0)
    return query


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
    keys = SORT_KEYS[sort]
    order = [key.desc() for key in keys] if descending else list(keys)
    query = _list_query(search_terms(text)).order_by(*order).offset(offset).limit(limit)
    with db.connect() as conn:
        return [_row(r) for r in conn.execute(query)]


def household_detail(db: Database, household_id: str, *, today: date | None = None) -> HouseholdDetail | None:
    """Everything the detail pane shows; visits newest first."""
    today = today or date.today()
    with db.connect() as conn:
        row = conn.execute(_list_query([]).where(H.id == household_id)).first()
        if row is None:
            return None
        notes = conn.execute(select(H.notes).where(H.id == household_id)).scalar() or ""
        residents = conn.execute(
            select(R.id, R.name, R.gender, R.birth_date, R.relation, R.id_number, R.phone)
            .where(and_(R.household_id == household_id, R.deleted.is_(False)))
            .order_by(R.birth_date)
        ).all()
        officer = Officer.__table__.c
        visits = conn.execute(
            select(V.id, V.visited_at, V.purposes, V.findings, officer.name)
            .outerjoin(Officer.__table__, officer.id == V.officer_id)
            .where(and_(V.household_id == household_id, V.deleted.is_(False)))
            .order_by(V.visited_at.desc())
        ).all()
    return HouseholdDetail(
        row=_row(row),
        notes=notes,
        residents=[
            ResidentLine(
                id=r.id,
                name=r.name,
                gender=r.gender or "",
                age=_age(r.birth_date, today),
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


def _age(born: date | None, today: date) -> int | None:
    if born is None:
        return None
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))

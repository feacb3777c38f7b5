"""``cpdesk list`` of 入户走访: households, residents, visits (app/cli/listing.py runs them)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict

from sqlalchemy import select

from app.cli.listing import Spec
from app.core.text import format_address
from app.households.service import search_households
from db.engine import Database
from db.models import Household, Resident, Visit

R, H, V = Resident.__table__.c, Household.__table__.c, Visit.__table__.c


def _households(db: Database, *, search: str, limit: int, reveal: bool) -> list[dict]:
    """The households list as the tab shows it (its search finds residents too); phones in full on ``reveal``."""
    rows = [asdict(row) for row in search_households(db, text=search, limit=limit)]
    if reveal:  # search_households gives them masked
        with db.connect() as conn:
            phones = dict(conn.execute(select(H.id, H.phone).where(H.id.in_([r["id"] for r in rows]))).all())
        for row in rows:
            row["phone"] = phones.get(row["id"]) or ""
    return rows


def _address(row: Mapping) -> str:
    return format_address(row["estate"] or "", row["building"] or "", row["unit"] or "", row["room"] or "")


def _residents():
    return (
        select(R.id, R.name, R.gender, R.birth_date, R.id_number, R.phone, R.relation,
               H.estate, H.building, H.unit, H.room)
        .outerjoin(Household.__table__, H.id == R.household_id)
        .where(R.deleted.is_(False))
        .order_by(R.name, R.id)
    )


def _visits():
    return (
        select(V.id, V.visited_at, H.estate, H.building, H.unit, H.room, V.purposes, V.findings)
        .join(Household.__table__, H.id == V.household_id)
        .where(V.deleted.is_(False))
        .order_by(V.visited_at.desc(), V.id)
    )


SPECS = {
    "households": _households,
    "residents": Spec(
        ("id", "name", "gender", "birth_date", "id_number", "phone", "relation", "address"),
        _residents, lambda: (R.name, R.id_number, R.phone), derived={"address": _address},
    ),
    "visits": Spec(
        ("id", "visited_at", "address", "purposes", "findings"),
        _visits, lambda: (H.estate, V.purposes, V.findings), derived={"address": _address},
    ),
}

"""Plain listings of the main tables for the CLI (``cpdesk list TABLE``): masked, searchable.

ID numbers and phones are masked (330702********1234, 138****8000) unless the caller asks
to ``reveal`` them; a revealed listing is logged in the audit trail (action "reveal")."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field

from sqlalchemy import func, or_, select

from app.cli.common import LIST_TABLES
from app.core.privacy import mask_id_number, mask_phone
from app.core.vocab import DISPUTE_KINDS, DISPUTE_STATUSES, ENTERPRISE_CATEGORIES, REVISIT_RESULTS, RISK_LEVELS
from app.disputes.mediation import AGREEMENT_KINDS, PERFORMANCE
from app.disputes.revisits import party_names
from app.households.service import format_address, search_households, search_terms
from db.engine import Database
from db.models import Agreement, Dispute, Enterprise, Household, Resident, Revisit, Visit, Volunteer, VolunteerTeam

_MASKS: dict[str, Callable[[str | None], str]] = {"id_number": mask_id_number, "phone": mask_phone}


@dataclass(frozen=True)
class Spec:
    columns: tuple[str, ...]  # output names, in order
    query: Callable[[], object]  # a SELECT of exactly those columns
    searched: Callable[[], tuple]  # column expressions the search looks in
    labels: dict[str, dict[str, str]] | None = None  # code -> label per column
    # output name -> its value made from the selected row (an address from the household's parts)
    derived: dict[str, Callable[[Mapping], object]] = field(default_factory=dict)


def _household_address(row: Mapping) -> str:
    return format_address(row["estate"] or "", row["building"] or "", row["unit"] or "", row["room"] or "")


def _residents():
    r, h = Resident.__table__.c, Household.__table__.c
    query = (
        select(r.id, r.name, r.gender, r.birth_date, r.id_number, r.phone, r.relation,
               h.estate, h.building, h.unit, h.room)
        .outerjoin(Household.__table__, h.id == r.household_id)
        .where(r.deleted.is_(False))
        .order_by(r.name, r.id)
    )
    return query


def _visits():
    v, h = Visit.__table__.c, Household.__table__.c
    return (
        select(v.id, v.visited_at, h.estate, h.building, h.unit, h.room, v.purposes, v.findings)
        .join(Household.__table__, h.id == v.household_id)
        .where(v.deleted.is_(False))
        .order_by(v.visited_at.desc(), v.id)
    )


def _disputes():
    d = Dispute.__table__.c
    return (
        select(d.id, d.number, d.occurred_at, d.kind, d.status, d.risk_level, d.place, d.facts)
        .where(d.deleted.is_(False))
        .order_by(d.occurred_at.desc(), d.id)
    )


def _agreements():
    a, d = Agreement.__table__.c, Dispute.__table__.c
    return (
        select(a.id, a.number, d.number.label("dispute_number"), party_names().label("parties"), a.kind,
               a.signed_on, a.performance, a.deadline)
        .join(Dispute.__table__, d.id == a.dispute_id)
        .where(a.deleted.is_(False))
        .order_by(a.signed_on.desc(), a.number.desc())
    )


def _revisits():
    r, d = Revisit.__table__.c, Dispute.__table__.c
    return (  # open ones first, soonest due at the top; then the done ones, latest first
        select(r.id, r.due_on, r.done_on, r.result, d.number.label("dispute_number"),
               party_names().label("parties"), r.notes)
        .join(Dispute.__table__, d.id == r.dispute_id)
        .where(r.deleted.is_(False), d.deleted.is_(False))
        .order_by(r.done_on.is_not(None), r.due_on, r.done_on.desc(), r.id)
    )


def _volunteers():
    v, t = Volunteer.__table__.c, VolunteerTeam.__table__.c
    return (
        select(v.id, v.name, v.gender, v.id_number, v.phone, t.name.label("team"), v.active)
        .join(VolunteerTeam.__table__, t.id == v.team_id)
        .where(v.deleted.is_(False))
        .order_by(t.name, v.name, v.id)
    )


def _enterprises():
    e = Enterprise.__table__.c
    return (
        select(e.id, e.name, e.credit_code, e.category, e.address, e.legal_rep, e.phone)
        .where(e.deleted.is_(False))
        .order_by(e.name, e.id)
    )


SPECS: dict[str, Spec] = {
    "residents": Spec(
        ("id", "name", "gender", "birth_date", "id_number", "phone", "relation", "address"),
        _residents,
        lambda: (Resident.__table__.c.name, Resident.__table__.c.id_number, Resident.__table__.c.phone),
        derived={"address": _household_address},
    ),
    "visits": Spec(
        ("id", "visited_at", "address", "purposes", "findings"),
        _visits,
        lambda: (Household.__table__.c.estate, Visit.__table__.c.purposes, Visit.__table__.c.findings),
        derived={"address": _household_address},
    ),
    "disputes": Spec(
        ("id", "number", "occurred_at", "kind", "status", "risk_level", "place", "facts"),
        _disputes,
        lambda: (Dispute.__table__.c.number, Dispute.__table__.c.place, Dispute.__table__.c.facts),
        {"kind": DISPUTE_KINDS, "status": DISPUTE_STATUSES, "risk_level": RISK_LEVELS},
    ),
    "agreements": Spec(
        ("id", "number", "dispute_number", "parties", "kind", "signed_on", "performance", "deadline"),
        _agreements,
        lambda: (Agreement.__table__.c.number, Dispute.__table__.c.number, party_names()),
        {"kind": AGREEMENT_KINDS, "performance": PERFORMANCE},
    ),
    "revisits": Spec(
        ("id", "due_on", "done_on", "result", "dispute_number", "parties", "notes"),
        _revisits,
        lambda: (Dispute.__table__.c.number, party_names(), Revisit.__table__.c.notes),
        {"result": REVISIT_RESULTS},
    ),
    "volunteers": Spec(
        ("id", "name", "gender", "id_number", "phone", "team", "active"),
        _volunteers,
        lambda: (Volunteer.__table__.c.name, Volunteer.__table__.c.phone, VolunteerTeam.__table__.c.name),
    ),
    "enterprises": Spec(
        ("id", "name", "credit_code", "category", "address", "legal_rep", "phone"),
        _enterprises,
        lambda: (Enterprise.__table__.c.name, Enterprise.__table__.c.credit_code, Enterprise.__table__.c.address),
        {"category": ENTERPRISE_CATEGORIES},
    ),
}
# The names `cpdesk list` offers live in app.cli.common (cheap to import for the parser);
# households are listed by app.households.service, every other name needs its spec here.
TABLES = tuple(LIST_TABLES)
RECORD_TABLES = LIST_TABLES  # list -> the table its rows are records of (for the audit entry)
if set(SPECS) != set(TABLES) - {"households"}:
    raise RuntimeError(f"cpdesk list offers {sorted(TABLES)} but listing knows {sorted(SPECS)}")


def list_rows(db: Database, table: str, *, search: str = "", limit: int = 50, reveal: bool = False) -> list[dict]:
    """Rows of ``table`` as dicts, newest or A-Z first; ID numbers and phones masked unless
    ``reveal`` (then the listing is logged: which list, the search and how many rows)."""
    if table == "households":
        rows = [asdict(row) for row in search_households(db, text=search, limit=limit)]
        if reveal:
            _household_phones(db, rows)
    else:
        spec = SPECS[table]
        query = spec.query()
        for term in search_terms(search):
            query = query.where(or_(*(func.instr(func.upper(c), term) > 0 for c in spec.searched())))
        with db.connect() as conn:
            found = conn.execute(query.limit(limit)).mappings().all()
        rows = [_present(spec, row, reveal=reveal) for row in found]
    if reveal:
        from app.audit import log as audit

        audit.record(db, "reveal", table=RECORD_TABLES[table], list=table, rows=len(rows),
                     **({"search": search} if search.strip() else {}))  # numbers masked by record
    return rows


def _household_phones(db: Database, rows: list[dict]) -> None:
    """The households' phones in full (search_households gives them masked)."""
    h = Household.__table__.c
    with db.connect() as conn:
        phones = dict(conn.execute(select(h.id, h.phone).where(h.id.in_([r["id"] for r in rows]))).all())
    for row in rows:
        row["phone"] = phones.get(row["id"]) or ""


def _present(spec: Spec, row, *, reveal: bool = False) -> dict:
    out = {}
    for name in spec.columns:
        value = spec.derived[name](row) if name in spec.derived else row[name]
        if name in _MASKS:
            value = (value or "") if reveal else _MASKS[name](value)
        if spec.labels and name in spec.labels:
            value = spec.labels[name].get(value, value)
        out[name] = value
    return out

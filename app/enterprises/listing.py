"""``cpdesk list`` of 一企一警: enterprises, inspections, rectifications, hire checks (app/cli/listing.py
runs them; phones and ID numbers masked there). A hire check shows its coarse result only: the
officer's notes stay out of every list."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from sqlalchemy import case, exists, func, select

from app.cli.listing import Spec
from app.core.vocab import ENTERPRISE_CATEGORIES, HIRE_CHECK_RESULTS, INSPECTION_RESULTS
from app.enterprises.notices import FLOW_STATES
from app.enterprises.rectifications import RectificationLine
from db.models import (
    Enterprise,
    HireCheck,
    Inspection,
    InspectionItem,
    Officer,
    Recheck,
    Rectification,
    RectificationNotice,
)

E, INS, T = Enterprise.__table__.c, Inspection.__table__.c, InspectionItem.__table__.c
R, H, OFF = Rectification.__table__.c, HireCheck.__table__.c, Officer.__table__.c
N, K = RectificationNotice.__table__.c, Recheck.__table__.c


def _enterprises():
    last = (select(func.max(INS.inspected_on)).where(INS.enterprise_id == E.id, INS.deleted.is_(False))
            .scalar_subquery())
    still_open = (select(func.count()).where(R.enterprise_id == E.id, R.deleted.is_(False), R.done_on.is_(None),
                                             R.closed_on.is_(None)).scalar_subquery())
    return (
        select(E.id, E.name, E.credit_code, E.category, OFF.name.label("liaison"), E.address, E.legal_rep, E.phone,
               E.security_head, last.label("last_inspection"), still_open.label("open_rectifications"))
        .outerjoin(Officer.__table__, OFF.id == E.liaison_officer_id)
        .where(E.deleted.is_(False))
        .order_by(E.name, E.id)
    )


def _flow_state():
    """The inspection's place in the flow (app.enterprises.notices.flow_state), in SQL."""
    recheck = select(K.outcome).where(K.inspection_id == INS.id, K.deleted.is_(False)).limit(1).scalar_subquery()
    notice = exists().where(N.inspection_id == INS.id, N.deleted.is_(False))
    return case((recheck == "passed", "recheck_passed"), (recheck.is_not(None), "enforcement"),
                (notice, "rectifying"), (INS.result == "passed", "passed"), else_="notice_due")


def _inspections():
    failed = (select(func.count()).where(T.inspection_id == INS.id, T.deleted.is_(False), T.passed.is_(False),
                                         T.applicable.is_(True)).scalar_subquery())
    number = select(N.number).where(N.inspection_id == INS.id, N.deleted.is_(False)).limit(1).scalar_subquery()
    return (
        select(INS.id, INS.inspected_on, E.name.label("enterprise"), INS.inspectors, INS.categories, INS.result,
               failed.label("failed"), _flow_state().label("state"), number.label("notice_number"))
        .join(Enterprise.__table__, E.id == INS.enterprise_id)
        .where(INS.deleted.is_(False), E.deleted.is_(False))
        .order_by(INS.inspected_on.desc(), INS.id)
    )


def _rectifications():
    number = (select(N.number).where(N.inspection_id == R.inspection_id, N.deleted.is_(False)).limit(1)
              .scalar_subquery())
    return (  # open ones first, soonest deadline at the top; then the closed, latest first
        select(R.id, E.name.label("enterprise"), T.category, R.problem, R.deadline, R.done_on, R.verified,
               R.closed_on, number.label("notice_number"))
        .join(Enterprise.__table__, E.id == R.enterprise_id)
        .outerjoin(InspectionItem.__table__, T.id == R.item_id)
        .where(R.deleted.is_(False), E.deleted.is_(False))
        .order_by(R.closed_on.is_not(None), R.deadline, R.closed_on.desc(), R.id)
    )


def _rectification_state(row: Mapping) -> str:
    line = RectificationLine(row["id"], "", "", None, "", "", row["deadline"], row["done_on"], bool(row["verified"]),
                             row["closed_on"])
    return line.state(date.today())


def _hire_checks():
    day = func.coalesce(H.requested_on, H.checked_on)
    return (
        select(H.id, day.label("requested_on"), E.name.label("enterprise"), H.name, H.id_number, H.job,
               H.checked_on.label("answered_on"), H.result, H.keep_until, H.id_hash.is_not(None).label("purged"))
        .join(Enterprise.__table__, E.id == H.enterprise_id)
        .where(H.deleted.is_(False))
        .order_by(day.desc(), H.created_at.desc(), H.id)
    )


SPECS = {
    "enterprises": Spec(
        ("id", "name", "credit_code", "category", "liaison", "address", "legal_rep", "phone", "security_head",
         "last_inspection", "open_rectifications"),
        _enterprises, lambda: (E.name, E.credit_code, E.address, E.legal_rep, E.security_head, OFF.name, E.tags),
        {"category": ENTERPRISE_CATEGORIES},
    ),
    "inspections": Spec(
        ("id", "inspected_on", "enterprise", "inspectors", "categories", "result", "failed", "state",
         "notice_number"),
        _inspections, lambda: (E.name, INS.inspectors, INS.categories, select(N.number).where(
            N.inspection_id == INS.id).limit(1).scalar_subquery()),
        {"result": INSPECTION_RESULTS, "state": FLOW_STATES},
        derived={"categories": lambda row: row["categories"].replace(",", "、")}, day=lambda: INS.inspected_on,
    ),
    "rectifications": Spec(
        ("id", "enterprise", "category", "problem", "deadline", "state", "done_on", "closed_on", "notice_number"),
        _rectifications, lambda: (E.name, R.problem, T.category),
        derived={"state": _rectification_state},
    ),
    "hire-checks": Spec(
        ("id", "requested_on", "enterprise", "name", "id_number", "job", "answered_on", "result", "keep_until",
         "purged"),
        _hire_checks, lambda: (E.name, H.name, H.job, H.id_number),
        derived={"result": lambda row: HIRE_CHECK_RESULTS.get(row["result"], "待答复"),
                 "purged": lambda row: "已隐去" if row["purged"] else ""},
        day=lambda: func.coalesce(H.requested_on, H.checked_on),
    ),
}

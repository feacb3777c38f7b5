"""``cpdesk list`` of 矛盾纠纷: disputes, agreements, revisits (app/cli/listing.py runs them)."""

from __future__ import annotations

from sqlalchemy import select

from app.cli.listing import Spec
from app.core.vocab import DISPUTE_KINDS, DISPUTE_STATUSES, REVISIT_RESULTS, RISK_LEVELS
from app.disputes.mediation import AGREEMENT_KINDS, PERFORMANCE
from app.disputes.revisits import party_names
from db.models import Agreement, Dispute, Revisit

D, A, R = Dispute.__table__.c, Agreement.__table__.c, Revisit.__table__.c


def _disputes():
    return (
        select(D.id, D.number, D.occurred_at, D.kind, D.status, D.risk_level, D.place, D.facts)
        .where(D.deleted.is_(False))
        .order_by(D.occurred_at.desc(), D.id)
    )


def _agreements():
    return (
        select(A.id, A.number, D.number.label("dispute_number"), party_names().label("parties"), A.kind,
               A.signed_on, A.performance, A.deadline)
        .join(Dispute.__table__, D.id == A.dispute_id)
        .where(A.deleted.is_(False))
        .order_by(A.signed_on.desc(), A.number.desc())
    )


def _revisits():
    return (  # open ones first, soonest due at the top; then the done ones, latest first
        select(R.id, R.due_on, R.done_on, R.result, D.number.label("dispute_number"),
               party_names().label("parties"), R.notes)
        .join(Dispute.__table__, D.id == R.dispute_id)
        .where(R.deleted.is_(False), D.deleted.is_(False))
        .order_by(R.done_on.is_not(None), R.due_on, R.done_on.desc(), R.id)
    )


SPECS = {
    "disputes": Spec(
        ("id", "number", "occurred_at", "kind", "status", "risk_level", "place", "facts"),
        _disputes, lambda: (D.number, D.place, D.facts),
        {"kind": DISPUTE_KINDS, "status": DISPUTE_STATUSES, "risk_level": RISK_LEVELS},
    ),
    "agreements": Spec(
        ("id", "number", "dispute_number", "parties", "kind", "signed_on", "performance", "deadline"),
        _agreements, lambda: (A.number, D.number, party_names()),
        {"kind": AGREEMENT_KINDS, "performance": PERFORMANCE},
    ),
    "revisits": Spec(
        ("id", "due_on", "done_on", "result", "dispute_number", "parties", "notes"),
        _revisits, lambda: (D.number, party_names(), R.notes),
        {"result": REVISIT_RESULTS},
    ),
}

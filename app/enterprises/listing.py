"""``cpdesk list enterprises`` (app/cli/listing.py runs it)."""

from __future__ import annotations

from sqlalchemy import select

from app.cli.listing import Spec
from app.core.vocab import ENTERPRISE_CATEGORIES
from db.models import Enterprise

E = Enterprise.__table__.c


def _enterprises():
    return (
        select(E.id, E.name, E.credit_code, E.category, E.address, E.legal_rep, E.phone)
        .where(E.deleted.is_(False))
        .order_by(E.name, E.id)
    )


SPECS = {
    "enterprises": Spec(("id", "name", "credit_code", "category", "address", "legal_rep", "phone"), _enterprises,
                        lambda: (E.name, E.credit_code, E.address), {"category": ENTERPRISE_CATEGORIES}),
}

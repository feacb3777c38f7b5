"""Device-scoped numbers: disputes ``2026-A03-0012`` and agreements ``2026-A03-T0005``.

The code is the laptop's short code at the moment of numbering (app.core.device), so a laptop the
station re-coded numbers its new records with the new code, and what it printed before keeps the
old one. A number is not unique in the table (migration 0006): two laptops that shared a code
before the clash was caught both keep theirs. Each new number is one past the highest with its
prefix in the database, the other laptop's included, so none is handed out twice after that
(app.core.numbering).
"""

from __future__ import annotations

from app.core.numbering import next_number
from db.models import Agreement, Dispute


def next_dispute_number(conn_or_session, *, device_code: str, year: int) -> str:
    """The next 纠纷编号 of this device and year, e.g. ``2026-A03-0012``.

    The device's short code in the number means two laptops never hand out the same one.
    Works on a Core connection or an ORM session; call it in the transaction that inserts."""
    return next_number(conn_or_session, Dispute.__table__.c.number, f"{year}-{device_code}-")


def next_agreement_number(conn_or_session, *, device_code: str, year: int) -> str:
    """The next 协议编号 of this device and year, e.g. ``2026-A03-T0005``."""
    return next_number(conn_or_session, Agreement.__table__.c.number, f"{year}-{device_code}-T")

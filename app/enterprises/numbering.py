"""Device-scoped 文号 of the area: notices ``2026-A03-Z0001`` and re-check opinions ``2026-A03-F0001``.

Numbered as every area numbers (app.core.numbering): the laptop's short code at the moment of
numbering, one past the highest number with the prefix in the database."""

from __future__ import annotations

from app.core.numbering import next_number
from db.models import Recheck, RectificationNotice


def next_notice_number(session, *, device_code: str, year: int) -> str:
    """The next 责令限期整改通知书 number, e.g. ``2026-A03-Z0001``; call it in the inserting transaction."""
    return next_number(session, RectificationNotice.__table__.c.number, f"{year}-{device_code}-Z")


def next_recheck_number(session, *, device_code: str, year: int) -> str:
    """The next 复查意见书 number, e.g. ``2026-A03-F0001``."""
    return next_number(session, Recheck.__table__.c.number, f"{year}-{device_code}-F")

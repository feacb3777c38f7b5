"""Device-scoped 文号 of the area: notices ``2026-A03-Z0001`` and re-check opinions ``2026-A03-F0001``.

As the dispute numbers (app/disputes/numbering.py): the laptop's short code at the moment of
numbering, one past the highest number with the prefix in the database (deleted rows included,
so a number is never handed out twice)."""

from __future__ import annotations

from sqlalchemy import Integer, cast, func, select

from db.models import Recheck, RectificationNotice


def _next(session, column, prefix: str) -> str:
    highest = session.execute(
        select(func.max(cast(func.substr(column, len(prefix) + 1), Integer))).where(
            column.op("GLOB")(prefix + "[0-9]*"))
    ).scalar()
    return f"{prefix}{(highest or 0) + 1:04d}"


def next_notice_number(session, *, device_code: str, year: int) -> str:
    """The next 责令限期整改通知书 number, e.g. ``2026-A03-Z0001``; call it in the inserting transaction."""
    return _next(session, RectificationNotice.__table__.c.number, f"{year}-{device_code}-Z")


def next_recheck_number(session, *, device_code: str, year: int) -> str:
    """The next 复查意见书 number, e.g. ``2026-A03-F0001``."""
    return _next(session, Recheck.__table__.c.number, f"{year}-{device_code}-F")

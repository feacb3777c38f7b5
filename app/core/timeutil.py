"""Officers work in local time; the database keeps UTC: the conversions every area needs."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta


def local_now() -> datetime:
    return datetime.now().astimezone()


def local_day(at: datetime) -> date:
    """The officer's calendar day of an aware datetime."""
    return at.astimezone().date()


def moment_of(day: date, *, today: date, not_before: datetime) -> datetime:
    """When to stamp something the officer dated ``day``: now if today, else that day's noon, never
    before ``not_before`` (a dispute that happened that evening is settled after it happened)."""
    at = local_now() if day == today else datetime.combine(day, time(12)).astimezone()
    return max(at, not_before)


def day_start(day: date) -> datetime:
    """Local midnight starting ``day``, as an aware UTC datetime (for SQL ranges)."""
    return datetime.combine(day, time()).astimezone().astimezone(UTC)


def day_range(start: date | None, end: date | None) -> tuple[datetime | None, datetime | None]:
    """[start 00:00, the day after end 00:00) in UTC: a period of whole local days, for every
    period an officer picks (ledgers, statistics, the audit view). An open side stays None.

    The one check of a period: it ends on or after its start, and both ends have a local midnight
    (the calendar's last days have none), else a UserError in the officer's words."""
    from app.core.errors import UserError

    if start is not None and end is not None and end < start:
        raise UserError("结束日期不能早于开始日期")
    try:
        return (None if start is None else day_start(start),
                None if end is None else day_start(end + timedelta(days=1)))
    except (ValueError, OverflowError):
        raise UserError(f"日期超出范围：{start or '不限'} 至 {end or '不限'}") from None


def age_on(born: date | None, today: date) -> int | None:
    """Whole years from ``born`` to ``today`` (a birthday not yet reached this year does not count)."""
    if born is None:
        return None
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))

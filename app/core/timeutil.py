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


def day_range(start: date, end: date) -> tuple[datetime, datetime]:
    """[start 00:00, the day after end 00:00) in UTC: a period of whole local days."""
    return day_start(start), day_start(end + timedelta(days=1))

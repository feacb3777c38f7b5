"""What the patrol services share: derived ids, a shift's hours and bands, refusals, stamped bulk writes."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import insert

from app.core.vocab import TIME_BANDS
from app.patrol.eligibility import weekday_name
from db.base import field_stamp, utcnow
from db.engine import Database
from db.models import AuditEntry
from db.stamping import insert_stamps, seed_from_storage

# Derived ids: the same on every laptop for the same thing (a uuid5 under this namespace).
NAMESPACE = uuid.UUID("6f1d2c3e-5b7a-4e8f-9a0b-c1d2e3f4a5b6")
# A row two laptops can make alike carries the creation time of what it is derived from, so its
# copies are equal; a setting (derived from its name alone) carries this one.
SETTINGS_MADE_AT = datetime(2026, 1, 1, tzinfo=UTC)
MAX_SHIFT = timedelta(hours=16)
TOKEN = re.compile(r"[1-7][mane]")
_BAND_OF_HOUR = ["n"] * 6 + ["m"] * 6 + ["a"] * 6 + ["e"] * 6


def derived_id(kind: str, *parts: object) -> str:
    """A 32-hex id for ``kind`` made of ``parts`` (a template and a day, a shift and a volunteer)."""
    return uuid.uuid5(NAMESPACE, "\x00".join((kind, *map(str, parts)))).hex


def span(day: date, starts_at: time, ends_at: time) -> tuple[datetime, datetime]:
    """A shift's hours as naive local datetimes: an end not after the start is the next day."""
    start = datetime.combine(day, starts_at)
    end = datetime.combine(day, ends_at)
    if end <= start:
        end += timedelta(days=1)
    return start, end


def bands(start: datetime, end: datetime) -> frozenset[str]:
    """Availability tokens the hours touch: "3e" for Wednesday evening, "4n" for Thursday 00-06."""
    tokens, at = set(), start.replace(minute=0, second=0, microsecond=0)
    while at < end:
        tokens.add(f"{at.isoweekday()}{_BAND_OF_HOUR[at.hour]}")
        at += timedelta(hours=1)
    return frozenset(tokens)


def parse_tokens(text: str) -> frozenset[str]:
    return frozenset(t for t in text.split(",") if t)


def format_tokens(tokens: Iterable[str]) -> str:
    return ",".join(sorted(set(tokens)))


def token_label(token: str) -> str:
    """"3e" -> "周三晚上"."""
    return weekday_name(date(2024, 1, int(token[0]))) + TIME_BANDS[token[1]]


def shift_label(day: date, starts_at: time, ends_at: time, route: str) -> str:
    """"11月26日 周三 19:00-21:00 云栖里夜巡"."""
    return f"{day.month}月{day.day}日 {weekday_name(day)} {starts_at:%H:%M}-{ends_at:%H:%M} {route}"


def local_to_utc(moment: datetime) -> datetime:
    """A naive local time (a shift's hours) as the aware UTC datetime stored."""
    return moment.astimezone().astimezone(UTC)


# --- stamped bulk writes (Core, ten times faster than the ORM: FACTS.md) ------------------------

def insert_rows(session, db: Database, table, rows: list[dict], *, officer_id: str | None,
                made_at: list[datetime] | None = None) -> None:
    """Insert ``rows`` (data columns and id) with fresh stamps; ``made_at`` gives each derived row the
    creation time of what it is derived from."""
    if not rows:
        return
    seed_from_storage(session.connection(), db.clock)
    out = []
    for n, row in enumerate(rows):
        stamps = insert_stamps(db.clock, officer_id)
        if made_at is not None:
            stamps["created_at"] = stamps["updated_at"] = made_at[n]
        out.append({**row, **stamps, "deleted": row.get("deleted", False)})
    session.execute(insert(table), out)


def update_rows(session, db: Database, table, changes: list[tuple[str, dict, dict]], *,
                officer_id: str | None) -> None:
    """Apply ``(id, stored clocks, {field: value})`` changes with the stamps the ORM hook would give."""
    if not changes:
        return
    seed_from_storage(session.connection(), db.clock)
    now = utcnow()
    for row_id, clocks, values in changes:
        hlc = db.clock.now()
        clocks = dict(clocks)
        for field in values:
            clocks[field] = [hlc, field_stamp(clocks, field)[0]]
        session.execute(table.update().where(table.c.id == row_id).values(
            **values, clocks=clocks, hlc=hlc, updated_at=now, updated_by=officer_id))


def audit(session, *, action: str, table: str, record_id: str | None, officer_id: str | None, **detail) -> None:
    """One audit entry for a bulk write (the ORM hook logs single rows itself)."""
    session.add(AuditEntry(officer_id=officer_id, action=action, table_name=table, record_id=record_id,
                           detail=detail))

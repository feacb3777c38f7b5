"""What the enterprise area's modules share: derived ids, checks of names, days and text, a living row."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable
from datetime import date

from sqlalchemy import select

from db.models import Officer
from db.models.sync import LocalStation

EARLIEST = date(2000, 1, 1)
# Ids of records two laptops could make for the same thing (a firm by its credit code, the notice of
# an inspection, a checklist version): derived from what they are, so sync merges them.
_NAMESPACE = uuid.UUID("6d1c2a5e-3f4b-4e8a-9c71-2b0f5e8d4a13")
_NAME_SEPARATORS = re.compile(r"[、,，;；/\s]+")
BODY = "公安派出所"  # the issuing body when the station has no name yet


def derived_id(*parts: str) -> str:
    return uuid.uuid5(_NAMESPACE, "\x1f".join(parts)).hex


def split_names(text: str | Iterable[str]) -> tuple[str, ...]:
    """People typed as one line (张三、李四) or given as a list: each name once, in order."""
    parts = _NAME_SEPARATORS.split(text) if isinstance(text, str) else [p.strip() for p in text]
    return tuple(dict.fromkeys(p for p in parts if p))


def joined(names: Iterable[str]) -> str:
    return "、".join(names)


def check_text(problems: dict[str, str], field: str, value: str, *, limit: int, required: str = "") -> None:
    """``required``: what to say when it is empty (empty allowed when not given)."""
    text = value.strip()
    if not text and required:
        problems[field] = required
    elif len(text) > limit:
        problems[field] = f"最多{limit}个字"


def check_day(problems: dict[str, str], field: str, day: date | None, *, label: str, today: date,
              required: bool = True) -> None:
    """A day that has happened: not after today, not before 2000."""
    if day is None:
        if required:
            problems[field] = f"请填写{label}"
    elif day > today:
        problems[field] = f"{label}不能晚于今天"
    elif day < EARLIEST:
        problems[field] = f"{label}不合理，请核对年份"


def check_inspectors(problems: dict[str, str], field: str, names: tuple[str, ...]) -> None:
    """At least two people (the law asks for two at an inspection), each a plausible name."""
    if len(names) < 2:
        problems[field] = "检查人员至少两名（请写明姓名，用“、”分隔）"
    elif any(len(name) > 16 for name in names):
        problems[field] = "每名检查人员的姓名最多16个字"
    elif len(joined(names)) > 100:
        problems[field] = "检查人员最多100个字"


def officer_name(session, officer_id: str | None) -> str:
    if not officer_id:
        return ""
    officer = session.get(Officer, officer_id)
    return officer.name if officer is not None else ""


def issuing_body(conn) -> str:
    """The station's name as documents print it (城关派出所), or 公安派出所 when it has none yet."""
    name = conn.execute(select(LocalStation.__table__.c.name)).scalar()
    return name.strip() if name and name.strip() else BODY

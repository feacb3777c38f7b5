"""What the disputes, volunteers and enterprises kinds share: cells read with their reasons, free
text and list cells, and lookups of officers, residents and this laptop's code.

An Excel ledger names people, not ids: 责任民警 and 包企民警 hold an officer's name, 当事人 and
所属义警队 hold several names in one cell. The lookups run on the import's Core connection, one
query for the whole file (never one per row).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from sqlalchemy import select

from app.imports import cells
from db.models import LocalDevice, Officer, Resident

# 、 , ， ; ； / and line breaks separate the names in one cell (张三、李四)
LIST_SEPARATORS = re.compile(r"[、,，;；/／\n\r]+")
_BLANKS = re.compile(r"[^\S\n]+")


def plain(value) -> str:
    """Free text as typed (a name, an address, the facts): trimmed, blanks inside each line collapsed,
    line breaks kept. Not NFKC as ``cells.text`` does: that would turn Chinese punctuation (，（）：)
    into ASCII and change what the officer wrote."""
    if value is None:
        return ""
    if not isinstance(value, str):
        return cells.text(value) or ""
    lines = (_BLANKS.sub(" ", line).strip() for line in value.strip().splitlines())
    return "\n".join(line for line in lines if line)


def filled(values: dict) -> frozenset[str]:
    """The fields a row fills in (an update changes only those)."""
    return frozenset(key for key, value in values.items()
                     if value is not None and not (isinstance(value, str) and not value.strip()))


def split_list(text: str | None) -> list[str]:
    """"张三、李四；王五" -> ["张三", "李四", "王五"], blanks dropped, order kept."""
    if not text:
        return []
    return [part.strip() for part in LIST_SEPARATORS.split(text) if part.strip()]


class Reader:
    """Reads one row's cells with ``app.imports.cells``: a CellProblem becomes a reason (with the
    column's label unless it names it), and the field is remembered as ``failed``, so the form's own
    check of the empty value it leaves does not say the same thing twice."""

    def __init__(self, values: dict, labels: dict[str, str]) -> None:
        self.values, self.labels = values, labels
        self.problems: list[str] = []
        self.failed: set[str] = set()

    def __call__(self, key: str, reader, **options):
        return self.part(key, self.values.get(key), reader, **options)

    def part(self, key: str, value, reader, **options):
        """``value`` (one name's number in a list cell, say) read as column ``key``'s."""
        try:
            return reader(value, **options)
        except cells.CellProblem as problem:
            text, label = str(problem), self.labels[key]
            self.problems.append(text if label in text or "身份证" in text else f"{label}：{text}")
            self.failed.add(key)
            return None


class Officers:
    """Officer accounts by name: ``find`` gives the one id, or the reason a name cannot stand."""

    def __init__(self, conn) -> None:
        o = Officer.__table__.c
        self.by_name: dict[str, list[tuple[str, bool]]] = {}
        self.names: dict[str, str] = {}
        for row in conn.execute(select(o.id, o.name, o.active).where(o.deleted.is_(False))
                                .order_by(o.created_at, o.id)):
            self.by_name.setdefault(row.name.strip(), []).append((row.id, bool(row.active)))
            self.names[row.id] = row.name

    def find(self, name: str, *, role: str, active_only: bool = False) -> tuple[str | None, str | None]:
        """(officer id, None) or (None, why not): unknown, two accounts of that name, or (with
        ``active_only``) a disabled account. ``role`` names the column in the reason (责任民警)."""
        found = self.by_name.get(name.strip(), [])
        if active_only and found and not any(active for _id, active in found):
            return None, f"{role}“{name}”的账户已停用"
        found = [(officer_id, active) for officer_id, active in found if active or not active_only]
        if not found:
            return None, f"{role}“{name}”不是本机的民警账户（请先在账户管理中添加，或改成已有民警的姓名）"
        if len(found) > 1:
            return None, f"{role}“{name}”有{len(found)}个同名账户，无法确定是哪一位"
        return found[0][0], None


def residents_by_id_number(conn, numbers) -> dict[str, str]:
    """ID number -> the living resident of that number (the newest), as the forms link a person."""
    r = Resident.__table__.c
    found: dict[str, str] = {}
    for group in chunks({n for n in numbers if n}):
        for row in conn.execute(select(r.id, r.id_number).where(r.id_number.in_(group), r.deleted.is_(False))
                                .order_by(r.updated_at)):
            found[row.id_number] = row.id
    return found


def community_problem(name: str) -> str | None:
    """A 所属社区 named in a row is found or made by name, as the household form makes one: its limit."""
    from app.households.service import FIELD_LIMITS

    limit = FIELD_LIMITS["community"]
    return f"所属社区：最多{limit}个字" if len(name) > limit else None


def device_code(conn) -> str:
    """This laptop's short code (A03), as numbers embed it (app.core.device)."""
    return conn.execute(select(LocalDevice.__table__.c.short_code)).scalar()


def chunks(values: Iterable, size: int = 500):
    """Lists of at most ``size``: SQLite's bound-parameter limit for IN (...)."""
    values = list(values)
    for start in range(0, len(values), size):
        yield values[start:start + size]

"""Plain listings of the main tables for the CLI (``cpdesk list TABLE``): masked, searchable.

Each area lists its own tables: the names are its ``list_tables`` in app/areas.py, their specs
the ``SPECS`` of its ``app.<area>.listing`` module (a ``Spec``, or a function for a list that has
a service of its own). ID numbers and phones are masked (330702********1234, 138****8000) unless
the caller asks to ``reveal`` them; a revealed listing is logged in the audit trail ("reveal")."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cache

from sqlalchemy import func, or_

from app.areas import AREAS, list_tables
from app.core.privacy import mask_id_number, mask_phone
from app.core.text import search_terms
from db.engine import Database

_MASKS: dict[str, Callable[[str | None], str]] = {"id_number": mask_id_number, "phone": mask_phone}


@dataclass(frozen=True)
class Spec:
    columns: tuple[str, ...]  # output names, in order
    query: Callable[[], object]  # a SELECT of exactly those columns
    searched: Callable[[], tuple]  # column expressions the search looks in
    labels: dict[str, dict[str, str]] | None = None  # code -> label per column
    # output name -> its value made from the selected row (an address from the household's parts)
    derived: dict[str, Callable[[Mapping], object]] = field(default_factory=dict)
    day: Callable[[], object] | None = None  # the date column ``--on`` picks a day of (shifts)


# A list with a service of its own: (db, *, search, limit, reveal) -> rows as dicts, masked unless reveal.
Lister = Callable[..., list[dict]]


@cache
def specs() -> dict[str, Spec | Lister]:
    """Every area's listings, checked against the registry: a list offered must be one it can make."""
    found: dict[str, Spec | Lister] = {}
    for area in AREAS:
        if area.list_tables:
            found.update(importlib.import_module(f"app.{area.key}.listing").SPECS)
    if set(found) != set(list_tables()):
        raise RuntimeError(f"cpdesk list offers {sorted(list_tables())} but the areas list {sorted(found)}")
    return found


def list_rows(db: Database, table: str, *, search: str = "", limit: int = 50, reveal: bool = False,
              on: date | None = None) -> list[dict]:
    """Rows of ``table`` as dicts, newest or A-Z first (those of the day ``on`` only, for a list
    with a ``Spec.day``); ID numbers and phones masked unless ``reveal`` (then the listing is
    logged: which list, the search and how many rows)."""
    spec = specs()[table]
    if on is not None and not (isinstance(spec, Spec) and spec.day is not None):
        from app.core.errors import UserError

        dated = [name for name, s in specs().items() if isinstance(s, Spec) and s.day is not None]
        raise UserError(f"{table} 不能按日期筛选：--on 只用于 {'、'.join(dated) or '（无）'}")
    if isinstance(spec, Spec):
        query = spec.query()
        if on is not None:
            query = query.where(spec.day() == on)
        for term in search_terms(search):
            query = query.where(or_(*(func.instr(func.upper(c), term) > 0 for c in spec.searched())))
        with db.connect() as conn:
            found = conn.execute(query.limit(limit)).mappings().all()
        rows = [_present(spec, row, reveal=reveal) for row in found]
    else:
        rows = spec(db, search=search, limit=limit, reveal=reveal)
    if reveal:
        from app.audit import log as audit

        audit.record(db, "reveal", table=list_tables()[table], list=table, rows=len(rows),
                     **({"search": search} if search.strip() else {}))  # numbers masked by record
    return rows


def _present(spec: Spec, row, *, reveal: bool = False) -> dict:
    out = {}
    for name in spec.columns:
        value = spec.derived[name](row) if name in spec.derived else row[name]
        if name in _MASKS:
            value = (value or "") if reveal else _MASKS[name](value)
        if spec.labels and name in spec.labels:
            value = spec.labels[name].get(value, value)
        out[name] = value
    return out

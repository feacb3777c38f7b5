"""The round trip: the ledgers the program exports about households come back into an EMPTY database
as the same records (the fields each ledger carries)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from app.core.text import format_address
from app.households import ledger as visits_ledger
from app.households import register_ledger
from app.imports import mapping, reading
from app.imports.service import check, fields, write
from db.models import Community, Household, Visit
from tests.support.cli import DEMO_DAY


def _import_all(db, path):
    info = reading.sheets(path)[0]
    chosen = mapping.guess(info.headers, fields("households"))
    result = check(db, kind="households", path=path, sheets=[info.name], header_row=info.header_row,
                   header_rows=info.header_rows, mapping=chosen)
    assert [(row.line, row.problems) for row in result.rows if row.problems] == []
    write(db, result=result, officer_id=None)
    return result


def test_the_register_comes_back_as_the_same_households_and_residents(demo, db, tmp_path):
    path = tmp_path / "实有人口登记台账.xlsx"
    written = register_ledger.write_ledger(demo, start=date(2026, 1, 1), end=DEMO_DAY, path=path)
    assert written > 1000
    result = _import_all(db, path)
    assert result.counts["rows"] == written
    assert list(register_ledger.register_rows(db)) == list(register_ledger.register_rows(demo))


def test_the_visits_ledger_comes_back_as_the_same_addresses(demo, db, tmp_path):
    path = tmp_path / "走访台账.xlsx"
    start = date(DEMO_DAY.year - 1, DEMO_DAY.month, 1)
    visits_ledger.write_ledger(demo, start=start, end=DEMO_DAY, path=path)
    _import_all(db, path)

    def addresses(database, *, visited: bool):
        h, c = Household.__table__.c, Community.__table__.c
        query = (select(c.name, h.estate, h.building, h.unit, h.room, h.head_name, h.kind)
                 .join(Community.__table__, c.id == h.community_id).where(h.deleted.is_(False)))
        if visited:
            low, high = visits_ledger.day_range(start, DEMO_DAY)
            v = Visit.__table__.c
            query = query.where(h.id.in_(select(v.household_id).where(
                v.deleted.is_(False), v.visited_at >= low, v.visited_at < high)))
        with database.connect() as conn:
            return {(r.name, format_address(r.estate, r.building, r.unit, r.room), r.head_name, r.kind)
                    for r in conn.execute(query)}

    assert addresses(db, visited=False) == addresses(demo, visited=True)

"""实有人口登记台账: one row per living resident with the household's address, community, grid and head,
to .xlsx, in the columns the Excel import reads back (app/imports/kinds/households.py).

A register is the state of today, not of a period: ``start``/``end`` are checked like every ledger's
period and named in the audit entry and the sheet's title, but every living resident is listed
whenever he was registered. A household without residents gets one row with the person's columns
empty, so reading the register back gives every household. ID numbers and phones are in full (the
register is what the import reads back); leaving the program is audited like every ledger.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import and_, select

from app.core.text import format_address
from app.core.timeutil import day_range
from app.core.vocab import HOUSEHOLD_KINDS
from app.output.xlsx import LedgerColumn, save_ledger
from db.engine import Database
from db.models import Community, Grid, Household, Resident

TITLE = "实有人口登记台账"
COLUMNS = tuple(LedgerColumn(header, width) for header, width in (
    ("序号", 6), ("社区", 12), ("网格", 14), ("住址", 28), ("小区", 14), ("楼栋", 6), ("单元", 6), ("房号", 7),
    ("住户类型", 9), ("住户标签", 16), ("户主", 9), ("住户电话", 14), ("姓名", 9), ("性别", 5), ("出生日期", 11),
    ("公民身份号码", 21), ("与户主关系", 10), ("联系电话", 14), ("民族", 6), ("户籍地", 24), ("职业", 12),
    ("备注", 24),
))


def register_rows(db: Database):
    """Yield the register's rows: living households in address order, each one's residents oldest first."""
    h, r = Household.__table__.c, Resident.__table__.c
    community, grid = Community.__table__.c, Grid.__table__.c
    query = (
        select(h.estate, h.building, h.unit, h.room, h.kind, h.tags, h.head_name, h.phone.label("household_phone"),
               community.name.label("community"), grid.name.label("grid"), r.name, r.gender, r.birth_date,
               r.id_number, r.relation, r.phone, r.ethnicity, r.hukou_place, r.occupation, r.notes)
        .outerjoin(Community.__table__, community.id == h.community_id)
        .outerjoin(Grid.__table__, grid.id == h.grid_id)
        .outerjoin(Resident.__table__, and_(r.household_id == h.id, r.deleted.is_(False)))
        .where(h.deleted.is_(False))
        .order_by(community.name, h.estate, h.building, h.unit, h.room, h.id, r.birth_date, r.id)
    )
    with db.connect() as conn:
        for n, row in enumerate(conn.execute(query), 1):
            yield [n, row.community or "", row.grid or "", format_address(row.estate, row.building, row.unit, row.room),
                   row.estate, row.building, row.unit, row.room, HOUSEHOLD_KINDS.get(row.kind, row.kind),
                   row.tags.replace(",", "、"), row.head_name or "", row.household_phone or "", row.name or "",
                   row.gender or "", row.birth_date.isoformat() if row.birth_date else "", row.id_number or "",
                   row.relation or "", row.phone or "", row.ethnicity or "", row.hukou_place or "",
                   row.occupation or "", row.notes or ""]


def write_ledger(db: Database, *, start: date, end: date, path: Path) -> int:
    """Write the register to ``path`` and log it; returns the rows written (the period is not a filter)."""
    day_range(start, end)  # the one check of a period every ledger makes
    return save_ledger(db, ledger=TITLE, path=path, columns=COLUMNS, rows=register_rows(db), start=start,
                       end=end, sheet_title=f"{TITLE}（截至{date.today().isoformat()}）")

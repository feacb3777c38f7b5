"""Probable duplicate residents (one ID number entered on two laptops) and merging one into the other."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from app.core.errors import UserError
from app.core.privacy import mask_id_number, mask_phone
from app.sync.conflicts import device_names, stamp_moment
from db.base import ALL_FIELDS, SYNC_COLUMNS
from db.engine import Database
from db.models import SYNCED_MODELS, AuditEntry, Household, Resident, VisitResident

# Every column of a synced table pointing at a resident: these move to the one kept.
REFERENCES = [(model, column.name) for model in SYNCED_MODELS for column in model.__table__.columns
              if any(fk.column.table.name == "resident" for fk in column.foreign_keys)]
MERGED_NOTE = "[已合并到 {name}（{id}）]"


@dataclass(frozen=True)
class DuplicateResident:
    id: str
    name: str
    phone: str  # masked
    address: str
    created_at: datetime  # when the row was first made, by its insert stamp
    device: str  # the laptop that made it
    references: int  # disputes, patrol and visits pointing at it


@dataclass(frozen=True)
class DuplicateGroup:
    id_number: str  # masked
    residents: list[DuplicateResident]


def find_duplicate_residents(db: Database) -> list[DuplicateGroup]:
    """Living residents sharing an ID number, oldest first within each group."""
    R = Resident.__table__.c
    names = device_names(db)
    with db.session() as s:
        numbers = s.execute(
            select(R.id_number).where(R.deleted.is_(False), R.id_number.is_not(None), R.id_number != "")
            .group_by(R.id_number).having(func.count() > 1).order_by(R.id_number)).scalars().all()
        groups = []
        for number in numbers:
            rows = s.scalars(select(Resident).where(Resident.id_number == number,
                                                    Resident.deleted == False)).all()  # noqa: E712
            people = sorted((_describe(s, r, names) for r in rows), key=lambda p: (p.created_at, p.id))
            groups.append(DuplicateGroup(mask_id_number(number), people))
        return groups


def _describe(s, r: Resident, names: dict[str, str]) -> DuplicateResident:
    inserted = r.clocks[ALL_FIELDS][0]
    household = s.get(Household, r.household_id) if r.household_id else None
    address = (f"{household.estate}{household.building}栋{household.unit}单元{household.room}室"
               if household else "")
    refs = sum(s.execute(select(func.count()).select_from(model).where(getattr(model, column) == r.id)).scalar()
               for model, column in REFERENCES)
    return DuplicateResident(id=r.id, name=r.name, phone=mask_phone(r.phone), address=address,
                             created_at=stamp_moment(inserted), device=names.get(inserted[-12:], inserted[-12:]),
                             references=refs)


def merge_residents(db: Database, *, keep_id: str, drop_id: str, officer_id: str | None = None) -> dict[str, int]:
    """Merge ``drop_id`` into ``keep_id``: blanks filled, references moved, the other becomes a tombstone.

    Returns how many references moved per table. Every write is an ordinary stamped
    change, so the merge reaches the other laptops by the next sync."""
    if keep_id == drop_id:
        raise UserError("不能把一个人员合并到自己")
    with db.session(officer_id=officer_id) as s:
        keep, drop = s.get(Resident, keep_id), s.get(Resident, drop_id)
        if keep is None or drop is None or keep.deleted or drop.deleted:
            raise UserError("要合并的人员不存在或已删除")
        if not keep.id_number or keep.id_number != drop.id_number:
            raise UserError("只有身份证号相同的人员才能合并")
        for column in Resident.__table__.columns:
            name = column.name
            if name not in SYNC_COLUMNS | {"deleted", "notes"} and getattr(keep, name) in (None, "") \
                    and getattr(drop, name) not in (None, ""):
                setattr(keep, name, getattr(drop, name))
        moved = {}
        for model, column in REFERENCES:
            rows = s.scalars(select(model).where(getattr(model, column) == drop_id,
                                                 model.deleted == False)).all()  # noqa: E712
            for row in rows:
                if model is VisitResident and _already_on_visit(s, row.visit_id, keep_id):
                    row.deleted = True  # the kept person is already on that visit
                else:
                    setattr(row, column, keep_id)
            if rows:
                moved[model.__tablename__] = len(rows)
        note = MERGED_NOTE.format(name=keep.name, id=keep_id)
        drop.notes = f"{drop.notes}\n{note}" if drop.notes else note
        drop.deleted = True
        s.add(AuditEntry(officer_id=officer_id, action="merge", table_name="resident", record_id=drop_id,
                         detail={"into": keep_id, "moved": moved}))
        s.commit()
    return moved


def _already_on_visit(s, visit_id: str, resident_id: str) -> bool:
    return s.execute(select(VisitResident.id).where(VisitResident.visit_id == visit_id,
                                                    VisitResident.resident_id == resident_id,
                                                    VisitResident.deleted == False)).first() is not None  # noqa: E712

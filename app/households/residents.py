"""Residents (人员) of a household: checks as the officer types, the duplicate-person offer, saving."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import select

from app.core.errors import UserError
from app.core.text import format_address
from app.core.validation import (
    check_id_number,
    check_phone,
    id_birth_date,
    id_gender,
    normalize_id_number,
    normalize_phone,
)
from db.engine import Database
from db.models import Household, Resident

GENDERS = ("男", "女")
LIMITS = {"name": 32, "relation": 16, "hukou_place": 100, "ethnicity": 16, "occupation": 32}

R = Resident.__table__.c
H = Household.__table__.c


@dataclass(frozen=True)
class ResidentValues:
    name: str
    id_number: str = ""
    gender: str = ""  # derived from a valid ID number
    birth_date: date | None = None  # derived from a valid ID number
    phone: str = ""
    relation: str = ""
    hukou_place: str = ""  # 户籍地
    ethnicity: str = ""
    occupation: str = ""
    notes: str = ""


@dataclass(frozen=True)
class ExistingPerson:
    """A living resident already registered under an ID number: what the form offers instead."""

    id: str
    name: str
    household_id: str | None
    address: str


def derived_from_id(id_number: str, *, today: date | None = None) -> tuple[str, date] | None:
    """(gender, birth date) read from a valid ID number, else None."""
    value = normalize_id_number(id_number)
    if not value or check_id_number(value, today=today):
        return None
    return id_gender(value), id_birth_date(value)


def consistent(values: ResidentValues, *, today: date | None = None) -> ResidentValues:
    """The values as stored: trimmed, ID upper-case, gender and birth date taken from a valid ID."""
    stripped = ResidentValues(**{k: v.strip() if isinstance(v, str) else v for k, v in vars(values).items()})
    stripped = replace(stripped, id_number=normalize_id_number(stripped.id_number),
                       phone=normalize_phone(stripped.phone))
    derived = derived_from_id(stripped.id_number, today=today)
    if derived:
        stripped = replace(stripped, gender=derived[0], birth_date=derived[1])
    return stripped


def resident_problems(values: ResidentValues, *, today: date | None = None) -> dict[str, str]:
    """Field -> what is wrong with it; empty when the person can be saved."""
    today = today or date.today()
    problems = {}
    if not values.name.strip():
        problems["name"] = "请填写姓名"
    for field, limit in LIMITS.items():
        if len(getattr(values, field).strip()) > limit:
            problems.setdefault(field, f"最多{limit}个字")
    if values.id_number.strip():
        if message := check_id_number(values.id_number, today=today):
            problems["id_number"] = message
        else:
            value = normalize_id_number(values.id_number)  # checked just above: read it, not check it again
            gender, born = id_gender(value), id_birth_date(value)
            # Only reached when a caller passes values the form would have derived: say which wins.
            if values.gender and values.gender != gender:
                problems["gender"] = f"性别与身份证号不符（身份证号为{gender}性）"
            if values.birth_date and values.birth_date != born:
                problems["birth_date"] = f"出生日期与身份证号不符（身份证号为{born.isoformat()}）"
    if values.gender and values.gender not in GENDERS:
        problems["gender"] = "性别应为男或女"
    if values.birth_date and (values.birth_date > today or values.birth_date.year < 1900):
        problems.setdefault("birth_date", "出生日期不能晚于今天，也不能早于1900年")
    if values.phone.strip() and (message := check_phone(values.phone)):
        problems["phone"] = message
    return problems


def find_person(db: Database, *, id_number: str, exclude_id: str | None = None) -> ExistingPerson | None:
    """The living resident registered under ``id_number`` (other than ``exclude_id``), if any."""
    value = normalize_id_number(id_number)
    if not value:
        return None
    with db.connect() as conn:
        r = conn.execute(
            select(R.id, R.name, R.household_id, H.estate, H.building, H.unit, H.room, H.deleted)
            .outerjoin(Household.__table__, H.id == R.household_id)
            .where(R.id_number == value, R.deleted.is_(False), R.id != (exclude_id or ""))
            .order_by(R.updated_at.desc()).limit(1)
        ).first()
    if r is None:
        return None
    address = format_address(r.estate, r.building, r.unit, r.room) if r.estate and not r.deleted else "未登记住址"
    return ExistingPerson(id=r.id, name=r.name, household_id=r.household_id, address=address)


def save_resident(db: Database, *, household_id: str, values: ResidentValues, officer_id: str | None = None,
                  resident_id: str | None = None, today: date | None = None) -> str:
    """Create (no ``resident_id``) or update a person of ``household_id``; returns the id.

    Updating a person registered elsewhere moves them here (the duplicate-person offer). A new
    person whose ID number is already registered is refused: the form offers that person instead."""
    values = consistent(values, today=today)
    if problems := resident_problems(values, today=today):
        raise UserError(next(iter(problems.values())))
    if values.id_number and (other := find_person(db, id_number=values.id_number, exclude_id=resident_id)):
        raise UserError(f"身份证号已登记：{other.name}（{other.address}），请使用已登记的人员")
    with db.session(officer_id=officer_id) as session:
        household = session.get(Household, household_id)
        if household is None or household.deleted:
            raise UserError("该住户已被删除，无法保存人员")
        if resident_id is None:
            row = Resident(household_id=household_id, name=values.name)
            session.add(row)
        else:
            row = session.get(Resident, resident_id)
            if row is None or row.deleted:
                raise UserError("该人员已被删除，无法保存")
        row.household_id = household_id
        for field, value in vars(values).items():
            setattr(row, field, value if field == "name" else value or None)
        session.commit()
        return row.id


def resident_values(db: Database, resident_id: str) -> tuple[str | None, ResidentValues] | None:
    """(household id, values) of a living resident, for the form; None when unknown or deleted."""
    with db.connect() as conn:
        r = conn.execute(select(Resident.__table__).where(R.id == resident_id, R.deleted.is_(False))).first()
    if r is None:
        return None
    text = {field: getattr(r, field) or "" for field in ("name", "id_number", "gender", "phone", "relation",
                                                          "hukou_place", "ethnicity", "occupation", "notes")}
    return r.household_id, ResidentValues(birth_date=r.birth_date, **text)


def delete_resident(db: Database, *, resident_id: str, officer_id: str | None = None) -> None:
    with db.session(officer_id=officer_id) as session:
        row = session.get(Resident, resident_id)
        if row is None or row.deleted:
            raise UserError("该人员不存在或已被删除")
        row.deleted = True
        session.commit()

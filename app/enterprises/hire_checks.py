"""招工身份核查: an enterprise's request and the station's coarse answer, kept only as long as needed.

The real check runs on the police network: this desk records the request (who, which job, on what
legal basis or consent) and the answer (未见异常 / 需进一步核查 / 已移交), never any record details.
Each check is kept until ``keep_until`` (the request day plus the setting ``KEEP_DAYS``); then
``purge_hire_checks`` masks the ID number to its last four and keeps a salted, slow hash of it, so
the same person asked about again is still recognised (``earlier_checks``) but the number is gone."""

from __future__ import annotations

import hmac
import os
import re
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select

from app.core.errors import UserError
from app.core.records import living, refuse_first
from app.core.validation import check_id_number, check_phone, normalize_id_number, normalize_phone
from app.core.vocab import HIRE_CHECK_RESULTS
from app.enterprises.common import check_day, check_text
from db.engine import Database
from db.models import Enterprise, HireCheck

KEEP_DAYS = 365  # default of the setting enterprises/hire_check_keep_days
ITERATIONS = 10_000  # PBKDF2-SHA256: ~2.5 ms a number, so a purge of thousands stays seconds
MASK = "*" * 14
MASKED_ID = re.compile(r"^\*{14}\d{3}[\dX]$")
ID_HASH = re.compile(r"^[0-9a-f]{32}\$[0-9a-f]{64}$")


@dataclass
class HireCheckValues:
    name: str
    id_number: str
    job: str
    requested_on: date
    basis: str  # legal basis, or the applicant's written consent
    phone: str = ""


@dataclass(frozen=True)
class EarlierCheck:
    id: str
    enterprise: str
    name: str
    requested_on: date | None
    result: str  # label, "" until answered


@dataclass(frozen=True)
class Added:
    id: str
    earlier: list[EarlierCheck]  # the same person checked before (for this or another enterprise)


@dataclass(frozen=True)
class HireCheckLine:
    id: str
    enterprise_id: str
    enterprise: str
    name: str
    id_number: str  # in full until purged, then masked
    job: str
    requested_on: date | None
    basis: str
    answered_on: date | None
    result: str  # code, "" until answered
    keep_until: date | None
    purged: bool

    @property
    def result_label(self) -> str:
        return HIRE_CHECK_RESULTS.get(self.result, "待答复")


def hash_id(id_number: str, salt: bytes) -> str:
    # cryptography's PBKDF2 (the same bytes as hashlib's): the bundle then needs no second OpenSSL
    # for hashlib (_hashlib and libcrypto, ~5 MB); imported here, as only a purge or a match needs it.
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC

    digest = PBKDF2HMAC(hashes.SHA256(), 32, salt, ITERATIONS).derive(id_number.encode())
    return f"{salt.hex()}${digest.hex()}"


def matches(id_number: str, stored: str) -> bool:
    salt, _, _digest = stored.partition("$")
    return hmac.compare_digest(hash_id(id_number, bytes.fromhex(salt)), stored)


def masked(id_number: str) -> str:
    return MASK + id_number[-4:]


def hire_check_problems(values: HireCheckValues, *, today: date) -> dict[str, str]:
    problems: dict[str, str] = {}
    check_text(problems, "name", values.name, limit=32, required="请填写应聘人员姓名")
    if not values.id_number.strip():
        problems["id_number"] = "请填写身份证号"
    elif message := check_id_number(values.id_number, today=today):
        problems["id_number"] = message
    check_text(problems, "job", values.job, limit=32, required="请填写应聘岗位")
    check_day(problems, "requested_on", values.requested_on, label="申请日期", today=today)
    check_text(problems, "basis", values.basis, limit=100,
               required="请写明核查依据或应聘人员的书面同意（没有依据不能核查）")
    if values.phone.strip() and (message := check_phone(values.phone)):
        problems["phone"] = message
    return problems


def answer_problems(*, answered_on: date | None, result: str, notes: str, requested_on: date | None,
                    today: date) -> dict[str, str]:
    problems: dict[str, str] = {}
    check_day(problems, "answered_on", answered_on, label="答复日期", today=today)
    if "answered_on" not in problems and requested_on is not None and answered_on < requested_on:
        problems["answered_on"] = "答复日期不能早于申请日期"
    if result not in HIRE_CHECK_RESULTS:
        problems["result"] = "请选择核查结果：未见异常、需进一步核查或已移交"
    check_text(problems, "notes", notes, limit=500)
    return problems


def earlier_checks(db: Database, *, id_number: str, excluding: str | None = None) -> list[EarlierCheck]:
    """Checks of the same ID number: kept ones by the number, purged ones by their salted hash."""
    number = normalize_id_number(id_number)
    h, e = HireCheck.__table__.c, Enterprise.__table__.c
    query = (select(h.id, e.name.label("enterprise"), h.name, h.requested_on, h.checked_on, h.result, h.id_hash)
             .join(Enterprise.__table__, e.id == h.enterprise_id)
             .where(h.deleted.is_(False), h.id != (excluding or ""),
                    (h.id_number == number) | ((h.id_number == masked(number)) & h.id_hash.is_not(None)))
             .order_by(func.coalesce(h.requested_on, h.checked_on), h.created_at))
    with db.connect() as conn:
        rows = conn.execute(query).all()
    return [EarlierCheck(r.id, r.enterprise, r.name, r.requested_on or r.checked_on,
                         HIRE_CHECK_RESULTS.get(r.result, "")) for r in rows
            if r.id_hash is None or matches(number, r.id_hash)]


def add_hire_check(db: Database, *, enterprise_id: str, values: HireCheckValues, keep_days: int = KEEP_DAYS,
                   officer_id: str | None = None, today: date | None = None) -> Added:
    """Record an enterprise's request to check an applicant; kept until ``keep_days`` after the request."""
    refuse_first(hire_check_problems(values, today=today or date.today()))
    if not 1 <= keep_days <= 3660:
        raise UserError("保存期限应在1天到10年之间")
    number = normalize_id_number(values.id_number)
    earlier = earlier_checks(db, id_number=number)
    with db.session(officer_id=officer_id) as session:
        living(session, Enterprise, enterprise_id, "企业")
        row = HireCheck(enterprise_id=enterprise_id, name=values.name.strip(), id_number=number,
                        phone=normalize_phone(values.phone) or None, job=values.job.strip(),
                        requested_on=values.requested_on, basis=values.basis.strip(),
                        keep_until=values.requested_on + timedelta(days=keep_days))
        session.add(row)
        session.commit()
        return Added(row.id, earlier)


def answer_hire_check(db: Database, *, hire_check_id: str, answered_on: date, result: str, notes: str = "",
                      officer_id: str | None = None, today: date | None = None) -> None:
    """Record the coarse answer (``notes`` stay inside the station: no document prints them)."""
    with db.session(officer_id=officer_id) as session:
        row = living(session, HireCheck, hire_check_id, "核查申请")
        if row.checked_on is not None:
            raise UserError(f"该核查已于{row.checked_on.isoformat()}答复")
        refuse_first(answer_problems(answered_on=answered_on, result=result, notes=notes,
                                     requested_on=row.requested_on, today=today or date.today()))
        row.checked_on, row.result = answered_on, result
        row.officer_id = officer_id or db.officer_id
        row.notes = notes.strip() or None
        session.commit()


def purge_hire_checks(db: Database, *, on: date, keep_days: int = KEEP_DAYS, officer_id: str | None = None) -> int:
    """Mask the ID numbers of checks kept past their keep-until day (before ``on``) to their last four,
    keep a salted hash of each, and drop the phone; returns how many were purged. ~2.5 ms a check.
    Older rows without a keep-until day are kept ``keep_days`` after their request (or answer) day."""
    h = HireCheck.__table__.c
    undated = h.keep_until.is_(None) & (func.coalesce(h.requested_on, h.checked_on) < on - timedelta(days=keep_days))
    with db.session(officer_id=officer_id) as session:
        rows = session.execute(select(HireCheck).where(
            (h.keep_until < on) | undated, h.id_hash.is_(None), h.deleted.is_(False))).scalars().all()
        for row in rows:
            number = normalize_id_number(row.id_number)
            row.id_hash = hash_id(number, os.urandom(16))
            row.id_number, row.phone = masked(number), None
        session.commit()
        return len(rows)


def _query():
    h, e = HireCheck.__table__.c, Enterprise.__table__.c
    return (select(h.id, h.enterprise_id, e.name.label("enterprise"), h.name, h.id_number, h.job, h.requested_on,
                   h.basis, h.checked_on, h.result, h.keep_until, h.id_hash)
            .join(Enterprise.__table__, e.id == h.enterprise_id)
            .where(h.deleted.is_(False)))


def _line(r) -> HireCheckLine:
    return HireCheckLine(r.id, r.enterprise_id, r.enterprise, r.name, r.id_number, r.job or "", r.requested_on,
                         r.basis or "", r.checked_on, r.result or "", r.keep_until, r.id_hash is not None)


def hire_checks_of(db: Database, *, enterprise_id: str) -> list[HireCheckLine]:
    """The enterprise's checks, newest request first (ID numbers in full until purged: mask them to show)."""
    h = HireCheck.__table__.c
    query = _query().where(h.enterprise_id == enterprise_id).order_by(
        func.coalesce(h.requested_on, h.checked_on).desc(), h.created_at.desc())
    with db.connect() as conn:
        return [_line(r) for r in conn.execute(query)]


def hire_checks_between(db: Database, *, start: date, end: date, unanswered_only: bool = False) -> list[HireCheckLine]:
    """Checks requested from ``start`` to ``end`` (older rows: answered then), by enterprise and day."""
    h, e = HireCheck.__table__.c, Enterprise.__table__.c
    if end < start:
        raise UserError("结束日期不能早于开始日期")
    day = func.coalesce(h.requested_on, h.checked_on)  # older rows have no request day
    query = _query().where(day >= start, day <= end)
    if unanswered_only:
        query = query.where(h.checked_on.is_(None))
    with db.connect() as conn:
        return [_line(r) for r in conn.execute(query.order_by(e.name, day, h.created_at))]


def hire_checks_by_id(db: Database, *, hire_check_ids: list[str]) -> list[HireCheckLine]:
    h = HireCheck.__table__.c
    with db.connect() as conn:
        found = {r.id: _line(r) for r in conn.execute(_query().where(h.id.in_(hire_check_ids)))}
    if missing := [i for i in hire_check_ids if i not in found]:
        raise UserError(f"找不到核查申请 {missing[0]}（可能已被删除）")
    return [found[i] for i in hire_check_ids]

"""Registering a dispute (登记) and editing it: checks as the officer types, parties, numbering."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from sqlalchemy import func, or_, select

from app.core.errors import UserError
from app.core.text import format_address, search_terms
from app.core.timeutil import age_on, local_day, local_now
from app.core.validation import (
    check_id_number,
    check_phone,
    id_birth_date,
    id_gender,
    normalize_id_number,
    normalize_phone,
)
from app.core.vocab import DISPUTE_KINDS, DISPUTE_SOURCES, PARTY_ROLES, RISK_LEVELS
from app.disputes.numbering import next_dispute_number
from app.disputes.risk import is_below, suggested_level, text_warnings
from app.disputes.status import REASON_LIMIT, living_dispute, record_event
from db.engine import Database
from db.models import Dispute, DisputeParty, DisputeTransfer, Household, Resident

EARLIEST = datetime(2000, 1, 1).astimezone()
FACTS_LIMIT = 2000
TEXT_LIMITS = {"name": 32, "ethnicity": 16, "occupation": 32, "address": 200}


@dataclass
class PartyValues:
    """One 当事人 with the details an agreement prints (姓名 性别 民族 年龄 职业 住址 联系方式 身份证号)."""

    role: str = "applicant"
    name: str = ""
    gender: str = ""
    ethnicity: str = ""
    age: int | None = None
    occupation: str = ""
    address: str = ""
    phone: str = ""
    id_number: str = ""
    resident_id: str | None = None
    id: str | None = None  # the stored party row when editing


@dataclass
class DisputeValues:
    source: str
    kind: str
    occurred_at: datetime  # aware
    place: str
    facts: str
    risk_level: str = "low"
    community_id: str | None = None
    household_id: str | None = None
    visit_id: str | None = None
    officer_id: str | None = None  # 责任民警
    parties: list[PartyValues] = field(default_factory=list)
    risk_reason: str = ""  # why the level is below what the facts' warnings suggest


@dataclass(frozen=True)
class Registered:
    id: str
    number: str


def party_problems(party: PartyValues, *, today: date | None = None) -> dict[str, str]:
    """Field -> what is wrong with one party; empty when it can be saved."""
    problems: dict[str, str] = {}
    if not party.name.strip():
        problems["name"] = "请填写姓名（单位当事人填单位名称）"
    if party.role not in PARTY_ROLES:
        problems["role"] = "请选择当事人身份"
    if party.gender not in ("", "男", "女"):
        problems["gender"] = "性别应为男或女"
    if party.age is not None and not 0 <= party.age <= 120:
        problems["age"] = "年龄应在0到120岁之间"
    if party.phone.strip() and (message := check_phone(party.phone)):
        problems["phone"] = message
    if party.id_number.strip():
        if message := check_id_number(party.id_number, today=today):
            problems["id_number"] = message
        elif party.gender and party.gender != id_gender(normalize_id_number(party.id_number)):
            problems["gender"] = "性别与身份证号不符"
    for name, limit in TEXT_LIMITS.items():
        if len(getattr(party, name).strip()) > limit:
            problems[name] = f"最多{limit}个字"
    return problems


def dispute_problems(values: DisputeValues, *, now: datetime | None = None) -> dict[str, str]:
    """Field -> what is wrong; party fields are keyed ``party.<index>.<field>``."""
    now = now or local_now()
    problems: dict[str, str] = {}
    if values.source not in DISPUTE_SOURCES:
        problems["source"] = "请选择纠纷来源"
    if values.kind not in DISPUTE_KINDS:
        problems["kind"] = "请选择纠纷类型"
    if values.occurred_at.tzinfo is None:
        raise ValueError("occurred_at must be an aware datetime")
    if values.occurred_at > now + timedelta(minutes=1):  # the form's clock and the save differ a little
        problems["occurred_at"] = "发生时间不能晚于现在"
    elif values.occurred_at < EARLIEST:
        problems["occurred_at"] = "发生时间不合理，请核对年份"
    if not values.place.strip():
        problems["place"] = "请写明发生地点"
    elif len(values.place.strip()) > 200:
        problems["place"] = "地点最多200个字"
    if len(values.facts.strip()) < 5:
        problems["facts"] = "请写明纠纷经过：谁和谁、因为什么、发生了什么"
    elif len(values.facts) > FACTS_LIMIT:
        problems["facts"] = f"最多{FACTS_LIMIT}个字"
    if values.risk_level not in RISK_LEVELS:
        problems["risk_level"] = "请选择风险等级"
    elif (suggested := risk_floor(values.facts)) and is_below(values.risk_level, suggested):
        if not values.risk_reason.strip():
            said = "；".join(w.message for w in text_warnings(values.facts))
            problems["risk_reason"] = f"{said}。程序建议“{RISK_LEVELS[suggested]}”，定为较低等级请写明理由"
        elif len(values.risk_reason.strip()) > REASON_LIMIT:
            problems["risk_reason"] = f"理由最多{REASON_LIMIT}个字"
    roles = {p.role for p in values.parties}
    if not {"applicant", "respondent"} <= roles:
        problems["parties"] = "至少要有一名申请人和一名被申请人"
    for i, party in enumerate(values.parties):
        for name, message in party_problems(party, today=now.date()).items():
            problems[f"party.{i}.{name}"] = message
    return problems


def _clean_party(party: PartyValues, *, today: date) -> PartyValues:
    """Trimmed values; gender and age taken from a valid ID number when left empty."""
    id_number = normalize_id_number(party.id_number)
    gender, age = party.gender, party.age
    if id_number:
        gender = gender or id_gender(id_number)
        if age is None:
            age = age_on(id_birth_date(id_number), today)
    return replace(party, name=party.name.strip(), ethnicity=party.ethnicity.strip(),
                   occupation=party.occupation.strip(), address=party.address.strip(),
                   phone=normalize_phone(party.phone), id_number=id_number, gender=gender, age=age)


def _write_party(row: DisputeParty, party: PartyValues) -> None:
    row.role, row.name, row.resident_id = party.role, party.name, party.resident_id
    for name in ("gender", "ethnicity", "occupation", "address", "phone", "id_number"):
        setattr(row, name, getattr(party, name) or None)
    row.age = party.age


def register_dispute(db: Database, *, values: DisputeValues, officer_id: str | None = None,
                     now: datetime | None = None) -> Registered:
    """Save a new dispute as 待调处 with its parties; the first event of its history is the registration."""
    with db.session(officer_id=officer_id) as session:
        registered = add_dispute(session, db, values=values, officer_id=officer_id, now=now)
        session.commit()
        return registered


def add_dispute(session, db: Database, *, values: DisputeValues, officer_id: str | None = None,
                now: datetime | None = None) -> Registered:
    """The one way a dispute comes into being (the register form, a visit, the CLI), inside the
    caller's transaction: checked, numbered, its parties, and the registration event."""
    now = now or local_now()
    if problems := dispute_problems(values, now=now):
        raise UserError(next(iter(problems.values())))
    number = next_dispute_number(session, device_code=db.device.short_code,
                                 year=values.occurred_at.astimezone().year)
    dispute = Dispute(number=number, status="pending", occurred_at=values.occurred_at)
    _write_dispute(dispute, values)
    dispute.officer_id = values.officer_id or officer_id  # whoever registers it answers for it until reassigned
    session.add(dispute)
    session.flush()
    for party in values.parties:
        row = DisputeParty(dispute_id=dispute.id, role=party.role, name="")
        _write_party(row, _clean_party(party, today=now.date()))
        session.add(row)
    if values.source == "center":  # handed over by the 矛调中心: the flow starts with a transfer in
        session.add(DisputeTransfer(dispute_id=dispute.id, direction="in", body="矛调中心",
                                    transferred_on=local_day(values.occurred_at)))
    record_event(session, dispute_id=dispute.id, action="register", from_value=None, to_value="pending",
                 reason=f"登记（{DISPUTE_SOURCES[values.source]}）", officer_id=officer_id)
    _record_lower_risk(session, dispute.id, values, was=risk_floor(values.facts), officer_id=officer_id)
    return Registered(dispute.id, number)


def risk_floor(facts: str) -> str | None:
    """The level the facts' own warnings (threat, weapon, extreme acts …) ask for, if any."""
    return suggested_level(text_warnings(facts))


def _record_lower_risk(session, dispute_id: str, values: DisputeValues, *, was: str | None,
                       officer_id: str | None) -> None:
    """A level below the program's suggestion stands only with the officer's reason, kept in the history."""
    if is_below(values.risk_level, risk_floor(values.facts)):
        record_event(session, dispute_id=dispute_id, action="risk", from_value=was,
                     to_value=values.risk_level, reason=f"低于程序建议：{values.risk_reason.strip()}",
                     officer_id=officer_id)


def _write_dispute(dispute: Dispute, values: DisputeValues) -> None:
    dispute.source, dispute.kind, dispute.occurred_at = values.source, values.kind, values.occurred_at
    dispute.place, dispute.facts = values.place.strip(), values.facts.strip()
    dispute.risk_level = values.risk_level
    dispute.community_id, dispute.household_id = values.community_id, values.household_id
    dispute.visit_id, dispute.officer_id = values.visit_id, values.officer_id


def update_dispute(db: Database, *, dispute_id: str, values: DisputeValues, officer_id: str | None = None,
                   now: datetime | None = None) -> None:
    """Correct a registered dispute: its facts and parties (removed parties are soft-deleted)."""
    now = now or local_now()
    if problems := dispute_problems(values, now=now):
        raise UserError(next(iter(problems.values())))
    with db.session(officer_id=officer_id) as session:
        dispute = living_dispute(session, dispute_id)
        was_below = is_below(dispute.risk_level, risk_floor(dispute.facts))
        if is_below(values.risk_level, risk_floor(values.facts)):
            if dispute.risk_level != values.risk_level or not was_below:
                _record_lower_risk(session, dispute.id, values, was=dispute.risk_level, officer_id=officer_id)
        elif dispute.risk_level != values.risk_level:
            record_event(session, dispute_id=dispute.id, action="risk", from_value=dispute.risk_level,
                         to_value=values.risk_level, reason="修改登记信息时调整", officer_id=officer_id)
        _write_dispute(dispute, values)
        stored = {p.id: p for p in session.execute(select(DisputeParty).where(
            DisputeParty.dispute_id == dispute_id, DisputeParty.deleted.is_(False))).scalars()}
        for party in values.parties:
            row = stored.pop(party.id, None) if party.id else None
            if row is None:
                row = DisputeParty(dispute_id=dispute_id, role=party.role, name="")
                session.add(row)
            _write_party(row, _clean_party(party, today=now.date()))
        for row in stored.values():
            row.deleted = True
        session.commit()


def dispute_values(db: Database, dispute_id: str) -> DisputeValues:
    """A stored dispute as form values, for editing."""
    with db.session() as session:
        d = session.get(Dispute, dispute_id)
        if d is None or d.deleted:
            raise UserError("该纠纷不存在或已被删除")
        parties = session.execute(select(DisputeParty).where(
            DisputeParty.dispute_id == dispute_id, DisputeParty.deleted.is_(False))
            .order_by(DisputeParty.created_at, DisputeParty.id)).scalars()
        return DisputeValues(
            source=d.source, kind=d.kind, occurred_at=d.occurred_at, place=d.place or "", facts=d.facts,
            risk_level=d.risk_level, community_id=d.community_id, household_id=d.household_id,
            visit_id=d.visit_id, officer_id=d.officer_id,
            parties=[PartyValues(role=p.role, name=p.name, gender=p.gender or "", ethnicity=p.ethnicity or "",
                                 age=p.age, occupation=p.occupation or "", address=p.address or "",
                                 phone=p.phone or "", id_number=p.id_number or "", resident_id=p.resident_id,
                                 id=p.id) for p in parties])


@dataclass(frozen=True)
class ResidentChoice:
    id: str
    name: str
    gender: str
    birth_date: date | None
    address: str
    household_id: str | None
    community_id: str | None
    id_tail: str  # last four digits of the ID number, enough to tell namesakes apart


def find_residents(db: Database, *, text: str, limit: int = 20) -> list[ResidentChoice]:
    """Living residents whose name, phone or ID number holds every term (for picking a party)."""
    terms = search_terms(text)
    if not terms:
        return []
    r, h = Resident.__table__.c, Household.__table__.c
    query = (select(r.id, r.name, r.gender, r.birth_date, r.id_number, r.household_id, h.community_id,
                    h.estate, h.building, h.unit, h.room)
             .outerjoin(Household.__table__, h.id == r.household_id)
             .where(r.deleted.is_(False)))
    for term in terms:
        query = query.where(or_(*(func.instr(func.upper(func.coalesce(c, "")), term) > 0
                                  for c in (r.name, r.phone, r.id_number))))
    with db.connect() as conn:
        rows = conn.execute(query.order_by(r.name, r.id).limit(limit)).all()
    return [ResidentChoice(row.id, row.name, row.gender or "", row.birth_date,
                           format_address(row.estate, row.building, row.unit, row.room) if row.estate else "",
                           row.household_id, row.community_id, (row.id_number or "")[-4:]) for row in rows]


def party_from_resident(db: Database, *, resident_id: str, role: str = "applicant",
                        today: date | None = None) -> PartyValues:
    """An existing resident as a party: everything the agreement needs, filled in."""
    today = today or date.today()
    r, h = Resident.__table__.c, Household.__table__.c
    with db.connect() as conn:
        row = conn.execute(
            select(r.name, r.gender, r.ethnicity, r.birth_date, r.occupation, r.phone, r.id_number,
                   h.estate, h.building, h.unit, h.room)
            .outerjoin(Household.__table__, h.id == r.household_id).where(r.id == resident_id)).first()
    if row is None:
        raise UserError("该人员不存在")
    address = format_address(row.estate, row.building, row.unit, row.room) if row.estate else ""
    return PartyValues(role=role, name=row.name, gender=row.gender or "", ethnicity=row.ethnicity or "",
                       age=age_on(row.birth_date, today),
                       occupation=row.occupation or "", address=address, phone=row.phone or "",
                       id_number=row.id_number or "", resident_id=resident_id)

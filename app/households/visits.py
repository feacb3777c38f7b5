"""Door-to-door visits (入户走访): checks, recording (with a dispute found on the visit), one visit's record."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from app.core.errors import UserError
from app.core.privacy import mask_phone
from app.core.text import format_address
from app.core.timeutil import age_on, local_now
from app.core.vocab import HOUSEHOLD_KINDS, OFFICER_ROLES, VISIT_PURPOSES
from app.disputes.register import DisputeValues, PartyValues, add_dispute, dispute_problems, risk_floor
from db.engine import Database
from db.models import Campaign, Community, Dispute, Grid, Household, Officer, Resident, Visit, VisitResident

TEXT_LIMIT = 1000  # characters per free-text box: it must fit on one page of the printed sheet
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)

V, VR, R, H = Visit.__table__.c, VisitResident.__table__.c, Resident.__table__.c, Household.__table__.c
OFF, D = Officer.__table__.c, Dispute.__table__.c


@dataclass(frozen=True)
class DisputeNote:
    """发现矛盾纠纷: what the officer notes on the visit; registered as any dispute is
    (app.disputes.register.add_dispute), at the level the facts' warnings ask for."""

    kind: str  # app.core.vocab.DISPUTE_KINDS
    facts: str
    applicant: PartyValues | None = None  # who raised it (a resident of the household, usually)
    respondent: str = ""  # the other side's name, as far as known (楼上住户王某)

    def as_dispute(self, *, visited_at: datetime, place: str = "", community_id: str | None = None,
                   household_id: str | None = None, visit_id: str | None = None,
                   officer_id: str | None = None) -> DisputeValues:
        applicant = replace(self.applicant or PartyValues(), role="applicant")
        return DisputeValues(
            source="visit", kind=self.kind, occurred_at=visited_at, place=place or "（走访住户）", facts=self.facts,
            risk_level=risk_floor(self.facts) or "low", community_id=community_id, household_id=household_id,
            visit_id=visit_id, officer_id=officer_id,
            parties=[applicant, PartyValues(role="respondent", name=self.respondent)])


# The dispute form's field names as the visit form's 发现矛盾纠纷 box calls them.
_NOTE_FIELDS = {"kind": "dispute_kind", "facts": "dispute_facts", "parties": "dispute_respondent",
                "party.0.name": "dispute_applicant", "party.1.name": "dispute_respondent"}
_NOTE_MESSAGES = {"party.0.name": "请选择提出纠纷的人员", "party.1.name": "请写明对方（姓名或称呼，如楼上住户王某）"}


@dataclass(frozen=True)
class VisitValues:
    household_id: str
    visited_at: datetime  # aware
    officer_id: str | None = None
    companions: str = ""  # 辅警王强、网格员李梅
    purposes: tuple[str, ...] = ()
    met: Mapping[str, bool] = field(default_factory=dict)  # resident id -> 是否见面
    findings: str = ""
    requests: str = ""  # 社情民意
    hazards: str = ""
    follow_up: str = ""
    campaign_id: str | None = None
    dispute: DisputeNote | None = None


@dataclass(frozen=True)
class SavedVisit:
    visit_id: str
    dispute_id: str | None = None
    dispute_number: str | None = None


@dataclass(frozen=True)
class MetResident:
    id: str
    name: str
    relation: str
    gender: str
    age: int | None
    phone: str  # masked
    met: bool | None  # None: not noted on this visit


@dataclass(frozen=True)
class VisitRecord:
    """One visit with everything the printed sheet shows."""

    id: str
    visited_at: datetime
    household_id: str
    address: str
    community: str
    grid: str
    kind: str
    tags: str
    head_name: str
    phone: str  # masked
    officer: str
    companions: str
    purposes: tuple[str, ...]
    residents: list[MetResident]
    findings: str
    requests: str
    hazards: str
    follow_up: str
    campaign: str
    dispute_number: str | None


@dataclass(frozen=True)
class OfficerChoice:
    id: str
    name: str
    role: str  # label: 民警/辅警/所领导


def visit_problems(values: VisitValues, *, now: datetime | None = None) -> dict[str, str]:
    """Field -> what is wrong with it; empty when the visit can be saved."""
    now = now or local_now()
    problems = {}
    if values.visited_at.tzinfo is None:
        raise ValueError("visited_at must be an aware datetime")
    # A minute of slack: the form's clock reading and the save are not the same instant.
    if values.visited_at > now + timedelta(minutes=1):
        problems["visited_at"] = "走访时间不能晚于现在"
    elif values.visited_at < EARLIEST:
        problems["visited_at"] = "走访时间不合理，请核对年份"
    if not values.purposes:
        problems["purposes"] = "请至少选择一项走访事由"
    elif unknown := [p for p in values.purposes if p not in VISIT_PURPOSES]:
        problems["purposes"] = f"没有这个走访事由：{'、'.join(unknown)}"
    if len(values.companions) > 200:
        problems["companions"] = "同行人员最多200个字"
    for name in ("findings", "requests", "hazards", "follow_up"):
        if len(getattr(values, name)) > TEXT_LIMIT:
            problems[name] = f"最多{TEXT_LIMIT}个字"
    if values.dispute is not None:
        found = dispute_problems(values.dispute.as_dispute(visited_at=values.visited_at), now=now)
        for name, message in found.items():
            field_name = _NOTE_FIELDS.get(name, "dispute_applicant" if name.startswith("party.") else "dispute")
            problems.setdefault(field_name, _NOTE_MESSAGES.get(name, message))
    return problems


def record_visit(db: Database, *, values: VisitValues, officer_id: str | None = None, visit_id: str | None = None,
                 now: datetime | None = None) -> SavedVisit:
    """Save a new visit (or edit ``visit_id``) with the residents met; a noted dispute becomes a
    pending, low-risk dispute linked to the visit and household. ``officer_id`` stamps the change."""
    if problems := visit_problems(values, now=now):
        raise UserError(next(iter(problems.values())))
    with db.session(officer_id=officer_id) as session:
        household = session.get(Household, values.household_id)
        if household is None or household.deleted:
            raise UserError("该住户已被删除，无法记录走访")
        if visit_id is None:
            visit = Visit(household_id=values.household_id, visited_at=values.visited_at)
            session.add(visit)
        else:
            visit = session.get(Visit, visit_id)
            if visit is None or visit.deleted:
                raise UserError("该走访记录已被删除，无法保存")
        visit.household_id, visit.visited_at = values.household_id, values.visited_at.astimezone(UTC)
        visit.officer_id, visit.companions = values.officer_id, values.companions.strip()
        visit.purposes = ",".join(p for p in VISIT_PURPOSES if p in values.purposes)
        for name in ("findings", "requests", "hazards", "follow_up"):
            setattr(visit, name, getattr(values, name).strip() or None)
        visit.campaign_id = values.campaign_id
        session.flush()
        _save_met(session, visit.id, values.met)
        saved = SavedVisit(visit.id)
        if values.dispute is not None and not _has_dispute(session, visit.id):
            registered = add_dispute(session, db, officer_id=officer_id, now=now, values=values.dispute.as_dispute(
                visited_at=values.visited_at, place=format_address(household.estate, household.building,
                                                                   household.unit, household.room),
                community_id=household.community_id, household_id=household.id, visit_id=visit.id,
                officer_id=visit.officer_id))
            saved = SavedVisit(visit.id, registered.id, registered.number)
        session.commit()
        return saved


def _save_met(session, visit_id: str, met: Mapping[str, bool]) -> None:
    rows = {row.resident_id: row for row in session.execute(
        select(VisitResident).where(VisitResident.visit_id == visit_id)).scalars()}
    for resident_id, was_met in met.items():
        row = rows.get(resident_id)
        if row is None:
            session.add(VisitResident(visit_id=visit_id, resident_id=resident_id, met=bool(was_met)))
        else:
            row.met, row.deleted = bool(was_met), False


def _has_dispute(session, visit_id: str) -> bool:
    return session.execute(select(D.id).where(D.visit_id == visit_id, D.deleted.is_(False))).first() is not None


def delete_visit(db: Database, *, visit_id: str, officer_id: str | None = None) -> None:
    """Soft-delete a visit recorded by mistake (a dispute it opened stays: the dispute tab owns it)."""
    with db.session(officer_id=officer_id) as session:
        visit = session.get(Visit, visit_id)
        if visit is None or visit.deleted:
            raise UserError("该走访记录不存在或已被删除")
        visit.deleted = True
        session.commit()


def visit_values(db: Database, visit_id: str) -> VisitValues | None:
    """A stored visit as the form edits it; None when unknown or deleted."""
    with db.connect() as conn:
        v = conn.execute(select(Visit.__table__).where(V.id == visit_id, V.deleted.is_(False))).first()
        if v is None:
            return None
        met = dict(conn.execute(select(VR.resident_id, VR.met).where(VR.visit_id == visit_id,
                                                                      VR.deleted.is_(False))).all())
    return VisitValues(
        household_id=v.household_id, visited_at=v.visited_at, officer_id=v.officer_id, companions=v.companions,
        purposes=tuple(p for p in v.purposes.split(",") if p), met=met, findings=v.findings or "",
        requests=v.requests or "", hazards=v.hazards or "", follow_up=v.follow_up or "", campaign_id=v.campaign_id)


def visit_record(db: Database, visit_id: str, *, today: date | None = None) -> VisitRecord:
    """Everything about one visit for its printed sheet; UserError when there is no such visit."""
    today = today or date.today()
    community, grid, campaign = Community.__table__.c, Grid.__table__.c, Campaign.__table__.c
    with db.connect() as conn:
        v = conn.execute(
            select(Visit.__table__, H.estate, H.building, H.unit, H.room, H.kind, H.tags, H.head_name, H.phone,
                   community.name.label("community"), grid.name.label("grid"), OFF.name.label("officer"),
                   campaign.name.label("campaign"))
            .join(Household.__table__, H.id == V.household_id)
            .outerjoin(Community.__table__, community.id == H.community_id)
            .outerjoin(Grid.__table__, grid.id == H.grid_id)
            .outerjoin(Officer.__table__, OFF.id == V.officer_id)
            .outerjoin(Campaign.__table__, campaign.id == V.campaign_id)
            .where(V.id == visit_id, V.deleted.is_(False))
        ).first()
        if v is None:
            raise UserError(f"没有这条走访记录：{visit_id}")
        met = dict(conn.execute(select(VR.resident_id, VR.met).where(VR.visit_id == visit_id,
                                                                      VR.deleted.is_(False))).all())
        # The people noted on the visit, and whoever lives there now.
        people = conn.execute(
            select(R.id, R.name, R.relation, R.gender, R.birth_date, R.phone)
            .where(((R.household_id == v.household_id) & R.deleted.is_(False)) | R.id.in_(list(met)))
            .order_by(R.relation != "户主", R.birth_date)
        ).all()
        number = conn.execute(select(D.number).where(D.visit_id == visit_id, D.deleted.is_(False))
                              .order_by(D.number).limit(1)).scalar()
    return VisitRecord(
        id=v.id, visited_at=v.visited_at, household_id=v.household_id,
        address=format_address(v.estate, v.building, v.unit, v.room), community=v.community or "",
        grid=v.grid or "", kind=HOUSEHOLD_KINDS.get(v.kind, v.kind), tags=v.tags.replace(",", "、"),
        head_name=v.head_name or "", phone=mask_phone(v.phone), officer=v.officer or "", companions=v.companions,
        purposes=tuple(p for p in v.purposes.split(",") if p),
        residents=[MetResident(id=p.id, name=p.name, relation=p.relation or "", gender=p.gender or "",
                               age=age_on(p.birth_date, today), phone=mask_phone(p.phone), met=met.get(p.id))
                   for p in people],
        findings=v.findings or "", requests=v.requests or "", hazards=v.hazards or "",
        follow_up=v.follow_up or "", campaign=v.campaign or "", dispute_number=number)


def officer_choices(db: Database) -> list[OfficerChoice]:
    """Active accounts who can lead a visit, 民警 first."""
    with db.connect() as conn:
        rows = conn.execute(
            select(OFF.id, OFF.name, OFF.role).where(OFF.deleted.is_(False), OFF.active.is_(True))
            .order_by(OFF.role == "auxiliary", OFF.name)
        ).all()
    return [OfficerChoice(r.id, r.name, OFFICER_ROLES.get(r.role, r.role)) for r in rows]


def companion_suggestions(db: Database, *, household_id: str) -> list[str]:
    """Who usually comes along: the household's grid worker, then the auxiliary officers."""
    grid = Grid.__table__.c
    with db.connect() as conn:
        worker = conn.execute(select(grid.grid_worker).join(Household.__table__, H.grid_id == grid.id)
                              .where(H.id == household_id)).scalar()
        auxiliaries = conn.execute(select(OFF.name).where(OFF.role == "auxiliary", OFF.active.is_(True),
                                                        OFF.deleted.is_(False)).order_by(OFF.name)).scalars().all()
    return ([f"网格员{worker}"] if worker else []) + [f"辅警{name}" for name in auxiliaries]


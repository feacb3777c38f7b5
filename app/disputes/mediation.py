"""Mediation sessions (调解记录) and agreements (调解协议书): checks, saving, the printable document."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import or_, select

from app.core.errors import UserError
from app.core.timeutil import day_start, local_now, moment_of
from app.core.vocab import DISPUTE_KINDS, MEDIATION_KINDS, in_party_order
from app.disputes.numbering import next_agreement_number
from app.disputes.register import PartyValues, Registered
from app.disputes.status import apply_transition, can_move, living_dispute
from db.engine import Database
from db.models import Agreement, Community, Dispute, DisputeParty, MediationSession, Officer

AGREEMENT_KINDS = {"people": "人民调解协议书", "security": "治安调解协议书"}
PERFORMANCE = {"on_the_spot": "当场履行", "promised": "承诺履行"}
TERM_LIMIT = 500
TEXT_LIMIT = 2000
_N = "(?:[0-9０-９]+|[一二三四五六七八九十百两半几数]+)"  # not mixed: 李四3日内 is "3日内"
# What makes a term something to do later: a period (三日内, 10天内, 一个月内), a day (月底前,
# 2026年12月1日, 12月1日), "before" (之前, 前完成), instalments (分三期, 每月) or a 期限.
_DEADLINE = re.compile(
    rf"{_N}\s*个?(?:工作日|日|天|周|星期|月|年|小时)(?:之|以)?内"
    r"|[月年周]底前|[月年]末前|之前|前(?:完成|履行|付清|支付|缴清|还清|交付|返还|归还|赔偿|清理|修复|搬离|办理|给付)"
    r"|期限|截止|限期|分期|分" + _N + r"期|每[月周年]"
    r"|\d{4}\s*[年./-]\s*\d{1,2}\s*[月./-]\s*\d{1,2}[日号]?|" + _N + r"月" + _N + r"[日号]"
)


@dataclass
class SessionValues:
    held_at: datetime  # aware
    kind: str = "people"
    place: str = ""
    host: str = ""  # 主持人
    mediators: str = ""  # 调解员, separated by 、
    attendees: str = ""  # 参加人
    record: str = ""  # 调解记录


def session_problems(values: SessionValues, *, occurred_at: datetime | None = None,
                     now: datetime | None = None) -> dict[str, str]:
    now = now or local_now()
    problems: dict[str, str] = {}
    if values.held_at > now + timedelta(minutes=1):
        problems["held_at"] = "调解时间不能晚于现在"
    elif occurred_at is not None and values.held_at < day_start(occurred_at.astimezone().date()):
        problems["held_at"] = "调解时间不能早于纠纷发生的那天"
    if values.kind not in MEDIATION_KINDS:
        problems["kind"] = "请选择调解类型"
    if not values.host.strip():
        problems["host"] = "请填写主持人"
    for name, limit in (("host", 32), ("place", 200), ("mediators", 200), ("attendees", 400),
                        ("record", TEXT_LIMIT)):
        if len(getattr(values, name).strip()) > limit:
            problems[name] = f"最多{limit}个字"
    return problems


def add_session(db: Database, *, dispute_id: str, values: SessionValues, officer_id: str | None = None,
                now: datetime | None = None) -> str:
    """Record a mediation session; a 待调处 dispute moves to 调处中 with it."""
    with db.session(officer_id=officer_id) as session:
        dispute = living_dispute(session, dispute_id)
        if problems := session_problems(values, occurred_at=dispute.occurred_at, now=now):
            raise UserError(next(iter(problems.values())))
        row = MediationSession(dispute_id=dispute_id, held_at=values.held_at, kind=values.kind,
                               place=values.place.strip() or None, host=values.host.strip(),
                               mediators=values.mediators.strip(), attendees=values.attendees.strip(),
                               record=values.record.strip() or None)
        session.add(row)
        if dispute.status == "pending":
            apply_transition(session, dispute, to="mediating", officer_id=officer_id,
                             reason=f"{MEDIATION_KINDS[values.kind]}：组织调解")
        session.commit()
        return row.id


@dataclass
class AgreementValues:
    kind: str = "people"  # people/security
    facts: str = ""  # 纠纷主要事实
    issues: str = ""  # 争议事项
    responsibilities: str = ""  # 责任认定
    terms: list[str] = field(default_factory=list)  # in order
    performance: str = ""  # on_the_spot/promised: the officer chooses, there is no default
    deadline: date | None = None
    copies: int | None = None  # None: as the rule says (agreement_copies); anything else must agree
    signed_on: date | None = None


def agreement_copies(parties: int) -> int:
    """How many copies an agreement is made in: each party keeps one and the mediating body one."""
    return parties + 1


def term_deadline(terms: list[str]) -> str | None:
    """The first words of ``terms`` that set a time to perform (三日内, 月底前, 12月1日…), if any."""
    for term in terms:
        if found := _DEADLINE.search(term):
            return found.group()
    return None


def agreement_problems(values: AgreementValues, *, parties: int = 2, today: date | None = None,
                       occurred_on: date | None = None) -> dict[str, str]:
    """Field -> what is wrong; ``parties`` is how many sign (each keeps a copy)."""
    today = today or date.today()
    problems: dict[str, str] = {}
    if values.kind not in AGREEMENT_KINDS:
        problems["kind"] = "请选择协议书种类"
    if not values.facts.strip():
        problems["facts"] = "请写明纠纷主要事实"
    elif len(values.facts) > TEXT_LIMIT:
        problems["facts"] = f"最多{TEXT_LIMIT}个字"
    if not values.issues.strip():
        problems["issues"] = "请写明争议事项"
    terms = [t.strip() for t in values.terms if t.strip()]
    if not terms:
        problems["terms"] = "请至少写一条协议内容（每行一条）"
    elif any(len(t) > TERM_LIMIT for t in terms):
        problems["terms"] = f"每条协议内容最多{TERM_LIMIT}个字"
    if values.signed_on is None:
        problems["signed_on"] = "请填写签订日期"
    elif values.signed_on > today:
        problems["signed_on"] = "签订日期不能晚于今天"
    elif occurred_on is not None and values.signed_on < occurred_on:
        problems["signed_on"] = "签订日期不能早于纠纷发生日期"
    if values.performance not in PERFORMANCE:
        problems["performance"] = "请选择履行方式"
    elif values.performance == "promised":
        if values.deadline is None:
            problems["deadline"] = "承诺履行须写明履行期限"
        elif values.signed_on and values.deadline < values.signed_on:
            problems["deadline"] = "履行期限不能早于签订日期"
    elif (words := term_deadline(terms)) is not None:  # the PDF would say 于签订时当场履行完毕
        problems["performance"] = f"协议内容有履行期限（“{words}”），不是当场履行：请选承诺履行并填写履行期限"
    if values.copies is not None and values.copies != agreement_copies(parties):
        problems["copies"] = f"份数应为{agreement_copies(parties)}份（当事人各执一份，调解组织留存一份）"
    return problems


def agreement_defaults(db: Database, dispute_id: str, *, today: date | None = None) -> AgreementValues:
    """A new agreement prefilled from the dispute: its facts, the kind of its last mediation, copies.

    The performance is left for the officer to choose: it depends on the terms not yet written."""
    with db.session() as session:
        dispute = living_dispute(session, dispute_id)
        last = _last_session(session, dispute_id)
        parties = len(_parties(session, dispute_id))
    return AgreementValues(kind="security" if last is not None and last.kind == "security" else "people",
                           facts=dispute.facts, issues=f"{DISPUTE_KINDS.get(dispute.kind, '')}纠纷的处理",
                           copies=agreement_copies(parties), signed_on=today or date.today())


def create_agreement(db: Database, *, dispute_id: str, values: AgreementValues, officer_id: str | None = None,
                     mark_resolved: bool = True, today: date | None = None) -> Registered:
    """Save an agreement with the next 协议编号; with ``mark_resolved`` the dispute becomes 已化解."""
    today = today or date.today()
    with db.session(officer_id=officer_id) as session:
        dispute = living_dispute(session, dispute_id)
        parties = _parties(session, dispute_id)
        if not {"applicant", "respondent"} <= {p.role for p in parties}:
            raise UserError("协议书需要双方当事人：请先在纠纷登记中补充申请人和被申请人")
        occurred_on = dispute.occurred_at.astimezone().date()
        if problems := agreement_problems(values, parties=len(parties), today=today, occurred_on=occurred_on):
            raise UserError(next(iter(problems.values())))
        number = next_agreement_number(session, device_code=db.device.short_code, year=values.signed_on.year)
        row = Agreement(dispute_id=dispute_id, number=number, kind=values.kind, facts=values.facts.strip(),
                        issues=values.issues.strip(), responsibilities=values.responsibilities.strip() or None,
                        terms=[t.strip() for t in values.terms if t.strip()], performance=values.performance,
                        deadline=values.deadline if values.performance == "promised" else None,
                        copies=agreement_copies(len(parties)), signed_on=values.signed_on)
        session.add(row)
        session.flush()
        if mark_resolved and dispute.status != "resolved":
            _resolve(session, dispute, number=number, officer_id=officer_id, signed_on=values.signed_on,
                     today=today)
        session.commit()
        return Registered(row.id, number)


def _resolve(session, dispute: Dispute, *, number: str, officer_id: str | None, signed_on: date,
             today: date) -> None:
    # Settled on the signing day: the time of day matters only to order the history.
    at = moment_of(signed_on, today=today, not_before=dispute.occurred_at)
    reason = f"达成调解协议（{number}）"
    if not can_move(dispute.status, "resolved") and can_move(dispute.status, "mediating"):
        apply_transition(session, dispute, to="mediating", reason=reason, officer_id=officer_id, at=at)
    if can_move(dispute.status, "resolved"):
        apply_transition(session, dispute, to="resolved", reason=reason, officer_id=officer_id, at=at)


def find_agreement(db: Database, id_or_number: str) -> str:
    """An agreement's id from its id or its 协议编号 (what an officer reads off the paper)."""
    a = Agreement.__table__.c
    key = id_or_number.strip()
    with db.connect() as conn:
        found = conn.execute(select(a.id).where(or_(a.id == key, a.number == key.upper()),
                                                a.deleted.is_(False))).scalar()
    if found is None:
        raise UserError(f"没有这份调解协议：{key}")
    return found


@dataclass(frozen=True)
class AgreementDocument:
    """Everything the printed 协议书 shows."""

    kind: str
    number: str
    dispute_number: str
    parties: list[PartyValues]
    facts: str
    issues: str
    responsibilities: str
    terms: list[str]
    performance: str
    deadline: date | None
    signed_on: date | None
    body: str  # 人民调解委员会 or the police room that mediated
    host: str
    mediators: list[str]
    place: str

    @property
    def title(self) -> str:
        return AGREEMENT_KINDS[self.kind]

    @property
    def copies(self) -> int:
        """From the parties who sign it, whatever an older record stored."""
        return agreement_copies(len(self.parties))


def agreement_document(db: Database, agreement_id: str) -> AgreementDocument:
    with db.session() as session:
        agreement = session.get(Agreement, agreement_id)
        if agreement is None or agreement.deleted:
            raise UserError("这份调解协议不存在或已被删除")
        dispute = session.get(Dispute, agreement.dispute_id)
        last = _last_session(session, dispute.id)
        community = session.get(Community, dispute.community_id) if dispute.community_id else None
        officer = session.get(Officer, dispute.officer_id) if dispute.officer_id else None
        parties = [PartyValues(role=p.role, name=p.name, gender=p.gender or "", ethnicity=p.ethnicity or "",
                               age=p.age, occupation=p.occupation or "", address=p.address or "",
                               phone=p.phone or "", id_number=p.id_number or "", resident_id=p.resident_id, id=p.id)
                   for p in _parties(session, dispute.id)]
    if agreement.kind == "security":
        body = (community and community.police_room) or (officer and officer.police_room) or "公安派出所"
    else:
        body = f"{community.name}人民调解委员会" if community else "人民调解委员会"
    mediators = [m.strip() for m in (last.mediators if last else "").replace(",", "、").split("、") if m.strip()]
    host = (last.host if last else None) or (officer.name if officer else "")
    return AgreementDocument(
        kind=agreement.kind, number=agreement.number, dispute_number=dispute.number, parties=parties,
        facts=agreement.facts, issues=agreement.issues, responsibilities=agreement.responsibilities or "",
        terms=list(agreement.terms), performance=agreement.performance, deadline=agreement.deadline,
        signed_on=agreement.signed_on, body=body, host=host,
        mediators=mediators or ([host] if host else []), place=(last.place if last else None) or "")


def _last_session(session, dispute_id: str) -> MediationSession | None:
    return session.execute(select(MediationSession).where(
        MediationSession.dispute_id == dispute_id, MediationSession.deleted.is_(False))
        .order_by(MediationSession.held_at.desc())).scalars().first()


def _parties(session, dispute_id: str) -> list[DisputeParty]:
    return in_party_order(session.execute(select(DisputeParty).where(
        DisputeParty.dispute_id == dispute_id, DisputeParty.deleted.is_(False))
        .order_by(DisputeParty.created_at, DisputeParty.id)).scalars())

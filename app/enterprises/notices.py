"""The rectification flow of an inspection: 检查 -> 责令限期整改通知书 -> 复查 -> 复查通过 / 转执法办案.

``flow_state`` says where an inspection stands; ``issue_notice`` and ``record_recheck`` are the two
moves, each refused with the reason in Chinese when the state does not allow it. The notice and the
re-check take ids derived from the inspection's: two laptops cannot give one inspection two notices."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from app.core.errors import UserError
from app.core.records import living, refuse_first
from app.core.vocab import RECHECK_OUTCOMES
from app.enterprises.common import (
    check_day,
    check_inspectors,
    check_text,
    derived_id,
    joined,
    split_names,
)
from app.enterprises.numbering import next_notice_number, next_recheck_number
from db.engine import Database
from db.models import Enterprise, Inspection, Recheck, Rectification, RectificationNotice

FLOW_STATES = {
    "passed": "检查合格",
    "notice_due": "待下发整改通知书",
    "rectifying": "限期整改中",
    "recheck_passed": "复查通过",
    "enforcement": "逾期未改，已转执法办案",
}
OPINION_LIMIT = 1000


@dataclass
class NoticeValues:
    issued_on: date
    issuer: str  # 签发人
    addressee: str = ""  # 被通知单位; the enterprise's name when empty
    deadline: date | None = None  # 在…日前改正; the latest of the items' deadlines when None
    delivered_on: date | None = None  # 送达日期 (the stub), may come later (``deliver_notice``)
    receiver: str = ""  # who signed for it


@dataclass
class RecheckValues:
    rechecked_on: date
    inspectors: tuple[str, ...]
    opinion: str
    outcome: str  # RECHECK_OUTCOMES: passed/enforcement
    fixed: tuple[str, ...] = field(default_factory=tuple)  # rectification ids seen put right


@dataclass(frozen=True)
class Numbered:
    id: str
    number: str


def notice_id_of(inspection_id: str) -> str:
    return derived_id("notice", inspection_id)


def recheck_id_of(inspection_id: str) -> str:
    return derived_id("recheck", inspection_id)


def _state(session, inspection: Inspection) -> str:
    recheck = session.get(Recheck, recheck_id_of(inspection.id))
    if recheck is not None and not recheck.deleted:
        return "recheck_passed" if recheck.outcome == "passed" else "enforcement"
    notice = session.get(RectificationNotice, notice_id_of(inspection.id))
    if notice is not None and not notice.deleted:
        return "rectifying"
    return "passed" if inspection.result == "passed" else "notice_due"


def flow_state(db: Database, *, inspection_id: str) -> str:
    """Where the inspection stands: a ``FLOW_STATES`` code."""
    with db.session() as session:
        return _state(session, living(session, Inspection, inspection_id, "安全检查"))


def _open_items(session, inspection_id: str) -> list[Rectification]:
    r = Rectification
    return list(session.execute(select(r).where(r.inspection_id == inspection_id, r.deleted.is_(False))
                                .order_by(r.deadline, r.created_at, r.id)).scalars())


def notice_problems(values: NoticeValues, *, inspected_on: date | None = None, today: date) -> dict[str, str]:
    """``inspected_on``: the inspection's day, when known (a notice is issued after it)."""
    problems: dict[str, str] = {}
    check_day(problems, "issued_on", values.issued_on, label="下发日期", today=today)
    if "issued_on" not in problems and inspected_on is not None and values.issued_on < inspected_on:
        problems["issued_on"] = "下发日期不能早于检查日期"
    check_text(problems, "issuer", values.issuer, limit=32, required="请填写签发人")
    check_text(problems, "addressee", values.addressee, limit=100)
    if values.deadline is not None and values.issued_on is not None and values.deadline <= values.issued_on:
        problems["deadline"] = "改正期限应晚于下发日期"
    if values.delivered_on is not None:
        check_day(problems, "delivered_on", values.delivered_on, label="送达日期", today=today)
        if "delivered_on" not in problems and values.issued_on and values.delivered_on < values.issued_on:
            problems["delivered_on"] = "送达日期不能早于下发日期"
    check_text(problems, "receiver", values.receiver, limit=32)
    return problems


def issue_notice(db: Database, *, inspection_id: str, values: NoticeValues, officer_id: str | None = None,
                 today: date | None = None) -> Numbered:
    """Issue the 责令限期整改通知书 of a failed inspection, numbered with this laptop's code. Its deadline
    (the latest item's unless given) caps every item's; the inspection moves to 限期整改中."""
    today = today or date.today()
    with db.session(officer_id=officer_id) as session:
        inspection = living(session, Inspection, inspection_id, "安全检查")
        state = _state(session, inspection)
        if state == "passed":
            raise UserError("检查结果为合格，没有需要整改的问题，不下发整改通知书")
        if state != "notice_due":
            notice = session.get(RectificationNotice, notice_id_of(inspection_id))
            raise UserError(f"该检查已下发整改通知书（编号 {notice.number}），不能重复下发")
        refuse_first(notice_problems(values, inspected_on=inspection.inspected_on, today=today))
        items = _open_items(session, inspection_id)
        if not items:
            raise UserError("该检查没有需要整改的项目")
        deadline = values.deadline or max(item.deadline for item in items)
        if deadline <= values.issued_on:
            raise UserError(f"整改期限（{deadline.isoformat()}）已到，请重新确定改正期限")
        for item in items:
            item.deadline = min(item.deadline, deadline)
        enterprise = session.get(Enterprise, inspection.enterprise_id)
        number = next_notice_number(session, device_code=db.device.short_code, year=values.issued_on.year)
        notice = RectificationNotice(
            id=notice_id_of(inspection_id), inspection_id=inspection_id, enterprise_id=inspection.enterprise_id,
            number=number, addressee=values.addressee.strip() or enterprise.name, issued_on=values.issued_on,
            deadline=deadline, issuer=values.issuer.strip(), delivered_on=values.delivered_on,
            receiver=values.receiver.strip() or None)
        session.add(notice)
        session.commit()
        return Numbered(notice.id, number)


def deliver_notice(db: Database, *, inspection_id: str, delivered_on: date, receiver: str,
                   officer_id: str | None = None, today: date | None = None) -> None:
    """Fill in the stub's 送达 line: the day the enterprise received the notice and who signed for it."""
    problems: dict[str, str] = {}
    check_day(problems, "delivered_on", delivered_on, label="送达日期", today=today or date.today())
    check_text(problems, "receiver", receiver, limit=32, required="请填写签收人")
    refuse_first(problems)
    with db.session(officer_id=officer_id) as session:
        notice = session.get(RectificationNotice, notice_id_of(inspection_id))
        if notice is None or notice.deleted:
            raise UserError("该检查尚未下发整改通知书")
        if delivered_on < notice.issued_on:
            raise UserError("送达日期不能早于下发日期")
        notice.delivered_on, notice.receiver = delivered_on, receiver.strip()
        session.commit()


def recheck_problems(values: RecheckValues, *, today: date) -> dict[str, str]:
    problems: dict[str, str] = {}
    check_day(problems, "rechecked_on", values.rechecked_on, label="复查日期", today=today)
    check_inspectors(problems, "inspectors", split_names(values.inspectors))
    check_text(problems, "opinion", values.opinion, limit=OPINION_LIMIT, required="请填写复查意见")
    if values.outcome not in RECHECK_OUTCOMES:
        problems["outcome"] = "请选择复查结论：复查通过或逾期未改转执法办案"
    return problems


def record_recheck(db: Database, *, inspection_id: str, values: RecheckValues, officer_id: str | None = None,
                   today: date | None = None) -> Numbered:
    """The 复查 of a notice and its 复查意见书: the items in ``fixed`` are confirmed put right, every item
    is closed; 复查通过 needs them all put right, 转执法办案 needs one not put right after the deadline."""
    refuse_first(recheck_problems(values, today=today or date.today()))
    with db.session(officer_id=officer_id) as session:
        inspection = living(session, Inspection, inspection_id, "安全检查")
        state = _state(session, inspection)
        if state == "passed":
            raise UserError("检查结果为合格，无需复查")
        if state == "notice_due":
            raise UserError("尚未下发责令限期整改通知书，不能复查")
        if state in ("recheck_passed", "enforcement"):
            raise UserError(f"该检查已复查（{FLOW_STATES[state]}），不能再次复查")
        notice = session.get(RectificationNotice, notice_id_of(inspection_id))
        if values.rechecked_on < notice.issued_on:
            raise UserError("复查日期不能早于整改通知书的下发日期")
        items = _open_items(session, inspection_id)
        known = {item.id for item in items}
        if stray := [i for i in values.fixed if i not in known]:
            raise UserError(f"整改事项 {stray[0]} 不属于这次检查")
        not_fixed = [item for item in items if item.id not in values.fixed]
        if values.outcome == "passed" and not_fixed:
            raise UserError(f"还有{len(not_fixed)}项未整改到位（{not_fixed[0].problem}），不能判为复查通过")
        if values.outcome == "enforcement":
            if not not_fixed:
                raise UserError("各项均已整改到位，应判为复查通过")
            if values.rechecked_on <= notice.deadline:
                raise UserError(f"改正期限（{notice.deadline.isoformat()}）未过，尚不能判为逾期未改")
        who = officer_id or db.officer_id
        for item in items:
            if item.id in values.fixed:
                item.done_on = item.done_on or values.rechecked_on
                item.verified, item.verified_by = True, who
            item.closed_on = values.rechecked_on
        number = next_recheck_number(session, device_code=db.device.short_code, year=values.rechecked_on.year)
        recheck = Recheck(id=recheck_id_of(inspection_id), inspection_id=inspection_id, notice_id=notice.id,
                          number=number, rechecked_on=values.rechecked_on,
                          inspectors=joined(split_names(values.inspectors)), opinion=values.opinion.strip(),
                          outcome=values.outcome)
        session.add(recheck)
        session.commit()
        return Numbered(recheck.id, number)


@dataclass(frozen=True)
class NoticeRow:
    id: str
    number: str
    addressee: str
    issued_on: date
    deadline: date
    issuer: str
    delivered_on: date | None
    receiver: str


@dataclass(frozen=True)
class RecheckRow:
    id: str
    number: str
    rechecked_on: date
    inspectors: tuple[str, ...]
    opinion: str
    outcome: str


def notice_of(db: Database, *, inspection_id: str) -> NoticeRow | None:
    with db.session() as session:
        n = session.get(RectificationNotice, notice_id_of(inspection_id))
        if n is None or n.deleted:
            return None
        return NoticeRow(n.id, n.number, n.addressee, n.issued_on, n.deadline, n.issuer, n.delivered_on,
                         n.receiver or "")


def recheck_of(db: Database, *, inspection_id: str) -> RecheckRow | None:
    with db.session() as session:
        r = session.get(Recheck, recheck_id_of(inspection_id))
        if r is None or r.deleted:
            return None
        return RecheckRow(r.id, r.number, r.rechecked_on, split_names(r.inspectors), r.opinion, r.outcome)

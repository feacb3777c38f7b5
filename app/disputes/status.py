"""The status flow of a dispute: the one table of allowed moves, and every move kept as an event."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select

from app.core.errors import UserError
from app.core.timeutil import local_day
from app.core.vocab import DISPUTE_STATUSES, RISK_LEVELS
from db.base import utcnow
from db.engine import Database
from db.models import Dispute, DisputeEvent, DisputeTransfer

# (from, to) -> what the move is called. The ONE place the flow is defined:
#   待调处 -> 调处中 -> 已化解 / 调解终止 / 移交矛调中心 / 移交办案队, plus reopening (反复).
# A case can leave 待调处 straight for the 矛调中心 or the 办案队 (a knife in the facts does not
# wait for a mediation session), but it is settled or given up only after mediation began.
TRANSITIONS: dict[tuple[str, str], str] = {
    ("pending", "mediating"): "开始调处",
    ("pending", "to_center"): "移交矛调中心",
    ("pending", "to_police"): "移交办案队",
    ("mediating", "resolved"): "化解",
    ("mediating", "terminated"): "终止调解",
    ("mediating", "to_center"): "移交矛调中心",
    ("mediating", "to_police"): "移交办案队",
    ("resolved", "mediating"): "反复，重新调处",
    ("resolved", "to_police"): "矛盾升级，移交办案队",
    ("terminated", "mediating"): "重新调处",
    ("terminated", "to_center"): "移交矛调中心",
    ("terminated", "to_police"): "移交办案队",
    ("to_center", "mediating"): "矛调中心退回，继续调处",
    ("to_center", "resolved"): "矛调中心化解",
    ("to_center", "terminated"): "矛调中心终止调解",
    ("to_police", "mediating"): "办案队退回，继续调处",
    ("to_police", "resolved"): "办案队调解化解",
}
# The groups of statuses every view, count and rule uses (the list's views, the statistics, the
# high-risk watch, reopening): one definition each.
OPEN = ("pending", "mediating")  # still on the officer's desk
TRANSFERRED = ("to_center", "to_police")
CLOSED = ("resolved", "terminated")  # settled_on holds the closing day
UNSETTLED = (*OPEN, "to_center")  # still a live risk in the community (the 办案队 has the other cases in hand)
TRANSFER_BODIES = {"to_center": "矛调中心", "to_police": "办案队"}
REASON_LIMIT = 500


def allowed(current: str) -> list[str]:
    """Statuses a dispute in ``current`` may move to, in the table's order."""
    return [to for (frm, to) in TRANSITIONS if frm == current]


def can_move(current: str, to: str) -> bool:
    return (current, to) in TRANSITIONS


@dataclass(frozen=True)
class TransferDetails:
    """Where a transfer went (双向流转): date, receiving body, who received, who handles it."""

    on: date
    body: str
    receiver: str = ""
    handler: str = ""


def transition_problems(*, current: str, to: str, reason: str, transfer: TransferDetails | None = None,
                        at: datetime | None = None, occurred_at: datetime | None = None) -> dict[str, str]:
    """Field -> what is wrong; empty when the move can be saved (the dialog shows these as you type)."""
    problems: dict[str, str] = {}
    if not can_move(current, to):
        problems["to"] = (f"不能从“{DISPUTE_STATUSES.get(current, current)}”"
                          f"改为“{DISPUTE_STATUSES.get(to, to)}”")
    if not reason.strip():
        problems["reason"] = "请写明原因（谁决定、依据什么）"
    elif len(reason) > REASON_LIMIT:
        problems["reason"] = f"原因最多{REASON_LIMIT}个字"
    if to in TRANSFER_BODIES and transfer is not None and not transfer.body.strip():
        problems["body"] = "请写明接收单位"
    if at is not None:
        if at > utcnow() + timedelta(minutes=1):
            problems["at"] = "时间不能晚于现在"
        elif occurred_at is not None and at < occurred_at:
            problems["at"] = "时间不能早于纠纷发生时间"
    return problems


def record_event(session, *, dispute_id: str, action: str, from_value: str | None, to_value: str,
                 reason: str, officer_id: str | None, at: datetime | None = None,
                 revisit_id: str | None = None) -> DisputeEvent:
    event = DisputeEvent(dispute_id=dispute_id, action=action, from_value=from_value, to_value=to_value,
                         reason=reason.strip(), officer_id=officer_id, at=at or utcnow(), revisit_id=revisit_id)
    session.add(event)
    return event


def apply_transition(session, dispute: Dispute, *, to: str, reason: str, officer_id: str | None,
                     at: datetime | None = None, transfer: TransferDetails | None = None,
                     escalated_criminal: bool = False, revisit_id: str | None = None) -> None:
    """Move ``dispute`` inside an open session (other services reuse it); raises UserError if refused."""
    at = at or utcnow()
    problems = transition_problems(current=dispute.status, to=to, reason=reason, transfer=transfer, at=at,
                                   occurred_at=dispute.occurred_at)
    if problems:
        raise UserError(next(iter(problems.values())))
    current, day = dispute.status, local_day(at)
    if current in TRANSFER_BODIES:
        _close_transfer(session, dispute.id, outcome=reason, returned=to == "mediating", day=day)
    if to in TRANSFER_BODIES:
        transfer = transfer or TransferDetails(on=day, body=TRANSFER_BODIES[to])
        session.add(DisputeTransfer(dispute_id=dispute.id, direction="out", body=transfer.body.strip(),
                                    transferred_on=transfer.on, receiver=transfer.receiver.strip() or None,
                                    handler=transfer.handler.strip() or None))
    if to == "to_police" and escalated_criminal:
        dispute.escalated_criminal = True
    dispute.status = to
    dispute.settled_on = day if to in CLOSED else None  # a reopened case is no longer settled
    record_event(session, dispute_id=dispute.id, action="status", from_value=current, to_value=to,
                 reason=reason, officer_id=officer_id, at=at, revisit_id=revisit_id)


def _close_transfer(session, dispute_id: str, *, outcome: str, returned: bool, day: date) -> None:
    """The receiving body reported back: note the outcome; a case handed back comes in (双向流转)."""
    latest = session.execute(
        select(DisputeTransfer).where(DisputeTransfer.dispute_id == dispute_id,
                                      DisputeTransfer.direction == "out", DisputeTransfer.deleted.is_(False))
        .order_by(DisputeTransfer.transferred_on.desc(), DisputeTransfer.created_at.desc())
    ).scalars().first()
    if latest is None:
        return
    if not latest.outcome:
        latest.outcome = outcome.strip()
    if returned:
        session.add(DisputeTransfer(dispute_id=dispute_id, direction="in", body=latest.body, transferred_on=day,
                                    handler=latest.handler, outcome=outcome.strip()))


def transition(db: Database, *, dispute_id: str, to: str, reason: str, officer_id: str | None = None,
               at: datetime | None = None, transfer: TransferDetails | None = None,
               escalated_criminal: bool = False) -> None:
    """Move a dispute to ``to`` if the table allows it, keeping time, officer and reason."""
    with db.session(officer_id=officer_id) as session:
        dispute = living_dispute(session, dispute_id)
        apply_transition(session, dispute, to=to, reason=reason, officer_id=officer_id, at=at, transfer=transfer,
                         escalated_criminal=escalated_criminal)
        session.commit()


def set_risk(db: Database, *, dispute_id: str, level: str, reason: str = "", officer_id: str | None = None) -> None:
    """The officer's risk level (低/中/高); a change is kept in the history like a transition."""
    if level not in RISK_LEVELS:
        raise UserError(f"没有这个风险等级：{level}")
    with db.session(officer_id=officer_id) as session:
        dispute = living_dispute(session, dispute_id)
        if dispute.risk_level != level:
            record_event(session, dispute_id=dispute.id, action="risk", from_value=dispute.risk_level,
                         to_value=level, reason=reason or "调整风险等级", officer_id=officer_id)
            dispute.risk_level = level
            session.commit()


def living_dispute(session, dispute_id: str) -> Dispute:
    """The dispute row to change, or UserError when it is gone."""
    dispute = session.get(Dispute, dispute_id)
    if dispute is None or dispute.deleted:
        raise UserError("该纠纷不存在或已被删除")
    return dispute

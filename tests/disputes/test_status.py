"""The status flow: every allowed move works and is kept with time, officer and reason; every other is refused."""

from __future__ import annotations

from datetime import datetime, timedelta
from itertools import product

import pytest
from sqlalchemy import select

from app.core.errors import UserError
from app.core.vocab import DISPUTE_STATUSES
from app.disputes.status import (
    CLOSED,
    TRANSFER_BODIES,
    TRANSITIONS,
    TransferDetails,
    allowed,
    set_risk,
    transition,
    transition_problems,
)
from db.models import Dispute, DisputeEvent, DisputeTransfer
from tests.support.disputes import NOW, TODAY, add_dispute, register

ALL_MOVES = list(product(DISPUTE_STATUSES, DISPUTE_STATUSES))
ALLOWED = set(TRANSITIONS)

# The flow the issue asks for, written out once more by hand: the table must say exactly this.
EXPECTED = {
    "pending": {"mediating", "to_center", "to_police"},
    "mediating": {"resolved", "terminated", "to_center", "to_police"},
    "resolved": {"mediating", "to_police"},
    "terminated": {"mediating", "to_center", "to_police"},
    "to_center": {"mediating", "resolved", "terminated"},
    "to_police": {"mediating", "resolved"},
}


def test_the_table_is_the_documented_flow():
    assert {frm: set(allowed(frm)) for frm in DISPUTE_STATUSES} == EXPECTED
    assert all(label for label in TRANSITIONS.values())


def _dispute_in(db, status: str) -> str:
    return add_dispute(db, number="2026-T01-0001", status=status,
                       occurred=NOW - timedelta(days=3))


@pytest.mark.parametrize(("frm", "to"), sorted(ALLOWED))
def test_every_allowed_move_is_made_and_recorded(db, officer, frm, to):
    dispute_id = _dispute_in(db, frm)
    before = datetime.now().astimezone()
    transition(db, dispute_id=dispute_id, to=to, reason="测试原因", officer_id=officer)
    with db.session() as s:
        dispute = s.get(Dispute, dispute_id)
        [event] = s.execute(select(DisputeEvent).where(DisputeEvent.dispute_id == dispute_id)).scalars().all()
        transfers = s.execute(select(DisputeTransfer).where(DisputeTransfer.dispute_id == dispute_id)).scalars().all()
    assert dispute.status == to
    assert (event.action, event.from_value, event.to_value, event.reason) == ("status", frm, to, "测试原因")
    assert event.officer_id == officer and before <= event.at <= datetime.now().astimezone()  # stamped now
    assert (dispute.settled_on == TODAY) if to in CLOSED else dispute.settled_on is None
    if to in TRANSFER_BODIES:
        assert [(t.direction, t.body) for t in transfers] == [("out", TRANSFER_BODIES[to])]


@pytest.mark.parametrize(("frm", "to"), sorted(set(ALL_MOVES) - ALLOWED))
def test_every_other_move_is_refused_and_nothing_changes(db, frm, to):
    dispute_id = _dispute_in(db, frm)
    with pytest.raises(UserError, match="不能从"):
        transition(db, dispute_id=dispute_id, to=to, reason="试试")
    with db.session() as s:
        assert s.get(Dispute, dispute_id).status == frm
        assert s.execute(select(DisputeEvent)).first() is None


def test_a_reason_is_always_required(db):
    dispute_id = _dispute_in(db, "pending")
    with pytest.raises(UserError, match="原因"):
        transition(db, dispute_id=dispute_id, to="mediating", reason="  ")
    assert transition_problems(current="pending", to="mediating", reason="") == {
        "reason": "请写明原因（谁决定、依据什么）"}


def test_a_move_cannot_be_dated_in_the_future_or_before_the_dispute(db):
    dispute_id = _dispute_in(db, "pending")
    with pytest.raises(UserError, match="晚于现在"):
        transition(db, dispute_id=dispute_id, to="mediating", reason="x", at=NOW + timedelta(hours=2))
    with pytest.raises(UserError, match="早于纠纷发生"):
        transition(db, dispute_id=dispute_id, to="mediating", reason="x", at=NOW - timedelta(days=10))


def test_transfer_to_the_center_and_back_is_two_way_with_the_outcome_kept(db, officer):
    dispute_id = _dispute_in(db, "mediating")
    details = TransferDetails(on=TODAY, body="区矛调中心", receiver="陈主任", handler="刘调解员")
    transition(db, dispute_id=dispute_id, to="to_center", reason="涉及多方，需联合调解", transfer=details,
               officer_id=officer)
    transition(db, dispute_id=dispute_id, to="mediating", reason="矛调中心退回：属邻里小事", officer_id=officer)
    with db.session() as s:
        rows = s.execute(select(DisputeTransfer).where(DisputeTransfer.dispute_id == dispute_id)
                         .order_by(DisputeTransfer.direction.desc())).scalars().all()
    out, back = rows
    assert (out.direction, out.body, out.receiver, out.handler) == ("out", "区矛调中心", "陈主任", "刘调解员")
    assert out.outcome == "矛调中心退回：属邻里小事"
    assert (back.direction, back.body, back.transferred_on) == ("in", "区矛调中心", TODAY)


def test_escalation_to_the_police_can_mark_a_criminal_case(db):
    dispute_id = _dispute_in(db, "resolved")
    transition(db, dispute_id=dispute_id, to="to_police", reason="持刀伤人", escalated_criminal=True)
    with db.session() as s:
        dispute = s.get(Dispute, dispute_id)
    assert dispute.escalated_criminal and dispute.settled_on is None


def test_risk_changes_are_kept_in_the_history(db, officer):
    dispute_id = register(db, officer_id=officer).id
    set_risk(db, dispute_id=dispute_id, level="high", reason="扬言报复", officer_id=officer)
    set_risk(db, dispute_id=dispute_id, level="high", officer_id=officer)  # no change, no event
    with db.session() as s:
        events = s.execute(select(DisputeEvent).where(DisputeEvent.dispute_id == dispute_id)
                           .order_by(DisputeEvent.at)).scalars().all()
        assert s.get(Dispute, dispute_id).risk_level == "high"
    assert [(e.action, e.from_value, e.to_value) for e in events] == [
        ("register", None, "pending"), ("risk", "low", "high")]
    with pytest.raises(UserError):
        set_risk(db, dispute_id=dispute_id, level="extreme")


def test_a_deleted_dispute_cannot_move(db):
    dispute_id = _dispute_in(db, "pending")
    with db.session() as s:
        s.get(Dispute, dispute_id).deleted = True
        s.commit()
    with pytest.raises(UserError, match="不存在"):
        transition(db, dispute_id=dispute_id, to="mediating", reason="x")

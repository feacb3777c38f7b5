"""Revisits: one-click scheduling, reminders on given dates (due, overdue, done), results that reopen."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.core.errors import UserError
from app.disputes.revisits import QUICK_DAYS, record_result, reminder_counts, reminders, schedule_revisit
from app.disputes.status import transition
from db.models import Dispute, DisputeEvent, Revisit
from tests.support.disputes import NOW, add_dispute, register

DAY = date(2026, 3, 10)


def _settled(db, number: str = "2026-T01-0001", settled_on: date = DAY) -> str:
    return add_dispute(db, number=number, status="resolved", occurred=NOW - timedelta(days=400),
                       settled_on=settled_on)


@pytest.mark.parametrize("days", QUICK_DAYS)
def test_one_click_schedules_days_ahead(db, days):
    dispute_id = _settled(db)
    revisit_id = schedule_revisit(db, dispute_id=dispute_id, days=days, today=DAY)
    with db.session() as s:
        assert s.get(Revisit, revisit_id).due_on == DAY + timedelta(days=days)


def test_a_double_click_plans_one_revisit_and_past_dates_are_refused(db):
    dispute_id = _settled(db)
    first = schedule_revisit(db, dispute_id=dispute_id, days=7, today=DAY)
    assert schedule_revisit(db, dispute_id=dispute_id, due_on=DAY + timedelta(days=7), today=DAY) == first
    with pytest.raises(UserError, match="早于今天"):
        schedule_revisit(db, dispute_id=dispute_id, due_on=DAY - timedelta(days=1), today=DAY)
    with pytest.raises(UserError, match="一年以内"):
        schedule_revisit(db, dispute_id=dispute_id, days=400, today=DAY)


def test_reminders_on_given_dates_show_due_overdue_and_not_done(db):
    dispute_id = _settled(db)
    due = schedule_revisit(db, dispute_id=dispute_id, days=2, today=DAY)
    later = schedule_revisit(db, dispute_id=dispute_id, days=7, today=DAY)
    done = schedule_revisit(db, dispute_id=dispute_id, days=1, today=DAY)
    record_result(db, revisit_id=done, result="stable", done_on=DAY + timedelta(days=1),
                  today=DAY + timedelta(days=1))

    before = reminders(db, on=DAY + timedelta(days=1))
    assert (before.due_today, before.overdue) == ([], [])
    on_day = reminders(db, on=DAY + timedelta(days=2))
    assert [r.revisit_id for r in on_day.due_today] == [due] and on_day.overdue == []
    assert on_day.due_today[0].days_overdue == 0 and on_day.due_today[0].parties == ""
    week = reminders(db, on=DAY + timedelta(days=9))
    assert [(r.revisit_id, r.days_overdue) for r in week.overdue] == [(due, 7), (later, 2)]
    assert reminder_counts(db, on=DAY + timedelta(days=9)) == (0, 2)
    assert reminder_counts(db, on=DAY + timedelta(days=7)) == (1, 1)


def test_a_revisit_done_later_was_still_open_on_an_earlier_day(db):
    dispute_id = _settled(db)
    revisit_id = schedule_revisit(db, dispute_id=dispute_id, days=1, today=DAY)
    record_result(db, revisit_id=revisit_id, result="stable", done_on=DAY + timedelta(days=5),
                  today=DAY + timedelta(days=5))
    assert [r.days_overdue for r in reminders(db, on=DAY + timedelta(days=3)).overdue] == [2]
    assert reminders(db, on=DAY + timedelta(days=5)).overdue == []


def test_a_settled_dispute_without_a_planned_revisit_is_flagged(db):
    flagged = _settled(db, "2026-T01-0001")
    planned = _settled(db, "2026-T01-0002")
    old_plan_only = _settled(db, "2026-T01-0003", settled_on=DAY)
    schedule_revisit(db, dispute_id=planned, days=7, today=DAY)
    with db.session() as s:  # a revisit from before it was settled (again) does not count
        s.add(Revisit(dispute_id=old_plan_only, due_on=DAY - timedelta(days=30), done_on=DAY - timedelta(days=30),
                      result="stable"))
        s.commit()
    found = reminders(db, on=DAY)
    assert {u.dispute_id for u in found.unplanned} == {flagged, old_plan_only}
    assert reminders(db, on=DAY - timedelta(days=1)).unplanned == []  # not settled yet on that day


def test_stable_closes_the_revisit_and_leaves_the_dispute_settled(db, officer):
    dispute_id = _settled(db)
    revisit_id = schedule_revisit(db, dispute_id=dispute_id, days=7, today=DAY)
    outcome = record_result(db, revisit_id=revisit_id, result="stable", notes="协议已履行", officer_id=officer,
                            done_on=DAY + timedelta(days=7), today=DAY + timedelta(days=7))
    assert (outcome.reopened, outcome.status) == (False, "resolved")
    with pytest.raises(UserError, match="已在"):
        record_result(db, revisit_id=revisit_id, result="stable", today=DAY + timedelta(days=8))


@pytest.mark.parametrize(("result", "risk"), [("relapsed", "low"), ("escalated", "high")])
def test_relapse_and_escalation_reopen_the_dispute_in_its_history(db, officer, result, risk):
    dispute = register(db, occurred_at=NOW - timedelta(days=20))
    transition(db, dispute_id=dispute.id, to="mediating", reason="开始", at=NOW - timedelta(days=19))
    transition(db, dispute_id=dispute.id, to="resolved", reason="协议", at=NOW - timedelta(days=18))
    revisit_id = schedule_revisit(db, dispute_id=dispute.id, days=1, today=NOW.date() - timedelta(days=18))
    with pytest.raises(UserError, match="写明情况"):
        record_result(db, revisit_id=revisit_id, result=result)
    outcome = record_result(db, revisit_id=revisit_id, result=result, notes="又因噪音争吵", officer_id=officer)
    assert (outcome.reopened, outcome.status) == (True, "mediating")
    with db.session() as s:
        row = s.get(Dispute, dispute.id)
        last = s.execute(select(DisputeEvent).where(DisputeEvent.action == "status")
                         .order_by(DisputeEvent.at.desc())).scalars().first()
    assert (row.risk_level, row.settled_on) == (risk, None)
    assert (last.from_value, last.to_value, last.revisit_id, last.officer_id) == (
        "resolved", "mediating", revisit_id, officer)
    assert "反复" in last.reason or "升级" in last.reason


def test_a_result_cannot_be_dated_in_the_future(db):
    dispute_id = _settled(db)
    revisit_id = schedule_revisit(db, dispute_id=dispute_id, days=1, today=DAY)
    with pytest.raises(UserError, match="晚于今天"):
        record_result(db, revisit_id=revisit_id, result="stable", done_on=DAY + timedelta(days=3), today=DAY)

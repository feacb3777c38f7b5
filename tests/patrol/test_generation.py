"""Generating a roster from the database: preview, save, pinned kept, idempotent, short shifts explained."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from app.core.errors import UserError
from app.patrol.changes import assign, remove
from app.patrol.generation import preview_roster, save_roster
from app.patrol.roster import RosterCancelled
from app.patrol.schedule import make_shifts
from app.patrol.teams import set_role
from app.patrol.volunteers import add_leave, add_volunteer
from db.models import Shift, ShiftAssignment
from tests.patrol.conftest import NEXT_MONDAY, volunteer_values
from tests.support.sync import dump

WEEK = (NEXT_MONDAY, NEXT_MONDAY + timedelta(days=6))


@pytest.fixture
def week(db, squad):
    make_shifts(db, start=WEEK[0], end=WEEK[1], team_id=squad.team)
    with db.session() as s:
        return [row.id for row in s.exec(select(Shift).order_by(Shift.day))]


def _living(db) -> set[tuple[str, str, bool]]:
    with db.session() as s:
        return {(a.shift_id, a.volunteer_id, a.pinned) for a in
                s.exec(select(ShiftAssignment).where(ShiftAssignment.deleted == False))}  # noqa: E712


def test_a_week_is_filled_up_to_the_caps_and_each_short_shift_says_why(db, squad, week):
    preview = preview_roster(db, start=WEEK[0], end=WEEK[1], team_id=squad.team)
    # six volunteers at two shifts a week fill four shifts of three; the rest are short
    assert (preview.shifts, preview.seats, preview.filled) == (7, 21, 12)
    assert {c.shifts for c in preview.counts} == {2}
    assert preview.short[0].reason.endswith(
        "周五 19:00-21:00 云栖里夜巡 缺 3 人（含小组长）：可排的 6 人本周已满 2 班；小组长：可排的 2 人本周已满 2 班")
    for seats in preview.plan.seats.values():
        assert not seats or sum(seat.as_leader for seat in seats) == 1  # a leader on every shift staffed
    saved = save_roster(db, preview=preview)
    assert (saved.added, saved.removed) == (12, 0)
    again = preview_roster(db, start=WEEK[0], end=WEEK[1], team_id=squad.team)
    assert (again.added, again.removed, again.plan) == (0, 0, preview.plan)
    before = dump(db)
    assert save_roster(db, preview=again) == type(saved)(0, 0)
    assert dump(db) == before  # generating again changes nothing


def test_pinned_assignments_and_removals_by_hand_are_kept(db, squad, week):
    save_roster(db, preview=preview_roster(db, start=WEEK[0], end=WEEK[1], team_id=squad.team))
    member = squad.members[0]
    with db.session() as s:
        first = s.exec(select(ShiftAssignment).where(ShiftAssignment.volunteer_id == member)).first()
    remove(db, assignment_id=first.id)  # taken off by hand: he is not put back on that shift
    short = next(sid for sid in week if sum(1 for a, _v, _p in _living(db) if a == sid) == 0)
    newcomer = add_volunteer(db, team_id=squad.team, values=volunteer_values(20))
    set_role(db, volunteer_id=newcomer, team_id=squad.team, role="group_leader")
    pinned = assign(db, shift_id=short, volunteer_id=newcomer)
    kept = {(a, v) for a, v, p in _living(db) if p}
    preview = preview_roster(db, start=WEEK[0], end=WEEK[1], team_id=squad.team)
    save_roster(db, preview=preview)
    living = {(a, v) for a, v, _p in _living(db)}
    assert kept <= living and (short, newcomer) in kept
    assert (first.shift_id, member) not in living
    assert sum(1 for _a, v in living if v == member) == 2  # his freed place went to another shift
    with db.session() as s:
        row = s.get(ShiftAssignment, pinned)
        assert row.pinned and row.as_leader and s.get(ShiftAssignment, first.id).deleted


def test_leave_keeps_a_volunteer_off_and_a_save_after_a_change_is_refused(db, squad, week):
    add_leave(db, volunteer_id=squad.captain, starts_on=WEEK[0], ends_on=WEEK[1])
    preview = preview_roster(db, start=WEEK[0], end=WEEK[1], team_id=squad.team)
    assert all(seat.person_id != squad.captain for seats in preview.plan.seats.values() for seat in seats)
    assert "1 人请假" in preview.short[0].reason
    assign(db, shift_id=week[-1], volunteer_id=squad.members[0])
    before = dump(db)
    with pytest.raises(UserError, match="预览后有改动"):
        save_roster(db, preview=preview)
    assert dump(db) == before


def test_generation_reports_progress_and_can_be_cancelled(db, squad, week):
    seen = []
    preview_roster(db, start=WEEK[0], end=WEEK[1], team_id=squad.team, progress=lambda *a: seen.append(a))
    assert seen[0] == ("读取", 0, 1) and seen[-1] == ("完成", 7, 7)
    with pytest.raises(RosterCancelled, match="已取消"):
        preview_roster(db, start=WEEK[0], end=WEEK[1], should_stop=lambda: True)


def test_a_period_without_shifts_or_too_long_is_refused(db, squad):
    with pytest.raises(UserError, match="没有班次"):
        preview_roster(db, start=WEEK[0], end=WEEK[1], team_id=squad.team)
    with pytest.raises(UserError, match="一次最多排 92 天"):
        preview_roster(db, start=WEEK[0], end=WEEK[0] + timedelta(days=100))
    with pytest.raises(UserError, match="结束日期不能早于"):
        preview_roster(db, start=WEEK[1], end=WEEK[0])

"""The patrol area's part of the 工作台: today's shifts with short staffing said, past shifts awaiting
sign-in and confirmation, untrained volunteers and leave ending soon."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from app.patrol.attendance import confirm_shift, sign_in
from app.patrol.generation import preview_roster, save_roster
from app.patrol.schedule import make_shifts
from app.patrol.settings import set_setting
from app.patrol.volunteers import add_leave, add_volunteer, set_status
from app.patrol.worklist import patrol_worklist
from app.today import agenda
from db.models import Shift, ShiftAssignment
from tests.patrol.conftest import NEXT_MONDAY, TODAY, volunteer_values

MONDAY, THURSDAY, FRIDAY = NEXT_MONDAY, NEXT_MONDAY + timedelta(days=3), NEXT_MONDAY + timedelta(days=4)


@pytest.fixture
def week(db, squad) -> dict:
    """The squad's week rostered: six volunteers at two shifts a week fill Monday to Thursday; Friday to
    Sunday are left empty. Day -> shift id."""
    make_shifts(db, start=MONDAY, end=MONDAY + timedelta(days=6), team_id=squad.team)
    save_roster(db, preview=preview_roster(db, start=MONDAY, end=MONDAY + timedelta(days=6), team_id=squad.team))
    with db.session() as s:
        return {row.day: row.id for row in s.exec(select(Shift))}


def _people(db, shift_id: str) -> list[ShiftAssignment]:
    with db.session() as s:
        return list(s.exec(select(ShiftAssignment).where(ShiftAssignment.shift_id == shift_id,
                                                         ShiftAssignment.deleted == False)))  # noqa: E712


def _shifts(items):
    return [(i.what, i.state(i.due)) for i in items if i.table == "shift"]


def test_todays_shifts_say_whether_they_are_staffed_and_how_short(db, week):
    [full] = [i for i in patrol_worklist(db, on=THURSDAY, soon_days=7) if i.due == THURSDAY]
    assert (full.kind, full.table, full.record_id, full.deadline) == ("巡逻", "shift", week[THURSDAY], False)
    assert full.what == "云栖里夜巡 19:00-21:00（已排3/需3人）" and full.state(THURSDAY) == "今日"
    [empty] = [i for i in patrol_worklist(db, on=FRIDAY, soon_days=7) if i.due == FRIDAY]
    assert empty.what == "缺3人：云栖里夜巡 19:00-21:00（已排0/需3人）"
    leader = next(a for a in _people(db, week[THURSDAY]) if a.as_leader)
    sign_in(db, assignment_id=leader.id, attendance="leave", how="leader", today=THURSDAY)  # called off
    [short] = [i for i in patrol_worklist(db, on=THURSDAY, soon_days=7) if i.due == THURSDAY]
    assert short.what == "缺1人、缺小组长：云栖里夜巡 19:00-21:00（已排2/需3人）"


def test_past_shifts_wait_for_sign_in_then_for_confirmation_then_leave_the_list(db, week, officer):
    waiting = [i for i in patrol_worklist(db, on=THURSDAY, soon_days=7) if i.due < THURSDAY]
    assert [(i.kind, i.record_id, i.deadline) for i in waiting] == [
        ("巡逻", week[MONDAY + timedelta(days=n)], True) for n in range(3)]
    first = waiting[0].what
    assert first.startswith("待签到（已录0/3人）：") and first.endswith("周一 19:00-21:00 云栖里夜巡")
    assert waiting[0].state(THURSDAY) == "逾期3天"
    for n, person in enumerate(_people(db, week[MONDAY])):
        sign_in(db, assignment_id=person.id, attendance="absent" if n else "present", how="paper", today=THURSDAY)
    monday = next(i for i in patrol_worklist(db, on=THURSDAY, soon_days=7) if i.record_id == week[MONDAY])
    assert monday.what.startswith("已签到，待确认：")
    confirm_shift(db, shift_id=week[MONDAY], officer_id=officer, today=THURSDAY)
    assert week[MONDAY] not in {i.record_id for i in patrol_worklist(db, on=THURSDAY, soon_days=7)}
    later = patrol_worklist(db, on=MONDAY + timedelta(days=7), soon_days=7)
    assert next(i for i in later if i.record_id == week[FRIDAY]).what.startswith("无人排班，待确认：")


def test_untrained_volunteers_are_due_a_month_after_joining_when_training_comes_first(db, squad):
    late = add_volunteer(db, team_id=squad.team, values=volunteer_values(
        30, trained_on=None, joined_on=TODAY - timedelta(days=40)))
    add_volunteer(db, team_id=squad.team, values=volunteer_values(31, trained_on=None,
                                                                   joined_on=TODAY - timedelta(days=10)))
    [item] = [i for i in patrol_worklist(db, on=TODAY, soon_days=7) if i.table == "volunteer"]
    assert (item.kind, item.record_id, item.due, item.state(TODAY)) == (
        "义警", late, TODAY - timedelta(days=10), "逾期10天")
    assert item.what.startswith("尚未培训：") and "（云栖义警队）" in item.what
    assert len([i for i in patrol_worklist(db, on=TODAY, soon_days=30) if i.table == "volunteer"]) == 2
    set_setting(db, name="train_first", value=0)
    assert [i for i in patrol_worklist(db, on=TODAY, soon_days=30) if i.table == "volunteer"] == []


def test_leave_ending_soon_is_listed_for_volunteers_still_in_the_team(db, squad):
    back_soon, back_later, paused = squad.members[:3]
    add_leave(db, volunteer_id=back_soon, starts_on=TODAY - timedelta(days=2), ends_on=TODAY + timedelta(days=3))
    add_leave(db, volunteer_id=back_later, starts_on=TODAY, ends_on=TODAY + timedelta(days=10))
    add_leave(db, volunteer_id=paused, starts_on=TODAY, ends_on=TODAY + timedelta(days=1))
    add_leave(db, volunteer_id=back_later, starts_on=TODAY - timedelta(days=9), ends_on=TODAY - timedelta(days=1))
    set_status(db, volunteer_id=paused, status="paused", since=TODAY)
    [item] = [i for i in patrol_worklist(db, on=TODAY, soon_days=7) if i.table == "volunteer"]
    assert (item.record_id, item.state(TODAY)) == (back_soon, "3天后到期")
    end = TODAY + timedelta(days=3)
    assert item.what.startswith("请假将结束：")
    assert item.what.endswith(f"请假至{end.month}月{end.day}日，之后可恢复排班")


def test_the_agenda_carries_the_patrol_items(db, week):
    items = agenda(db, on=THURSDAY)
    assert {(i.kind, i.table) for i in items} == {("巡逻", "shift")}
    assert len(items) == 4  # Monday to Wednesday waiting, Thursday today

"""Changes by hand: assign, remove, swap, stand-ins; each refused with a clear reason when it breaks a rule."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from sqlmodel import select

from app.core.errors import UserError
from app.patrol.attendance import confirm_shift, sign_in
from app.patrol.changes import assign, pin, remove, stand_in, stand_in_candidates, swap
from app.patrol.routes import RouteValues, save_route
from app.patrol.schedule import ShiftValues, add_shift, make_shifts, shift_id_for
from app.patrol.teams import TeamValues, join_team, save_team
from app.patrol.volunteers import add_leave, add_volunteer, update_volunteer
from db.models import ShiftAssignment
from tests.patrol.conftest import NEXT_MONDAY, TODAY, volunteer_values
from tests.support.sync import dump

ALWAYS = frozenset(f"{d}{b}" for d in range(1, 8) for b in "mane")


@pytest.fixture
def days(db, squad) -> list[str]:
    """The squad's evening shifts of next week, Monday first."""
    make_shifts(db, start=NEXT_MONDAY, end=NEXT_MONDAY + timedelta(days=6), team_id=squad.team)
    return [shift_id_for(squad.template, NEXT_MONDAY + timedelta(days=d)) for d in range(7)]


def _refused(db, call, said: str) -> None:
    before = dump(db)
    with pytest.raises(UserError) as caught:
        call()
    assert said in str(caught.value), str(caught.value)
    assert dump(db) == before


def _one_off(db, squad, day_offset: int, start: time, end: time, **extra) -> str:
    return add_shift(db, values=ShiftValues(route_id=squad.route, team_id=squad.team,
                                            day=NEXT_MONDAY + timedelta(days=day_offset), starts_at=start,
                                            ends_at=end, **extra))


def test_a_full_shift_and_the_leader_seat_are_kept(db, squad, days):
    first, second, third, fourth = squad.members
    assign(db, shift_id=days[0], volunteer_id=first)
    assign(db, shift_id=days[0], volunteer_id=second)
    _refused(db, lambda: assign(db, shift_id=days[0], volunteer_id=third),
             "最后一个名额要留给小组长：周海涛不是该队的小组长")
    _refused(db, lambda: assign(db, shift_id=days[1], volunteer_id=third, as_leader=True), "不能担任小组长")
    leader = assign(db, shift_id=days[0], volunteer_id=squad.leader)
    with db.session() as s:
        row = s.get(ShiftAssignment, leader)
        assert row.as_leader and row.pinned
    _refused(db, lambda: assign(db, shift_id=days[0], volunteer_id=fourth), "该班次已满（需 3 人，已排 3 人）")
    _refused(db, lambda: assign(db, shift_id=days[0], volunteer_id=first), "该班次已满")


@pytest.mark.parametrize(("change", "said"), [
    ({"trained_on": None}, "尚未参加培训"),
    ({"availability": frozenset({"1m", "2m"})}, "在周一19:00-21:00不可排"),
    ({"skills": ()}, "没有该班次需要的专长「医护」"),
])
def test_a_volunteer_the_rules_keep_off_is_refused(db, squad, days, change, said):
    shift = _one_off(db, squad, 0, time(19), time(21), skill="医护") if "skills" in change else days[0]
    vid = add_volunteer(db, team_id=squad.team, values=volunteer_values(30, skills=("医护",)))
    update_volunteer(db, volunteer_id=vid, values=volunteer_values(30, **{"skills": ("医护",), **change}))
    _refused(db, lambda: assign(db, shift_id=shift, volunteer_id=vid), said)


def test_leave_and_another_team_are_refused(db, squad, days):
    add_leave(db, volunteer_id=squad.members[0], starts_on=NEXT_MONDAY, ends_on=NEXT_MONDAY)
    _refused(db, lambda: assign(db, shift_id=days[0], volunteer_id=squad.members[0]),
             f"在{NEXT_MONDAY.month}月{NEXT_MONDAY.day}日请假")
    other = save_team(db, values=TeamValues(name="新城义警队"))
    stranger = add_volunteer(db, team_id=other, values=volunteer_values(31))
    _refused(db, lambda: assign(db, shift_id=days[0], volunteer_id=stranger), "不是该班次所属义警队的队员")


def test_one_shift_a_day_rest_and_the_weekly_cap(db, squad, days):
    vid = squad.members[0]
    update_volunteer(db, volunteer_id=vid, values=volunteer_values(2, availability=ALWAYS))
    morning = _one_off(db, squad, 0, time(8), time(10))
    next_morning = _one_off(db, squad, 1, time(7, 30), time(8, 30))
    assign(db, shift_id=days[0], volunteer_id=vid)
    _refused(db, lambda: assign(db, shift_id=morning, volunteer_id=vid),
             f"孙建国当天已有班次（{NEXT_MONDAY.month}月{NEXT_MONDAY.day}日 周一 19:00-21:00 云栖里夜巡），"
             "一天只排一班")
    _refused(db, lambda: assign(db, shift_id=next_morning, volunteer_id=vid), "间隔不足 12 小时")
    assign(db, shift_id=days[2], volunteer_id=vid)
    _refused(db, lambda: assign(db, shift_id=days[4], volunteer_id=vid), "孙建国本周已排满 2 班（每周上限）")


def test_overlapping_shifts_of_two_teams_are_refused(db, squad):
    other = save_team(db, values=TeamValues(name="新城义警队"))
    night = save_route(db, values=RouteValues(name="新城夜巡"), team_ids=(other,))
    vid = squad.members[0]
    update_volunteer(db, volunteer_id=vid, values=volunteer_values(2, availability=ALWAYS))
    join_team(db, volunteer_id=vid, team_id=other)
    late = _one_off(db, squad, 0, time(22), time(2))  # runs past midnight
    early = add_shift(db, values=ShiftValues(route_id=night, team_id=other, day=NEXT_MONDAY + timedelta(days=1),
                                             starts_at=time(1), ends_at=time(3)))
    assign(db, shift_id=late, volunteer_id=vid)
    _refused(db, lambda: assign(db, shift_id=early, volunteer_id=vid), "同一时间另有班次")


def test_swap_exchanges_two_shifts_and_keeps_the_rules(db, squad, days):
    a, b = squad.members[0], squad.members[1]
    first = assign(db, shift_id=days[0], volunteer_id=a)
    second = assign(db, shift_id=days[1], volunteer_id=b)
    add_leave(db, volunteer_id=b, starts_on=NEXT_MONDAY, ends_on=NEXT_MONDAY)
    _refused(db, lambda: swap(db, first_id=first, second_id=second), "请假")
    third = assign(db, shift_id=days[3], volunteer_id=squad.members[2])
    swap(db, first_id=second, second_id=third)
    with db.session() as s:
        living = {(x.shift_id, x.volunteer_id) for x in s.exec(
            select(ShiftAssignment).where(ShiftAssignment.deleted == False))}  # noqa: E712
    assert living == {(days[0], a), (days[3], b), (days[1], squad.members[2])}
    _refused(db, lambda: swap(db, first_id=first, second_id=first), "同一个班次")


def test_stand_in_candidates_are_the_least_loaded_first_and_a_stand_in_takes_the_seat(db, squad, days):
    leader_seat = assign(db, shift_id=days[0], volunteer_id=squad.leader)
    seat = assign(db, shift_id=days[0], volunteer_id=squad.members[0])
    assign(db, shift_id=days[2], volunteer_id=squad.members[1])
    assign(db, shift_id=days[2], volunteer_id=squad.members[2])
    assign(db, shift_id=days[4], volunteer_id=squad.members[2])  # at his cap
    # 钱小红 is on it already and 周海涛 at his cap: the others, fewest shifts that week first
    assert [(c.name, c.week) for c in stand_in_candidates(db, assignment_id=seat)] == \
        [("吴丽娟", 0), ("赵大勇", 0), ("李秀英", 1)]
    assert [c.name for c in stand_in_candidates(db, assignment_id=leader_seat)] == ["赵大勇"]  # leaders only
    _refused(db, lambda: stand_in(db, assignment_id=seat, volunteer_id=squad.members[2]), "本周已排满 2 班")
    new = stand_in(db, assignment_id=seat, volunteer_id=squad.members[3])
    with db.session() as s:
        assert s.get(ShiftAssignment, seat).deleted and not s.get(ShiftAssignment, new).deleted


def test_a_confirmed_shift_is_not_changed(db, squad, officer):
    shift = add_shift(db, values=ShiftValues(route_id=squad.route, team_id=squad.team, day=TODAY, starts_at=time(19),
                                             ends_at=time(21), needed=1))
    seat = assign(db, shift_id=shift, volunteer_id=squad.leader)
    sign_in(db, assignment_id=seat, attendance="present", how="leader")
    confirm_shift(db, shift_id=shift, officer_id=officer)
    for call in (lambda: remove(db, assignment_id=seat), lambda: pin(db, assignment_id=seat, pinned=False),
                 lambda: stand_in(db, assignment_id=seat, volunteer_id=squad.captain)):
        _refused(db, call, "该班次已确认")

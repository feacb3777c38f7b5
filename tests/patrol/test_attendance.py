"""Sign-in, hours, the patrol log, confirming shifts, points and stars, the honour list, inactive volunteers."""

from __future__ import annotations

from datetime import time, timedelta

import pytest

from app.core.errors import UserError
from app.patrol.attendance import (
    add_finding,
    awaiting_confirmation,
    confirm_shift,
    dispute_draft,
    findings,
    link_dispute,
    sign_in,
    sign_ins,
    unconfirm_shift,
)
from app.patrol.changes import assign
from app.patrol.points import honour_list, inactive_volunteers, team_tallies, volunteer_tallies
from app.patrol.schedule import ShiftValues, add_shift
from app.patrol.settings import patrol_settings, set_setting
from app.patrol.volunteers import add_volunteer
from tests.patrol.conftest import TODAY, volunteer_values
from tests.support.disputes import register
from tests.support.sync import dump

YESTERDAY = TODAY - timedelta(days=1)


def _refused(db, call, said: str) -> None:
    before = dump(db)
    with pytest.raises(UserError) as caught:
        call()
    assert said in str(caught.value), str(caught.value)
    assert dump(db) == before


@pytest.fixture
def patrolled(db, squad):
    """Yesterday's 19:00-21:00 shift with its leader and two members on it."""
    shift = add_shift(db, values=ShiftValues(route_id=squad.route, team_id=squad.team, day=YESTERDAY,
                                             starts_at=time(19), ends_at=time(21), needed=3, needs_leader=True))
    seats = [assign(db, shift_id=shift, volunteer_id=v) for v in (squad.leader, *squad.members[:2])]
    return shift, seats


def test_sign_in_records_how_and_when_and_gives_hours(db, squad, patrolled):
    shift, (leader, late, absent) = patrolled
    assert sign_in(db, assignment_id=leader, attendance="present", how="leader") == 2.0
    assert sign_in(db, assignment_id=late, attendance="late", how="paper", started=time(19, 30)) == 1.5
    assert sign_in(db, assignment_id=absent, attendance="absent", how="paper") == 0.0
    rows = {r.assignment_id: r for r in sign_ins(db, shift_id=shift)}
    assert rows[leader].as_leader and rows[late].started.time() == time(19, 30) and rows[late].how == "paper"
    assert [r.hours for r in sign_ins(db, shift_id=shift)] == [2.0, 1.5, 0.0]


@pytest.mark.parametrize(("kwargs", "said"), [
    ({"attendance": "present"}, "请选择记录方式"),
    ({"attendance": "asleep", "how": "leader"}, "没有这种签到情况"),
    ({"attendance": "absent", "how": "paper", "started": time(19)}, "缺勤不填签到、签退时间"),
    ({"attendance": "late", "how": "paper", "started": time(18, 50)}, "迟到的签到时间应晚于班次开始时间 19:00"),
    ({"attendance": "left_early", "how": "paper", "ended": time(21, 30)}, "早退的签退时间应早于班次结束时间 21:00"),
    ({"attendance": "present", "how": "paper", "started": time(19), "ended": time(18, 59)}, "不超过16小时"),
])
def test_a_sign_in_that_does_not_add_up_is_refused(db, patrolled, kwargs, said):
    _refused(db, lambda: sign_in(db, assignment_id=patrolled[1][0], **kwargs), said)


def test_a_future_shift_cannot_be_signed_in_or_confirmed(db, squad, officer):
    shift = add_shift(db, values=ShiftValues(route_id=squad.route, team_id=squad.team, day=TODAY + timedelta(days=2),
                                             starts_at=time(19), ends_at=time(21), needed=1))
    seat = assign(db, shift_id=shift, volunteer_id=squad.leader)
    _refused(db, lambda: sign_in(db, assignment_id=seat, attendance="present", how="leader"), "班次还没到")
    _refused(db, lambda: confirm_shift(db, shift_id=shift, officer_id=officer), "班次还没到")


def test_confirming_needs_an_officer_and_every_sign_in(db, patrolled, officer):
    shift, seats = patrolled
    assert [line.shift_id for line in awaiting_confirmation(db, before=TODAY)] == [shift]
    sign_in(db, assignment_id=seats[0], attendance="present", how="leader")
    _refused(db, lambda: confirm_shift(db, shift_id=shift, officer_id=officer), "还有 2 人未签到：孙建国、李秀英")
    for seat in seats[1:]:
        sign_in(db, assignment_id=seat, attendance="leave", how="leader")
    _refused(db, lambda: confirm_shift(db, shift_id=shift, officer_id=None), "请先登录")
    confirm_shift(db, shift_id=shift, officer_id=officer)
    assert awaiting_confirmation(db, before=TODAY) == []
    _refused(db, lambda: sign_in(db, assignment_id=seats[0], attendance="absent", how="leader"), "该班次已确认")
    unconfirm_shift(db, shift_id=shift)
    assert len(awaiting_confirmation(db, before=TODAY)) == 1


def test_findings_are_checked_and_a_dispute_found_opens_prefilled(db, squad, patrolled, officer):
    shift, _seats = patrolled
    _refused(db, lambda: add_finding(db, shift_id=shift, kind="ufo", text="不明飞行物"), "没有这类巡逻发现")
    _refused(db, lambda: add_finding(db, shift_id=shift, kind="hazard", text=" "), "请填写发现的情况")
    _refused(db, lambda: add_finding(db, shift_id=shift, kind="hazard", text="电动车楼道充电", settled=True),
             "只有矛盾纠纷")
    _refused(db, lambda: add_finding(db, shift_id=shift, kind="hazard", text="电动车楼道充电",
                                     volunteer_id=squad.captain), "发现人不在这个班次上")
    add_finding(db, shift_id=shift, kind="hazard", text="3栋楼道电动车充电", volunteer_id=squad.leader)
    found = add_finding(db, shift_id=shift, kind="dispute", text="两户因停车位争吵")
    draft = dispute_draft(db, finding_id=found)
    assert draft["facts"] == "两户因停车位争吵" and draft["place"] == "云栖里夜巡"
    dispute = register(db, officer_id=officer).id
    link_dispute(db, finding_id=found, dispute_id=dispute, settled=True)
    assert [(f.kind, f.dispute_id, f.settled) for f in findings(db, shift_id=shift)] == \
        [("hazard", None, False), ("dispute", dispute, True)]


def test_points_count_only_after_confirmation_with_the_rule_table(db, squad, patrolled, officer):
    shift, (leader, member, other) = patrolled
    sign_in(db, assignment_id=leader, attendance="present", how="leader")
    sign_in(db, assignment_id=member, attendance="present", how="leader", started=time(19), ended=time(20))
    sign_in(db, assignment_id=other, attendance="absent", how="leader")
    add_finding(db, shift_id=shift, kind="hazard", text="3栋楼道电动车充电", volunteer_id=squad.leader)
    add_finding(db, shift_id=shift, kind="help", text="帮助走失老人回家")  # no finder: everyone who served
    assert volunteer_tallies(db) == []
    confirm_shift(db, shift_id=shift, officer_id=officer)
    tallies = {t.id: t for t in volunteer_tallies(db)}
    # leader: 2 h x 10 x 1.5 + 5 + 5; member: 1 h x 10 + 5; the absent one: nothing but the shift counted
    assert (tallies[squad.leader].hours, tallies[squad.leader].points) == (2.0, 40.0)
    assert (tallies[member_id(squad, 0)].hours, tallies[member_id(squad, 0)].points) == (1.0, 15.0)
    assert (tallies[member_id(squad, 1)].attended, tallies[member_id(squad, 1)].shifts) == (0, 1)
    set_setting(db, name="per_hour", value=20, officer_id=officer)
    set_setting(db, name="star_1", value=40, officer_id=officer)
    tallies = {t.id: t for t in volunteer_tallies(db)}
    assert tallies[squad.leader].points == 70.0 and tallies[squad.leader].level == "一星"
    [team] = team_tallies(db)
    assert (team.shifts, team.attended, team.hours) == (3, 2, 3.0)


def member_id(squad, n: int) -> str:
    return squad.members[n]


def test_the_rule_table_refuses_bad_values(db, officer):
    _refused(db, lambda: set_setting(db, name="per_day", value=1), "没有这项规则")
    _refused(db, lambda: set_setting(db, name="min_rest_hours", value=30), "应在 0 到 24 之间")
    _refused(db, lambda: set_setting(db, name="train_first", value=0.5), "只能是 1 或 0")
    _refused(db, lambda: set_setting(db, name="star_2", value=10), "星级积分应逐级升高")
    set_setting(db, name="min_rest_hours", value=8)
    set_setting(db, name="min_rest_hours", value=10)
    assert patrol_settings(db).rules.min_rest == timedelta(hours=10)


def test_honours_and_inactive_volunteers(db, squad, patrolled, officer):
    shift, seats = patrolled
    for seat in seats:
        sign_in(db, assignment_id=seat, attendance="present", how="paper")
    confirm_shift(db, shift_id=shift, officer_id=officer)
    honours = honour_list(db, year=YESTERDAY.year, top=2)
    assert [t.name for t in honours.volunteers_by_points][:1] == ["钱小红"]  # the leader's multiplier
    assert [t.name for t in honours.teams_by_hours] == ["云栖义警队"]
    assert honours.volunteers_by_rate == []  # one shift is too few to rank attendance
    on = TODAY + timedelta(days=61)
    inactive = {i.name for i in inactive_volunteers(db, on=on)}
    assert inactive == {"赵大勇", "周海涛", "吴丽娟", "钱小红", "孙建国", "李秀英"}
    # today: those who served yesterday are not, nor one who joined within the 60 days
    add_volunteer(db, team_id=squad.team, values=volunteer_values(40, joined_on=TODAY - timedelta(days=10)))
    assert {i.name for i in inactive_volunteers(db, on=TODAY)} == {"赵大勇", "周海涛", "吴丽娟"}

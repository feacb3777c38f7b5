"""Teams and volunteers: one record per person across teams, checked ID numbers, roles, status history, leave."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from sqlmodel import select

from app.core.errors import UserError
from app.patrol.teams import TeamValues, delete_team, join_team, leave_team, members, save_team, set_role
from app.patrol.volunteers import (
    add_leave,
    add_volunteer,
    cancel_leave,
    set_status,
    status_history,
    update_volunteer,
    volunteer_problems,
    volunteer_values,
    volunteer_warnings,
)
from db.models import Household, Resident, Volunteer, VolunteerMembership, VolunteerTeam
from tests.patrol.conftest import TODAY, id_number
from tests.patrol.conftest import volunteer_values as values_of
from tests.support.sync import dump


def _unchanged(db, call, message: str) -> None:
    """``call`` is refused with ``message`` (a part of it) and writes nothing."""
    before = dump(db)
    with pytest.raises(UserError, match=message):
        call()
    assert dump(db) == before


@pytest.mark.parametrize(("changes", "said"), [
    ({"name": " "}, "请填写队名"),
    ({"kind": "army"}, "没有这种队伍类型"),
    ({"group_size": 2}, "巡逻小组至少3人"),
    ({"group_size": 21}, "最多20人"),
    ({"contact": "电" * 65}, "联系方式最多64个字"),
])
def test_a_team_with_a_bad_value_is_refused(db, changes, said):
    values = replace(TeamValues(name="彩虹义警队"), **changes)
    _unchanged(db, lambda: save_team(db, values=values), said)


def test_a_team_in_a_deleted_community_is_refused(db):
    _unchanged(db, lambda: save_team(db, values=TeamValues(name="彩虹义警队", community_id="0" * 32)), "社区不存在")


def test_a_volunteer_is_one_person_in_several_teams(db, team):
    other = save_team(db, values=TeamValues(name="新城义警队", kind="street"))
    vid = add_volunteer(db, team_id=team, values=values_of(1))
    _unchanged(db, lambda: add_volunteer(db, team_id=other, values=values_of(1, name="钱晓红")),
               "身份证号已登记为义警：钱小红")
    join_team(db, volunteer_id=vid, team_id=other)
    assert [m.volunteer_id for m in members(db, team_id=other)] == [vid]
    assert [m.volunteer_id for m in members(db, team_id=team)] == [vid]
    _unchanged(db, lambda: join_team(db, volunteer_id=vid, team_id=other), "已是新城义警队的队员")
    leave_team(db, volunteer_id=vid, team_id=team)  # his home team moves to the one left
    with db.session() as s:
        assert s.get(Volunteer, vid).team_id == other
    assert members(db, team_id=team) == []
    _unchanged(db, lambda: leave_team(db, volunteer_id=vid, team_id=other), "只在这一个队")


def test_a_volunteer_takes_gender_and_birth_date_from_the_id_and_his_resident_row(db, community, team):
    number = id_number(7, born=date(1990, 3, 15), male=False)
    with db.session() as s:
        household = Household(community_id=community, estate="云栖里", building="3")
        s.add(household)
        s.flush()
        resident = Resident(household_id=household.id, name="钱小红", id_number=number)
        s.add(resident)
        s.commit()
    vid = add_volunteer(db, team_id=team, values=values_of(1, id_number=number.lower()))
    with db.session() as s:
        row = s.get(Volunteer, vid)
        assert (row.gender, row.birth_date, row.resident_id, row.id_number) == ("女", date(1990, 3, 15), resident.id,
                                                                                number)
        assert row.status == "active" and row.active


@pytest.mark.parametrize(("changes", "said"), [
    ({"id_number": ""}, "请填写身份证号"),
    ({"id_number": "330106198505010010"}, "校验码不对"),
    ({"phone": "12345"}, "电话应为11位手机号"),
    ({"skills": ("厨师",)}, "没有这项专长：厨师"),
    ({"weekly_cap": 0}, "每周班次上限应在1到7之间"),
    ({"availability": frozenset({"8e"})}, "可排时段格式不对"),
    ({"trained_on": TODAY + timedelta(days=1)}, "培训日期不能晚于今天"),
])
def test_a_volunteer_with_a_bad_value_is_refused(db, team, changes, said):
    _unchanged(db, lambda: add_volunteer(db, team_id=team, values=values_of(2, **changes)), said)


def test_an_age_outside_18_to_65_is_a_warning_not_a_refusal(db, team):
    young = values_of(3, id_number=id_number(3, born=TODAY.replace(year=TODAY.year - 17) - timedelta(days=30)))
    assert volunteer_problems(young) == {}
    assert "年龄为 17 岁" in volunteer_warnings(young)[0]
    assert volunteer_warnings(values_of(4)) == []
    add_volunteer(db, team_id=team, values=young)


def test_updating_keeps_one_record_per_id_number(db, team):
    first = add_volunteer(db, team_id=team, values=values_of(1))
    second = add_volunteer(db, team_id=team, values=values_of(2))
    _unchanged(db, lambda: update_volunteer(db, volunteer_id=second, values=values_of(1)), "一个人只登记一次")
    update_volunteer(db, volunteer_id=first, values=values_of(1, skills=("医护", "驾驶"), weekly_cap=3))
    assert volunteer_values(db, volunteer_id=first).skills == ("医护", "驾驶")


def test_status_changes_are_kept_as_history(db, team):
    vid = add_volunteer(db, team_id=team, values=values_of(1))
    set_status(db, volunteer_id=vid, status="paused", since=TODAY, reason="外出务工")
    _unchanged(db, lambda: set_status(db, volunteer_id=vid, status="paused", since=TODAY), "已是“暂停”")
    _unchanged(db, lambda: set_status(db, volunteer_id=vid, status="gone", since=TODAY), "没有这个状态")
    _unchanged(db, lambda: set_status(db, volunteer_id=vid, status="left", since=TODAY + timedelta(days=1)),
               "不能晚于今天")
    set_status(db, volunteer_id=vid, status="left", since=TODAY)
    assert [(h.status, h.reason) for h in status_history(db, volunteer_id=vid)] == \
        [("active", "入队"), ("paused", "外出务工"), ("left", "")]
    with db.session() as s:
        assert s.get(Volunteer, vid).active is False


def test_leave_is_checked_and_can_be_cancelled(db, team):
    vid = add_volunteer(db, team_id=team, values=values_of(1))
    _unchanged(db, lambda: add_leave(db, volunteer_id=vid, starts_on=TODAY, ends_on=TODAY - timedelta(days=1)),
               "结束日期不能早于开始日期")
    _unchanged(db, lambda: add_leave(db, volunteer_id="0" * 32, starts_on=TODAY, ends_on=TODAY), "不存在")
    leave = add_leave(db, volunteer_id=vid, starts_on=TODAY, ends_on=TODAY + timedelta(days=3), reason="探亲")
    cancel_leave(db, leave_id=leave)
    _unchanged(db, lambda: cancel_leave(db, leave_id=leave), "已取消")


def test_one_captain_per_team_named_on_the_team(db, team):
    first, second = (add_volunteer(db, team_id=team, values=values_of(n)) for n in (1, 2))
    set_role(db, volunteer_id=first, team_id=team, role="captain")
    set_role(db, volunteer_id=second, team_id=team, role="captain")
    roles = {m.volunteer_id: m.role for m in members(db, team_id=team)}
    assert roles == {first: "member", second: "captain"}
    with db.session() as s:
        assert s.get(VolunteerTeam, team).leader == "孙建国"
    _unchanged(db, lambda: set_role(db, volunteer_id=first, team_id=team, role="general"), "没有这个队内职务")
    other = save_team(db, values=TeamValues(name="新城义警队"))
    _unchanged(db, lambda: set_role(db, volunteer_id=first, team_id=other, role="deputy"), "不是新城义警队的队员")


def test_a_team_with_members_is_not_deleted(db, team):
    vid = add_volunteer(db, team_id=team, values=values_of(1))
    _unchanged(db, lambda: delete_team(db, team_id=team), "还有队员")
    other = save_team(db, values=TeamValues(name="新城义警队"))
    join_team(db, volunteer_id=vid, team_id=other)
    leave_team(db, volunteer_id=vid, team_id=other)
    delete_team(db, team_id=other)
    with db.session() as s:
        memberships = s.exec(select(VolunteerMembership).where(VolunteerMembership.volunteer_id == vid)).all()
        assert sorted((m.team_id, m.deleted) for m in memberships) == sorted([(team, False), (other, True)])
